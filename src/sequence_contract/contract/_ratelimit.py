"""Client-side rate limit for real-server runs: at most ``limit`` requests in any rolling window.

A sliding log, not a token bucket: a bucket refilled at 90/min still lets a full bucket plus the
refill through within one minute, and the server counts per rolling minute (100 per key).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


class SlidingWindowLimiter:
    def __init__(
        self,
        limit: int,
        window: float = 60.0,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("limit must be >= 1 and window > 0")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._sleep = sleep
        self._sent: deque[float] = deque()
        self._lock = asyncio.Lock()
        self.waited = 0.0  # total seconds spent waiting, for the run summary

    def _forget_old(self, now: float) -> None:
        while self._sent and self._sent[0] <= now - self.window:
            self._sent.popleft()

    async def acquire(self) -> None:
        """Wait until one more request keeps the window at or under the limit, then count it."""
        async with self._lock:  # one waiter at a time keeps the order of requests
            while True:
                now = self._clock()
                self._forget_old(now)
                if len(self._sent) < self.limit:
                    self._sent.append(now)
                    return
                pause = self._sent[0] + self.window - now
                self.waited += pause
                await self._sleep(pause)


def max_in_window(stamps: list[float], window: float = 60.0) -> int:
    """The largest number of ``stamps`` inside any one window (for tests and the summary)."""
    best, start = 0, 0
    ordered = sorted(stamps)
    for end, stamp in enumerate(ordered):
        while ordered[start] <= stamp - window:
            start += 1
        best = max(best, end - start + 1)
    return best
