"""Clocks and timestamp helpers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from sequence_contract.mock import Clock, ManualClock, SystemClock
from sequence_contract.mock._clock import format_timestamp, parse_timestamp, to_micros
from sequence_contract.mock._ids import IdFactory


def test_manual_clock_moves_only_forward() -> None:
    clock = ManualClock(datetime(2024, 1, 1, tzinfo=UTC))
    assert clock.advance(90) == datetime(2024, 1, 1, 0, 1, 30, tzinfo=UTC)
    assert clock.advance(hours=1).hour == 1
    with pytest.raises(ValueError, match="backwards"):
        clock.advance(-1)
    with pytest.raises(ValueError, match="timezone-aware"):
        ManualClock(datetime(2024, 1, 1))


def test_both_clocks_satisfy_the_protocol() -> None:
    assert isinstance(ManualClock(), Clock)
    assert isinstance(SystemClock(), Clock)
    assert SystemClock().now().tzinfo is UTC


def test_timestamps_round_trip() -> None:
    moment = datetime(2024, 4, 23, 9, 15, tzinfo=UTC)
    assert format_timestamp(moment) == "2024-04-23T09:15:00Z"
    assert format_timestamp(moment.replace(microsecond=250_000)) == "2024-04-23T09:15:00.250Z"
    assert parse_timestamp("2024-04-23T11:15:00+02:00") == moment
    east = moment.astimezone(timezone(timedelta(hours=5)))
    assert format_timestamp(east) == "2024-04-23T09:15:00Z"
    assert to_micros(moment) == int(moment.timestamp()) * 1_000_000


def test_ids_are_monotonic_even_when_time_stands_still() -> None:
    clock, factory = ManualClock(), IdFactory()
    ids = [factory.new("txr_", clock.now()) for _ in range(1_000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == 1_000
    assert all(ident.startswith("txr_") and len(ident) == 30 for ident in ids)
    later = factory.new("txr_", clock.advance(1))
    assert later > ids[-1]
