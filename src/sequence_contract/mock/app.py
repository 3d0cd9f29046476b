"""``create_app``: the mock as a Starlette application.

    app = create_app(clock=ManualClock(), delay=1.0)
    app.state.store        # the Store: records, indexes, reset()
    app.state.clock        # the clock it reads
    app.state.handlers     # operationId -> handler (domain.HANDLERS, checked against the spec)
    app.state.webhooks     # MockWebhooks: deliveries, flush(), close() (see _webhooks)
    app.state.control      # MockControl: what the admin API does, in-process (see _control)

Routes: ``/api/v1/...`` (every operation of openapi.yaml), the contract itself at
``/openapi.json`` and ``/api/v1/openapi.json`` with ``servers`` pointing at this app (so a
fuzzer that loads it never talks to the real API), and the admin API under ``/_mock`` (its
document at ``/_mock/openapi.json``; see ``_admin``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .._events import known_events
from ..spec import Spec, lookup, model
from ._control import MockControl
from ._fixtures import load_seed
from ._json import dumps
from .domain import bind_handlers
from .domain._permissions import SCOPE_RESOURCES
from .http._access_log import AccessLog
from .http._admin import PREFIX as ADMIN_PATH
from .http._admin import AdminApp
from .http._asgi import MockApp
from .http._endpoints import Endpoints
from .http._envelope import JSON, Answer
from .http._pipeline import BASE_PATH, Options, Pipeline
from .state._clock import Clock, SystemClock
from .state._idempotency import IdempotencyCache
from .state._ids import IdFactory
from .state._journal import Journal
from .state._ratelimit import RateLimiter
from .state._scenarios import Scenarios
from .state._store import Seed, Store
from .webhooks._hooks import MockWebhooks
from .webhooks._subscribers import RetrySchedule, Subscriber, SubscriberError, parse_subscriber


def create_app(
    *,
    fixtures: Path | str | Seed | None = None,
    clock: Clock | None = None,
    rate_limit: bool = False,
    delay: float = 1.0,
    latency: float = 0.0,
    spec: Path | None = None,
    webhooks: Sequence[str | Subscriber] = (),
    webhook_retries: RetrySchedule | str | None = None,
    webhook_transport: httpx.BaseTransport | None = None,
    seed: int | None = None,
    admin_token: str | None = None,
    access_log: bool = False,
) -> Starlette:
    """Build the mock.

    ``fixtures``: a fixture file/directory (replaces the default organisation) or a ``Seed``.
    ``clock``: time source (default: system clock). ``delay``: clock seconds until transfers
    settle and executions finish. ``latency``: real seconds each idempotent write holds before
    answering (a window in which a same-key retry gets 409). ``rate_limit``: 100 req/min per key.
    ``webhooks``: subscribers (``URL`` or ``URL=event,event``; any host, as the caller names
    them) besides the fixtures' (loopback only). ``webhook_retries``: the delivery schedule, or
    ``name=value,...`` overrides of the spec's (``x-retries``). ``webhook_transport``: an httpx
    transport for deliveries (tests). ``seed``: ids and request ids from a seeded generator
    (with a ``ManualClock``, the same requests answer the same bytes). ``admin_token``: the
    admin API then needs ``Authorization: Bearer <token>`` (else: loopback clients only).
    ``access_log``: a line per request on stderr (``sequence-mock`` writes one by default).
    Raises ``SubscriberError`` for a subscriber it refuses.
    """
    compiled = model(spec)
    operations = Endpoints(compiled)
    handlers = bind_handlers(op.operation_id for op in compiled.operations)
    check_scopes(compiled)
    schemas = compiled.validators
    records = fixtures if isinstance(fixtures, Seed) else load_seed(schemas, _path(fixtures))
    store = Store(records, clock or SystemClock(), delay=delay, minimum_amount=_minimum(compiled))
    ids = IdFactory(seed)
    scenarios, journal = Scenarios(), Journal()
    idempotency: IdempotencyCache[Answer] = IdempotencyCache()
    rate_limiter = RateLimiter()
    hooks = MockWebhooks(
        store,
        ids,
        _subscribers(records.webhooks, webhooks),
        scenarios=scenarios,
        schedule=_schedule(webhook_retries),
        transport=webhook_transport,
    )
    options = Options(rate_limit=rate_limit, latency=latency)
    log = AccessLog() if access_log else None
    pipeline = Pipeline(
        store,
        schemas,
        operations,
        handlers,
        options,
        journal=journal,
        scenarios=scenarios,
        access_log=log,
        ids=ids,
        idempotency=idempotency,
        rate_limiter=rate_limiter,
    )
    control = MockControl(
        store,
        hooks,
        journal,
        scenarios,
        remembered=(idempotency, rate_limiter),
        api=compiled,
        events=known_events(),
    )
    served = dumps(_served_spec(compiled.document))

    async def openapi(_: Request) -> Response:
        return Response(served, 200, media_type=JSON)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        yield
        hooks.close()

    app = MockApp(
        routes=[
            Route("/openapi.json", openapi, methods=["GET"]),
            Route(f"{BASE_PATH}/openapi.json", openapi, methods=["GET"]),
        ],
        api=pipeline,  # every other request, before routing (see http._asgi)
        admin=AdminApp(control, admin_token),
        admin_prefix=f"{ADMIN_PATH}/",
        lifespan=lifespan,
        access_log=log,
    )
    app.state.store = store
    app.state.ids = ids
    app.state.clock = store.clock
    app.state.schemas = schemas
    app.state.handlers = handlers
    app.state.webhooks = hooks
    app.state.control = control
    return app


def _subscribers(
    from_fixtures: Sequence[Subscriber], given: Sequence[str | Subscriber]
) -> list[Subscriber]:
    """The fixtures' subscribers, then the caller's; one URL once."""
    known = known_events()
    found = list(from_fixtures)
    for item in given:
        found.append(
            item
            if isinstance(item, Subscriber)
            else parse_subscriber(item, explicit=True, known=known)
        )
    urls = [s.url for s in found]
    twice = sorted({url for url in urls if urls.count(url) > 1})
    if twice:
        raise SubscriberError(f"webhook URL given twice: {', '.join(twice)}")
    return found


def _schedule(retries: RetrySchedule | str | None) -> RetrySchedule:
    if isinstance(retries, RetrySchedule):
        return retries
    default = RetrySchedule.from_spec()
    return default if retries is None else default.replace(retries)


def _minimum(compiled: Spec) -> int:
    """The smallest transfer, from ``CreateTransferInput``: rules are held to it too."""
    pointer = "/components/schemas/CreateTransferInput/properties/amount_in_cents/minimum"
    return int(lookup(compiled.document, pointer))


def _path(fixtures: Path | str | None) -> Path | None:
    return None if fixtures is None else Path(fixtures)


def check_scopes(compiled: Spec) -> None:
    """Refuse to start when an operation's ``x-required-scope`` is one no key can hold."""
    unknown = [
        f"{op.operation_id}: openapi.yaml gives no x-required-scope a key can hold "
        f"(got {op.required_scope!r})"
        for op in compiled.operations
        if op.required_scope not in SCOPE_RESOURCES
    ]
    if unknown:
        raise RuntimeError("; ".join(unknown))


def _served_spec(document: Mapping[str, Any]) -> dict[str, Any]:
    """The contract with ``servers`` pointing here (a shallow copy: it is only serialised)."""
    return {**document, "servers": [{"url": BASE_PATH, "description": "This mock."}]}
