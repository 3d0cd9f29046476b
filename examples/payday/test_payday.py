"""Payday's tests: the app against the mock, steered only through the ``sequence_mock`` fixture.

Each test is one thing that happens to a money app in production and is hard to make happen on
purpose against a real bank: money missing when a transfer settles, an answer lost after the
write, a rule run that half works, a webhook delivered twice, a transfer waiting for a human.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from payday import Accounts, Payday

from sequence_contract.mock import SequenceMock

ACCOUNTS = Accounts(
    checking="acc_01HGHI7890",  # 8,500.00 available in the demo organisation
    savings="acc_01HABC4567",
    bills="acc_01HJKL2345",  # 2,500.00
    card="acc_01HDEF0123",  # last statement: 1,520.00
)
CUSHION = 500_000


@pytest.fixture
def payday(sequence_mock: SequenceMock) -> Iterator[Payday]:
    with sequence_mock.client() as client:
        app = Payday(client, ACCOUNTS, cushion=CUSHION)
        sequence_mock.on_webhook(lambda request: app.receive(request.content, request.headers))
        yield app


def test_the_surplus_moves_to_savings(sequence_mock: SequenceMock, payday: Payday) -> None:
    transfer = payday.sweep_surplus()
    assert transfer is not None
    assert transfer.amount_in_cents == 850_000 - CUSHION
    sequence_mock.clock.advance(1)
    assert payday.transfer_status(transfer.id) == ("complete", None)
    assert payday.sweep_surplus() is None  # nothing left beyond the cushion


def test_a_card_payment_the_pod_cannot_cover_ends_incomplete(
    sequence_mock: SequenceMock, payday: Payday
) -> None:
    """Insufficient funds show only at settlement: the create call succeeds."""
    with sequence_mock.client() as other:  # someone else empties most of the pod first
        other.transfers.create(
            source_account_id=ACCOUNTS.bills,
            destination_account_id=ACCOUNTS.card,
            amount_in_cents=200_000,
        )
    payment = payday.pay_card()
    assert payment.status == "processing"
    sequence_mock.clock.advance(1)
    assert payday.transfer_status(payment.id) == ("incomplete", "insufficient_funds")


def test_a_503_after_the_write_is_retried_with_the_key_and_moves_money_once(
    sequence_mock: SequenceMock, payday: Payday
) -> None:
    sequence_mock.scenario("createTransfer", fault="error_after_commit", status=503)
    transfer = payday.sweep_surplus()
    assert transfer is not None
    calls = [r for r in sequence_mock.requests if r["operation_id"] == "createTransfer"]
    assert [c["status"] for c in calls] == [201, 503]  # newest first: the replay, the lost one
    assert calls[0]["idempotency_key"] == calls[1]["idempotency_key"]
    sweeps = [t for t in sequence_mock.state()["transfers"] if t.get("description") == "Surplus"]
    assert [t["id"] for t in sweeps] == [transfer.id]


def test_a_rule_run_that_half_settles_ends_partial(
    sequence_mock: SequenceMock, payday: Payday
) -> None:
    fixtures = sequence_mock.fixtures()
    fixtures["rules"].append(
        {
            "id": "rule_01PAYDAY0001",
            "nickname": "Payday split",
            "description": "Savings, then more of the card than the pod holds",
            "status": "enabled",
            "trigger": {"type": "MANUAL", "account_id": ACCOUNTS.checking},
            "steps": [
                {
                    "conditions": None,
                    "actions": [
                        {
                            "type": "fixed_amount",
                            "source": {"id": ACCOUNTS.checking},
                            "destination": {"id": ACCOUNTS.savings},
                            "amount_in_cents": 10_000,
                        },
                        {
                            "type": "fixed_amount",
                            "source": {"id": ACCOUNTS.bills},
                            "destination": {"id": ACCOUNTS.card},
                            "amount_in_cents": 900_000,
                        },
                    ],
                }
            ],
            "created_at": "2024-04-30T09:00:00Z",
            "updated_at": "2024-04-30T09:00:00Z",
            "deleted_at": None,
        }
    )
    sequence_mock.load(fixtures)
    execution = payday.run_rule("rule_01PAYDAY0001")
    assert payday.execution_status(execution) == "in_progress"
    sequence_mock.clock.advance(1)
    assert payday.execution_status(execution) == "partial"


def test_a_duplicated_webhook_is_acted_on_once(sequence_mock: SequenceMock, payday: Payday) -> None:
    sequence_mock.scenario("transfer.created", webhook="duplicate")
    transfer = payday.sweep_surplus()
    assert transfer is not None
    sequence_mock.flush()
    sent = [d for d in sequence_mock.webhooks if d["body"]["event"] == "transfer.created"]
    assert len(sent) == 2
    assert sent[0]["event_id"] == sent[1]["event_id"]
    assert [e.event for e in payday.events] == ["transfer.created"]


def test_time_moves_a_large_sweep_through_its_approval(
    sequence_mock: SequenceMock, payday: Payday
) -> None:
    fixtures = sequence_mock.fixtures()
    fixtures["approvals"] = [
        {"source": ACCOUNTS.checking, "min_amount": 100_000, "after": 3600, "decision": "approve"}
    ]
    sequence_mock.load(fixtures)
    transfer = payday.sweep_surplus()
    assert transfer is not None
    assert transfer.status == "pending_approval"
    sequence_mock.clock.advance(minutes=59)
    assert payday.transfer_status(transfer.id)[0] == "pending_approval"
    sequence_mock.clock.advance(minutes=1)
    assert payday.transfer_status(transfer.id)[0] == "processing"
    sequence_mock.clock.advance(1)
    assert payday.transfer_status(transfer.id)[0] == "complete"
    assert [e.event for e in payday.events] == [
        "transfer.created",
        "transfer.approval_required",
        "transfer.status_changed",
        "transfer.status_changed",
    ]


def test_a_refused_delivery_is_not_taken(sequence_mock: SequenceMock, payday: Payday) -> None:
    assert payday.receive(b"not json", httpx.Headers()) == 400
    assert payday.events == []
