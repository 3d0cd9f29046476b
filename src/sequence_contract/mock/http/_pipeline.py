"""The request pipeline every API call goes through; ``Pipeline._handle`` reads as these steps:

1. ``X-Request-ID``: the client's when it is valid, else a generated ``req_`` + ULID; it is on
   every response, errors included, and in the body of every success;
2. routing: unknown path → 404 ``not_found``; method not in the spec → 405
   ``method_not_allowed`` with ``Allow`` (both before authentication, like most frameworks);
3. authentication: ``Authorization: ApiKey <key>``, missing or unknown → 401 ``unauthorized``;
4. rate limit (when enabled): 429 ``too_many_requests`` + ``Retry-After``;
5. validation of parameters, headers and body against the spec → 400 ``bad_request``; then
   what the test asked for: ``Prefer: code=NNN`` answers the documented example (nothing
   changes), and a scenario (``_scenarios``) may answer, drop or delay before step 6 or replace
   the answer after step 7;
6. idempotency (operations with an ``Idempotency-Key`` parameter): the request holds a
   ``Slot``: replay / 400 / 409, else the slot is acquired;
7. the handler: effects due by now are settled first; then the handler runs in a store
   transaction, its answer is serialised inside it and committed to the slot as its last step,
   so state and remembered answer change together or not at all. Permission (403) before
   existence (404) before domain rules.

An ``ApiError`` becomes its envelope (a handler's rolls its transaction back and is remembered
by the slot like any answer). Anything else raised is one 500 ``internal_server_error``
envelope: the transaction has rolled back, the slot is released, the server keeps running.

The pipeline is itself an ASGI app: it reads the request from the scope (``Incoming``) and
sends its ``Answer`` as two messages, with no framework object per request (see ``_asgi``).
Each answered request is recorded in the journal (``_journal``): one tuple appended.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from starlette.requests import ClientDisconnect
from starlette.types import Receive, Scope, Send

from ...spec import Validators
from .._errors import ApiError, bad_request, unauthorized
from ..domain import Call, Handler, Reply
from ..domain._permissions import ApiKey
from ..state._idempotency import IdempotencyCache, Slot
from ..state._ids import IdFactory
from ..state._journal import Entry, Journal
from ..state._ratelimit import RateLimiter
from ..state._scenarios import DEFAULT_CODES, Delay, Fault, Scenarios, Then
from ..state._scenarios import Answer as Steered
from ..state._store import Store
from ._access_log import AccessLog
from ._asgi import Incoming
from ._endpoints import Endpoint, Endpoints
from ._envelope import Answer, error_response, json_answer, raw_list_body, success_body
from ._prefer import Examples, preferred_code
from ._serve import DROP_EXTENSION
from ._validation import read_body, validate_arguments

LOG = logging.getLogger("sequence_contract.mock")
BASE_PATH = "/api/v1"
IDEMPOTENCY_KEY = "idempotency-key"
_INTERNAL = ApiError(500, "internal_server_error", "An unexpected error occurred.")
DROP = Answer(0, {})  # close the connection with no answer (a drop scenario)


@dataclass(slots=True)
class Options:
    rate_limit: bool = False
    latency: float = 0.0  # real seconds a write holds before answering (in-flight window)


@dataclass(slots=True)
class _InFlight:
    """One request, the id its answer carries (set by step 1; errors need it too), and what the
    journal records of it."""

    request: Incoming
    request_id: str = "req_unknown"
    operation_id: str | None = None
    key: str | None = None
    idempotency_key: str | None = None


class Dropped(ConnectionError):
    """A drop scenario, served where the server cannot close a connection (in-process)."""


class Pipeline:
    def __init__(
        self,
        store: Store,
        schemas: Validators,
        routes: Endpoints,
        handlers: dict[str, Handler],
        options: Options,
        *,
        journal: Journal | None = None,
        scenarios: Scenarios | None = None,
        access_log: AccessLog | None = None,
        ids: IdFactory | None = None,
        idempotency: IdempotencyCache[Answer] | None = None,
        rate_limiter: RateLimiter | None = None,
    ) -> None:
        self.store = store
        self.ids = ids or IdFactory()
        self.idempotency: IdempotencyCache[Answer] = idempotency or IdempotencyCache()
        self.rate_limiter = rate_limiter or RateLimiter()
        self.access_log = access_log
        self.journal = journal or Journal()
        self.scenarios = scenarios or Scenarios()
        self.examples = Examples(routes.spec)
        self.schemas = schemas
        self.routes = routes
        self.handlers = handlers
        self.options = options
        self._request_id = schemas.check("/components/parameters/XRequestId/schema")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        exchange = _InFlight(Incoming(scope, receive))
        try:
            answer = await self._handle(exchange)
        except ApiError as error:
            answer = error_response(error, exchange.request_id)
        except ClientDisconnect:  # the client left mid-body: nobody to answer, nothing broke
            cut = bad_request("The request body was cut off.")
            answer = error_response(cut, exchange.request_id)
        except Exception:
            LOG.exception("unhandled error in %s %s", scope["method"], scope["path"])
            answer = error_response(_INTERNAL, exchange.request_id)
        request = exchange.request
        self.journal.record(
            Entry(
                exchange.request_id,
                self.store.clock.now(),
                request.method,
                request.path,
                exchange.operation_id,
                answer.status or None,
                exchange.idempotency_key,
                exchange.key,
            )
        )
        if self.access_log is not None:
            self.access_log(scope, answer.status or None)
        if answer is DROP:
            _drop(scope)
            return
        await answer.send(send)

    async def _handle(self, exchange: _InFlight) -> Answer:
        request = exchange.request
        exchange.request_id = self._request_id_of(request)  # 1
        operation, path_args = self._route(request)  # 2
        exchange.operation_id = operation.operation_id
        key = self._authenticate(request)  # 3
        exchange.key = key.key
        self._limit_rate(key)  # 4
        call = await self._validate(request, operation, path_args, key)  # 5
        exchange.idempotency_key = call.headers.get(IDEMPOTENCY_KEY)
        if "prefer" in request.headers:
            code = preferred_code(request.headers["prefer"])
            if code is not None:
                return self.examples.answer(operation.spec, code, exchange.request_id)
        then = (
            self.scenarios.take(operation.operation_id, key.key, call.body)
            if (self.scenarios.items)
            else None
        )
        if then is not None:
            early = await _before(then, exchange.request_id)
            if early is not None:
                return early
        async with self._slot(request, call) as slot:  # 6
            if slot.replay is not None:
                return _replayed(slot.replay)
            answer = await self._run(call, exchange.request_id, slot)  # 7
        return answer if then is None else _after(then, answer, exchange.request_id)

    def _request_id_of(self, request: Incoming) -> str:
        given = request.headers.get("x-request-id")
        if given is not None and self._request_id.first_error(given) is None:
            return given
        return self.ids.request_id(self.store.clock.now())

    def _route(self, request: Incoming) -> tuple[Endpoint, dict[str, str]]:
        return self.routes.route(request.method, request.path, BASE_PATH)

    def _authenticate(self, request: Incoming) -> ApiKey:
        header = request.headers.get("authorization", "")
        scheme, _, secret = header.partition(" ")
        key = self.store.api_keys.get(secret) if scheme.lower() == "apikey" else None
        if key is None:
            raise unauthorized()
        return key

    def _limit_rate(self, key: ApiKey) -> None:
        if self.options.rate_limit:
            self.rate_limiter.hit(key.key, self.store.clock.now())

    async def _validate(
        self, request: Incoming, operation: Endpoint, path_args: dict[str, str], key: ApiKey
    ) -> Call:
        arguments = validate_arguments(operation, path_args, request.query, request.headers)
        body = await read_body(operation, request.headers, request.chunks())
        return Call(
            store=self.store,
            ids=self.ids,
            schemas=self.schemas,
            key=key,
            operation=operation.spec,
            path=arguments.path,
            query=arguments.query,
            headers=arguments.headers,
            body=body,
        )

    def _slot(self, request: Incoming, call: Call) -> Slot[Answer]:
        cache = self.idempotency
        given = call.headers.get(IDEMPOTENCY_KEY)  # only operations that document the header
        if given is None:
            return cache.no_slot()
        slot_id = (call.key.key, call.operation.operation_id, str(given))
        return cache.slot(slot_id, request.path, call.body, self.store.now())

    async def _run(self, call: Call, request_id: str, slot: Slot[Answer]) -> Answer:
        self.store.settle()
        answer = self._answer(call, request_id, slot)
        await self._hold(call)
        return answer

    def _answer(self, call: Call, request_id: str, slot: Slot[Answer]) -> Answer:
        handler = self.handlers[call.operation.operation_id]
        try:
            with self.store.transaction():
                answer = _respond(handler(call), request_id)
                slot.commit(answer)  # last: nothing after it can undo the write
        except ApiError as error:  # rolled back: a refused request changed nothing
            answer = error_response(error, request_id)
            slot.commit(answer)
        return answer

    async def _hold(self, call: Call) -> None:
        """``latency``: an idempotent write answers late, so a same-key retry meets it in flight."""
        if self.options.latency > 0 and call.operation.idempotency_key:
            await asyncio.sleep(self.options.latency)


def _replayed(stored: Answer) -> Answer:
    """A remembered answer, byte for byte, marked as a replay."""
    return Answer(stored.status, {**stored.headers, "Idempotent-Replayed": "true"}, stored.body)


async def _before(then: Then, request_id: str) -> Answer | None:
    """A scenario's answer before anything happens (None: go on, perhaps after a delay)."""
    if isinstance(then, Steered):
        error = ApiError(then.status, then.code, then.message, dict(then.headers))
        return error_response(error, request_id)
    if isinstance(then, Delay):
        await asyncio.sleep(then.seconds)
    elif isinstance(then, Fault) and then.fault == "drop_before":
        return DROP
    return None


def _after(then: Then, answer: Answer, request_id: str) -> Answer:
    """A scenario's answer once the write committed (its slot keeps the real one)."""
    if isinstance(then, Fault) and then.fault == "error_after_commit":
        status = then.status or 500
        message = "The write was applied, but the answer was lost (a mock scenario)."
        return error_response(ApiError(status, DEFAULT_CODES[status], message), request_id)
    if isinstance(then, Fault) and then.fault == "drop_after_commit":
        return DROP
    return answer


def _drop(scope: Scope) -> None:
    """Close the connection with no answer: through the server's hook (``_serve.HTTP``), else
    (an in-process transport) by raising ``Dropped`` to the caller."""
    close = scope.get(DROP_EXTENSION)
    if close is None:
        raise Dropped("the mock closed the connection with no answer (a drop scenario)")
    close()


def _respond(reply: Reply, request_id: str) -> Answer:
    if reply.status == 204:
        return Answer(204, {"X-Request-ID": request_id})
    if reply.fragments is not None:
        body = raw_list_body(request_id, reply.fragments, reply.page_info or {})
    else:
        body = success_body(request_id, reply.data, reply.page_info)
    return json_answer(reply.status, body, request_id)
