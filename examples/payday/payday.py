"""Payday: a small application on the Sequence API, the kind the mock exists to test.

On payday it moves what checking holds beyond a cushion into savings, and pays the card's last
statement from the bills pod; it runs a rule on demand, and it takes webhook deliveries, acting
once per delivery id (retries and duplicates repeat it). Every call goes through the ``Sequence``
client, so a lost answer is retried with the same Idempotency-Key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sequence_api_client.models import Balance, Transfer
from sequence_api_client.types import Unset

from sequence_contract import Sequence
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
    client: Sequence
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
        return self.client.transfers.create(
            source_account_id=self.accounts.checking,
            destination_account_id=self.accounts.savings,
            amount_in_cents=surplus,
            description="Surplus",
        )

    def pay_card(self) -> Transfer:
        """Pay the card's last statement balance from the bills pod."""
        balance = self.client.accounts.get(self.accounts.card).balance
        owed = None if not isinstance(balance, Balance) else balance.last_statement_balance_in_cents
        amount = owed if isinstance(owed, int) else 0
        return self.client.transfers.create(
            source_account_id=self.accounts.bills,
            destination_account_id=self.accounts.card,
            amount_in_cents=amount,
            description="Card",
        )

    def transfer_status(self, transfer_id: str) -> tuple[str, str | None]:
        """A transfer's status and error code (``insufficient_funds``, ...)."""
        transfer = self.client.transfers.get(transfer_id)
        code = transfer.error_code
        return transfer.status, None if isinstance(code, Unset) else code

    def run_rule(self, rule_id: str, amount: int | None = None) -> str:
        """Start a run of a rule; the execution id to follow."""
        return self.client.rules.trigger(rule_id, manual_execute_amount=amount).execution_id

    def execution_status(self, execution_id: str) -> str:
        return str(self.client.rule_executions.get(execution_id).status)

    def _available(self, account_id: str) -> int:
        balance = self.client.accounts.get(account_id).balance
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
