"""What a handler receives (``Call``) and returns (``Reply``), plus the shared checks.

Handlers run after authentication and validation, inside a store transaction (see ``_store``):
they change state only through the store's methods, so a write that fails half-way is undone.
Their own order is always: permission (403, before anything is looked up, so a key learns
nothing about ids outside its list), then existence (404 with an entity-specific code), then
domain rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NoReturn

from ...spec import Operation, Validators
from .._errors import forbidden, not_found
from ..state._clock import timestamp_micros
from ..state._ids import IdFactory
from ..state._records import Doc
from ..state._store import Store
from ._permissions import ApiKey


@dataclass(slots=True)
class Call:
    store: Store
    ids: IdFactory
    schemas: Validators
    key: ApiKey
    operation: Operation
    path: dict[str, Any]
    query: dict[str, Any]
    headers: dict[str, Any]
    body: Any

    @property
    def id(self) -> str:
        return str(self.path["id"])

    @property
    def scope(self) -> str:
        """The permission the operation needs (the spec's ``x-required-scope``)."""
        return self.operation.required_scope

    def require(self, resource: str | None = None) -> None:
        """403 ``forbidden`` unless the key holds the operation's scope (and ``resource``)."""
        if not self.key.allows(self.scope, resource):
            raise forbidden()

    def raise_unknown(self, ident: str, what: str, code: str) -> NoReturn:
        """The answer for an id no record has: 404 only to a key with ``*``, else 403 (a key
        limited to a list learns nothing about ids outside it)."""
        if self.scope not in self.key.wildcard:
            raise forbidden()
        raise not_found(code, what, ident)

    def since(self) -> int | None:
        value = self.query.get("from")
        return None if value is None else timestamp_micros(value)

    def until(self) -> int | None:
        value = self.query.get("to")
        return None if value is None else timestamp_micros(value)


@dataclass(slots=True)
class Reply:
    status: int
    data: Any = None
    page_info: dict[str, Any] | None = None
    fragments: list[bytes] | None = None  # pre-serialised list items (hot paging path)


Handler = Callable[[Call], Reply]


def project(doc: Doc, names: frozenset[str]) -> Doc:
    """``doc`` limited to the properties a (summary) schema declares."""
    return {key: value for key, value in doc.items() if key in names}
