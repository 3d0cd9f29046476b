"""Divergence fingerprints: each entry of the table, with an answer it must name and one it must
not; a matching answer is one line with the likely cause, never fifty schema errors."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sequence_contract.conformance import FINGERPRINTS, Fingerprint, conformance
from sequence_contract.conformance._fingerprints import Observed, fingerprint
from sequence_contract.spec import model

Json = Any


def seen(
    body: Json = None,
    *,
    status: int = 200,
    path: str = "/api/v1/accounts",
    headers: dict[str, str] | None = None,
    scheme: str | None = "ApiKey",
) -> Observed:
    text = json.dumps(body) if body is not None else ""
    return Observed(
        path, status, headers or {"content-type": "application/json"}, body, text, scheme
    )


PLATFORM_LIST = {
    "data": {"items": [{"id": "5f1c", "amountInCents": 100}], "pagination": {"page": 1}},
    "requestId": "4d2e",
}
DOCUMENTED = {"request_id": "req_1", "data": [{"id": "acc_1"}]}
UNAUTHORIZED = {"error": {"code": "unauthorized", "message": "Invalid API key"}}

#: name -> (an answer it names, a close one it does not)
EXAMPLES: dict[str, tuple[Observed, Observed]] = {
    "platform-v1-path": (
        seen(DOCUMENTED, path="/platform/v1/accounts"),
        seen(DOCUMENTED, path="/api/v1/platform-notes"),
    ),
    "platform-v1-envelope": (
        seen(PLATFORM_LIST),
        seen({"request_id": "req_1", "data": {"items": [], "page_info": {}}}),
    ),
    "bearer-auth": (
        seen(UNAUTHORIZED, status=401, headers={"www-authenticate": 'Bearer realm="api"'}),
        seen(
            UNAUTHORIZED,
            status=401,
            headers={"www-authenticate": 'Bearer realm="api"'},
            scheme="Bearer",
        ),
    ),
    "upper-case-error-code": (
        seen({"error": {"code": "ACCESS_DENIED", "message": "no"}}, status=403),
        seen({"error": {"code": "forbidden", "message": "no"}}, status=403),
    ),
    "html-page": (
        seen(None, status=200, headers={"content-type": "text/html; charset=utf-8"}),
        seen(None, status=200, headers={"content-type": "application/json"}),
    ),
}


def test_every_entry_has_a_reason_and_examples() -> None:
    assert {entry.name for entry in FINGERPRINTS} == set(EXAMPLES)
    for entry in FINGERPRINTS:
        assert entry.reason
        assert entry.expected
        assert entry.found


@pytest.mark.parametrize("entry", FINGERPRINTS, ids=lambda entry: entry.name)
def test_an_entry_names_its_shape_and_only_it(entry: Fingerprint) -> None:
    named, other = EXAMPLES[entry.name]
    assert fingerprint(named) is entry
    assert not entry.matches(other)


def test_a_platform_answer_is_one_record_not_fifty_schema_errors() -> None:
    operation = model().by_id["listTransfers"]
    headers = {"content-type": "application/json", "x-request-id": "4d2e"}
    records = conformance().check(operation, 200, headers, json.dumps(PLATFORM_LIST).encode())
    assert len(records) == 1
    record = records[0]
    assert (record.check, record.kind, record.severity, record.provenance) == (
        "fingerprint",
        "platform-v1-envelope",
        "violation",
        "doc",
    )
    assert "Platform v1" in record.note
    assert record.schema_pointer == operation.responses[200].schema_pointer


def test_a_bearer_challenge_to_an_api_key_names_the_scheme() -> None:
    operation = model().by_id["listAccounts"]
    headers = {"content-type": "application/json", "www-authenticate": "Bearer"}
    records = conformance().check(
        operation,
        401,
        headers,
        json.dumps(UNAUTHORIZED).encode(),
        request_headers={"Authorization": "ApiKey sk_live_123456"},
    )
    assert [(r.kind, r.schema_pointer) for r in records] == [
        ("bearer-auth", "/components/securitySchemes/ApiKeyAuth")
    ]
    assert "Bearer" in records[0].note
    assert "sk_live_123456" not in records[0].line()
