from typing import Literal

ListTransfersStatus = Literal[
    "cancelled", "complete", "error", "incomplete", "pending", "pending_approval", "processing"
]

LIST_TRANSFERS_STATUS_VALUES: set[ListTransfersStatus] = {
    "cancelled",
    "complete",
    "error",
    "incomplete",
    "pending",
    "pending_approval",
    "processing",
}


def check_list_transfers_status(value: str) -> ListTransfersStatus:
    if value in LIST_TRANSFERS_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_TRANSFERS_STATUS_VALUES!r}")
