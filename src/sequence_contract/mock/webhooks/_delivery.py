"""Webhook delivery: a bounded queue per subscriber, retries on the mock's clock, and a log.

``emit()`` only queues (under a lock, O(1)): an API answer never waits on a receiver. One worker
thread per subscriber, started by its first event, POSTs what is due by the mock's clock::

    hooks = Deliveries([subscriber("http://127.0.0.1:9000/hooks", explicit=True)], clock)
    hooks.emit("transfer.created", {"transfer_id": "txr_1", "status": "processing"},
               key="txr_1", at=clock.now())
    hooks.flush()          # wait until nothing is due and nothing is in flight
    hooks.log()            # every delivery, each attempt's status, latency and error

* **Order**: events with one ``key`` (a transfer) reach a subscriber in emission order; a later
  one waits until the earlier one is delivered or given up. Other keys are not held up.
* **Retries**: a non-2xx answer, a timeout or a connection error is tried again on the
  ``RetrySchedule`` (mock-clock seconds, so a ``ManualClock`` moves retries only when advanced:
  stamina's loop sleeps in real time, which a manual clock cannot drive). Every attempt carries
  the same ``Webhook-Id``; so does a ``resend()``.
* **Bounds**: at most ``queue_limit`` undelivered events per subscriber (more are logged as
  ``dropped``), and the log keeps the latest ``log_limit`` deliveries.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

import httpx

from ..._events import DELIVERY_ID_HEADER
from .._json import dumps
from ..state._clock import Clock, format_timestamp
from ._lanes import DELIVERED, DROPPED, FAILED, PENDING, Delivery, DeliveryAttempt, Lane
from ._subscribers import RetrySchedule, Subscriber

_POLL = 0.02  # real seconds between looks at the clock while a retry waits for it to move


class Deliveries:
    """The delivery component: subscribers, queues, workers, log (see the module docstring)."""

    def __init__(
        self,
        subscribers: Sequence[Subscriber],
        clock: Clock,
        *,
        schedule: RetrySchedule | None = None,
        new_id: Callable[[datetime], str] | None = None,
        transport: httpx.BaseTransport | None = None,
        queue_limit: int = 10_000,
        log_limit: int = 10_000,
    ) -> None:
        self.subscribers = tuple(subscribers)
        self.clock = clock
        self.schedule = schedule or RetrySchedule.from_spec()
        self.queue_limit = queue_limit
        self.log_limit = log_limit
        self._new_id = new_id or _counter_ids()
        self._transport = transport
        self._cond = threading.Condition()
        self._closed = False
        self._lanes = [Lane(s) for s in self.subscribers]
        self._log: dict[int, Delivery] = {}
        self._finished: deque[int] = deque()  # numbers in the log, in the order they finished
        self._numbers = itertools.count(1)

    # -- producing -----------------------------------------------------------------------------

    def emit(self, event: str, data: Mapping[str, Any], *, key: str, at: datetime) -> str | None:
        """Queue ``event`` for every subscriber that wants it; its id, or None when none does."""
        lanes = [lane for lane in self._lanes if lane.subscriber.wants(event)]
        if not lanes:
            return None
        event_id = self._new_id(at)
        body = {"event": event, "created_at": format_timestamp(at), "data": dict(data)}
        with self._cond:
            for lane in lanes:
                self._enqueue(lane, event_id, body, key, at, resend=False)
            self._cond.notify_all()
        return event_id

    def resend(self, event_id: str, url: str | None = None) -> list[Delivery]:
        """Queue ``event_id`` once more (same ``Webhook-Id``) to each subscriber that was sent
        it (only ``url``'s when given); the new deliveries."""
        with self._cond:
            sent: dict[str, Delivery] = {}
            for delivery in self._log.values():
                if delivery.event_id == event_id and url in (None, delivery.url):
                    sent.setdefault(delivery.url, delivery)
            lanes = {lane.subscriber.url: lane for lane in self._lanes}
            now = self.clock.now()
            made = [
                self._enqueue(lanes[u], event_id, d.body, d.key, now, resend=True)
                for u, d in sent.items()
            ]
            self._cond.notify_all()
        return made

    def _enqueue(
        self, lane: Lane, event_id: str, body: dict[str, Any], key: str, at: datetime, *,
        resend: bool,
    ) -> Delivery:  # fmt: skip
        number = next(self._numbers)
        delivery = Delivery(number, event_id, body, key, lane.subscriber.url, at, at, resend=resend)
        self._log[number] = delivery
        if lane.size >= self.queue_limit:
            delivery.attempts.append(
                DeliveryAttempt(0, at, None, 0.0, f"queue full: {lane.size} events waiting")
            )
            self._finish(delivery, DROPPED)
            return delivery
        lane.append(delivery)
        if lane.thread is None:
            lane.thread = threading.Thread(
                target=self._work, args=(lane,), name=f"webhooks {lane.subscriber.url}", daemon=True
            )
            lane.thread.start()
        return delivery

    # -- delivering ----------------------------------------------------------------------------

    def _work(self, lane: Lane) -> None:
        with httpx.Client(
            transport=self._transport,
            timeout=self.schedule.timeout,
            follow_redirects=False,
            trust_env=False,  # no proxy from the environment between the mock and a receiver
        ) as client:
            while True:
                with self._cond:
                    delivery = None
                    while delivery is None and not self._closed:
                        delivery = lane.due(self.clock.now())
                        if delivery is None:
                            self._cond.wait(_POLL if lane.heads else None)
                    if self._closed or delivery is None:
                        return
                    lane.busy = True
                attempt = self._attempt(client, delivery)
                with self._cond:
                    self._settle(lane, delivery, attempt)
                    lane.busy = False
                    self._cond.notify_all()

    def _attempt(self, client: httpx.Client, delivery: Delivery) -> DeliveryAttempt:
        number = len(delivery.attempts) + 1
        at = self.clock.now()
        headers = {"Content-Type": "application/json", DELIVERY_ID_HEADER: delivery.event_id}
        started = time.perf_counter()
        status, error = None, None
        try:
            response = client.post(delivery.url, content=dumps(delivery.body), headers=headers)
            status = response.status_code
            if not 200 <= status < 300:
                error = f"answered {status}"
        except httpx.TimeoutException as problem:
            error = f"timeout: {type(problem).__name__}"
        except httpx.HTTPError as problem:
            error = f"no answer: {type(problem).__name__}: {problem}"[:300]
        latency = round((time.perf_counter() - started) * 1000, 1)
        return DeliveryAttempt(number, at, status, latency, error)

    def _settle(self, lane: Lane, delivery: Delivery, attempt: DeliveryAttempt) -> None:
        delivery.attempts.append(attempt)
        if not lane.holds(delivery):
            return
        now = self.clock.now()
        if attempt.error is None:
            self._finish(delivery, DELIVERED)
        else:
            first = delivery.attempts[0].at
            due = self.schedule.next_due(first, attempt.number, max(now, attempt.at))
            if due is not None:
                lane.retry(delivery, due)
                return
            self._finish(delivery, FAILED)
        lane.done(delivery, now)

    def _finish(self, delivery: Delivery, state: str) -> None:
        """Record the outcome; the log then drops its longest-finished deliveries beyond
        ``log_limit`` (pending ones stay: the queue limit bounds them)."""
        delivery.state = state
        self._finished.append(delivery.number)
        while len(self._log) > self.log_limit and self._finished:
            self._log.pop(self._finished.popleft(), None)

    # -- looking -------------------------------------------------------------------------------

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait (real seconds) until no delivery is due by the clock and none is in flight;
        False when ``timeout`` ran out first."""
        deadline = time.monotonic() + timeout
        with self._cond:
            self._cond.notify_all()
            while True:
                now = self.clock.now()
                if not any(lane.busy or (lane.heads and lane.heads[0][0] <= now)
                           for lane in self._lanes):  # fmt: skip
                    return True
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(min(left, _POLL))

    def log(self) -> list[Delivery]:
        """Every delivery still in the log, oldest first (live objects: read under no lock)."""
        with self._cond:
            return list(self._log.values())

    def pending(self) -> int:
        with self._cond:
            return sum(lane.size for lane in self._lanes)

    def stats(self) -> dict[str, int]:
        """Counts over the log: deliveries per state, attempts, and retries among them."""
        with self._cond:
            deliveries = list(self._log.values())
        counts = {state: 0 for state in (PENDING, DELIVERED, FAILED, DROPPED)}
        for delivery in deliveries:
            counts[delivery.state] += 1
        attempts = sum(len(d.attempts) for d in deliveries if d.state != DROPPED)
        retries = sum(max(0, len(d.attempts) - 1) for d in deliveries if d.state != DROPPED)
        return {"deliveries": len(deliveries), **counts, "attempts": attempts, "retries": retries}

    # -- lifecycle -----------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget every queued delivery and the log (the store's ``reset()``)."""
        with self._cond:
            for lane in self._lanes:
                lane.clear()
            self._log.clear()
            self._finished.clear()
            self._numbers = itertools.count(1)
            self._cond.notify_all()

    def close(self, timeout: float = 5.0) -> None:
        """Stop the workers (queued deliveries are abandoned)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
            threads = [lane.thread for lane in self._lanes if lane.thread is not None]
        for thread in threads:
            thread.join(timeout)


def _counter_ids() -> Callable[[datetime], str]:
    numbers = itertools.count(1)
    return lambda _: f"evt_{next(numbers):012d}"
