"""Webhook subscribers are checked before anything is sent; the retry schedule is the spec's."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sequence_contract.mock.webhooks._subscribers import (
    RetrySchedule,
    SubscriberError,
    parse_subscriber,
    subscriber,
)
from sequence_contract.spec import lookup, model
from sequence_contract.webhooks import known_events

KNOWN = known_events()


@pytest.mark.parametrize(
    ("text", "url", "events"),
    [
        ("http://127.0.0.1:9000/hooks", "http://127.0.0.1:9000/hooks", None),
        (
            "http://localhost:9000/h=transfer.created,transfer.status_changed",
            "http://localhost:9000/h",
            {"transfer.created", "transfer.status_changed"},
        ),
        ("http://[::1]:9000/h?token=abc", "http://[::1]:9000/h?token=abc", None),
        (
            "https://127.0.0.2/h?a=b=transfer.created",
            "https://127.0.0.2/h?a=b",
            {"transfer.created"},
        ),
    ],
)
def test_a_url_and_an_optional_event_list(text: str, url: str, events: set[str] | None) -> None:
    parsed = parse_subscriber(text, explicit=False, known=KNOWN)
    assert parsed.url == url
    assert parsed.events == (None if events is None else frozenset(events))
    for name in KNOWN:
        assert parsed.wants(name) == (events is None or name in events)


@pytest.mark.parametrize(
    ("text", "explicit", "problem"),
    [
        ("ftp://127.0.0.1/h", True, "must be an http(s) URL with a host"),
        ("127.0.0.1:9000/h", True, "must be an http(s) URL with a host"),
        ("http://user:secret@127.0.0.1/h", True, "no credentials in the URL"),
        ("http://example.com/h", False, "not a loopback address"),
        ("http://10.0.0.1/h", False, "not a loopback address"),
        ("http://127.0.0.1/h=transfer.deleted", False, "unknown event(s) ['transfer.deleted']"),
    ],
)
def test_a_subscriber_the_mock_refuses(text: str, explicit: bool, problem: str) -> None:
    with pytest.raises(SubscriberError) as refused:
        parse_subscriber(text, explicit=explicit, known=KNOWN)
    assert problem in str(refused.value)
    assert "secret" not in str(refused.value)


def test_an_explicit_url_may_name_another_host_and_an_empty_filter_is_refused() -> None:
    assert subscriber("https://hooks.example.com/in", explicit=True).url.endswith("/in")
    with pytest.raises(SubscriberError, match="an empty event list would get nothing"):
        subscriber("http://127.0.0.1/h", [], explicit=False)


def test_the_default_schedule_is_the_one_openapi_yaml_documents() -> None:
    pointer = "/components/responses/WebhookRejected"
    documented = lookup(model().document, pointer)
    assert documented["x-provenance"] == "choice"
    schedule = RetrySchedule.from_spec()
    assert {name: getattr(schedule, name) for name in documented["x-retries"]} == documented[
        "x-retries"
    ]
    assert "`x-retries`" in documented["description"]


def test_the_default_retries_soon_and_within_a_minute() -> None:
    schedule = RetrySchedule.from_spec()
    start = datetime(2024, 5, 1, tzinfo=UTC)
    at, times = start, [start]
    for attempt in range(1, 100):
        due = schedule.next_due(start, attempt, at)
        if due is None:
            break
        times.append(due)
        at = due
    assert len(times) == schedule.attempts  # stopped by attempts, not by the deadline
    assert times[1] - times[0] <= timedelta(seconds=1)
    assert times[-1] - start <= timedelta(seconds=60)
    waits = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert waits == sorted(waits)  # never shorter than the wait before


def test_the_deadline_and_the_attempts_both_bound_retries() -> None:
    schedule = RetrySchedule(
        attempts=10, first_delay=1, factor=3, max_delay=20, deadline=30, timeout=1
    )
    start = datetime(2024, 5, 1, tzinfo=UTC)
    assert [schedule.wait(n) for n in range(1, 6)] == [1, 3, 9, 20, 20]
    assert schedule.next_due(start, 1, start) == start + timedelta(seconds=1)
    assert schedule.next_due(start, 4, start + timedelta(seconds=13)) is None  # 33 s > 30 s
    assert schedule.next_due(start, 10, start) is None
    huge = RetrySchedule(
        attempts=3000, first_delay=1, factor=10, max_delay=5, deadline=9, timeout=1
    )
    assert huge.wait(2000) == 5


def test_overrides_replace_named_fields_and_refuse_nonsense() -> None:
    schedule = RetrySchedule.from_spec().replace("attempts=3, first-delay=0.1,deadline=5")
    assert (schedule.attempts, schedule.first_delay, schedule.deadline) == (3, 0.1, 5.0)
    assert schedule.factor == RetrySchedule.from_spec().factor
    for bad, problem in [
        ("attempts=0", "attempts must be >= 1"),
        ("factor=0.5", "factor must be >= 1"),
        ("timeout=0", "timeout must be > 0"),
        ("deadline=nan", "deadline must be >= 0"),
        ("first_delay=soon", "first_delay: 'soon' is no number"),
        ("speed=2", "expected name=value with a name in"),
        ("attempts", "expected name=value"),
    ]:
        with pytest.raises(SubscriberError) as refused:
            RetrySchedule.from_spec().replace(bad)
        assert problem in str(refused.value)


def test_the_mock_guide_states_the_default_schedule() -> None:
    schedule = RetrySchedule.from_spec()
    start = datetime(2024, 5, 1, tzinfo=UTC)
    offsets, at = [0.0], start
    while (due := schedule.next_due(start, len(offsets), at)) is not None:
        offsets.append((due - start).total_seconds())
        at = due
    listed = ", ".join(f"{o:g}" for o in offsets)
    readme = (Path(__file__).parents[2] / "docs/guides/mock.md").read_text(encoding="utf-8")
    assert f"(attempts at {listed} s)" in " ".join(readme.split())
    assert f"{schedule.timeout:g} s timeout" in readme
