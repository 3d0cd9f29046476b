"""No marker passes through a ``$ref``: one broken documented field is ``doc`` wherever it sits.

``Transfer.amount_in_cents`` (documented) is broken in a single answer (getTransfer), inside a
list page (listTransfers, whose ``TransferListResponse`` is ``choice``) and under a filled
response (createTransfer's 201); a 404 body without the documented ``Error`` envelope sits
under ``NotFound`` (``filled``). Each is ``doc`` through every path that judges answers: the
response checker (the client's checks), the client, the validating proxy, ``validate`` on a
recording, the smoke run and the contract summary.
"""

from __future__ import annotations

import asyncio
import io
import json
import warnings
from pathlib import Path

import httpx
import pytest

from sequence_contract import connect
from sequence_contract.conformance import conformance
from sequence_contract.conformance._exchange import Exchange, check
from sequence_contract.contract._report import Failure
from sequence_contract.contract._smoke import smoke
from sequence_contract.contract._summary import provenance_of
from sequence_contract.mock import create_app, serve
from sequence_contract.spec import model
from sequence_contract.testing import SyncASGITransport
from sequence_contract.traffic import validate as validate_command
from sequence_contract.traffic.proxy import PROVENANCE_HEADER, ValidatingProxy
from tests.fixtures.drift import har
from tests.fixtures.server_drifts import Answer, Drift, DriftingServer, Request

KEY = "demo-all"
BASE = "http://mock.test/api/v1"
TRANSFER = {
    "source_account_id": "acc_01HGHI7890",
    "destination_account_id": "acc_01HABC4567",
    "amount_in_cents": 100,
}
#: (operationId, method, path, body): the same broken field in three places, and a 404
CALLS = [
    ("getTransfer", "GET", "/transfers/txr_01HABC1111", None),
    ("listTransfers", "GET", "/transfers?account_id=acc_01HGHI7890", None),
    ("createTransfer", "POST", "/transfers", TRANSFER),
    ("getAccount", "GET", "/accounts/acc_0NOT0THERE0", None),
]
POINTERS = {
    "getTransfer": "/data/amount_in_cents",
    "listTransfers": "/data/0/amount_in_cents",
    "createTransfer": "/data/amount_in_cents",
    "getAccount": "/error",
}


def _break(request: Request, answer: Answer) -> None:
    body = answer.body
    if answer.status == 404:
        answer.body = {"message": "Not Found"}
    elif isinstance(body, dict) and request.operation_id in POINTERS:
        data = body["data"][0] if isinstance(body["data"], list) else body["data"]
        data["amount_in_cents"] = str(data["amount_in_cents"])


BROKEN = Drift("broken-amount", "amount_in_cents as a string; 404 without the envelope",
               on_answer=_break)  # fmt: skip


def server() -> DriftingServer:
    return DriftingServer(create_app(delay=0.2), BROKEN)


def requests(client: httpx.Client) -> list[httpx.Response]:
    answers = []
    for _, method, path, body in CALLS:
        headers = {"Idempotency-Key": "provenance-refs-1"} if body else {}
        try:
            answers.append(client.request(method, path.lstrip("/"), json=body, headers=headers))
        except Exception:  # noqa: S112 - the client's layer raises on a 404: recorded
            continue
    return answers


@pytest.fixture(scope="module")
def answers() -> list[httpx.Response]:
    transport = SyncASGITransport(server())
    with httpx.Client(transport=transport, base_url=BASE + "/", headers=_auth()) as client:
        return requests(client)


def _auth() -> dict[str, str]:
    return {"Authorization": f"ApiKey {KEY}"}


def test_the_checker_calls_each_break_doc(answers: list[httpx.Response]) -> None:
    checker = conformance()
    for (operation, method, _, _), answer in zip(CALLS, answers, strict=True):
        exchange = Exchange(method, str(answer.request.url), answer.status_code, {},
                            dict(answer.headers), answer.content)  # fmt: skip
        records = check(checker, exchange, base_path="/api/v1").violations
        found = [r for r in records if r.pointer == POINTERS[operation]]
        assert found, (operation, [r.line() for r in records])
        assert {r.provenance for r in found} == {"doc"}, [r.line() for r in found]


def test_the_client_calls_each_break_doc() -> None:
    transport = SyncASGITransport(server())
    client = connect(KEY, base_url=BASE, transport=transport, validate="warn")
    with client, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        requests(client.get_httpx_client())
    by_pointer = {record.pointer: record.provenance for record in client.violations}
    assert {by_pointer.get(pointer) for pointer in POINTERS.values()} == {"doc"}, by_pointer


def test_the_proxy_and_validate_call_each_break_doc(
    tmp_path: Path, answers: list[httpx.Response]
) -> None:
    log = io.StringIO()
    upstream = httpx.ASGITransport(server())
    proxy = ValidatingProxy(BASE, log, allowed_writes=["createTransfer"], transport=upstream)

    async def through_proxy() -> list[httpx.Response]:
        transport = httpx.ASGITransport(proxy)
        async with httpx.AsyncClient(transport=transport, base_url="http://proxy") as client:
            return [
                await client.request(method, path, json=body, headers={
                    **_auth(), **({"Idempotency-Key": "refs-proxy"} if body else {})})
                for _, method, path, body in CALLS
            ]  # fmt: skip

    proxied = asyncio.run(through_proxy())
    assert [answer.headers[PROVENANCE_HEADER] for answer in proxied] == ["doc=1"] * len(CALLS)
    recorded = tmp_path / "proxy.ndjson"
    recorded.write_text(log.getvalue(), encoding="utf-8")
    recording = har(answers, tmp_path / "t.har")  # straight from the server, as devtools save
    for source in (recorded, recording):
        records = validate_command.validate([source], base_path="/api/v1").records()
        by_pointer = {r.pointer: r.provenance for r in records if r.severity == "violation"}
        assert {by_pointer.get(pointer) for pointer in POINTERS.values()} == {"doc"}, source
        assert json.loads(log.getvalue().splitlines()[0])  # the log is NDJSON


def test_the_smoke_run_fails_on_the_list_page_and_the_404() -> None:
    with serve(server()) as root:
        result = smoke(f"{root}/api/v1", KEY, echo=lambda line: None)
    records = [r for r in result.tally.records() if r.severity == "violation"]
    assert {(r.operation, r.provenance) for r in records if r.pointer in POINTERS.values()} >= {
        ("listTransfers", "doc"),
        ("getAccount", "doc"),
    }
    envelope = [f for f in result.findings if f.check == "unknown-id" and not f.passed]
    assert envelope
    assert {f.provenance for f in envelope} == {"doc"}
    assert result.exit_code() == 1


def test_the_contract_summary_calls_each_break_doc(answers: list[httpx.Response]) -> None:
    spec = model()
    for (operation, _, _, _), answer in zip(CALLS, answers, strict=True):
        check_name = "response_schema_conformance"
        failure = Failure(spec.by_id[operation].label, check_name, "t", "m", "fuzzing", "c",
                          answer.status_code, dict(answer.headers), answer.json(), {})  # fmt: skip
        assert provenance_of(spec, failure).startswith("doc ("), operation
