"""The checks stage against the mock, unchanged and behind each drift it exists to catch.

A slice of the drift bench (scripts/drifts) run in-process: the unchanged mock passes every
check (a false failure there is a defect), and each drift fails the check meant for it, with
the provenance of the documented fact it breaks.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest

from sequence_contract.contract._semantic import Call, Finding
from sequence_contract.contract._stage import Stage, run_stage, with_examples
from sequence_contract.mock import create_app
from sequence_contract.spec import Spec, lookup
from tests.fixtures.server_drifts import DRIFTS, FULL_KEY, NARROW_KEY, DriftingServer

WRITES = frozenset({"createTransfer", "triggerRule"})


def stage_against(spec: Spec, drift: str, *, narrow: bool = True) -> Stage:
    server = DriftingServer(create_app(), DRIFTS[drift])
    reads = [op for op in spec.operations if not op.is_write and op.availability == "available"]

    async def go() -> Stage:
        transport = httpx.ASGITransport(server)
        async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:

            async def send(method: str, path: str, call: Call) -> httpx.Response:
                headers = {"Authorization": f"ApiKey {call.key or FULL_KEY}", **call.headers}
                return await client.request(
                    method, f"/api/v1{path}", params=call.query, json=call.body, headers=headers
                )

            return await run_stage(
                spec,
                send,
                narrow_key=NARROW_KEY if narrow else None,
                writes=WRITES,
                reads=reads,
                echo=lambda line: None,
            )

    return asyncio.run(go())


def failed(stage: Stage) -> list[Finding]:
    return [finding for finding in stage.findings if not finding.passed]


def test_the_unchanged_mock_passes_every_check_and_each_write_succeeds(spec: Spec) -> None:
    stage = stage_against(spec, "control")
    assert failed(stage) == []
    checks = {finding.check for finding in stage.findings}
    assert {"idempotency", "paging", "unknown-id", "permissions"} <= checks
    assert stage.succeeded == WRITES
    assert stage.requests <= 80


@pytest.mark.parametrize(
    ("drift", "check", "operation", "provenance"),
    [
        ("created-as-200", "writes", "createTransfer", "doc"),
        ("paging-never-ends", "paging", "listTransfers", "doc"),
        ("cursor-ignored", "paging", "listRuleExecutions", "doc"),
        ("idempotency-ignored", "idempotency", "createTransfer", "doc"),
        ("first-refused", "documented-values", "listTransfers", "doc"),
        ("enum-value-refused", "documented-values", "listTransfers", "doc"),
        ("not-found-envelope", "unknown-id", "getAccount", "doc"),
        # The 404 status is filled (components/responses/NotFound); the 200's body is judged
        # against the documented schema by the response checks.
        ("unknown-id-200", "unknown-id", "getRule", "filled"),
        ("permission-not-enforced", "permissions", "*", "doc"),
    ],
)
def test_each_drift_fails_its_check_with_the_provenance_of_the_fact(
    spec: Spec, drift: str, check: str, operation: str, provenance: str
) -> None:
    found = [f for f in failed(stage_against(spec, drift)) if f.check == check]
    assert any(f.operation == operation for f in found), found
    assert {f.provenance for f in found} == {provenance}, found


def test_without_a_narrow_key_there_is_no_permission_check(spec: Spec) -> None:
    stage = stage_against(spec, "permission-not-enforced", narrow=False)
    assert not [f for f in stage.findings if f.check == "permissions"]


def test_the_writes_examples_are_the_ones_that_succeeded(spec: Spec) -> None:
    stage = stage_against(spec, "control", narrow=False)
    document = with_examples(spec, stage.examples)
    op = spec.by_id["createTransfer"]
    media = lookup(document, f"{op.pointer}/requestBody/content/application~1json")
    assert media["examples"] == {"discovered": {"value": stage.examples["createTransfer"]}}
    source = stage.examples["createTransfer"]["source_account_id"]
    assert source != stage.examples["createTransfer"]["destination_account_id"]
    trigger = lookup(document, spec.by_id["triggerRule"].pointer)["parameters"]
    assert {"example": stage.examples["triggerRule"]["id"]}.items() <= trigger[0].items()
    assert spec.document is not document  # the spec itself is left alone
