"""paginate()/apaginate(): every item of any operation the spec pages, one generic loop."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from itertools import islice

import httpx
import pytest
from sequence_api_client.api.accounts import list_accounts
from sequence_api_client.api.cards import list_card_transactions
from sequence_api_client.api.rule_executions import list_rule_executions
from sequence_api_client.api.transfers import list_transfers
from sequence_api_client.models import Transfer
from starlette.applications import Starlette

from sequence_contract import ContractError, SequenceClient, apaginate, paginate
from sequence_contract.spec import model
from tests.fixtures.client import MakeConnected, envelope, json_response

ACCOUNT_ID = "acc_01HGHI7890"


def transfer(index: int) -> dict[str, object]:
    return {
        "id": f"txr_{index:06d}",
        "amount_in_cents": 100 + index,
        "direction": "internal",
        "origin": "user",
        "status": "processing",
        "source": None,
        "destination": None,
    }


class PagedServer:
    """Serves ``count`` transfers by ``first``/``after``, like the spec says; records queries."""

    def __init__(self, count: int) -> None:
        self.items = [transfer(i) for i in range(count)]
        self.queries: list[dict[str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        query = dict(request.url.params)
        self.queries.append(query)
        start = int(query["after"].removeprefix("cursor_")) if "after" in query else 0
        page = self.items[start : start + int(query.get("first", "20"))]
        end = start + len(page)
        info = {"has_next_page": end < len(self.items), "end_cursor": f"cursor_{end}"}
        return json_response(200, envelope(page, page_info=info))


def test_the_paginated_operations_come_from_the_spec() -> None:
    paged = {op.operation_id for op in model().operations if op.paginated}
    assert paged == {"listRuleExecutions", "listTransfers", "listCardTransactions"}


def test_follows_end_cursor_to_the_last_page(make_connected: MakeConnected) -> None:
    server = PagedServer(250)
    client = make_connected(server)
    items = list(paginate(list_transfers.sync_detailed, client=client, account_id=ACCOUNT_ID))
    assert all(isinstance(item, Transfer) for item in items)
    assert [item.id for item in items] == [t["id"] for t in server.items]
    assert [q.get("after") for q in server.queries] == [None, "cursor_100", "cursor_200"]
    assert {q["first"] for q in server.queries} == {"100"}  # the spec's maximum by default
    assert {q["account_id"] for q in server.queries} == {ACCOUNT_ID}


def test_limit_stops_early_and_asks_only_for_what_it_needs(make_connected: MakeConnected) -> None:
    server = PagedServer(1000)
    client = make_connected(server)
    items = list(
        paginate(list_transfers.sync_detailed, client=client, account_id=ACCOUNT_ID, limit=250)
    )
    assert len(items) == 250
    assert [q["first"] for q in server.queries] == ["100", "100", "50"]


def test_an_explicit_page_size_and_start_cursor_are_kept(make_connected: MakeConnected) -> None:
    server = PagedServer(10)
    client = make_connected(server)
    pages = paginate(
        list_transfers.sync_detailed,
        client=client,
        account_id=ACCOUNT_ID,
        first=3,
        after="cursor_4",
    )
    assert [item.amount_in_cents for item in pages] == [104, 105, 106, 107, 108, 109]
    assert [q["first"] for q in server.queries] == ["3", "3"]


def test_nothing_is_fetched_before_iteration_or_for_limit_zero(
    make_connected: MakeConnected,
) -> None:
    server = PagedServer(5)
    client = make_connected(server)
    lazy = paginate(list_transfers.sync_detailed, client=client, account_id=ACCOUNT_ID)
    assert server.queries == []
    assert next(lazy).id == "txr_000000"
    assert (
        list(paginate(list_transfers.sync_detailed, client=client, account_id="a", limit=0)) == []
    )
    assert len(server.queries) == 1
    assert len(list(islice(lazy, 2))) == 2


def test_an_empty_list_is_one_request(make_connected: MakeConnected) -> None:
    server = PagedServer(0)
    client = make_connected(server)
    assert list(paginate(list_transfers.sync_detailed, client=client, account_id="a")) == []
    assert len(server.queries) == 1


def _pages(*infos: Mapping[str, object]) -> Callable[[httpx.Request], httpx.Response]:
    answers = iter(infos)

    def server(request: httpx.Request) -> httpx.Response:
        return json_response(200, envelope([transfer(0)], page_info=next(answers)))

    return server


def test_a_repeated_cursor_is_a_contract_error_not_a_loop(make_connected: MakeConnected) -> None:
    page = {"has_next_page": True, "end_cursor": "cursor_same"}
    client = make_connected(_pages(page, page, page))
    with pytest.raises(ContractError, match="'cursor_same' repeats an earlier cursor") as caught:
        list(paginate(list_transfers.sync_detailed, client=client, account_id=ACCOUNT_ID))
    assert caught.value.operation == "listTransfers"


def test_a_cycle_of_cursors_is_caught_too(make_connected: MakeConnected) -> None:
    a, b = ({"has_next_page": True, "end_cursor": c} for c in ("cursor_a", "cursor_b"))
    client = make_connected(_pages(a, b, a))
    with pytest.raises(ContractError, match="repeats"):
        list(paginate(list_transfers.sync_detailed, client=client, account_id=ACCOUNT_ID))


def test_the_start_cursor_coming_back_is_a_repeat(make_connected: MakeConnected) -> None:
    client = make_connected(_pages({"has_next_page": True, "end_cursor": "cursor_0"}))
    with pytest.raises(ContractError, match="repeats"):
        list(
            paginate(list_transfers.sync_detailed, client=client, account_id="a", after="cursor_0")
        )


def test_a_next_page_without_a_cursor_is_a_contract_error(make_connected: MakeConnected) -> None:
    client = make_connected(_pages({"has_next_page": True, "end_cursor": None}))
    with pytest.raises(ContractError, match="end_cursor is empty"):
        list(paginate(list_transfers.sync_detailed, client=client, account_id=ACCOUNT_ID))


def test_a_page_missing_page_info_is_a_contract_error(make_connected: MakeConnected) -> None:
    client = make_connected(lambda request: json_response(200, envelope([transfer(0)])))
    with pytest.raises(ContractError, match="lacks required field 'page_info'"):
        list(paginate(list_transfers.sync_detailed, client=client, account_id=ACCOUNT_ID))


def test_unpaged_operations_and_bad_arguments_fail_at_once(make_connected: MakeConnected) -> None:
    client = make_connected(PagedServer(1))
    with pytest.raises(TypeError, match="listAccounts is not cursor-paginated"):
        paginate(list_accounts.sync_detailed, client=client)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="account_idd"):
        paginate(list_transfers.sync_detailed, client=client, account_id="a", account_idd="b")
    with pytest.raises(ValueError, match="limit"):
        paginate(list_transfers.sync_detailed, client=client, account_id="a", limit=-1)


@pytest.mark.anyio
async def test_apaginate(make_connected: MakeConnected) -> None:
    server = PagedServer(230)
    async with make_connected(server, asynchronous=True) as client:
        ids = [
            item.id
            async for item in apaginate(
                list_transfers.asyncio_detailed, client=client, account_id=ACCOUNT_ID, limit=210
            )
        ]
    assert ids == [t["id"] for t in server.items[:210]]
    assert [q["first"] for q in server.queries] == ["100", "100", "10"]


@pytest.mark.anyio
async def test_apaginate_guards_against_repeats(make_connected: MakeConnected) -> None:
    page = {"has_next_page": True, "end_cursor": "cursor_x"}
    async with make_connected(_pages(page, page), asynchronous=True) as client:
        with pytest.raises(ContractError, match="repeats"):
            async for _ in apaginate(
                list_transfers.asyncio_detailed, client=client, account_id="a"
            ):
                pass


def test_the_same_loop_pages_all_three_operations_of_the_mock(
    embedded_client: SequenceClient, embedded_mock: Starlette
) -> None:
    store = embedded_mock.state.store
    transfers = list(
        paginate(
            list_transfers.sync_detailed, client=embedded_client, account_id=ACCOUNT_ID, first=3
        )
    )
    assert len(transfers) == 8
    assert len({t.id for t in transfers}) == 8
    stamps = [t.created_at for t in transfers if isinstance(t.created_at, datetime)]
    assert len(stamps) == 8
    assert stamps == sorted(stamps, reverse=True)  # newest first, as documented

    executions = list(
        paginate(
            list_rule_executions.sync_detailed,
            client=embedded_client,
            rule_id="rule_01HXYZ1234",
            first=1,
        )
    )
    assert [e.rule_id for e in executions] == ["rule_01HXYZ1234"] * 2

    card_transactions = list(
        paginate(
            list_card_transactions.sync_detailed, "card_01HABC4567", client=embedded_client, first=1
        )
    )
    expected = {
        t.doc["id"]
        for t in store.card_transactions.values()
        if t.doc["card_id"] == "card_01HABC4567"
    }
    assert {t.id for t in card_transactions} == expected
    assert len(card_transactions) == 4
