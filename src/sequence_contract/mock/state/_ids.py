"""Identifiers the mock mints: ``<prefix>`` + a ULID taken from the mock's clock.

A ULID is 48 bits of milliseconds then 80 random bits, written as 26 Crockford base32 characters
(10 for the time, 16 for the rest), so ids sort by creation time. Within the millisecond of the
last id (or before it) the factory adds one to that id, as ULID's monotonic generators do, so
ids minted by one store are strictly increasing even when the clock stands still (ManualClock).

Written here rather than with a ULID library: every request without its own ``X-Request-ID``
gets one, and encoding through a table of two-character codes (the time part cached per
millisecond) costs about a microsecond where python-ulid took tens.
"""

from __future__ import annotations

import random
import secrets
import threading
from datetime import datetime

from ._clock import to_micros

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32: no I, L, O, U
_PAIRS = [first + second for first in ALPHABET for second in ALPHABET]  # one per 10 bits
_RANDOM_BITS = 80
_RANDOM_MASK = (1 << _RANDOM_BITS) - 1
_TIME_MASK = (1 << 48) - 1


def encode(value: int, characters: int) -> str:
    """The low ``5 * characters`` bits of ``value`` in base32, most significant first
    (``characters`` even)."""
    pairs = _PAIRS
    return "".join(
        [pairs[(value >> shift) & 0x3FF] for shift in range(5 * characters - 10, -1, -10)]
    )


class IdFactory:
    """Monotonic ULID source shared by everything one store creates."""

    def __init__(self, seed: int | None = None) -> None:
        # ``--seed``: the random part from a seeded generator, so a run repeats its ids exactly
        self._bits = secrets.randbits if seed is None else random.Random(seed).getrandbits  # noqa: S311 - ids, not secrets
        self._last = 0
        self._lock = threading.Lock()
        self._time = -1  # the millisecond whose encoding is cached in _time_text
        self._time_text = ""

    def new(self, prefix: str, moment: datetime) -> str:
        """A fresh id such as ``txr_01HZX…`` for an object created at ``moment``."""
        millis = (to_micros(moment) // 1000) & _TIME_MASK
        with self._lock:
            last = self._last
            if millis <= last >> _RANDOM_BITS:
                candidate = last + 1
                millis = candidate >> _RANDOM_BITS
            else:
                candidate = millis << _RANDOM_BITS | self._bits(_RANDOM_BITS)
            self._last = candidate
            if millis != self._time:
                self._time, self._time_text = millis, encode(millis, 10)
            time_text = self._time_text
        return prefix + time_text + encode(candidate & _RANDOM_MASK, 16)

    def request_id(self, moment: datetime) -> str:
        """A ``req_`` id for a request that did not bring its own ``X-Request-ID``."""
        return self.new("req_", moment)
