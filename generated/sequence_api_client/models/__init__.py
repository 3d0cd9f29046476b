"""Contains all the data models used in inputs/outputs"""

from .account import Account
from .account_core import AccountCore
from .account_list_response import AccountListResponse
from .account_ref import AccountRef
from .account_response import AccountResponse
from .account_summary import AccountSummary
from .account_type import AccountType
from .action import Action
from .action_account_ref import ActionAccountRef
from .balance import Balance
from .card import Card
from .card_list_response import CardListResponse
from .card_response import CardResponse
from .card_status import CardStatus
from .card_transaction import CardTransaction
from .card_transaction_list_response import CardTransactionListResponse
from .card_type import CardType
from .condition import Condition
from .condition_all_input import ConditionAllInput
from .condition_any_input import ConditionAnyInput
from .condition_fact import ConditionFact
from .condition_leaf_input import ConditionLeafInput
from .condition_node import ConditionNode
from .condition_params import ConditionParams
from .create_transfer_input import CreateTransferInput
from .error_detail import ErrorDetail
from .error_envelope import ErrorEnvelope
from .list_card_transactions_direction import ListCardTransactionsDirection
from .list_rule_executions_trigger_type import ListRuleExecutionsTriggerType
from .list_transfers_account_role import ListTransfersAccountRole
from .list_transfers_origin import ListTransfersOrigin
from .list_transfers_status import ListTransfersStatus
from .page_info import PageInfo
from .rule import Rule
from .rule_execution import RuleExecution
from .rule_execution_list_response import RuleExecutionListResponse
from .rule_execution_response import RuleExecutionResponse
from .rule_execution_status import RuleExecutionStatus
from .rule_execution_summary import RuleExecutionSummary
from .rule_input import RuleInput
from .rule_list_response import RuleListResponse
from .rule_response import RuleResponse
from .rule_status import RuleStatus
from .rule_summary import RuleSummary
from .rule_trigger_type import RuleTriggerType
from .step import Step
from .step_input import StepInput
from .transfer import Transfer
from .transfer_cap import TransferCap
from .transfer_direction import TransferDirection
from .transfer_list_response import TransferListResponse
from .transfer_party import TransferParty
from .transfer_response import TransferResponse
from .trigger import Trigger
from .trigger_details import TriggerDetails
from .trigger_rule_input import TriggerRuleInput
from .trigger_rule_response import TriggerRuleResponse
from .trigger_rule_result import TriggerRuleResult
from .unauthorized_error import UnauthorizedError
from .unauthorized_error_detail import UnauthorizedErrorDetail
from .webhook_event import WebhookEvent
from .webhook_event_data import WebhookEventData

__all__ = (
    "Account",
    "AccountCore",
    "AccountListResponse",
    "AccountRef",
    "AccountResponse",
    "AccountSummary",
    "AccountType",
    "Action",
    "ActionAccountRef",
    "Balance",
    "Card",
    "CardListResponse",
    "CardResponse",
    "CardStatus",
    "CardTransaction",
    "CardTransactionListResponse",
    "CardType",
    "Condition",
    "ConditionAllInput",
    "ConditionAnyInput",
    "ConditionFact",
    "ConditionLeafInput",
    "ConditionNode",
    "ConditionParams",
    "CreateTransferInput",
    "ErrorDetail",
    "ErrorEnvelope",
    "ListCardTransactionsDirection",
    "ListRuleExecutionsTriggerType",
    "ListTransfersAccountRole",
    "ListTransfersOrigin",
    "ListTransfersStatus",
    "PageInfo",
    "Rule",
    "RuleExecution",
    "RuleExecutionListResponse",
    "RuleExecutionResponse",
    "RuleExecutionStatus",
    "RuleExecutionSummary",
    "RuleInput",
    "RuleListResponse",
    "RuleResponse",
    "RuleStatus",
    "RuleSummary",
    "RuleTriggerType",
    "Step",
    "StepInput",
    "Transfer",
    "TransferCap",
    "TransferDirection",
    "TransferListResponse",
    "TransferParty",
    "TransferResponse",
    "Trigger",
    "TriggerDetails",
    "TriggerRuleInput",
    "TriggerRuleResponse",
    "TriggerRuleResult",
    "UnauthorizedError",
    "UnauthorizedErrorDetail",
    "WebhookEvent",
    "WebhookEventData",
)
