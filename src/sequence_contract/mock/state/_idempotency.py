"""Idempotency-Key handling for createRule, updateRule, deleteRule, triggerRule, createTransfer.

A key is remembered per ``SlotId``: (API key, operation, Idempotency-Key). Within 24 hours of
the first use:

* same request (path and JSON body, compared canonically) → the stored response is replayed
  verbatim (status, body incl. the original ``request_id``, headers) plus
  ``Idempotent-Replayed: true``; nothing runs again;
* other path or body → 400 ``idempotency_key_mismatch``;
* first call still running → 409 with the operation's in-progress code.

After 24 hours the key is forgotten and the request is a new operation. Requests that fail
validation never reach this layer, so they are not remembered (as Stripe does).

The pipeline holds one ``Slot`` per write::

    async with cache.slot(slot_id, path, body, now) as slot:  # acquired: or replay, 400, 409
        if slot.replay is not None: return slot.replay
        ...  # the write, in a store transaction whose last step is slot.commit(response)

Leaving the block stores a committed answer for replay (even when the caller gave up
meanwhile: the write is done); without one (the write raised and was rolled back, or it
answered 5xx) the slot is released and the same key may try again.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import TracebackType
from typing import Generic, Protocol, TypeVar

from .._errors import ApiError

WINDOW = timedelta(hours=24)

#: Operation → its 409 code while the first call with the same key still runs.
IN_FLIGHT: dict[str, str] = {
    "createTransfer": "transfer_in_progress",
    "triggerRule": "rule_execution_in_progress",
    "createRule": "conflict",
    "updateRule": "conflict",
    "deleteRule": "conflict",
}

#: (API key, operationId, Idempotency-Key): what one remembered answer belongs to.
SlotId = tuple[str, str, str]


class Remembered(Protocol):
    """What the cache keeps of an answer (the pipeline's ``Answer``)."""

    @property
    def status(self) -> int: ...


A = TypeVar("A", bound=Remembered)


@dataclass(slots=True)
class _Entry(Generic[A]):
    fingerprint: str
    first_seen: datetime
    response: A | None = None  # None while the first call runs


def fingerprint(path: str, body: object) -> str:
    canonical = json.dumps([path, body], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class Slot(Generic[A]):
    """One request's hold on a ``SlotId`` (or no hold at all: ``slot_id`` None)."""

    __slots__ = ("_answer", "_cache", "_fingerprint", "_now", "_slot_id", "replay")

    def __init__(
        self, cache: IdempotencyCache[A], slot_id: SlotId | None, fingerprint: str, now: datetime
    ) -> None:
        self._cache = cache
        self._slot_id = slot_id
        self._fingerprint = fingerprint
        self._now = now
        self._answer: A | None = None
        #: The stored answer, when this request repeats one that finished (the pipeline marks
        #: it ``Idempotent-Replayed: true``).
        self.replay: A | None = None

    async def __aenter__(self) -> Slot[A]:
        if self._slot_id is not None:
            self.replay = self._cache.acquire(self._slot_id, self._fingerprint, self._now)
        return self

    def commit(self, answer: A) -> None:
        """The answer to remember; a server error is never remembered."""
        if self._slot_id is not None and answer.status < 500:
            self._answer = answer

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._slot_id is None or self.replay is not None:
            return
        if self._answer is not None:
            self._cache.finish(self._slot_id, self._answer)
        else:
            self._cache.release(self._slot_id)


class IdempotencyCache(Generic[A]):
    def __init__(self) -> None:
        self._entries: OrderedDict[SlotId, _Entry[A]] = OrderedDict()
        self._lock = threading.Lock()
        self._no_slot: Slot[A] = Slot(self, None, "", datetime.min)  # holds nothing: one serves all

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def slot(self, slot_id: SlotId, path: str, body: object, now: datetime) -> Slot[A]:
        """The slot a request with an Idempotency-Key holds (acquired on entering it)."""
        return Slot(self, slot_id, fingerprint(path, body), now)

    def no_slot(self) -> Slot[A]:
        """For a request without an Idempotency-Key: holds nothing, remembers nothing."""
        return self._no_slot

    def acquire(self, slot_id: SlotId, print_: str, now: datetime) -> A | None:
        """Reserve ``slot_id`` for a new call, or return the response to replay.

        Raises ``ApiError`` 400 on a body mismatch and 409 while the first call is in flight.
        """
        with self._lock:
            self._expire(now)
            entry = self._entries.get(slot_id)
            if entry is None:
                self._entries[slot_id] = _Entry[A](print_, now)
                return None
            if entry.fingerprint != print_:
                raise ApiError(
                    400,
                    "idempotency_key_mismatch",
                    "This Idempotency-Key was already used with different request parameters "
                    "in the last 24 hours.",
                )
            if entry.response is None:
                _, operation_id, _ = slot_id
                raise ApiError(
                    409,
                    IN_FLIGHT.get(operation_id, "conflict"),
                    "A request with this Idempotency-Key is still being processed; retry later.",
                )
            return entry.response

    def finish(self, slot_id: SlotId, response: A) -> None:
        with self._lock:
            entry = self._entries.get(slot_id)
            if entry is not None:
                entry.response = response

    def release(self, slot_id: SlotId) -> None:
        """Forget a reservation whose call changed nothing (so a retry runs again)."""
        with self._lock:
            self._entries.pop(slot_id, None)

    def _expire(self, now: datetime) -> None:
        horizon = now - WINDOW
        while self._entries:
            slot_id, entry = next(iter(self._entries.items()))
            if entry.first_seen > horizon:
                break
            del self._entries[slot_id]
