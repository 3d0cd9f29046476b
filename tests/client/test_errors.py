"""Every error response becomes one typed exception, chosen by status; broken successes become
ContractError naming the operation and the problem, never a bare KeyError."""

from __future__ import annotations

import inspect

import httpx
import pytest
from sequence_api_client import AuthenticatedClient
from sequence_api_client.api.accounts import get_account, list_accounts
from sequence_api_client.api.transfers import create_transfer, list_transfers
from sequence_api_client.models import CreateTransferInput

import sequence_contract
from sequence_contract import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ContractError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    SequenceError,
    UnprocessableEntityError,
    call,
)
from sequence_contract import _errors as errors_module
from sequence_contract._errors import make_status_error, retry_after_seconds
from tests.fixtures.client import (
    ACCOUNT,
    BASE_URL,
    MakeConnected,
    MakeScript,
    envelope,
    error_response,
    json_response,
)

BY_STATUS = [
    (400, BadRequestError),
    (401, AuthenticationError),
    (403, PermissionDeniedError),
    (404, NotFoundError),
    (409, ConflictError),
    (422, UnprocessableEntityError),
    (429, RateLimitError),
    (500, InternalServerError),
    (502, InternalServerError),
    (503, InternalServerError),
    (504, InternalServerError),
    (599, InternalServerError),
    (405, APIStatusError),
    (418, APIStatusError),
]


@pytest.mark.parametrize(("status", "cls"), BY_STATUS)
def test_the_status_alone_picks_the_class(status: int, cls: type[APIStatusError]) -> None:
    body = b'{"error": {"code": "a_code_nobody_documented", "message": "Nope."}}'
    error = make_status_error(status, {"X-Request-ID": "req_42"}, body, "getAccount")
    assert type(error) is cls
    assert (error.status_code, error.code, error.message) == (
        status,
        "a_code_nobody_documented",
        "Nope.",
    )
    assert error.request_id == "req_42"
    assert error.body == {"error": {"code": "a_code_nobody_documented", "message": "Nope."}}
    assert error.operation == "getAccount"
    assert str(error) == (
        f"getAccount: HTTP {status} a_code_nobody_documented: Nope. (request_id=req_42)"
    )


def test_a_body_without_the_envelope_still_maps_by_status() -> None:
    error = make_status_error(404, {}, b"404 page not found\n", "updateRule")
    assert isinstance(error, NotFoundError)
    assert error.code is None
    assert error.message == "404 page not found"
    assert error.body == "404 page not found\n"
    assert error.request_id is None


def test_an_envelope_with_wrong_types_keeps_what_it_can() -> None:
    error = make_status_error(400, {}, b'{"error": {"code": 7}}', None)
    assert isinstance(error, BadRequestError)
    assert error.code is None
    assert error.message == "error response without the documented envelope"
    assert error.operation == "<unknown operation>"


def test_rate_limit_error_carries_retry_after() -> None:
    error = make_status_error(429, {"Retry-After": "7"}, b"", "listTransfers")
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 7.0
    assert error.body is None


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert retry_after_seconds({"Retry-After": "3"}) == 3.0
    assert retry_after_seconds({"Retry-After": "-3"}) == 0.0
    assert retry_after_seconds({}) is None
    assert retry_after_seconds({"Retry-After": "soon"}) is None
    date = "Wed, 21 Oct 2015 07:28:00 GMT"
    assert retry_after_seconds({"Retry-After": date}, now=1445412470.0) == 10.0


def test_the_tree_in_the_docstring_names_every_exception() -> None:
    classes = [
        cls
        for cls in vars(errors_module).values()
        if inspect.isclass(cls) and issubclass(cls, Exception)
    ]
    assert len(classes) == 13
    doc = errors_module.__doc__ or ""
    for cls in classes:
        assert cls.__name__ in doc
        assert issubclass(cls, SequenceError)
        assert getattr(sequence_contract, cls.__name__) is cls
    assert issubclass(APITimeoutError, APIConnectionError)


def test_generated_calls_raise_typed_errors_with_the_operation_from_the_spec(
    make_connected: MakeConnected, make_script: MakeScript
) -> None:
    server = make_script(error_response(404, "account_not_found", **{"X-Request-ID": "req_7"}))
    client = make_connected(server)
    with pytest.raises(NotFoundError) as caught:
        get_account.sync_detailed("acc_01HNOPE0000", client=client)  # even *_detailed raises
    assert caught.value.operation == "getAccount"
    assert caught.value.code == "account_not_found"
    assert caught.value.request_id == "req_7"
    with pytest.raises(NotFoundError):
        get_account.sync("acc_01HNOPE0000", client=client)


def test_a_plain_text_error_never_reaches_the_generated_parser(
    make_connected: MakeConnected, make_script: MakeScript
) -> None:
    server = make_script(httpx.Response(404, text="404 page not found"))
    with pytest.raises(NotFoundError) as caught:
        call(get_account.sync_detailed, "acc_01HGHI7890", client=make_connected(server))
    assert caught.value.message == "404 page not found"


