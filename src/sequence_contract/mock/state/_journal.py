"""The journal: the last requests the API answered, read back by tests (``GET /_mock/requests``).

Bounded: the newest ``LIMIT`` entries stay, older ones fall off. Recording an answered request is
one tuple appended to a ``deque``; entries become JSON only when read, and that is where the API
key is masked (``mask``): no reader ever gets it whole.
"""

from __future__ import annotations

from collections import deque
from datetime import datetime
from typing import Any, NamedTuple

from ._clock import format_timestamp

#: How many requests the journal keeps (the newest).
LIMIT = 10_000


class Entry(NamedTuple):
    request_id: str
    at: datetime
    method: str
    path: str
    operation_id: str | None  # None: the path or method matched no operation
    status: int | None  # None: closed with no answer (a drop scenario)
    idempotency_key: str | None
    key: str | None  # the API key, masked when read (as_json)

    def as_json(self) -> dict[str, Any]:
        return {
            "request_id": self.request_id,
            "at": format_timestamp(self.at),
            "method": self.method,
            "path": self.path,
            "operation_id": self.operation_id,
            "status": self.status,
            "idempotency_key": self.idempotency_key,
            "api_key": None if self.key is None else mask(self.key),
        }


def mask(key: str) -> str:
    """What the journal shows of an API key: its first two characters, the rest starred (a key
    of four characters or fewer shows none)."""
    shown = key[:2] if len(key) > 4 else ""
    return shown + "*" * 6


class Journal:
    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = limit
        self._entries: deque[Entry] = deque(maxlen=limit)
        self.record = self._entries.append  # the hot path: one bound append, no wrapper

    def clear(self) -> None:
        self._entries.clear()

    def read(
        self, *, operation: str | None = None, status: int | None = None, limit: int | None = None
    ) -> list[Entry]:
        """Newest first; only ``operation``'s (an operationId) and ``status``'s when given."""
        found: list[Entry] = []
        for entry in reversed(self._entries):
            if operation is not None and entry.operation_id != operation:
                continue
            if status is not None and entry.status != status:
                continue
            found.append(entry)
            if limit is not None and len(found) >= limit:
                break
        return found
