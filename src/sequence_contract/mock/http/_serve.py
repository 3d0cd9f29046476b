"""Serve the mock with uvicorn: ``serve`` (a background thread: tests, benchmarks, the contract
runner) and ``HTTP``, the HTTP protocol every server of the mock uses.

``HTTP`` is uvicorn's httptools protocol with one change: what it writes to a connection during
one step of the event loop leaves in one ``send``. uvicorn writes a response's status line and
headers when the app starts it and the body when the app sends it, so each small answer took
two system calls, and two wake-ups of the client, which on loopback cost more than answering
(about a third more requests per second without them; ``scripts/bench-mock``).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

import uvicorn
from starlette.types import ASGIApp
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

DROP_EXTENSION = "sequence.drop"  # the scope key of HTTP._drop (read by the pipeline)


class _OneWrite:
    """A transport whose writes wait for the end of the loop step and then go out joined."""

    __slots__ = ("_loop", "_pending", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] = []

    def write(self, data: bytes) -> None:
        if not self._pending:
            self._loop.call_soon(self._flush)
        self._pending.append(data)

    def _flush(self) -> None:
        pending, self._pending = self._pending, []
        if pending and not self._transport.is_closing():
            self._transport.writelines(pending)  # one send (uvloop: writev, nothing copied)

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:  # noqa: ANN401 - the transport's own, as they are
        return getattr(self._transport, name)


class HTTP(HttpToolsProtocol):
    """uvicorn's httptools protocol, writing each response in one ``send`` (see above), and
    offering the app a way to close the connection with no answer (a drop scenario)."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        joined = _OneWrite(cast(asyncio.Transport, transport), self.loop)
        super().connection_made(cast(asyncio.Transport, joined))

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        self.scope[DROP_EXTENSION] = self._drop  # type: ignore[literal-required]

    def _drop(self) -> None:
        """Abort the connection; the request's cycle counts as disconnected, so uvicorn neither
        answers for the app nor logs an error."""
        if self.cycle is not None:
            self.cycle.disconnected = True
        self.transport.abort()


@contextmanager
def serve(app: ASGIApp, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Run ``app`` until the block ends; yields its base URL (``http://127.0.0.1:<port>``).

    ``port=0`` lets the OS choose a free port. The server stops (and the thread joins) on exit.
    """
    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", lifespan="off", http=HTTP
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="sequence-mock", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the mock did not start on {host}:{port}")
        time.sleep(0.01)
    bound = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{bound}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
