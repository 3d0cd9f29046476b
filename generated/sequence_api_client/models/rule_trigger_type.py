from typing import Literal

RuleTriggerType = Literal["MANUAL", "ON_FUNDS_TRANSFERRED", "SCHEDULED"]

RULE_TRIGGER_TYPE_VALUES: set[RuleTriggerType] = {
    "MANUAL",
    "ON_FUNDS_TRANSFERRED",
    "SCHEDULED",
}


def check_rule_trigger_type(value: str) -> RuleTriggerType:
    if value in RULE_TRIGGER_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RULE_TRIGGER_TYPE_VALUES!r}")
