"""One module per spec tag; ``HANDLERS`` maps every operationId to its handler.

``SCOPES`` is the scope each operation checks, compared with the spec's ``x-required-scope`` at
start-up (``unknown`` in the spec = rule writes, which use ``CREATE_AND_EDIT_RULES``).
"""

from __future__ import annotations

from .._permissions import RULE_WRITE_SCOPE
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

SCOPES: dict[str, str] = {
    "listAccounts": "LIST_ACCOUNTS",
    "getAccount": "READ_ACCOUNTS",
    "listRules": "LIST_RULES",
    "getRule": "READ_RULES",
    "createRule": RULE_WRITE_SCOPE,
    "updateRule": RULE_WRITE_SCOPE,
    "deleteRule": RULE_WRITE_SCOPE,
    "triggerRule": "TRIGGER_RULES",
    "listRuleExecutions": "READ_RULE_EXECUTIONS",
    "getRuleExecution": "READ_RULE_EXECUTIONS",
    "listTransfers": "READ_TRANSFERS",
    "getTransfer": "READ_TRANSFERS",
    "createTransfer": "MANUAL_TRANSFER",
    "listCards": "READ_CARDS",
    "getCard": "READ_CARDS",
    "listCardTransactions": "READ_CARDS",
}

__all__ = ["HANDLERS", "SCOPES", "Call", "Handler", "Reply"]
