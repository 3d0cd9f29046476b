"""The hooks drop a positive_data_acceptance failure only when the run proves the 400 right."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
from schemathesis import Case, HookContext, Response
from schemathesis.core import NOT_SET
from schemathesis.core.failures import Failure
from schemathesis.hooks import GLOBAL_HOOK_DISPATCHER

from sequence_contract.contract import hooks
from sequence_contract.contract._plan import FRESH_KEYS_ENV
from sequence_contract.contract._wire import ANSWERED_ENV

Json = Any

CONTEXT = cast(HookContext, None)
POSITIVE = cast(Failure, SimpleNamespace(code="ST202"))
OTHER = cast(Failure, SimpleNamespace(code="ST108"))


@pytest.fixture(autouse=True)
def fresh_hooks() -> Iterator[None]:
    hooks.reset()
    yield
    hooks.reset()
    for name in ("after_call", "before_call", "filter_failure", "map_headers"):
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


def send(
    status: int, payload: Json, url: str, body: bytes | None = None, **headers: str
) -> Response:
    """A response the run received (after_call saw it), returned for filter_failure."""
    answer = response(status, payload, url, body, **headers)
    hooks.after_call(CONTEXT, case(), answer)
    return answer


def test_only_cursors_the_server_never_issued_explain_a_400() -> None:
    listing = case("GET", "/transfers", query={"account_id": "acc_1"})
    send(
        200, {"data": [], "page_info": {"has_next_page": True, "end_cursor": "cur_1"}}, "http://m/t"
    )
    bad = {"error": {"code": "bad_request", "message": "Invalid cursor in `after`"}}
    made_up = response(400, bad, "http://m/transfers?account_id=acc_1&after=zzz")
    assert hooks.filter_failure(CONTEXT, POSITIVE, listing, made_up) is False
    issued = response(400, bad, "http://m/transfers?account_id=acc_1&after=cur_1")
    assert hooks.filter_failure(CONTEXT, POSITIVE, listing, issued) is True
    no_cursor = response(400, bad, "http://m/transfers?account_id=acc_1")
    assert hooks.filter_failure(CONTEXT, POSITIVE, listing, no_cursor) is True


def test_a_400_about_another_parameter_beside_an_unissued_cursor_is_kept() -> None:
    """The drift that hid here: first=100 (documented) refused, sent with a made-up cursor."""
    listing = case("GET", "/transfers", query={"first": 100, "after": "cursor_0"})
    refused = {"error": {"code": "bad_request", "message": "first: must be at most 50"}}
    answer = response(400, refused, "http://m/transfers?first=100&after=cursor_0")
    assert hooks.filter_failure(CONTEXT, POSITIVE, listing, answer) is True
    vague = {"error": {"code": "bad_request", "message": "Invalid request"}}
    unproved = response(400, vague, "http://m/transfers?first=100&after=cursor_0")
    assert hooks.filter_failure(CONTEXT, POSITIVE, listing, unproved) is True
    about_after = {"error": {"code": "bad_request", "message": "after: unknown cursor"}}
    proved = response(400, about_after, "http://m/transfers?first=100&after=cursor_0")
    assert hooks.filter_failure(CONTEXT, POSITIVE, listing, proved) is False


def test_failures_on_the_guards_own_answers_are_dropped(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    over = {"error": {"code": "request_budget_spent", "message": "spent"}}
    marked = response(429, over, "http://g/transfers")
    cast(Any, marked).headers = {"x-contract-guard": ["over budget"]}
    assert hooks.filter_failure(CONTEXT, OTHER, case("GET", "/transfers"), marked) is False
    # A check's own probe (ignored_auth): the hook sees the case's answer, the guard lists the id
    probe = cast(Failure, SimpleNamespace(code="ST401", case_id="probe-1"))
    plain = response(200, {"data": []}, "http://g/transfers")
    assert hooks.filter_failure(CONTEXT, probe, case("GET", "/transfers"), plain) is True
    listed = tmp_path / "answered.txt"
    listed.write_text("probe-1\n", encoding="utf-8")
    monkeypatch.setenv(ANSWERED_ENV, str(listed))
    assert hooks.filter_failure(CONTEXT, probe, case("GET", "/transfers"), plain) is False
    other = cast(Failure, SimpleNamespace(code="ST401", case_id="probe-2"))
    assert hooks.filter_failure(CONTEXT, other, case("GET", "/transfers"), plain) is True


def test_a_400_for_a_null_link_value_is_the_right_answer() -> None:
    bad = {"error": {"code": "bad_request", "message": "Invalid path parameter"}}
    answer = response(400, bad, "http://m/rules/None")
    null_id = case("DELETE", "/rules/{id}", path_parameters={"id": None})
    assert hooks.filter_failure(CONTEXT, POSITIVE, null_id, answer) is False
    valid_id = case("DELETE", "/rules/{id}", path_parameters={"id": "rule_1"})
    assert hooks.filter_failure(CONTEXT, POSITIVE, valid_id, answer) is True


def test_other_statuses_are_never_dropped() -> None:
    answer = response(
        422, {"error": {"code": "invalid_rule", "message": "m"}}, "http://m/transfers"
    )
    assert hooks.filter_failure(CONTEXT, POSITIVE, case(body=TRANSFER), answer) is True


def test_framing_headers_are_never_generated() -> None:
    generated = {"X-Request-ID": "r", "Transfer-Encoding": "^;", "content-length": "9", "A": "b"}
    assert hooks.map_headers(CONTEXT, generated) == {"X-Request-ID": "r", "A": "b"}
    assert hooks.map_headers(CONTEXT, None) is None


def _keyed(key: str, body: object = TRANSFER, **headers: str) -> Case[Any]:
    return case(body=body, headers={"Idempotency-Key": key, **headers})


def _sent_key(sent: Case[Any]) -> str:
    hooks.before_call(CONTEXT, sent, {})
    return str(sent.headers["Idempotency-Key"])


def test_each_distinct_request_gets_its_own_key_and_a_repeat_keeps_it() -> None:
    first = _sent_key(_keyed("0"))
    assert str(uuid.UUID(first)) == first
    assert _sent_key(_keyed("0", X_Request_ID="other")) == first, "a repeat is a replay"
    assert _sent_key(_keyed("0", {**TRANSFER, "amount_in_cents": 101})) != first
    assert _sent_key(_keyed("1")) != first
    assert hooks._key_schema().is_valid(first)


def test_a_real_server_run_salts_the_keys_so_no_earlier_run_is_replayed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    on_the_mock = _sent_key(_keyed("0"))
    monkeypatch.setenv(FRESH_KEYS_ENV, "1")
    live = _sent_key(_keyed("0"))
    assert live != on_the_mock
    assert _sent_key(_keyed("0")) == live
    assert _sent_key(_keyed("0", {**TRANSFER, "amount_in_cents": 101})) != live


def test_requests_without_a_key_are_left_alone() -> None:
    plain = case(body=TRANSFER, headers={"X-Request-ID": "r"})
    hooks.before_call(CONTEXT, plain, {})
    assert plain.headers == {"X-Request-ID": "r"}
    hooks.before_call(CONTEXT, case(body=TRANSFER, headers=None), {})


@pytest.mark.parametrize("key", ["", "x" * 37, "key with spaces", "ключ"])
@pytest.mark.parametrize("live", [False, True])
def test_a_key_the_spec_rejects_stays_so_the_negative_case_stays_negative(
    monkeypatch: pytest.MonkeyPatch, key: str, live: bool
) -> None:
    if live:
        monkeypatch.setenv(FRESH_KEYS_ENV, "1")
    assert _sent_key(_keyed(key)) == key
