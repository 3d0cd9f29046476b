"""``sequence_contract.webhooks``: events are checked against the spec's webhooks, unknown names
are kept, bad deliveries name their field, and ``confirm`` trusts an event only via getTransfer."""

from __future__ import annotations

import inspect
import json
from typing import Any

import pytest
from sequence_api_client.api.transfers import create_transfer
from sequence_api_client.models import CreateTransferInput, Transfer

from sequence_contract import NotFoundError, SequenceClient, acall, call, webhooks
from sequence_contract.spec import lookup, model, resolve
from sequence_contract.webhooks import (
    DELIVERY_ID_HEADER,
    EventMismatch,
    InvalidEvent,
    WebhookEvent,
    aconfirm,
    confirm,
    event_name,
    known_events,
    parse_event,
)


def _examples() -> list[tuple[str, dict[str, Any]]]:
    """(webhook key, each example body the spec gives it)."""
    spec = model()
    found = []
    for webhook in spec.webhooks:
        assert webhook.body is not None
        media = lookup(spec.document, f"{webhook.pointer}/requestBody/content/application~1json")
        for example in media["examples"].values():
            found.append((webhook.path, resolve(spec.document, example["$ref"][1:])[1]["value"]))
    return found


def _event(name: str = "transfer.created", **data: object) -> dict[str, Any]:
    return {
        "event": name,
        "created_at": "2024-05-01T12:00:00Z",
        "data": data or {"transfer_id": "txr_01HABC1111", "status": "processing"},
    }


def test_the_module_exports_what_it_defines_and_the_names_it_shares_with_the_mock() -> None:
    defined = {
        name
        for name, value in vars(webhooks).items()
        if not name.startswith("_")
        and (inspect.isclass(value) or inspect.isfunction(value) or name.isupper())
        and getattr(value, "__module__", webhooks.__name__) == webhooks.__name__
    }
    shared = {"DELIVERY_ID_HEADER", "event_name", "known_events"}  # from _events (no client)
    assert defined | shared == set(webhooks.__all__)


def test_event_names_follow_the_documented_format_and_the_spec_lists_them() -> None:
    names = {event_name(op) for op in model().webhooks}
    assert names == {"transfer.created", "transfer.approval_required", "transfer.status_changed"}
    pointer = "/components/schemas/WebhookEvent/properties/event/x-known-values"
    assert set(lookup(model().document, pointer)) == names == known_events()


@pytest.mark.parametrize(("webhook", "body"), _examples())
def test_every_documented_example_parses_as_its_webhooks_event(
    webhook: str, body: dict[str, Any]
) -> None:
    event = parse_event(json.dumps(body).encode(), {"WEBHOOK-ID": "evt_1"})
    assert isinstance(event, WebhookEvent)
    op = next(op for op in model().webhooks if op.path == webhook)
    assert event.event == event_name(op)
    assert event.known
    assert event.delivery_id == "evt_1"
    assert event.transfer_id == body["data"]["transfer_id"]
    assert event.status == body["data"]["status"]
    assert event.to_dict()["data"] == body["data"]
    assert event.created_at.isoformat() == body["created_at"].replace("Z", "+00:00")


def test_an_unknown_event_is_kept_with_everything_it_carries() -> None:
    body = _event("transfer.refunded", transfer_id="txr_9", refund_id="ref_1")
    body["region"] = "eu"
    event = parse_event(json.dumps(body))
    assert event.event == "transfer.refunded"
    assert not event.known
    assert event.delivery_id is None
    assert event.data.additional_properties == {"refund_id": "ref_1"}
    assert event.additional_properties == {"region": "eu"}
    assert event.status is None


