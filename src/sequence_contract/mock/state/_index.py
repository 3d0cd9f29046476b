"""Keyset index: items kept sorted by ``(created_at, id)`` so a page costs O(log n + page).

Keys are the strings built by ``_model.sort_key`` (zero-padded microseconds, then the id), so
plain string comparison is time order and ``bisect`` finds any cursor position without a scan.
New items almost always sort last, which makes ``add`` an append.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar


class Keyed(Protocol):
    @property
    def key(self) -> str: ...


T = TypeVar("T", bound=Keyed)

# Sorts after every character an id can hold; closes an inclusive upper time bound.
_HIGH = "\U0010ffff"


class SortedIndex(Generic[T]):
    """Items in ascending key order; pages are read newest first."""

    __slots__ = ("_items", "_keys")

    def __init__(self) -> None:
        self._keys: list[str] = []
        self._items: list[T] = []

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, item: T) -> None:
        key = item.key
        if not self._keys or key > self._keys[-1]:
            self._keys.append(key)
            self._items.append(item)
            return
        position = bisect_left(self._keys, key)
        self._keys.insert(position, key)
        self._items.insert(position, item)

    def remove(self, item: T) -> None:
        """Take ``item`` out again (undoing an ``add``: the newest item is the cheap case)."""
        position = bisect_left(self._keys, item.key)
        if position == len(self._keys) or self._items[position] is not item:
            raise ValueError(f"{item.key} is not in the index")
        del self._keys[position]
        del self._items[position]

    def extend_sorted(self, items: list[T]) -> None:
        """Bulk load of items already in ascending key order and newer than everything held."""
        if items and self._keys and items[0].key <= self._keys[-1]:
            raise ValueError("extend_sorted needs items newer than the index's last one")
        self._keys.extend(item.key for item in items)
        self._items.extend(items)

    def page(
        self,
        first: int,
        *,
        before: str | None = None,
        since_micros: int | None = None,
        until_micros: int | None = None,
        keep: Callable[[T], bool] | None = None,
    ) -> tuple[list[T], bool]:
        """Up to ``first`` items, newest first, strictly older than the key ``before``.

        ``since_micros``/``until_micros`` bound creation time inclusively; ``keep`` filters.
        Returns the items and whether at least one more matching item follows.
        """
        keys = self._keys
        end = len(keys) if before is None else bisect_left(keys, before)
        if until_micros is not None:
            end = min(end, bisect_left(keys, f"{until_micros:017d}{_HIGH}"))
        start = 0 if since_micros is None else bisect_left(keys, f"{since_micros:017d}")
        items = self._items
        if keep is None:
            low = max(start, end - first)
            chosen = items[low:end]
            chosen.reverse()
            return chosen, low > start
        found: list[T] = []
        position = end - 1
        while position >= start:
            item = items[position]
            position -= 1
            if keep(item):
                if len(found) == first:
                    return found, True
                found.append(item)
        return found, False
