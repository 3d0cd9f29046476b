"""API keys and permission entries: the 401/403/404 matrix and the fixture model."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sequence_contract.mock import FixtureError, default_fixtures
from sequence_contract.mock.domain._permissions import parse_key
from sequence_contract.mock.state._records import Transfer
from tests.fixtures.mock import MakeMock, Mock, WriteFixtures

RULE_BODY: dict[str, Any] = {
    "status": "enabled",
    "trigger": {"type": "MANUAL", "account_id": "acc_01HGHI7890"},
    "steps": [{"conditions": None, "actions": [{"type": "fixed_amount", "amount_in_cents": 500}]}],
}
TRANSFER = {
    "source_account_id": "acc_01HGHI7890",
    "destination_account_id": "acc_01HABC4567",
    "amount_in_cents": 50_000,
}

# (key, method, path, status): permission is checked before existence, so a key whose list
# does not hold an id gets 403 even for an id that does not exist; only `*` keys see 404.
MATRIX = [
    ("demo-none", "GET", "/accounts", 403),
    ("demo-readonly", "GET", "/accounts", 200),
    ("demo-one-account", "GET", "/accounts", 403),
    ("demo-one-account", "GET", "/accounts/acc_01HABC4567", 200),
    ("demo-one-account", "GET", "/accounts/acc_01HGHI7890", 403),
    ("demo-one-account", "GET", "/accounts/acc_01HZZZ9999", 403),
    ("demo-readonly", "GET", "/accounts/acc_01HZZZ9999", 404),
    ("demo-readonly", "GET", "/accounts/acc_01HPQR0001", 404),
    ("demo-one-rule", "GET", "/rules", 403),
    ("demo-readonly", "GET", "/rules", 200),
    ("demo-one-rule", "GET", "/rules/rule_01HXYZ1234", 200),
    ("demo-one-rule", "GET", "/rules/rule_01HABC9999", 403),
    ("demo-one-rule", "GET", "/rules/rule_01HZZZ0000", 403),
    ("demo-readonly", "GET", "/rules/rule_01HZZZ0000", 404),
    ("demo-readonly", "POST", "/rules/rule_01HXYZ1234/trigger", 403),
    ("demo-one-rule", "POST", "/rules/rule_01HABC9999/trigger", 403),
    ("demo-one-rule", "POST", "/rules/rule_01HXYZ1234/trigger", 202),
    ("demo-all", "POST", "/rules/rule_01HZZZ0000/trigger", 404),
    ("demo-one-rule", "GET", "/rule-executions?rule_id=rule_01HXYZ1234", 200),
    ("demo-one-rule", "GET", "/rule-executions?rule_id=rule_01HABC9999", 403),
    ("demo-one-account", "GET", "/rule-executions?rule_id=rule_01HXYZ1234", 403),
    ("demo-one-rule", "GET", "/rule-executions/rex_01HABC4567", 200),
    ("demo-one-rule", "GET", "/rule-executions/rex_01HGHI7890", 403),
    ("demo-one-rule", "GET", "/rule-executions/rex_01HZZZ0000", 403),
    ("demo-readonly", "GET", "/rule-executions/rex_01HZZZ0000", 404),
    ("demo-one-account", "GET", "/transfers?account_id=acc_01HABC4567", 200),
    ("demo-one-account", "GET", "/transfers?account_id=acc_01HGHI7890", 403),
    ("demo-one-account", "GET", "/transfers/txr_01HABC1111", 200),
    ("demo-one-account", "GET", "/transfers/txr_01HABC0999", 403),
    ("demo-one-account", "GET", "/transfers/txr_01HZZZ0000", 403),
    ("demo-readonly", "GET", "/transfers/txr_01HZZZ0000", 404),
    ("demo-none", "GET", "/transfers/txr_01HZZZ0000", 403),
    ("demo-one-account", "GET", "/cards?account_id=acc_01HABC4567", 200),
    ("demo-one-account", "GET", "/cards?account_id=acc_01HJKL2345", 403),
    ("demo-one-account", "GET", "/cards/card_01HABC4567", 200),
    ("demo-one-account", "GET", "/cards/card_01HJKL3333", 403),
    ("demo-one-account", "GET", "/cards/card_01HZZZ0000", 403),
    ("demo-readonly", "GET", "/cards/card_01HZZZ0000", 404),
    ("demo-one-account", "GET", "/cards/card_01HABC4567/transactions", 200),
    ("demo-one-account", "GET", "/cards/card_01HJKL3333/transactions", 403),
    ("demo-readonly", "GET", "/cards/card_01HZZZ0000/transactions", 404),
    ("demo-readonly", "POST", "/rules", 403),
    ("demo-readonly", "PUT", "/rules/rule_01HXYZ1234", 403),
    ("demo-readonly", "DELETE", "/rules/rule_01HXYZ1234", 403),
    ("demo-all", "POST", "/rules", 201),
    ("demo-all", "PUT", "/rules/rule_01HZZZ0000", 404),
    ("demo-all", "DELETE", "/rules/rule_01HZZZ0000", 404),
    ("demo-readonly", "POST", "/transfers", 403),
    ("demo-transfer-capped", "POST", "/transfers", 201),
    ("demo-one-account", "GET", "/transfers?account_id=acc_01HZZZ0000", 403),
    ("demo-readonly", "GET", "/transfers?account_id=acc_01HZZZ0000", 200),
]
OPERATIONS = {
    ("GET", "/accounts"): "listAccounts",
    ("GET", "/accounts/"): "getAccount",
    ("GET", "/rules"): "listRules",
    ("POST", "/rules"): "createRule",
    ("GET", "/rules/"): "getRule",
    ("PUT", "/rules/"): "updateRule",
    ("DELETE", "/rules/"): "deleteRule",
    ("POST", "/rules/trigger"): "triggerRule",
    ("GET", "/rule-executions"): "listRuleExecutions",
    ("GET", "/rule-executions/"): "getRuleExecution",
    ("GET", "/transfers"): "listTransfers",
    ("POST", "/transfers"): "createTransfer",
    ("GET", "/transfers/"): "getTransfer",
    ("GET", "/cards"): "listCards",
    ("GET", "/cards/"): "getCard",
    ("GET", "/cards/transactions"): "listCardTransactions",
}


def _operation(method: str, path: str) -> str:
    parts = path.split("?")[0].strip("/").split("/")
    shape = "/" + parts[0] + ("/" if len(parts) == 2 else "")
    if len(parts) == 3:
        shape = f"/{parts[0]}/{parts[2]}"
    return OPERATIONS[(method, shape)]


@pytest.mark.parametrize(("key", "method", "path", "status"), MATRIX)
def test_permission_matrix(mock: Mock, key: str, method: str, path: str, status: int) -> None:
    body: dict[str, Any] | None = None
    if method in ("POST", "PUT"):
        body = {"/transfers": TRANSFER, "/rules": RULE_BODY}.get(path, RULE_BODY)
        if path.endswith("/trigger"):
            body = {}
    response = mock.client(key).request(method, path, json=body)
    assert response.status_code == status, response.text
    parsed = mock.conforms(_operation(method, path), response)
    if status == 403:
        assert parsed == {
            "error": {
                "code": "forbidden",
                "message": "This API key does not have the required permission.",
            }
        }


@pytest.mark.parametrize(("key", "status"), [("demo-readonly", 200), ("demo-one-account", 403)])
def test_a_transfer_between_two_external_parties_needs_a_wildcard_key(
    mock: Mock, key: str, status: int
) -> None:
    """The spec lets source and destination both be null: no listed account covers such a
    transfer, so only a key whose scope is `*` may read it."""
    store = mock.store
    store.add_transfer(
        Transfer(
            id="txr_01HORPHAN1",
            amount_in_cents=100,
            direction="money_in",
            origin="paycheck",
            status="complete",
            source=None,
            destination=None,
            created=store.clock.now(),
        )
    )
    response = mock.client(key).get("/transfers/txr_01HORPHAN1")
    assert response.status_code == status, response.text
    assert mock.conforms("getTransfer", response) is not None


@pytest.mark.parametrize(
    "authorization", [None, "ApiKey nope", "Bearer demo-all", "ApiKey", "demo-all", "ApiKey  "]
)
def test_missing_or_unknown_key_is_401(mock: Mock, authorization: str | None) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    response = mock.client(None, **headers).get("/accounts")
    assert response.status_code == 401
    assert mock.conforms("listAccounts", response) == {
        "error": {"code": "unauthorized", "message": "Missing or invalid API key."}
    }


def test_authentication_comes_before_validation(mock: Mock) -> None:
    response = mock.client("nope").get("/transfers", params={"first": "zero"})
    assert response.status_code == 401


def test_validation_comes_before_permission(mock: Mock) -> None:
    response = mock.client("demo-none").get("/transfers", params={"account_id": "x"})
    assert response.status_code == 400


def test_transfer_cap_is_a_403_with_its_own_code(mock: Mock) -> None:
    capped = mock.client("demo-transfer-capped")
    assert capped.post("/transfers", json={**TRANSFER, "amount_in_cents": 50_000}).is_success
    over = capped.post("/transfers", json={**TRANSFER, "amount_in_cents": 50_001})
    assert over.status_code == 403
    mock.conforms("createTransfer", over)
    assert over.json()["error"]["code"] == "maximum_amount_exceeded"


def test_transfer_pairs_are_directional(mock: Mock) -> None:
    reverse = {
        **TRANSFER,
        "source_account_id": TRANSFER["destination_account_id"],
        "destination_account_id": TRANSFER["source_account_id"],
    }
    response = mock.client("demo-transfer-capped").post("/transfers", json=reverse)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_rule_write_scope_can_be_limited_to_listed_rules(
    make_mock: MakeMock, write_fixtures: WriteFixtures
) -> None:
    seed = {
        name: json.loads((default_fixtures() / f"{name}.json").read_text(encoding="utf-8"))
        for name in ("accounts", "rules")
    }
    seed["api_keys"] = [
        {
            "key": "editor",
            "permissions": [{"scope": "CREATE_AND_EDIT_RULES", "resources": ["rule_01HXYZ1234"]}],
        }
    ]
    editor = make_mock(fixtures=write_fixtures(seed)).client("editor")
    assert editor.put("/rules/rule_01HXYZ1234", json=RULE_BODY).status_code == 200
    assert editor.put("/rules/rule_01HABC9999", json=RULE_BODY).status_code == 403
    assert editor.delete("/rules/rule_01HABC9999").status_code == 403
    assert editor.post("/rules", json=RULE_BODY).status_code == 201


def test_several_entries_of_one_scope_add_up() -> None:
    key = parse_key(
        {
            "key": "k",
            "permissions": [
                {"scope": "READ_ACCOUNTS", "resources": ["acc_1"]},
                {"scope": "READ_ACCOUNTS", "resources": ["acc_2"]},
                {
                    "scope": "MANUAL_TRANSFER",
                    "resources": [
                        {"source": "acc_1", "target": "acc_2", "max_amount": 100},
                        {"source": "acc_1", "target": "acc_2", "max_amount": 300},
                    ],
                },
            ],
        },
        "k",
    )
    assert key.allows("READ_ACCOUNTS", "acc_1")
    assert key.allows("READ_ACCOUNTS", "acc_2")
    assert not key.allows("READ_ACCOUNTS", "acc_3")
    assert key.transfer_cap("acc_1", "acc_2") == (True, 300)
    assert key.transfer_cap("acc_2", "acc_1") == (False, None)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("nope", r"k: a key entry must be an object"),
        ({"key": ""}, r"k\.key: must be 1-200 printable ASCII"),
        ({"key": "a", "scopes": []}, r"unknown member\(s\) \['scopes'\]"),
        ({"key": "a", "permissions": {}}, r"k\.permissions: must be a list"),
        ({"key": "a", "permissions": [{"scope": "READ_ALL"}]}, r"permissions\[0\]\.scope"),
        (
            {"key": "a", "permissions": [{"scope": "LIST_RULES", "resources": ["*"]}]},
            r"LIST_RULES takes no resources",
        ),
        (
            {"key": "a", "permissions": [{"scope": "READ_RULES", "resources": ["acc_1"]}]},
            r"permissions\[0\]\.resources\[0\]: expected '\*' or an id like rule_",
        ),
        (
            {"key": "a", "permissions": [{"scope": "READ_RULES"}]},
            r"must be a list of ids or '\*'",
        ),
        (
            {"key": "a", "permissions": [{"scope": "MANUAL_TRANSFER", "resources": "*"}]},
            r"MANUAL_TRANSFER needs a list of pairs",
        ),
        (
            {
                "key": "a",
                "permissions": [{"scope": "MANUAL_TRANSFER", "resources": [{"source": "acc_1"}]}],
            },
            r"resources\[0\]\.target: expected an account id",
        ),
        (
            {
                "key": "a",
                "permissions": [
                    {
                        "scope": "MANUAL_TRANSFER",
                        "resources": [{"source": "acc_1", "target": "acc_2", "max_amount": -1}],
                    }
                ],
            },
            r"max_amount: expected whole cents >= 0",
        ),
    ],
)
def test_malformed_key_entries_are_named(entry: object, message: str) -> None:
    with pytest.raises(FixtureError, match=message):
        parse_key(entry, "k")
