"""listRuleExecutions, getRuleExecution."""

from __future__ import annotations

from .._model import Execution
from .._pagination import PageRequest, read_page
from ._call import Call, Reply, project


def list_rule_executions(call: Call) -> Reply:
    rule_id = call.query["rule_id"]
    call.require(rule_id)
    request = PageRequest.from_query(call.query)
    status = call.query.get("status")
    trigger_type = call.query.get("trigger_type")

    def keep(execution: Execution) -> bool:
        doc = execution.doc
        return (status is None or doc["status"] == status) and (
            trigger_type is None or doc["trigger_type"] == trigger_type
        )

    items, info = read_page(
        call.store.executions_by_rule.get(rule_id),
        request,
        since_micros=call.since(),
        until_micros=call.until(),
        keep=None if status is None and trigger_type is None else keep,
    )
    names = call.schemas.properties("RuleExecutionSummary")
    return Reply(200, [project(item.doc, names) for item in items], info)


def get_rule_execution(call: Call) -> Reply:
    execution = call.store.executions.get(call.id)
    if execution is None:
        call.raise_unknown(call.id, "rule execution", "rule_execution_not_found")
    call.require(execution.rule_id)
    return Reply(200, execution.doc)
