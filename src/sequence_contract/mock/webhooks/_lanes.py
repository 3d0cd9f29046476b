"""What the delivery component keeps: each delivery with its attempts, and a subscriber's queue.

A ``Lane`` is one subscriber's queue: a FIFO per key (a transfer), so a key's events go one after
the other, and a heap of the keys' heads by due time, so the worker takes the earliest due head
of any key in O(log n).
"""

from __future__ import annotations

import heapq
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..state._clock import format_timestamp
from ._subscribers import Subscriber

PENDING, DELIVERED, FAILED, DROPPED = "pending", "delivered", "failed", "dropped"


@dataclass(frozen=True, slots=True)
class DeliveryAttempt:
    number: int
    at: datetime  # mock clock
    status: int | None  # HTTP status, None when no answer came
    latency_ms: float  # real time
    error: str | None  # None for a 2xx

    def as_json(self) -> dict[str, Any]:
        return {
            "attempt": self.number,
            "at": format_timestamp(self.at),
            "status": self.status,
            "latency_ms": self.latency_ms,
            "error": self.error,
        }


@dataclass(slots=True, eq=False)
class Delivery:
    """One event on its way to one subscriber."""

    number: int
    event_id: str
    body: dict[str, Any]
    key: str
    url: str
    created: datetime
    due: datetime
    state: str = PENDING
    resend: bool = False
    attempts: list[DeliveryAttempt] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "delivery": self.number,
            "event_id": self.event_id,
            "event": self.body["event"],
            "key": self.key,
            "url": self.url,
            "state": self.state,
            "resend": self.resend,
            "attempts": [attempt.as_json() for attempt in self.attempts],
            "body": self.body,
        }


class Lane:
    """One subscriber's queue: a FIFO per key, and a heap of the keys' heads by due time."""

    def __init__(self, subscriber: Subscriber) -> None:
        self.subscriber = subscriber
        self.by_key: dict[str, deque[Delivery]] = {}
        self.heads: list[tuple[datetime, int, Delivery]] = []
        self.size = 0
        self.busy = False
        self.thread: threading.Thread | None = None

    def append(self, delivery: Delivery) -> None:
        queue = self.by_key.setdefault(delivery.key, deque())
        queue.append(delivery)
        self.size += 1
        if len(queue) == 1:
            heapq.heappush(self.heads, (delivery.due, delivery.number, delivery))

    def due(self, now: datetime) -> Delivery | None:
        if self.heads and self.heads[0][0] <= now:
            return heapq.heappop(self.heads)[2]
        return None

    def retry(self, delivery: Delivery, due: datetime) -> None:
        delivery.due = due
        heapq.heappush(self.heads, (due, delivery.number, delivery))

    def holds(self, delivery: Delivery) -> bool:
        """Whether ``delivery`` is still its key's head (a ``reset()`` may have dropped it)."""
        queue = self.by_key.get(delivery.key)
        return queue is not None and len(queue) > 0 and queue[0] is delivery

    def clear(self) -> None:
        self.by_key.clear()
        self.heads.clear()
        self.size = 0

    def done(self, delivery: Delivery, now: datetime) -> None:
        """``delivery`` (its key's head) is finished: the key's next event may go."""
        queue = self.by_key[delivery.key]
        queue.popleft()
        self.size -= 1
        if queue:
            follower = queue[0]
            follower.due = max(follower.due, now)
            heapq.heappush(self.heads, (follower.due, follower.number, follower))
        else:
            del self.by_key[delivery.key]
