"""Test helpers for code that uses this client: fault injection and a sync in-process transport.

``FaultInjectingTransport`` sits between the client and a server (the mock, usually) and, drawn
from ``random.Random(seed)``, spoils some exchanges the way networks and proxies do:

* ``drop_after``: forwards the request, lets the server act, then loses the answer
  (``httpx.ReadError`` or ``httpx.RemoteProtocolError``): the case idempotency keys exist for;
* ``unavailable``: answers 502/503 without forwarding;
* ``unavailable_after``: forwards, then answers 502/503 instead of the server's answer;
* ``rate_limited``: answers 429 with ``Retry-After`` without forwarding.

``SyncASGITransport`` serves a sync ``httpx.Client`` from an ASGI app (httpx's own
``ASGITransport`` is async-only), on a private event loop in the calling thread::

    app = create_app()
    transport = FaultInjectingTransport(SyncASGITransport(app), Faults(drop_after=0.2), seed=7)
    with connect("demo-all", base_url="http://mock/api/v1", transport=transport) as client:
        ...
"""

from __future__ import annotations

import asyncio
import json
import random
import threading
from collections import Counter
from dataclasses import dataclass

import httpx
from starlette.types import ASGIApp

from ._transport import aclose, async_inner, close, sync_inner

__all__ = [
    "FaultInjectingTransport",
    "Faults",
    "SyncASGITransport",
]


@dataclass(frozen=True, slots=True)
class Faults:
    """Probability of each fault per request (their sum must not exceed 1)."""

    drop_after: float = 0.0
    unavailable: float = 0.0
    unavailable_after: float = 0.0
    rate_limited: float = 0.0
    retry_after: int = 1  # seconds, sent with injected 429s

    def __post_init__(self) -> None:
        rates = (self.drop_after, self.unavailable, self.unavailable_after, self.rate_limited)
        if min(rates) < 0 or sum(rates) > 1:
            raise ValueError("fault probabilities must be >= 0 and sum to at most 1")


class _SeededFaults:
    """Which fault, if any, spoils the next exchange (drawn from a seeded RNG), and the count
    of what was drawn and forwarded."""

    def __init__(self, faults: Faults, seed: int) -> None:
        self.faults = faults
        self.rng = random.Random(seed)  # noqa: S311 - reproducible faults, not cryptography
        self.injected: Counter[str] = Counter()
        self.forwarded = 0
        self._lock = threading.Lock()

    def draw(self) -> str | None:
        f = self.faults
        with self._lock:
            roll = self.rng.random()
            for name, rate in (
                ("drop_after", f.drop_after),
                ("unavailable", f.unavailable),
                ("unavailable_after", f.unavailable_after),
                ("rate_limited", f.rate_limited),
            ):
                if roll < rate:
                    self.injected[name] += 1
                    return name
                roll -= rate
        return None

    def count_forwarded(self) -> None:
        with self._lock:  # concurrent calls share one draw
            self.forwarded += 1

    def choice(self, options: tuple[int, ...]) -> int:
        with self._lock:
            return self.rng.choice(options)

    def replacement(self, fault: str, request: httpx.Request) -> httpx.Response:
        """The answer an injected status fault gives instead of the server's."""
        if fault == "rate_limited":
            body = {"error": {"code": "too_many_requests", "message": "Injected rate limit."}}
            return httpx.Response(
                429,
                headers={"Retry-After": str(self.faults.retry_after)},
                content=json.dumps(body).encode(),
                request=request,
            )
        status = self.choice((502, 503))
        text = "Bad Gateway" if status == 502 else "Service Unavailable"
        return httpx.Response(
            status, headers={"Content-Type": "text/plain"}, content=text.encode(), request=request
        )

    def dropped(self, request: httpx.Request) -> httpx.TransportError:
        kind = (httpx.ReadError, httpx.RemoteProtocolError)[self.choice((0, 1))]
        return kind("connection lost after the server answered (injected)", request=request)


class FaultInjectingTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Injects faults in front of ``inner`` (see the module docstring); sync, async or both,
    as ``inner`` is."""

    def __init__(
        self,
        inner: httpx.BaseTransport | httpx.AsyncBaseTransport,
        faults: Faults | None = None,
        *,
        seed: int = 0,
    ) -> None:
        self._inner = inner
        self._faults = _SeededFaults(faults or Faults(), seed)

    @property
    def injected(self) -> Counter[str]:
        """How many times each fault fired."""
        return self._faults.injected

    @property
    def forwarded(self) -> int:
        """How many requests reached ``inner``."""
        return self._faults.forwarded

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        fault = self._faults.draw()
        if fault in ("unavailable", "rate_limited"):
            return self._faults.replacement(fault, request)
        response = sync_inner(self._inner, self).handle_request(request)
        self._faults.count_forwarded()
        if fault is None:
            return response
        try:
            response.read()
        finally:
            response.close()
        return self._spoil(fault, request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        fault = self._faults.draw()
        if fault in ("unavailable", "rate_limited"):
            return self._faults.replacement(fault, request)
        response = await async_inner(self._inner, self).handle_async_request(request)
        self._faults.count_forwarded()
        if fault is None:
            return response
        try:
            await response.aread()
        finally:
            await response.aclose()
        return self._spoil(fault, request)

    def _spoil(self, fault: str, request: httpx.Request) -> httpx.Response:
        """What the client gets instead of an answer the server gave."""
        if fault == "drop_after":
            raise self._faults.dropped(request)
        return self._faults.replacement(fault, request)

    def close(self) -> None:
        close(self._inner)

    async def aclose(self) -> None:
        await aclose(self._inner)


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
