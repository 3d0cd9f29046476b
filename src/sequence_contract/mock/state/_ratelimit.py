"""Optional rate limit: 100 requests per rolling minute per API key (off by default).

Over the limit → 429 ``too_many_requests`` with ``Retry-After`` in whole seconds, the time until
the oldest counted request leaves the window. Rejected requests are not counted.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from datetime import datetime, timedelta

from .._errors import ApiError

LIMIT = 100
WINDOW = timedelta(minutes=1)


class RateLimiter:
    def __init__(self, limit: int = LIMIT, window: timedelta = WINDOW) -> None:
        self.limit = limit
        self.window = window
        self._seen: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._seen.clear()

    def hit(self, api_key: str, now: datetime) -> None:
        """Count one request for ``api_key``; raise 429 when the window is full."""
        with self._lock:
            seen = self._seen.setdefault(api_key, deque())
            horizon = now - self.window
            while seen and seen[0] <= horizon:
                seen.popleft()
            if len(seen) >= self.limit:
                wait = (seen[0] + self.window - now).total_seconds()
                retry_after = max(1, math.ceil(wait))
                raise ApiError(
                    429,
                    "too_many_requests",
                    f"Rate limit of {self.limit} requests per minute exceeded; "
                    f"retry in {retry_after} s.",
                    {"Retry-After": str(retry_after)},
                )
            seen.append(now)
