"""call()/acall()/unwrap(): the envelope's data or an exception, typed by the operation."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest
from sequence_api_client import AuthenticatedClient
from sequence_api_client.api.accounts import get_account, list_accounts
from sequence_api_client.api.rules import delete_rule
from sequence_api_client.models import Account, AccountResponse

from sequence_contract import ContractError, NotFoundError, _unwrap, acall, call, unwrap
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


def _no_traceback_walk(exc: BaseException) -> None:
    raise AssertionError("a connected client's response comes from its transport's record")


@pytest.mark.anyio
async def test_a_connected_client_quotes_the_response_its_transport_recorded(
    make_connected: MakeConnected, make_script: MakeScript, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_unwrap, "_response_from_frames", _no_traceback_walk)
    broken = {"request_id": "req_1", "data": {"id": "acc_1"}}  # Account lacks its other fields
    client = make_connected(make_script(json_response(200, broken)))
    with pytest.raises(ContractError, match="Account lacks required field") as caught:
        call(get_account.sync_detailed, "acc_01HGHI7890", client=client)
    assert caught.value.status_code == 200
    server = make_script(httpx.Response(200, text="<html>maintenance</html>"))
    async with make_connected(server, asynchronous=True) as client:
        with pytest.raises(ContractError, match="maintenance"):
            await acall(get_account.asyncio_detailed, "acc_01HGHI7890", client=client)


def test_each_call_sees_only_its_own_recorded_response(
    make_connected: MakeConnected, make_script: MakeScript, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_unwrap, "_response_from_frames", _no_traceback_walk)
    server = make_script(
        json_response(200, envelope(ACCOUNT)), httpx.Response(200, text="second is broken")
    )
    with make_connected(server) as client:
        call(get_account.sync_detailed, "acc_01HGHI7890", client=client)
        with pytest.raises(ContractError, match="second is broken"):
            call(get_account.sync_detailed, "acc_01HGHI7890", client=client)
    assert _unwrap._RECORDED.get() is None  # nothing recorded outside a call


def test_a_plain_generated_client_falls_back_to_the_traceback() -> None:
    """No transport of ours records anything: the response is found where the generated parser
    was reading it."""
    walked: list[BaseException] = []
    walk = _unwrap._response_from_frames

    def spy(exc: BaseException) -> httpx.Response | None:
        walked.append(exc)
        return walk(exc)

    def server(request: httpx.Request) -> httpx.Response:
        return json_response(200, {"data": ACCOUNT})

    client = AuthenticatedClient(
        base_url="http://sequence.test/api/v1",
        token="plain-client-key",  # noqa: S106 - a fake
        prefix="ApiKey",
        httpx_args={"transport": httpx.MockTransport(server)},
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_unwrap, "_response_from_frames", spy)
        with client, pytest.raises(ContractError) as caught:
            call(get_account.sync_detailed, "acc_01HGHI7890", client=client)
    assert caught.value.problem == "AccountResponse lacks required field 'request_id'"
    assert len(walked) == 1
