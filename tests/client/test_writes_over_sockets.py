"""300 createTransfer calls through a FaultProxy to the mock served on loopback, with the default
retry policy (stamina's test mode only skips the waits): none duplicated, none lost, every call
that raised but wrote says so with a key, and finishing each failed call with its key writes
nothing twice. Sync, then async. The figures are in every assertion message."""

from __future__ import annotations

from collections import Counter

import pytest
from starlette.applications import Starlette

from sequence_contract import RetryPolicy
from sequence_contract.mock import create_app
from sequence_contract.testing import FaultProxy
from sequence_contract.testing.pytest_plugin import MakeFaultProxy, ServeMock
from tests.fixtures.writes import (
    FAULTS,
    Outcome,
    Tally,
    arun,
    description,
    finish,
    run,
    tally,
    written,
)

CALLS = 300
SEED = 13


def check(app: Starlette, before: set[str], outcomes: list[Outcome], proxy: FaultProxy) -> Tally:
    result = tally(app, before, outcomes)
    figures = f"{result}; proxy: {dict(proxy.counts)}"
    assert result.calls == result.ok + result.failed == CALLS, figures
    assert result.duplicates == 0, figures
    assert result.lost == 0, figures
    assert result.failed > 0, f"the faults never beat the retries: {figures}"
    assert result.written_but_failed > 0, figures
    assert result.written_unflagged == 0, figures  # a write that happened, reported as not
    assert result.flagged_without_key == 0, figures
    assert result.dishonest_flags == 0, figures
    default_attempts = RetryPolicy().max_retries + 1
    assert max(len(o.error.attempts) for o in outcomes if o.error) == default_attempts, figures
    assert set(proxy.injected) == {name for name, rate in FAULTS.rates() if rate}, figures
    return result


def check_finished(
    app: Starlette, before: set[str], outcomes: list[Outcome], result: Tally
) -> None:
    figures = str(result)
    assert result.finish_failures == [], figures
    assert result.finished_without_new_write == result.written_but_failed, figures
    assert result.finished_with_one_write == result.failed - result.written_but_failed, figures
    made = written(app.state.store, before)
    assert made == Counter(description(o.index) for o in outcomes), figures  # one each, at last


def test_300_writes_over_real_sockets(
    serve_sequence_mock: ServeMock, fault_proxy: MakeFaultProxy
) -> None:
    app = create_app()
    before = set(app.state.store.transfers)
    with serve_sequence_mock(app) as mock_url:
        proxy = fault_proxy(mock_url, FAULTS, seed=SEED)
        outcomes = run(f"{proxy.url}/api/v1", CALLS)
        result = check(app, before, outcomes, proxy)
        finish(app, f"{mock_url}/api/v1", outcomes, result)
    check_finished(app, before, outcomes, result)


@pytest.mark.anyio
async def test_300_async_writes_over_real_sockets(serve_sequence_mock: ServeMock) -> None:
    app = create_app()
    before = set(app.state.store.transfers)
    with serve_sequence_mock(app) as mock_url:
        async with FaultProxy(mock_url, FAULTS, seed=SEED) as proxy:
            outcomes = await arun(f"{proxy.url}/api/v1", CALLS)
        result = check(app, before, outcomes, proxy)
        finish(app, f"{mock_url}/api/v1", outcomes, result)
    check_finished(app, before, outcomes, result)
