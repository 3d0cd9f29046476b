"""Fault injection between the client and the mock: lost answers, gateway errors and rate limits
do not lose or duplicate a single transfer, because every retry of a write carries the same
Idempotency-Key and the mock replays the first outcome."""

from __future__ import annotations

import time

import httpx
import pytest
from sequence_api_client.api.accounts import get_account
from sequence_api_client.api.transfers import create_transfer
from sequence_api_client.models import CreateTransferInput
from starlette.applications import Starlette

from sequence_contract import APIConnectionError, RetryPolicy, acall, call, connect, connect_async
from sequence_contract.testing import (
    FaultInjectingTransport,
    Faults,
    SyncASGITransport,
)
from tests.fixtures.client import DEMO_KEY, MOCK_URL, MakeScript, envelope, json_response

SOURCE, DESTINATION = "acc_01HGHI7890", "acc_01HABC4567"  # a pair demo-all may move money on
FAULTS = Faults(drop_after=0.15, unavailable=0.05, unavailable_after=0.05, rate_limited=0.05)
CALLS = 500


def body(index: int) -> CreateTransferInput:
    return CreateTransferInput(SOURCE, DESTINATION, 100 + index, description=f"n{index}")


def test_faults_are_reproducible_from_the_seed(make_script: MakeScript) -> None:
    def run(seed: int) -> list[str]:
        server = make_script(json_response(200, envelope([])))
        transport = FaultInjectingTransport(httpx.MockTransport(server), FAULTS, seed=seed)
        outcomes = []
        with httpx.Client(transport=transport) as http:
            for _ in range(200):
                try:
                    outcomes.append(str(http.get("http://mock.test/x").status_code))
                except httpx.TransportError as exc:
                    outcomes.append(type(exc).__name__)
        return outcomes

    assert run(7) == run(7)
    assert run(7) != run(8)
    assert {"200", "429", "502", "503", "ReadError", "RemoteProtocolError"} <= set(run(7))


def test_each_fault_does_what_it_says(make_script: MakeScript) -> None:
    def one(faults: Faults) -> tuple[FaultInjectingTransport, int, httpx.Response | Exception]:
        server = make_script(json_response(201, envelope({})))
        transport = FaultInjectingTransport(httpx.MockTransport(server), faults)
        with httpx.Client(transport=transport) as http:
            try:
                outcome: httpx.Response | Exception = http.post("http://mock.test/x")
            except httpx.TransportError as exc:
                outcome = exc
        return transport, len(server.requests), outcome

    transport, reached, outcome = one(Faults(drop_after=1.0))
    assert reached == 1  # the server acted ...
    assert isinstance(outcome, httpx.ReadError | httpx.RemoteProtocolError)  # ... answer lost
    assert transport.injected == {"drop_after": 1}
    assert transport.forwarded == 1

    transport, reached, outcome = one(Faults(unavailable=1.0))
    assert reached == 0
    assert isinstance(outcome, httpx.Response)
    assert outcome.status_code in (502, 503)  # drawn from the seed, both are gateway errors
    assert transport.injected == {"unavailable": 1}

    transport, reached, outcome = one(Faults(unavailable_after=1.0))
    assert reached == 1
    assert isinstance(outcome, httpx.Response)
    assert outcome.status_code in (502, 503)
    assert transport.injected == {"unavailable_after": 1}

    transport, reached, outcome = one(Faults(rate_limited=1.0, retry_after=4))
    assert reached == 0
    assert isinstance(outcome, httpx.Response)
    assert outcome.status_code == 429
    assert outcome.headers["Retry-After"] == "4"

    transport, reached, outcome = one(Faults())
    assert reached == 1
    assert isinstance(outcome, httpx.Response)
    assert outcome.status_code == 201
    assert not transport.injected


def test_fault_rates_are_checked() -> None:
    with pytest.raises(ValueError, match="probabilities"):
        Faults(drop_after=0.6, unavailable=0.6)
    with pytest.raises(ValueError, match="probabilities"):
        Faults(rate_limited=-0.1)


def test_500_transfers_through_faults_none_lost_none_duplicated(embedded_mock: Starlette) -> None:
    store = embedded_mock.state.store
    before = set(store.transfers)
    faulty = FaultInjectingTransport(SyncASGITransport(embedded_mock), FAULTS, seed=20260126)
    returned: list[str] = []
    with connect(DEMO_KEY, base_url=MOCK_URL, max_retries=10, transport=faulty) as client:
        for index in range(CALLS):
            transfer = call(create_transfer.sync_detailed, client=client, body=body(index))
            assert transfer.amount_in_cents == 100 + index
            returned.append(transfer.id)

    created = {tid: t for tid, t in store.transfers.items() if tid not in before}
    assert len(created) == CALLS  # none lost, none duplicated
    assert len(set(returned)) == CALLS
    assert set(returned) == set(created)  # each call got the id the server recorded
    for index, transfer_id in enumerate(returned):
        assert created[transfer_id].amount_in_cents == 100 + index
    # the run really exercised replays: answers were lost after the mock had acted
    assert faulty.injected["drop_after"] > 50
    assert faulty.injected["unavailable_after"] > 10
    assert sum(faulty.injected.values()) > 100
    assert (
        faulty.forwarded
        == CALLS + faulty.injected["drop_after"] + faulty.injected["unavailable_after"]
    )


