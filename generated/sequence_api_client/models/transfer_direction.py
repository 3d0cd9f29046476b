from typing import Literal

TransferDirection = Literal["internal", "money_in", "money_out"]

TRANSFER_DIRECTION_VALUES: set[TransferDirection] = {
    "internal",
    "money_in",
    "money_out",
}


def check_transfer_direction(value: str) -> TransferDirection:
    if value in TRANSFER_DIRECTION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {TRANSFER_DIRECTION_VALUES!r}")
