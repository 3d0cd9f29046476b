"""Operation facts the layer derives from openapi.yaml, and the generated modules they name."""

from __future__ import annotations

import importlib
import pkgutil

import sequence_api_client.api

from sequence_contract._operations import OperationIndex, operations, snake_case


def test_every_generated_endpoint_module_maps_to_one_operation() -> None:
    api = sequence_api_client.api
    modules = [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(api.__path__, prefix=f"{api.__name__}.")
        if not info.ispkg
    ]
    assert len(modules) == len(operations().operations) == 16
    found = {operations().for_function(module.sync_detailed) for module in modules}
    assert None not in found
    assert len(found) == 16


def test_requests_are_matched_to_templates() -> None:
    index = operations()
    cases = {
        ("GET", "/api/v1/accounts"): "listAccounts",
        ("GET", "/api/v1/accounts/acc_1"): "getAccount",
        ("PUT", "/api/v1/rules/rule_1"): "updateRule",
        ("POST", "/api/v1/rules/rule_1/trigger"): "triggerRule",
        ("GET", "/api/v1/cards/card_1/transactions"): "listCardTransactions",
        ("GET", "/api/v1/accounts/trigger"): "getAccount",  # an id is any segment
    }
    for (method, path), expected in cases.items():
        op = index.match(method, path, "/api/v1")
        assert op is not None
        assert op.operation_id == expected
    assert index.match("PATCH", "/api/v1/accounts", "/api/v1") is None
    assert index.match("GET", "/api/v1/accounts/a/b", "/api/v1") is None
    assert index.match("GET", "/accounts", "") is not None


def test_pages_and_statuses_come_from_the_spec() -> None:
    transfers = operations().by_id["listTransfers"]
    assert transfers.paginated
    assert transfers.max_page_size == 100
    assert transfers.statuses == {200, 400, 401, 403, 429, 500}
    delete = operations().by_id["deleteRule"]
    assert (delete.method, delete.paginated) == ("DELETE", False)
    assert delete.statuses == {204, 400, 401, 403, 404, 409, 429, 500}


def test_a_list_without_a_cursor_pair_is_not_paginated() -> None:
    spec = {
        "paths": {
            "/things": {
                "get": {
                    "operationId": "listThings",
                    "parameters": [{"name": "first", "in": "query"}],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        }
    }
    (op,) = OperationIndex(spec).operations
    assert not op.paginated
    assert op.max_page_size is None


def test_snake_case_matches_the_generator() -> None:
    assert snake_case("listRuleExecutions") == "list_rule_executions"
    assert snake_case("getAccount") == "get_account"
