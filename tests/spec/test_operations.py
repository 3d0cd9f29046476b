"""The documented surface of the API, pinned: operations, webhooks, availability, security and
the headers every operation takes (reference sections 1 and 6). A rename, drop or addition fails."""

from __future__ import annotations

from typing import Any

import pytest

from sequence_contract.spec import Operation
from tests.fixtures.spec import operations, resolve

# operationId -> (method, path, x-availability), as the documentation shows them.
DOCUMENTED = {
    "listAccounts": ("get", "/accounts", "available"),
    "getAccount": ("get", "/accounts/{id}", "available"),
    "listRules": ("get", "/rules", "available"),
    "getRule": ("get", "/rules/{id}", "available"),
    "createRule": ("post", "/rules", "coming-soon"),
    "updateRule": ("put", "/rules/{id}", "coming-soon"),
    "deleteRule": ("delete", "/rules/{id}", "unknown"),
    "triggerRule": ("post", "/rules/{id}/trigger", "available"),
    "listRuleExecutions": ("get", "/rule-executions", "available"),
    "getRuleExecution": ("get", "/rule-executions/{id}", "available"),
    "listTransfers": ("get", "/transfers", "available"),
    "getTransfer": ("get", "/transfers/{id}", "unknown"),
    "createTransfer": ("post", "/transfers", "available"),
    "listCards": ("get", "/cards", "coming-soon"),
    "getCard": ("get", "/cards/{id}", "coming-soon"),
    "listCardTransactions": ("get", "/cards/{id}/transactions", "coming-soon"),
}
WEBHOOKS = {
    "onTransferCreated": ("post", "TransferCreated", "coming-soon"),
    "onTransferApprovalRequired": ("post", "TransferApprovalRequired", "coming-soon"),
    "onTransferStatusChanged": ("post", "TransferStatusChanged", "coming-soon"),
}
IDEMPOTENT = {"createRule", "updateRule", "deleteRule", "triggerRule", "createTransfer"}

PATH_OPERATIONS = [op for op in operations() if not op.webhook]


def _surface(webhook: bool) -> dict[str, tuple[str, str, str]]:
    return {
        op.operation_id: (op.method.lower(), op.path, op.node.get("x-availability", "<missing>"))
        for op in operations()
        if op.webhook is webhook
    }


def test_operations_are_exactly_the_documented_ones() -> None:
    assert _surface(webhook=False) == DOCUMENTED


def test_webhooks_are_exactly_the_documented_ones() -> None:
    assert _surface(webhook=True) == WEBHOOKS


def _header_parameters(op: Operation) -> set[str]:
    parameters = [resolve(parameter) for parameter in op.node.get("parameters") or []]
    return {p["name"].lower() for p in parameters if p["in"] == "header"}


@pytest.mark.parametrize("op", PATH_OPERATIONS, ids=lambda op: op.operation_id)
def test_operation_is_secured_by_the_api_key(op: Operation, spec: dict[str, Any]) -> None:
    assert op.node.get("security", spec.get("security")) == [{"ApiKeyAuth": []}]


def test_api_key_scheme_is_the_authorization_header(spec: dict[str, Any]) -> None:
    scheme = spec["components"]["securitySchemes"]["ApiKeyAuth"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")


@pytest.mark.parametrize("op", PATH_OPERATIONS, ids=lambda op: op.operation_id)
def test_operation_documents_401_with_an_envelope(op: Operation) -> None:
    response = resolve(op.node["responses"]["401"])
    schema = response["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/UnauthorizedError"}


@pytest.mark.parametrize("op", PATH_OPERATIONS, ids=lambda op: op.operation_id)
def test_operation_takes_the_documented_headers(op: Operation) -> None:
    expected = {"x-request-id"} | ({"idempotency-key"} if op.operation_id in IDEMPOTENT else set())
    assert _header_parameters(op) == expected


@pytest.mark.parametrize("op", operations(), ids=lambda op: op.operation_id)
def test_operation_states_security_explicitly(op: Operation) -> None:
    """Webhooks are sent by Sequence, not called with a key: they say so with ``security: []``."""
    expected: list[dict[str, list[str]]] = [] if op.webhook else [{"ApiKeyAuth": []}]
    assert op.node["security"] == expected