def test_without_idempotency_keys_the_same_faults_lose_answers(embedded_mock: Starlette) -> None:
    """The control experiment: writes without keys are not retried after a lost answer, so the
    caller sees errors for transfers the server nevertheless made."""
    store = embedded_mock.state.store
    before = len(store.transfers)
    faulty = FaultInjectingTransport(
        SyncASGITransport(embedded_mock), Faults(drop_after=0.2), seed=3
    )
    policy = RetryPolicy(max_retries=10, idempotency_keys=False)
    failures = 0
    with connect(DEMO_KEY, base_url=MOCK_URL, retry_policy=policy, transport=faulty) as client:
        for index in range(100):
            try:
                call(create_transfer.sync_detailed, client=client, body=body(index))
            except APIConnectionError:
                failures += 1
    assert failures == faulty.injected["drop_after"] > 0
    assert len(store.transfers) - before == 100  # made, though the caller was told it failed


@pytest.mark.anyio
async def test_200_async_transfers_through_faults(embedded_mock: Starlette) -> None:
    store = embedded_mock.state.store
    before = set(store.transfers)
    faulty = FaultInjectingTransport(httpx.ASGITransport(app=embedded_mock), FAULTS, seed=11)
    returned: list[str] = []
    async with connect_async(
        DEMO_KEY, base_url=MOCK_URL, max_retries=10, transport=faulty
    ) as client:
        for index in range(200):
            transfer = await acall(
                create_transfer.asyncio_detailed, client=client, body=body(index)
            )
            returned.append(transfer.id)
    created = set(store.transfers) - before
    assert len(created) == 200
    assert set(returned) == created
    assert faulty.injected["drop_after"] > 10


def test_sync_asgi_transport_serves_the_mock(embedded_mock: Starlette) -> None:
    transport = SyncASGITransport(embedded_mock)
    with connect(DEMO_KEY, base_url=MOCK_URL, transport=transport) as client:
        assert call(get_account.sync_detailed, SOURCE, client=client).id == SOURCE
    transport.close()  # closing twice is harmless


def test_a_cut_answer_and_a_slow_one_in_process(make_script: MakeScript) -> None:
    server = make_script(json_response(201, envelope({"id": "txr_1"})))
    cutting = FaultInjectingTransport(httpx.MockTransport(server), Faults(cut_answer=1.0))
    with httpx.Client(transport=cutting) as http, pytest.raises(httpx.ReadError, match="reset"):
        http.post("http://mock.test/x")
    assert len(server.requests) == 1  # the server acted; half its answer came
    assert cutting.injected == {"cut_answer": 1}

    slow = FaultInjectingTransport(
        httpx.MockTransport(server), Faults(slow=1.0, slow_delay=0.05), seed=1
    )
    hurried = httpx.Client(transport=slow, timeout=httpx.Timeout(1.0, read=0.01))
    with hurried, pytest.raises(httpx.ReadTimeout):
        hurried.post("http://mock.test/x")
    with httpx.Client(transport=slow) as patient:
        started = time.monotonic()
        assert patient.post("http://mock.test/x").json()["data"] == {"id": "txr_1"}
        assert time.monotonic() - started >= 0.05
    assert len(server.requests) == 3
    assert slow.injected == {"slow": 2}


@pytest.mark.anyio
async def test_a_slow_answer_times_out_an_async_client_too(make_script: MakeScript) -> None:
    server = make_script(json_response(201, envelope({})))
    slow = FaultInjectingTransport(httpx.MockTransport(server), Faults(slow=1.0, slow_delay=0.05))
    async with httpx.AsyncClient(transport=slow, timeout=httpx.Timeout(1, read=0.01)) as http:
        with pytest.raises(httpx.ReadTimeout):
            await http.post("http://mock.test/x")
    assert slow.forwarded == 1


def test_delays_are_checked() -> None:
    with pytest.raises(ValueError, match="slow_delay"):
        Faults(slow_delay=-1)
    with pytest.raises(ValueError, match="probabilities"):
        Faults(cut_answer=0.5, slow=0.6)
