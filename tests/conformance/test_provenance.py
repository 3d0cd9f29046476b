"""A failure names the kind of fact it hit: doc (the pages) or filled/choice (our guess)."""

from __future__ import annotations

from typing import Any

import pytest

from sequence_contract.conformance._provenance import Verdict, classify
from sequence_contract.spec import Operation, Spec, model

POD = {
    "id": "acc_01HABC4567",
    "name": "Rainy Day Fund",
    "type": "pod",
    "description": None,
    "external_account_type": None,
    "beneficiary_name": None,
    "institution_name": None,
    "can_be_source": True,
}


@pytest.fixture
def spec() -> Spec:
    return model()  # the compiled model (tests/fixtures/spec.py's is the raw document)


@pytest.fixture
def ops(spec: Spec) -> dict[str, Operation]:
    return spec.by_id


def kinds(verdicts: list[Any]) -> list[str]:
    return [verdict.kind for verdict in verdicts]


def test_a_missing_documented_field_is_doc(spec: Spec, ops: dict[str, Operation]) -> None:
    body = {"request_id": "req_1", "data": {k: v for k, v in POD.items() if k != "can_be_source"}}
    (verdict,) = classify(
        spec, ops["getAccount"], "response_schema_conformance", status=200, body=body
    )
    assert verdict.kind == "doc"
    assert verdict.where == "/components/schemas/AccountCore/properties/can_be_source"
    assert "can_be_source" in verdict.detail


def test_a_wrong_filled_field_is_filled(spec: Spec, ops: dict[str, Operation]) -> None:
    body = {"request_id": "req_1", "data": {**POD, "institution_name": 5}}
    (verdict,) = classify(
        spec, ops["getAccount"], "response_schema_conformance", status=200, body=body
    )
    assert verdict.kind == "filled"
    assert verdict.where == "/components/schemas/AccountCore/properties/institution_name"
    assert verdict.detail.startswith("body/data/institution_name:")


def test_inside_a_nullable_object_the_closest_branch_is_walked(
    spec: Spec, ops: dict[str, Operation]
) -> None:
    body = {"request_id": "req_1", "data": {**POD, "balance": {"balance_in_cents": "many"}}}
    (verdict,) = classify(
        spec, ops["getAccount"], "response_schema_conformance", status=200, body=body
    )
    assert verdict.kind == "filled"
    assert verdict.detail.startswith("body/data/balance/balance_in_cents:")


def test_a_chosen_response_makes_everything_in_it_choice(
    spec: Spec, ops: dict[str, Operation]
) -> None:
    verdicts = classify(
        spec, ops["createRule"], "response_schema_conformance", status=201, body={"data": {}}
    )
    assert set(kinds(verdicts)) == {"choice"}


def test_the_documented_401_code_is_doc(spec: Spec, ops: dict[str, Operation]) -> None:
    body = {"error": {"code": "invalid_api_key", "message": "no"}}
    (verdict,) = classify(
        spec, ops["getAccount"], "response_schema_conformance", status=401, body=body
    )
    assert verdict.kind == "doc"


def test_headers_statuses_and_other_checks(spec: Spec, ops: dict[str, Operation]) -> None:
    (missing,) = classify(spec, ops["getAccount"], "response_headers_conformance", status=200)
    assert (missing.kind, missing.detail) == ("doc", "header X-Request-ID: missing")
    (retry,) = classify(
        spec,
        ops["getAccount"],
        "response_headers_conformance",
        status=429,
        headers={"x-request-id": "r", "retry-after": "-1"},
    )
    assert retry.kind == "filled"
    (status,) = classify(spec, ops["getAccount"], "status_code_conformance", status=418)
    assert status.kind == "doc"
    (rejected,) = classify(spec, ops["listTransfers"], "positive_data_acceptance", status=400)
    assert (rejected.kind, rejected.where) == ("choice", "/components/responses/BadRequest")
    (unknown,) = classify(spec, ops["getAccount"], "not_a_server_error", status=599)
    assert unknown.kind == "doc"


def test_an_accepted_invalid_request_names_the_constraint(
    spec: Spec, ops: dict[str, Operation]
) -> None:
    request = {
        "body": {
            "source_account_id": "acc_1",
            "destination_account_id": "acc_2",
            "amount_in_cents": 5,
            "description": "no!",
        }
    }
    verdicts = classify(spec, ops["createTransfer"], "negative_data_rejection", request=request)
    assert kinds(verdicts) == ["filled", "filled"]
    assert verdicts[0].where == "/components/schemas/CreateTransferInput/properties/amount_in_cents"
    missing = classify(spec, ops["listRuleExecutions"], "negative_data_rejection", request={})
    assert [(v.kind, v.detail) for v in missing] == [("doc", "query rule_id: missing")]


def test_a_request_the_server_let_through_is_judged_part_by_part(
    spec: Spec, ops: dict[str, Operation]
) -> None:
    def let_through(operation_id: str, request: dict[str, Any]) -> list[Verdict]:
        return classify(spec, ops[operation_id], "negative_data_rejection", request=request)

    valid = {"path_parameters": {"id": "rule_01HXYZ1234"}, "headers": {"X-Request-ID": "r"}}
    [nothing_found] = let_through("deleteRule", valid)
    assert nothing_found.detail == "negative_data_rejection: judged on the operation"
    null_id = {"path_parameters": {"id": None}}
    assert kinds(let_through("getRule", null_id)) == ["doc"]
    assert kinds(let_through("deleteRule", null_id)) == ["choice"]  # an operation we chose
