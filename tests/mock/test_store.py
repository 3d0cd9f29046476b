"""Writes are transactions: a failure after the mutation leaves the store as it was, releases the
Idempotency-Key, and answers one clean 500; the retry then makes exactly one object."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from sequence_contract.mock import Store
from sequence_contract.mock._errors import ApiError
from sequence_contract.mock.domain import Call, Reply
from sequence_contract.mock.domain import transfers as _transfers
from sequence_contract.mock.http._envelope import Answer
from sequence_contract.mock.state._idempotency import Slot
from sequence_contract.mock.state._index import SortedIndex
from sequence_contract.mock.state._records import Account, Rule, Transfer
from tests.fixtures.mock import Mock

RULE: dict[str, Any] = {
    "nickname": "written once",
    "status": "enabled",
    "trigger": {"type": "MANUAL", "account_id": "acc_01HGHI7890"},
    "steps": [{"conditions": None}],
}
TRANSFER = {
    "source_account_id": "acc_01HGHI7890",
    "destination_account_id": "acc_01HABC4567",
    "amount_in_cents": 1_000,
}
SPLIT = {"manual_execute_amount": 50_000}  # rule_01HMNO1357 splits it into transfers
# operationId, method, path, body, status, the collection that gains or changes one record.
WRITES = [
    ("createRule", "POST", "/rules", RULE, 201, "rules"),
    ("updateRule", "PUT", "/rules/rule_01HXYZ1234", RULE, 200, "rules"),
    ("deleteRule", "DELETE", "/rules/rule_01HXYZ1234", None, 204, "rules"),
    ("triggerRule", "POST", "/rules/rule_01HMNO1357/trigger", SPLIT, 202, "executions"),
    ("createTransfer", "POST", "/transfers", TRANSFER, 201, "transfers"),
]
RECORDS = ("accounts", "rules", "executions", "transfers", "cards", "card_transactions")

Snapshot = dict[str, Any]


def _index_keys(indexes: Mapping[str, SortedIndex[Any]]) -> dict[str, list[str]]:
    return {
        owner: [item.key for item in index.page(len(index))[0]] for owner, index in indexes.items()
    }


def snapshot(store: Store) -> Snapshot:
    """Every record and index of ``store`` as plain data, copied."""
    return copy.deepcopy(
        {
            "accounts": {ident: account.doc for ident, account in store.accounts.items()},
            "rules": {ident: (rule.doc, rule.is_supported) for ident, rule in store.rules.items()},
            "executions": {ident: item.doc for ident, item in store.executions.items()},
            "transfers": {ident: item.to_doc() for ident, item in store.transfers.items()},
            "cards": store.cards,
            "card_transactions": {
                ident: item.doc for ident, item in store.card_transactions.items()
            },
            "transfers_by_account": _index_keys(store.transfers_by_account),
            "executions_by_rule": _index_keys(store.executions_by_rule),
            "transactions_by_card": _index_keys(store.transactions_by_card),
            "pending_effects": store.pending_effects(),
        }
    )


def changed(before: Snapshot, after: Snapshot) -> dict[str, set[str]]:
    """Per record collection, the ids added or modified."""
    found = {}
    for name in RECORDS:
        ids = {ident for ident, value in after[name].items() if before[name].get(ident) != value}
        if ids:
            found[name] = ids
    return found


def _request(api: httpx.Client, method: str, path: str, body: object) -> httpx.Response:
    return api.request(method, path, json=body, headers={"Idempotency-Key": "retry-me"})


def _written(mock: Mock, before: Snapshot) -> None:
    assert snapshot(mock.store) != before, "the failure must come after a mutation"


def _fail_in_handler(mock: Mock, monkeypatch: pytest.MonkeyPatch, operation_id: str) -> None:
    """The handler does its whole write, then raises (a bug after the mutation)."""
    handlers = mock.app.state.handlers
    real = handlers[operation_id]
    before = snapshot(mock.store)

    def write_then_fail(call: Call) -> Reply:
        real(call)
        _written(mock, before)
        raise RuntimeError("injected after the write")

    monkeypatch.setitem(handlers, operation_id, write_then_fail)


def _fail_in_serialiser(mock: Mock, monkeypatch: pytest.MonkeyPatch, operation_id: str) -> None:
    before = snapshot(mock.store)

    def unserialisable(*args: object, **kwargs: object) -> bytes:
        _written(mock, before)
        raise RecursionError("injected while serialising the answer")

    monkeypatch.setattr("sequence_contract.mock.http._pipeline.success_body", unserialisable)


def _fail_in_commit(mock: Mock, monkeypatch: pytest.MonkeyPatch, operation_id: str) -> None:
    before = snapshot(mock.store)

    def unstorable(self: Slot[Answer], response: object) -> None:
        _written(mock, before)
        raise MemoryError("injected while storing the answer for replay")

    monkeypatch.setattr(Slot, "commit", unstorable)


Inject = Callable[[Mock, pytest.MonkeyPatch, str], None]
FAILURES: list[tuple[str, Inject]] = [
    ("handler", _fail_in_handler),
    ("serialiser", _fail_in_serialiser),
    ("commit", _fail_in_commit),
]
CASES = [
    pytest.param(inject, *write, id=f"{write[0]}-{name}")
    for name, inject in FAILURES
    for write in WRITES
    if not (name == "serialiser" and write[4] == 204)  # a 204 has no body to serialise
]


@pytest.mark.parametrize(
    ("inject", "operation_id", "method", "path", "body", "status", "grows"), CASES
)
def test_a_failure_after_the_write_leaves_the_store_unchanged_and_the_retry_writes_once(
    mock: Mock,
    api: httpx.Client,
    monkeypatch: pytest.MonkeyPatch,
    inject: Inject,
    operation_id: str,
    method: str,
    path: str,
    body: object,
    status: int,
    grows: str,
) -> None:
    before = snapshot(mock.store)
    with monkeypatch.context() as patch:
        patch.setattr("sequence_contract.mock.http._pipeline.LOG.disabled", True)
        inject(mock, patch, operation_id)
        failed = _request(api, method, path, body)
    assert failed.status_code == 500
    assert failed.json() == {
        "error": {"code": "internal_server_error", "message": "An unexpected error occurred."}
    }
    assert failed.headers["X-Request-ID"].startswith("req_")
    mock.conforms(operation_id, failed)
    assert snapshot(mock.store) == before

    retried = _request(api, method, path, body)
    assert retried.status_code == status, retried.text
    assert "Idempotent-Replayed" not in retried.headers  # the key was released: it ran again
    after = snapshot(mock.store)
    made = changed(before, after)
    assert len(made.pop(grows)) == 1
    if operation_id == "triggerRule":  # the execution's own transfers, and nothing else
        (execution,) = (
            e for e in mock.store.executions.values() if e.id not in before["executions"]
        )
        assert execution.doc["transfer_ids"], "the trigger must start transfers (and schedule)"
        assert made.pop("transfers") == set(execution.doc["transfer_ids"])
    assert made == {}

    replayed = _request(api, method, path, body)
    assert replayed.headers["Idempotent-Replayed"] == "true"
    assert replayed.content == retried.content
    assert snapshot(mock.store) == after


def test_a_refusal_after_a_change_rolls_it_back_and_is_replayed(
    mock: Mock, api: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An ``ApiError`` is an answer like any other: remembered for the key, with nothing done."""
    handlers = mock.app.state.handlers
    real = handlers["createRule"]

    def write_then_refuse(call: Call) -> Reply:
        real(call)
        raise ApiError(422, "invalid_rule", "Refused after the write.")

    monkeypatch.setitem(handlers, "createRule", write_then_refuse)
    before = snapshot(mock.store)
    first = _request(api, "POST", "/rules", RULE)
    assert first.status_code == 422
    assert snapshot(mock.store) == before
    again = _request(api, "POST", "/rules", RULE)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.content == first.content


