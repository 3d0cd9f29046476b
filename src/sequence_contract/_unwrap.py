"""From a generated ``*_detailed`` call to "the data, or an exception".

``call(get_account.sync_detailed, "acc_…", client=c)`` runs the call and returns the envelope's
``data`` (an ``Account``); ``unwrap(response)`` does the same for a response already in hand.
The success envelope's ``request_id`` is dropped: it repeats the ``X-Request-ID`` header, and
``*_detailed`` responses keep both for callers who want them.

``call`` is the stronger of the two: the generated parser runs inside the call, so a 2xx body
that is not JSON or lacks a required field raises there, before ``unwrap`` could see it.
``call`` turns that into a ``ContractError`` naming the operation, the model and the field,
never a bare ``KeyError``. The operation comes from the function's module (the generator names
it after the operationId) and is checked against the statuses the spec documents. The body
quoted comes from the response ``connect()``'s transport recorded for the call; only a plain
generated client, which records nothing, has it looked up in the traceback.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextvars import ContextVar
from typing import ParamSpec, Protocol, TypeVar, cast

import httpx

from ._errors import (
    ContractError,
    SequenceError,
    _redact,
    connection_error,
    make_status_error,
)
from ._outcome import IDEMPOTENCY_HEADER, Attempt, annotate
from .spec import model

#: The responses the call in progress received (the last one is what its parser reads).
_RECORDED: ContextVar[list[httpx.Response] | None] = ContextVar("sequence_responses", default=None)

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
P = ParamSpec("P")


class Detailed(Protocol[T_co]):
    """What a generated ``*_detailed`` function returns (``sequence_api_client.types.Response``)."""

    @property
    def status_code(self) -> int: ...
    @property
    def content(self) -> bytes: ...
    @property
    def headers(self) -> Mapping[str, str]: ...
    @property
    def parsed(self) -> T_co | None: ...


class Envelope(Protocol[T_co]):
    """A success body: ``{"request_id", "data"}``."""

    @property
    def data(self) -> T_co: ...


class ErrorBody(Protocol):
    """An error body: ``{"error": {"code", "message"}}``."""

    @property
    def error(self) -> object: ...


def operation_name(function: object) -> str:
    op = model().for_function(function)
    if op is not None:
        return op.operation_id
    return str(getattr(function, "__module__", "") or "").rsplit(".", 1)[-1] or repr(function)


def client_key(kwargs: Mapping[str, object]) -> str | None:
    """The API key of the ``client=`` given to a generated call: an error body may echo it."""
    token = getattr(kwargs.get("client"), "token", None)
    return token if isinstance(token, str) and token else None


def checked(response: Detailed[object], operation: str | None, secret: str | None = None) -> object:
    """The parsed success body, after the status checks every caller needs."""
    status = int(response.status_code)
    if status >= 400:
        raise make_status_error(
            status, response.headers, response.content, operation, secret=secret
        )
    op = model().by_id.get(operation or "")
    if op is not None and status not in op.statuses:
        raise ContractError(operation, f"undocumented status {status}", status)
    parsed = response.parsed
    if parsed is None and status != 204:
        raise ContractError(operation, f"status {status} without a parsed body", status)
    return parsed


def unwrap(
    response: Detailed[Envelope[T] | ErrorBody],
    *,
    operation: str | None = None,
    secret: str | None = None,
) -> T:
    """``response.parsed.data``, or the exception the response stands for (204: None).

    ``secret``: the API key, cut out of any error body quoted in the exception."""
    parsed = checked(response, operation, secret)
    if parsed is None:
        return cast(T, None)
    return cast(Envelope[T], parsed).data


def record_response(response: httpx.Response) -> httpx.Response:
    """Note ``response`` as the answer of the call in progress (``translating()`` reads it).
    ``connect()``'s raising transport calls this for every response it lets through."""
    slot = _RECORDED.get()
    if slot is not None:
        slot.append(response)
    return response


def _response_from_frames(exc: BaseException) -> httpx.Response | None:
    """Fallback for a plain generated client, whose transport records nothing: the response the
    generated ``_parse_response`` was reading when ``exc`` rose, found in the traceback."""
    response: httpx.Response | None = None
    tb = exc.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_code.co_name == "_parse_response" and str(
            frame.f_globals.get("__name__", "")
        ).startswith("sequence_api_client."):
            candidate = frame.f_locals.get("response")
            response = candidate if isinstance(candidate, httpx.Response) else response
        tb = tb.tb_next
    return response


def _failing_model(exc: BaseException) -> str | None:
    """The generated model whose ``from_dict`` raised ``exc`` (the innermost one), if any."""
    model = None
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_name == "from_dict" and str(
            tb.tb_frame.f_globals.get("__name__", "")
        ).startswith("sequence_api_client.models."):
            model = code.co_qualname.rsplit(".", 1)[0]
        tb = tb.tb_next
    return model


