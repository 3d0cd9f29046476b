"""The request pipeline every API call goes through, in this order:

1. routing: unknown path → 404 ``not_found``; method not in the spec → 405
   ``method_not_allowed`` with ``Allow`` (both before authentication, like most frameworks);
2. ``X-Request-ID``: the client's when it is valid, else a generated ``req_`` + ULID; it is on
   every response, errors included, and in the body of every success;
3. authentication: ``Authorization: ApiKey <key>``, missing or unknown → 401 ``unauthorized``;
4. rate limit (when enabled): 429 ``too_many_requests`` + ``Retry-After``;
5. validation of parameters, headers and body against the spec → 400 ``bad_request``;
6. idempotency (operations with an ``Idempotency-Key`` parameter): replay / 400 / 409;
7. the handler: permission (403) before existence (404) before domain rules.

Any unexpected exception becomes a 500 ``internal_server_error`` envelope; the server keeps
running.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from ..spec import Validators, first_error
from ._envelope import (
    JSON,
    ApiError,
    bad_request,
    error_response,
    raw_list_body,
    success_body,
    unauthorized,
)
from ._idempotency import StoredResponse, fingerprint
from ._permissions import ApiKey
from ._routes import Operation, Operations
from ._store import Store
from ._validation import read_body, validate_arguments
from .handlers import HANDLERS, Call, Reply

LOG = logging.getLogger("sequence_contract.mock")
BASE_PATH = "/api/v1"
_IDEMPOTENCY = "idempotency-key"


@dataclass(slots=True)
class Options:
    rate_limit: bool = False
    latency: float = 0.0  # real seconds a write holds before answering (in-flight window)


class Pipeline:
    def __init__(
        self, store: Store, schemas: Validators, routes: Operations, options: Options
    ) -> None:
        self.store = store
        self.schemas = schemas
        self.routes = routes
        self.options = options
        self._request_id = schemas.validator("/components/parameters/XRequestId/schema")

    async def __call__(self, request: Request) -> Response:
        request_id = ""
        try:
            request_id = self._request_id_of(request)
            return await self._handle(request, request_id)
        except ApiError as error:
            return error_response(error, request_id)
        except ClientDisconnect:  # the client left mid-body: nobody to answer, nothing broke
            return error_response(bad_request("The request body was cut off."), request_id)
        except Exception:
            LOG.exception("unhandled error in %s %s", request.method, request.scope["path"])
            failure = ApiError(500, "internal_server_error", "An unexpected error occurred.")
            return error_response(failure, request_id or "req_unknown")

    def _request_id_of(self, request: Request) -> str:
        given = request.headers.get("x-request-id")
        if given is not None and first_error(self._request_id, given) is None:
            return given
        return self.store.ids.request_id(self.store.now())

    async def _handle(self, request: Request, request_id: str) -> Response:
        operation, path_args = self._route(request)
        self.store.settle()
        key = self._authenticate(request)
        if self.options.rate_limit:
            self.store.rate_limiter.hit(key.key, self.store.clock.now())
        arguments = validate_arguments(
            operation, path_args, request.query_params.multi_items(), request.headers
        )
        body = await read_body(operation, request.headers, request.stream())
        call = Call(
            store=self.store,
            schemas=self.schemas,
            key=key,
            scope=operation.required_scope,
            operation=operation,
            path=arguments.path,
            query=arguments.query,
            body=body,
        )
        idempotency_key = arguments.headers.get(_IDEMPOTENCY)
        if idempotency_key is None or not operation.idempotent:
            response = self._answer(call, request_id)
            await self._hold(call)
            return response
        scope = (key.key, operation.operation_id, str(idempotency_key))
        cache = self.store.idempotency
        stored = cache.begin(scope, fingerprint(request.scope["path"], body), self.store.now())
        if stored is not None:
            headers = {**stored.headers, "Idempotent-Replayed": "true"}
            return Response(stored.body or None, stored.status, headers)
        try:
            response = self._answer(call, request_id)
        except BaseException:
            cache.abandon(scope)  # nothing was done: the same key may try again
            raise
        try:
            await self._hold(call)
        finally:  # even when the client gives up meanwhile: the write is done, replay it
            if response.status_code >= 500:
                cache.abandon(scope)
            else:
                headers = {
                    k: v for k, v in response.headers.items() if k.lower() != "content-length"
                }
                stored = StoredResponse(response.status_code, bytes(response.body), headers)
                cache.finish(scope, stored)
        return response

    def _route(self, request: Request) -> tuple[Operation, dict[str, str]]:
        return self.routes.route(request.method, request.scope["path"], BASE_PATH)

    def _authenticate(self, request: Request) -> ApiKey:
        header = request.headers.get("authorization", "")
        scheme, _, secret = header.partition(" ")
        key = self.store.api_keys.get(secret) if scheme.lower() == "apikey" else None
        if key is None:
            raise unauthorized()
        return key

    def _answer(self, call: Call, request_id: str) -> Response:
        try:
            with self.store.lock:
                reply = HANDLERS[call.operation.operation_id](call)
            return _respond(reply, request_id)
        except ApiError as error:
            return error_response(error, request_id)

    async def _hold(self, call: Call) -> None:
        """``latency``: an idempotent write answers late, so a same-key retry meets it in flight."""
        if self.options.latency > 0 and call.operation.idempotent:
            await asyncio.sleep(self.options.latency)


def _respond(reply: Reply, request_id: str) -> Response:
    headers = {"X-Request-ID": request_id}
    if reply.status == 204:
        return Response(None, 204, headers)
    if reply.fragments is not None:
        body = raw_list_body(request_id, reply.fragments, reply.page_info or {})
    else:
        body = success_body(request_id, reply.data, reply.page_info)
    return Response(body, reply.status, headers, JSON)
