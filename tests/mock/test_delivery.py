"""The webhook delivery component on its own: order per key, retries that move only with the
mock's clock, bounded queues and log, a stable delivery id, resend. Receivers here are
``httpx.MockTransport`` handlers (no socket)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from sequence_contract.mock import ManualClock
from sequence_contract.mock.webhooks._delivery import Deliveries
from sequence_contract.mock.webhooks._lanes import DELIVERED, DROPPED, FAILED, PENDING
from sequence_contract.mock.webhooks._subscribers import RetrySchedule, Subscriber, subscriber
from sequence_contract.webhooks import DELIVERY_ID_HEADER, parse_event

URL = "http://127.0.0.1:9/hooks"
SCHEDULE = RetrySchedule(attempts=4, first_delay=1, factor=2, max_delay=10, deadline=60, timeout=2)
Handler = Callable[[httpx.Request], httpx.Response]


class Receiver:
    """Records what arrived; ``failing`` decides per request whether to fail it (and how)."""

    def __init__(self) -> None:
        self.got: list[tuple[str, str, str]] = []  # (delivery id, event, key)
        self.failing: Callable[[dict[str, Any]], httpx.Response | Exception | None] = lambda _: None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        event = parse_event(request.content, request.headers)  # what a receiver would do
        body = json.loads(request.content)
        fault = self.failing(body)
        if isinstance(fault, Exception):
            raise fault
        if fault is not None:
            return fault
        assert event.delivery_id is not None
        self.got.append((event.delivery_id, event.event, str(event.transfer_id)))
        return httpx.Response(204)


MakeDeliveries = Callable[..., tuple[Deliveries, Receiver, ManualClock]]


@pytest.fixture
def make_deliveries() -> Iterator[MakeDeliveries]:
    made: list[Deliveries] = []

    def make(
        subscribers: list[Subscriber] | None = None,
        handler: Handler | None = None,
        *,
        schedule: RetrySchedule = SCHEDULE,
        queue_limit: int = 10_000,
        log_limit: int = 10_000,
    ) -> tuple[Deliveries, Receiver, ManualClock]:
        receiver, clock = Receiver(), ManualClock()
        deliveries = Deliveries(
            subscribers if subscribers is not None else [subscriber(URL, explicit=False)],
            clock,
            schedule=schedule,
            transport=httpx.MockTransport(handler or receiver),
            queue_limit=queue_limit,
            log_limit=log_limit,
        )
        made.append(deliveries)
        return deliveries, receiver, clock

    yield make
    for deliveries in made:
        deliveries.close()


def _emit(deliveries: Deliveries, clock: ManualClock, key: str, *statuses: str) -> list[str]:
    """``transfer.created`` then a ``status_changed`` per further status; the event ids."""
    ids = []
    previous = None
    for status in statuses:
        data = {"transfer_id": key, "status": status}
        if previous is None:
            name = "transfer.created"
        else:
            name, data["previous_status"] = "transfer.status_changed", previous
        event_id = deliveries.emit(name, data, key=key, at=clock.now())
        assert event_id is not None
        ids.append(event_id)
        previous = status
    return ids


def test_nothing_is_sent_or_started_unless_asked(make_deliveries: MakeDeliveries) -> None:
    deliveries, _, clock = make_deliveries([])
    assert deliveries.emit("transfer.created", {}, key="txr_1", at=clock.now()) is None
    only = subscriber(URL, ["transfer.status_changed"], explicit=False)
    filtered, _, clock = make_deliveries([only])
    assert filtered.emit("transfer.created", {}, key="txr_1", at=clock.now()) is None
    assert filtered.log() == []
    threads = {thread.name for thread in threading.enumerate()}
    assert not any(name.startswith("webhooks ") and URL in name for name in threads)


def test_events_arrive_in_order_with_the_spec_body_and_a_delivery_id(
    make_deliveries: MakeDeliveries,
) -> None:
    deliveries, receiver, clock = make_deliveries()
    ids = _emit(deliveries, clock, "txr_1", "processing", "complete")
    assert deliveries.flush()
    assert receiver.got == [
        (ids[0], "transfer.created", "txr_1"),
        (ids[1], "transfer.status_changed", "txr_1"),
    ]
    first, second = deliveries.log()
    assert first.body == {
        "event": "transfer.created",
        "created_at": "2024-05-01T12:00:00Z",
        "data": {"transfer_id": "txr_1", "status": "processing"},
    }
    assert second.body["data"]["previous_status"] == "processing"
    assert [d.state for d in (first, second)] == [DELIVERED, DELIVERED]
    attempt = first.attempts[0]
    assert (attempt.number, attempt.status, attempt.error) == (1, 204, None)
    assert attempt.latency_ms >= 0
    assert first.as_json()["attempts"] == [attempt.as_json()]


def test_a_failing_event_holds_back_its_own_key_only_and_retries_with_the_clock(
    make_deliveries: MakeDeliveries,
) -> None:
    deliveries, receiver, clock = make_deliveries()
    down = {"txr_a"}
    receiver.failing = lambda body: (
        httpx.Response(503) if body["data"]["transfer_id"] in down else None
    )
    a = _emit(deliveries, clock, "txr_a", "processing", "complete")
    b = _emit(deliveries, clock, "txr_b", "processing", "complete")
    assert deliveries.flush()
    assert [got[0] for got in receiver.got] == b  # txr_b is not held up by txr_a
    assert deliveries.flush()  # idempotent: nothing is due until the clock moves
    assert [len(d.attempts) for d in deliveries.log()] == [1, 0, 1, 1]
    clock.advance(0.999)
    assert deliveries.flush()
    assert len(deliveries.log()[0].attempts) == 1
    clock.advance(0.001)  # first retry: 1 s after the failure
    assert deliveries.flush()
    assert len(deliveries.log()[0].attempts) == 2
    down.clear()
    clock.advance(2)  # second retry: 2 s after the second failure
    assert deliveries.flush()
    assert [got[0] for got in receiver.got] == b + a
    log = deliveries.log()[0]
    assert [(x.status, x.error) for x in log.attempts] == [
        (503, "answered 503"),
        (503, "answered 503"),
        (204, None),
    ]
    assert deliveries.stats() == {
        "deliveries": 4,
        "pending": 0,
        "delivered": 4,
        "failed": 0,
        "dropped": 0,
        "attempts": 6,
        "retries": 2,
    }


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (httpx.ConnectError("refused"), "no answer: ConnectError: refused"),
        (httpx.ReadTimeout("slow"), "timeout: ReadTimeout"),
        (httpx.Response(307, headers={"Location": "/elsewhere"}), "answered 307"),
    ],
)
def test_no_answer_or_a_non_2xx_is_a_failed_attempt_and_giving_up_frees_the_key(
    make_deliveries: MakeDeliveries, fault: httpx.Response | Exception, error: str
) -> None:
    deliveries, receiver, clock = make_deliveries()
    receiver.failing = lambda body: fault if body["event"] == "transfer.created" else None
    ids = _emit(deliveries, clock, "txr_1", "processing", "complete")
    for _ in range(SCHEDULE.attempts):
        assert deliveries.flush()
        clock.advance(SCHEDULE.max_delay)
    assert deliveries.flush()
    created, changed = deliveries.log()
    assert created.state == FAILED
    assert [a.error for a in created.attempts] == [error] * SCHEDULE.attempts
    assert changed.state == DELIVERED
    assert receiver.got == [(ids[1], "transfer.status_changed", "txr_1")]


def test_no_retry_is_scheduled_past_the_deadline(make_deliveries: MakeDeliveries) -> None:
    schedule = RetrySchedule(
        attempts=50, first_delay=1, factor=2, max_delay=4, deadline=10, timeout=1
    )
    deliveries, receiver, clock = make_deliveries(schedule=schedule)
    receiver.failing = lambda _: httpx.Response(500)
    _emit(deliveries, clock, "txr_1", "processing")
    for _ in range(20):
        assert deliveries.flush()
        clock.advance(1)
    (delivery,) = deliveries.log()
    assert delivery.state == FAILED
    offsets = [(a.at - delivery.attempts[0].at).total_seconds() for a in delivery.attempts]
    assert offsets == [0, 1, 3, 7]  # the next would be at 11 s, past the 10 s deadline


def test_every_attempt_and_a_resend_carry_the_same_delivery_id(
    make_deliveries: MakeDeliveries,
) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers[DELIVERY_ID_HEADER])
        return httpx.Response(500 if len(seen) == 1 else 200)

    deliveries, _, clock = make_deliveries(handler=handler)
    (event_id,) = _emit(deliveries, clock, "txr_1", "processing")
    deliveries.flush()
    clock.advance(1)
    deliveries.flush()
    (again,) = deliveries.resend(event_id)
    assert again.resend
    assert deliveries.flush()
    assert seen == [event_id] * 3
    assert again.state == DELIVERED
    assert again.body == deliveries.log()[0].body
    assert deliveries.resend("evt_unknown") == []
    assert deliveries.resend(event_id, url="http://127.0.0.1:9/other") == []


def test_queues_and_the_log_are_bounded(make_deliveries: MakeDeliveries) -> None:
    deliveries, receiver, clock = make_deliveries(queue_limit=3, log_limit=5)
    receiver.failing = lambda _: httpx.Response(503)
    for number in range(6):
        _emit(deliveries, clock, f"txr_{number}", "processing")
    assert deliveries.flush()
    states = [d.state for d in deliveries.log()]
    assert states == [PENDING, PENDING, PENDING, DROPPED, DROPPED]  # the oldest dropped one left
    assert deliveries.log()[-1].attempts[0].error == "queue full: 3 events waiting"
    assert deliveries.pending() == 3
    receiver.failing = lambda _: None
    clock.advance(1)
    assert deliveries.flush()
    assert len(receiver.got) == 3
    for number in range(6, 12):
        _emit(deliveries, clock, f"txr_{number}", "processing")
        assert deliveries.flush()  # one at a time: the queue holds three
    assert [(d.key, d.state) for d in deliveries.log()] == [
        (f"txr_{n}", DELIVERED) for n in range(7, 12)
    ]


def test_a_slow_receiver_never_holds_up_emit_or_another_subscriber(
    make_deliveries: MakeDeliveries,
) -> None:
    release = threading.Event()
    fast: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if "slow" in str(request.url):
            release.wait(10)
        else:
            fast.append(request.headers[DELIVERY_ID_HEADER])
        return httpx.Response(200)

    slow = subscriber("http://127.0.0.1:9/slow", explicit=False)
    quick = subscriber("http://127.0.0.1:9/quick", explicit=False)
    deliveries, _, clock = make_deliveries([slow, quick], handler=handler)
    started = time.perf_counter()
    ids = [_emit(deliveries, clock, f"txr_{n}", "processing")[0] for n in range(100)]
    assert time.perf_counter() - started < 5.0  # the slow receiver holds its call for 10 s
    deadline = time.monotonic() + 10
    while len(fast) < 100 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert fast == ids
    assert not deliveries.flush(timeout=0.1)  # the slow one is still in flight
    release.set()
    assert deliveries.flush()
    assert deliveries.stats()["delivered"] == 200


def test_reset_forgets_the_queue_and_the_log(make_deliveries: MakeDeliveries) -> None:
    deliveries, receiver, clock = make_deliveries()
    receiver.failing = lambda _: httpx.Response(503)
    _emit(deliveries, clock, "txr_1", "processing", "complete")
    assert deliveries.flush()
    deliveries.reset()
    assert deliveries.log() == []
    assert deliveries.pending() == 0
    receiver.failing = lambda _: None
    clock.advance(10)
    (event_id,) = _emit(deliveries, clock, "txr_2", "processing")
    assert deliveries.flush()
    assert receiver.got == [(event_id, "transfer.created", "txr_2")]
