"""Cursor pagination: defaults and bounds, keyset stability under inserts, cursors, filters."""

from __future__ import annotations

import copy
import threading
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import yaml

from sequence_contract.mock import create_app
from sequence_contract.mock._errors import ApiError
from sequence_contract.mock.domain._pagination import PageRequest, decode_cursor, encode_cursor
from sequence_contract.mock.state._clock import ManualClock
from sequence_contract.mock.state._index import SortedIndex
from sequence_contract.mock.state._records import Transfer, sort_key
from sequence_contract.spec import load_spec
from sequence_contract.testing import SyncASGITransport
from tests.fixtures.mock import Mock

CHECKING, SAVINGS = "acc_01HGHI7890", "acc_01HABC4567"


def _transfer(mock: Mock, seconds: float, number: int) -> Transfer:
    store = mock.store
    moment = store.clock.now() + timedelta(seconds=seconds)
    return Transfer(
        id=mock.app.state.ids.new("txr_", moment),
        amount_in_cents=100 + number,
        direction="internal",
        origin="user",
        status="complete",
        source=store.party(CHECKING),
        destination=store.party(SAVINGS),
        created=moment,
    )


def _walk(client: httpx.Client, path: str, **params: str | int) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    after: str | None = None
    while True:
        query = {**params, **({"after": after} if after else {})}
        body = client.get(path, params=query).json()
        items.extend(body["data"])
        if not body["page_info"]["has_next_page"]:
            return items
        after = body["page_info"]["end_cursor"]


def test_default_page_is_20_newest_first(mock: Mock, api: httpx.Client) -> None:
    for number in range(30):
        mock.store.add_transfer(_transfer(mock, number, number))
    response = api.get("/transfers", params={"account_id": SAVINGS})
    body = mock.conforms("listTransfers", response)
    assert body is not None
    assert len(body["data"]) == 20
    stamps = [item["created_at"] for item in body["data"]]
    assert stamps == sorted(stamps, reverse=True)
    assert body["page_info"]["has_next_page"] is True


