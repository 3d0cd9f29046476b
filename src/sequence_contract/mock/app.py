"""``create_app``: the mock as a Starlette application.

    app = create_app(clock=ManualClock(), delay=1.0)
    app.state.store        # the Store: records, indexes, reset()
    app.state.clock        # the clock it reads
    app.state.handlers     # operationId -> handler, derived from the spec (see handlers/)

Routes: ``/api/v1/...`` (every operation of openapi.yaml), and the contract itself at
``/openapi.json`` and ``/api/v1/openapi.json`` with ``servers`` pointing at this app (so a
fuzzer that loads it never talks to the real API).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, request_response

from .._spec import load_spec, spec_path
from ._clock import Clock, SystemClock
from ._envelope import JSON, dumps
from ._fixtures import load_seed
from ._operations import compile_routes
from ._pipeline import BASE_PATH, Options, Pipeline
from ._schema import SchemaSet
from ._store import Seed, Store
from .handlers import bind_handlers, tag_of

ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"]


def create_app(
    *,
    fixtures: Path | str | Seed | None = None,
    clock: Clock | None = None,
    rate_limit: bool = False,
    delay: float = 1.0,
    latency: float = 0.0,
    spec: Path | None = None,
) -> Starlette:
    """Build the mock.

    ``fixtures``: a fixture file/directory (replaces the default organisation) or a ``Seed``.
    ``clock``: time source (default: system clock). ``delay``: clock seconds until transfers
    settle and executions finish. ``latency``: real seconds each idempotent write holds before
    answering (a window in which a same-key retry gets 409). ``rate_limit``: 100 req/min per key.
    """
    document = load_spec(spec or spec_path())
    schemas = SchemaSet(document)
    routes = compile_routes(schemas)
    operations = [op for route in routes for op in route.operations.values()]
    handlers = bind_handlers({op.operation_id: tag_of(document, op) for op in operations})
    seed = fixtures if isinstance(fixtures, Seed) else load_seed(schemas, _path(fixtures))
    store = Store(seed, clock or SystemClock(), delay=delay, minimum_amount=_minimum(document))
    options = Options(rate_limit=rate_limit, latency=latency)
    pipeline = Pipeline(store, schemas, routes, handlers, options)
    served = dumps(_served_spec(document))

    async def openapi(_: Request) -> Response:
        return Response(served, 200, media_type=JSON)

    async def api(request: Request) -> Response:
        return await pipeline(request)

    app = Starlette(
        routes=[
            Route("/openapi.json", openapi, methods=["GET"]),
            Route(f"{BASE_PATH}/openapi.json", openapi, methods=["GET"]),
            Route("/{path:path}", api, methods=ALL_METHODS),
        ]
    )
    # Paths the catch-all cannot match (its regex stops at a decoded newline, e.g. `/rules/a%0Ab`)
    # also go through the pipeline, so they get the JSON 404 envelope and X-Request-ID too.
    app.router.default = request_response(api)
    app.state.store = store
    app.state.clock = store.clock
    app.state.schemas = schemas
    app.state.handlers = handlers
    return app


def _minimum(document: dict[str, Any]) -> int:
    """The smallest transfer, from ``CreateTransferInput``: rules are held to it too."""
    amount = document["components"]["schemas"]["CreateTransferInput"]["properties"]
    return int(amount["amount_in_cents"]["minimum"])


def _path(fixtures: Path | str | None) -> Path | None:
    return None if fixtures is None else Path(fixtures)


def _served_spec(document: dict[str, Any]) -> dict[str, Any]:
    served = copy.deepcopy(document)
    served["servers"] = [{"url": BASE_PATH, "description": "This mock."}]
    return served
