"""Test helpers for code that uses this client: fault injection, in-process and over real
sockets, and a sync in-process transport.

One fault description, ``Faults``, drives both injectors; drawn from ``random.Random(seed)``,
they spoil some exchanges the way networks and proxies do (see ``Faults`` for each fault):

* ``FaultInjectingTransport`` wraps an httpx transport (the mock in-process, usually): no
  socket, no time spent, sync and async;
* ``FaultProxy`` is an asyncio TCP proxy on a loopback port, put in front of any HTTP/1.1
  server (the mock served by ``sequence_contract.mock.serve``, usually): the faults happen on
  real connections, so the client's own socket handling and timeouts are what is tested. Use it
  as ``with FaultProxy(url, faults) as proxy:`` (its own thread) or ``async with`` (the running
  loop), or through the ``fault_proxy`` fixture of the pytest plugin (``pytest_plugin`` here).

``SyncASGITransport`` serves a sync ``httpx.Client`` from an ASGI app (httpx's own
``ASGITransport`` is async-only), on a private event loop in the calling thread::

    app = create_app()
    transport = FaultInjectingTransport(SyncASGITransport(app), Faults(drop_after=0.2), seed=7)
    with connect("demo-all", base_url="http://mock/api/v1", transport=transport) as client:
        ...
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import httpx

from .._transport import aclose, async_inner, close, sync_inner
from ._fault_proxy import FaultProxy, ProxiedRequest
from ._faults import NOT_FORWARDED, FaultCounts, Faults, SeededFaults

if TYPE_CHECKING:
    from starlette.types import ASGIApp  # the mock's; typing only: this module needs no extra

__all__ = [
    "FaultInjectingTransport",
    "FaultProxy",
    "Faults",
    "ProxiedRequest",
    "SyncASGITransport",
]


class FaultInjectingTransport(FaultCounts, httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Injects ``faults`` in front of ``inner``, in-process; sync, async or both, as ``inner``
    is. A lost answer raises ``httpx.ReadError`` or ``httpx.RemoteProtocolError``; a cut one
    raises ``httpx.ReadError`` while its body is read; a slow one sleeps, and raises
    ``httpx.ReadTimeout`` when the request's read timeout is shorter than ``slow_delay``."""

    def __init__(
        self,
        inner: httpx.BaseTransport | httpx.AsyncBaseTransport,
        faults: Faults | None = None,
        *,
        seed: int = 0,
    ) -> None:
        self._inner = inner
        self._faults = SeededFaults(faults or Faults(), seed)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        fault = self._faults.draw()
        if fault in NOT_FORWARDED:
            return self._answer(fault, request)
        response = sync_inner(self._inner, self).handle_request(request)
        self._faults.count_forwarded()
        if fault is None:
            return response
        try:
            response.read()
        finally:
            response.close()
        if fault == "slow":
            time.sleep(self._held(request))
        return self._spoil(fault, request, response)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        fault = self._faults.draw()
        if fault in NOT_FORWARDED:
            return self._answer(fault, request)
        response = await async_inner(self._inner, self).handle_async_request(request)
        self._faults.count_forwarded()
        if fault is None:
            return response
        try:
            await response.aread()
        finally:
            await response.aclose()
        if fault == "slow":
            await asyncio.sleep(self._held(request))
        return self._spoil(fault, request, response)

    def _answer(self, fault: str, request: httpx.Request) -> httpx.Response:
        status, headers, body = self._faults.answer(fault)
        return httpx.Response(status, headers=headers, content=body, request=request)

    def _held(self, request: httpx.Request) -> float:
        """How long a slow answer keeps the caller waiting: until it comes, or it times out."""
        timeout = _read_timeout(request)
        delay = self._faults.faults.slow_delay
        return delay if timeout is None else min(delay, timeout)

    def _spoil(
        self, fault: str, request: httpx.Request, response: httpx.Response
    ) -> httpx.Response:
        """What the client gets instead of the answer the server gave (read, in ``response``)."""
        if (
            fault == "drop_after"
        ):  # both ways a lost answer shows, in turn (draws stay as the proxy's)
            kind = (httpx.ReadError, httpx.RemoteProtocolError)[self.injected["drop_after"] % 2]
            raise kind("connection lost after the server answered (injected)", request=request)
        if fault == "slow":
            timeout = _read_timeout(request)
            if timeout is not None and timeout < self._faults.faults.slow_delay:
                raise httpx.ReadTimeout("no answer in time (injected slow answer)", request=request)
        if fault in ("slow", "cut_answer"):
            half = None if fault == "slow" else len(response.content) // 2
            return httpx.Response(
                response.status_code,
                headers=response.headers,
                stream=_Relayed(response.content, half),
                request=request,
            )
        return self._answer(fault, request)

    def close(self) -> None:
        close(self._inner)

    async def aclose(self) -> None:
        await aclose(self._inner)


def _read_timeout(request: httpx.Request) -> float | None:
    timeout = request.extensions.get("timeout", {}).get("read")
    return float(timeout) if isinstance(timeout, int | float) else None


class _Relayed(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body relayed whole, or cut after ``cut`` bytes by a reset connection."""

    def __init__(self, content: bytes, cut: int | None) -> None:
        self._content = content
        self._cut = cut

    def __iter__(self) -> Iterator[bytes]:
        if self._cut is None:
            yield self._content
            return
        yield self._content[: self._cut]
        raise httpx.ReadError("connection reset mid-answer (injected)")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self:
            yield chunk


class SyncASGITransport(httpx.BaseTransport):
    """Serves a sync client from an ASGI app on a private event loop; close it when done.

    Requests are handled one at a time (a lock guards the loop). It cannot be used from inside
    a running event loop: use ``httpx.ASGITransport`` with an async client there.
    """

    def __init__(self, app: ASGIApp) -> None:
        self._asgi = httpx.ASGITransport(app=app)
        self._runner: asyncio.Runner | None = None
        self._lock = threading.Lock()

    async def _send(self, request: httpx.Request) -> httpx.Response:
        response = await self._asgi.handle_async_request(request)
        try:
            content = await response.aread()
        finally:
            await response.aclose()
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            content=content,
            extensions=response.extensions,
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        with self._lock:
            if self._runner is None:
                self._runner = asyncio.Runner()
            return self._runner.run(self._send(request))

    def close(self) -> None:
        with self._lock:
            if self._runner is not None:
                self._runner.close()
                self._runner = None