@pytest.mark.parametrize("first", [1, 7, 100])
def test_walk_returns_every_item_once_in_order(mock: Mock, api: httpx.Client, first: int) -> None:
    for number in range(150):
        mock.store.add_transfer(_transfer(mock, number // 3, number))  # same-second ties
    expected = [t.id for t in sorted(mock.store.transfers.values(), key=lambda t: t.key)]
    expected = [i for i in reversed(expected) if mock.store.transfers[i].touches(SAVINGS)]
    walked = [item["id"] for item in _walk(api, "/transfers", account_id=SAVINGS, first=first)]
    assert walked == expected


def test_walk_is_stable_while_new_items_arrive(mock: Mock, api: httpx.Client) -> None:
    for number in range(60):
        mock.store.add_transfer(_transfer(mock, number - 600, number))  # all in the past
    before = {t.id for t in mock.store.transfers.values() if t.touches(SAVINGS)}
    seen: list[str] = []
    after: str | None = None
    pages = 0
    while True:
        params: dict[str, str | int] = {"account_id": SAVINGS, "first": 9}
        if after:
            params["after"] = after
        body = api.get("/transfers", params=params).json()
        seen.extend(item["id"] for item in body["data"])
        # Between pages: a manual transfer through the API and two stored ones.
        mock.clock.advance(1)
        created = api.post(
            "/transfers",
            json={
                "source_account_id": CHECKING,
                "destination_account_id": SAVINGS,
                "amount_in_cents": 100,
            },
        )
        assert created.status_code == 201
        mock.store.add_transfer(_transfer(mock, 0, pages))
        pages += 1
        if not body["page_info"]["has_next_page"]:
            break
        after = body["page_info"]["end_cursor"]
    assert len(seen) == len(set(seen)), "no item twice"
    assert before <= set(seen), "every item present at the start is seen"
    assert set(seen) == before, "items created during the walk sort before the cursor"


def test_walk_is_stable_while_another_thread_inserts(mock: Mock, api: httpx.Client) -> None:
    for number in range(200):
        mock.store.add_transfer(_transfer(mock, number - 600, number))
    before = [t.id for t in mock.store.transfers.values() if t.touches(SAVINGS)]
    stop = threading.Event()
    added: list[str] = []

    def writer() -> None:
        while not stop.is_set():
            transfer = _transfer(mock, 0, len(added))
            mock.store.add_transfer(transfer)
            added.append(transfer.id)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        walked = [item["id"] for item in _walk(api, "/transfers", account_id=SAVINGS, first=7)]
    finally:
        stop.set()
        thread.join()
    assert added, "the writer ran during the walk"
    assert len(walked) == len(set(walked)), "no item twice"
    assert set(before) <= set(walked), "every item older than the walk, once"
    assert set(walked) <= set(before) | set(added)
    late = [ident for ident in walked if ident in added]
    assert late == walked[: len(late)], "only items there before the first page, at its top"


def test_empty_page_has_null_cursor(api: httpx.Client) -> None:
    body = api.get("/transfers", params={"account_id": "acc_01HZZZ0000"}).json()
    assert body["data"] == []
    assert body["page_info"] == {"has_next_page": False, "end_cursor": None}


def test_last_page_keeps_its_cursor(mock: Mock, api: httpx.Client) -> None:
    body = api.get("/rule-executions", params={"rule_id": "rule_01HXYZ1234"}).json()
    assert [item["id"] for item in body["data"]] == ["rex_01HABC4567", "rex_01HJKL0002"]
    assert body["page_info"]["has_next_page"] is False
    cursor = body["page_info"]["end_cursor"]
    assert cursor.startswith("cursor_")
    following = api.get("/rule-executions", params={"rule_id": "rule_01HXYZ1234", "after": cursor})
    assert following.json()["data"] == []


@pytest.mark.parametrize("after", ["zz", "cursor_", "cursor_abc-def", "cursor_01H/..", "CURSOR_01"])
def test_invalid_cursor_is_400(mock: Mock, api: httpx.Client, after: str) -> None:
    response = api.get("/transfers", params={"account_id": SAVINGS, "after": after})
    assert response.status_code == 400
    assert "cursor" in response.json()["error"]["message"].lower()
    mock.conforms("listTransfers", response)


@pytest.mark.parametrize("first", ["0", "101", "-1", "ten", "1.5", ""])
def test_first_out_of_bounds_is_400(mock: Mock, api: httpx.Client, first: str) -> None:
    response = api.get("/transfers", params={"account_id": SAVINGS, "first": first})
    assert response.status_code == 400
    assert "`first`" in response.json()["error"]["message"]


def test_any_well_formed_cursor_is_a_position(api: httpx.Client) -> None:
    response = api.get("/transfers", params={"account_id": SAVINGS, "after": "cursor_01HGHI7890"})
    assert response.status_code == 200


def test_cursor_round_trip() -> None:
    key = sort_key(ManualClock().now(), "txr_01HABC1111")
    assert decode_cursor(encode_cursor(key)) == key
    assert encode_cursor(key).removeprefix("cursor_").isalnum()
    assert sort_key(ManualClock().now(), "odd id!").endswith("6f6464206964 21".replace(" ", ""))


def test_ids_that_differ_only_in_prefix_at_one_moment_are_all_walked(
    mock: Mock, api: httpx.Client
) -> None:
    """Fixture ids need no common prefix: each keeps its own place in the keyset order."""
    moment = mock.store.clock.now() + timedelta(seconds=5)
    ids = ["txr_A1", "tzz_A1", "A1", "txr_A1x"]
    for ident in ids:
        template = _transfer(mock, 5, 0)
        mock.store.add_transfer(
            Transfer(
                id=ident,
                amount_in_cents=100,
                direction="internal",
                origin="user",
                status="complete",
                source=template.source,
                destination=template.destination,
                created=moment,
            )
        )
    walked = [str(item["id"]) for item in _walk(api, "/transfers", account_id=SAVINGS, first=1)]
    assert sorted(walked[: len(ids)]) == sorted(ids)
    assert len(walked) == len(set(walked))


def test_page_request_refuses_a_missing_first_rather_than_guessing() -> None:
    with pytest.raises(ApiError, match="first") as raised:
        PageRequest.from_query({})
    assert raised.value.status == 400


def test_defaults_and_bounds_come_from_the_spec(tmp_path: Path) -> None:
    document = copy.deepcopy(load_spec())
    first = document["components"]["parameters"]["First"]["schema"]
    first.update(default=3, maximum=5)
    for parameter in document["paths"]["/transfers"]["get"]["parameters"]:
        if parameter.get("name") == "account_role":
            parameter["schema"]["default"] = "destination"
    spec = tmp_path / "openapi.yaml"
    spec.write_text(yaml.safe_dump(document), encoding="utf-8")
    app = create_app(spec=spec)
    with httpx.Client(
        base_url="http://mock.test/api/v1",
        headers={"Authorization": "ApiKey demo-all"},
        transport=SyncASGITransport(app),
    ) as client:
        for amount in range(100, 106):
            body = {"source_account_id": CHECKING, "destination_account_id": SAVINGS}
            created = client.post("/transfers", json={**body, "amount_in_cents": amount})
            assert created.status_code == 201, created.text
        page = client.get("/transfers", params={"account_id": SAVINGS}).json()
        as_source = client.get("/transfers", params={"account_id": CHECKING}).json()
        too_many = client.get("/transfers", params={"account_id": SAVINGS, "first": 6})

    assert too_many.status_code == 400
    assert "`first`" in too_many.json()["error"]["message"]
    assert len(page["data"]) == 3
    assert page["page_info"]["has_next_page"] is True
    assert {item["destination"]["id"] for item in page["data"]} == {SAVINGS}
    sources_only = [item for item in as_source["data"] if item["destination"]["id"] != CHECKING]
    assert sources_only == [], "the spec's default role keeps CHECKING's outgoing transfers out"


def test_index_pages_by_keyset_and_time_bounds() -> None:
    class Item:
        def __init__(self, key: str) -> None:
            self.key = key

    index: SortedIndex[Item] = SortedIndex()
    for key in ["00000000000000003b", "00000000000000001a", "00000000000000002a"]:
        index.add(Item(key))  # out of order: insert in place
    assert [i.key for i in index.page(10)[0]] == [
        "00000000000000003b",
        "00000000000000002a",
        "00000000000000001a",
    ]
    items, more = index.page(1, before="00000000000000003b")
    assert [i.key for i in items] == ["00000000000000002a"]
    assert more
    assert [i.key for i in index.page(10, since_micros=2, until_micros=2)[0]] == [
        "00000000000000002a"
    ]
    assert index.page(10, keep=lambda item: item.key.endswith("b"))[0][0].key.endswith("3b")
    with pytest.raises(ValueError, match="newer"):
        index.extend_sorted([Item("00000000000000000a")])


def test_filters_combine_with_paging(mock: Mock, api: httpx.Client) -> None:
    walked = _walk(api, "/transfers", account_id=CHECKING, status="complete", first=2)
    assert walked
    assert all(item["status"] == "complete" for item in walked)
    full = [i for i in _walk(api, "/transfers", account_id=CHECKING) if i["status"] == "complete"]
    assert walked == full


def test_from_and_to_bound_creation_time_inclusively(api: httpx.Client) -> None:
    body = api.get(
        "/transfers",
        params={
            "account_id": CHECKING,
            "from": "2024-04-20T08:00:05Z",
            "to": "2024-04-23T09:00:00Z",
        },
    ).json()
    assert [item["id"] for item in body["data"]] == [
        "txr_01HABC0999",
        "txr_01HDEF3333",
        "txr_01HDEF2222",
    ]


def test_offsets_in_time_filters_are_understood(api: httpx.Client) -> None:
    body = api.get(
        "/transfers",
        params={"account_id": CHECKING, "to": "2024-04-23T11:00:00+02:00", "first": 1},
    ).json()
    assert body["data"][0]["id"] == "txr_01HABC0999"


@pytest.mark.parametrize(
    "path", ["/transfers", "/rule-executions", "/cards/card_01HABC4567/transactions"]
)
def test_time_filters_at_the_edge_of_the_calendar_are_no_500(api: httpx.Client, path: str) -> None:
    """Found by nox -s fuzz: in UTC these valid times fall outside Python's datetime range."""
    scope = {
        "/transfers": {"account_id": CHECKING},
        "/rule-executions": {"rule_id": "rule_01HXYZ1234"},
    }
    early, late = "0001-01-01T00:17:15+22:44", "9999-12-31T23:00:00-05:00"
    nothing = api.get(path, params={**scope.get(path, {}), "to": early}).json()
    assert nothing["data"] == []
    everything = api.get(path, params={**scope.get(path, {}), "from": early, "to": late})
    assert everything.status_code == 200
    assert everything.json()["data"] == api.get(path, params=scope.get(path, {})).json()["data"]
