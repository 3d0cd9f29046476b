"""The request pipeline every API call goes through; ``Pipeline._handle`` reads as these steps:

1. ``X-Request-ID``: the client's when it is valid, else a generated ``req_`` + ULID; it is on
   every response, errors included, and in the body of every success;
2. routing: unknown path → 404 ``not_found``; method not in the spec → 405
   ``method_not_allowed`` with ``Allow`` (both before authentication, like most frameworks);
3. authentication: ``Authorization: ApiKey <key>``, missing or unknown → 401 ``unauthorized``;
4. rate limit (when enabled): 429 ``too_many_requests`` + ``Retry-After``;
5. validation of parameters, headers and body against the spec → 400 ``bad_request``;
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
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from starlette.requests import ClientDisconnect
from starlette.types import Receive, Scope, Send

from ..spec import Validators
from ._asgi import Incoming
from ._envelope import (
    Answer,
    ApiError,
    bad_request,
    error_response,
    json_answer,
    raw_list_body,
    success_body,
    unauthorized,
)
from ._idempotency import Slot
from ._permissions import ApiKey
from ._routes import Operation, Operations
from ._store import Store
from ._validation import read_body, validate_arguments
from .handlers import Call, Handler, Reply

LOG = logging.getLogger("sequence_contract.mock")
BASE_PATH = "/api/v1"
IDEMPOTENCY_KEY = "idempotency-key"
_INTERNAL = ApiError(500, "internal_server_error", "An unexpected error occurred.")


@dataclass(slots=True)
class Options:
    rate_limit: bool = False
    latency: float = 0.0  # real seconds a write holds before answering (in-flight window)


@dataclass(slots=True)
class _InFlight:
    """One request and the id its answer carries (set by step 1; errors need it too)."""

    request: Incoming
    request_id: str = "req_unknown"


class Pipeline:
    def __init__(
        self,
        store: Store,
        schemas: Validators,
        routes: Operations,
        handlers: dict[str, Handler],
        options: Options,
    ) -> None:
        self.store = store
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
        await answer.send(send)

    async def _handle(self, exchange: _InFlight) -> Answer:
        request = exchange.request
        exchange.request_id = self._request_id_of(request)  # 1
        operation, path_args = self._route(request)  # 2
        key = self._authenticate(request)  # 3
        self._limit_rate(key)  # 4
        call = await self._validate(request, operation, path_args, key)  # 5
        async with self._slot(request, call) as slot:  # 6
            if slot.replay is not None:
                return slot.replay
            return await self._run(call, exchange.request_id, slot)  # 7

    def _request_id_of(self, request: Incoming) -> str:
        given = request.headers.get("x-request-id")
        if given is not None and self._request_id.first_error(given) is None:
            return given
        return self.store.ids.request_id(self.store.clock.now())

    def _route(self, request: Incoming) -> tuple[Operation, dict[str, str]]:
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
            self.store.rate_limiter.hit(key.key, self.store.clock.now())

    async def _validate(
        self, request: Incoming, operation: Operation, path_args: dict[str, str], key: ApiKey
    ) -> Call:
        arguments = validate_arguments(operation, path_args, request.query, request.headers)
        body = await read_body(operation, request.headers, request.chunks())
        return Call(
            store=self.store,
            schemas=self.schemas,
            key=key,
            operation=operation,
            path=arguments.path,
            query=arguments.query,
            headers=arguments.headers,
            body=body,
        )

    def _slot(self, request: Incoming, call: Call) -> Slot:
        cache = self.store.idempotency
        given = call.headers.get(IDEMPOTENCY_KEY)  # only operations that document the header
        if given is None:
            return cache.no_slot()
        slot_id = (call.key.key, call.operation.operation_id, str(given))
        return cache.slot(slot_id, request.path, call.body, self.store.now())

    async def _run(self, call: Call, request_id: str, slot: Slot) -> Answer:
        self.store.settle()
        answer = self._answer(call, request_id, slot)
        await self._hold(call)
        return answer

    def _answer(self, call: Call, request_id: str, slot: Slot) -> Answer:
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
        if self.options.latency > 0 and call.operation.idempotent:
            await asyncio.sleep(self.options.latency)


def _respond(reply: Reply, request_id: str) -> Answer:
    if reply.status == 204:
        return Answer(204, {"X-Request-ID": request_id})
    if reply.fragments is not None:
        body = raw_list_body(request_id, reply.fragments, reply.page_info or {})
    else:
        body = success_body(request_id, reply.data, reply.page_info)
    return json_answer(reply.status, body, request_id)
