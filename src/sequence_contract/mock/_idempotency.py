"""Idempotency-Key handling for createRule, updateRule, deleteRule, triggerRule, createTransfer.

Scope of a key: (API key, operation, Idempotency-Key). Within 24 hours of the first use:

* same request (path and JSON body, compared canonically) → the stored response is replayed
  verbatim (status, body incl. the original ``request_id``, headers) plus
  ``Idempotent-Replayed: true``; nothing runs again;
* other path or body → 400 ``idempotency_key_mismatch``;
* first call still running → 409 with the operation's in-progress code.

After 24 hours the key is forgotten and the request is a new operation. Requests that fail
validation never reach this layer, so they are not remembered (as Stripe does).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from ._envelope import ApiError

WINDOW = timedelta(hours=24)

#: Operation → (409 code, message) while the first call with the same key still runs.
IN_FLIGHT: dict[str, str] = {
    "createTransfer": "transfer_in_progress",
    "triggerRule": "rule_execution_in_progress",
    "createRule": "conflict",
    "updateRule": "conflict",
    "deleteRule": "conflict",
}


@dataclass(slots=True)
class StoredResponse:
    status: int
    body: bytes
    headers: dict[str, str]


@dataclass(slots=True)
class _Entry:
    fingerprint: str
    first_seen: datetime
    response: StoredResponse | None = None


def fingerprint(path: str, body: object) -> str:
    canonical = json.dumps([path, body], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class IdempotencyCache:
    def __init__(self) -> None:
        self._entries: OrderedDict[tuple[str, str, str], _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def begin(
        self, scope: tuple[str, str, str], print_: str, now: datetime
    ) -> StoredResponse | None:
        """Reserve ``scope`` for a new call, or return the response to replay.

        Raises ``ApiError`` 400 on a body mismatch and 409 while the first call is in flight.
        """
        with self._lock:
            self._expire(now)
            entry = self._entries.get(scope)
            if entry is None:
                self._entries[scope] = _Entry(print_, now)
                return None
            if entry.fingerprint != print_:
                raise ApiError(
                    400,
                    "idempotency_key_mismatch",
                    "This Idempotency-Key was already used with different request parameters "
                    "in the last 24 hours.",
                )
            if entry.response is None:
                raise ApiError(
                    409,
                    IN_FLIGHT.get(scope[1], "conflict"),
                    "A request with this Idempotency-Key is still being processed; retry later.",
                )
            return entry.response

    def finish(self, scope: tuple[str, str, str], response: StoredResponse) -> None:
        with self._lock:
            entry = self._entries.get(scope)
            if entry is not None:
                entry.response = response

    def abandon(self, scope: tuple[str, str, str]) -> None:
        """Forget a reservation whose call ended in a server error (so a retry runs again)."""
        with self._lock:
            self._entries.pop(scope, None)

    def _expire(self, now: datetime) -> None:
        horizon = now - WINDOW
        while self._entries:
            scope, entry = next(iter(self._entries.items()))
            if entry.first_seen > horizon:
                break
            del self._entries[scope]
