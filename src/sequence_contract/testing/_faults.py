"""The one description of network faults (``Faults``) and the seeded draw from it
(``SeededFaults``), shared by the in-process ``FaultInjectingTransport`` and the real-socket
``FaultProxy`` of ``sequence_contract.testing``."""

from __future__ import annotations

import json
import random
import threading
from collections import Counter
from dataclasses import dataclass

#: Faults answered by the injector itself: the request never reaches the server.
NOT_FORWARDED = frozenset({"unavailable", "rate_limited"})


@dataclass(frozen=True, slots=True)
class Faults:
    """Probability of each fault per exchange (their sum must not exceed 1):

    * ``drop_after``: forwards the request, lets the server answer, then closes the connection
      without relaying anything: the case idempotency keys exist for;
    * ``unavailable``: answers 502 or 503 itself, without forwarding;
    * ``unavailable_after``: forwards, then answers 502 or 503 instead of the server's answer;
    * ``rate_limited``: answers 429 with ``Retry-After: <retry_after>`` without forwarding;
    * ``cut_answer``: forwards, then relays half of the server's answer and resets the
      connection;
    * ``slow``: forwards, then holds the server's answer ``slow_delay`` seconds; a client whose
      read timeout is shorter times out after the server acted.
    """

    drop_after: float = 0.0
    unavailable: float = 0.0
    unavailable_after: float = 0.0
    rate_limited: float = 0.0
    retry_after: int = 1  # seconds, sent with injected 429s
    cut_answer: float = 0.0
    slow: float = 0.0
    slow_delay: float = 1.0  # seconds

    def __post_init__(self) -> None:
        rates = [rate for _, rate in self.rates()]
        if min(rates) < 0 or sum(rates) > 1:
            raise ValueError("fault probabilities must be >= 0 and sum to at most 1")
        if self.retry_after < 0 or self.slow_delay < 0:
            raise ValueError("retry_after and slow_delay must be >= 0")

    def rates(self) -> tuple[tuple[str, float], ...]:
        """(fault, probability) in the order draws test them (new faults go last, so a seed
        keeps drawing what it drew before they existed)."""
        return (
            ("drop_after", self.drop_after),
            ("unavailable", self.unavailable),
            ("unavailable_after", self.unavailable_after),
            ("rate_limited", self.rate_limited),
            ("cut_answer", self.cut_answer),
            ("slow", self.slow),
        )


class SeededFaults:
    """Which fault, if any, spoils the next exchange (drawn from ``random.Random(seed)``), what
    it answers in place of the server, and the count of what was drawn and forwarded. Draws
    follow the order of exchanges, so a seed replays the same faults for sequential calls."""

    def __init__(self, faults: Faults, seed: int) -> None:
        self.faults = faults
        self.rng = random.Random(seed)  # noqa: S311 - reproducible faults, not cryptography
        self.injected: Counter[str] = Counter()
        self.forwarded = 0
        self._lock = threading.Lock()  # concurrent exchanges share one draw

    def draw(self) -> str | None:
        with self._lock:
            roll = self.rng.random()
            for name, rate in self.faults.rates():
                if roll < rate:
                    self.injected[name] += 1
                    return name
                roll -= rate
        return None

    def count_forwarded(self) -> None:
        with self._lock:
            self.forwarded += 1

    def choice(self, options: tuple[int, ...]) -> int:
        with self._lock:
            return self.rng.choice(options)

    def answer(self, fault: str) -> tuple[int, list[tuple[str, str]], bytes]:
        """(status, headers, body) an injected status fault answers instead of the server."""
        if fault == "rate_limited":
            body = {"error": {"code": "too_many_requests", "message": "Injected rate limit."}}
            headers = [
                ("Content-Type", "application/json"),
                ("Retry-After", str(self.faults.retry_after)),
            ]
            return 429, headers, json.dumps(body).encode()
        status = self.choice((502, 503))
        text = "Bad Gateway" if status == 502 else "Service Unavailable"
        return status, [("Content-Type", "text/plain")], text.encode()


class FaultCounts:
    """What a fault injector (transport or proxy) reports of its ``SeededFaults``."""

    _faults: SeededFaults

    @property
    def injected(self) -> Counter[str]:
        """How many times each fault fired."""
        return self._faults.injected

    @property
    def forwarded(self) -> int:
        """How many requests reached the server behind the injector."""
        return self._faults.forwarded
