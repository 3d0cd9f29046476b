"""Payday: a small application on the Sequence API, the kind the mock exists to test.

On payday it moves what checking holds beyond a cushion into savings, and pays the card's last
statement from the bills pod; it runs a rule on demand, and it takes webhook deliveries, acting
once per delivery id (retries and duplicates repeat it). Every call goes through the project's
client (``sequence_contract``), so a lost answer is retried with the same Idempotency-Key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sequence_api_client.api.accounts import get_account
from sequence_api_client.api.rule_executions import get_rule_execution
from sequence_api_client.api.rules import trigger_rule
from sequence_api_client.api.transfers import create_transfer, get_transfer
from sequence_api_client.models import Balance, CreateTransferInput, Transfer, TriggerRuleInput
from sequence_api_client.types import Unset

from sequence_contract import SequenceClient, call
from sequence_contract.webhooks import InvalidEvent, WebhookEvent, parse_event

SMALLEST_TRANSFER = 100  # cents: the API refuses less


@dataclass(frozen=True)
class Accounts:
    checking: str
    savings: str
    bills: str
    card: str


@dataclass
class Payday:
    client: SequenceClient
    accounts: Accounts
    cushion: int  # cents checking keeps
    seen: set[str] = field(default_factory=set)  # webhook delivery ids already acted on
    events: list[WebhookEvent] = field(default_factory=list)  # what the app acted on

    # -- money ---------------------------------------------------------------------------------

    def sweep_surplus(self) -> Transfer | None:
        """Move checking's available balance beyond the cushion to savings (None: too little)."""
        surplus = self._available(self.accounts.checking) - self.cushion
        if surplus < SMALLEST_TRANSFER:
            return None
        body = CreateTransferInput(
            self.accounts.checking, self.accounts.savings, surplus, description="Surplus"
        )
        return call(create_transfer.sync_detailed, client=self.client, body=body)

    def pay_card(self) -> Transfer:
        """Pay the card's last statement balance from the bills pod."""
        card = call(get_account.sync_detailed, self.accounts.card, client=self.client)
        balance = card.balance
        owed = None if not isinstance(balance, Balance) else balance.last_statement_balance_in_cents
        amount = owed if isinstance(owed, int) else 0
        body = CreateTransferInput(
            self.accounts.bills, self.accounts.card, amount, description="Card"
        )
        return call(create_transfer.sync_detailed, client=self.client, body=body)

    def transfer_status(self, transfer_id: str) -> tuple[str, str | None]:
        """A transfer's status and error code (``insufficient_funds``, ...)."""
        transfer = call(get_transfer.sync_detailed, transfer_id, client=self.client)
        code = transfer.error_code
        return transfer.status, None if isinstance(code, Unset) else code

    def run_rule(self, rule_id: str, amount: int | None = None) -> str:
        """Start a run of a rule; the execution id to follow."""
        body = TriggerRuleInput() if amount is None else TriggerRuleInput(amount)
        started = call(trigger_rule.sync_detailed, rule_id, client=self.client, body=body)
        return started.execution_id

    def execution_status(self, execution_id: str) -> str:
        execution = call(get_rule_execution.sync_detailed, execution_id, client=self.client)
        return str(execution.status)

    def _available(self, account_id: str) -> int:
        account = call(get_account.sync_detailed, account_id, client=self.client)
        balance = account.balance
        value = None if not isinstance(balance, Balance) else balance.available_balance_in_cents
        return value if isinstance(value, int) else 0

    # -- webhooks ------------------------------------------------------------------------------

    def receive(self, body: bytes, headers: Mapping[str, str]) -> int:
        """Take one webhook delivery; the HTTP status to answer with."""
        try:
            event = parse_event(body, headers)
        except InvalidEvent:
            return 400
        if event.delivery_id is not None:
            if event.delivery_id in self.seen:
                return 200  # a repeat: acknowledge again, act once
            self.seen.add(event.delivery_id)
        self.events.append(event)
        return 204
