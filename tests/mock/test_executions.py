"""Rule executions over time, and the simplified action semantics of the rule engine."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.fixtures.mock import Mock

CHECKING, SAVINGS, BILLS, AMEX = (
    "acc_01HGHI7890",
    "acc_01HABC4567",
    "acc_01HJKL2345",
    "acc_01HDEF0123",
)


def _rule(mock: Mock, api: httpx.Client, *actions: dict[str, Any], **trigger: str) -> str:
    body = {
        "status": "enabled",
        "trigger": {"type": "MANUAL", "account_id": CHECKING, **trigger},
        "steps": [{"conditions": None, "actions": list(actions)}],
    }
    rule_id = str(api.post("/rules", json=body).json()["data"]["id"])
    mock.store.rules[rule_id].doc["status"] = "enabled"
    return rule_id


def _run(mock: Mock, api: httpx.Client, rule_id: str, **body: int) -> dict[str, Any]:
    response = api.post(f"/rules/{rule_id}/trigger", json=body)
    assert response.status_code == 202, response.text
    execution_id = response.json()["data"]["execution_id"]
    mock.clock.advance(1)
    execution = api.get(f"/rule-executions/{execution_id}")
    data = mock.conforms("getRuleExecution", execution)
    assert data is not None
    result: dict[str, Any] = data["data"]
    return result


def _amounts(api: httpx.Client, execution: dict[str, Any]) -> list[int]:
    return [
        api.get(f"/transfers/{ident}").json()["data"]["amount_in_cents"]
        for ident in execution["transfer_ids"]
    ]


def test_execution_in_progress_then_executed_with_rule_transfers(
    mock: Mock, api: httpx.Client
) -> None:
    response = api.post("/rules/rule_01HABC9999/trigger", json={})
    execution_id = response.json()["data"]["execution_id"]
    running = api.get(f"/rule-executions/{execution_id}").json()["data"]
    assert running["status"] == "in_progress"
    assert running["trigger_type"] == "manual"
    assert running["rule_name"] == "Pay Amex on payday"
    assert running["transfers_pending"] == 1
    [transfer_id] = running["transfer_ids"]
    transfer = api.get(f"/transfers/{transfer_id}").json()["data"]
    assert transfer["origin"] == "rule"
    assert transfer["rule_id"] == "rule_01HABC9999"
    assert transfer["rule_execution_id"] == execution_id
    assert transfer["amount_in_cents"] == 3_500  # the card's next minimum payment
    assert transfer["status"] == "processing"
    mock.clock.advance(1)
    done = api.get(f"/rule-executions/{execution_id}").json()["data"]
    assert done["status"] == "executed"
    assert (done["transfers_completed"], done["transfers_pending"]) == (1, 0)
    assert api.get(f"/transfers/{transfer_id}").json()["data"]["status"] == "complete"
    listed = api.get("/transfers", params={"account_id": BILLS, "rule_execution_id": execution_id})
    assert [item["id"] for item in listed.json()["data"]] == [transfer_id]


def test_executions_are_listed_newest_first_with_filters(mock: Mock, api: httpx.Client) -> None:
    first = _run(mock, api, "rule_01HXYZ1234")
    second = _run(mock, api, "rule_01HXYZ1234")
    listed = api.get("/rule-executions", params={"rule_id": "rule_01HXYZ1234"})
    body = mock.conforms("listRuleExecutions", listed)
    assert body is not None
    ids = [item["id"] for item in body["data"]]
    assert ids[:2] == [second["id"], first["id"]]
    assert set(body["data"][0]) == {
        "id",
        "rule_id",
        "rule_name",
        "trigger_type",
        "status",
        "created_at",
    }
    executed = api.get(
        "/rule-executions",
        params={"rule_id": "rule_01HXYZ1234", "trigger_type": "scheduled"},
    )
    assert executed.json()["data"] == []
    only_new = api.get(
        "/rule-executions",
        params={"rule_id": "rule_01HXYZ1234", "from": "2024-05-01T00:00:00Z"},
    )
    assert [item["id"] for item in only_new.json()["data"]] == [second["id"], first["id"]]


def test_fixture_executions_cover_every_status(mock: Mock, api: httpx.Client) -> None:
    statuses = {}
    for ident in mock.store.executions:
        response = api.get(f"/rule-executions/{ident}")
        body = mock.conforms("getRuleExecution", response)
        assert body is not None
        statuses[body["data"]["status"]] = ident
    assert set(statuses) == {"in_progress", "executed", "partial", "failed"}


def test_percentage_of_the_source_balance(mock: Mock, api: httpx.Client) -> None:
    execution = _run(mock, api, "rule_01HXYZ1234")
    assert _amounts(api, execution) == [170_000]  # 20% of 850,000
    assert execution["status"] == "executed"


def test_percentage_of_the_manual_amount_capped_per_transfer(mock: Mock, api: httpx.Client) -> None:
    execution = _run(mock, api, "rule_01HMNO1357", manual_execute_amount=30_000)
    assert execution["trigger_details"] == {
        "type": "manual",
        "amount_in_cents": 30_000,
        "scheduled_time": None,
    }
    assert _amounts(api, execution) == [15_000]
    capped = _run(mock, api, "rule_01HMNO1357", manual_execute_amount=500_000)
    assert _amounts(api, capped) == [100_000]


def test_no_matching_step_is_executed_with_conditions_not_met(
    mock: Mock, api: httpx.Client
) -> None:
    rule_id = _rule(mock, api, {"type": "fixed_amount", "destination": {"id": SAVINGS}})
    mock.store.rules[rule_id].doc["steps"][0]["conditions"] = {
        "condition": {"fact": "TRANSFER_AMOUNT", "operator": "GREATER_THAN", "value": 100}
    }
    execution = _run(mock, api, rule_id)
    assert execution["status"] == "executed"
    assert execution["conditions_not_met"] is True
    assert execution["step_index_matched"] is None
    assert execution["transfer_ids"] == []


def test_first_matching_step_wins(mock: Mock, api: httpx.Client) -> None:
    execution = _run(mock, api, "rule_01HMNO1357", manual_execute_amount=100)
    assert execution["step_index_matched"] == 1  # below 200: the catch-all step
    assert execution["transfers_attempted"] == 1
    assert execution["transfer_ids"] == []  # its amount is zero: skipped


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ({"type": "fixed_amount", "amount_in_cents": 1_234}, [1_234]),
        ({"type": "top_up", "amount_in_cents": 130_000}, [30_000]),  # savings holds 100,000
        ({"type": "round_down", "amount_in_cents": 300_000}, [250_000]),  # 850,000 % 300,000
        (
            {"type": "fixed_amount", "amount_in_cents": 900_000, "up_to_enabled": True},
            [850_000],
        ),
        (
            {
                "type": "fixed_amount",
                "amount_in_cents": 9_000,
                "limit": {"period": "PER_TRANSFER", "amount_in_cents": 5_000},
            },
            [5_000],
        ),
    ],
)
def test_action_amounts(
    mock: Mock, api: httpx.Client, action: dict[str, Any], expected: list[int]
) -> None:
    rule_id = _rule(mock, api, {**action, "destination": {"id": SAVINGS}})
    assert _amounts(api, _run(mock, api, rule_id)) == expected


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ({"type": "next_payment_minimum"}, [3_500]),
        ({"type": "total_amount_due"}, [184_500]),
        ({"type": "last_statement_balance"}, [152_000]),
        ({"type": "percentage_liability_balance", "percentage_value": 10}, [18_450]),
        ({"type": "top_up", "current_balance_account": {"id": AMEX}}, []),  # Amex holds more
    ],
)
def test_liability_actions(
    mock: Mock, api: httpx.Client, action: dict[str, Any], expected: list[int]
) -> None:
    rule_id = _rule(mock, api, {**action, "source": {"id": BILLS}, "destination": {"id": AMEX}})
    assert _amounts(api, _run(mock, api, rule_id)) == expected


def test_cumulative_cap_counts_earlier_runs_in_the_period(mock: Mock, api: httpx.Client) -> None:
    limit = {"period": "PER_MONTH", "amount_in_cents": 10_000}
    action = {"type": "fixed_amount", "amount_in_cents": 6_000, "limit": limit}
    rule_id = _rule(mock, api, {**action, "destination": {"id": SAVINGS}})
    assert _amounts(api, _run(mock, api, rule_id)) == [6_000]
    assert _amounts(api, _run(mock, api, rule_id)) == [4_000]
    assert _amounts(api, _run(mock, api, rule_id)) == []
    mock.clock.advance(days=31)
    assert _amounts(api, _run(mock, api, rule_id)) == [6_000]


def test_a_cap_counts_what_the_same_run_already_moves(mock: Mock, api: httpx.Client) -> None:
    limit = {"period": "PER_MONTH", "amount_in_cents": 1_500}
    action = {"type": "fixed_amount", "amount_in_cents": 1_000, "limit": limit}
    rule_id = _rule(
        mock,
        api,
        {**action, "destination": {"id": SAVINGS}},
        {**action, "destination": {"id": BILLS}},
    )
    assert _amounts(api, _run(mock, api, rule_id)) == [1_000, 500]
    assert _amounts(api, _run(mock, api, rule_id)) == []


def test_a_percentage_of_the_source_sees_earlier_moves_of_the_run(
    mock: Mock, api: httpx.Client
) -> None:
    rule_id = _rule(
        mock,
        api,
        {"type": "fixed_amount", "amount_in_cents": 800_000, "destination": {"id": SAVINGS}},
        {
            "type": "percentage",
            "percentage_value": 50,
            "percentage_target": "SOURCE_ACCOUNT",
            "destination": {"id": BILLS},
        },
    )
    execution = _run(mock, api, rule_id)
    assert _amounts(api, execution) == [800_000, 25_000]  # half of the 50,000 left
    assert execution["status"] == "executed"


def test_a_rule_cannot_move_money_out_of_an_account_that_cannot_be_a_source(
    mock: Mock, api: httpx.Client
) -> None:
    """Rules obey the same account checks as createTransfer: no money out of a credit card."""
    assert mock.store.accounts[AMEX].doc["can_be_source"] is False
    before = {ident: dict(mock.store.accounts[ident].doc["balance"]) for ident in (AMEX, SAVINGS)}
    move = {"type": "fixed_amount", "amount_in_cents": 10_000, "destination": {"id": SAVINGS}}
    same = {"type": "fixed_amount", "amount_in_cents": 10_000, "destination": {"id": AMEX}}
    rule_id = _rule(mock, api, {**move, "source": {"id": AMEX}}, {**same, "source": {"id": AMEX}})
    execution = _run(mock, api, rule_id)
    transfers = [
        api.get(f"/transfers/{ident}").json()["data"] for ident in execution["transfer_ids"]
    ]
    assert [(t["status"], t["error_code"]) for t in transfers] == [
        ("error", "payment_not_supported"),
        ("error", "payment_not_supported"),
    ]
    assert execution["status"] == "failed"
    after = {ident: mock.store.accounts[ident].doc["balance"] for ident in (AMEX, SAVINGS)}
    assert after == before


def test_sub_dollar_rule_transfer_errors_at_once(mock: Mock, api: httpx.Client) -> None:
    rule_id = _rule(
        mock, api, {"type": "fixed_amount", "amount_in_cents": 50, "destination": {"id": SAVINGS}}
    )
    execution = _run(mock, api, rule_id)
    transfer = api.get(f"/transfers/{execution['transfer_ids'][0]}").json()["data"]
    assert (transfer["status"], transfer["error_code"]) == (
        "error",
        "transfer_amount_less_than_one_dollar",
    )
    assert execution["status"] == "failed"


def test_partial_when_some_transfers_fail(mock: Mock, api: httpx.Client) -> None:
    rule_id = _rule(
        mock,
        api,
        {"type": "fixed_amount", "amount_in_cents": 800_000, "destination": {"id": SAVINGS}},
        {"type": "fixed_amount", "amount_in_cents": 800_000, "destination": {"id": BILLS}},
    )
    execution = _run(mock, api, rule_id)
    assert execution["status"] == "partial"
    assert (execution["transfers_completed"], execution["transfers_failed"]) == (1, 1)


@pytest.mark.parametrize(
    ("action", "message"),
    [
        ({"type": "avalanche", "destination": {"id": SAVINGS}}, "not simulated"),
        ({"type": "fixed_amount", "amount_in_cents": 100}, "destination account is not set"),
        (
            {"type": "fixed_amount", "amount_in_cents": 100, "destination": {"id": "acc_9"}},
            "acc_9 does not exist",
        ),
        ({"type": "next_payment_minimum", "destination": {"id": SAVINGS}}, "no next_payment"),
    ],
)
def test_rules_that_cannot_run_fail_with_a_message(
    mock: Mock, api: httpx.Client, action: dict[str, Any], message: str
) -> None:
    rule_id = _rule(mock, api, action)
    execution = _run(mock, api, rule_id)
    assert execution["status"] == "failed"
    assert message in execution["error_message"]
    assert execution["transfer_ids"] == []


def test_conditions_on_balance_date_and_nesting(mock: Mock, api: httpx.Client) -> None:
    rule_id = _rule(
        mock, api, {"type": "fixed_amount", "amount_in_cents": 100, "destination": {"id": SAVINGS}}
    )
    mock.store.rules[rule_id].doc["steps"][0]["conditions"] = {
        "all": [
            {"condition": {"fact": "BALANCE", "operator": "GREATER_THAN", "value": 800_000}},
            {
                "any": [
                    {"condition": {"fact": "DATE", "operator": "EQUALS", "value": 2}},
                    {"condition": {"fact": "DATE", "value_fact": "DATE"}},
                ]
            },
            {
                "condition": {
                    "fact": "BALANCE",
                    "operator": "LESS_THAN",
                    "value": 200_000,
                    "params": {"account_id": SAVINGS},
                }
            },
        ]
    }
    assert _run(mock, api, rule_id)["step_index_matched"] == 0


def test_an_amount_beyond_a_float_fails_the_execution_not_the_server(
    mock: Mock, api: httpx.Client
) -> None:
    share = {"type": "percentage", "percentage_value": 50, "destination": {"id": SAVINGS}}
    execution = _run(mock, api, _rule(mock, api, share), manual_execute_amount=10**400)
    assert execution["status"] == "failed"
    assert "too large" in execution["error_message"]
    assert execution["transfer_ids"] == []
