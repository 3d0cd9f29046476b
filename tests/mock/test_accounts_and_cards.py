"""listAccounts, getAccount, listCards, getCard, listCardTransactions."""

from __future__ import annotations

import httpx
import pytest

from tests.fixtures.mock import Mock


def test_list_accounts_has_no_balances_and_no_deleted(mock: Mock, api: httpx.Client) -> None:
    body = mock.conforms("listAccounts", api.get("/accounts"))
    assert body is not None
    ids = [account["id"] for account in body["data"]]
    assert "acc_01HPQR0001" not in ids
    assert len(ids) == 6
    for account in body["data"]:
        assert not {"balance", "routing_number", "bank_account_number"} & set(account)


@pytest.mark.parametrize(
    ("kind", "count"), [("pod", 3), ("income_source", 1), ("external_account", 2)]
)
def test_list_accounts_by_type(api: httpx.Client, kind: str, count: int) -> None:
    data = api.get("/accounts", params={"type": kind}).json()["data"]
    assert len(data) == count
    assert {account["type"] for account in data} == {kind}


def test_get_account_with_balance_and_linked_liability(mock: Mock, api: httpx.Client) -> None:
    body = mock.conforms("getAccount", api.get("/accounts/acc_01HJKL2345"))
    assert body is not None
    account = body["data"]
    assert account["balance"]["available_balance_in_cents"] == 250_000
    linked = account["linked_account"]
    assert linked["id"] == "acc_01HDEF0123"
    assert linked["external_account_type"] == "LIABILITY"
    assert "balance" not in linked


def test_account_not_found_code(mock: Mock, api: httpx.Client) -> None:
    response = api.get("/accounts/acc_01HZZZ0000")
    body = mock.conforms("getAccount", response)
    assert body is not None
    assert body["error"]["code"] == "account_not_found"


def test_cards_of_an_account_with_filters(mock: Mock, api: httpx.Client) -> None:
    body = mock.conforms("listCards", api.get("/cards", params={"account_id": "acc_01HABC4567"}))
    assert body is not None
    assert {card["id"] for card in body["data"]} == {"card_01HABC4567", "card_01HABC7777"}
    frozen = api.get("/cards", params={"account_id": "acc_01HABC4567", "status": "frozen"})
    assert [card["id"] for card in frozen.json()["data"]] == ["card_01HABC7777"]
    virtual = api.get("/cards", params={"account_id": "acc_01HABC4567", "type": "virtual"})
    assert [card["id"] for card in virtual.json()["data"]] == ["card_01HABC4567"]
    assert api.get("/cards").status_code == 400


def test_get_card(mock: Mock, api: httpx.Client) -> None:
    body = mock.conforms("getCard", api.get("/cards/card_01HABC4567"))
    assert body is not None
    assert body["data"]["last_four"] == "4242"
    missing = api.get("/cards/card_01HZZZ0000")
    assert mock.conforms("getCard", missing)["error"]["code"] == "card_not_found"  # type: ignore[index]


def test_card_transactions_newest_first_with_paging_and_direction(
    mock: Mock, api: httpx.Client
) -> None:
    path = "/cards/card_01HABC4567/transactions"
    body = mock.conforms("listCardTransactions", api.get(path, params={"first": 2}))
    assert body is not None
    assert [item["id"] for item in body["data"]] == ["ctx_01HABC2222", "ctx_01HABC1111"]
    assert body["page_info"]["has_next_page"] is True
    rest = api.get(path, params={"after": body["page_info"]["end_cursor"]}).json()
    assert [item["id"] for item in rest["data"]] == ["ctx_01HABC0999", "ctx_01HABC0998"]
    refunds = api.get(path, params={"direction": "credit"}).json()["data"]
    assert [item["id"] for item in refunds] == ["ctx_01HABC2222"]
    window = api.get(path, params={"from": "2024-04-20T00:00:00Z", "to": "2024-04-21T23:00:00Z"})
    assert [item["id"] for item in window.json()["data"]] == ["ctx_01HABC1111", "ctx_01HABC0999"]
    empty = api.get("/cards/card_01HABC7777/transactions").json()
    assert empty["page_info"] == {"has_next_page": False, "end_cursor": None}
