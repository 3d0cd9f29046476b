"""One module per spec tag; ``HANDLERS`` maps every operationId to its handler.

The scope each operation checks is the spec's ``x-required-scope`` (see ``_routes``).
"""

from __future__ import annotations

from . import accounts, cards, rule_executions, rules, transfers
from ._call import Call, Handler, Reply

HANDLERS: dict[str, Handler] = {
    "listAccounts": accounts.list_accounts,
    "getAccount": accounts.get_account,
    "listRules": rules.list_rules,
    "getRule": rules.get_rule,
    "createRule": rules.create_rule,
    "updateRule": rules.update_rule,
    "deleteRule": rules.delete_rule,
    "triggerRule": rules.trigger_rule,
    "listRuleExecutions": rule_executions.list_rule_executions,
    "getRuleExecution": rule_executions.get_rule_execution,
    "listTransfers": transfers.list_transfers,
    "getTransfer": transfers.get_transfer,
    "createTransfer": transfers.create_transfer,
    "listCards": cards.list_cards,
    "getCard": cards.get_card,
    "listCardTransactions": cards.list_card_transactions,
}

__all__ = ["HANDLERS", "Call", "Handler", "Reply"]
