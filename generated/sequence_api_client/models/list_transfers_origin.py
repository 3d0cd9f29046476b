from typing import Literal

ListTransfersOrigin = Literal["cashback", "check_deposit", "external_pull", "paycheck", "rule", "user", "user_pull"]

LIST_TRANSFERS_ORIGIN_VALUES: set[ListTransfersOrigin] = {
    "cashback",
    "check_deposit",
    "external_pull",
    "paycheck",
    "rule",
    "user",
    "user_pull",
}


def check_list_transfers_origin(value: str) -> ListTransfersOrigin:
    if value in LIST_TRANSFERS_ORIGIN_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_TRANSFERS_ORIGIN_VALUES!r}")
