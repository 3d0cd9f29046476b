"""The generated client puts the documented headers on the wire: ``Authorization: ApiKey <key>``
on every call, ``X-Request-ID`` when given, ``Idempotency-Key`` on the writes that take one.
All traffic goes to an in-process httpx.MockTransport."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sequence_api_client.api.accounts import list_accounts
from sequence_api_client.api.rules import trigger_rule
from sequence_api_client.api.transfers import create_transfer
from sequence_api_client.models import CreateTransferInput, TriggerRuleInput
from tests.fixtures.generated import API_KEY, MakeClient, Recorder
from tests.fixtures.spec import response_examples

MakeRecorder = Callable[..., Recorder]


def _example(operation_id: str, status: str) -> object:
    return next(
        e.value
        for e in response_examples()
        if (e.operation_id, e.status) == (operation_id, status)
    )


def test_sends_api_key_authorization_to_the_documented_url(
    make_client: MakeClient, make_recorder: MakeRecorder
) -> None:
    server = make_recorder(200, _example("listAccounts", "200"))
    response = list_accounts.sync_detailed(client=make_client(server))
    assert response.status_code == 200
    assert server.last.headers["Authorization"] == f"ApiKey {API_KEY}"
    assert str(server.last.url) == "https://api.getsequence.io/api/v1/accounts"
    assert "X-Request-ID" not in server.last.headers
    assert "Idempotency-Key" not in server.last.headers


def test_sends_the_callers_request_id(
    make_client: MakeClient, make_recorder: MakeRecorder
) -> None:
    server = make_recorder(200, _example("listAccounts", "200"))
    list_accounts.sync_detailed(client=make_client(server), x_request_id="req_client_side_1")
    assert server.last.headers["X-Request-ID"] == "req_client_side_1"


def test_trigger_rule_sends_idempotency_key_and_body(
    make_client: MakeClient, make_recorder: MakeRecorder
) -> None:
    server = make_recorder(202, _example("triggerRule", "202"))
    response = trigger_rule.sync_detailed(
        "rule_01HXYZ1234",
        client=make_client(server),
        body=TriggerRuleInput.from_dict({"manual_execute_amount": 2500}),
        x_request_id="req_client_side_2",
        idempotency_key="6f1c2f0e-3d7b-4c59-9a57-0c8f4b1e2d3a",
    )
    assert response.status_code == 202
    request = server.last
    assert (request.method, request.url.path) == ("POST", "/api/v1/rules/rule_01HXYZ1234/trigger")
    assert request.headers["Idempotency-Key"] == "6f1c2f0e-3d7b-4c59-9a57-0c8f4b1e2d3a"
    assert request.headers["X-Request-ID"] == "req_client_side_2"
    assert request.headers["Authorization"] == f"ApiKey {API_KEY}"
    assert request.read() == b'{"manual_execute_amount":2500}'


@pytest.mark.parametrize("key", ["k", "a" * 36, "2024-04-23:transfer/1|retry.2"])
def test_create_transfer_sends_idempotency_key_verbatim(
    key: str, make_client: MakeClient, make_recorder: MakeRecorder
) -> None:
    server = make_recorder(201, _example("createTransfer", "201"))
    body = CreateTransferInput(
        source_account_id="acc_01HGHI7890",
        destination_account_id="acc_01HABC4567",
        amount_in_cents=100000,
    )
    create_transfer.sync_detailed(client=make_client(server), body=body, idempotency_key=key)
    assert server.last.headers["Idempotency-Key"] == key
