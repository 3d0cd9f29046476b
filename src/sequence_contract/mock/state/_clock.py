"""Time as the mock sees it: every async effect and every 24-hour window reads a ``Clock``.

The server uses ``SystemClock``; tests pass a ``ManualClock`` and move it with ``advance()``, so
transfer settlement, rule executions, idempotency expiry and rate-limit windows are deterministic.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable

from ...spec import parse_date_time


@runtime_checkable
class Clock(Protocol):
    """Source of the current time (timezone-aware, UTC)."""

    def now(self) -> datetime: ...


class SystemClock:
    """Wall-clock time, plus however far the admin API moved it (``advance``/``set``)."""

    def __init__(self) -> None:
        self._offset = timedelta(0)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset

    def advance(self, seconds: float = 0.0, **delta: float) -> datetime:
        """Jump ahead by ``seconds`` (and any ``timedelta`` keywords); time keeps running."""
        step = _forward(timedelta(seconds=seconds, **delta))
        with self._lock:
            self._offset += step
        return self.now()

    def set(self, moment: datetime) -> datetime:
        """Jump to ``moment``, which must not be in the past."""
        with self._lock:
            self._offset += _forward(_aware(moment) - self.now())
        return self.now()


class ManualClock:
    """A clock that only moves when told to. Thread-safe, never goes backwards."""

    def __init__(self, start: datetime | None = None) -> None:
        start = start or datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
        if start.tzinfo is None:
            raise ValueError("ManualClock needs a timezone-aware start time")
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float = 0.0, **delta: float) -> datetime:
        """Move forward by ``seconds`` plus any ``timedelta`` keywords; return the new time."""
        step = _forward(timedelta(seconds=seconds, **delta))
        with self._lock:
            self._now += step
            return self._now

    def set(self, moment: datetime) -> datetime:
        """Move to ``moment``, which must not be before the current time."""
        moment = _aware(moment)
        with self._lock:
            _forward(moment - self._now)
            self._now = moment
            return moment


def _forward(step: timedelta) -> timedelta:
    if step < timedelta(0):
        raise ValueError("the mock's clock cannot go backwards")
    return step


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("a time for the mock's clock needs a timezone")
    return moment.astimezone(UTC)


def to_micros(moment: datetime) -> int:
    """Microseconds since the epoch: the integer form used in sort keys and cursors."""
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def format_timestamp(moment: datetime) -> str:
    """ISO 8601 UTC with a ``Z`` suffix, milliseconds only when present."""
    moment = moment.astimezone(UTC)
    if moment.microsecond:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_timestamp(text: str) -> datetime:
    """Parse an RFC 3339 timestamp (already validated as ``date-time``) into UTC."""
    return parse_date_time(text).astimezone(UTC)


def timestamp_micros(text: str) -> int:
    """``to_micros`` of an RFC 3339 timestamp, without turning it into UTC first: a valid time
    at the edge of ``datetime``'s range leaves it in UTC (``0001-01-01T00:17:15+22:44`` is in
    year 0), while its distance to the epoch is always defined. For ``from``/``to`` filters."""
    return to_micros(parse_date_time(text))


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
