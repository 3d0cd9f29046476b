"""listTransfers, getTransfer, createTransfer."""

from __future__ import annotations

from .._envelope import ApiError, bad_request, dumps, forbidden
from .._model import Account, Transfer
from .._pagination import PageRequest, read_page
from .._transfers import refusal, start_transfer
from ._call import Call, Reply


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
        call.store, source, destination, amount, origin="user", description=body.get("description")
    )
    return Reply(201, transfer.to_doc())


def _account(call: Call, account_id: str, code: str, label: str) -> Account:
    account = call.store.live_account(account_id)
    if account is None:
        raise ApiError(400, code, f"{label} account {account_id!r} was not found.")
    return account
