"""The hooks drop a positive_data_acceptance failure only when the run proves the 400 right."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any, cast

import pytest
from schemathesis import Case, HookContext, Response
from schemathesis.core import NOT_SET
from schemathesis.core.failures import Failure
from schemathesis.hooks import GLOBAL_HOOK_DISPATCHER

from sequence_contract.contract import hooks
from sequence_contract.contract._plan import FRESH_KEYS_ENV

Json = Any

CONTEXT = cast(HookContext, None)
POSITIVE = cast(Failure, SimpleNamespace(code="ST202"))
OTHER = cast(Failure, SimpleNamespace(code="ST108"))


@pytest.fixture(autouse=True)
def fresh_hooks() -> Iterator[None]:
    hooks.reset()
    yield
    hooks.reset()
    for name in ("after_call", "filter_failure", "map_headers"):
        GLOBAL_HOOK_DISPATCHER.unregister(getattr(hooks, name))


def case(
    method: str = "POST", path: str = "/transfers", body: object = NOT_SET, **parts: Json
) -> Case[Any]:
    label = f"{method} {path}"
    return cast(
        Case[Any],
        SimpleNamespace(
            operation=SimpleNamespace(label=label),
            method=method,
            path=path,
            path_parameters=parts.get("path_parameters", {}),
            query=parts.get("query", {}),
            headers=parts.get("headers", {}),
            body=body,
        ),
    )


def response(
    status: int, payload: Json, url: str, body: bytes | None = None, **headers: str
) -> Response:
    request = SimpleNamespace(url=url, body=body, headers={"Authorization": "ApiKey k", **headers})
    content = json.dumps(payload).encode()
    return cast(Response, SimpleNamespace(status_code=status, content=content, request=request))


TRANSFER = {"source_account_id": "acc_1", "destination_account_id": "acc_2", "amount_in_cents": 100}
MISMATCH = {"error": {"code": "idempotency_key_mismatch", "message": "m"}}


def send(
    status: int, payload: Json, url: str, body: bytes | None = None, **headers: str
) -> Response:
    """A response the run received (after_call saw it), returned for filter_failure."""
    answer = response(status, payload, url, body, **headers)
    hooks.after_call(CONTEXT, case(), answer)
    return answer


def test_a_key_reused_with_another_body_explains_the_400() -> None:
    url = "http://mock/api/v1/transfers"
    send(201, {"data": {}}, url, b'{"amount_in_cents": 100}', **{"Idempotency-Key": "0"})
    second = send(400, MISMATCH, url, b'{"amount_in_cents": 200}', **{"Idempotency-Key": "0"})
    assert hooks.filter_failure(CONTEXT, POSITIVE, case(body=TRANSFER), second) is False
    assert hooks.filter_failure(CONTEXT, OTHER, case(body=TRANSFER), second) is True


def test_a_mismatch_the_run_cannot_explain_stays_a_failure() -> None:
    url = "http://mock/api/v1/transfers"
    lone = send(400, MISMATCH, url, b"{}", **{"Idempotency-Key": "0"})
    assert hooks.filter_failure(CONTEXT, POSITIVE, case(body=TRANSFER), lone) is True
    send(201, {"data": {}}, url, b"{}", **{"Idempotency-Key": "1"})  # another key
    assert hooks.filter_failure(CONTEXT, POSITIVE, case(body=TRANSFER), lone) is True


def test_only_cursors_the_server_never_issued_explain_a_400() -> None:
    listing = case("GET", "/transfers", query={"account_id": "acc_1"})
    send(
        200, {"data": [], "page_info": {"has_next_page": True, "end_cursor": "cur_1"}}, "http://m/t"
    )
    bad = {"error": {"code": "bad_request", "message": "Invalid cursor"}}
    made_up = response(400, bad, "http://m/transfers?account_id=acc_1&after=zzz")
    assert hooks.filter_failure(CONTEXT, POSITIVE, listing, made_up) is False
    issued = response(400, bad, "http://m/transfers?account_id=acc_1&after=cur_1")
    assert hooks.filter_failure(CONTEXT, POSITIVE, listing, issued) is True
    no_cursor = response(400, bad, "http://m/transfers?account_id=acc_1")
    assert hooks.filter_failure(CONTEXT, POSITIVE, listing, no_cursor) is True


def test_a_request_that_breaks_the_schema_was_never_positive() -> None:
    bad = {"error": {"code": "bad_request", "message": "Invalid path parameter"}}
    answer = response(400, bad, "http://m/rules/None")
    null_id = case("DELETE", "/rules/{id}", path_parameters={"id": None})
    assert hooks.filter_failure(CONTEXT, POSITIVE, null_id, answer) is False
    valid_id = case("DELETE", "/rules/{id}", path_parameters={"id": "rule_1"})
    assert hooks.filter_failure(CONTEXT, POSITIVE, valid_id, answer) is True


def test_other_statuses_are_never_dropped() -> None:
    answer = response(422, MISMATCH, "http://m/transfers")
    assert hooks.filter_failure(CONTEXT, POSITIVE, case(body=TRANSFER), answer) is True


def test_framing_headers_are_never_generated() -> None:
    generated = {"X-Request-ID": "r", "Transfer-Encoding": "^;", "content-length": "9", "A": "b"}
    assert hooks.map_headers(CONTEXT, generated) == {"X-Request-ID": "r", "A": "b"}
    assert hooks.map_headers(CONTEXT, None) is None


def test_a_real_server_run_gets_a_fresh_key_for_every_write(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    generated = {"Idempotency-Key": "0", "X-Request-ID": "r"}
    assert hooks.map_headers(CONTEXT, generated) == generated  # the mock: keys as generated
    monkeypatch.setenv(FRESH_KEYS_ENV, "1")
    first, second = (hooks.map_headers(CONTEXT, generated) for _ in range(2))
    assert first is not None
    assert second is not None
    assert first["X-Request-ID"] == "r"
    assert len({first["Idempotency-Key"], second["Idempotency-Key"], "0"}) == 3
    assert str(uuid.UUID(first["Idempotency-Key"])) == first["Idempotency-Key"]


@pytest.mark.parametrize("key", ["", "x" * 37, "key with spaces", "ключ"])
def test_a_key_the_spec_rejects_stays_so_the_negative_case_stays_negative(
    monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    monkeypatch.setenv(FRESH_KEYS_ENV, "1")
    generated = {"Idempotency-Key": key}
    assert hooks.map_headers(CONTEXT, generated) == generated
