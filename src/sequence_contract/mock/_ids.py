"""Identifiers the mock mints: ``<prefix>`` + a ULID taken from the mock's clock.

ULIDs sort by creation time; within one millisecond the generator increments the random part, so
ids minted by one store are strictly increasing even when the clock stands still (ManualClock).
"""

from __future__ import annotations

import threading
from datetime import datetime

from ulid import ULID

from ._clock import to_micros


class IdFactory:
    """Monotonic ULID source shared by everything one store creates."""

    def __init__(self) -> None:
        self._last = 0
        self._lock = threading.Lock()

    def new(self, prefix: str, moment: datetime) -> str:
        """A fresh id such as ``txr_01HZX…`` for an object created at ``moment``."""
        millis = to_micros(moment) // 1000
        with self._lock:
            candidate = int(ULID.from_timestamp(millis / 1000))
            floor = self._last + 1
            if candidate < floor:
                candidate = floor
            self._last = candidate
        return prefix + str(ULID.from_int(candidate))

    def request_id(self, moment: datetime) -> str:
        """A ``req_`` id for a request that did not bring its own ``X-Request-ID``."""
        return self.new("req_", moment)
