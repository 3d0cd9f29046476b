"""listRules, getRule, createRule, updateRule, deleteRule, triggerRule.

Rule writes need ``CREATE_AND_EDIT_RULES`` (see ``_permissions``). A schema-valid rule body is
accepted (201/200): the request schema says all the mock checks (a condition node holds exactly
one of ``condition``, ``any``, ``all``: ``ConditionNodeInput``), so a body it refuses is a 400 from
validation. References to unknown accounts are only found when the rule runs, where they fail
the execution: a contract fuzzer rightly expects schema-valid bodies to be accepted.
"""

from __future__ import annotations

from .._errors import forbidden, not_found
from ..state._clock import format_timestamp
from ..state._records import Doc, Rule
from ._call import Call, Reply
from .executions import trigger


def summary(call: Call, rule: Rule) -> Doc:
    """A ``RuleSummary``: the trigger type and the trigger account as ``source``."""
    doc = rule.doc
    account_id = rule.trigger.get("account_id")
    account = call.store.accounts.get(account_id) if isinstance(account_id, str) else None
    result: Doc = {
        "id": rule.id,
        "nickname": doc.get("nickname"),
        "description": doc.get("description"),
        "status": doc["status"],
        "trigger_type": rule.trigger.get("type"),
        "source": None if account is None else account.ref(),
        "created_at": doc.get("created_at"),
        "is_supported": rule.is_supported,
    }
    for optional in ("updated_at", "deleted_at"):
        if optional in doc:
            result[optional] = doc[optional]
    return result


def list_rules(call: Call) -> Reply:
    call.require()
    wanted = call.query.get("source_id")
    data = []
    for rule in call.store.rules.values():
        if rule.deleted:
            continue
        item = summary(call, rule)
        if wanted is None or (item["source"] or {}).get("id") == wanted:
            data.append(item)
    return Reply(200, data)


def _live(call: Call) -> Rule:
    rule = call.store.live_rule(call.id)
    if rule is None:
        raise not_found("rule_not_found", "rule", call.id)
    return rule


def get_rule(call: Call) -> Reply:
    call.require(call.id)
    rule = _live(call)
    if not rule.is_supported:
        raise forbidden("invalid_rule", "This rule cannot be represented through the API.")
    return Reply(200, rule.doc)


def _fields(body: Doc) -> Doc:
    """What a create or replace body sets on a rule."""
    return {
        "nickname": body.get("nickname"),
        "description": body.get("description"),
        "status": "disabled",  # a human (re-)enables rules in the app
        "trigger": body["trigger"],
        "steps": body["steps"],
    }


def create_rule(call: Call) -> Reply:
    call.require()
    now = call.store.now()
    stamp = format_timestamp(now)
    doc: Doc = {"id": call.ids.new("rule_", now), **_fields(call.body)}
    doc.update(created_at=stamp, updated_at=stamp, deleted_at=None)
    call.store.add_rule(Rule(doc))
    return Reply(201, doc)


def update_rule(call: Call) -> Reply:
    call.require(call.id)
    rule = _live(call)
    changes = _fields(call.body)
    changes["updated_at"] = format_timestamp(call.store.now())
    call.store.update_rule(rule, changes, is_supported=True)
    return Reply(200, rule.doc)


def delete_rule(call: Call) -> Reply:
    call.require(call.id)
    rule = _live(call)
    stamp = format_timestamp(call.store.now())
    call.store.update_rule(rule, {"status": "disabled", "deleted_at": stamp, "updated_at": stamp})
    return Reply(204)


def trigger_rule(call: Call) -> Reply:
    call.require(call.id)
    rule = call.store.rules.get(call.id)
    if rule is None:
        raise not_found("rule_not_found", "rule", call.id)
    if rule.deleted or not rule.is_supported:
        raise forbidden("invalid_rule", "This rule was deleted or cannot be triggered via the API.")
    if rule.doc.get("status") != "enabled":
        raise forbidden("rule_deactivated", "This rule is disabled and cannot be triggered.")
    amount = (call.body or {}).get("manual_execute_amount")
    execution = trigger(call.store, call.ids, rule, amount)
    return Reply(202, {"execution_id": execution.id})
