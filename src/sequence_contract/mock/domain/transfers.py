"""Transfers: listTransfers, getTransfer, createTransfer, and their course over time: creation in
``processing``, settlement after the store's delay.

Settlement (at ``created + delay`` on the store's clock) checks the source's available balance:
enough → ``complete``, balances move (source available and current balance down; destination up,
or for a LIABILITY destination the amount owed down); not enough → ``incomplete`` with
``error_code: insufficient_funds``. A source without a known balance (an external account the
organisation cannot see) is assumed to have the funds.

Creation goes through the store's methods (``add_transfer``, ``schedule``), so it is undone with
a failed write; settlement is a scheduled effect and runs in ``Store.settle``, outside any write.

Approval (fixtures ``approvals``, see ``_approvals``): a createTransfer that matches starts in
``pending_approval``; the fixture's decision moves it to ``processing`` (then it settles one delay
later) or to ``cancelled``.

Webhooks: every new transfer publishes ``transfer.created`` (and ``transfer.approval_required``
when it starts in ``pending_approval``), every move ``transfer.status_changed`` with the previous
status (``Store.publish``: a write's events leave only when it commits).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .._errors import ApiError, bad_request, forbidden
from .._json import dumps
from ..state._clock import format_timestamp
from ..state._ids import IdFactory
from ..state._records import Account, Transfer
from ..state._store import Store
from ._call import Call, Reply
from ._pagination import PageRequest, read_page
from .approvals import Approval, first_match

PENDING_APPROVAL = "pending_approval"


def direction_between(source: Account, destination: Account) -> str:
    """money_out to an external account, money_in from one, internal otherwise."""
    if destination.doc.get("type") == "external_account":
        return "money_out"
    if source.doc.get("type") == "external_account":
        return "money_in"
    return "internal"


def refusal(source: Account, destination: Account) -> str | None:
    """Why no transfer may run between these accounts, or None. The one check for every
    transfer: createTransfer answers 400 with it; a rule's move fails with
    ``payment_not_supported``."""
    if source.id == destination.id:
        return "Source and destination must be different accounts."
    if source.doc.get("can_be_source") is False:
        return f"Account {source.id} cannot be a transfer source."
    if destination.doc.get("can_be_destination") is False:
        return f"Account {destination.id} cannot be a transfer destination."
    return None


def start_transfer(
    store: Store,
    ids: IdFactory,
    source: Account,
    destination: Account,
    amount: int,
    *,
    origin: str,
    description: str | None = None,
    rule_id: str | None = None,
    rule_execution_id: str | None = None,
) -> Transfer:
    """Create a ``processing`` transfer and schedule its settlement (a createTransfer that an
    approval entry matches: ``pending_approval``, and schedule the decision instead)."""
    approval = None
    if origin == "user":
        approval = first_match(store.approvals, source.id, destination.id, amount)
    transfer = _record(
        store,
        ids,
        source,
        destination,
        amount,
        origin,
        "processing" if approval is None else PENDING_APPROVAL,
        rule_id,
        rule_execution_id,
        description=description,
    )
    if approval is None:
        _schedule_settlement(store, transfer, transfer.created)
    else:
        wait = store.delay if approval.after is None else timedelta(seconds=approval.after)
        store.schedule(transfer.created + wait, lambda due: decide(store, transfer, approval, due))
    return transfer


def _schedule_settlement(store: Store, transfer: Transfer, start: datetime) -> None:
    store.schedule(start + store.delay, lambda due: settle_transfer(store, transfer, due))


def decide(store: Store, transfer: Transfer, approval: Approval, due: datetime) -> None:
    """The fixture's human decides: approved → ``processing`` (settles a delay later)."""
    if transfer.status != PENDING_APPROVAL:
        return
    if approval.decision == "approve":
        move(store, transfer, "processing", due)
        _schedule_settlement(store, transfer, due)
    else:
        move(store, transfer, "cancelled", due)


def move(
    store: Store,
    transfer: Transfer,
    status: str,
    at: datetime,
    error_code: str | None = None,
    *,
    completed: datetime | None = None,
) -> None:
    """The one way a transfer changes status: the change, and its webhook event."""
    previous = transfer.status
    store.keep_transfer(transfer)
    if completed is not None:
        transfer.completed = completed
    transfer.set_status(status, error_code)
    data = {"transfer_id": transfer.id, "status": status, "previous_status": previous}
    store.publish("transfer.status_changed", data, key=transfer.id, at=at)


def failed_transfer(
    store: Store,
    ids: IdFactory,
    source: Account,
    destination: Account,
    amount: int,
    error_code: str,
    *,
    rule_id: str,
    rule_execution_id: str,
) -> Transfer:
    """A rule-made transfer that fails at once (e.g. below the one-dollar minimum)."""
    return _record(
        store,
        ids,
        source,
        destination,
        amount,
        "rule",
        "error",
        rule_id,
        rule_execution_id,
        error_code=error_code,
    )


