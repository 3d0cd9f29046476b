from typing import Literal

ListCardTransactionsDirection = Literal["credit", "debit"]

LIST_CARD_TRANSACTIONS_DIRECTION_VALUES: set[ListCardTransactionsDirection] = {
    "credit",
    "debit",
}


def check_list_card_transactions_direction(value: str) -> ListCardTransactionsDirection:
    if value in LIST_CARD_TRANSACTIONS_DIRECTION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_CARD_TRANSACTIONS_DIRECTION_VALUES!r}")
