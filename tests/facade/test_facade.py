"""The generated facade against the embedded mock: resources, paging, bodies, raw responses,
options that share the pool, typed errors, and what importing it loads."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sequence_api_client.api.accounts import get_account, list_accounts
from sequence_api_client.api.transfers import list_transfers
from sequence_api_client.models import Account, CreateTransferInput, Transfer

from sequence_contract import (
    AsyncSequence,
    ConflictError,
    NotFoundError,
    Page,
    Sequence,
    SequenceError,
    call,
    connect,
    connect_async,
    paginate,
)
from sequence_contract.mock import create_app
from sequence_contract.testing import SyncASGITransport
from tests.facade import user_example
from tests.fixtures.generated import RULE, rule_input

ROOT = Path(__file__).resolve().parents[2]
MOCK_URL = "http://mock.test/api/v1"
ACCOUNT = "acc_01HGHI7890"
OTHER = "acc_01HABC4567"


@pytest.fixture
def client() -> Iterator[Sequence]:
    with Sequence("demo-all", base_url=MOCK_URL, transport=SyncASGITransport(create_app())) as c:
        yield c


def recording(app: object, seen: list[httpx.Request]) -> httpx.BaseTransport:
    inner = SyncASGITransport(app)  # type: ignore[arg-type]

    class Recording(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            seen.append(request)
            return inner.handle_request(request)

        def close(self) -> None:
            inner.close()

    return Recording()


@pytest.mark.parametrize(("cls", "connects"), [(Sequence, connect), (AsyncSequence, connect_async)])
def test_the_constructor_takes_what_connect_takes(
    cls: type[Sequence] | type[AsyncSequence], connects: Callable[..., object]
) -> None:
    """A new connect() option fails this test until the facade's constructors take it too
    (one parameter line each; the body passes every argument through)."""
    parameters = inspect.signature(cls).parameters
    assert list(parameters) == [
        "api_key",
        "base_url",
        "timeout",
        "max_retries",
        "retry_policy",
        "headers",
        "transport",
        "validate",
        "spec",
        "record",
    ]
    assert parameters["max_retries"].default == 2
    assert parameters["validate"].default == "off"
    expected = inspect.signature(connects).parameters
    assert list(parameters) == list(expected)
    for name, parameter in parameters.items():
        assert parameter.default == expected[name].default, name
        assert parameter.kind == expected[name].kind, name


def test_a_users_file_runs() -> None:
    lines = user_example.main(SyncASGITransport(create_app()))
    assert lines == [
        "Chase Checking ••4567",
        "processing 1200",
        "3 True",
        f"200 {ACCOUNT}",
        "404 account_not_found",
    ]


def test_methods_return_the_generated_models(client: Sequence) -> None:
    assert isinstance(client.accounts.get(ACCOUNT), Account)
    transfer = client.transfers.create(
        source_account_id=ACCOUNT, destination_account_id=OTHER, amount_in_cents=2500
    )
    assert isinstance(transfer, Transfer)
    assert client.transfers.get(transfer.id).id == transfer.id
    assert [a.id for a in client.accounts.list()] == [
        a.id
        for a in call(
            list_accounts.sync_detailed,
            client=client._client,
        )
    ]


def test_paged_lists_walk_every_page_and_first_is_the_page_size() -> None:
    seen: list[httpx.Request] = []
    app = create_app()
    with Sequence("demo-all", base_url=MOCK_URL, transport=recording(app, seen)) as client:
        items = list(client.transfers.list(account_id=ACCOUNT, first=2))
        every = list(
            paginate(
                list_transfers.sync_detailed,
                client=client._client,
                account_id=ACCOUNT,
            )
        )
    assert [t.id for t in items] == [t.id for t in every]
    pages_asked = [r for r in seen if r.url.path.endswith("/transfers")][:-1]
    assert len(items) > 2
    assert {r.url.params["first"] for r in pages_asked} == {"2"}
    assert len(pages_asked) >= len(items) // 2


def test_pages_yield_items_has_next_page_and_end_cursor(client: Sequence) -> None:
    pages = list(client.transfers.list(account_id=ACCOUNT, first=2).pages())
    assert all(isinstance(page, Page) for page in pages)
    assert all(page.has_next_page and page.end_cursor for page in pages[:-1])
    assert not pages[-1].has_next_page
    assert sum(len(page.items) for page in pages) == len(
        list(client.transfers.list(account_id=ACCOUNT))
    )


def test_an_unpaged_list_returns_its_list(client: Sequence) -> None:
    accounts = client.accounts.list()
    assert isinstance(accounts, list)
    assert accounts


def test_body_fields_or_the_model_but_not_both(client: Sequence) -> None:
    body = CreateTransferInput(ACCOUNT, OTHER, amount_in_cents=300)
    assert client.transfers.create(body=body).amount_in_cents == 300
    with pytest.raises(TypeError, match="not both"):
        client.transfers.create(body=body, amount_in_cents=400)  # type: ignore[call-overload]
    with pytest.raises(TypeError):
        client.transfers.create(source_account_id=ACCOUNT)  # type: ignore[call-overload]


def test_request_id_and_idempotency_key_reach_the_wire() -> None:
    seen: list[httpx.Request] = []
    with Sequence("demo-all", base_url=MOCK_URL, transport=recording(create_app(), seen)) as c:
        c.accounts.get(ACCOUNT, request_id="req-mine")
        first = c.transfers.create(
            source_account_id=ACCOUNT,
            destination_account_id=OTHER,
            amount_in_cents=700,
            idempotency_key="key-1",
        )
        replay = c.transfers.create(
            source_account_id=ACCOUNT,
            destination_account_id=OTHER,
            amount_in_cents=700,
            idempotency_key="key-1",
        )
        c.transfers.create(
            source_account_id=ACCOUNT, destination_account_id=OTHER, amount_in_cents=701
        )
    assert seen[0].headers["X-Request-ID"] == "req-mine"
    assert seen[1].headers["Idempotency-Key"] == "key-1"
    assert replay.id == first.id  # the server replayed the first outcome
    assert seen[3].headers["Idempotency-Key"]  # the layer's own key for a write without one


def test_errors_are_the_layers_typed_errors(client: Sequence) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.rules.get("rule_01HNOTHERE0")
    assert caught.value.status_code == 404
    assert caught.value.operation == "getRule"
    with pytest.raises(SequenceError):
        client.transfers.create(
            source_account_id=ACCOUNT, destination_account_id=ACCOUNT, amount_in_cents=100
        )
    assert issubclass(ConflictError, SequenceError)


def test_a_write_that_fails_after_acting_says_its_outcome_is_unknown() -> None:
    app = create_app()
    inner = SyncASGITransport(app)

    class LosesTheAnswer(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            inner.handle_request(request)  # the server acts ...
            raise httpx.ReadError("connection lost", request=request)  # ... the answer is lost

        def close(self) -> None:
            inner.close()

    lossy = Sequence("demo-all", base_url=MOCK_URL, transport=LosesTheAnswer(), max_retries=0)
    with lossy as c, pytest.raises(SequenceError) as caught:
        c.transfers.create(
            source_account_id=ACCOUNT, destination_account_id=OTHER, amount_in_cents=900
        )
    error = caught.value
    assert error.outcome_unknown
    assert error.idempotency_key
    with Sequence("demo-all", base_url=MOCK_URL, transport=SyncASGITransport(app)) as c:
        finished = c.transfers.create(
            source_account_id=ACCOUNT,
            destination_account_id=OTHER,
            amount_in_cents=900,
            idempotency_key=error.idempotency_key,
        )
        made = [t for t in c.transfers.list(account_id=ACCOUNT) if t.amount_in_cents == 900]
    assert [t.id for t in made] == [finished.id]  # replayed, not made twice


def test_with_raw_response(client: Sequence) -> None:
    raw = client.with_raw_response.accounts.get(ACCOUNT, request_id="req-raw")
    assert raw.status_code == 200
    assert raw.request_id == "req-raw"
    assert raw.headers["content-type"].startswith("application/json")
    assert isinstance(raw.http_response, httpx.Response)
    assert json.loads(raw.http_response.content)["data"]["id"] == ACCOUNT
    assert isinstance(raw.parse(), Account)
    page = client.with_raw_response.transfers.list(account_id=ACCOUNT, first=2)
    assert page.parse().has_next_page
    assert len(page.parse().items) == 2
    with pytest.raises(NotFoundError):
        client.with_raw_response.accounts.get("acc_01HNOTHERE0")


def test_with_options_shares_the_connection_pool() -> None:
    opened: list[int] = []

    class Pool(httpx.BaseTransport):
        def __init__(self) -> None:
            self.inner = SyncASGITransport(create_app())
            self.closed = False
            opened.append(id(self))

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            return self.inner.handle_request(request)

        def close(self) -> None:
            self.closed = True
            self.inner.close()

    pool = Pool()
    client = Sequence("demo-all", base_url=MOCK_URL, transport=pool)
    quick = client.with_options(timeout=1.5, max_retries=0)
    assert quick.accounts.get(ACCOUNT).id == ACCOUNT
    assert quick._client._timeout == httpx.Timeout(1.5)
    assert quick._client._retry_policy.max_retries == 0
    assert client._client._retry_policy.max_retries == 2
    quick.close()
    assert not pool.closed  # the copy leaves the pool to its original
    client.close()
    assert pool.closed
    assert len(opened) == 1


def test_with_options_on_the_network_transport_reuses_it() -> None:
    client = Sequence("demo-all", base_url="http://sequence.test/api/v1")
    copy = client.with_options(max_retries=1)
    original = client._client.get_httpx_client()._transport
    shared = copy._client.get_httpx_client()._transport
    assert shared is not original
    assert shared._inner._inner is original._inner._inner  # type: ignore[attr-defined]
    client.close()


def test_repr_masks_the_key() -> None:
    client = Sequence("sk_live_secret_value", base_url=MOCK_URL)
    assert "sk_live" not in repr(client)
    assert "sk_live" not in repr(client.with_options(max_retries=0))


def test_call_and_paginate_keep_working_beside_it(client: Sequence) -> None:
    with connect("demo-all", base_url=MOCK_URL, transport=SyncASGITransport(create_app())) as c:
        assert call(get_account.sync_detailed, ACCOUNT, client=c).id == ACCOUNT


def test_importing_the_facade_loads_no_operation_module() -> None:
    probe = (
        "import sys; from sequence_contract import Sequence, AsyncSequence; "
        "c = Sequence('k', base_url='http://x.test'); "
        "before = sorted(m for m in sys.modules if m.startswith('sequence_api_client.api.')); "
        "c.accounts; "
        "after = sorted(m for m in sys.modules if m.startswith('sequence_api_client.api.')); "
        "print(before, after, 'sequence_facade.resources.rules' in sys.modules)"
    )
    source = os.pathsep.join((str(ROOT / "src"), str(ROOT / "generated")))  # what is edited
    done = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": source},
    )
    before, rest = done.stdout.split("] ", 1)
    assert before == "["
    assert "sequence_api_client.api.accounts.get_account" in rest
    assert "sequence_api_client.api.rules" not in rest
    assert rest.strip().endswith("False")


def test_rule_writes_with_fields_and_with_the_model(client: Sequence) -> None:
    body = rule_input()
    made = client.rules.create(body=body)
    same = client.rules.create(
        status=body.status, trigger=body.trigger, steps=body.steps, nickname="By keywords"
    )
    assert same.nickname == "By keywords"
    assert made.id != same.id
    updated = client.rules.update(
        same.id, status="disabled", trigger=body.trigger, steps=body.steps, description="Paused"
    )
    assert updated.description == "Paused"
    result = client.rules.trigger(RULE, manual_execute_amount=1500)
    assert result is not None
    client.rules.delete(made.id, idempotency_key="delete-once")
    with pytest.raises(NotFoundError):
        client.rules.get(made.id)
