"""``create_app``: the mock as a Starlette application.

    app = create_app(clock=ManualClock(), delay=1.0)
    app.state.store        # the Store: records, indexes, reset()
    app.state.clock        # the clock it reads

Routes: ``/api/v1/...`` (every operation of openapi.yaml), and the contract itself at
``/openapi.json`` and ``/api/v1/openapi.json`` with ``servers`` pointing at this app (so a
fuzzer that loads it never talks to the real API).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, request_response

from ..spec import Spec, lookup, model
from ._clock import Clock, SystemClock
from ._envelope import JSON, dumps
from ._fixtures import load_seed
from ._permissions import SCOPE_RESOURCES
from ._pipeline import BASE_PATH, Options, Pipeline
from ._routes import Operations
from ._store import Seed, Store
from .handlers import HANDLERS

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
    compiled = model(spec)
    operations = Operations(compiled)
    check_coverage(compiled)
    schemas = compiled.validators
    seed = fixtures if isinstance(fixtures, Seed) else load_seed(schemas, _path(fixtures))
    store = Store(seed, clock or SystemClock(), delay=delay, minimum_amount=_minimum(compiled))
    pipeline = Pipeline(store, schemas, operations, Options(rate_limit=rate_limit, latency=latency))
    served = dumps(_served_spec(compiled.document))

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
    return app


def _minimum(compiled: Spec) -> int:
    """The smallest transfer, from ``CreateTransferInput``: rules are held to it too."""
    pointer = "/components/schemas/CreateTransferInput/properties/amount_in_cents/minimum"
    return int(lookup(compiled.document, pointer))


def _path(fixtures: Path | str | None) -> Path | None:
    return None if fixtures is None else Path(fixtures)


def check_coverage(compiled: Spec) -> None:
    """Refuse to start when the spec has an operation no handler serves (new or renamed), or one
    whose ``x-required-scope`` no key can hold."""
    missing = sorted(
        op.operation_id for op in compiled.operations if op.operation_id not in HANDLERS
    )
    if missing:
        raise RuntimeError(f"openapi.yaml has operations the mock does not serve: {missing}")
    unknown = [
        f"{op.operation_id}: openapi.yaml gives no x-required-scope a key can hold "
        f"(got {op.required_scope!r})"
        for op in compiled.operations
        if op.required_scope not in SCOPE_RESOURCES
    ]
    if unknown:
        raise RuntimeError("; ".join(unknown))


def _served_spec(document: Mapping[str, Any]) -> dict[str, Any]:
    served = copy.deepcopy(dict(document))
    served["servers"] = [{"url": BASE_PATH, "description": "This mock."}]
    return served
