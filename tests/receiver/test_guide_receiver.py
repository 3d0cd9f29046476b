"""The receiver of the guide "Receiving webhooks" runs as written: it acknowledges, dedupes,
refuses malformed deliveries, and ``work()`` confirms each event against the mock."""

from __future__ import annotations

import json

import httpx
import pytest
from sequence_api_client.api.transfers import create_transfer
from sequence_api_client.models import CreateTransferInput

from sequence_contract import call, connect
from sequence_contract.mock import create_app
from sequence_contract.testing import SyncASGITransport
from sequence_contract.webhooks import DELIVERY_ID_HEADER
from tests.fixtures.receivers import guide_receiver


def _post(client: httpx.Client, body: object, delivery_id: str | None = None) -> httpx.Response:
    headers = {} if delivery_id is None else {DELIVERY_ID_HEADER: delivery_id}
    return client.post("/webhooks", content=json.dumps(body), headers=headers)


def test_the_guide_receiver_acknowledges_dedupes_and_confirms(
    capsys: pytest.CaptureFixture[str],
) -> None:
    receiver = guide_receiver()
    mock = SyncASGITransport(create_app())
    with (
        connect("demo-all", base_url="http://mock.test/api/v1", transport=mock) as api,
        httpx.Client(transport=SyncASGITransport(receiver["app"]), base_url="http://r") as hook,
    ):
        body = CreateTransferInput("acc_01HGHI7890", "acc_01HABC4567", amount_in_cents=2500)
        transfer = call(create_transfer.sync_detailed, client=api, body=body)
        event = {
            "event": "transfer.created",
            "created_at": "2024-05-01T12:00:00Z",
            "data": {"transfer_id": transfer.id, "status": "processing"},
        }
        assert _post(hook, event, "evt_1").status_code == 204
        assert _post(hook, event, "evt_1").status_code == 200  # a retry: acknowledged again
        unknown = {**event, "event": "transfer.refunded"}
        assert _post(hook, unknown, "evt_2").status_code == 204
        refused = _post(hook, {**event, "data": {"transfer_id": 5}}, "evt_3")
        assert refused.status_code == 400
        assert refused.text.startswith("body.data.transfer_id: 5 is not of type 'string'")
        assert _post(hook, event, "").status_code == 400  # an empty Webhook-Id is malformed

        assert [e.delivery_id for e in receiver["inbox"]] == ["evt_1", "evt_2"]
        assert receiver["seen"] == {"evt_1", "evt_2"}
        receiver["work"](api)
    assert receiver["inbox"] == []
    assert capsys.readouterr().out.splitlines() == [f"transfer.created {transfer.id} processing"]
