from typing import Literal

ListRuleExecutionsTriggerType = Literal["manual", "on_funds_transferred", "scheduled"]

LIST_RULE_EXECUTIONS_TRIGGER_TYPE_VALUES: set[ListRuleExecutionsTriggerType] = {
    "manual",
    "on_funds_transferred",
    "scheduled",
}


def check_list_rule_executions_trigger_type(value: str) -> ListRuleExecutionsTriggerType:
    if value in LIST_RULE_EXECUTIONS_TRIGGER_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_RULE_EXECUTIONS_TRIGGER_TYPE_VALUES!r}")
