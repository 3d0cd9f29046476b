"""``connect(validate=...)``: each answer checked against openapi.yaml, per mode; statuses
Python does not know never reach the generated code's bare ``ValueError``, in any mode."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable

import httpx
import pytest
from sequence_api_client.api.accounts import get_account

from sequence_contract import (
    ContractError,
    ContractWarning,
    InternalServerError,
    NotFoundError,
    SequenceClient,
    Violation,
    acall,
    call,
    connect,
    connect_async,
)
from sequence_contract._validate import DEFAULT_MODE, Mode
from tests.fixtures.client import ACCOUNT, BASE_URL, SECRET, envelope, error_response, json_response

ACCOUNT_ID = str(ACCOUNT["id"])
RID = {"X-Request-ID": "req_01HTEST0000"}


def answering(response: httpx.Response) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: response


def connected(reply: httpx.Response, mode: Mode) -> SequenceClient:
    return connect(SECRET, base_url=BASE_URL, transport=httpx.MockTransport(answering(reply)),
                   max_retries=0, validate=mode)  # fmt: skip


def renamed() -> httpx.Response:
    data = {**ACCOUNT, "canBeSource": True}
    del data["can_be_source"]
    return json_response(200, envelope(data), RID)


def test_the_default_is_off_as_the_benchmark_decided() -> None:
    assert DEFAULT_MODE == "off"
    client = connect(SECRET, base_url=BASE_URL, transport=httpx.MockTransport(answering(renamed())))
    with pytest.raises(ContractError, match="lacks required field 'can_be_source'"):
        call(get_account.sync_detailed, ACCOUNT_ID, client=client)
    assert list(client.violations) == []  # off: nothing checked, nothing kept


def test_warn_warns_logs_collects_and_calls_hooks(caplog: pytest.LogCaptureFixture) -> None:
    data: dict[str, object] = {**ACCOUNT, "nickname": "Rainy day"}  # undocumented: info only
    data["beneficiary_name"] = 5  # a filled field of the wrong type: a violation
    client = connect(
        SECRET, base_url=BASE_URL, validate="warn",
        transport=httpx.MockTransport(answering(json_response(200, envelope(data), RID))),
    )  # fmt: skip
    seen: list[Violation] = []
    client.violations.hook(seen.append)
    with (
        caplog.at_level(logging.INFO, "sequence_contract.validation"),
        pytest.warns(ContractWarning) as warned,
    ):
        account = call(get_account.sync_detailed, ACCOUNT_ID, client=client)
    assert account.id == ACCOUNT_ID  # warn never stops the call
    assert len(warned) == 1
    record = warned[0].message.violation  # type: ignore[union-attr]
    assert (record.kind, record.provenance, record.pointer) == (
        "type", "filled", "/data/beneficiary_name",
    )  # fmt: skip
    assert record.request_id == "req_01HTEST0000"
    assert [(r.severity, r.kind) for r in client.violations] == [
        ("violation", "type"), ("info", "undocumented-field"),
    ]  # fmt: skip
    assert seen == list(client.violations)
    levels = [(r.levelname, r.getMessage().split(": ")[1].split(" ")[0]) for r in caplog.records]
    assert levels == [("WARNING", "violation"), ("INFO", "info")]
    assert SECRET not in caplog.text
    client.violations.clear()
    assert len(client.violations) == 0


def test_strict_raises_with_the_records() -> None:
    client = connected(renamed(), "strict")
    with pytest.raises(ContractError) as raised:
        call(get_account.sync_detailed, ACCOUNT_ID, client=client)
    [record] = raised.value.violations
    assert (record.kind, record.provenance, record.pointer) == (
        "required",
        "doc",
        "/data/can_be_source",
    )
    assert raised.value.status_code == 200
    assert raised.value.operation == "getAccount"
    assert "can_be_source" in str(raised.value)


def test_strict_checks_the_error_envelope_too() -> None:
    broken = json_response(404, {"error": {"code": "account_not_found"}}, RID)
    with pytest.raises(ContractError) as raised:
        call(get_account.sync_detailed, ACCOUNT_ID, client=connected(broken, "strict"))
    assert [r.pointer for r in raised.value.violations] == ["/error/message"]
    good = error_response(404, "account_not_found", **RID)
    with pytest.raises(NotFoundError):
        call(get_account.sync_detailed, ACCOUNT_ID, client=connected(good, "strict"))


@pytest.mark.parametrize("mode", ["off", "warn", "strict"])
def test_a_status_python_does_not_know_is_never_a_bare_value_error(mode: Mode) -> None:
    odd = json_response(299, envelope(ACCOUNT), RID)
    with pytest.raises(ContractError) as raised:
        get_account.sync_detailed(ACCOUNT_ID, client=connected(odd, mode))
    [record] = raised.value.violations
    assert (record.kind, record.found, record.provenance) == ("undocumented-status", "299", "doc")
    for status in (520, 561):  # errors map by status, as before
        with pytest.raises(InternalServerError):
            get_account.sync_detailed(
                ACCOUNT_ID,
                client=connected(error_response(status, "x", **RID), mode),
            )


def test_the_async_client_checks_the_same_way() -> None:
    import asyncio

    async def run() -> None:
        client = connect_async(
            SECRET, base_url=BASE_URL, validate="strict",
            transport=httpx.MockTransport(answering(renamed())),
        )  # fmt: skip
        with pytest.raises(ContractError) as raised:
            await acall(get_account.asyncio_detailed, ACCOUNT_ID, client=client)
        assert [r.kind for r in raised.value.violations] == ["required"]
        await client.get_async_httpx_client().aclose()

    asyncio.run(run())


def test_a_conforming_answer_gives_no_record_and_no_warning() -> None:
    client = connected(json_response(200, envelope(ACCOUNT), RID), "warn")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert call(get_account.sync_detailed, ACCOUNT_ID, client=client).id == ACCOUNT_ID
    assert list(client.violations) == []


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="validate must be one of off, warn, strict"):
        connect(SECRET, base_url=BASE_URL, validate="loud")  # type: ignore[arg-type]
