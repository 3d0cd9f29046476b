"""Finishing a write safely: every write operation whose answers were all lost raises an error
that says it may have happened and carries its key; calling again with that key replays the
first outcome and changes nothing in the mock, sync and async."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from types import ModuleType
from typing import Any

import httpx
import pytest
from sequence_api_client.api.rules import create_rule, delete_rule, trigger_rule, update_rule
from sequence_api_client.api.transfers import create_transfer
from sequence_api_client.models import (
    CreateTransferInput,
    TriggerRuleInput,
)
from starlette.applications import Starlette

from sequence_contract import APIConnectionError, acall, call, connect, connect_async
from sequence_contract.mock import ManualClock, create_app
from sequence_contract.testing import FaultInjectingTransport, Faults, SyncASGITransport
from tests.fixtures.client import DEMO_KEY, MOCK_URL
from tests.fixtures.generated import CHECKING, POD, RULE, rule_input

LOST = Faults(drop_after=1.0)  # the server acts on every attempt, no answer comes back


#: operationId -> (generated module, arguments, the part of the store the write changes)
WRITES: dict[str, tuple[ModuleType, dict[str, Any], str]] = {
    "createRule": (create_rule, {"body": rule_input()}, "rules"),
    "updateRule": (update_rule, {"id": RULE, "body": rule_input()}, "rules"),
    "deleteRule": (delete_rule, {"id": RULE}, "rules"),
    "triggerRule": (
        trigger_rule,
        {"id": RULE, "body": TriggerRuleInput(manual_execute_amount=500)},
        "executions",
    ),
    "createTransfer": (
        create_transfer,
        {"body": CreateTransferInput(CHECKING, POD, amount_in_cents=2500)},
        "transfers",
    ),
}


def state(app: Starlette) -> dict[str, str]:
    """Everything a write may change, comparable (the clock stands still)."""
    store = app.state.store
    return {
        "rules": json.dumps({rid: rule.doc for rid, rule in store.rules.items()}, default=str),
        "executions": json.dumps({eid: e.doc for eid, e in store.executions.items()}, default=str),
        "transfers": json.dumps(
            {tid: asdict(t) for tid, t in store.transfers.items()}, default=str, sort_keys=True
        ),
    }


def check_lost_write(error: APIConnectionError, app: Starlette, before: dict[str, str]) -> None:
    assert error.outcome_unknown
    assert error.idempotency_key is not None
    assert f"idempotency_key={error.idempotency_key!r}" in str(error)
    assert len(error.attempts) == 3  # the default policy: two retries, each answer lost too
    assert all(attempt.may_have_acted for attempt in error.attempts)
    assert state(app) != before


def check_replay(operation: str, app: Starlette, written: dict[str, str], data: object) -> None:
    assert state(app) == written, f"{operation}: finishing with the key wrote again"
    changed = WRITES[operation][2]
    if operation == "deleteRule":
        assert data is None  # the replayed 204, not a 404 for a rule already deleted
    elif operation == "triggerRule":
        assert getattr(data, "execution_id", None) in app.state.store.executions
    else:
        assert getattr(data, "id", None) in getattr(app.state.store, changed)


@pytest.mark.parametrize("operation", list(WRITES))
def test_a_lost_write_is_finished_with_the_errors_key(operation: str) -> None:
    module, kwargs, _ = WRITES[operation]
    app = create_app(clock=ManualClock())
    before = state(app)
    lossy = FaultInjectingTransport(SyncASGITransport(app), LOST)
    client = connect(DEMO_KEY, base_url=MOCK_URL, transport=lossy)
    with client, pytest.raises(APIConnectionError) as caught:
        call(module.sync_detailed, client=client, **kwargs)
    check_lost_write(caught.value, app, before)
    assert lossy.forwarded == 3
    app.state.clock.advance(0.5)  # a write run again would stamp a new time (nothing settles)
    written = state(app)

    with connect(DEMO_KEY, base_url=MOCK_URL, transport=SyncASGITransport(app)) as client:
        data = call(
            module.sync_detailed,
            client=client,
            idempotency_key=caught.value.idempotency_key,
            **kwargs,
        )
    check_replay(operation, app, written, data)


@pytest.mark.anyio
@pytest.mark.parametrize("operation", list(WRITES))
async def test_a_lost_async_write_is_finished_with_the_errors_key(operation: str) -> None:
    module, kwargs, _ = WRITES[operation]
    run: Callable[..., Awaitable[Any]] = module.asyncio_detailed
    app = create_app(clock=ManualClock())
    before = state(app)
    lossy = FaultInjectingTransport(httpx.ASGITransport(app=app), LOST)
    async with connect_async(DEMO_KEY, base_url=MOCK_URL, transport=lossy) as client:
        with pytest.raises(APIConnectionError) as caught:
            await acall(run, client=client, **kwargs)
    check_lost_write(caught.value, app, before)
    app.state.clock.advance(0.5)
    written = state(app)

    async with connect_async(
        DEMO_KEY, base_url=MOCK_URL, transport=httpx.ASGITransport(app=app)
    ) as client:
        data = await acall(
            run, client=client, idempotency_key=caught.value.idempotency_key, **kwargs
        )
    check_replay(operation, app, written, data)
