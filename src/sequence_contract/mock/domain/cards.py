"""listCards, getCard, listCardTransactions (coming soon on the real API; served here)."""

from __future__ import annotations

from typing import Any

from ..state._records import CardTransaction, Doc
from ._call import Call, Reply
from ._pagination import PageRequest, read_page


def list_cards(call: Call) -> Reply:
    account_id = call.query["account_id"]
    call.require(account_id)
    wanted = {name: call.query[name] for name in ("status", "type") if name in call.query}
    data = [
        card
        for card in call.store.cards.values()
        if card["account_id"] == account_id
        and all(card.get(name) == value for name, value in wanted.items())
    ]
    return Reply(200, data)


def _card(call: Call) -> Doc:
    card = call.store.cards.get(call.id)
    if card is None:
        call.raise_unknown(call.id, "card", "card_not_found")
    call.require(str(card["account_id"]))
    return card


def get_card(call: Call) -> Reply:
    return Reply(200, _card(call))


def list_card_transactions(call: Call) -> Reply:
    card = _card(call)
    request = PageRequest.from_query(call.query)
    direction: Any = call.query.get("direction")

    def keep(item: CardTransaction) -> bool:
        return bool(item.doc.get("direction") == direction)

    items, info = read_page(
        call.store.transactions_by_card.get(card["id"]),
        request,
        since_micros=call.since(),
        until_micros=call.until(),
        keep=None if direction is None else keep,
    )
    return Reply(200, [item.doc for item in items], info)
