"""Typed errors, and the one mapper from an error response to an exception.

::

    SequenceError                    anything this layer raises on purpose
    ├── APIStatusError               the server answered 4xx/5xx: status_code, code, message,
    │   │                            request_id, body, operation
    │   ├── BadRequestError          400
    │   ├── AuthenticationError      401
    │   ├── PermissionDeniedError    403
    │   ├── NotFoundError            404
    │   ├── ConflictError            409
    │   ├── UnprocessableEntityError 422
    │   ├── RateLimitError           429 (retry_after: seconds the server asked for, or None)
    │   └── InternalServerError      5xx
    ├── APIConnectionError           no response: connection refused, reset, dropped mid-answer
    │   └── APITimeoutError          no response in time
    └── ContractError                a response the contract does not allow: undocumented
                                     status, body that is not JSON, required field missing,
                                     a cursor that repeats

The class follows the HTTP status, never the ``code``: an unknown code still maps by status, and
an error body without the documented envelope (the live API answers some 404s in plain text)
still gives the status's class with ``code=None``. Messages carry the operation, status, code
and request id, never a header, so the API key cannot leak through them; the one exception is a
write whose outcome is unknown, whose message quotes its Idempotency-Key (not a secret).
"""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from ._outcome import Attempt
    from .conformance import Violation

_UNKNOWN = "<unknown operation>"


class SequenceError(Exception):
    """Base class of every error this package raises on purpose.

    Raised for a call through ``connect()``'s client (or ``call()``), it also tells what the
    call's attempts were; raised for a write (POST, PUT, PATCH, DELETE), whether the write may
    have happened and the key that finishes it safely. The rules: ``_outcome``'s docstring.
    """

    #: The Idempotency-Key a write was sent with (yours or generated); None for reads.
    idempotency_key: str | None = None
    #: One entry per attempt, oldest first: its status or exception class, and what it proves.
    attempts: tuple[Attempt, ...] = ()
    #: A write that may have been applied although this error was raised.
    outcome_unknown: bool = False


class APIStatusError(SequenceError):
    """The server answered with an error status (4xx/5xx)."""

    status_code: int
    code: str | None  # the envelope's error.code; None when the body has no envelope
    message: str
    request_id: str | None  # from the X-Request-ID response header
    body: object  # the decoded JSON body, or the text when it is not JSON
    operation: str

    def __init__(
        self,
        *,
        status_code: int,
        code: str | None,
        message: str,
        request_id: str | None,
        body: object,
        operation: str | None = None,
    ) -> None:
        self.status_code = status_code
        self.code = code
        self.message = message
        self.request_id = request_id
        self.body = body
        self.operation = operation or _UNKNOWN
        detail = f"{self.operation}: HTTP {status_code}"
        if code:
            detail += f" {code}"
        detail += f": {message}"
        if request_id:
            detail += f" (request_id={request_id})"
        super().__init__(detail)


class BadRequestError(APIStatusError):
    """400: malformed request, bad filter or cursor, idempotency key reused with another body."""


class AuthenticationError(APIStatusError):
    """401: no API key, or the key is invalid."""


class PermissionDeniedError(APIStatusError):
    """403: the key lacks the scope or the resource; also domain refusals (rule deactivated…)."""


class NotFoundError(APIStatusError):
    """404: unknown id (a read right after a create may briefly see one)."""


class ConflictError(APIStatusError):
    """409: a call with the same Idempotency-Key is still running."""


class UnprocessableEntityError(APIStatusError):
    """422: well-formed but unacceptable body."""


