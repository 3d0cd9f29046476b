"""``FaultProxy``: a seeded fault-injecting HTTP/1.1 proxy on a loopback port (asyncio + h11).

Client connections are kept alive while the client allows it. Every request is read whole, a
fault is drawn for it (``Faults``, shared with the in-process ``FaultInjectingTransport``), and
the exchange goes on as that fault says; a forwarded request goes to the server on a
connection of its own. h11 frames the messages on both sides, so any HTTP/1.1 server behind it
works, chunked answers included.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from types import TracebackType

import h11
import httpx

from ._faults import NOT_FORWARDED, FaultCounts, Faults, SeededFaults

Headers = Sequence[tuple[str | bytes, str | bytes]]
_HOP_BY_HOP = frozenset(
    {b"connection", b"keep-alive", b"transfer-encoding", b"content-length", b"te", b"trailer"}
    | {b"upgrade", b"proxy-authorization", b"proxy-authenticate"}
)
_FAILURES = (OSError, h11.ProtocolError, asyncio.IncompleteReadError)


@dataclass(slots=True)
class ProxiedRequest:
    """One request through the proxy: what it asked, the fault it met, what the server said
    (``status`` is None when the request was not forwarded or the server did not answer)."""

    method: str
    target: str
    idempotency_key: str | None
    fault: str | None
    forwarded: bool = False
    status: int | None = None


class FaultProxy(FaultCounts):
    """Relays HTTP/1.1 from a loopback port to ``upstream`` (``http://host:port``), spoiling
    exchanges as ``faults`` says, reproducibly from ``seed`` for sequential requests.

    ``counts`` says what it did: connections, requests, forwarded, answered (answers written in
    full), closed_unanswered, reset, held, upstream_errors, client_errors, and one count per
    fault drawn; ``exchanges`` lists every request. Start it with ``with`` (a thread of its own,
    for sync clients) or ``async with`` (the running loop); ``url`` is its base URL.
    """

    def __init__(
        self,
        upstream: str,
        faults: Faults | None = None,
        *,
        seed: int = 0,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        target = httpx.URL(upstream)
        if target.scheme != "http" or not target.host:
            raise ValueError(f"upstream must be an http:// URL, not {upstream!r}")
        self._upstream = (target.host, target.port or 80)
        self._bind = (host, port)
        self._faults = SeededFaults(faults or Faults(), seed)
        self._events: Counter[str] = Counter()
        self.exchanges: list[ProxiedRequest] = []
        self.url = ""
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._thread: tuple[threading.Thread, asyncio.AbstractEventLoop] | None = None

    @property
    def counts(self) -> Counter[str]:
        return self._events + self._faults.injected + Counter(forwarded=self._faults.forwarded)

    async def start(self) -> str:
        self._server = await asyncio.start_server(self._serve, *self._bind)
        host, port = self._server.sockets[0].getsockname()[:2]
        self.url = f"http://{host}:{port}"
        return self.url

    async def aclose(self) -> None:
        if self._server is None:
            return
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()
        self._server = None

    async def __aenter__(self) -> FaultProxy:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def __enter__(self) -> FaultProxy:
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="fault-proxy", daemon=True)
        thread.start()
        self._thread = (thread, loop)
        asyncio.run_coroutine_threadsafe(self.start(), loop).result(timeout=15)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._thread is None:
            return
        thread, loop = self._thread
        self._thread = None
        try:
            asyncio.run_coroutine_threadsafe(self.aclose(), loop).result(timeout=15)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=15)
            loop.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self._events["connections"] += 1
        client = h11.Connection(h11.SERVER)
        try:
            while (request := await _read_request(reader, client)) is not None:
                if not await self._exchange(*request, client, writer):
                    return  # closed or reset on purpose
                self._events["answered"] += 1
                await writer.drain()
                if client.our_state is not h11.DONE or client.their_state is not h11.DONE:
                    return
                client.start_next_cycle()
        except _FAILURES:
            self._events["client_errors"] += 1
        except asyncio.CancelledError:  # aclose() ends connections still open; nothing to report
            pass
        finally:
            self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(*_FAILURES):
                await writer.wait_closed()

    async def _exchange(
        self, head: h11.Request, body: bytes, client: h11.Connection, writer: asyncio.StreamWriter
    ) -> bool:
        """One request and its fault; False when the fault ended the client connection."""
        self._events["requests"] += 1
        fault = self._faults.draw()
        key = dict(head.headers).get(b"idempotency-key")
        exchange = ProxiedRequest(
            head.method.decode(), head.target.decode(), None if key is None else key.decode(), fault
        )
        self.exchanges.append(exchange)
        if fault in NOT_FORWARDED:
            writer.write(b"".join(_serialise(client, head, *self._faults.answer(str(fault)))))
            return True
        answer: tuple[int, Headers, bytes]
        try:
            answer = await _forward(self._upstream, head, body)
        except _FAILURES:  # as a gateway would: 502
            self._events["upstream_errors"] += 1
            failed = (502, [(b"content-type", b"text/plain")], b"Bad Gateway (upstream failed)")
            writer.write(b"".join(_serialise(client, head, *failed)))
            return True
        self._faults.count_forwarded()
        exchange.forwarded, exchange.status = True, answer[0]
        if fault == "drop_after":
            self._events["closed_unanswered"] += 1
            return False
        if fault == "unavailable_after":
            answer = self._faults.answer(fault)
        start, rest = _serialise(client, head, *answer)
        if fault == "cut_answer":
            writer.write(start + rest[: len(rest) // 2])
            await _reset(writer)
            self._events["reset"] += 1
            return False
        if fault == "slow":
            self._events["held"] += 1
            await asyncio.sleep(self._faults.faults.slow_delay)
        writer.write(start + rest)
        return True


async def _forward(
    upstream: tuple[str, int], head: h11.Request, body: bytes
) -> tuple[int, Headers, bytes]:
    """Send one request to the server on a connection of its own (no stale keep-alive to
    mistake for a fault); its answer, read whole."""
    reader, writer = await asyncio.open_connection(*upstream)
    try:
        conn = h11.Connection(h11.CLIENT)
        headers = [(name, value) for name, value in head.headers if name not in _HOP_BY_HOP]
        headers += [(b"content-length", str(len(body)).encode()), (b"connection", b"close")]
        data = conn.send(h11.Request(method=head.method, target=head.target, headers=headers))
        data += conn.send(h11.Data(data=body)) if body else b""
        writer.write(data + conn.send(h11.EndOfMessage()))
        await writer.drain()
        status, content = 502, bytearray()
        answer_headers: Headers = []
        while not isinstance(event := await _next_event(reader, conn), h11.EndOfMessage):
            if isinstance(event, h11.Response):
                status, answer_headers = event.status_code, list(event.headers)
            elif isinstance(event, h11.Data):
                content += event.data
            elif isinstance(event, h11.ConnectionClosed):
                raise ConnectionResetError("the upstream server closed without an answer")
        return status, answer_headers, bytes(content)
    finally:
        writer.close()
        with contextlib.suppress(*_FAILURES):
            await writer.wait_closed()


async def _next_event(reader: asyncio.StreamReader, conn: h11.Connection) -> object:
    while (event := conn.next_event()) is h11.NEED_DATA:
        conn.receive_data(await reader.read(65536))
    return event


async def _read_request(
    reader: asyncio.StreamReader, conn: h11.Connection
) -> tuple[h11.Request, bytes] | None:
    """The next whole request on a client connection; None once the client has closed it."""
    head: h11.Request | None = None
    body = bytearray()
    while not isinstance(event := await _next_event(reader, conn), h11.EndOfMessage):
        if isinstance(event, h11.ConnectionClosed):
            return None
        if isinstance(event, h11.Request):
            head = event
        elif isinstance(event, h11.Data):
            body += event.data
    assert head is not None, "h11 ends a message only after its head"
    return head, bytes(body)


def _serialise(
    conn: h11.Connection,
    request: h11.Request,
    status: int,
    headers: Iterable[tuple[str | bytes, str | bytes]],
    content: bytes,
) -> tuple[bytes, bytes]:
    """(status line and headers, body and end) of an answer, framed by h11 for ``request``."""
    pairs = [(_bytes(name).lower(), _bytes(value)) for name, value in headers]
    kept = [(name, value) for name, value in pairs if name not in _HOP_BY_HOP]
    bodiless = request.method == b"HEAD" or status < 200 or status in (204, 304)
    if not bodiless:
        kept.append((b"content-length", str(len(content)).encode()))
    start = conn.send(h11.Response(status_code=status, headers=kept)) or b""
    rest = b""
    if content and not bodiless:
        rest = conn.send(h11.Data(data=content)) or b""
    return start, rest + (conn.send(h11.EndOfMessage()) or b"")


def _bytes(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode("latin-1")


async def _reset(writer: asyncio.StreamWriter) -> None:
    """Send what is written, then reset the connection (RST, not a clean close)."""
    await writer.drain()
    await asyncio.sleep(0.005)  # let the half answer reach the client before the reset
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()
