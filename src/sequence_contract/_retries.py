"""Retries as an httpx transport, so every generated call gets them without wrapping.

Policy (``RetryPolicy``; backoff and jitter are stamina's):

* retried: connection failures and timeouts (``httpx.TransportError`` minus local misuse),
  429 (waiting what ``Retry-After`` asks, up to ``retry_after_max``; a longer demand ends the
  retries at once and surfaces as ``RateLimitError.retry_after``), 502/503/504, and 409 on a
  request with an ``Idempotency-Key`` (the documented "a call with this key is still running":
  once it finishes, the retry gets its replayed answer);
* bounded by ``max_retries`` extra attempts and ``total_timeout`` seconds overall, the first
  attempt included (a wait in progress may overrun it by one backoff);
* every answer's body is read inside the attempt, so a connection lost mid-body is a
  connection failure like any other;
* a request is *replay-safe* when its method is GET/HEAD/OPTIONS or it carries an
  ``Idempotency-Key``. Only replay-safe requests are retried after a connection failure or a
  502/503/504, because the server may have acted on them; 429 means the server refused the
  request untouched, so it is retried for every method.

Idempotency keys: before the first attempt, a write (POST/PUT/PATCH/DELETE) without an
``Idempotency-Key`` header gets a fresh UUID v4, and every retry of that logical call sends the
same request, hence the same key; the server replays the first outcome instead of acting twice.
A key the caller set is kept and reused as is: reusing one key for two different logical calls
makes the server answer the second with the first's result (or 400 on another body). With
``idempotency_keys=False`` writes without a key are never retried after a connection failure.

Each attempt is recorded on the request (``_outcome``), so an error raised at the end can say
what every attempt met and whether a write may have happened.

Tests switch waiting off with ``stamina.set_testing(True, attempts=..., cap=True)``.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import httpx

from ._errors import retry_after_seconds
from ._outcome import IDEMPOTENCY_HEADER, Attempt, record_attempt, start_attempts
from ._transport import aclose, async_inner, close, sync_inner
from .spec import WRITE_METHODS

if TYPE_CHECKING:
    import stamina

logger = logging.getLogger("sequence_contract")

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_RETRYABLE_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how long to retry; every duration in seconds."""

    max_retries: int = 2
    total_timeout: float = 60.0
    wait_initial: float = 0.5
    wait_max: float = 8.0
    wait_jitter: float = 1.0
    retry_after_max: float = 60.0
    statuses: frozenset[int] = field(default=frozenset({409, 429, 502, 503, 504}))
    idempotency_keys: bool = True

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError("max_retries must be >= 0")

    def time_left(self, started: float) -> float:
        """Seconds of ``total_timeout`` left for retries after a first attempt begun at ``started``
        (``time.monotonic()``); the first attempt counts, so the bound is overall."""
        return max(0.001, self.total_timeout - (time.monotonic() - started))

    def decide(self, request: httpx.Request, failure: BaseException) -> bool | float:
        """Whether to retry after ``failure``: False, True (back off), or seconds to wait."""
        safe = is_replay_safe(request)
        if isinstance(failure, _RetryableStatus):
            status = failure.response.status_code
            if status == 409 and IDEMPOTENCY_HEADER not in request.headers:
                return False  # a conflict, not a call still in flight
            if status != 429 and not safe:
                return False
            wait = retry_after_seconds(failure.response.headers)
            if wait is None:
                return True
            if wait > self.retry_after_max:
                return False
            return wait
        if isinstance(failure, _RETRYABLE_ERRORS):
            return safe
        return False


def is_replay_safe(request: httpx.Request) -> bool:
    return request.method in _SAFE_METHODS or IDEMPOTENCY_HEADER in request.headers


def add_idempotency_key(request: httpx.Request) -> None:
    """Give a write without a key a fresh UUID v4 (once per logical call)."""
    if request.method in WRITE_METHODS and IDEMPOTENCY_HEADER not in request.headers:
        request.headers[IDEMPOTENCY_HEADER] = str(uuid.uuid4())


class _RetryableStatus(Exception):
    """Carries a retryable response through stamina; never escapes this module."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


class _Attempts(Protocol):
    """What ``stamina.retry_context`` returns: attempts to iterate, sync or async."""

    def __iter__(self) -> Iterator[stamina.Attempt]: ...
    def __aiter__(self) -> AsyncIterator[stamina.Attempt]: ...


class _Decider:
    """stamina's ``on=`` hook for one logical call."""

    __slots__ = ("policy", "request")

    def __init__(self, policy: RetryPolicy, request: httpx.Request) -> None:
        self.policy = policy
        self.request = request

    def __call__(self, failure: Exception) -> bool | float:
        decision = self.policy.decide(self.request, failure)
        if decision is not False:
            logger.debug(
                "retrying %s %s after %s", self.request.method, self.request.url.path, failure
            )
        return decision


class RetryingTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Wraps a transport with the retry policy and idempotency keys; sync, async or both, as
    ``inner`` is (one class, like httpx's ``MockTransport``).

    Only the awaiting differs between the two protocols: ``_send``/``_asend`` (one attempt) and
    the loops over stamina's attempts. The first attempt runs outside stamina (``_fast_path``),
    so a call that succeeds pays nothing for retries; its failure is then replayed into
    stamina's loop as the first attempt's outcome. ``scripts/bench-client`` measures what that
    saves and prints it.
    """

    _fast_path = True

    def __init__(
        self,
        inner: httpx.BaseTransport | httpx.AsyncBaseTransport,
        policy: RetryPolicy | None = None,
    ) -> None:
        self._inner = inner
        self.policy = policy or RetryPolicy()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        inner = sync_inner(self._inner, self)
        started = self._prepare(request)
        request.read()  # a body sent again must be bytes, not a spent stream
        pending: Exception | None = None
        try:
            if self._fast_path:
                try:
                    return self._send(inner, request)
                except Exception as failure:
                    pending = self._settle(request, failure)
            for attempt in self._attempts(request, started):
                with attempt:
                    if pending is not None:  # the fast path's failure is stamina's first
                        first, pending = pending, None
                        raise first
                    return self._send(inner, request)
        except _RetryableStatus as last:
            return last.response
        raise AssertionError("unreachable: stamina ends with a result or the last error")

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        inner = async_inner(self._inner, self)
        started = self._prepare(request)
        await request.aread()
        pending: Exception | None = None
        try:
            if self._fast_path:
                try:
                    return await self._asend(inner, request)
                except Exception as failure:
                    pending = self._settle(request, failure)
            async for attempt in self._attempts(request, started):
                with attempt:
                    if pending is not None:  # the fast path's failure is stamina's first
                        first, pending = pending, None
                        raise first
                    return await self._asend(inner, request)
        except _RetryableStatus as last:
            return last.response
        raise AssertionError("unreachable: stamina ends with a result or the last error")

    def _prepare(self, request: httpx.Request) -> float:
        """Key the request and start its record of attempts (once per logical call); the start
        of the overall time bound."""
        if self.policy.idempotency_keys:
            add_idempotency_key(request)
        start_attempts(request)
        return time.monotonic()

    def _answer(self, request: httpx.Request, response: httpx.Response) -> httpx.Response:
        """One attempt's answer, its body read: recorded, then returned, or raised when it may
        be retried."""
        record_attempt(request, Attempt.answered(response.status_code, request))
        if response.status_code in self.policy.statuses:
            raise _RetryableStatus(response)
        return response

    def _send(self, inner: httpx.BaseTransport, request: httpx.Request) -> httpx.Response:
        try:
            response = inner.handle_request(request)
            try:
                response.read()  # a connection lost mid-body fails here, inside the retries
            finally:
                response.close()
        except Exception as failure:
            record_attempt(request, Attempt.failed(failure))
            raise
        return self._answer(request, response)

    async def _asend(
        self, inner: httpx.AsyncBaseTransport, request: httpx.Request
    ) -> httpx.Response:
        try:
            response = await inner.handle_async_request(request)
            try:
                await response.aread()
            finally:
                await response.aclose()
        except Exception as failure:
            record_attempt(request, Attempt.failed(failure))
            raise
        return self._answer(request, response)

    def _settle(self, request: httpx.Request, failure: Exception) -> Exception:
        """After a first attempt failed outside stamina: the failure to replay into its loop,
        or, when the policy does not retry it, the final answer (returned through
        ``_RetryableStatus``) or the error itself, raised."""
        if self.policy.max_retries == 0 or self.policy.decide(request, failure) is False:
            raise failure
        return failure

    def _attempts(self, request: httpx.Request, started: float) -> _Attempts:
        import stamina  # here, not at import: a call whose first attempt succeeds never needs it

        return stamina.retry_context(
            on=_Decider(self.policy, request),
            attempts=self.policy.max_retries + 1,
            timeout=self.policy.time_left(started),
            wait_initial=self.policy.wait_initial,
            wait_max=self.policy.wait_max,
            wait_jitter=self.policy.wait_jitter,
        )

    def close(self) -> None:
        close(self._inner)

    async def aclose(self) -> None:
        await aclose(self._inner)
