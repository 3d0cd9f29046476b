"""Errors from writes tell the truth: the key sent, every attempt, and whether the write may have
happened (``outcome_unknown``), by the rules table of ``_outcome``, one test case per row."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sequence_api_client import AuthenticatedClient
from sequence_api_client.api.accounts import get_account
from sequence_api_client.api.rules import delete_rule, update_rule
from sequence_api_client.api.transfers import create_transfer
from sequence_api_client.models import CreateTransferInput, RuleInput, Trigger

from sequence_contract import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    Attempt,
    BadRequestError,
    ConflictError,
    ContractError,
    InternalServerError,
    PermissionDeniedError,
    RateLimitError,
    RetryPolicy,
    SequenceError,
    acall,
    call,
)
from sequence_contract import _outcome as outcome_module
from sequence_contract._outcome import outcome_unknown
from tests.fixtures.client import (
    BASE_URL,
    SECRET,
    TRANSFER,
    MakeConnected,
    MakeScript,
    Reply,
    envelope,
    error_response,
    json_response,
)

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guides" / "client.md"
BODY = CreateTransferInput("acc_01HGHI7890", "acc_01HABC4567", 1500)


class _CutBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A 201 whose connection drops mid-body."""

    def __iter__(self) -> Iterator[bytes]:
        yield b'{"request_id": "r", "da'
        raise httpx.ReadError("connection reset mid-body")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self:
            yield chunk


def cut(request: httpx.Request) -> httpx.Response:
    return httpx.Response(201, headers={"Content-Type": "application/json"}, stream=_CutBody())


def limited(retry_after: str) -> httpx.Response:
    return error_response(429, "too_many_requests", **{"Retry-After": retry_after})


Replies = list[Reply | Callable[[httpx.Request], Reply]]
#: Row of the rules table (its first words) -> cases: replies, error raised, attempts, unknown.
ROWS: dict[str, list[tuple[Replies, type[SequenceError], list[str], bool]]] = {
    "2xx answer": [
        # a lost answer, then the replay: it happened, though its body breaks the contract
        (
            [httpx.ReadError("lost"), json_response(201, {"data": TRANSFER})],
            ContractError,
            ["ReadError", "201"],
            False,
        ),
    ],
    "3xx answer": [
        ([httpx.Response(302, headers={"Location": "/x"})], ContractError, ["302"], True),
    ],
    "4xx answer": [
        ([error_response(403, "forbidden")], PermissionDeniedError, ["403"], False),
        (
            [httpx.ReadError("lost"), error_response(400, "bad_request")],
            BadRequestError,
            ["ReadError", "400"],
            False,
        ),
    ],
    "409 to a request": [
        ([error_response(409, "transfer_in_progress")], ConflictError, ["409"] * 3, True),
    ],
    "408 or 429": [
        ([limited("3600")], RateLimitError, ["429"], False),
        ([error_response(408, "request_timeout")], APIStatusError, ["408"], False),
        (
            [httpx.RemoteProtocolError("lost"), limited("3600")],
            RateLimitError,
            ["RemoteProtocolError", "429"],
            True,
        ),
    ],
    "5xx answer": [
        ([error_response(500, "internal")], InternalServerError, ["500"], True),
        ([error_response(503, "unavailable")], InternalServerError, ["503"] * 3, True),
        (
            [limited("0"), error_response(502, "bad_gateway")],
            InternalServerError,
            ["429", "502", "502"],
            True,
        ),
    ],
    "never sent": [
        ([httpx.ConnectError("refused")], APIConnectionError, ["ConnectError"] * 3, False),
        ([httpx.ConnectTimeout("slow")], APITimeoutError, ["ConnectTimeout"] * 3, False),
    ],
    "any other failure": [
        ([httpx.ReadError("reset")], APIConnectionError, ["ReadError"] * 3, True),
        ([httpx.ReadTimeout("slow")], APITimeoutError, ["ReadTimeout"] * 3, True),
        ([httpx.WriteError("broken pipe")], APIConnectionError, ["WriteError"] * 3, True),
        ([cut], APIConnectionError, ["ReadError"] * 3, True),
        (
            [httpx.ConnectError("refused"), httpx.RemoteProtocolError("no answer")],
            APIConnectionError,
            ["ConnectError", "RemoteProtocolError", "RemoteProtocolError"],
            True,
        ),
    ],
}
CASES = [
    pytest.param(row, *case, id=f"{row}-{number}")
    for row, cases in ROWS.items()
    for number, case in enumerate(cases)
]


def _table(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("| ")]


def test_the_rules_table_is_the_same_in_the_docstring_and_the_client_guide() -> None:
    rules = _table(outcome_module.__doc__ or "")
    assert len(rules) == 9  # the header and eight rows
    guide = _table(GUIDE.read_text(encoding="utf-8"))
    assert [line for line in guide if line in rules] == rules


def test_every_row_of_the_table_has_cases() -> None:
    rows = [line.split("|")[1].strip() for line in _table(outcome_module.__doc__ or "")[1:]]
    assert len(rows) == len(ROWS)
    for row, label in zip(rows, ROWS, strict=True):
        assert row.startswith(label), (row, label)


@pytest.mark.parametrize(("row", "replies", "error", "attempts", "unknown"), CASES)
def test_each_row_of_the_rules(
    make_connected: MakeConnected,
    make_script: MakeScript,
    row: str,
    replies: Replies,
    error: type[SequenceError],
    attempts: list[str],
    unknown: bool,
) -> None:
    server = make_script(*replies)
    with pytest.raises(error) as caught:
        call(create_transfer.sync_detailed, client=make_connected(server), body=BODY)
    raised = caught.value
    seen = [str(attempt) for attempt in raised.attempts]
    assert seen == attempts, row
    assert len(seen) == len(server.requests)
    assert raised.outcome_unknown is unknown, (row, seen)
    assert raised.idempotency_key == server.requests[0].headers["Idempotency-Key"]
    assert uuid.UUID(raised.idempotency_key).version == 4
    lines = str(raised).splitlines()
    if unknown:
        assert len(lines) == 2
        assert "may have been applied" in lines[1]
        assert f"call again with idempotency_key='{raised.idempotency_key}'" in lines[1]
    else:
        assert "may have been applied" not in str(raised)


