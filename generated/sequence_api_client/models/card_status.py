from typing import Literal

CardStatus = Literal["active", "frozen", "inactive", "lost", "stolen"]

CARD_STATUS_VALUES: set[CardStatus] = {
    "active",
    "frozen",
    "inactive",
    "lost",
    "stolen",
}


def check_card_status(value: str) -> CardStatus:
    if value in CARD_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CARD_STATUS_VALUES!r}")