def _parse_failure(
    exc: BaseException, operation: str, secret: str | None, response: httpx.Response | None
) -> SequenceError | None:
    """The error for an exception the generated parser raised on ``response`` (the one the
    transport recorded, else found in the traceback); None if it came from elsewhere."""
    if response is None:
        response = _response_from_frames(exc)
    if response is None:
        return None
    return _told(_response_error(exc, operation, secret, response), response)


def _response_error(
    exc: BaseException, operation: str, secret: str | None, response: httpx.Response
) -> SequenceError:
    if response.status_code >= 400:  # a client without our transport: map by status anyway
        return make_status_error(
            response.status_code, response.headers, response.content, operation, secret=secret
        )
    where = _failing_model(exc) or "body"
    if isinstance(exc, json.JSONDecodeError):
        kind = response.headers.get("content-type", "no content-type")
        head = response.content[: 80 + len(secret or "")].decode("utf-8", errors="replace")
        snippet = str(_redact(head, secret))[:80]  # cut out before cutting short
        problem = f"body is not JSON ({kind}): {snippet!r}"
    elif isinstance(exc, KeyError):
        problem = f"{where} lacks required field {exc.args[0]!r}"
    else:
        problem = f"{where} does not parse: {type(exc).__name__}: {exc}"
    return ContractError(operation, str(_redact(problem, secret)), response.status_code)


def translate(
    exc: Exception,
    operation: str,
    secret: str | None = None,
    response: httpx.Response | None = None,
) -> SequenceError | None:
    """This package's exception for one raised inside a generated call, if it has one;
    ``response``: the answer the call received, when its transport recorded it."""
    if isinstance(exc, SequenceError):
        return None
    if isinstance(exc, httpx.TransportError):
        try:
            request = exc.request
        except RuntimeError:  # no request attached
            return None
        return annotate(connection_error(exc, request), request, Attempt.failed(exc))
    return _parse_failure(exc, operation, secret, response)


def _told(error: SequenceError, response: httpx.Response) -> SequenceError:
    """``error`` with what ``response``'s request went through (``_outcome.annotate``)."""
    try:
        request = response.request
    except RuntimeError:  # a response built by hand, never sent
        return error
    return annotate(error, request, Attempt.answered(response.status_code, request))


def _told_after(
    error: SequenceError, recorded: list[httpx.Response], operation: str, key: object
) -> None:
    """Tell an error raised after the call returned (``unwrap``'s) what the call went through:
    the recorded response's request, or, from a plain generated client, which records nothing
    and never retries, the one attempt the operation's method and the caller's key describe."""
    if error.attempts:
        return
    if recorded:
        _told(error, recorded[-1])
        return
    op = model().by_id.get(operation)
    status = getattr(error, "status_code", None)
    if op is None or not isinstance(status, int):
        return
    sent = httpx.Request(op.method, "http://plain.client/", headers=_key_header(key))
    annotate(error, sent, Attempt.answered(status, sent))


def _key_header(key: object) -> dict[str, str]:
    return {IDEMPOTENCY_HEADER: key} if isinstance(key, str) else {}


@contextlib.contextmanager
def translating(
    operation: str, secret: str | None, key: object = None
) -> Iterator[list[httpx.Response]]:
    """Re-raise an exception from inside a generated call as this package's, where it has one,
    telling it what the call went through. ``key``: the caller's ``idempotency_key=``. Yields
    the list the responses of the call are recorded in (the raw response is its last one)."""
    recorded: list[httpx.Response] = []
    token = _RECORDED.set(recorded)
    try:
        yield recorded
    except Exception as exc:
        mapped = translate(exc, operation, secret, recorded[-1] if recorded else None)
        if mapped is None:
            if isinstance(exc, SequenceError):  # e.g. a ContractError from unwrap
                _told_after(exc, recorded, operation, key)
            raise
        raise mapped from exc
    finally:
        _RECORDED.reset(token)


def call(
    function: Callable[P, Detailed[Envelope[T] | ErrorBody]], /, *args: P.args, **kwargs: P.kwargs
) -> T:
    """Run a generated ``sync_detailed`` function; its ``data``, or a ``SequenceError``."""
    operation, secret = operation_name(function), client_key(kwargs)
    with translating(operation, secret, kwargs.get("idempotency_key")):
        response = function(*args, **kwargs)
        return unwrap(response, operation=operation, secret=secret)


async def acall(
    function: Callable[P, Awaitable[Detailed[Envelope[T] | ErrorBody]]],
    /,
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    """Await a generated ``asyncio_detailed`` function; its ``data``, or a ``SequenceError``."""
    operation, secret = operation_name(function), client_key(kwargs)
    with translating(operation, secret, kwargs.get("idempotency_key")):
        response = await function(*args, **kwargs)
        return unwrap(response, operation=operation, secret=secret)
