"""The generated client against the running mock, over real loopback HTTP (uvicorn).

Every operation is called through its generated ``sync_detailed`` and must come back with the
documented status and the model the generator made for it: success, 400, 401, 403 and 404 for
each operation where the contract documents them, 409 for every idempotent write, 429 once (the
mock answers no 422: the rule writes' request schema says everything it checks). A spec change
that breaks the client's parsing, or a mock that stops answering as documented, fails here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, cast

import pytest
from sequence_api_client import AuthenticatedClient
from sequence_api_client.models import (
    AccountListResponse,
    AccountResponse,
    AccountSummary,
    Action,
    ActionAccountRef,
    CardListResponse,
    CardResponse,
    CardTransactionListResponse,
    Condition,
    ConditionAllInput,
    ConditionLeafInput,
    CreateTransferInput,
    ErrorEnvelope,
    RuleExecutionListResponse,
    RuleExecutionResponse,
    RuleExecutionSummary,
    RuleInput,
    RuleListResponse,
    RuleResponse,
    RuleSummary,
    StepInput,
    Transfer,
    TransferListResponse,
    TransferResponse,
    Trigger,
    TriggerRuleInput,
    TriggerRuleResponse,
    UnauthorizedError,
)
from sequence_api_client.types import Response
from starlette.types import ASGIApp

from sequence_contract.mock import create_app
from tests.fixtures.generated import CHECKING, POD, RULE, endpoint, rule_input
from tests.spec.test_operations import DOCUMENTED

ServeMock = Callable[[ASGIApp], AbstractContextManager[str]]
Kwargs = dict[str, Any]

def transfer_input(amount: int = 10_000) -> CreateTransferInput:
    return CreateTransferInput(
        source_account_id=CHECKING, destination_account_id=POD, amount_in_cents=amount
    )


#: operationId -> (arguments of a call that succeeds, success status, parsed type)
SUCCESS: dict[str, tuple[Kwargs, int, type]] = {
    "listAccounts": ({}, 200, AccountListResponse),
    "getAccount": ({"id": POD}, 200, AccountResponse),
    "listRules": ({}, 200, RuleListResponse),
    "getRule": ({"id": RULE}, 200, RuleResponse),
    "createRule": ({"body": rule_input()}, 201, RuleResponse),
    "updateRule": ({"id": RULE, "body": rule_input()}, 200, RuleResponse),
    "deleteRule": ({"id": RULE}, 204, type(None)),
    "triggerRule": (
        {"id": RULE, "body": TriggerRuleInput(manual_execute_amount=500)},
        202,
        TriggerRuleResponse,
    ),
    "listRuleExecutions": ({"rule_id": "rule_01HXYZ1234"}, 200, RuleExecutionListResponse),
    "getRuleExecution": ({"id": "rex_01HABC4567"}, 200, RuleExecutionResponse),
    "listTransfers": ({"account_id": POD}, 200, TransferListResponse),
    "createTransfer": ({"body": transfer_input()}, 201, TransferResponse),
    "getTransfer": ({"id": "txr_01HABC1111"}, 200, TransferResponse),
    "listCards": ({"account_id": POD}, 200, CardListResponse),
    "getCard": ({"id": "card_01HABC4567"}, 200, CardResponse),
    "listCardTransactions": ({"id": "card_01HABC4567"}, 200, CardTransactionListResponse),
}

#: operationId -> arguments the mock rejects with 400 (schema-invalid, sent through the client)
BAD_REQUEST: dict[str, Kwargs] = {
    "listAccounts": {"type_": "savings"},
    "getAccount": {"id": "account-1"},
    "listRules": {"source_id": "acc_"},
    "getRule": {"id": "rule-1"},
    "createRule": {"body": RuleInput(status="enabled", trigger=Trigger(type_="MANUAL"), steps=[])},
    "updateRule": {
        "id": "rule_1",
        "body": RuleInput(status=cast(Any, "paused"), trigger=Trigger(type_="MANUAL"), steps=[]),
    },
    "deleteRule": {"id": "rule-1"},
    "triggerRule": {"id": RULE, "body": TriggerRuleInput(manual_execute_amount=-1)},
    "listRuleExecutions": {"rule_id": "rule_01HXYZ1234", "first": 0},
    "getRuleExecution": {"id": "execution-1"},
    "listTransfers": {"account_id": POD, "first": 101},
    "createTransfer": {"body": transfer_input(amount=99)},
    "getTransfer": {"id": "transfer-1"},
    "listCards": {"account_id": "pod-1"},
    "getCard": {"id": "card-1"},
    "listCardTransactions": {"id": "card_01HABC4567", "first": 0},
}

#: operationId -> (arguments naming an object that does not exist, the 404's error code)
NOT_FOUND: dict[str, tuple[Kwargs, str]] = {
    "getAccount": ({"id": "acc_01NOSUCH"}, "account_not_found"),
    "getRule": ({"id": "rule_01NOSUCH"}, "rule_not_found"),
    "updateRule": ({"id": "rule_01NOSUCH", "body": rule_input()}, "rule_not_found"),
    "deleteRule": ({"id": "rule_01NOSUCH"}, "rule_not_found"),
    "triggerRule": ({"id": "rule_01NOSUCH", "body": TriggerRuleInput()}, "rule_not_found"),
    "getRuleExecution": ({"id": "rex_01NOSUCH"}, "rule_execution_not_found"),
    "getTransfer": ({"id": "txr_01NOSUCH"}, "transfer_not_found"),
    "getCard": ({"id": "card_01NOSUCH"}, "card_not_found"),
    "listCardTransactions": ({"id": "card_01NOSUCH"}, "card_not_found"),
}

#: idempotent writes -> (arguments, code of the 409 while the first call is in flight)
CONFLICT: dict[str, tuple[Kwargs, str]] = {
    "createRule": ({"body": rule_input()}, "conflict"),
    "updateRule": ({"id": RULE, "body": rule_input()}, "conflict"),
    "deleteRule": ({"id": RULE}, "conflict"),
    "triggerRule": ({"id": RULE, "body": TriggerRuleInput()}, "rule_execution_in_progress"),
    "createTransfer": ({"body": transfer_input()}, "transfer_in_progress"),
}


def documented(operation_id: str, status: int) -> bool:
    from sequence_contract.spec import model

    return status in model().by_id[operation_id].statuses


@dataclass
class Api:
    """Generated clients bound to one running mock, one per API key."""

    base_url: str
    clients: list[AuthenticatedClient] = field(default_factory=list)

    def client(self, key: str = "demo-all") -> AuthenticatedClient:
        client = AuthenticatedClient(
            base_url=self.base_url, token=key, prefix="ApiKey", raise_on_unexpected_status=True
        )
        self.clients.append(client)
        return client

    def call(self, operation_id: str, key: str = "demo-all", **kwargs: object) -> Response[Any]:
        sync_detailed = endpoint(operation_id).sync_detailed
        return cast(Response[Any], sync_detailed(client=self.client(key), **kwargs))


@pytest.fixture
def make_api(serve_sequence_mock: ServeMock) -> Iterator[Callable[..., Api]]:
    """Factory: ``make_api(**create_app_options)`` serves a fresh mock on loopback."""
    servers: list[AbstractContextManager[str]] = []
    apis: list[Api] = []

    def make(**options: object) -> Api:
        server = serve_sequence_mock(create_app(**cast(Any, options)))
        servers.append(server)
        apis.append(Api(f"{server.__enter__()}/api/v1"))
        return apis[-1]

    yield make
    for api in apis:
        for client in api.clients:
            client.get_httpx_client().close()
    for server in reversed(servers):
        server.__exit__(None, None, None)


@pytest.fixture
def api(make_api: Callable[..., Api]) -> Api:
    return make_api(delay=0.2)


def assert_error(response: Response[Any], status: int, code: str | None = None) -> None:
    assert response.status_code == status, response.content
    expected = UnauthorizedError if status == 401 else ErrorEnvelope
    assert isinstance(response.parsed, expected)
    if code is not None:
        assert response.parsed.error.code == code
    assert response.headers["X-Request-ID"]


def test_the_tables_cover_every_operation() -> None:
    assert set(SUCCESS) == set(BAD_REQUEST) == set(DOCUMENTED)
    assert set(NOT_FOUND) == {op for op in DOCUMENTED if documented(op, 404)}
    assert set(CONFLICT) == {op for op in DOCUMENTED if documented(op, 409)}


@pytest.mark.parametrize("operation_id", sorted(SUCCESS))
def test_success_parses_into_the_documented_model(api: Api, operation_id: str) -> None:
    kwargs, status, parsed_type = SUCCESS[operation_id]
    response = api.call(operation_id, **kwargs)
    assert response.status_code == status, response.content
    assert isinstance(response.parsed, parsed_type)
    if status != 204:
        assert cast(Any, response.parsed).request_id == response.headers["X-Request-ID"]


def test_list_items_parse_into_their_models(api: Api) -> None:
    accounts = api.call("listAccounts").parsed
    assert isinstance(accounts, AccountListResponse)
    assert accounts.data
    assert all(isinstance(item, AccountSummary) for item in accounts.data)
    rules = api.call("listRules").parsed
    assert isinstance(rules, RuleListResponse)
    assert rules.data
    assert all(isinstance(item, RuleSummary) for item in rules.data)
    executions = api.call("listRuleExecutions", rule_id="rule_01HXYZ1234", first=1).parsed
    assert isinstance(executions, RuleExecutionListResponse)
    assert executions.data
    assert all(isinstance(item, RuleExecutionSummary) for item in executions.data)
    assert executions.page_info.has_next_page is True
    assert isinstance(executions.page_info.end_cursor, str)
    transfers = api.call("listTransfers", account_id=POD).parsed
    assert isinstance(transfers, TransferListResponse)
    assert transfers.data
    assert all(isinstance(item, Transfer) for item in transfers.data)


def test_a_created_transfer_can_be_read_back(api: Api) -> None:
    created = api.call("createTransfer", body=transfer_input(), idempotency_key="k-1").parsed
    assert isinstance(created, TransferResponse)
    assert created.data.status == "processing"
    read = api.call("getTransfer", id=created.data.id).parsed
    assert isinstance(read, TransferResponse)
    assert read.data.id == created.data.id


@pytest.mark.parametrize("operation_id", sorted(SUCCESS))
def test_an_unknown_key_is_401(api: Api, operation_id: str) -> None:
    kwargs, _, _ = SUCCESS[operation_id]
    assert_error(api.call(operation_id, key="sk_nobody", **kwargs), 401, "unauthorized")


@pytest.mark.parametrize("operation_id", sorted(SUCCESS))
def test_a_key_without_the_scope_is_403(api: Api, operation_id: str) -> None:
    kwargs, _, _ = SUCCESS[operation_id]
    assert_error(api.call(operation_id, key="demo-none", **kwargs), 403, "forbidden")


@pytest.mark.parametrize("operation_id", sorted(BAD_REQUEST))
def test_a_malformed_request_is_400(api: Api, operation_id: str) -> None:
    assert_error(api.call(operation_id, **BAD_REQUEST[operation_id]), 400, "bad_request")


@pytest.mark.parametrize("operation_id", sorted(NOT_FOUND))
def test_an_unknown_id_is_404(api: Api, operation_id: str) -> None:
    kwargs, code = NOT_FOUND[operation_id]
    assert_error(api.call(operation_id, **kwargs), 404, code)


@pytest.mark.parametrize("operation_id", ["createRule", "updateRule"])
def test_a_condition_node_with_two_kinds_is_400(api: Api, operation_id: str) -> None:
    """A condition node holds exactly one of condition/any/all: the request schema says so
    (ConditionNodeInput), so the typed models cannot build such a node without an extra member,
    and the server refuses it as invalid, naming the node."""
    leaf = ConditionLeafInput(condition=Condition(fact="BALANCE", operator="GREATER_THAN", value=1))
    both = ConditionLeafInput(condition=leaf.condition)
    both["all"] = ConditionAllInput(all_=[leaf]).to_dict()["all"]
    kwargs: Kwargs = {"body": rule_input(conditions=both)}
    if operation_id == "updateRule":
        kwargs["id"] = RULE
    response = api.call(operation_id, **kwargs)
    assert_error(response, 400, "bad_request")
    assert isinstance(response.parsed, ErrorEnvelope)
    assert "body.steps[0].conditions" in response.parsed.error.message


@pytest.mark.parametrize("operation_id", ["createRule", "updateRule"])
def test_nested_condition_nodes_are_accepted(api: Api, operation_id: str) -> None:
    leaf = ConditionLeafInput(condition=Condition(fact="BALANCE", operator="GREATER_THAN", value=1))
    kwargs: Kwargs = {"body": rule_input(conditions=ConditionAllInput(all_=[leaf, leaf]))}
    if operation_id == "updateRule":
        kwargs["id"] = RULE
    response = api.call(operation_id, **kwargs)
    assert response.status_code == SUCCESS[operation_id][1], response.content
    assert isinstance(response.parsed, RuleResponse)
    conditions = response.parsed.data.steps[0].conditions
    assert conditions is not None
    assert isinstance(conditions.all_, list)
    assert len(conditions.all_) == 2


@pytest.mark.parametrize("operation_id", sorted(CONFLICT))
def test_a_retry_while_the_first_call_runs_is_409(
    make_api: Callable[..., Api], operation_id: str
) -> None:
    """Two calls with one key at once: whichever arrives second finds the first in flight.
    Both threads leave a barrier together and the first write holds for 2 s, so a loaded
    machine that starts the second thread late still lands it inside the window."""
    slow = make_api(latency=2.0)
    kwargs, code = CONFLICT[operation_id]
    answers: list[Response[Any]] = []
    together = threading.Barrier(2)

    def call() -> None:
        together.wait()
        answers.append(slow.call(operation_id, idempotency_key="same", **kwargs))

    threads = [threading.Thread(target=call) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    conflict, done = sorted(answers, key=lambda r: r.status_code == SUCCESS[operation_id][1])
    assert done.status_code == SUCCESS[operation_id][1]
    assert_error(conflict, 409, code)


def test_more_than_100_requests_a_minute_is_429(make_api: Callable[..., Api]) -> None:
    limited = make_api(rate_limit=True)
    statuses = [limited.call("listAccounts").status_code for _ in range(101)]
    assert statuses[:100] == [200] * 100
    response = limited.call("listAccounts")
    assert_error(response, 429, "too_many_requests")
    assert 1 <= int(response.headers["Retry-After"]) <= 60
