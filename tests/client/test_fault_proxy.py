"""FaultProxy over real loopback sockets: each fault as a client meets it, the counts, the
seeded draws it shares with FaultInjectingTransport, and its three ways to run."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Callable, Iterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from sequence_contract.mock import serve
from sequence_contract.testing import FaultInjectingTransport, FaultProxy, Faults
from sequence_contract.testing.pytest_plugin import MakeFaultProxy

SLOW = 0.2


async def answer(request: Request) -> Response:
    body = await request.body()
    return Response(b"x" * 2000 + body, headers={"X-Seen": request.method})


async def chunked(request: Request) -> StreamingResponse:
    async def parts() -> AsyncIterator[bytes]:
        for part in (b"first,", b"second,", b"third"):
            yield part

    return StreamingResponse(parts())


APP = Starlette(routes=[Route("/x", answer, methods=["GET", "POST"]), Route("/chunks", chunked)])


@pytest.fixture(scope="module")
def upstream() -> Iterator[str]:
    with serve(APP) as url:
        yield url


def outcome(http: httpx.Client, method: str = "POST") -> str:
    """What a client meets: the status, or the exception class."""
    try:
        return str(http.request(method, "/x", content=b"hello").status_code)
    except httpx.TransportError as exc:
        return type(exc).__name__


FAULTS: dict[str, tuple[set[str], bool, str]] = {  # fault -> (client meets, forwarded, count)
    "drop_after": ({"RemoteProtocolError", "ReadError"}, True, "closed_unanswered"),
    "unavailable": ({"502", "503"}, False, "answered"),
    "unavailable_after": ({"502", "503"}, True, "answered"),
    "rate_limited": ({"429"}, False, "answered"),
    "cut_answer": ({"ReadError", "RemoteProtocolError"}, True, "reset"),
    "slow": ({"ReadTimeout"}, True, "held"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_each_fault_over_real_sockets(upstream: str, fault: str) -> None:
    meets, forwarded, counted = FAULTS[fault]
    faults = Faults(slow_delay=SLOW, retry_after=7, **{fault: 1.0})
    # Only a held answer should outlast the client's patience; the others get 5 s, so a loaded
    # machine answering late is not mistaken for the slow fault.
    read = SLOW / 2 if fault == "slow" else 5.0
    with (
        FaultProxy(upstream, faults, seed=3) as proxy,
        httpx.Client(base_url=proxy.url, timeout=httpx.Timeout(5, read=read)) as http,
    ):
        seen = [outcome(http) for _ in range(3)]
    assert set(seen) <= meets, seen
    counts = proxy.counts
    assert counts[fault] == counts["requests"] == 3, counts
    assert counts["forwarded"] == (3 if forwarded else 0), counts
    assert counts[counted] >= (3 if fault != "slow" else 1), counts  # a held answer may be cut
    assert [exchange.forwarded for exchange in proxy.exchanges] == [forwarded] * 3
    if forwarded:
        assert {exchange.status for exchange in proxy.exchanges} == {200}
    if fault == "rate_limited":
        with FaultProxy(upstream, faults) as proxy, httpx.Client(base_url=proxy.url) as http:
            assert http.get("/x").headers["Retry-After"] == "7"


def test_a_slow_answer_comes_to_a_patient_client(upstream: str) -> None:
    with (
        FaultProxy(upstream, Faults(slow=1.0, slow_delay=SLOW)) as proxy,
        httpx.Client(base_url=proxy.url) as http,
    ):
        response = http.post("/x", content=b"!", headers={"Idempotency-Key": "k-1"})
    assert response.status_code == 200
    assert response.content.endswith(b"x!")
    assert proxy.counts["held"] == proxy.counts["answered"] == 1
    assert proxy.exchanges[0].idempotency_key == "k-1"
    assert proxy.exchanges[0].method == "POST"


def test_without_faults_it_relays_everything_on_kept_alive_connections(upstream: str) -> None:
    with FaultProxy(upstream) as proxy, httpx.Client(base_url=proxy.url) as http:
        for _ in range(5):
            response = http.get("/x")
            assert response.status_code == 200
            assert response.headers["X-Seen"] == "GET"
            assert len(response.content) == 2000
        assert http.get("/chunks").content == b"first,second,third"  # chunked upstream
        assert http.head("/x").status_code in (200, 405)
    assert proxy.counts["connections"] == 1
    assert proxy.counts["requests"] == proxy.counts["answered"] == proxy.forwarded == 7
    assert not proxy.injected


def test_draws_follow_the_seed_and_match_the_in_process_transport(upstream: str) -> None:
    faults = Faults(drop_after=0.2, unavailable=0.1, rate_limited=0.1, cut_answer=0.1)

    def over_sockets(seed: int) -> list[str | None]:
        with (
            FaultProxy(upstream, faults, seed=seed) as proxy,
            httpx.Client(base_url=proxy.url) as http,
        ):
            for _ in range(40):
                outcome(http)
        return [exchange.fault for exchange in proxy.exchanges]

    def in_process(seed: int) -> list[str | None]:
        drawn: list[str | None] = []

        def server(request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, content=b"x" * 2000)

        transport = FaultInjectingTransport(httpx.MockTransport(server), faults, seed=seed)
        with httpx.Client(transport=transport, base_url="http://x.test") as http:
            for _ in range(40):
                before = transport.injected.copy()
                outcome(http)
                drawn.append(next(iter(transport.injected - before), None))
        return drawn

    assert over_sockets(5) == over_sockets(5) == in_process(5)
    assert over_sockets(5) != over_sockets(6)


def test_an_upstream_that_is_down_gets_a_gateways_502() -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    with (
        FaultProxy(f"http://127.0.0.1:{port}") as proxy,
        httpx.Client(base_url=proxy.url) as http,
    ):
        assert http.get("/x").status_code == 502
    assert proxy.counts["upstream_errors"] == 1
    assert proxy.forwarded == 0


@pytest.mark.anyio
async def test_it_runs_in_the_running_loop_too(upstream: str) -> None:
    async with (
        FaultProxy(upstream, Faults(cut_answer=0.5), seed=1) as proxy,
        httpx.AsyncClient(base_url=proxy.url) as http,
    ):
        seen = []
        for _ in range(10):
            try:
                seen.append(str((await http.get("/x")).status_code))
            except httpx.TransportError as exc:
                seen.append(type(exc).__name__)
    assert "200" in seen
    assert len(seen) - seen.count("200") == proxy.counts["cut_answer"] == proxy.counts["reset"]


def test_the_pytest_fixture(fault_proxy: MakeFaultProxy, upstream: str) -> None:
    proxy = fault_proxy(upstream, Faults(unavailable=1.0))
    assert httpx.get(f"{proxy.url}/x").status_code in (502, 503)
    assert proxy.counts["unavailable"] == 1


def test_it_stops_listening_when_closed(upstream: str) -> None:
    with FaultProxy(upstream) as proxy:
        url = proxy.url
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/x")


@pytest.mark.parametrize(
    "bad",
    [lambda: FaultProxy("https://example.test"), lambda: FaultProxy("/relative")],
)
def test_only_plain_http_upstreams(bad: Callable[[], FaultProxy]) -> None:
    with pytest.raises(ValueError, match="http:// URL"):
        bad()
