"""``connect(record=PATH)``: the client's own record of its traffic, one NDJSON line an exchange.

Each attempt the client makes (a retry is an exchange of its own) is appended to ``PATH`` in
the proxy's log format, so ``sequence-contract validate`` and ``sequence-contract usage`` read it
as they read the proxy's: method, URL, status, headers and both bodies, with the API key cut out
of every one of them and credential headers reduced to their scheme word. The record sits below
the retries and above the network, so it sees each answer as the server sent it.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

from ._transport import aclose, async_inner, close, sync_inner
from .spec import Spec


class Recorder:
    """Appends exchanges to one NDJSON file (thread-safe; one open per line, nothing held)."""

    def __init__(self, path: str | Path, spec: Spec, base_path: str) -> None:
        self.path = Path(path)
        self.spec = spec
        self.base_path = base_path
        self._lock = threading.Lock()

    def write(self, request: httpx.Request, response: httpx.Response, began: float) -> None:
        from .conformance._exchange import Checked, Exchange, dumps, to_record  # first use

        exchange = Exchange(
            method=request.method,
            url=str(request.url),
            status=response.status_code,
            request_headers={k.lower(): v for k, v in request.headers.items()},
            response_headers={k.lower(): v for k, v in response.headers.items()},
            content=response.content,
            request_body=request.content,
            started=datetime.fromtimestamp(began, UTC).isoformat(timespec="milliseconds"),
            elapsed_ms=round((time.time() - began) * 1000, 1),
        )
        op = self.spec.match(request.method, request.url.path, self.base_path)
        name = op.operation_id if op is not None else exchange.label
        line = dumps(to_record(Checked(exchange, name, op is not None))) + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as log:
                log.write(line)


class RecordingTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Reads each answer whole and records it, then passes it on; serves both protocols."""

    def __init__(
        self, inner: httpx.BaseTransport | httpx.AsyncBaseTransport, recorder: Recorder
    ) -> None:
        self.inner = inner
        self._recorder = recorder

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        began = time.time()
        response = sync_inner(self.inner, self).handle_request(request)
        response.read()
        self._recorder.write(request, response, began)
        return response

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        began = time.time()
        response = await async_inner(self.inner, self).handle_async_request(request)
        await response.aread()
        self._recorder.write(request, response, began)
        return response

    def close(self) -> None:
        close(self.inner)

    async def aclose(self) -> None:
        await aclose(self.inner)
