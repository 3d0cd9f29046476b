"""The JSON Schema toolkit: pointers, and one date-time rule that every consumer shares."""

from __future__ import annotations

import httpx
import pytest

from sequence_contract.contract._provenance import classify
from sequence_contract.mock._clock import parse_timestamp, timestamp_micros
from sequence_contract.spec import escape, format_checker, lookup, model, parse_date_time, unescape
from tests.fixtures.spec import errors_of

ACCEPTED = [
    "2024-05-01T12:00:00Z",
    "2024-05-01t12:00:00z",  # RFC 3339 5.6: "T" and "Z" may be lower case
    "2024-05-01T12:00:00.123456789+02:00",
    "2024-02-29T23:59:59-00:30",
]
REJECTED = [
    "2024-05-01 12:00:00Z",
    "2024-05-01T12:00:00",  # no offset
    "2023-02-29T00:00:00Z",
    "0000-01-01T00:00:00Z",
    "2024-05-01T24:00:00Z",
    "2024-05-01T12:00:00+2:00",
    "yesterday",
]
TRANSFER_CREATED_AT = "/components/schemas/Transfer/properties/created_at"


def test_pointer_tokens_escape_and_resolve() -> None:
    assert escape("/a~b") == "~1a~0b"
    assert unescape(escape("/a~b/~1")) == "/a~b/~1"
    document = {"paths": {"/x~y": {"get": [{"ok": 1}]}}, "responses": {200: "number key"}}
    assert lookup(document, f"/paths/{escape('/x~y')}/get/0/ok") == 1
    assert lookup(document, "#/responses/200") == "number key"
    with pytest.raises(KeyError):
        lookup(document, "/paths/missing")


@pytest.mark.parametrize("value", ACCEPTED)
def test_every_consumer_accepts_an_rfc3339_date_time(value: str, api: httpx.Client) -> None:
    assert format_checker().conforms(value, "date-time")
    assert parse_timestamp(value).utcoffset() is not None
    assert isinstance(timestamp_micros(value), int)
    assert errors_of(TRANSFER_CREATED_AT, value) == []
    response = api.get("/rule-executions", params={"rule_id": "rule_01HRULE0001", "from": value})
    assert response.status_code == 200, response.text
    assert _provenance_detail(value) == "body: no difference found on re-validation"


@pytest.mark.parametrize("value", REJECTED)
def test_every_consumer_rejects_what_is_not_one(value: str, api: httpx.Client) -> None:
    assert not format_checker().conforms(value, "date-time")
    with pytest.raises(ValueError, match=r"is not an? (RFC 3339 date-time|calendar date)$"):
        parse_date_time(value)
    with pytest.raises(ValueError, match=r"is not an? (RFC 3339 date-time|calendar date)$"):
        parse_timestamp(value)
    assert errors_of(TRANSFER_CREATED_AT, value) == [f"<root>: {value!r} is not a 'date-time'"]
    response = api.get("/rule-executions", params={"rule_id": "rule_01HRULE0001", "from": value})
    assert response.status_code == 400
    assert f"`from`: {value!r} is not a 'date-time'" in response.json()["error"]["message"]
    assert _provenance_detail(value) == f"body/data/created_at: {value!r} is not a 'date-time'"


def _provenance_detail(created_at: str) -> str:
    """What the contract's provenance classifier says of a getTransfer body with this time."""
    body = {
        "request_id": "req_1",
        "data": {
            "id": "txr_1", "amount_in_cents": 100, "direction": "internal", "origin": "user",
            "status": "complete", "source": None, "destination": None, "created_at": created_at,
        },
    }  # fmt: skip
    spec = model()
    (verdict,) = classify(
        spec, spec.by_id["getTransfer"], "response_schema_conformance", status=200, body=body
    )
    return verdict.detail
