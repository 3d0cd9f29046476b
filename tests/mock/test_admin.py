"""The admin API under /_mock: state, fixtures, clock, journal, scenarios, Prefer, access, seed."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from starlette.types import ASGIApp

from sequence_contract.mock import ManualClock, SystemClock, create_app, serve
from sequence_contract.mock._control import admin_spec
from sequence_contract.mock.http._admin import TABLE
from sequence_contract.mock.http._pipeline import Dropped
from sequence_contract.mock.state._journal import Journal
from tests.fixtures.mock import Mock

ADMIN = "http://mock.test/_mock"
CHECKING, SAVINGS, EMPTY = "acc_01HGHI7890", "acc_01HABC4567", "acc_01HSTU0002"


class Caller:
    """Requests to an app from a client address of our choosing (in-process, one loop each)."""

    def __init__(self, app: ASGIApp, client: tuple[str, int] = ("127.0.0.1", 50000)) -> None:
        self.app, self.address = app, client
        self.headers: dict[str, str] = {}

    def request(self, method: str, path: str, **options: Any) -> httpx.Response:  # noqa: ANN401
        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app, client=self.address)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://mock.test", headers=self.headers
            ) as client:
                return await client.request(method, path, **options)

        return asyncio.run(send())

    def get(self, path: str, **options: Any) -> httpx.Response:  # noqa: ANN401
        return self.request("GET", path, **options)

    def post(self, path: str, **options: Any) -> httpx.Response:  # noqa: ANN401
        return self.request("POST", path, **options)


def _transfer(api: httpx.Client, amount: int = 1_000, key: str | None = None) -> httpx.Response:
    body = {"source_account_id": CHECKING, "destination_account_id": SAVINGS}
    headers = {} if key is None else {"Idempotency-Key": key}
    return api.post("/transfers", json={**body, "amount_in_cents": amount}, headers=headers)


def _scenario(admin: httpx.Client, **doc: Any) -> str:  # noqa: ANN401
    response = admin.post(f"{ADMIN}/scenarios", json=doc)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


@pytest.fixture
def admin(mock: Mock) -> httpx.Client:
    return mock.client(key=None)


# -- the document ------------------------------------------------------------------------------


def test_every_admin_operation_has_a_function_and_the_document_is_served(
    admin: httpx.Client,
) -> None:
    spec = admin_spec()
    assert {op.operation_id for op in spec.operations} == set(TABLE)
    served = admin.get(f"{ADMIN}/openapi.json")
    assert served.status_code == 200
    assert served.json()["openapi"] == "3.1.0"


def test_errors_are_the_envelope_naming_the_field(admin: httpx.Client) -> None:
    response = admin.post(f"{ADMIN}/clock/advance", json={"seconds": "soon"})
    assert response.status_code == 400
    assert "seconds" in response.json()["error"]["message"]
    unknown = admin.get(f"{ADMIN}/nothing-here")
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "not_found"


# -- state and fixtures ------------------------------------------------------------------------


def test_reset_restores_fixtures_and_clears_scenarios_journal_and_slots(
    mock: Mock, api: httpx.Client, admin: httpx.Client
) -> None:
    created = _transfer(api, key="k-1").json()["data"]["id"]
    _scenario(admin, operation="getAccount", then={"status": 503})
    mock.clock.advance(30)
    assert admin.post(f"{ADMIN}/reset").status_code == 204
    assert created not in {t["id"] for t in admin.get(f"{ADMIN}/state").json()["transfers"]}
    assert admin.get(f"{ADMIN}/scenarios").json() == {"data": []}
    assert admin.get(f"{ADMIN}/requests").json() == {"data": []}
    again = _transfer(api, key="k-1")  # the slot is gone: a new transfer, not a replay
    assert again.status_code == 201
    assert "idempotent-replayed" not in again.headers
    assert admin.get(f"{ADMIN}/clock").json() == {"now": "2024-05-01T12:00:30Z"}  # kept


def test_state_lists_every_resource_as_the_api_shows_it(
    api: httpx.Client, admin: httpx.Client
) -> None:
    state = admin.get(f"{ADMIN}/state").json()
    assert set(state) == {
        "accounts", "rules", "rule_executions", "transfers", "cards", "card_transactions",
    }  # fmt: skip
    account = next(a for a in state["accounts"] if a["id"] == CHECKING)
    assert account == api.get(f"/accounts/{CHECKING}").json()["data"]


def test_put_fixtures_replaces_the_organisation(api: httpx.Client, admin: httpx.Client) -> None:
    state = admin.get(f"{ADMIN}/state").json()
    one = next(a for a in state["accounts"] if a["id"] == CHECKING)
    keys = [{"key": "only", "permissions": [{"scope": "LIST_ACCOUNTS"}]}]
    assert (
        admin.put(f"{ADMIN}/fixtures", json={"accounts": [one], "api_keys": keys}).status_code
        == 204
    )
    listed = admin.get("http://mock.test/api/v1/accounts", headers={"Authorization": "ApiKey only"})
    assert [a["id"] for a in listed.json()["data"]] == [CHECKING]
    assert api.get("/accounts").status_code == 401  # demo-all is gone with the old keys


def test_a_bad_fixture_names_member_entry_and_field_and_changes_nothing(
    admin: httpx.Client,
) -> None:
    before = admin.get(f"{ADMIN}/state").json()
    good = before["accounts"][0]
    bad = {**before["accounts"][1], "type": "piggy_bank"}
    response = admin.put(f"{ADMIN}/fixtures", json={"accounts": [good, bad]})
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert "accounts[1]" in message
    assert bad["id"] in message
    assert "type" in message
    assert admin.get(f"{ADMIN}/state").json() == before


# -- clock -------------------------------------------------------------------------------------


def test_advance_applies_what_came_due(api: httpx.Client, admin: httpx.Client) -> None:
    ident = _transfer(api).json()["data"]["id"]
    moved = admin.post(f"{ADMIN}/clock/advance", json={"seconds": 1.5})
    assert moved.json() == {"now": "2024-05-01T12:00:01.500Z"}
    transfers = admin.get(f"{ADMIN}/state").json()["transfers"]
    assert next(t for t in transfers if t["id"] == ident)["status"] == "complete"


def test_put_clock_moves_forward_only(admin: httpx.Client) -> None:
    ahead = admin.put(f"{ADMIN}/clock", json={"now": "2024-06-01T00:00:00Z"})
    assert ahead.json() == {"now": "2024-06-01T00:00:00Z"}
    back = admin.put(f"{ADMIN}/clock", json={"now": "2024-05-01T00:00:00Z"})
    assert back.status_code == 400
    assert back.json()["error"]["message"].startswith("now: the clock only moves forward")
    assert admin.get(f"{ADMIN}/clock").json() == {"now": "2024-06-01T00:00:00Z"}


def test_the_system_clock_moves_by_an_offset() -> None:
    clock = SystemClock()
    before = clock.now()
    after = clock.advance(3600)
    assert 3600 <= (after - before).total_seconds() < 3660
    with pytest.raises(ValueError, match="backwards"):
        clock.set(before)


def test_a_clock_without_advance_is_a_409() -> None:
    class Fixed:
        def now(self) -> Any:  # noqa: ANN401
            return ManualClock().now()

    client = Caller(create_app(clock=Fixed()))
    response = client.post("/_mock/clock/advance", json={"seconds": 1})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"


# -- journal -----------------------------------------------------------------------------------


def test_journal_newest_first_filtered_and_masked(api: httpx.Client, admin: httpx.Client) -> None:
    api.get(f"/accounts/{CHECKING}")
    _transfer(api, key="k-journal")
    api.get("/accounts/acc_nothing")
    entries = admin.get(f"{ADMIN}/requests").json()["data"]
    assert [e["operation_id"] for e in entries] == ["getAccount", "createTransfer", "getAccount"]
    assert [e["status"] for e in entries] == [404, 201, 200]
    assert entries[1]["idempotency_key"] == "k-journal"
    assert {e["api_key"] for e in entries} == {"de******"}
    assert "demo-all" not in json.dumps(entries)
    only = admin.get(f"{ADMIN}/requests", params={"operation": "getAccount", "status": 200})
    assert [e["status"] for e in only.json()["data"]] == [200]
    assert len(admin.get(f"{ADMIN}/requests", params={"limit": 1}).json()["data"]) == 1


def test_the_journal_keeps_the_newest_up_to_its_bound() -> None:
    journal = Journal(limit=3)
    clock = ManualClock()
    for number in range(5):
        journal.record(journal_entry(f"req_{number}", clock))
    assert [e.request_id for e in journal.read()] == ["req_4", "req_3", "req_2"]
    assert Journal().limit == 10_000


def journal_entry(request_id: str, clock: ManualClock) -> Any:  # noqa: ANN401
    from sequence_contract.mock.state._journal import Entry

    return Entry(request_id, clock.now(), "GET", "/api/v1/accounts", None, 200, None, "demo-all")


# -- scenarios ---------------------------------------------------------------------------------


def test_an_error_scenario_answers_its_envelope_and_changes_nothing(
    api: httpx.Client, admin: httpx.Client
) -> None:
    _scenario(
        admin,
        operation="createTransfer",
        body={"amount_in_cents": 777},
        then={"status": 422, "code": "insufficient_funds", "headers": {"Retry-After": "3"}},
    )
    other = _transfer(api, 500)  # the body does not match: served as usual
    assert other.status_code == 201
    steered = _transfer(api, 777)
    assert steered.status_code == 422
    assert steered.json()["error"]["code"] == "insufficient_funds"
    assert steered.headers["retry-after"] == "3"
    assert "x-request-id" in steered.headers
    assert _transfer(api, 777).status_code == 201  # times: 1
    amounts = [t["amount_in_cents"] for t in admin.get(f"{ADMIN}/state").json()["transfers"]]
    assert amounts.count(777) == 1


def test_a_scenario_for_another_key_leaves_this_one_alone(
    api: httpx.Client, admin: httpx.Client
) -> None:
    _scenario(admin, operation="listAccounts", api_key="demo-read", then={"status": 500})
    assert api.get("/accounts").status_code == 200
    listed = admin.get(f"{ADMIN}/scenarios").json()["data"]
    assert listed[0]["api_key"] == "******"
    assert listed[0]["times"] == 1


def test_error_after_commit_keeps_the_answer_for_the_retry(
    api: httpx.Client, admin: httpx.Client
) -> None:
    _scenario(
        admin, operation="createTransfer", then={"fault": "error_after_commit", "status": 503}
    )
    lost = _transfer(api, key="k-503")
    assert lost.status_code == 503
    assert lost.json()["error"]["code"] == "service_unavailable"
    retry = _transfer(api, key="k-503")
    assert retry.status_code == 201
    assert retry.headers["idempotent-replayed"] == "true"
    transfers = admin.get(f"{ADMIN}/state").json()["transfers"]
    assert [t["id"] for t in transfers].count(retry.json()["data"]["id"]) == 1
    assert sum(t["amount_in_cents"] == 1_000 for t in transfers if t["origin"] == "user") == 1


def test_drop_after_commit_over_a_real_connection() -> None:
    app = create_app(clock=ManualClock())
    body = {
        "source_account_id": CHECKING,
        "destination_account_id": SAVINGS,
        "amount_in_cents": 4_321,
    }
    with serve(app) as url:
        headers = {"Authorization": "ApiKey demo-all", "Idempotency-Key": "k-drop"}
        with httpx.Client(base_url=url, headers=headers) as client:
            scenario = {"operation": "createTransfer", "then": {"fault": "drop_after_commit"}}
            assert client.post("/_mock/scenarios", json=scenario).status_code == 201
            with pytest.raises(httpx.RemoteProtocolError):
                client.post("/api/v1/transfers", json=body)
            retry = client.post("/api/v1/transfers", json=body)
            assert retry.status_code == 201
            assert retry.headers["idempotent-replayed"] == "true"
            journal = client.get("/_mock/requests").json()["data"]
    assert [e["status"] for e in journal] == [201, None]
    stored = [t for t in app.state.store.transfers.values() if t.amount_in_cents == 4_321]
    assert len(stored) == 1


def test_drop_before_changes_nothing(api: httpx.Client, admin: httpx.Client) -> None:
    _scenario(admin, operation="createTransfer", then={"fault": "drop_before"})
    with pytest.raises(Dropped):  # in-process, the drop reaches the caller as an exception
        _transfer(api, 2_468, key="k-before")
    retry = _transfer(api, 2_468, key="k-before")
    assert retry.status_code == 201
    assert "idempotent-replayed" not in retry.headers
    amounts = [t["amount_in_cents"] for t in admin.get(f"{ADMIN}/state").json()["transfers"]]
    assert amounts.count(2_468) == 1


def test_delay_and_delete(api: httpx.Client, admin: httpx.Client) -> None:
    ident = _scenario(admin, operation="listAccounts", times=5, then={"delay": 0.01})
    assert api.get("/accounts").status_code == 200
    assert admin.get(f"{ADMIN}/scenarios").json()["data"][0]["times"] == 4
    assert admin.delete(f"{ADMIN}/scenarios/{ident}").status_code == 204
    assert admin.delete(f"{ADMIN}/scenarios/{ident}").status_code == 404


@pytest.mark.parametrize(
    ("doc", "named"),
    [
        ({"then": {"status": 503}}, "operation"),
        ({"operation": "makeCoffee", "then": {"status": 503}}, "operation"),
        (
            {"operation": "createTransfer", "then": {"fault": "error_after_commit", "status": 418}},
            "then",
        ),
        ({"operation": "teapot.brewed", "then": {"webhook": "drop"}}, "operation"),
        ({"operation": "createTransfer", "times": 0, "then": {"status": 503}}, "times"),
    ],
)
def test_bad_scenarios_are_400s_naming_the_field(
    admin: httpx.Client, doc: dict[str, Any], named: str
) -> None:
    response = admin.post(f"{ADMIN}/scenarios", json=doc)
    assert response.status_code == 400
    assert named in response.json()["error"]["message"]
    assert admin.get(f"{ADMIN}/scenarios").json() == {"data": []}


# -- Prefer ------------------------------------------------------------------------------------


def test_prefer_code_answers_the_documented_example_and_changes_nothing(
    api: httpx.Client, admin: httpx.Client
) -> None:
    before = admin.get(f"{ADMIN}/state").json()
    body = {"source_account_id": CHECKING, "destination_account_id": SAVINGS}
    response = api.post(
        "/transfers", json={**body, "amount_in_cents": 9_999}, headers={"Prefer": "code=403"}
    )
    assert response.status_code == 403
    assert set(response.json()["error"]) == {"code", "message"}
    created = api.get(f"/accounts/{CHECKING}", headers={"Prefer": "code=200"})
    assert created.status_code == 200
    assert "data" in created.json()
    assert admin.get(f"{ADMIN}/state").json() == before


def test_prefer_an_undocumented_code_is_a_400(api: httpx.Client) -> None:
    response = api.get(f"/accounts/{CHECKING}", headers={"Prefer": "code=418"})
    assert response.status_code == 400
    assert "code=418 is not documented for getAccount" in response.json()["error"]["message"]


# -- access ------------------------------------------------------------------------------------


def test_only_loopback_clients_without_a_token() -> None:
    app = create_app()
    remote = Caller(app, client=("10.1.2.3", 5555))
    refused = remote.get("/_mock/clock")
    assert refused.status_code == 403
    assert "loopback" in refused.json()["error"]["message"]
    assert Caller(app, client=("127.0.0.1", 5555)).get("/_mock/clock").status_code == 200


def test_a_token_opens_it_and_api_keys_never_do() -> None:
    app = create_app(admin_token="s3cret")  # noqa: S106 - a test token
    remote = Caller(app, client=("10.1.2.3", 5555))
    assert remote.get("/_mock/clock").status_code == 401
    assert (
        remote.get("/_mock/clock", headers={"Authorization": "ApiKey demo-all"}).status_code == 401
    )
    assert remote.get("/_mock/clock", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert remote.get("/_mock/clock", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    local = Caller(app)
    assert local.get("/_mock/clock").status_code == 401  # the token binds loopback too


# -- seed --------------------------------------------------------------------------------------


def test_a_seed_and_a_manual_clock_repeat_the_same_bytes() -> None:
    def run() -> list[bytes]:
        client = Caller(create_app(clock=ManualClock(), seed=7))
        client.headers["Authorization"] = "ApiKey demo-all"
        body = {
            "source_account_id": CHECKING,
            "destination_account_id": SAVINGS,
            "amount_in_cents": 100,
        }
        return [
            client.post("/api/v1/transfers", json=body).content,
            client.get(f"/api/v1/accounts/{CHECKING}").content,
            client.post("/api/v1/transfers", json=body).content,
        ]

    first, second = run(), run()
    assert first == second
    other = Caller(create_app(clock=ManualClock(), seed=8))
    other.headers["Authorization"] = "ApiKey demo-all"
    assert other.get(f"/api/v1/accounts/{CHECKING}").content != first[1]  # another request id
