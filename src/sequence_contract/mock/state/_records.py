"""Records the store keeps. Accounts, rules, executions and cards stay in their API shape (a dict
validated against the spec's schema); transfers, the one collection that grows to millions, use a
slotted record and cache their serialised form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ._clock import format_timestamp, to_micros

Doc = dict[str, Any]


class FixtureError(ValueError):
    """A fixture file (seed data or API keys) is malformed; the message names the bad entry."""


def sort_key(moment: datetime, ident: str) -> str:
    """Keyset position of an item: creation time, then the whole id, as letters and digits only.

    Plain string order is time order. The id is hex-encoded (``_`` is no cursor character), which
    keeps byte order and keeps distinct ids distinct: fixture ids need not share a prefix.
    """
    return f"{to_micros(moment):017d}{ident.encode('utf-8').hex()}"


@dataclass(slots=True)
class _Record:
    """A stored JSON document with an ``id`` that may be soft-deleted (``deleted_at``)."""

    doc: Doc

    @property
    def id(self) -> str:
        return str(self.doc["id"])

    @property
    def deleted(self) -> bool:
        return self.doc.get("deleted_at") is not None


@dataclass(slots=True)
class Account(_Record):
    @property
    def is_liability(self) -> bool:
        return self.doc.get("external_account_type") == "LIABILITY"

    def party(self) -> Doc:
        """This account as a TransferParty."""
        party: Doc = {"id": self.id, "name": self.doc["name"], "type": self.doc["type"]}
        party["is_deleted"] = self.deleted
        return party

    def ref(self) -> Doc:
        """This account as an AccountRef."""
        return {"id": self.id, "type": self.doc["type"], "name": self.doc["name"]}

    def balance_field(self, name: str) -> int | None:
        balance = self.doc.get("balance")
        if not isinstance(balance, dict):
            return None
        value = balance.get(name)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def available(self) -> int | None:
        return self.balance_field("available_balance_in_cents")


@dataclass(slots=True)
class Rule(_Record):
    is_supported: bool = True

    @property
    def trigger(self) -> Doc:
        trigger = self.doc.get("trigger")
        return trigger if isinstance(trigger, dict) else {}


@dataclass(slots=True)
class Execution:
    doc: Doc
    created: datetime
    key: str = ""

    def __post_init__(self) -> None:
        self.key = sort_key(self.created, self.id)

    @property
    def id(self) -> str:
        return str(self.doc["id"])

    @property
    def rule_id(self) -> str:
        return str(self.doc["rule_id"])


@dataclass(slots=True)
class Transfer:
    """One transfer. ``source``/``destination`` are TransferParty dicts, shared per account."""

    id: str
    amount_in_cents: int
    direction: str
    origin: str
    status: str
    source: Doc | None
    destination: Doc | None
    created: datetime
    completed: datetime | None = None
    rule_id: str | None = None
    rule_execution_id: str | None = None
    error_code: str | None = None
    description: str | None = None
    extra: Doc | None = None
    key: str = ""
    cached: bytes | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.key = sort_key(self.created, self.id)

    @property
    def source_id(self) -> str | None:
        return None if self.source is None else self.source.get("id")

    @property
    def destination_id(self) -> str | None:
        return None if self.destination is None else self.destination.get("id")

    def touches(self, account_id: str) -> bool:
        return account_id in (self.source_id, self.destination_id)

    def set_status(self, status: str, error_code: str | None = None) -> None:
        self.status = status
        self.error_code = error_code
        self.cached = None

    def to_doc(self) -> Doc:
        doc: Doc = dict(self.extra) if self.extra else {}
        doc.update(
            id=self.id,
            amount_in_cents=self.amount_in_cents,
            direction=self.direction,
            origin=self.origin,
            status=self.status,
            source=self.source,
            destination=self.destination,
            rule_id=self.rule_id,
            rule_execution_id=self.rule_execution_id,
            error_code=self.error_code,
            created_at=format_timestamp(self.created),
            completed_at=None if self.completed is None else format_timestamp(self.completed),
        )
        if self.description is not None:
            doc["description"] = self.description
        return doc


@dataclass(slots=True)
class CardTransaction:
    doc: Doc
    created: datetime
    key: str = ""

    def __post_init__(self) -> None:
        self.key = sort_key(self.created, str(self.doc["id"]))
