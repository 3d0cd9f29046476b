"""The compiled model of openapi.yaml: one table of operations for the client layer, the mock,
the contract runner and the tests, and the generated modules it names."""

from __future__ import annotations

import copy
import importlib
import pkgutil
from typing import Any

import sequence_api_client.api

from sequence_contract.spec import Spec, load_spec, model, snake_case
from tests.spec.test_operations import DOCUMENTED, IDEMPOTENT


def test_every_generated_endpoint_module_maps_to_one_operation() -> None:
    api = sequence_api_client.api
    modules = [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(api.__path__, prefix=f"{api.__name__}.")
        if not info.ispkg
    ]
    assert len(modules) == len(model().operations) == 16
    found = {model().for_function(module.sync_detailed) for module in modules}
    assert None not in found
    assert len(found) == 16


def test_the_model_is_compiled_once_per_file() -> None:
    assert model() is model()
    assert model().document is load_spec()


def test_operations_carry_the_documented_surface() -> None:
    ops = model().by_id
    assert {k: (op.method.lower(), op.path, op.availability) for k, op in ops.items()} == DOCUMENTED
    assert {k for k, op in ops.items() if op.idempotency_key} == IDEMPOTENT
    assert {op.tag for op in ops.values()} == {
        "accounts", "rules", "rule-executions", "transfers", "cards",
    }  # fmt: skip
    assert [op.operation_id for op in model().webhooks] == [
        "onTransferCreated", "onTransferApprovalRequired", "onTransferStatusChanged",
    ]  # fmt: skip


def test_rule_writes_have_one_scope_everywhere() -> None:
    scopes = {model().by_id[name].required_scope for name in ("createRule", "updateRule")}
    assert scopes | {model().by_id["deleteRule"].required_scope} == {"CREATE_AND_EDIT_RULES"}
    assert all(op.required_scope != "unknown" for op in model().operations)


def test_requests_are_matched_to_templates() -> None:
    spec = model()
    cases = {
        ("GET", "/api/v1/accounts"): "listAccounts",
        ("GET", "/api/v1/accounts/acc_1"): "getAccount",
        ("PUT", "/api/v1/rules/rule_1"): "updateRule",
        ("POST", "/api/v1/rules/rule_1/trigger"): "triggerRule",
        ("GET", "/api/v1/cards/card_1/transactions"): "listCardTransactions",
        ("GET", "/api/v1/accounts/trigger"): "getAccount",  # an id is any segment
    }
    for (method, path), expected in cases.items():
        op = spec.match(method, path, "/api/v1")
        assert op is not None
        assert op.operation_id == expected
    assert spec.match("PATCH", "/api/v1/accounts", "/api/v1") is None
    assert spec.match("GET", "/api/v1/accounts/a/b", "/api/v1") is None
    assert spec.match("GET", "/accounts/", "") is None
    assert spec.match("GET", "/other/accounts", "/api/v1") is None
    assert spec.match("GET", "/accounts", "") is not None


def _with_literal_path(document: dict[str, Any]) -> Spec:
    """A copy with ``/rules/summary`` added after ``/rules/{id}`` in the spec's order."""
    document = copy.deepcopy(document)
    get_rule = document["paths"]["/rules/{id}"]["get"]
    summary = {**get_rule, "operationId": "getRuleSummary", "parameters": []}
    document["paths"]["/rules/summary"] = {"get": summary}
    return Spec(document)


def test_one_route_order_literal_segments_first() -> None:
    spec = _with_literal_path(load_spec())
    route, arguments = spec.route("/rules/summary") or (None, None)
    assert route is not None
    assert (route.path, arguments) == ("/rules/summary", {})
    op = spec.match("GET", "/rules/summary")
    assert op is not None
    assert op.operation_id == "getRuleSummary"
    assert spec.by_id["getRule"].matches("GET", "/rules/summary")  # the template alone would
    assert spec.match("GET", "/rules/rule_1") is spec.by_id["getRule"]


def test_parameters_carry_defaults_limits_and_names() -> None:
    transfers = model().by_id["listTransfers"]
    first = next(p for p in transfers.parameters if p.name == "first")
    assert (first.location, first.kind, first.default, first.minimum, first.maximum) == (
        "query", "integer", 20, 1, 100,
    )  # fmt: skip
    headers = {p.name: p.key for p in transfers.parameters if p.location == "header"}
    assert headers == {"X-Request-ID": "x-request-id"}


def test_pages_statuses_and_response_schemas_come_from_the_spec() -> None:
    transfers = model().by_id["listTransfers"]
    assert transfers.paginated
    assert transfers.max_page_size == 100
    assert transfers.statuses == {200, 400, 401, 403, 429, 500}
    assert transfers.responses[200].schema_pointer == (
        "/paths/~1transfers/get/responses/200/content/application~1json/schema"
    )
    assert transfers.responses[200].headers == ("X-Request-ID",)
    delete = model().by_id["deleteRule"]
    assert (delete.method, delete.paginated) == ("DELETE", False)
    assert delete.statuses == {204, 400, 401, 403, 404, 409, 429, 500}
    assert delete.responses[204].schema_pointer is None


def test_provenance_markers_are_read_from_the_spec() -> None:
    spec = model()
    assert spec.by_id["createRule"].provenance == "choice"
    assert spec.by_id["getAccount"].provenance == "doc"
    assert spec.provenance("/components/schemas/Balance") == "filled"
    assert spec.provenance("/components/schemas/AccountCore/properties/name") == "doc"


def test_a_list_without_a_cursor_pair_is_not_paginated() -> None:
    document = {
        "paths": {
            "/things": {
                "get": {
                    "operationId": "listThings",
                    "parameters": [{"name": "first", "in": "query"}],
                    "responses": {200: {"description": "ok"}},  # YAML reads 200: as a number
                }
            }
        }
    }
    (op,) = Spec(document).operations
    assert not op.paginated
    assert op.max_page_size is None
    assert op.statuses == {200}


def test_snake_case_matches_the_generator() -> None:
    assert snake_case("listRuleExecutions") == "list_rule_executions"
    assert snake_case("getAccount") == "get_account"
