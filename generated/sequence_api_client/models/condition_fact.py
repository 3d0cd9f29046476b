from typing import Literal

ConditionFact = Literal["BALANCE", "DATE", "TRANSFER_AMOUNT"]

CONDITION_FACT_VALUES: set[ConditionFact] = {
    "BALANCE",
    "DATE",
    "TRANSFER_AMOUNT",
}


def check_condition_fact(value: str) -> ConditionFact:
    if value in CONDITION_FACT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CONDITION_FACT_VALUES!r}")
