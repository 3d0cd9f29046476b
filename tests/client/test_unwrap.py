"""call()/acall()/unwrap(): the envelope's data or an exception, typed by the operation."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest
from sequence_api_client.api.accounts import get_account, list_accounts
from sequence_api_client.api.rules import delete_rule
from sequence_api_client.models import Account, AccountResponse

from sequence_contract import ContractError, NotFoundError, acall, call, unwrap
from sequence_contract._unwrap import operation_name
from tests.fixtures.client import (
    ACCOUNT,
    SECRET,
    MakeConnected,
    MakeScript,
    envelope,
    error_response,
    json_response,
)


@dataclass(frozen=True)
class Held:
    """A response in hand, as the generated ``Response`` carries it."""

    status_code: int
    content: bytes
    headers: dict[str, str]
    parsed: AccountResponse | None = None


def test_call_returns_the_data_model(
    make_connected: MakeConnected, make_script: MakeScript
) -> None:
    client = make_connected(make_script(json_response(200, envelope(ACCOUNT))))
    account: Account = call(get_account.sync_detailed, "acc_01HGHI7890", client=client)
    assert isinstance(account, Account)
    assert account.institution_name == "Chase"


def test_call_returns_lists_as_lists(
    make_connected: MakeConnected, make_script: MakeScript
) -> None:
    client = make_connected(make_script(json_response(200, envelope([ACCOUNT, ACCOUNT]))))
    accounts = call(list_accounts.sync_detailed, client=client)
    assert [account.id for account in accounts] == ["acc_01HGHI7890"] * 2


def test_a_documented_204_unwraps_to_none(
    make_connected: MakeConnected, make_script: MakeScript
) -> None:
    client = make_connected(make_script(httpx.Response(204)))
    assert call(delete_rule.sync_detailed, "rule_01HXYZ1234", client=client) is None


def test_unwrap_takes_a_response_in_hand(
    make_connected: MakeConnected, make_script: MakeScript
) -> None:
    client = make_connected(make_script(json_response(200, envelope(ACCOUNT))))
    response = get_account.sync_detailed("acc_01HGHI7890", client=client)
    assert unwrap(response, operation="getAccount").id == "acc_01HGHI7890"
    assert unwrap(response).id == "acc_01HGHI7890"  # without a name: no status check


def test_unwrap_maps_an_error_response(make_connected: MakeConnected) -> None:
    held = Held(  # a Response held from a client that does not raise
        404,
        b'{"error": {"code": "account_not_found", "message": "No."}}',
        {"X-Request-ID": "req_5"},
    )
    with pytest.raises(NotFoundError) as caught:
        unwrap(held, operation="getAccount")
    assert (caught.value.code, caught.value.request_id) == ("account_not_found", "req_5")


def test_unwrap_refuses_a_success_without_a_parsed_body() -> None:
    with pytest.raises(ContractError, match="status 200 without a parsed body"):
        unwrap(Held(200, b"", {}))


def test_operation_names_come_from_the_generated_module() -> None:
    assert operation_name(get_account.sync_detailed) == "getAccount"
    assert operation_name(get_account.asyncio_detailed) == "getAccount"
    assert operation_name(delete_rule.sync_detailed) == "deleteRule"
    assert operation_name(len) == "builtins"


@pytest.mark.anyio
async def test_acall(make_connected: MakeConnected, make_script: MakeScript) -> None:
    server = make_script(
        json_response(200, envelope(ACCOUNT)), error_response(404, "account_not_found")
    )
    async with make_connected(server, asynchronous=True) as client:
        account = await acall(get_account.asyncio_detailed, "acc_01HGHI7890", client=client)
        assert account.id == "acc_01HGHI7890"
        with pytest.raises(NotFoundError):
            await acall(get_account.asyncio_detailed, "acc_01HGHI7890", client=client)


@pytest.mark.anyio
async def test_acall_turns_parse_failures_into_contract_errors(
    make_connected: MakeConnected, make_script: MakeScript
) -> None:
    server = make_script(json_response(200, {"data": ACCOUNT}))
    async with make_connected(server, asynchronous=True) as client:
        with pytest.raises(ContractError, match="lacks required field 'request_id'"):
            await acall(get_account.asyncio_detailed, "acc_01HGHI7890", client=client)


def test_a_body_echoing_the_key_is_redacted_in_contract_errors(
    make_connected: MakeConnected,
) -> None:
    def server(request: httpx.Request) -> httpx.Response:
        echoed = f"<html>Bad gateway, for {request.headers['Authorization']}</html>"
        return httpx.Response(200, text=echoed, headers={"Content-Type": "text/html"})

    with make_connected(server) as client, pytest.raises(ContractError, match="not JSON") as caught:
        call(get_account.sync_detailed, "acc_01HGHI7890", client=client)
    assert SECRET[:20] not in str(caught.value)  # not even the part a cut-short snippet keeps
    assert "[redacted]" in caught.value.problem
