"""End to end: 50 transfers made through the client, a loopback receiver that dies for a while,
and every event still arrives once, in order per transfer, and agrees with getTransfer."""

from __future__ import annotations

from collections import Counter

from sequence_api_client.api.transfers import create_transfer, get_transfer
from sequence_api_client.models import CreateTransferInput

from sequence_contract import call, connect
from sequence_contract.mock import ManualClock, create_app
from sequence_contract.testing import SyncASGITransport
from sequence_contract.testing.pytest_plugin import MakeReceiver
from sequence_contract.webhooks import confirm

API = "http://mock.test/api/v1"
RICH, POD, EMPTY = "acc_01HGHI7890", "acc_01HABC4567", "acc_01HSTU0002"
TRANSFERS = 50


def test_fifty_transfers_survive_a_receiver_outage(webhook_receiver: MakeReceiver) -> None:
    hooks = webhook_receiver()
    clock = ManualClock()
    app = create_app(clock=clock, webhooks=[hooks.url])
    webhooks = app.state.webhooks
    schedule = webhooks.deliveries.schedule  # the spec's: 0.5 s, then 1 s, 2 s, ...
    try:
        with connect("demo-all", base_url=API, transport=SyncASGITransport(app)) as client:
            made = []
            for number in range(TRANSFERS):
                source = EMPTY if number % 5 == 0 else RICH  # every fifth cannot be paid
                body = CreateTransferInput(source, POD, amount_in_cents=1000 + number)
                made.append(call(create_transfer.sync_detailed, client=client, body=body).id)

            # The clock stands still: 50 creations, nothing else.
            assert webhooks.flush()
            created = hooks.wait_for(TRANSFERS)
            assert Counter(e.event for e in created) == {"transfer.created": TRANSFERS}
            assert [e.transfer_id for e in created] == made

            # The receiver dies; settlement's 50 status changes fail, then fail their retries.
            hooks.stop()
            clock.advance(1)  # the mock's delay: every transfer settles
            assert webhooks.flush()
            for wait in (schedule.wait(1), schedule.wait(2)):
                clock.advance(wait)
                assert webhooks.flush()
            assert len(hooks.events()) == TRANSFERS  # nothing more got through
            hooks.start()  # back, on the same URL
            clock.advance(schedule.wait(3))
            assert webhooks.flush()
            events = hooks.wait_for(2 * TRANSFERS)

            per_transfer: dict[str, list[tuple[str, str | None]]] = {}
            for event in events:
                assert event.transfer_id is not None
                per_transfer.setdefault(event.transfer_id, []).append((event.event, event.status))
            final = {
                ident: call(get_transfer.sync_detailed, ident, client=client) for ident in made
            }
            expected = {
                ident: [
                    ("transfer.created", "processing"),
                    ("transfer.status_changed", final[ident].status),
                ]
                for ident in made
            }
            gaps = sum(len(set(expected[i]) - set(per_transfer.get(i, []))) for i in made)
            out_of_order = sum(
                per_transfer[i] != expected[i] and sorted(per_transfer[i]) == sorted(expected[i])
                for i in per_transfer
            )
            assert per_transfer == expected  # no transfer missing, no gap, no reordering
            assert Counter(t.status for t in final.values()) == {"complete": 40, "incomplete": 10}
            for event in events:  # the documented way to trust an event agrees with the API
                assert confirm(event, client).to_dict() == final[event.transfer_id or ""].to_dict()

        stats = webhooks.deliveries.stats()
        delivered = [r for r in hooks.received if 200 <= r.status < 300]
        ids = Counter(r.delivery_id for r in delivered)
        figures = {
            "expected": 2 * TRANSFERS,
            "delivered": len(ids),
            "duplicates": sum(ids.values()) - len(ids),
            "gaps": gaps,
            "out_of_order": out_of_order,
            "retries": stats["retries"],
            "failed": stats["failed"],
        }
        print(f"webhooks end to end: {figures}")
        assert figures["delivered"] == figures["expected"]
        assert figures["duplicates"] == figures["gaps"] == figures["out_of_order"] == 0
        assert figures["failed"] == 0
        assert stats["retries"] == 3 * TRANSFERS  # per status change: 2 failed retries, 1 good
        assert stats["attempts"] == TRANSFERS + 4 * TRANSFERS
    finally:
        webhooks.close()
