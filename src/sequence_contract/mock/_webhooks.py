"""The mock's webhooks: transfer events from committed changes, delivered apart from the API.

The store publishes ``transfer.created`` (and ``transfer.approval_required`` for a transfer that
starts in ``pending_approval``) when a transfer is made, and ``transfer.status_changed`` on each
move; a write's events leave only when its transaction commits (``Store.publish``). This module
wires them to ``Deliveries`` and serves the mock-only log, outside ``/api/v1``:

* ``GET /_mock/webhooks``: subscribers, schedule, counts, and every delivery with its attempts
  (``?state=failed``, ``?transfer_id=txr_…`` narrow it);
* ``POST /_mock/webhooks/{event_id}/resend``: deliver an event again, same ``Webhook-Id``
  (``?url=`` for one subscriber).

With subscribers, a ticker thread applies the store's due effects as the clock moves (the API
applies them at each request too), so status changes go out without waiting for a request, and
a ``ManualClock`` advance alone moves state and deliveries. Without subscribers nothing runs.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Sequence

import httpx
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ._delivery import Deliveries
from ._envelope import JSON, dumps, error_body
from ._store import Store
from ._subscribers import RetrySchedule, Subscriber

BASE = "/_mock/webhooks"
_TICK = 0.02  # real seconds between looks at the clock


class MockWebhooks:
    def __init__(
        self,
        store: Store,
        subscribers: Sequence[Subscriber],
        *,
        schedule: RetrySchedule | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.store = store
        self.deliveries = Deliveries(
            subscribers,
            store.clock,
            schedule=schedule,
            new_id=lambda at: store.ids.new("evt_", at),
            transport=transport,
        )
        self._closed = threading.Event()
        self._ticker: threading.Thread | None = None
        if subscribers:
            store.publish_to(self.deliveries)
            self._ticker = threading.Thread(target=self._tick, name="webhooks ticker", daemon=True)
            self._ticker.start()

    @property
    def subscribers(self) -> tuple[Subscriber, ...]:
        return self.deliveries.subscribers

    def _tick(self) -> None:
        while not self._closed.wait(_TICK):
            if self.store.pending_effects():
                self.store.settle()  # a failing effect is rolled back and logged there

    def flush(self, timeout: float = 10.0) -> bool:
        """Apply what is due by the clock, then wait until every due delivery was attempted."""
        self.store.settle()
        return self.deliveries.flush(timeout)

    def close(self) -> None:
        """Stop the ticker and the delivery workers (queued deliveries are abandoned)."""
        self._closed.set()
        if self._ticker is not None:
            self._ticker.join(5)
        self.deliveries.close()

    # -- HTTP ----------------------------------------------------------------------------------

    def routes(self) -> list[Route]:
        return [
            Route(BASE, self._log, methods=["GET"]),
            Route(f"{BASE}/{{event_id}}/resend", self._resend, methods=["POST"]),
        ]

    async def _log(self, request: Request) -> Response:
        state = request.query_params.get("state")
        key = request.query_params.get("transfer_id")
        deliveries = [
            d.as_json()
            for d in self.deliveries.log()
            if state in (None, d.state) and key in (None, d.key)
        ]
        body = {
            "subscribers": [
                {"url": s.url, "events": None if s.events is None else sorted(s.events)}
                for s in self.subscribers
            ],
            "schedule": dataclasses.asdict(self.deliveries.schedule),
            "stats": self.deliveries.stats(),
            "deliveries": deliveries,
        }
        return Response(dumps(body), 200, media_type=JSON)

    async def _resend(self, request: Request) -> Response:
        event_id = request.path_params["event_id"]
        made = self.deliveries.resend(event_id, request.query_params.get("url"))
        if not made:
            message = f"No delivery of event {event_id} to resend."
            return Response(error_body("not_found", message), 404, media_type=JSON)
        body = {"deliveries": [d.as_json() for d in made]}
        return Response(dumps(body), 202, media_type=JSON)
