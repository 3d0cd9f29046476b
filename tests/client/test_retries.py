"""Retries: what is retried, how often, how long, and one Idempotency-Key per logical write."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import stamina
from sequence_api_client.api.accounts import get_account
from sequence_api_client.api.transfers import create_transfer
from sequence_api_client.models import CreateTransferInput

from sequence_contract import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RetryingTransport,
    RetryPolicy,
    UnprocessableEntityError,
    call,
)
from sequence_contract._retries import _RetryableStatus
from sequence_contract.spec import model
from tests.fixtures.client import (
    ACCOUNT,
    TRANSFER,
    MakeConnected,
    MakeScript,
    Script,
    envelope,
    error_response,
    json_response,
)


@pytest.fixture(autouse=True, params=[True, False], ids=["fast-path", "all-in-stamina"])
def _fast_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every retry test runs with the first attempt outside stamina (as shipped) and inside it:
    the fast path is an optimisation and must not change what is retried."""
    monkeypatch.setattr(RetryingTransport, "_fast_path", request.param)


BODY = CreateTransferInput("acc_01HGHI7890", "acc_01HABC4567", 1500, description="rent")


def created() -> httpx.Response:
    return json_response(201, envelope(TRANSFER))


def test_a_read_is_retried_on_connection_errors_and_gateway_statuses(
    make_connected: MakeConnected, make_script: MakeScript
) -> None:
    server = make_script(
        httpx.ConnectError("refused"),
        httpx.ReadError("reset"),
        error_response(502, "bad_gateway"),
        error_response(503, "unavailable"),
        error_response(504, "gateway_timeout"),
        error_response(429, "too_many_requests", **{"Retry-After": "1"}),
        httpx.ReadTimeout("slow"),
        httpx.RemoteProtocolError("half a response"),
        json_response(200, envelope(ACCOUNT)),
    )
    client = make_connected(server, max_retries=8)
    assert call(get_account.sync_detailed, "acc_01HGHI7890", client=client).id == ACCOUNT["id"]
    assert len(server.requests) == 9


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),  # no key on a GET: a conflict, not a call in flight
        (422, UnprocessableEntityError),
        (500, InternalServerError),
    ],
)
def test_other_errors_are_not_retried(
    make_connected: MakeConnected, make_script: MakeScript, status: int, error: type[Exception]
) -> None:
    server = make_script(error_response(status, "nope"), json_response(200, envelope(ACCOUNT)))
    with pytest.raises(error, match=f"HTTP {status}"):
        call(get_account.sync_detailed, "acc_1", client=make_connected(server, max_retries=5))
    assert len(server.requests) == 1


def test_attempts_are_bounded_and_the_last_answer_surfaces(
    make_connected: MakeConnected, make_script: MakeScript
) -> None:
    server = make_script(error_response(503, "unavailable", **{"X-Request-ID": "req_last"}))
    with pytest.raises(InternalServerError) as caught:
        call(get_account.sync_detailed, "acc_1", client=make_connected(server, max_retries=3))
    assert len(server.requests) == 4
    assert caught.value.request_id == "req_last"


def test_no_retries_at_all(make_connected: MakeConnected, make_script: MakeScript) -> None:
    server = make_script(error_response(503, "unavailable"))
    with pytest.raises(InternalServerError):
        call(get_account.sync_detailed, "acc_1", client=make_connected(server, max_retries=0))
    assert len(server.requests) == 1


def test_total_time_is_bounded(make_script: MakeScript) -> None:
    """Real (tiny) waits: stamina's test mode is off here, its overall timeout applies."""
    server = make_script(error_response(503, "unavailable"))
    policy = RetryPolicy(
        max_retries=10_000, total_timeout=0.05, wait_initial=0.002, wait_max=0.002, wait_jitter=0
    )
    transport = RetryingTransport(httpx.MockTransport(server), policy)
    started = time.monotonic()
    with stamina.set_testing(False), httpx.Client(transport=transport) as http:
        response = http.get("http://sequence.test/api/v1/accounts")
    assert response.status_code == 503
    assert time.monotonic() - started < 1.0
    assert 2 <= len(server.requests) < 100


def test_retry_after_sets_the_wait_and_a_long_one_ends_the_retries() -> None:
    policy = RetryPolicy(retry_after_max=30)
    get = httpx.Request("GET", "http://sequence.test/api/v1/accounts")
    post = httpx.Request("POST", "http://sequence.test/api/v1/transfers")

    def limited(retry_after: str | None, status: int = 429) -> _RetryableStatus:
        headers = {} if retry_after is None else {"Retry-After": retry_after}
        return _RetryableStatus(httpx.Response(status, headers=headers))

    assert policy.decide(get, limited("7")) == 7.0
    assert policy.decide(get, limited("0")) == 0.0
    assert policy.decide(get, limited("30")) == 30.0
    assert policy.decide(get, limited("31")) is False
    assert policy.decide(get, limited(None)) is True  # exponential backoff with jitter
    assert policy.decide(post, limited("2")) == 2.0  # 429: refused untouched, any method
    assert policy.decide(get, limited("2", status=503)) == 2.0
    assert policy.decide(post, limited(None, status=503)) is False  # no key: may have acted
    assert policy.decide(get, ValueError("bug")) is False


