"""Rules: listing, reading, writing (created/updated disabled, soft delete) and triggering."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from tests.fixtures.mock import Mock

RULE: dict[str, Any] = {
    "nickname": "Top up bills",
    "description": "Weekly",
    "status": "enabled",
    "trigger": {"type": "MANUAL", "account_id": "acc_01HGHI7890"},
    "steps": [
        {
            "conditions": None,
            "actions": [
                {
                    "type": "fixed_amount",
                    "destination": {"id": "acc_01HJKL2345"},
                    "amount_in_cents": 2_500,
                }
            ],
        }
    ],
}


def test_list_rules_summarises_and_omits_deleted(mock: Mock, api: httpx.Client) -> None:
    body = mock.conforms("listRules", api.get("/rules"))
    assert body is not None
    ids = [rule["id"] for rule in body["data"]]
    assert "rule_01HPQR2468" not in ids  # deleted in the fixtures
    assert len(ids) == 6
    first = body["data"][0]
    assert first["trigger_type"] == "ON_FUNDS_TRANSFERRED"
    assert first["source"] == {
        "id": "acc_01HGHI7890",
        "type": "income_source",
        "name": "Chase Checking ••4567",
    }
    assert {rule["id"]: rule["is_supported"] for rule in body["data"]}["rule_01HJKL8765"] is False


def test_list_rules_by_source(api: httpx.Client) -> None:
    data = api.get("/rules", params={"source_id": "acc_01HJKL2345"}).json()["data"]
    assert {rule["id"] for rule in data} == {"rule_01HABC9999", "rule_01HJKL8765"}
    assert api.get("/rules", params={"source_id": "acc_01HZZZ0000"}).json()["data"] == []


def test_get_rule(mock: Mock, api: httpx.Client) -> None:
    body = mock.conforms("getRule", api.get("/rules/rule_01HXYZ1234"))
    assert body is not None
    assert body["data"]["steps"][0]["actions"][0]["type"] == "percentage"


def test_unsupported_rule_is_403_invalid_rule(mock: Mock, api: httpx.Client) -> None:
    response = api.get("/rules/rule_01HJKL8765")
    assert response.status_code == 403
    assert mock.conforms("getRule", response)["error"]["code"] == "invalid_rule"  # type: ignore[index]


def test_create_stores_the_rule_disabled(mock: Mock, api: httpx.Client) -> None:
    response = api.post("/rules", json=RULE)
    assert response.status_code == 201
    body = mock.conforms("createRule", response)
    assert body is not None
    rule = body["data"]
    assert rule["id"].startswith("rule_")
    assert rule["status"] == "disabled"
    assert rule["trigger"] == RULE["trigger"]
    assert rule["created_at"] == rule["updated_at"] == "2024-05-01T12:00:00Z"
    assert api.get(f"/rules/{rule['id']}").json()["data"] == rule
    assert rule["id"] in [item["id"] for item in api.get("/rules").json()["data"]]


def test_update_replaces_fully_and_disables(mock: Mock, api: httpx.Client) -> None:
    replacement = copy.deepcopy(RULE)
    del replacement["nickname"], replacement["description"]
    mock.clock.advance(60)
    response = api.put("/rules/rule_01HXYZ1234", json=replacement)
    body = mock.conforms("updateRule", response)
    assert body is not None
    rule = body["data"]
    assert rule["status"] == "disabled"  # was enabled
    assert rule["nickname"] is None  # full replacement: omitted fields are gone
    assert rule["trigger"]["type"] == "MANUAL"
    assert rule["created_at"] == "2024-04-01T12:00:00Z"
    assert rule["updated_at"] == "2024-05-01T12:01:00Z"
    trigger = api.post("/rules/rule_01HXYZ1234/trigger", json={})
    assert trigger.json()["error"]["code"] == "rule_deactivated"


def test_update_makes_an_unsupported_rule_readable(api: httpx.Client) -> None:
    assert api.put("/rules/rule_01HJKL8765", json=RULE).status_code == 200
    assert api.get("/rules/rule_01HJKL8765").status_code == 200


def test_delete_is_soft(mock: Mock, api: httpx.Client) -> None:
    response = api.delete("/rules/rule_01HXYZ1234")
    assert response.status_code == 204
    mock.conforms("deleteRule", response)
    assert response.content == b""
    assert api.get("/rules/rule_01HXYZ1234").status_code == 404
    assert "rule_01HXYZ1234" not in [rule["id"] for rule in api.get("/rules").json()["data"]]
    trigger = api.post("/rules/rule_01HXYZ1234/trigger", json={})
    assert (trigger.status_code, trigger.json()["error"]["code"]) == (403, "invalid_rule")
    again = api.delete("/rules/rule_01HXYZ1234")
    assert (again.status_code, again.json()["error"]["code"]) == (404, "rule_not_found")
    assert api.put("/rules/rule_01HXYZ1234", json=RULE).status_code == 404
    kept = mock.store.rules["rule_01HXYZ1234"].doc
    assert kept["status"] == "disabled"
    assert kept["deleted_at"] == "2024-05-01T12:00:00Z"
    history = api.get("/rule-executions", params={"rule_id": "rule_01HXYZ1234"})
    assert history.json()["data"], "executions of a deleted rule stay readable"


@pytest.mark.parametrize(
    ("rule_id", "status", "code"),
    [
        ("rule_01HGHI4321", 403, "rule_deactivated"),
        ("rule_01HJKL8765", 403, "invalid_rule"),
        ("rule_01HPQR2468", 403, "invalid_rule"),
        ("rule_01HZZZ0000", 404, "rule_not_found"),
    ],
)
def test_trigger_refusals(
    mock: Mock, api: httpx.Client, rule_id: str, status: int, code: str
) -> None:
    response = api.post(f"/rules/{rule_id}/trigger", json={})
    assert response.status_code == status
    assert mock.conforms("triggerRule", response)["error"]["code"] == code  # type: ignore[index]


def test_trigger_returns_an_execution_to_poll(mock: Mock, api: httpx.Client) -> None:
    response = api.post("/rules/rule_01HABC9999/trigger", json={})
    assert response.status_code == 202
    body = mock.conforms("triggerRule", response)
    assert body is not None
    execution_id = body["data"]["execution_id"]
    execution = api.get(f"/rule-executions/{execution_id}")
    assert mock.conforms("getRuleExecution", execution)
    assert execution.json()["data"]["status"] == "in_progress"


def test_created_rules_cannot_be_triggered_until_enabled_in_the_app(
    mock: Mock, api: httpx.Client
) -> None:
    rule_id = api.post("/rules", json=RULE).json()["data"]["id"]
    assert api.post(f"/rules/{rule_id}/trigger", json={}).status_code == 403
    mock.store.rules[rule_id].doc["status"] = "enabled"  # what a human does in the app
    assert api.post(f"/rules/{rule_id}/trigger", json={}).status_code == 202


@pytest.mark.parametrize(
    ("conditions", "where"),
    [
        (
            {"condition": {"fact": "DATE", "value": 1}, "any": [{"condition": {"fact": "DATE"}}]},
            "steps[0].conditions: should have exactly one of 'condition', 'any' or 'all'; "
            "it has 'condition', 'any'",
        ),
        (
            {"all": [{"note": "no kind"}]},
            "steps[0].conditions.all[0]: should have exactly one of 'condition', 'any' or 'all'; "
            "it has none of them",
        ),
        # a leaf beside a malformed second kind: still two kinds, whatever the second holds
        (
            {"condition": {"fact": "DATE"}, "all": 5},
            "steps[0].conditions: should have exactly one of 'condition', 'any' or 'all'; "
            "it has 'condition', 'all'",
        ),
        (
            "DATE",
            "steps[0].conditions: 'DATE' is not an object with exactly one of 'condition', 'any' "
            "or 'all'",
        ),
        # one kind: the error is the one inside it, however deep
        (
            {"any": [{"all": [{"condition": {"fact": "DATE", "operator": 3}}]}]},
            "steps[0].conditions.any[0].all[0].condition.operator: 3 is not of type 'string'",
        ),
    ],
)
def test_condition_nodes_need_exactly_one_kind(
    mock: Mock, api: httpx.Client, conditions: object, where: str
) -> None:
    """The request schema says it (ConditionNodeInput's oneOf), so validation answers 400 at the
    node, naming the kinds it has: no schema-valid body is refused later with 422."""
    body = {**RULE, "steps": [{"conditions": conditions}]}
    for response in (api.post("/rules", json=body), api.put("/rules/rule_01HXYZ1234", json=body)):
        assert response.status_code == 400
        error = mock.conforms("createRule", response)
        assert error is not None
        assert error["error"]["code"] == "bad_request"
        assert error["error"]["message"] == f"Invalid request body: body.{where}"
    assert mock.store.rules["rule_01HXYZ1234"].doc["status"] == "enabled", "left untouched"


def test_unknown_members_beside_the_kind_are_tolerated(api: httpx.Client) -> None:
    conditions = {"condition": {"fact": "DATE", "value": 1}, "label": "payday"}
    body = {**RULE, "steps": [{"conditions": conditions}]}
    assert api.post("/rules", json=body).status_code == 201
