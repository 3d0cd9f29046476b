"""listAccounts, getAccount."""

from __future__ import annotations

from .._errors import not_found
from ..state._records import Account, Doc
from ._call import Call, Reply, project


def account_doc(call: Call, account: Account, schema: str = "Account") -> Doc:
    """The account shaped as ``schema``; ``linked_account`` is rebuilt from the linked id as an
    ``AccountCore`` (not nested further)."""
    doc = project(account.doc, call.schemas.properties(schema))
    linked = doc.get("linked_account")
    if isinstance(linked, dict):
        target = call.store.accounts.get(str(linked.get("id")))
        core = call.schemas.properties("AccountCore")
        doc["linked_account"] = None if target is None else project(target.doc, core)
    return doc


def list_accounts(call: Call) -> Reply:
    call.require()
    wanted = call.query.get("type")
    data = [
        account_doc(call, account, "AccountSummary")
        for account in call.store.accounts.values()
        if not account.deleted and (wanted is None or account.doc.get("type") == wanted)
    ]
    return Reply(200, data)


def get_account(call: Call) -> Reply:
    call.require(call.id)
    account = call.store.live_account(call.id)
    if account is None:
        raise not_found("account_not_found", "account", call.id)
    return Reply(200, account_doc(call, account))
