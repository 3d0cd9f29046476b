"""The write guard: what may reach a real server, what never leaves the machine."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from sequence_contract.contract._guard import BLOCKED_WRITE, FORWARDED, REFUSED_READ, WriteGuard
from sequence_contract.contract._ratelimit import SlidingWindowLimiter
from sequence_contract.spec import Spec
from sequence_contract.testing import SyncASGITransport

UPSTREAM = "https://real.example.test/base/api/v1"


class Upstream:
    """Stands in for the real server: records what reaches it."""

    def __init__(self) -> None:
        self.seen: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        return httpx.Response(
            200, json={"ok": True}, headers={"X-Request-ID": "req_1", "Connection": "close"}
        )


@pytest.fixture
def upstream() -> Upstream:
    return Upstream()


Connect = Callable[[WriteGuard], httpx.Client]


@pytest.fixture
def connect() -> Iterator[Connect]:
    """Factory: a sync client talking to a guard in-process; closed after the test."""
    clients: list[httpx.Client] = []

    def make(guard: WriteGuard) -> httpx.Client:
        clients.append(httpx.Client(transport=SyncASGITransport(guard), base_url="http://g.test"))
        return clients[-1]

    yield make
    for client in clients:
        client.close()


def make_guard(spec: Spec, upstream: Upstream, *allowed: str) -> WriteGuard:
    chosen = [op for op in spec.operations if not op.is_write or op.operation_id in allowed]
    return WriteGuard(UPSTREAM, chosen, allowed, transport=httpx.MockTransport(upstream))


def test_reads_are_forwarded_below_the_upstream_prefix(
    spec: Spec, upstream: Upstream, connect: Connect
) -> None:
    client = connect(make_guard(spec, upstream))
    response = client.get(
        "/transfers?account_id=acc_1&first=2", headers={"Authorization": "ApiKey k"}
    )
    assert response.status_code == 200
    assert response.json() == {"ok": True}
    assert response.headers["X-Request-ID"] == "req_1"
    (sent,) = upstream.seen
    assert str(sent.url) == f"{UPSTREAM}/transfers?account_id=acc_1&first=2"
    assert sent.headers["Authorization"] == "ApiKey k"
    assert sent.headers["host"] == "real.example.test"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/transfers"),
        ("POST", "/rules/rule_1/trigger"),
        ("PUT", "/rules/rule_1"),
        ("DELETE", "/rules/rule_1"),
        ("POST", "/rules"),
        ("PATCH", "/accounts"),  # not an operation at all
        ("DELETE", "/nowhere"),
    ],
)
def test_writes_are_blocked_without_the_opt_in(
    spec: Spec, upstream: Upstream, connect: Connect, method: str, path: str
) -> None:
    guard = make_guard(spec, upstream)
    response = connect(guard).request(method, path, json={"amount_in_cents": 100})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "blocked_by_contract_guard"
    assert upstream.seen == []
    assert [seen.outcome for seen in guard.log.requests] == [BLOCKED_WRITE]


def test_only_the_named_write_goes_through(
    spec: Spec, upstream: Upstream, connect: Connect
) -> None:
    guard = make_guard(spec, upstream, "createTransfer")
    client = connect(guard)
    assert client.post("/transfers", json={"amount_in_cents": 100}).status_code == 200
    assert client.post("/rules/rule_1/trigger", json={}).status_code == 403
    assert [(r.method, r.url.path) for r in upstream.seen] == [("POST", "/base/api/v1/transfers")]
    assert upstream.seen[0].content == b'{"amount_in_cents":100}'
    assert [s.outcome for s in guard.log.requests] == [FORWARDED, BLOCKED_WRITE]
    assert guard.log.requests[0].operation_id == "createTransfer"


def test_reads_outside_the_selection_stay_local(
    spec: Spec, upstream: Upstream, connect: Connect
) -> None:
    available = [op for op in spec.operations if op.operation_id == "listAccounts"]
    guard = WriteGuard(UPSTREAM, available, transport=httpx.MockTransport(upstream))
    client = connect(guard)
    assert client.get("/cards?account_id=acc_1").status_code == 404
    assert client.get("/schemathesis-probe").status_code == 404
    assert client.get("/accounts").status_code == 200
    assert [r.url.path for r in upstream.seen] == ["/base/api/v1/accounts"]
    assert [s.outcome for s in guard.log.requests] == [REFUSED_READ, REFUSED_READ, FORWARDED]


def test_every_forwarded_request_passes_the_limiter(
    spec: Spec, upstream: Upstream, connect: Connect
) -> None:
    now = [0.0]
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    guard = make_guard(spec, upstream)
    guard.limiter = SlidingWindowLimiter(2, 60.0, clock=lambda: now[0], sleep=sleep)
    client = connect(guard)
    for _ in range(3):
        assert client.get("/accounts").status_code == 200
    assert client.post("/transfers", json={}).status_code == 403  # blocked: no slot spent
    assert waits == [60.0]  # the third read waited for the first to leave the window
    assert len(upstream.seen) == 3


def test_past_its_budget_the_guard_answers_429_itself(
    spec: Spec, upstream: Upstream, connect: Connect
) -> None:
    counted: list[int] = []
    chosen = [op for op in spec.operations if not op.is_write]
    guard = WriteGuard(
        UPSTREAM,
        chosen,
        transport=httpx.MockTransport(upstream),
        budget=2,
        on_forward=counted.append,
    )
    client = connect(guard)
    statuses = [client.get("/rules").status_code for _ in range(4)]
    assert statuses == [200, 200, 429, 429]
    assert len(upstream.seen) == 2
    assert counted == [1, 2]
    over = client.get("/rules").json()["error"]
    assert over["code"] == "request_budget_spent"
    assert guard.log.having("over budget")[0].status == 429


def test_the_proxy_mode_forwards_reads_the_contract_does_not_name(
    spec: Spec, upstream: Upstream, connect: Connect
) -> None:
    guard = WriteGuard(
        UPSTREAM,
        spec.operations,
        transport=httpx.MockTransport(upstream),
        forward_unknown_reads=True,
    )
    client = connect(guard)
    assert client.get("/platform/v1/accounts").status_code == 200
    assert client.post("/platform/v1/transfers", json={}).status_code == 403
    assert [str(r.url) for r in upstream.seen] == [f"{UPSTREAM}/platform/v1/accounts"]
