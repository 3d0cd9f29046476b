"""createTransfer, getTransfer, listTransfers: checks, settlement on the clock, balances."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.fixtures.mock import MakeMock, Mock

CHECKING, SAVINGS, BILLS = "acc_01HGHI7890", "acc_01HABC4567", "acc_01HJKL2345"
AMEX, EMPTY, CLOSED = "acc_01HDEF0123", "acc_01HSTU0002", "acc_01HPQR0001"


def _send(api: httpx.Client, source: str, target: str, amount: int, **extra: str) -> httpx.Response:
    body = {"source_account_id": source, "destination_account_id": target}
    return api.post("/transfers", json={**body, "amount_in_cents": amount, **extra})


def _balance(api: httpx.Client, account: str) -> dict[str, Any]:
    balance = api.get(f"/accounts/{account}").json()["data"]["balance"]
    assert isinstance(balance, dict)
    return balance


def test_created_processing_then_complete_moves_balances(mock: Mock, api: httpx.Client) -> None:
    response = _send(api, CHECKING, SAVINGS, 12_345, description="Rent 2024")
    created = mock.conforms("createTransfer", response)
    assert response.status_code == 201
    assert created is not None
    transfer = created["data"]
    assert transfer["status"] == "processing"
    assert transfer["origin"] == "user"
    assert transfer["direction"] == "internal"
    assert transfer["source"]["id"] == CHECKING
    assert transfer["destination"]["name"] == "Rainy Day Fund"
    assert transfer["completed_at"] is None
    assert _balance(api, CHECKING)["available_balance_in_cents"] == 850_000  # not yet

    mock.clock.advance(0.999)
    assert api.get(f"/transfers/{transfer['id']}").json()["data"]["status"] == "processing"
    mock.clock.advance(0.001)
    settled = api.get(f"/transfers/{transfer['id']}")
    assert mock.conforms("getTransfer", settled)
    data = settled.json()["data"]
    assert data["status"] == "complete"
    assert data["completed_at"] == "2024-05-01T12:00:01Z"
    assert _balance(api, CHECKING)["available_balance_in_cents"] == 850_000 - 12_345
    assert _balance(api, CHECKING)["balance_in_cents"] == 850_000 - 12_345
    assert _balance(api, SAVINGS)["available_balance_in_cents"] == 100_000 + 12_345
    assert _balance(api, SAVINGS)["balance_last_updated_at"] == "2024-05-01T12:00:01Z"


def test_settlement_delay_is_configurable(make_mock: MakeMock) -> None:
    mock = make_mock(delay=30)
    api = mock.client()
    ident = _send(api, CHECKING, SAVINGS, 500).json()["data"]["id"]
    mock.clock.advance(29)
    assert api.get(f"/transfers/{ident}").json()["data"]["status"] == "processing"
    mock.clock.advance(1)
    assert api.get(f"/transfers/{ident}").json()["data"]["status"] == "complete"


def test_insufficient_funds_end_incomplete_and_move_nothing(mock: Mock, api: httpx.Client) -> None:
    ident = _send(api, EMPTY, SAVINGS, 100).json()["data"]["id"]
    mock.clock.advance(5)
    data = api.get(f"/transfers/{ident}").json()["data"]
    assert data["status"] == "incomplete"
    assert data["error_code"] == "insufficient_funds"
    assert data["completed_at"] is None
    assert _balance(api, EMPTY)["available_balance_in_cents"] == 0
    assert _balance(api, SAVINGS)["available_balance_in_cents"] == 100_000


def test_transfers_settle_in_order_against_the_running_balance(
    mock: Mock, api: httpx.Client
) -> None:
    first = _send(api, SAVINGS, CHECKING, 60_000).json()["data"]["id"]
    mock.clock.advance(0.5)
    second = _send(api, SAVINGS, CHECKING, 60_000).json()["data"]["id"]
    mock.clock.advance(10)
    statuses = [api.get(f"/transfers/{i}").json()["data"]["status"] for i in (first, second)]
    assert statuses == ["complete", "incomplete"]


@pytest.mark.parametrize("amount", ["12345.0", "1.2345e4"])
def test_a_whole_number_written_as_a_float_moves_integer_cents(
    mock: Mock, api: httpx.Client, amount: str
) -> None:
    body = f'{{"source_account_id": "{CHECKING}", "destination_account_id": "{SAVINGS}", '
    headers = {"Content-Type": "application/json"}
    response = api.post(
        "/transfers", content=f'{body}"amount_in_cents": {amount}}}', headers=headers
    )
    assert response.json()["data"]["amount_in_cents"] == 12_345
    assert isinstance(response.json()["data"]["amount_in_cents"], int)
    _send(api, CHECKING, SAVINGS, 1_000)  # a later transfer still moves the balance
    mock.clock.advance(5)
    balance = _balance(api, CHECKING)["available_balance_in_cents"]
    assert balance == 850_000 - 12_345 - 1_000
    assert isinstance(balance, int)


def test_paying_a_liability_lowers_the_amount_owed(mock: Mock, api: httpx.Client) -> None:
    response = _send(api, BILLS, AMEX, 10_000)
    assert response.json()["data"]["direction"] == "money_out"
    mock.clock.advance(1)
    amex = _balance(api, AMEX)
    assert amex["balance_in_cents"] == 184_500 - 10_000
    assert amex["available_balance_in_cents"] == 815_500 + 10_000
    assert _balance(api, BILLS)["available_balance_in_cents"] == 250_000 - 10_000


def test_money_in_from_an_external_account(api: httpx.Client) -> None:
    response = _send(api, "acc_01HMNO6789", CHECKING, 1_000)
    assert response.json()["data"]["direction"] == "money_in"


@pytest.mark.parametrize(
    ("source", "target", "amount", "status", "code"),
    [
        ("acc_01HZZZ0000", SAVINGS, 100, 400, "transfer_source_not_found"),
        (CHECKING, CLOSED, 100, 400, "transfer_destination_not_found"),
        (CHECKING, SAVINGS, 99, 400, "bad_request"),
        (SAVINGS, BILLS, 100, 201, None),
        (BILLS, SAVINGS, 100, 403, "forbidden"),
    ],
)
def test_create_transfer_checks(
    mock: Mock, api: httpx.Client, source: str, target: str, amount: int, status: int, code: str
) -> None:
    response = _send(api, source, target, amount)
    assert response.status_code == status, response.text
    body = mock.conforms("createTransfer", response)
    if code is not None:
        assert body is not None
        assert body["error"]["code"] == code


@pytest.mark.parametrize("description", ["Rent 2024", "", "ABC 123 xy"])
def test_descriptions_up_to_ten_letters_digits_spaces(api: httpx.Client, description: str) -> None:
    response = _send(api, CHECKING, SAVINGS, 100, description=description)
    assert response.status_code == 201


@pytest.mark.parametrize("description", ["Rent 2024 May", "Rent-May", "Café"])
def test_bad_descriptions_are_400(mock: Mock, api: httpx.Client, description: str) -> None:
    response = _send(api, CHECKING, SAVINGS, 100, description=description)
    assert response.status_code == 400
    assert "body.description" in response.json()["error"]["message"]


def test_account_flags_are_enforced(mock: Mock, api: httpx.Client) -> None:
    mock.store.accounts[SAVINGS].doc["can_be_destination"] = False
    response = _send(api, CHECKING, SAVINGS, 100)
    assert response.status_code == 400
    assert "cannot be a transfer destination" in response.json()["error"]["message"]
    mock.store.accounts[CHECKING].doc["can_be_source"] = False
    assert "cannot be a transfer source" in _send(api, CHECKING, BILLS, 100).text


def test_get_transfer_of_every_fixture_status(mock: Mock, api: httpx.Client) -> None:
    statuses = set()
    for ident in mock.store.transfers:
        response = api.get(f"/transfers/{ident}")
        body = mock.conforms("getTransfer", response)
        assert body is not None
        statuses.add(body["data"]["status"])
    assert statuses == {
        "complete",
        "incomplete",
        "error",
        "pending_approval",
        "pending",
        "cancelled",
        "processing",
    }


def test_external_parties_may_be_null_or_unknown_entities(api: httpx.Client) -> None:
    paycheck = api.get("/transfers/txr_01HABC0999").json()["data"]
    assert paycheck["source"] is None
    cashback = api.get("/transfers/txr_01HJKL1002").json()["data"]
    assert cashback["source"] == {
        "id": None,
        "name": "Sequence Cashback",
        "type": "external_entity",
        "is_deleted": None,
    }
    atm = api.get("/transfers/txr_01HJKL1003").json()["data"]
    assert atm["destination"] is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"account_role": "source"}, {"txr_01HJKL1000", "txr_01HJKL1004"}),
        (
            {"account_role": "destination"},
            {"txr_01HABC1111", "txr_01HJKL1002", "txr_01HJKL1006"},
        ),
        ({"direction": "money_out"}, {"txr_01HJKL1000"}),
        ({"origin": "cashback"}, {"txr_01HJKL1002"}),
        ({"status": "cancelled"}, {"txr_01HJKL1004"}),
        ({"rule_execution_id": "rex_01HABC4567"}, {"txr_01HABC1111"}),
        ({"origin": "rule", "status": "error"}, set()),
    ],
)
def test_list_transfer_filters(
    mock: Mock, api: httpx.Client, params: dict[str, str], expected: set[str]
) -> None:
    response = api.get("/transfers", params={"account_id": SAVINGS, **params, "first": 100})
    body = mock.conforms("listTransfers", response)
    assert body is not None
    assert {item["id"] for item in body["data"]} == expected


def test_list_needs_account_id(mock: Mock, api: httpx.Client) -> None:
    response = api.get("/transfers")
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Missing required query parameter `account_id`."


def test_rule_and_manual_transfers_show_in_both_accounts(mock: Mock, api: httpx.Client) -> None:
    ident = _send(api, CHECKING, SAVINGS, 100).json()["data"]["id"]
    for account in (CHECKING, SAVINGS):
        first = api.get("/transfers", params={"account_id": account, "first": 1}).json()
        assert first["data"][0]["id"] == ident
