"""Clocks and timestamp helpers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from sequence_contract.mock import Clock, ManualClock, SystemClock
from sequence_contract.mock.state._clock import format_timestamp, parse_timestamp, to_micros
from sequence_contract.mock.state._ids import ALPHABET, IdFactory, encode


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


def _decode(text: str) -> int:
    """A Crockford base32 string as its integer (the inverse of ``_ids.encode``)."""
    value = 0
    for char in text:
        value = value * 32 + ALPHABET.index(char)
    return value


def test_ids_are_ulids_of_their_moment() -> None:
    moment = datetime(2024, 4, 23, 9, 15, 0, 123_456, tzinfo=UTC)
    ident = IdFactory().new("acc_", moment)
    assert ident.startswith("acc_")
    ulid = ident.removeprefix("acc_")
    assert len(ulid) == 26
    assert set(ulid) <= set(ALPHABET)
    assert _decode(ulid[:10]) == to_micros(moment) // 1000  # the first 48 bits: milliseconds


def test_ids_of_two_stores_at_one_moment_differ() -> None:
    moment = ManualClock().now()
    firsts = {IdFactory().new("txr_", moment) for _ in range(50)}
    assert len(firsts) == 50  # the 80 bits after the time are random


def test_within_a_millisecond_an_id_is_the_last_plus_one() -> None:
    clock, factory = ManualClock(), IdFactory()
    first, second = (factory.new("req_", clock.now()).removeprefix("req_") for _ in range(2))
    assert _decode(second) == _decode(first) + 1
    third = factory.new("req_", clock.advance(0.001)).removeprefix("req_")
    assert _decode(third[:10]) == _decode(first[:10]) + 1  # the next millisecond


def test_encode_writes_the_low_bits_most_significant_first() -> None:
    assert encode(0, 4) == "0000"
    assert encode(31, 2) == "0Z"
    assert encode(32 * 32 + 1, 4) == "0101"
    assert encode(1 << 50 | 5, 10) == "0000000005"  # bits above 5 * 10 are left out