class RateLimitError(APIStatusError):
    """429: over the rate limit; ``retry_after`` is the wait the server asked for, if any."""

    retry_after: float | None

    def __init__(
        self,
        *,
        status_code: int,
        code: str | None,
        message: str,
        request_id: str | None,
        body: object,
        operation: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(
            status_code=status_code,
            code=code,
            message=message,
            request_id=request_id,
            body=body,
            operation=operation,
        )


class InternalServerError(APIStatusError):
    """5xx: the server, or a proxy in front of it, failed."""


class APIConnectionError(SequenceError):
    """No response arrived: the connection failed or broke (a write may still have happened)."""

    method: str
    url: str

    def __init__(self, *, method: str, url: str, message: str | None = None) -> None:
        self.method = method
        self.url = url
        super().__init__(message or f"{method} {url}: connection error")


class APITimeoutError(APIConnectionError):
    """No response arrived in time."""

    def __init__(self, *, method: str, url: str, message: str | None = None) -> None:
        super().__init__(method=method, url=url, message=message or f"{method} {url}: timed out")


class ContractError(SequenceError):
    """A response breaks the contract in openapi.yaml; ``problem`` says how, ``violations``
    holds the checker's records when it found them (``connect(validate=...)``)."""

    operation: str
    problem: str
    status_code: int | None
    violations: tuple[Violation, ...]

    def __init__(
        self,
        operation: str | None,
        problem: str,
        status_code: int | None = None,
        *,
        violations: Iterable[Violation] = (),
    ) -> None:
        self.operation = operation or _UNKNOWN
        self.problem = problem
        self.status_code = status_code
        self.violations = tuple(violations)
        super().__init__(f"{self.operation}: response breaks the contract: {problem}")


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def _decode(content: bytes) -> object:
    try:
        return json.loads(content) if content else None
    except ValueError:
        return content.decode("utf-8", errors="replace")


def _redact(value: object, secret: str | None) -> object:
    """``value`` with ``secret`` cut out of every string in it (a server may echo a bad key)."""
    if not secret:
        return value
    if isinstance(value, str):
        return value.replace(secret, "[redacted]")
    if isinstance(value, list):
        return [_redact(item, secret) for item in value]
    if isinstance(value, dict):
        return {key: _redact(item, secret) for key, item in value.items()}
    return value


def retry_after_seconds(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """``Retry-After`` in seconds: an integer (documented) or an HTTP date; None when absent."""
    value = headers.get("retry-after") or headers.get("Retry-After")
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def make_status_error(
    status_code: int,
    headers: Mapping[str, str],
    content: bytes,
    operation: str | None = None,
    *,
    secret: str | None = None,
) -> APIStatusError:
    """The exception for an error response: the only place a status becomes a class."""
    body = _redact(_decode(content), secret)
    code: str | None = None
    message: str | None = None
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        envelope = body["error"]
        code = envelope.get("code") if isinstance(envelope.get("code"), str) else None
        message = envelope.get("message") if isinstance(envelope.get("message"), str) else None
    if message is None:
        text = body if isinstance(body, str) else ""
        message = text.strip()[:200] or "error response without the documented envelope"
    request_id = headers.get("x-request-id") or headers.get("X-Request-ID")
    fields: dict[str, Any] = {
        "status_code": status_code,
        "code": code,
        "message": message,
        "request_id": request_id,
        "body": body,
        "operation": operation,
    }
    if status_code == 429:
        return RateLimitError(retry_after=retry_after_seconds(headers), **fields)
    cls = _BY_STATUS.get(status_code)
    if cls is None:
        cls = InternalServerError if status_code >= 500 else APIStatusError
    return cls(**fields)


def _where(request: httpx.Request) -> tuple[str, str]:
    """Method and URL for a message: host and path only, never credentials or the query."""
    url = request.url
    host = url.host if url.port is None else f"{url.host}:{url.port}"
    return request.method, f"{url.scheme}://{host}{url.path}"


def connection_error(exc: httpx.TransportError, request: httpx.Request) -> APIConnectionError:
    """The one mapper from an httpx transport failure to this package's exceptions."""
    method, url = _where(request)
    detail = f"{method} {url}: {type(exc).__name__}"
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(method=method, url=url, message=f"{detail} (timed out)")
    return APIConnectionError(method=method, url=url, message=detail)
