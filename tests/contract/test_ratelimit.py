"""The real-server limiter: never more than ``limit`` requests in any rolling window."""

from __future__ import annotations

import asyncio

from sequence_contract.contract._ratelimit import SlidingWindowLimiter, max_in_window


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_the_request_over_the_limit_waits_for_the_oldest_to_leave_the_window() -> None:
    time = FakeTime()
    limiter = SlidingWindowLimiter(3, 60.0, clock=time.clock, sleep=time.sleep)
    stamps = []

    async def burst() -> None:
        for _ in range(7):
            await limiter.acquire()
            stamps.append(time.now)
            time.now += 1.0

    asyncio.run(burst())
    assert stamps[:3] == [1000.0, 1001.0, 1002.0]  # the first three go at once
    assert stamps[3] == 1060.0  # the fourth waits until the first is 60 s old
    assert max_in_window(stamps, 60.0) == 3
    assert limiter.waited == sum(time.slept) > 0


def test_max_in_window_counts_the_densest_window() -> None:
    assert max_in_window([], 60.0) == 0
    assert max_in_window([0, 10, 59.9, 60, 61, 200], 60.0) == 4  # 10, 59.9, 60, 61
