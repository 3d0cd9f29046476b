"""The API's behaviour, one module per resource, and ``HANDLERS``: operationId -> the function
that answers it, written out so every handler has a visible caller.

``bind_handlers`` checks the table against the spec at start-up: an operation of openapi.yaml
with no entry stops the mock, naming it. The scope each operation checks is the spec's
``x-required-scope`` (see ``http._endpoints``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from . import accounts, cards, executions, rules, transfers
from ._call import Call, Handler, Reply

HANDLERS: Mapping[str, Handler] = {
    "listAccounts": accounts.list_accounts,
    "getAccount": accounts.get_account,
    "listRules": rules.list_rules,
    "getRule": rules.get_rule,
    "createRule": rules.create_rule,
    "updateRule": rules.update_rule,
    "deleteRule": rules.delete_rule,
    "triggerRule": rules.trigger_rule,
    "listRuleExecutions": executions.list_rule_executions,
    "getRuleExecution": executions.get_rule_execution,
    "listTransfers": transfers.list_transfers,
    "getTransfer": transfers.get_transfer,
    "createTransfer": transfers.create_transfer,
    "listCards": cards.list_cards,
    "getCard": cards.get_card,
    "listCardTransactions": cards.list_card_transactions,
}


def bind_handlers(operation_ids: Iterable[str]) -> dict[str, Handler]:
    """operationId -> handler for the spec's operations; ``RuntimeError`` naming every operation
    ``HANDLERS`` lacks, so the mock never starts with a hole in it."""
    wanted = list(operation_ids)
    missing = sorted(set(wanted) - set(HANDLERS))
    if missing:
        raise RuntimeError(
            f"openapi.yaml has operations the mock does not serve: {missing} "
            "(add them to HANDLERS in sequence_contract.mock.domain)"
        )
    return {operation_id: HANDLERS[operation_id] for operation_id in wanted}


__all__ = ["HANDLERS", "Call", "Handler", "Reply", "bind_handlers"]
