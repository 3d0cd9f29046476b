"""``Conformance.check``: one record per way an answer breaks or goes beyond openapi.yaml."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from sequence_contract.conformance import INFO, VIOLATION, Violation, conformance
from sequence_contract.conformance._schemas import PATTERNS
from sequence_contract.mock import create_app
from sequence_contract.spec import format_checker, model
from sequence_contract.testing import SyncASGITransport

Json = Any
ACCOUNT = "acc_01HGHI7890"


@pytest.fixture(scope="module")
def answers() -> dict[str, httpx.Response]:
    """Real answers of the mock, to change one thing at a time."""
    transport = SyncASGITransport(create_app())
    auth = {"Authorization": "ApiKey demo-all"}
    with httpx.Client(transport=transport, base_url="http://m/api/v1", headers=auth) as client:
        return {
            "getAccount": client.get(f"/accounts/{ACCOUNT}"),
            "listTransfers": client.get("/transfers", params={"account_id": ACCOUNT}),
            "getAccount404": client.get("/accounts/acc_0NOPE"),
            "listRules": client.get("/rules"),
        }


Check = Callable[..., list[Violation]]


@pytest.fixture
def check(answers: dict[str, httpx.Response]) -> Check:
    spec = model()

    def run(
        name: str,
        change: Callable[[Json], None] | None = None,
        *,
        status: int | None = None,
        headers: dict[str, str] | None = None,
        content: bytes | None = None,
        secret: str | None = None,
    ) -> list[Violation]:
        answer = answers[name]
        body = copy.deepcopy(answer.json())
        if change is not None:
            change(body)
        operation = spec.by_id[name.removesuffix("404")]
        return conformance().check(
            operation,
            status or answer.status_code,
            headers if headers is not None else dict(answer.headers),
            content if content is not None else json.dumps(body).encode(),
            secret=secret,
        )

    return run


def only(records: list[Violation]) -> Violation:
    assert len(records) == 1, [r.line() for r in records]
    return records[0]


def test_answers_of_the_mock_break_nothing(check: Check) -> None:
    for name in ("getAccount", "listTransfers", "getAccount404", "listRules"):
        assert check(name) == []


def test_a_missing_doc_field_is_a_doc_violation_with_both_pointers(check: Check) -> None:
    record = only(check("getAccount", lambda body: body["data"].pop("can_be_source")))
    assert (record.check, record.kind, record.severity, record.provenance) == (
        "schema",
        "required",
        VIOLATION,
        "doc",
    )
    assert record.pointer == "/data/can_be_source"
    assert record.schema_pointer == "/components/schemas/AccountCore/properties/can_be_source"
    assert (record.expected, record.found) == ("required field 'can_be_source'", "absent")
    assert record.operation == "getAccount"
    assert record.status == 200
    assert record.request_id is not None
    assert record.request_id.startswith("req_")


def test_a_wrong_type_inside_a_nullable_filled_object_names_the_field(check: Check) -> None:
    def change(body: Json) -> None:
        body["data"]["balance"] = {"balance_in_cents": "12"}

    record = only(check("getAccount", change))
    assert (record.kind, record.provenance, record.pointer) == (
        "type",
        "filled",
        "/data/balance/balance_in_cents",
    )
    assert record.schema_pointer == "/components/schemas/Balance/properties/balance_in_cents"
    assert record.expected == 'type ["integer", "null"]'
    assert record.found == '"12"'


def test_undocumented_fields_and_open_enum_values_are_info(
    check: Check, answers: dict[str, httpx.Response]
) -> None:
    def change(body: Json) -> None:
        body["data"][0]["error_code"] = "brand_new"
        body["data"][party]["source"]["nickname"] = "x"

    transfers = answers["listTransfers"].json()["data"]
    party = next(i for i, transfer in enumerate(transfers) if transfer["source"])
    records = {r.kind: r for r in check("listTransfers", change)}
    assert set(records) == {"undocumented-value", "undocumented-field"}
    value, field = records["undocumented-value"], records["undocumented-field"]
    assert (value.severity, value.provenance, value.pointer) == (
        INFO,
        "filled",
        "/data/0/error_code",
    )
    assert value.found == '"brand_new"'
    assert (field.severity, field.pointer) == (INFO, f"/data/{party}/source/nickname")
    # listTransfers' envelope is a choice of ours, but no marker passes through a $ref: a
    # transfer's party in a list page is the documented TransferParty
    assert field.provenance == "doc"


def test_an_undocumented_success_status_is_a_violation_an_error_one_info(check: Check) -> None:
    success = only(check("getAccount", status=299))
    assert (success.check, success.kind, success.severity) == (
        "status",
        "undocumented-status",
        VIOLATION,
    )
    assert success.schema_pointer == "/paths/~1accounts~1{id}/get/responses"
    assert success.found == "299"
    assert success.pointer is None
    error = only(check("getAccount404", status=418))
    assert (error.kind, error.severity) == ("undocumented-status", INFO)


def test_content_type_header_and_body_shape_are_checked(
    check: Check, answers: dict[str, httpx.Response]
) -> None:
    headers = {k: v for k, v in answers["getAccount"].headers.items() if k != "x-request-id"}
    record = only(check("getAccount", headers=headers))
    assert (record.check, record.kind, record.schema_pointer) == (
        "headers",
        "missing-header",
        "/components/headers/XRequestId",
    )
    plain = {**answers["getAccount"].headers, "content-type": "text/plain"}
    records = check("getAccount", headers=plain, content=b"not json")
    assert [(r.check, r.kind) for r in records] == [
        ("content-type", "content-type"),
        ("schema", "not-json"),
    ]
    assert records[1].found == '"not json"'
    assert only(check("getAccount", content=b"")).found == "an empty body"


def test_the_error_envelope_is_checked(check: Check) -> None:
    record = only(check("getAccount404", lambda body: body["error"].pop("message")))
    assert (record.kind, record.pointer) == ("required", "/error/message")
    assert record.schema_pointer == "/components/schemas/ErrorDetail/properties/message"


def test_values_are_shortened_and_the_key_never_shown(check: Check) -> None:
    secret = "sk_live_very_secret_key"  # noqa: S105 - a made-up key

    def change(body: Json) -> None:
        body["data"]["name"] = ["echo " + secret + " " + "x" * 200]

    record = only(check("getAccount", change, secret=secret))
    assert secret not in record.line()
    assert "[redacted]" in record.found
    assert len(record.found) <= 60


@pytest.mark.parametrize(
    "value",
    [
        "2024-04-23T09:15:00Z",
        "2024-04-23t09:15:00z",
        "2024-04-23T09:15:00.123+01:00",
        "2024-02-29T00:00:00Z",
        "2023-02-29T00:00:00Z",
        "2016-12-31T23:59:60Z",
        "0000-01-01T00:00:00Z",
        "2024-04-23 09:15:00Z",
        "2024-04-23T24:00:00Z",
        "2024-04-23T09:15:00",
    ],
)
def test_the_fast_path_keeps_the_one_date_time_rule(check: Check, value: str) -> None:
    def change(body: Json) -> None:
        body["data"][0]["created_at"] = value

    records = check("listTransfers", change)
    assert (records == []) == format_checker().conforms(value, "date-time")
    if records:
        assert only(records).kind == "format"
        assert only(records).expected == "format date-time (RFC 3339)"
    assert "(?!" not in PATTERNS["date-time"]  # no look-ahead: the fast regex engine
