from typing import Literal

ListTransfersAccountRole = Literal["destination", "either", "source"]

LIST_TRANSFERS_ACCOUNT_ROLE_VALUES: set[ListTransfersAccountRole] = {
    "destination",
    "either",
    "source",
}


def check_list_transfers_account_role(value: str) -> ListTransfersAccountRole:
    if value in LIST_TRANSFERS_ACCOUNT_ROLE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_TRANSFERS_ACCOUNT_ROLE_VALUES!r}")
