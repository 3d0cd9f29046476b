"""The collecting webhook receiver of the pytest plugin: it records every delivery, dedupes by
delivery id, goes down and comes back on the same port, and can front a receiver under test."""

from __future__ import annotations

import json

import httpx
import pytest

from sequence_contract.testing.pytest_plugin import MakeReceiver
from sequence_contract.webhooks import DELIVERY_ID_HEADER
from tests.fixtures.receivers import buggy_receiver

EVENT = {
    "event": "transfer.created",
    "created_at": "2024-05-01T12:00:00Z",
    "data": {"transfer_id": "txr_1", "status": "processing"},
}


def _post(url: str, body: object, delivery_id: str) -> int:
    headers = {DELIVERY_ID_HEADER: delivery_id}
    return httpx.post(url, content=json.dumps(body), headers=headers, trust_env=False).status_code


def test_it_keeps_every_delivery_and_acknowledges_each_event_once(
    webhook_receiver: MakeReceiver,
) -> None:
    hooks = webhook_receiver()
    assert _post(hooks.url, EVENT, "evt_1") == 204
    assert _post(hooks.url, EVENT, "evt_1") == 204  # a retry
    assert _post(hooks.url, {"event": "transfer.created"}, "evt_2") == 400
    changed = {**EVENT, "event": "transfer.status_changed"}
    assert _post(hooks.url, changed, "evt_3") == 204
    events = hooks.wait_for(2, timeout=1)
    assert [(e.delivery_id, e.event) for e in events] == [
        ("evt_1", "transfer.created"),
        ("evt_3", "transfer.status_changed"),
    ]
    assert [(r.delivery_id, r.status) for r in hooks.received] == [
        ("evt_1", 204),
        ("evt_1", 204),
        ("evt_2", 400),
        ("evt_3", 204),
    ]
    assert hooks.received[2].error == "body: 'created_at' is a required property"
    with pytest.raises(TimeoutError, match=r"^2 of 3 webhook events arrived within 0.05 s"):
        hooks.wait_for(3, timeout=0.05)


def test_it_goes_down_and_comes_back_on_the_same_url(webhook_receiver: MakeReceiver) -> None:
    hooks = webhook_receiver()
    url = hooks.url
    hooks.stop()
    with pytest.raises(httpx.ConnectError):
        _post(url, EVENT, "evt_1")
    hooks.start()
    assert hooks.url == url
    assert _post(url, EVENT, "evt_1") == 204
    assert len(hooks.events()) == 1


def test_it_records_what_a_receiver_under_test_answered(webhook_receiver: MakeReceiver) -> None:
    hooks = webhook_receiver(buggy_receiver())
    assert _post(hooks.url, EVENT, "evt_1") == 204
    assert _post(hooks.url, EVENT, "evt_1") == 500  # the bug: a retry is refused
    unknown = {**EVENT, "event": "transfer.refunded"}
    assert _post(hooks.url, unknown, "evt_2") == 500
    assert [r.status for r in hooks.received] == [204, 500, 500]
    assert [e.delivery_id for e in hooks.events()] == ["evt_1"]