def test_every_header_of_the_spec_is_the_delivery_id() -> None:
    for webhook in model().webhooks:
        headers = [p.name for p in webhook.parameters if p.location == "header"]
        assert headers == [DELIVERY_ID_HEADER]
    assert (
        parse_event(json.dumps(_event()), {"content-type": "application/json"}).delivery_id is None
    )


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (b"{", "body", "not JSON: Expecting property name"),
        (b"\xff\xfe\x00", "body", "not JSON"),
        (b'{"event": NaN}', "body", "not JSON: NaN is not JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "body", "JSON nested too deeply"),
        (b"[]", "body", "must be a JSON object, got list"),
        (json.dumps({"event": "transfer.created"}).encode(), "body", "is a required property"),
        (json.dumps(_event("Transfer.Created")).encode(), "body.event", "does not match"),
        (json.dumps({**_event(), "created_at": "2024-13-01"}).encode(), "body.created_at", ""),
        (json.dumps(_event(transfer_id=5)).encode(), "body.data.transfer_id", "not of type"),
        (json.dumps(_event(transfer_id="acc_1")).encode(), "body.data.transfer_id", "match"),
        (json.dumps({**_event(), "data": []}).encode(), "body.data", "not of type 'object'"),
    ],
)
def test_a_bad_delivery_names_the_field(body: bytes, field: str, message: str) -> None:
    with pytest.raises(InvalidEvent) as raised:
        parse_event(body)
    assert raised.value.field == field
    assert str(raised.value).startswith(f"{field}: ")
    assert message in str(raised.value)


@pytest.mark.parametrize("value", ["", "evt 1", "é" * 3, "x" * 129])
def test_a_malformed_delivery_id_is_refused(value: str) -> None:
    with pytest.raises(InvalidEvent) as raised:
        parse_event(json.dumps(_event()), {DELIVERY_ID_HEADER: value})
    assert raised.value.field == f"header {DELIVERY_ID_HEADER}"


def _transfer(client: SequenceClient) -> Transfer:
    body = CreateTransferInput("acc_01HGHI7890", "acc_01HABC4567", amount_in_cents=2500)
    return call(create_transfer.sync_detailed, client=client, body=body)


def _about(transfer_id: str, status: str, name: str = "transfer.status_changed") -> WebhookEvent:
    return parse_event(json.dumps(_event(name, transfer_id=transfer_id, status=status)))


def test_confirm_returns_the_transfer_getTransfer_reads(embedded_client: SequenceClient) -> None:
    made = _transfer(embedded_client)
    confirmed = confirm(_about(made.id, "processing", "transfer.created"), embedded_client)
    assert confirmed.to_dict() == made.to_dict()


def test_confirm_refuses_an_event_the_transfer_contradicts(
    embedded_client: SequenceClient,
) -> None:
    made = _transfer(embedded_client)  # processing, and stays so: the clock does not move
    event = _about(made.id, "complete")
    with pytest.raises(EventMismatch) as raised:
        confirm(event, embedded_client)
    assert str(raised.value) == (
        f"transfer.status_changed says transfer {made.id} is 'complete', a final status, "
        "but getTransfer answers 'processing'"
    )
    assert raised.value.event is event
    assert raised.value.transfer.id == made.id
    # A status the transfer may still leave is no contradiction.
    assert confirm(_about(made.id, "pending_approval"), embedded_client).id == made.id


def test_confirm_needs_a_transfer_that_exists(embedded_client: SequenceClient) -> None:
    with pytest.raises(NotFoundError) as missing:
        confirm(_about("txr_01HNOTHERE0", "processing"), embedded_client)
    assert missing.value.code == "transfer_not_found"
    nameless = parse_event(json.dumps(_event("transfer.refunded", refund_id="ref_1")))
    with pytest.raises(InvalidEvent, match=r"^body\.data\.transfer_id: 'transfer\.refunded'"):
        confirm(nameless, embedded_client)


@pytest.mark.anyio
async def test_aconfirm_reads_the_transfer_too(embedded_async_client: SequenceClient) -> None:
    body = CreateTransferInput("acc_01HGHI7890", "acc_01HABC4567", amount_in_cents=2500)
    made = await acall(create_transfer.asyncio_detailed, client=embedded_async_client, body=body)
    confirmed = await aconfirm(_about(made.id, "processing"), embedded_async_client)
    assert confirmed.id == made.id
    with pytest.raises(EventMismatch):
        await aconfirm(_about(made.id, "error"), embedded_async_client)