def test_a_retry_after_beyond_the_cap_surfaces_as_rate_limit_error(
    make_connected: MakeConnected, make_script: MakeScript
) -> None:
    server = make_script(error_response(429, "too_many_requests", **{"Retry-After": "3600"}))
    with pytest.raises(RateLimitError) as caught:
        call(get_account.sync_detailed, "acc_1", client=make_connected(server, max_retries=5))
    assert len(server.requests) == 1
    assert caught.value.retry_after == 3600.0


def test_every_write_gets_one_uuid4_key_reused_on_each_retry(
    make_connected: MakeConnected, make_script: MakeScript
) -> None:
    server = make_script(
        httpx.ReadError("lost after the server acted"),
        error_response(503, "unavailable"),
        created(),
        created(),
    )
    client = make_connected(server, max_retries=3)
    call(create_transfer.sync_detailed, client=client, body=BODY)
    keys = [request.headers["Idempotency-Key"] for request in server.requests]
    assert len(keys) == 3
    assert len(set(keys)) == 1
    assert uuid.UUID(keys[0]).version == 4
    assert len({request.content for request in server.requests}) == 1  # same body each time

    call(create_transfer.sync_detailed, client=client, body=BODY)  # a new logical call
    assert server.last.headers["Idempotency-Key"] != keys[0]


def test_a_write_still_in_flight_is_retried_until_its_answer_replays(
    make_connected: MakeConnected, make_script: MakeScript
) -> None:
    server = make_script(
        httpx.ReadTimeout("the first attempt is slow"),
        error_response(409, "transfer_in_progress"),
        error_response(409, "transfer_in_progress"),
        created(),
    )
    client = make_connected(server, max_retries=3)
    assert call(create_transfer.sync_detailed, client=client, body=BODY).id == TRANSFER["id"]
    assert len({r.headers["Idempotency-Key"] for r in server.requests}) == 1
    assert len(server.requests) == 4


def test_a_conflict_without_a_key_is_final(make_script: MakeScript) -> None:
    server = make_script(error_response(409, "conflict"), created())
    policy = RetryPolicy(max_retries=3, idempotency_keys=False)
    transport = RetryingTransport(httpx.MockTransport(server), policy)
    with httpx.Client(transport=transport) as http:
        assert http.post("http://sequence.test/api/v1/rules", json={}).status_code == 409
    assert len(server.requests) == 1


def test_a_callers_key_is_kept_and_reused(
    make_connected: MakeConnected, make_script: MakeScript
) -> None:
    server = make_script(httpx.RemoteProtocolError("dropped"), created())
    client = make_connected(server)
    call(create_transfer.sync_detailed, client=client, body=BODY, idempotency_key="order-42")
    assert [r.headers["Idempotency-Key"] for r in server.requests] == ["order-42", "order-42"]


def test_reads_get_no_key(make_connected: MakeConnected, make_script: MakeScript) -> None:
    server = make_script(json_response(200, envelope(ACCOUNT)))
    call(get_account.sync_detailed, "acc_1", client=make_connected(server))
    assert "Idempotency-Key" not in server.last.headers


def test_every_write_in_the_spec_accepts_an_idempotency_key() -> None:
    writes = [op for op in model().operations if op.method != "GET"]
    assert writes
    assert all(op.idempotency_key for op in writes)


def test_without_keys_a_write_is_not_retried_after_a_connection_error(
    make_connected: MakeConnected, make_script: MakeScript
) -> None:
    policy = RetryPolicy(max_retries=5, idempotency_keys=False)
    server = make_script(httpx.ReadError("lost"), created())
    with pytest.raises(APIConnectionError):
        call(
            create_transfer.sync_detailed,
            client=make_connected(server, retry_policy=policy),
            body=BODY,
        )
    assert len(server.requests) == 1
    assert "Idempotency-Key" not in server.last.headers

    server = make_script(error_response(503, "unavailable"), created())
    with pytest.raises(InternalServerError):
        call(
            create_transfer.sync_detailed,
            client=make_connected(server, retry_policy=policy),
            body=BODY,
        )
    assert len(server.requests) == 1

    server = make_script(
        error_response(429, "too_many_requests", **{"Retry-After": "1"}), created()
    )
    call(
        create_transfer.sync_detailed, client=make_connected(server, retry_policy=policy), body=BODY
    )
    assert len(server.requests) == 2  # a 429 was refused untouched: safe to send again

    server = make_script(httpx.ReadError("lost"), created())
    call(
        create_transfer.sync_detailed,
        client=make_connected(server, retry_policy=policy),
        body=BODY,
        idempotency_key="mine",
    )
    assert len(server.requests) == 2  # the caller's key makes it replay-safe


