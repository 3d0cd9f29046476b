"""The write guard: a loopback proxy between Schemathesis and a real server.

Schemathesis is told which operations to test, but it also sends requests of its own (probes,
unexpected-method checks, stateful links). On a real server a stray POST can move money, so in a
real-server run every request passes through this proxy, which

- forwards a request only when it targets an operation of the contract that the run selected:
  reads always, writes only when the user named the operation (``allowed_writes``);
- answers any other write itself with 403 ``blocked_by_contract_guard``: nothing leaves the
  machine, and the run fails, because the plan let through what it should not have;
- answers any other read itself with 404 (Schemathesis probes the server with a few GETs to
  made-up paths; they have no business on the real server either);
- keeps at most ``limit`` requests in any rolling minute (the server allows 100 per key);
- forwards at most ``budget`` requests when given one, answering any later one itself with 429
  ``request_budget_spent`` (and calls ``on_forward`` after each forwarded one: progress, and
  the runner's cue to stop at the budget); with ``shares`` (``_budget.Budget``), each phase and
  operation gets its part of it, read from the phase header Schemathesis' requests carry;
- marks every answer it makes itself with ``X-Contract-Guard`` (the hooks drop failures on
  them: they are not the server's);
- records every request, forwarded or not, for the summary and the tests.

The validating proxy reuses it with ``forward_unknown_reads``: a read of a path the contract does
not name reaches the server too (what the live API has beyond the documentation is news).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:  # ASGI's types, as Starlette spells them: only the mock imports Starlette
    from starlette.types import Message, Receive, Scope, Send

from ..spec import Operation, model
from ._budget import Budget
from ._ratelimit import SlidingWindowLimiter
from ._wire import CASE_HEADER, GUARD_HEADER, PHASE_HEADER

_HOP_BY_HOP = {
    b"connection", b"keep-alive", b"proxy-authenticate", b"proxy-authorization", b"te",
    b"trailers", b"transfer-encoding", b"upgrade", b"host", b"content-length", b"content-encoding",
}  # fmt: skip


FORWARDED, REFUSED_READ, BLOCKED_WRITE = "forwarded", "refused read", "blocked write"
OVER_BUDGET = "over budget"


@dataclass(frozen=True)
class Screened:
    method: str
    path: str
    operation_id: str | None
    outcome: str  # FORWARDED | REFUSED_READ | BLOCKED_WRITE
    reason: str
    at: float  # time.time() when the request was answered
    status: int | None = None
    phase: str | None = None  # the Schemathesis phase, or "checks" for the runner's own


@dataclass
class GuardLog:
    requests: list[Screened] = field(default_factory=list)

    def having(self, outcome: str) -> list[Screened]:
        return [seen for seen in self.requests if seen.outcome == outcome]


class WriteGuard:
    """ASGI app forwarding allowed requests to ``upstream`` (a base URL with any path prefix)."""

    def __init__(
        self,
        upstream: str,
        operations: Iterable[Operation],
        allowed_writes: Iterable[str] = (),
        *,
        limit: int = 90,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 30.0,
        forward_unknown_reads: bool = False,
        budget: int | None = None,
        on_forward: Callable[[int], None] | None = None,
        shares: Budget | None = None,
        answered_log: Path | None = None,
    ) -> None:
        self.upstream = upstream.rstrip("/")
        self.operations = list(operations)
        self._selected = {op.operation_id for op in self.operations}
        self.allowed_writes = frozenset(allowed_writes)
        self.limiter = SlidingWindowLimiter(limit)
        self.log = GuardLog()
        self._transport = transport
        self._timeout = timeout
        self.forward_unknown_reads = forward_unknown_reads
        self.budget = budget
        self.forwarded = 0
        self._on_forward = on_forward
        self.shares = shares
        #: Schemathesis' case id of each request the guard answered itself, one a line: the
        #: hooks drop a failure of such a case (a check's own probe shows no marker to them).
        self.answered_log = answered_log

    def decide(self, method: str, path: str) -> tuple[Operation | None, str, str]:
        """(operation or None, outcome, reason) for a request to ``path`` below the guard."""
        op = model().match(method, path)  # the spec's one route order
        if op is not None and op.operation_id not in self._selected:
            op = None
        if op is not None and (not op.is_write or op.operation_id in self.allowed_writes):
            return op, FORWARDED, "selected operation"
        if op is not None:
            return op, BLOCKED_WRITE, f"{op.operation_id} is a write not named in allow-writes"
        if method.upper() in ("GET", "HEAD"):
            if self.forward_unknown_reads:
                return None, FORWARDED, "a read the contract does not name"
            return None, REFUSED_READ, "no selected operation has this path"
        return None, BLOCKED_WRITE, f"{method.upper()} {path} is no selected operation"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return  # lifespan and websockets: nothing to do
        method = str(scope["method"]).upper()
        path = scope.get("raw_path", b"").decode("latin-1").split("?", 1)[0] or scope["path"]
        body = await _read_body(receive)
        phase_name = PHASE_HEADER.lower().encode()
        phase = next(
            (v.decode("latin-1") for k, v in scope.get("headers", []) if k.lower() == phase_name),
            None,
        )
        op, outcome, reason = self.decide(method, path)
        op_id = op.operation_id if op else None
        if outcome == FORWARDED and self.budget is not None and self.forwarded >= self.budget:
            outcome, reason = OVER_BUDGET, f"the run's budget of {self.budget} requests is spent"
        elif (
            outcome == FORWARDED and self.shares is not None and not self.shares.admit(phase, op_id)
        ):
            outcome, reason = OVER_BUDGET, f"{op_id}'s part of the {phase or 'run'} budget is spent"
        if outcome != FORWARDED:
            self._answered_itself(scope)
            status = {BLOCKED_WRITE: 403, OVER_BUDGET: 429}.get(outcome, 404)
            self.log.requests.append(
                Screened(method, path, op_id, outcome, reason, time.time(), status, phase)
            )
            code = "request_budget_spent" if outcome == OVER_BUDGET else "blocked_by_contract_guard"
            await _answer(send, status, {"error": {"code": code, "message": reason}}, outcome)
            return
        self.forwarded += 1
        await self.limiter.acquire()
        try:
            status, headers, content = await self._forward(scope, method, path, body)
        except httpx.TransportError as failed:
            status, reason = 502, f"the server did not answer: {type(failed).__name__}"
            self.log.requests.append(
                Screened(method, path, op_id, outcome, reason, time.time(), status, phase)
            )
            await _answer(
                send,
                status,
                {"error": {"code": "upstream_unreachable", "message": reason}},
                "unreachable",
            )
            return
        self.log.requests.append(
            Screened(method, path, op_id, outcome, reason, time.time(), status, phase)
        )
        if self._on_forward is not None:
            self._on_forward(self.forwarded)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": content})

    def _answered_itself(self, scope: Scope) -> None:
        if self.answered_log is None:
            return
        wanted = CASE_HEADER.lower().encode()
        for name, value in scope.get("headers", []):
            if name.lower() == wanted:
                with self.answered_log.open("a", encoding="utf-8") as log:
                    log.write(value.decode("latin-1") + "\n")

    async def _forward(
        self, scope: Scope, method: str, path: str, body: bytes
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        query = scope.get("query_string", b"").decode("latin-1")
        url = f"{self.upstream}{path}" + (f"?{query}" if query else "")
        # Raw bytes both ways: generated header values need not be ASCII.
        own = PHASE_HEADER.lower().encode()
        headers = [
            (k, v) for k, v in scope.get("headers", []) if k.lower() not in _HOP_BY_HOP | {own}
        ]
        async with httpx.AsyncClient(transport=self._transport, timeout=self._timeout) as client:
            response = await client.request(method, url, headers=headers, content=body)
        out = [(k, v) for k, v in response.headers.raw if k.lower() not in _HOP_BY_HOP]
        out.append((b"content-length", str(len(response.content)).encode()))
        return response.status_code, out, response.content


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message: Message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


async def _answer(send: Send, status: int, payload: dict[str, Any], why: str) -> None:
    content = json.dumps(payload).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(content)).encode()),
        (GUARD_HEADER.lower().encode(), why.encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": content})
