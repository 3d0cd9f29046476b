"""Cursor pagination: ``first``, ``after`` and ``page_info``.

``first`` arrives validated against the spec, its default filled in (see ``_validation``).

A cursor is ``cursor_`` + the last item's keyset position (creation time, then id; letters and
digits only, see ``_model.sort_key``), so it stays valid while new items arrive and needs no
server-side state. Any ``cursor_<letters and digits>`` is a position in that order, so every
cursor of that form is accepted (a foreign one just lands somewhere in the list); anything else
is 400 ``bad_request``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from .._errors import bad_request
from ..state._index import Keyed, SortedIndex

_PREFIX = "cursor_"
_CURSOR = re.compile(r"^cursor_[0-9A-Za-z]+$", re.ASCII)

T = TypeVar("T", bound=Keyed)


def encode_cursor(key: str) -> str:
    return _PREFIX + key


def decode_cursor(cursor: str) -> str:
    """The keyset position inside ``cursor``; 400 ``bad_request`` when it is not one of ours."""
    if _CURSOR.match(cursor) is None:
        raise bad_request(
            "Invalid cursor in `after`: expected `cursor_` followed by letters and digits, "
            "as in page_info.end_cursor of a previous page."
        )
    return cursor[len(_PREFIX) :]


@dataclass(frozen=True, slots=True)
class PageRequest:
    first: int
    before: str | None

    @classmethod
    def from_query(cls, query: dict[str, Any]) -> PageRequest:
        first = query.get("first")
        if not isinstance(first, int) or isinstance(first, bool) or first < 1:
            raise bad_request("Query parameter `first` must be a positive integer.")
        after = query.get("after")
        before = None if after is None else decode_cursor(str(after))
        return cls(first, before)


def page_info(items: list[Any], has_next: bool) -> dict[str, Any]:
    end = encode_cursor(items[-1].key) if items else None
    return {"has_next_page": has_next, "end_cursor": end}


def read_page(
    index: SortedIndex[T] | None,
    request: PageRequest,
    *,
    since_micros: int | None = None,
    until_micros: int | None = None,
    keep: Callable[[T], bool] | None = None,
) -> tuple[list[T], dict[str, Any]]:
    """One page of ``index`` (an absent index is an empty list) plus its ``page_info``."""
    if index is None:
        return [], page_info([], False)
    items, has_next = index.page(
        request.first,
        before=request.before,
        since_micros=since_micros,
        until_micros=until_micros,
        keep=keep,
    )
    return items, page_info(items, has_next)