def test_local_errors_are_not_retried(make_script: MakeScript) -> None:
    server = make_script(httpx.UnsupportedProtocol("ftp?"))
    transport = RetryingTransport(httpx.MockTransport(server), RetryPolicy(max_retries=5))
    with httpx.Client(transport=transport) as http, pytest.raises(httpx.UnsupportedProtocol):
        http.get("http://sequence.test/x")
    assert len(server.requests) == 1


def test_a_deactivated_stamina_sends_once(
    make_connected: MakeConnected, make_script: MakeScript
) -> None:
    server = make_script(error_response(503, "unavailable"), json_response(200, envelope(ACCOUNT)))
    stamina.set_active(False)
    try:
        with pytest.raises(InternalServerError):
            call(get_account.sync_detailed, "acc_1", client=make_connected(server, max_retries=5))
    finally:
        stamina.set_active(True)
    assert len(server.requests) == 1


def test_the_policy_refuses_negative_retries() -> None:
    with pytest.raises(ValueError, match="max_retries"):
        RetryPolicy(max_retries=-1)


@pytest.mark.anyio
async def test_async_transport_retries_with_one_key(make_script: MakeScript) -> None:
    server: Script = make_script(
        httpx.ReadError("lost"), error_response(502, "bad_gateway"), created()
    )
    transport = RetryingTransport(httpx.MockTransport(server), RetryPolicy(max_retries=2))
    async with httpx.AsyncClient(transport=transport) as http:
        response = await http.post("http://sequence.test/api/v1/transfers", json=BODY.to_dict())
    assert response.status_code == 201
    assert len({r.headers["Idempotency-Key"] for r in server.requests}) == 1
    assert len(server.requests) == 3


@pytest.mark.anyio
async def test_async_transport_gives_up_with_the_last_answer(make_script: MakeScript) -> None:
    server = make_script(error_response(503, "unavailable"))
    policy = RetryPolicy(max_retries=2, idempotency_keys=False)
    transport = RetryingTransport(httpx.MockTransport(server), policy)
    async with httpx.AsyncClient(transport=transport) as http:
        response = await http.get("http://sequence.test/api/v1/accounts")
        assert response.status_code == 503
        assert response.json() == {
            "error": {"code": "unavailable", "message": "Something went wrong."}
        }
        server.replies = [httpx.ReadError("lost")]
        with pytest.raises(httpx.ReadError):  # a write without a key: sent once, error kept
            await http.post("http://sequence.test/api/v1/transfers", json={})
    assert len(server.requests) == 4


class _CutBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A 200 body whose connection drops after the first chunk."""

    def __iter__(self) -> Iterator[bytes]:
        yield b'{"request_id": "r", "da'
        raise httpx.ReadError("connection reset mid-body")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b'{"request_id": "r", "da'
        raise httpx.ReadError("connection reset mid-body")


def test_a_read_whose_body_is_cut_off_is_retried(
    make_connected: MakeConnected, make_script: MakeScript
) -> None:
    cut = httpx.Response(200, headers={"Content-Type": "application/json"}, stream=_CutBody())
    server = make_script(cut, json_response(200, envelope(ACCOUNT)))
    client = make_connected(server)
    assert call(get_account.sync_detailed, "acc_01HGHI7890", client=client).id == ACCOUNT["id"]
    assert len(server.requests) == 2


@pytest.mark.anyio
async def test_an_async_read_whose_body_is_cut_off_is_retried() -> None:
    answers = [
        httpx.Response(200, headers={"Content-Type": "application/json"}, stream=_CutBody()),
        json_response(200, envelope(ACCOUNT)),
    ]
    transport = RetryingTransport(httpx.MockTransport(lambda request: answers.pop(0)))
    async with httpx.AsyncClient(transport=transport) as http:
        response = await http.get("http://api.test/accounts/acc_01HGHI7890")
    assert response.json()["data"]["id"] == ACCOUNT["id"]
    assert answers == []


def test_the_first_attempt_counts_against_the_total_timeout() -> None:
    policy = RetryPolicy(total_timeout=10.0)
    started = time.monotonic()
    assert 9.0 < policy.time_left(started) <= 10.0
    assert policy.time_left(started - 4.0) <= 6.0
    assert policy.time_left(started - 60.0) == pytest.approx(0.001)
