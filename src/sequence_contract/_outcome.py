"""Whether a write that raised may still have happened: the attempts of a call, and the rules.

Every attempt of a call (``connect()``'s retries make up to ``max_retries + 1``) is kept as an
``Attempt``: what it ended with, whether the request may have reached the server and been acted
on, and whether that answer settles the outcome. The rules, one row per way an attempt ends:

| attempt ended with | may have acted | settles |
|---|---|---|
| 2xx answer: the write happened | yes | yes |
| 3xx answer: a redirect proves nothing | yes | no |
| 4xx answer but the three below: refused | no | yes |
| 409 to a request with an Idempotency-Key: "still running" | yes | no |
| 408 or 429: refused before any work | no | no |
| 5xx answer, a gateway's 502/503/504 included | yes | no |
| never sent: ConnectError, ConnectTimeout, PoolTimeout, a local protocol error | no | no |
| any other failure, once sent: read/write error or timeout, closed, body cut off | yes | no |

A write's ``outcome_unknown`` is True when some attempt may have acted and no later attempt
settles the outcome. Errors from a write (POST, PUT, PATCH, DELETE) carry ``idempotency_key``
(the key sent, yours or generated; None when none was sent), ``attempts`` and
``outcome_unknown``; when it is True their message adds one line: the write may have been
applied, and calling again with ``idempotency_key=<key>`` finishes it safely (the server replays
the first outcome instead of acting twice).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import httpx

from ._errors import SequenceError
from .spec import WRITE_METHODS

IDEMPOTENCY_HEADER = "Idempotency-Key"
#: Request extension holding the call's ``Attempt`` list (the retrying transport fills it).
ATTEMPTS = "sequence_contract.attempts"
_NOT_SENT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.UnsupportedProtocol,
    httpx.LocalProtocolError,
)


@dataclass(frozen=True, slots=True)
class Attempt:
    """One attempt of a call: ``answer`` is the status (``"503"``) or the exception class
    (``"ReadError"``); ``may_have_acted``: the request may have reached the server and been
    acted on; ``settles``: the server's own verdict, which ends any doubt from earlier ones."""

    answer: str
    may_have_acted: bool
    settles: bool

    def __str__(self) -> str:
        return self.answer

    @classmethod
    def answered(cls, status: int, request: httpx.Request) -> Attempt:
        if status < 300:
            return cls(str(status), may_have_acted=True, settles=True)
        if status < 400:
            return cls(str(status), may_have_acted=True, settles=False)
        if status == 409 and IDEMPOTENCY_HEADER in request.headers:
            return cls("409", may_have_acted=True, settles=False)
        if status in (408, 429):
            return cls(str(status), may_have_acted=False, settles=False)
        if status >= 500:
            return cls(str(status), may_have_acted=True, settles=False)
        return cls(str(status), may_have_acted=False, settles=True)

    @classmethod
    def failed(cls, error: BaseException) -> Attempt:
        sent = not isinstance(error, _NOT_SENT)
        return cls(type(error).__name__, may_have_acted=sent, settles=False)


def outcome_unknown(attempts: Sequence[Attempt]) -> bool:
    """Some attempt may have acted and no later one settled the outcome (the table above)."""
    unknown = False
    for attempt in attempts:
        if attempt.settles:
            unknown = False
        elif attempt.may_have_acted:
            unknown = True
    return unknown


def start_attempts(request: httpx.Request) -> None:
    """Begin the record of a logical call's attempts."""
    request.extensions[ATTEMPTS] = []


def record_attempt(request: httpx.Request, attempt: Attempt) -> None:
    request.extensions.setdefault(ATTEMPTS, []).append(attempt)


def attempts_of(request: httpx.Request) -> list[Attempt]:
    recorded = request.extensions.get(ATTEMPTS)
    return recorded if isinstance(recorded, list) else []


def annotate(error: SequenceError, request: httpx.Request, last: Attempt) -> SequenceError:
    """Give ``error`` the truth about ``request``: its attempts (the retrying transport's
    record, else ``last`` alone) and, for a write, its key and whether it may have happened."""
    if error.attempts:
        return error  # already told, by the layer closer to the wire
    error.attempts = tuple(attempts_of(request) or [last])
    if request.method not in WRITE_METHODS:
        return error
    error.idempotency_key = request.headers.get(IDEMPOTENCY_HEADER)
    error.outcome_unknown = outcome_unknown(error.attempts)
    if error.outcome_unknown and error.args:
        error.args = (f"{error.args[0]}\n{_advice(error)}", *error.args[1:])
    return error


def _advice(error: SequenceError) -> str:
    """The one line a write whose outcome is unknown adds to its message."""
    seen = ", ".join(map(str, error.attempts))
    if error.idempotency_key is None:
        return (
            f"The write may have been applied (attempts: {seen}); it carried no "
            "Idempotency-Key, so check whether it happened before sending it again."
        )
    return (
        f"The write may have been applied (attempts: {seen}); to finish it safely, call "
        f"again with idempotency_key={error.idempotency_key!r}."
    )