def _record(
    store: Store,
    ids: IdFactory,
    source: Account,
    destination: Account,
    amount: int,
    origin: str,
    status: str,
    rule_id: str | None,
    rule_execution_id: str | None,
    *,
    description: str | None = None,
    error_code: str | None = None,
) -> Transfer:
    """The one place a new transfer is built and stored (complete before others can see it)."""
    now = store.now()
    transfer = Transfer(
        id=ids.new("txr_", now),
        amount_in_cents=amount,
        direction=direction_between(source, destination),
        origin=origin,
        status=status,
        source=store.party(source.id),
        destination=store.party(destination.id),
        created=now,
        rule_id=rule_id,
        rule_execution_id=rule_execution_id,
        description=description,
        error_code=error_code,
    )
    store.add_transfer(transfer)
    data = {"transfer_id": transfer.id, "status": status}
    store.publish("transfer.created", data, key=transfer.id, at=now)
    if status == PENDING_APPROVAL:
        store.publish("transfer.approval_required", dict(data), key=transfer.id, at=now)
    return transfer


def settle_transfer(store: Store, transfer: Transfer, due: datetime) -> None:
    if transfer.status != "processing":
        return
    source = store.accounts.get(transfer.source_id or "")
    destination = store.accounts.get(transfer.destination_id or "")
    if source is None or destination is None or source.deleted or destination.deleted:
        move(store, transfer, "error", due, "resource_deleted")
        return
    available = source.available()
    if available is not None and available < transfer.amount_in_cents:
        move(store, transfer, "incomplete", due, "insufficient_funds")
        return
    _move(store, source, -transfer.amount_in_cents, due)
    if destination.is_liability:
        _pay_down(store, destination, transfer.amount_in_cents, due)
    else:
        _move(store, destination, transfer.amount_in_cents, due)
    move(store, transfer, "complete", due, completed=due)


def _move(store: Store, account: Account, delta: int, due: datetime) -> None:
    balance = account.doc.get("balance")
    if not isinstance(balance, dict) or delta == 0:
        return
    store.keep(balance)
    for name in ("available_balance_in_cents", "balance_in_cents"):
        value = balance.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            balance[name] = value + delta
    balance["balance_last_updated_at"] = format_timestamp(due)


def _pay_down(store: Store, account: Account, amount: int, due: datetime) -> None:
    """A payment to a liability lowers what is owed and frees as much credit."""
    balance = account.doc.get("balance")
    if not isinstance(balance, dict):
        return
    store.keep(balance)
    owed = balance.get("balance_in_cents")
    if isinstance(owed, int) and not isinstance(owed, bool):
        balance["balance_in_cents"] = owed - amount
    available = balance.get("available_balance_in_cents")
    if isinstance(available, int) and not isinstance(available, bool):
        balance["available_balance_in_cents"] = available + amount
    balance["balance_last_updated_at"] = format_timestamp(due)


# -- the operations ------------------------------------------------------------------------------


def fragment(transfer: Transfer) -> bytes:
    """The transfer's JSON, cached until its status changes."""
    cached = transfer.cached
    if cached is None:
        cached = transfer.cached = dumps(transfer.to_doc())
    return cached


def list_transfers(call: Call) -> Reply:
    query = call.query
    account_id = query["account_id"]
    call.require(account_id)
    request = PageRequest.from_query(query)
    role = query["account_role"]
    filters = [(name, query[name]) for name in ("direction", "origin", "status") if name in query]
    execution_id = query.get("rule_execution_id")

    def keep(transfer: Transfer) -> bool:
        if role == "source" and transfer.source_id != account_id:
            return False
        if role == "destination" and transfer.destination_id != account_id:
            return False
        if execution_id is not None and transfer.rule_execution_id != execution_id:
            return False
        return all(getattr(transfer, name) == value for name, value in filters)

    plain = role == "either" and not filters and execution_id is None
    items, info = read_page(
        call.store.transfers_by_account.get(account_id),
        request,
        since_micros=call.since(),
        until_micros=call.until(),
        keep=None if plain else keep,
    )
    fragments = [item.cached or fragment(item) for item in items]
    return Reply(200, page_info=info, fragments=fragments)


def get_transfer(call: Call) -> Reply:
    transfer = call.store.transfers.get(call.id)
    if transfer is None:
        call.raise_unknown(call.id, "transfer", "transfer_not_found")
    sides = [side for side in (transfer.source_id, transfer.destination_id) if side is not None]
    if not call.key.allows_any(call.scope, sides):
        raise forbidden()
    return Reply(200, transfer.to_doc())


def create_transfer(call: Call) -> Reply:
    body = call.body
    source_id, target_id = body["source_account_id"], body["destination_account_id"]
    amount = body["amount_in_cents"]
    allowed, cap = call.key.transfer_cap(source_id, target_id)
    if not allowed:
        raise forbidden()
    if cap is not None and amount > cap:
        raise forbidden(
            "maximum_amount_exceeded",
            f"The amount exceeds this key's maximum of {cap} cents for these accounts.",
        )
    source = _account(call, source_id, "transfer_source_not_found", "Source")
    destination = _account(call, target_id, "transfer_destination_not_found", "Destination")
    refused = refusal(source, destination)
    if refused is not None:
        raise bad_request(refused)
    transfer = start_transfer(
        call.store,
        call.ids,
        source,
        destination,
        amount,
        origin="user",
        description=body.get("description"),
    )
    return Reply(201, transfer.to_doc())


def _account(call: Call, account_id: str, code: str, label: str) -> Account:
    account = call.store.live_account(account_id)
    if account is None:
        raise ApiError(400, code, f"{label} account {account_id!r} was not found.")
    return account