def test_an_unlisted_path_is_named_by_method_and_path(
    make_connected: MakeConnected, make_script: MakeScript
) -> None:
    client = make_connected(make_script(error_response(500, "internal_server_error")))
    with pytest.raises(InternalServerError) as caught:
        client.get_httpx_client().get("/nowhere")
    assert caught.value.operation == "GET /api/v1/nowhere"


def test_connection_failures_and_timeouts_have_their_own_classes(
    make_connected: MakeConnected, make_script: MakeScript
) -> None:
    refused = make_connected(make_script(httpx.ConnectError("refused")), max_retries=0)
    with pytest.raises(APIConnectionError) as caught:
        call(list_accounts.sync_detailed, client=refused)
    assert not isinstance(caught.value, APITimeoutError)
    assert caught.value.method == "GET"
    assert caught.value.url == f"{BASE_URL}/accounts"
    assert isinstance(caught.value.__cause__, httpx.ConnectError)

    slow = make_connected(make_script(httpx.ReadTimeout("slow")), max_retries=0)
    with pytest.raises(APITimeoutError, match="timed out"):
        call(list_accounts.sync_detailed, client=slow)


def test_a_missing_required_field_is_a_contract_error_naming_operation_and_field(
    make_connected: MakeConnected, make_script: MakeScript
) -> None:
    client = make_connected(make_script(json_response(200, {"request_id": "req_1"})))
    with pytest.raises(ContractError) as caught:
        call(get_account.sync_detailed, "acc_01HGHI7890", client=client)
    assert not isinstance(caught.value, KeyError)
    assert isinstance(caught.value.__cause__, KeyError)
    assert caught.value.operation == "getAccount"
    assert caught.value.problem == "AccountResponse lacks required field 'data'"
    assert caught.value.status_code == 200


def test_a_nested_missing_field_names_the_inner_model(
    make_connected: MakeConnected, make_script: MakeScript
) -> None:
    account = {key: value for key, value in ACCOUNT.items() if key != "id"}
    client = make_connected(make_script(json_response(200, envelope(account))))
    with pytest.raises(ContractError, match=r"getAccount: .*Account lacks required field 'id'"):
        call(get_account.sync_detailed, "acc_01HGHI7890", client=client)


def test_a_body_that_is_not_json_is_a_contract_error(
    make_connected: MakeConnected, make_script: MakeScript
) -> None:
    client = make_connected(make_script(httpx.Response(200, text="<html>maintenance</html>")))
    with pytest.raises(ContractError, match=r"listAccounts: .*body is not JSON") as caught:
        call(list_accounts.sync_detailed, client=client)
    assert "maintenance" in caught.value.problem


def test_an_undocumented_status_is_a_contract_error(
    make_connected: MakeConnected, make_script: MakeScript
) -> None:
    transfer_body = CreateTransferInput("acc_01HGHI7890", "acc_01HABC4567", 100)
    client = make_connected(
        make_script(json_response(200, envelope({})))
    )  # createTransfer says 201
    with pytest.raises(ContractError, match="undocumented status 200") as caught:
        call(create_transfer.sync_detailed, client=client, body=transfer_body)
    assert caught.value.operation == "createTransfer"


def test_a_redirect_is_an_undocumented_status(
    make_connected: MakeConnected, make_script: MakeScript
) -> None:
    client = make_connected(make_script(httpx.Response(302, headers={"Location": "/elsewhere"})))
    with pytest.raises(ContractError, match="undocumented status 302"):
        call(list_transfers.sync_detailed, client=client, account_id="acc_01HGHI7890")


def test_call_maps_errors_for_a_plain_generated_client_too() -> None:
    """Without connect()'s transport the generated parser meets the error body first; call()
    still maps it by status, from the response the parser was reading."""

    def server(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, text="not here", headers={"X-Request-ID": "req_9"})

    client = AuthenticatedClient(
        base_url=BASE_URL,
        token="t",  # noqa: S106 - a fake
        prefix="ApiKey",
        httpx_args={"transport": httpx.MockTransport(server)},
    )
    with client, pytest.raises(NotFoundError) as caught:
        call(get_account.sync_detailed, "acc_01HGHI7890", client=client)
    assert caught.value.operation == "getAccount"
    assert caught.value.request_id == "req_9"


def test_call_lets_a_wrong_argument_through_untouched(
    make_connected: MakeConnected, make_script: MakeScript
) -> None:
    client = make_connected(make_script(json_response(200, envelope(ACCOUNT))))
    with pytest.raises(TypeError, match="unexpected keyword"):
        call(get_account.sync_detailed, "acc_01HGHI7890", client=client, colour="red")  # type: ignore[call-arg]
