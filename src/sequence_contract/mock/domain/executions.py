"""Rule executions: listRuleExecutions, getRuleExecution, and their course: triggerRule creates
one ``in_progress``; it ends when its transfers settle.

At trigger time the rule is evaluated (``rule_engine``) and its transfers are created
(``origin: rule``, ``rule_id``, ``rule_execution_id``) in ``processing``. One store delay later,
after those transfers settle, the execution becomes ``executed`` (all complete, or nothing to
do), ``partial`` (some failed) or ``failed`` (all failed, or the rule could not run). ``finish``
is a scheduled effect: it runs in ``Store.settle``, outside any request's transaction.
"""

from __future__ import annotations

from datetime import datetime

from ..state._clock import format_timestamp, to_micros
from ..state._ids import IdFactory
from ..state._records import Doc, Execution, Rule
from ..state._store import Store
from ._call import Call, Reply, project
from ._pagination import PageRequest, read_page
from .rule_engine import Context, Evaluation, EvaluationError, evaluate
from .transfers import failed_transfer, refusal, start_transfer

FAILED_STATUSES = {"incomplete", "error", "cancelled"}


def trigger(store: Store, ids: IdFactory, rule: Rule, manual_amount: int | None) -> Execution:
    """Evaluate ``rule``, start its transfers, then add the execution, complete (every change
    goes through the store, so a failed triggerRule is rolled back whole)."""
    now = store.now()
    trigger_type = str(rule.trigger.get("type", "MANUAL")).lower()
    incoming = manual_amount if trigger_type == "manual" else None
    doc: Doc = {
        "id": ids.new("rex_", now),
        "rule_id": rule.id,
        "rule_name": rule.doc.get("nickname"),
        "trigger_type": trigger_type,
        "status": "in_progress",
        "created_at": format_timestamp(now),
        "trigger_details": {
            "type": trigger_type,
            "amount_in_cents": incoming,
            "scheduled_time": None,
        },
        "step_index_matched": None,
        "conditions_not_met": False,
        "transfers_attempted": 0,
        "transfers_completed": 0,
        "transfers_failed": 0,
        "transfers_pending": 0,
        "transfer_ids": [],
        "error_message": None,
        "next_attempt_at": None,
    }
    execution = Execution(doc, now)
    context = Context(
        rule=rule,
        now=now,
        incoming=incoming,
        find_account=store.live_account,
        period_total=lambda start: _moved_since(store, rule.id, start),
    )
    try:
        result: Evaluation | None = evaluate(context)
    except EvaluationError as problem:
        result = None
        doc["error_message"] = str(problem)
    if result is not None:
        _start_moves(store, ids, execution, result)
    store.add_execution(execution)
    store.schedule(now + store.delay, lambda due: finish(store, execution))
    return execution


def _start_moves(store: Store, ids: IdFactory, execution: Execution, result: Evaluation) -> None:
    doc = execution.doc
    doc["step_index_matched"] = result.step_index
    doc["conditions_not_met"] = result.step_index is None
    doc["transfers_attempted"] = result.attempted
    for move in result.moves:
        failure = None
        if refusal(move.source, move.destination) is not None:
            failure = "payment_not_supported"
        elif move.amount < store.minimum_amount:
            failure = "transfer_amount_less_than_one_dollar"
        if failure is not None:
            transfer = failed_transfer(
                store,
                ids,
                move.source,
                move.destination,
                move.amount,
                failure,
                rule_id=execution.rule_id,
                rule_execution_id=execution.id,
            )
        else:
            transfer = start_transfer(
                store,
                ids,
                move.source,
                move.destination,
                move.amount,
                origin="rule",
                rule_id=execution.rule_id,
                rule_execution_id=execution.id,
            )
        doc["transfer_ids"].append(transfer.id)
    _count(store, execution)


def _count(store: Store, execution: Execution) -> None:
    doc = execution.doc
    statuses = [store.transfers[ident].status for ident in doc["transfer_ids"]]
    doc["transfers_completed"] = statuses.count("complete")
    doc["transfers_failed"] = sum(status in FAILED_STATUSES for status in statuses)
    doc["transfers_pending"] = len(statuses) - doc["transfers_completed"] - doc["transfers_failed"]


def finish(store: Store, execution: Execution) -> None:
    doc = execution.doc
    store.keep(doc)
    _count(store, execution)
    if doc["error_message"] is not None:
        doc["status"] = "failed"
    elif not doc["transfer_ids"] or doc["transfers_failed"] == 0:
        doc["status"] = "executed"
    elif doc["transfers_completed"] == 0:
        doc["status"] = "failed"
        doc["error_message"] = "Every transfer of this execution failed."
    else:
        doc["status"] = "partial"


def _moved_since(store: Store, rule_id: str, start: datetime) -> int:
    """Cents the rule's transfers (not failed) moved since ``start``: cumulative caps."""
    index = store.executions_by_rule.get(rule_id)
    if index is None:
        return 0
    total = 0
    for execution in index.page(len(index), since_micros=to_micros(start))[0]:
        for ident in execution.doc.get("transfer_ids") or []:
            transfer = store.transfers.get(ident)
            if transfer is not None and transfer.status not in FAILED_STATUSES:
                total += transfer.amount_in_cents
    return total


# -- the operations ------------------------------------------------------------------------------


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