def test_the_rule_itself() -> None:
    acted = Attempt("ReadError", may_have_acted=True, settles=False)
    refused = Attempt("429", may_have_acted=False, settles=False)
    happened = Attempt("201", may_have_acted=True, settles=True)
    rejected = Attempt("400", may_have_acted=False, settles=True)
    never = Attempt("ConnectError", may_have_acted=False, settles=False)
    assert not outcome_unknown([])
    assert not outcome_unknown([never, refused, never])
    assert outcome_unknown([acted, refused, never])  # nothing later settles the first
    assert not outcome_unknown([acted, happened])
    assert not outcome_unknown([acted, rejected])
    assert outcome_unknown([rejected, acted])  # only a later verdict settles


@pytest.mark.anyio
async def test_async_writes_carry_the_same_truth(
    make_connected: MakeConnected, make_script: MakeScript
) -> None:
    server = make_script(httpx.ReadError("lost"), error_response(503, "unavailable"))
    async with make_connected(server, asynchronous=True) as client:
        with pytest.raises(InternalServerError) as caught:
            await acall(create_transfer.asyncio_detailed, client=client, body=BODY)
    assert [str(a) for a in caught.value.attempts] == ["ReadError", "503", "503"]
    assert caught.value.outcome_unknown
    assert caught.value.idempotency_key == server.requests[0].headers["Idempotency-Key"]


def test_put_and_delete_carry_the_truth_too_and_a_callers_key_is_quoted(
    make_connected: MakeConnected, make_script: MakeScript
) -> None:
    client = make_connected(make_script(httpx.ReadError("lost")))
    rule = RuleInput(status="enabled", trigger=Trigger(type_="MANUAL"), steps=[])
    with pytest.raises(APIConnectionError) as caught:
        update_rule.sync_detailed("rule_1", client=client, body=rule, idempotency_key="put-7")
    assert caught.value.outcome_unknown
    assert caught.value.idempotency_key == "put-7"
    assert "idempotency_key='put-7'" in str(caught.value)
    with pytest.raises(APIConnectionError) as caught:
        call(delete_rule.sync_detailed, "rule_1", client=client)
    assert caught.value.outcome_unknown
    assert caught.value.idempotency_key is not None


def test_a_read_has_attempts_but_no_key_and_no_unknown_outcome(
    make_connected: MakeConnected, make_script: MakeScript
) -> None:
    client = make_connected(make_script(httpx.ReadError("reset")))
    with pytest.raises(APIConnectionError) as caught:
        call(get_account.sync_detailed, "acc_1", client=client)
    assert [str(a) for a in caught.value.attempts] == ["ReadError"] * 3
    assert caught.value.idempotency_key is None
    assert not caught.value.outcome_unknown
    assert len(str(caught.value).splitlines()) == 1


def test_a_write_without_a_key_says_it_cannot_be_finished_blindly(
    make_connected: MakeConnected, make_script: MakeScript
) -> None:
    policy = RetryPolicy(idempotency_keys=False)
    client = make_connected(make_script(httpx.ReadError("lost")), retry_policy=policy)
    with pytest.raises(APIConnectionError) as caught:
        call(create_transfer.sync_detailed, client=client, body=BODY)
    assert caught.value.outcome_unknown
    assert caught.value.idempotency_key is None
    assert "carried no Idempotency-Key" in str(caught.value).splitlines()[1]


def test_the_api_key_stays_out_of_every_part_of_a_write_error(
    make_connected: MakeConnected, make_script: MakeScript
) -> None:
    def echo(request: httpx.Request) -> httpx.Response:
        said = f"bad key {request.headers['Authorization']}"
        return error_response(503, "unavailable", said)

    server = make_script(httpx.ReadError(f"reset, key {SECRET}"), echo)
    with pytest.raises(InternalServerError) as caught:
        call(create_transfer.sync_detailed, client=make_connected(server), body=BODY)
    told = [str(caught.value), repr(caught.value), repr(caught.value.attempts), caught.value.body]
    assert caught.value.outcome_unknown
    assert all(SECRET not in str(part) for part in told)


def test_a_plain_generated_client_gets_the_truth_through_call() -> None:
    """No transport of ours: call() maps the error response and tells what it can."""

    def server(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, text="Service Unavailable")

    client = AuthenticatedClient(
        base_url=BASE_URL,
        token=SECRET,
        prefix="ApiKey",
        httpx_args={"transport": httpx.MockTransport(server)},
    )
    with client, pytest.raises(InternalServerError) as caught:
        call(create_transfer.sync_detailed, client=client, body=BODY, idempotency_key="mine-1")
    assert [str(a) for a in caught.value.attempts] == ["503"]
    assert caught.value.outcome_unknown
    assert caught.value.idempotency_key == "mine-1"
    assert re.search(r"idempotency_key='mine-1'\.$", str(caught.value))


def test_a_successful_write_after_lost_answers_raises_nothing(
    make_connected: MakeConnected, make_script: MakeScript
) -> None:
    server = make_script(httpx.ReadError("lost"), json_response(201, envelope(TRANSFER)))
    made = call(create_transfer.sync_detailed, client=make_connected(server), body=BODY)
    assert made.id == TRANSFER["id"]
