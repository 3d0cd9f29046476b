"""The mock's webhooks: transfer events from committed changes, delivered apart from the API.

The store publishes ``transfer.created`` (and ``transfer.approval_required`` for a transfer that
starts in ``pending_approval``) when a transfer is made, and ``transfer.status_changed`` on each
move; a write's events leave only when its transaction commits (``Store.publish``). This module
wires them to ``Deliveries``, through the webhook scenarios (``duplicate``, ``hold``, ``drop``;
see ``_scenarios``), and reads the delivery log for the admin API (``GET /_mock/webhooks``,
``POST /_mock/webhooks/{event_id}/resend``; see ``_admin``).

With subscribers, a ticker thread applies the store's due effects as the clock moves (the API
applies them at each request too), so status changes go out without waiting for a request, and
a ``ManualClock`` advance alone moves state and deliveries. Without subscribers nothing runs.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import httpx

from ..state._ids import IdFactory
from ..state._scenarios import Scenario, Scenarios, Webhook
from ..state._store import Store
from ._delivery import Deliveries
from ._subscribers import RetrySchedule, Subscriber

_TICK = 0.02  # real seconds between looks at the clock


class MockWebhooks:
    def __init__(
        self,
        store: Store,
        ids: IdFactory,
        subscribers: Sequence[Subscriber],
        *,
        scenarios: Scenarios | None = None,
        schedule: RetrySchedule | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.store = store
        self.deliveries = Deliveries(
            subscribers,
            store.clock,
            schedule=schedule,
            new_id=lambda at: ids.new("evt_", at),
            transport=transport,
        )
        self.scenarios = scenarios or Scenarios()
        self._closed = threading.Event()
        self._ticker: threading.Thread | None = None
        if subscribers:
            store.publish_to(self)
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

    # -- the store's sink, through the webhook scenarios --------------------------------------

    def emit(self, event: str, data: Mapping[str, Any], *, key: str, at: datetime) -> str | None:
        scenario = self.scenarios.take_event(event) if self.scenarios.items else None
        if scenario is None:
            return self.deliveries.emit(event, data, key=key, at=at)
        mode = scenario.then.mode if isinstance(scenario.then, Webhook) else ""
        if mode == "hold":
            scenario.held.append((event, data, key, at))
            return None
        if mode == "drop":
            return None
        event_id = self.deliveries.emit(event, data, key=key, at=at)
        if event_id is not None:  # duplicate: the same event, same Webhook-Id, once more
            self.deliveries.resend(event_id)
        return event_id

    def reset(self) -> None:
        self.deliveries.reset()

    def release(self, scenario: Scenario) -> None:
        """Send what a ``hold`` scenario kept (it was deleted)."""
        held, scenario.held = scenario.held, []
        for event, data, key, at in held:
            self.deliveries.emit(event, data, key=key, at=at)

    # -- the log, as the admin API shows it --------------------------------------------------

    def log_json(self, state: str | None = None, transfer_id: str | None = None) -> dict[str, Any]:
        deliveries = [
            d.as_json()
            for d in self.deliveries.log()
            if state in (None, d.state) and transfer_id in (None, d.key)
        ]
        return {
            "subscribers": [
                {"url": s.url, "events": None if s.events is None else sorted(s.events)}
                for s in self.subscribers
            ],
            "schedule": dataclasses.asdict(self.deliveries.schedule),
            "stats": self.deliveries.stats(),
            "deliveries": deliveries,
        }

    def resend(self, event_id: str, url: str | None = None) -> list[dict[str, Any]]:
        """Deliver ``event_id`` again (same ``Webhook-Id``); the new deliveries (none: unknown)."""
        return [d.as_json() for d in self.deliveries.resend(event_id, url)]
