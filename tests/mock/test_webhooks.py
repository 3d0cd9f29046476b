"""The mock's webhooks: an event for every new transfer and every move, only for committed
writes, never in the way of an API answer, with a log and a resend under ``/_mock/webhooks``.
Receivers are ``httpx.MockTransport`` handlers here; the end-to-end test uses loopback."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from sequence_contract.mock import FixtureError, ManualClock, create_app, default_fixtures
from sequence_contract.mock.__main__ import main as mock_main
from sequence_contract.mock._fixtures import MEMBERS
from sequence_contract.mock.domain import transfers as _transfers
from sequence_contract.mock.state._records import Transfer
from sequence_contract.mock.webhooks._subscribers import SubscriberError
from sequence_contract.testing import SyncASGITransport
from sequence_contract.webhooks import DELIVERY_ID_HEADER, parse_event

API = "http://mock.test/api/v1"
HOOK = "http://127.0.0.1:9/hooks"
RICH, POD, EMPTY = "acc_01HGHI7890", "acc_01HABC4567", "acc_01HSTU0002"


@dataclass
class Hooked:
    """A mock with one subscriber whose deliveries a MockTransport records."""

    app: Starlette
    got: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (Webhook-Id, body)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def clock(self) -> ManualClock:
        clock = self.app.state.clock
        assert isinstance(clock, ManualClock)
        return clock

    def api(self) -> httpx.Client:
        headers = {"Authorization": "ApiKey demo-all"}
        return httpx.Client(transport=SyncASGITransport(self.app), base_url=API, headers=headers)

    def flush(self) -> list[tuple[str, dict[str, Any]]]:
        assert self.app.state.webhooks.flush()
        with self.lock:
            return list(self.got)

    def per_transfer(self) -> dict[str, list[tuple[str, str | None, str | None]]]:
        """transfer id -> [(event, status, previous_status)] in arrival order."""
        found: dict[str, list[tuple[str, str | None, str | None]]] = {}
        for _, body in self.flush():
            data = body["data"]
            found.setdefault(data["transfer_id"], []).append(
                (body["event"], data.get("status"), data.get("previous_status"))
            )
        return found


MakeHooked = Callable[..., Hooked]


@pytest.fixture
def make_hooked() -> Iterator[MakeHooked]:
    made: list[Hooked] = []

    def make(
        handler: Callable[[httpx.Request], httpx.Response] | None = None,
        *,
        webhooks: list[str] | None = None,
        fixtures: Path | None = None,
    ) -> Hooked:
        hooked = Hooked(Starlette())

        def record(request: httpx.Request) -> httpx.Response:
            event = parse_event(request.content, request.headers)  # what the spec promises
            assert event.delivery_id is not None
            with hooked.lock:
                hooked.got.append((event.delivery_id, json.loads(request.content)))
            return httpx.Response(204)

        hooked.app = create_app(
            clock=ManualClock(),
            fixtures=fixtures,
            webhooks=[HOOK] if webhooks is None else webhooks,
            webhook_transport=httpx.MockTransport(handler or record),
        )
        made.append(hooked)
        return hooked

    yield make
    for hooked in made:
        hooked.app.state.webhooks.close()


def _transfer(api: httpx.Client, source: str, target: str, amount: int, **headers: str) -> str:
    body = {
        "source_account_id": source,
        "destination_account_id": target,
        "amount_in_cents": amount,
    }
    answer = api.post("/transfers", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["data"]["id"])


def _fixtures(tmp_path: Path, **members: object) -> Path:
    """The default organisation plus ``members``, as one fixture file."""
    content: dict[str, object] = {}
    for member in MEMBERS:
        file = default_fixtures() / f"{member}.json"
        if file.is_file():
            content[member] = json.loads(file.read_text(encoding="utf-8"))
    content.update(members)
    path = tmp_path / "fixtures.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    return path


def test_every_new_transfer_and_every_move_is_an_event_in_order(
    make_hooked: MakeHooked,
) -> None:
    hooked = make_hooked()
    with hooked.api() as api:
        paid = _transfer(api, RICH, POD, 2500)
        unpaid = _transfer(api, EMPTY, POD, 2500)  # no funds: incomplete
        trigger = api.post("/rules/rule_01HABC9999/trigger", json={})  # a rule's own moves
        assert trigger.status_code == 202
        execution = api.get(f"/rule-executions/{trigger.json()['data']['execution_id']}")
        by_rule = execution.json()["data"]["transfer_ids"]
        assert by_rule  # the fixtures' manual rule moves money
        before = hooked.per_transfer()  # the clock has not moved: creations only
        assert set(before) == {paid, unpaid, *by_rule}  # fixture transfers are no news
        assert before[paid] == before[unpaid] == [("transfer.created", "processing", None)]
        assert all([e[0] for e in before[ident]] == ["transfer.created"] for ident in by_rule)
        hooked.clock.advance(1)  # the store's delay: everything settles
        events = hooked.per_transfer()
    assert events[paid] == [
        ("transfer.created", "processing", None),
        ("transfer.status_changed", "complete", "processing"),
    ]
    assert events[unpaid] == [
        ("transfer.created", "processing", None),
        ("transfer.status_changed", "incomplete", "processing"),
    ]
    for ident in by_rule:
        assert events[ident][0][0] == "transfer.created"
        assert [e[0] for e in events[ident][1:]] == ["transfer.status_changed"] * (
            len(events[ident]) - 1
        )
    ids = [delivery_id for delivery_id, _ in hooked.flush()]
    assert len(ids) == len(set(ids))
    bodies = [body for _, body in hooked.flush()]
    assert all(body["created_at"] == "2024-05-01T12:00:00Z" for body in bodies[:2])


def test_a_write_that_rolls_back_sends_nothing_and_its_retry_sends_once(
    make_hooked: MakeHooked, monkeypatch: pytest.MonkeyPatch
) -> None:
    hooked = make_hooked()
    with hooked.api() as api:
        with monkeypatch.context() as patch:

            def unserialisable(*args: object, **kwargs: object) -> bytes:
                raise RecursionError("injected while serialising the answer")

            patch.setattr("sequence_contract.mock.http._pipeline.success_body", unserialisable)
            body = {
                "source_account_id": RICH,
                "destination_account_id": POD,
                "amount_in_cents": 100,
            }
            failed = api.post("/transfers", json=body, headers={"Idempotency-Key": "k1"})
            assert failed.status_code == 500
        assert hooked.flush() == []
        hooked.clock.advance(5)
        assert hooked.flush() == []  # no settlement of a transfer that never was
        made = _transfer(api, RICH, POD, 100, **{"Idempotency-Key": "k1"})
        assert _transfer(api, RICH, POD, 100, **{"Idempotency-Key": "k1"}) == made  # a replay
    assert [body["data"]["transfer_id"] for _, body in hooked.flush()] == [made]


def test_an_api_answer_never_waits_on_a_receiver(make_hooked: MakeHooked) -> None:
    release = threading.Event()

    def stuck(request: httpx.Request) -> httpx.Response:
        release.wait(20)
        return httpx.Response(204)

    hooked = make_hooked(stuck)
    try:
        with hooked.api() as api:
            started = time.perf_counter()
            for _ in range(20):
                _transfer(api, RICH, POD, 100)
            assert api.get(f"/transfers/{_transfer(api, RICH, POD, 100)}").status_code == 200
            elapsed = time.perf_counter() - started
        assert elapsed < 10.0, f"21 writes took {elapsed:.2f} s with a receiver stuck for 20 s"
        assert not hooked.app.state.webhooks.flush(timeout=0.1)
    finally:
        release.set()
    assert hooked.app.state.webhooks.flush()
    assert hooked.app.state.webhooks.deliveries.stats()["delivered"] == 21


def test_the_log_and_a_resend_over_http(make_hooked: MakeHooked) -> None:
    hooked = make_hooked(webhooks=[f"{HOOK}=transfer.created"])
    mock = httpx.Client(transport=SyncASGITransport(hooked.app), base_url="http://mock.test")
    with hooked.api() as api, mock:
        made = _transfer(api, RICH, POD, 100)
        hooked.clock.advance(1)
        (delivery_id, body), *rest = hooked.flush()
        assert rest == []  # status changes were not asked for
        log = mock.get("/_mock/webhooks").json()
        assert log["subscribers"] == [{"url": HOOK, "events": ["transfer.created"]}]
        assert log["schedule"]["attempts"] == 8
        assert log["stats"]["delivered"] == 1
        (entry,) = log["deliveries"]
        assert (entry["event_id"], entry["key"], entry["state"]) == (delivery_id, made, "delivered")
        assert entry["body"] == body
        (attempt,) = entry["attempts"]
        assert attempt["status"] == 204
        assert attempt["error"] is None
        assert isinstance(attempt["latency_ms"], float)
        assert mock.get("/_mock/webhooks", params={"state": "failed"}).json()["deliveries"] == []
        again = mock.post(f"/_mock/webhooks/{delivery_id}/resend")
        assert again.status_code == 202
        assert again.json()["deliveries"][0]["resend"] is True
        assert [d for d, _ in hooked.flush()] == [delivery_id, delivery_id]  # the same id
        missing = mock.post("/_mock/webhooks/evt_unknown/resend")
        assert missing.status_code == 404
        assert missing.json()["error"]["code"] == "not_found"
        assert api.get("/_mock/webhooks").status_code == 404  # not under /api/v1


def test_an_approval_from_the_fixtures_waits_then_moves_on(
    make_hooked: MakeHooked, tmp_path: Path
) -> None:
    approvals = [
        {"source": RICH, "min_amount": 10_000, "decision": "approve", "after": 30},
        {"destination": "acc_01HJKL2345", "decision": "reject"},
    ]
    hooked = make_hooked(fixtures=_fixtures(tmp_path, approvals=approvals))
    with hooked.api() as api:
        small = _transfer(api, RICH, POD, 9_999)  # under the minimum: no approval
        big = _transfer(api, RICH, POD, 10_000)
        refused = _transfer(api, POD, "acc_01HJKL2345", 100)
        assert api.get(f"/transfers/{big}").json()["data"]["status"] == "pending_approval"
        hooked.clock.advance(1)  # the store's delay: the reject decision and the settlement
        hooked.flush()
        hooked.clock.advance(29)  # 30 s: approved
        hooked.flush()
        assert api.get(f"/transfers/{big}").json()["data"]["status"] == "processing"
        hooked.clock.advance(1)  # one delay after approval: settled
        events = hooked.per_transfer()
        assert api.get(f"/transfers/{big}").json()["data"]["status"] == "complete"
    assert events[small] == [
        ("transfer.created", "processing", None),
        ("transfer.status_changed", "complete", "processing"),
    ]
    assert events[big] == [
        ("transfer.created", "pending_approval", None),
        ("transfer.approval_required", "pending_approval", None),
        ("transfer.status_changed", "processing", "pending_approval"),
        ("transfer.status_changed", "complete", "processing"),
    ]
    assert events[refused] == [
        ("transfer.created", "pending_approval", None),
        ("transfer.approval_required", "pending_approval", None),
        ("transfer.status_changed", "cancelled", "pending_approval"),
    ]


@pytest.mark.parametrize(
    ("members", "problem"),
    [
        ({"webhooks": [{"url": "http://example.com/h"}]}, "webhooks[0]: webhook URL"),
        ({"webhooks": [{"url": HOOK, "events": ["x.y"]}]}, "unknown event(s) ['x.y']"),
        ({"webhooks": [{"url": HOOK, "retries": 3}]}, "webhooks[0]: unknown member(s)"),
        ({"webhooks": {"url": HOOK}}, "webhooks: must be a JSON array"),
        ({"approvals": [{"source": "acc_nope"}]}, "approvals[0].source: unknown account"),
        ({"approvals": [{"decision": "maybe"}]}, "approvals[0].decision: must be one of"),
        ({"approvals": [{"after": -1}]}, "approvals[0].after: must be a number of seconds"),
        ({"approvals": [{"min_amount": 1.5}]}, "approvals[0].min_amount: must be an integer"),
    ],
)
def test_bad_webhook_or_approval_fixtures_stop_start_up(
    tmp_path: Path, members: dict[str, object], problem: str
) -> None:
    with pytest.raises(FixtureError) as refused:
        create_app(fixtures=_fixtures(tmp_path, **members))
    assert problem in str(refused.value)
    assert "fixtures.json" in str(refused.value)


def test_subscribers_from_the_fixtures_and_the_caller(
    make_hooked: MakeHooked, tmp_path: Path
) -> None:
    fixtures = _fixtures(tmp_path, webhooks=[{"url": HOOK, "events": ["transfer.created"]}])
    other = "http://127.0.0.1:9/other"
    hooked = make_hooked(fixtures=fixtures, webhooks=[other])
    assert [s.url for s in hooked.app.state.webhooks.subscribers] == [HOOK, other]
    remote = make_hooked(webhooks=["https://hooks.example.com/in"])  # named by the caller: ok
    assert remote.app.state.webhooks.subscribers[0].events is None
    with pytest.raises(SubscriberError, match="webhook URL given twice: " + HOOK):
        create_app(fixtures=fixtures, webhooks=[HOOK])


def test_nothing_runs_without_subscribers(make_hooked: MakeHooked) -> None:
    before = {thread.ident for thread in threading.enumerate()}
    hooked = make_hooked(webhooks=[])
    with hooked.api() as api:
        _transfer(api, RICH, POD, 100)
    assert {thread.ident for thread in threading.enumerate()} <= before
    assert hooked.app.state.webhooks.deliveries.log() == []


def test_reset_forgets_the_deliveries(make_hooked: MakeHooked) -> None:
    hooked = make_hooked()
    with hooked.api() as api:
        _transfer(api, RICH, POD, 100)
    hooked.flush()
    hooked.app.state.store.reset()
    assert hooked.app.state.webhooks.deliveries.log() == []


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (["--webhook", "ftp://127.0.0.1/h"], "webhook URL 'ftp://127.0.0.1/h': must be an http(s)"),
        (["--webhook", "http://127.0.0.1/h=transfer.nope"], "unknown event(s)"),
        (["--webhook-retries", "attempts=0"], "webhook retries: attempts must be >= 1"),
    ],
)
def test_the_command_refuses_a_bad_webhook_option(
    argv: list[str], problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert mock_main(argv) == 2
    assert problem in capsys.readouterr().err


def test_delivery_carries_the_header_the_spec_declares(make_hooked: MakeHooked) -> None:
    seen: list[httpx.Headers] = []

    def keep(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers)
        return httpx.Response(200)

    hooked = make_hooked(keep)
    with hooked.api() as api:
        _transfer(api, RICH, POD, 100)
    hooked.flush()
    (headers,) = seen
    assert headers[DELIVERY_ID_HEADER].startswith("evt_")
    assert headers["content-type"] == "application/json"


def test_an_effect_that_fails_and_rolls_back_sends_nothing(
    make_hooked: MakeHooked, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A settlement that raises after its changes sends no status event: it did not happen."""
    hooked = make_hooked()
    with hooked.api() as api:
        failing = _transfer(api, RICH, POD, 100)
        settled = _transfer(api, RICH, POD, 200)
        real: Callable[..., None] = _transfers.move

        def fail_on_completion(
            store: object, transfer: Transfer, *rest: object, **kw: object
        ) -> None:
            real(store, transfer, *rest, **kw)  # the change and its event, then the bug
            if transfer.id == failing:
                raise RuntimeError("injected after the event")

        monkeypatch.setattr(_transfers, "move", fail_on_completion)
        hooked.clock.advance(5)
        assert api.get(f"/transfers/{failing}").json()["data"]["status"] == "processing"
    assert hooked.per_transfer() == {
        failing: [("transfer.created", "processing", None)],
        settled: [
            ("transfer.created", "processing", None),
            ("transfer.status_changed", "complete", "processing"),
        ],
    }