def test_a_failing_fingerprint_holds_no_key(
    mock: Mock, api: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(mock.store)
    with monkeypatch.context() as patch:
        patch.setattr("sequence_contract.mock.http._pipeline.LOG.disabled", True)
        patch.setattr(
            "sequence_contract.mock.state._idempotency.fingerprint",
            lambda path, body: [][0],  # IndexError, as any bug would
        )
        assert _request(api, "POST", "/transfers", TRANSFER).status_code == 500
    assert snapshot(mock.store) == before
    assert _request(api, "POST", "/transfers", TRANSFER).status_code == 201


def _transfer(store: Store, ident: str, seconds_ago: float) -> Transfer:
    return Transfer(
        id=ident,
        amount_in_cents=100,
        direction="internal",
        origin="user",
        status="processing",
        source=store.party("acc_01HGHI7890"),
        destination=store.party("acc_01HABC4567"),
        created=store.now() - timedelta(seconds=seconds_ago),
    )


def _change_everything_then_fail(store: Store, before: Snapshot) -> None:
    with store.transaction():
        store.add_rule(Rule({"id": "rule_new", "status": "disabled"}))
        rule = store.rules["rule_01HXYZ1234"]
        store.update_rule(rule, {"nickname": "changed", "status": "disabled"}, is_supported=False)
        store.add_transfer(_transfer(store, "txr_old", seconds_ago=10**9))  # sorts first
        store.add_transfer(_transfer(store, "txr_new", seconds_ago=0))
        store.party("acc_01HDEF0123")
        store.schedule(store.now(), lambda due: None)
        assert snapshot(store) != before
        raise LookupError("roll back")


def test_a_rolled_back_transaction_undoes_every_kind_of_change(mock: Mock) -> None:
    store = mock.store
    store.schedule(store.now(), lambda due: None)  # an effect that was already waiting
    before = snapshot(store)
    with pytest.raises(LookupError, match="roll back"):
        _change_everything_then_fail(store, before)
    assert snapshot(store) == before
    assert store.rules["rule_01HXYZ1234"].is_supported
    assert store.pending_effects() == 1


def test_transactions_do_not_nest(mock: Mock) -> None:
    with mock.store.transaction(), pytest.raises(RuntimeError, match="do not nest"):
        mock.store.transaction().__enter__()


def test_a_committed_transaction_keeps_its_changes(mock: Mock) -> None:
    with mock.store.transaction():
        mock.store.add_transfer(_transfer(mock.store, "txr_kept", seconds_ago=0))
    index = mock.store.transfers_by_account["acc_01HGHI7890"]
    assert "txr_kept" in mock.store.transfers
    assert index.page(1)[0][0].id == "txr_kept"


def test_a_due_effect_that_fails_midway_is_rolled_back_and_the_others_apply(
    mock: Mock, api: httpx.Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Settling a transfer moves the source's balance, then the destination's: a bug between
    the two must not leave money gone from one account and never arrived in the other, nor fail
    the unrelated request that happened to let the clock's effects run."""
    first = api.post("/transfers", json=TRANSFER).json()["data"]["id"]
    second = api.post("/transfers", json=TRANSFER).json()["data"]["id"]
    before = snapshot(mock.store)
    real_move = _transfers._move
    calls: list[str] = []

    def fail_on_the_destination(store: Store, account: Account, delta: int, due: datetime) -> None:
        real_move(store, account, delta, due)
        calls.append(account.doc["id"])
        if len(calls) == 2:  # the first transfer's destination, after its source
            raise RuntimeError("injected between the two balances")

    monkeypatch.setattr(_transfers, "_move", fail_on_the_destination)
    mock.clock.advance(5)
    with caplog.at_level("ERROR", logger="sequence_contract.mock"):
        answer = api.get(f"/transfers/{second}")
    assert answer.status_code == 200, "the request that ran the effects is served"
    assert answer.json()["data"]["status"] == "complete", "the effect after the failure applied"
    after = snapshot(mock.store)
    assert after["transfers"][first] == before["transfers"][first], "the failed one: untouched"
    assert after["pending_effects"] == 0
    delta = 1_000  # TRANSFER's amount
    for account, sign in (
        (TRANSFER["source_account_id"], -1),
        (TRANSFER["destination_account_id"], 1),
    ):
        was = before["accounts"][account]["balance"]["available_balance_in_cents"]
        now = after["accounts"][account]["balance"]["available_balance_in_cents"]
        assert now == was + sign * delta, "one transfer's worth moved, not one and a half"
    assert any("rolled back" in record.getMessage() for record in caplog.records)
