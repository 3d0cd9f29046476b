"""The ``sequence_mock`` fixture: the admin API's functions from Python, webhooks in-process."""

from __future__ import annotations

import json
import threading
from typing import Any

import httpx
import pytest

from sequence_contract.mock import MockError, SequenceMock

CHECKING, SAVINGS = "acc_01HGHI7890", "acc_01HABC4567"


def _transfer(mock: SequenceMock, amount: int = 1_000, **headers: str) -> httpx.Response:
    body = {"source_account_id": CHECKING, "destination_account_id": SAVINGS}
    return httpx.post(
        f"{mock.base_url}/transfers",
        json={**body, "amount_in_cents": amount},
        headers={"Authorization": "ApiKey demo-all", **headers},
    )


class Received:
    """Collects webhook deliveries (``on_webhook``) and answers each with ``status``."""

    def __init__(self, status: int = 204) -> None:
        self.status = status
        self.items: list[tuple[str, dict[str, Any]]] = []
        self._lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> int:
        with self._lock:
            self.items.append((request.headers["webhook-id"], json.loads(request.content)))
        return self.status

    def events(self) -> list[str]:
        return [body["event"] for _, body in self.items]


def test_urls_and_a_connected_client(sequence_mock: SequenceMock) -> None:
    assert sequence_mock.base_url == f"{sequence_mock.url}/api/v1"
    assert sequence_mock.url.startswith("http://127.0.0.1:")
    with sequence_mock.client() as client:
        assert [a.id for a in client.accounts.list()][:1] == ["acc_01HGHI7890"]
    assert sequence_mock.requests[0]["operation_id"] == "listAccounts"
    assert sequence_mock.requests[0]["api_key"] == "de******"


def test_clock_advance_settles(sequence_mock: SequenceMock) -> None:
    ident = _transfer(sequence_mock).json()["data"]["id"]
    start = sequence_mock.clock.now()
    assert (sequence_mock.clock.advance(minutes=1) - start).total_seconds() == 60
    transfer = next(t for t in sequence_mock.state()["transfers"] if t["id"] == ident)
    assert transfer["status"] == "complete"
    with pytest.raises(MockError, match="only moves forward"):
        sequence_mock.clock.set(start)


def test_scenario_reset_and_load(sequence_mock: SequenceMock) -> None:
    sequence_mock.scenario("createTransfer", status=503, code="service_unavailable")
    assert _transfer(sequence_mock).status_code == 503
    sequence_mock.scenario("createTransfer", times=2, status=500)
    assert sequence_mock.scenarios[0]["times"] == 2
    sequence_mock.reset()
    assert sequence_mock.scenarios == []
    assert sequence_mock.requests == []
    assert _transfer(sequence_mock).status_code == 201
    account = next(a for a in sequence_mock.state()["accounts"] if a["id"] == CHECKING)
    sequence_mock.load({"accounts": [account], "api_keys": []})
    assert [a["id"] for a in sequence_mock.state()["accounts"]] == [CHECKING]
    with pytest.raises(MockError, match=r"accounts\[0\]") as refused:
        sequence_mock.load({"accounts": [{"id": "acc_x"}]})
    assert refused.value.status == 400


def test_bad_scenarios_raise(sequence_mock: SequenceMock) -> None:
    with pytest.raises(MockError, match="operation"):
        sequence_mock.scenario("makeCoffee", status=503)
    with pytest.raises(MockError, match="then"):
        sequence_mock.scenario("createTransfer", fault="error_after_commit", status=404)


def test_events_reach_the_handler(sequence_mock: SequenceMock) -> None:
    received = Received()
    sequence_mock.on_webhook(received)
    _transfer(sequence_mock)
    sequence_mock.clock.advance(1)
    assert received.events() == ["transfer.created", "transfer.status_changed"]


def test_a_duplicated_event_carries_one_webhook_id(sequence_mock: SequenceMock) -> None:
    received = Received()
    sequence_mock.on_webhook(received)
    sequence_mock.scenario("transfer.created", webhook="duplicate")
    _transfer(sequence_mock)
    sequence_mock.flush()
    created = [
        (ident, body) for ident, body in received.items if body["event"] == "transfer.created"
    ]
    assert len(created) == 2
    assert created[0] == created[1]


def test_a_dropped_event_never_arrives(sequence_mock: SequenceMock) -> None:
    received = Received()
    sequence_mock.on_webhook(received)
    sequence_mock.scenario(webhook="drop")  # the next event, whatever it is
    _transfer(sequence_mock)
    sequence_mock.clock.advance(1)
    assert received.events() == ["transfer.status_changed"]


def test_a_held_event_arrives_when_its_scenario_is_removed(sequence_mock: SequenceMock) -> None:
    received = Received()
    sequence_mock.on_webhook(received)
    held = sequence_mock.scenario("transfer.created", webhook="hold")
    _transfer(sequence_mock)
    sequence_mock.clock.advance(1)
    assert received.events() == ["transfer.status_changed"]
    assert sequence_mock.scenarios[0]["held"] == 1
    sequence_mock.remove_scenario(held)
    assert received.events() == ["transfer.status_changed", "transfer.created"]
