"""Every item of a cursor-paginated operation, page after page, sync and async.

::

    for transfer in paginate(list_transfers.sync_detailed, client=c, account_id="acc_…"):
        ...
    async for execution in apaginate(list_rule_executions.asyncio_detailed, client=c,
                                     rule_id="rule_…", limit=50):
        ...

Works for any operation the spec pages (a ``first``/``after`` query pair and ``page_info`` in
the success body); other operations are refused up front with a ``TypeError``. Without
``first`` it asks for the largest page the spec allows, and never for more items than
``limit`` still needs. It follows ``page_info.end_cursor`` while ``has_next_page`` is true and
raises ``ContractError`` instead of looping when the server repeats a cursor or promises a
next page without one. Arguments are checked against the function's signature at once; the
first request goes out on the first ``next()``.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar, cast

from ._errors import ContractError
from ._unwrap import Detailed, ErrorBody, checked, client_key, translating
from .spec import Operation, model

__all__ = ["Page", "apages", "apaginate", "pages", "paginate"]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class PageInfo(Protocol):
    @property
    def has_next_page(self) -> bool: ...
    @property
    def end_cursor(self) -> str | None: ...


class PageBody(Protocol[T_co]):
    """A paginated success body: ``{"request_id", "data": [...], "page_info"}``."""

    @property
    def data(self) -> Sequence[T_co]: ...
    @property
    def page_info(self) -> PageInfo: ...


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a paginated list, as the facade's ``.pages()`` yields it."""

    items: list[T]
    has_next_page: bool
    end_cursor: str | None


class _Cursor:
    """Page-size and cursor bookkeeping shared by the sync and async iterators."""

    def __init__(
        self, op: Operation, kwargs: dict[str, Any], limit: int | None, page_size: int
    ) -> None:
        self.op = op
        self.kwargs = kwargs
        self.secret = client_key(kwargs)
        self.remaining = limit
        self.page_size = page_size
        self.after: str | None = kwargs.get("after")
        self.seen: set[str] = set() if self.after is None else {self.after}
        self.done = limit == 0

    def request_kwargs(self) -> dict[str, Any]:
        size = self.page_size if self.remaining is None else min(self.page_size, self.remaining)
        kwargs = {**self.kwargs, "first": size}
        if self.after is not None:
            kwargs["after"] = self.after
        return kwargs

    def page(self, body: object) -> Page[Any]:
        """``body`` as a ``Page``; moves the cursor or ends the iteration, as ``take`` does."""
        items = list(self.take(body))
        info = cast(PageBody[Any], body).page_info
        return Page(items, bool(info.has_next_page), info.end_cursor or None)

    def take(self, page: object) -> Sequence[Any]:
        """The items to yield from ``page``; moves the cursor or ends the iteration."""
        name = self.op.operation_id
        items = getattr(page, "data", None)
        info = getattr(page, "page_info", None)
        if not isinstance(items, Sequence) or info is None:
            raise ContractError(name, "paginated body lacks data or page_info")
        if self.remaining is not None:
            items = items[: self.remaining]
            self.remaining -= len(items)
        if not info.has_next_page or self.remaining == 0:
            self.done = True
            return items
        cursor = info.end_cursor
        if not cursor:
            raise ContractError(name, "page_info.has_next_page is true but end_cursor is empty")
        if cursor in self.seen:
            raise ContractError(name, f"page_info.end_cursor {cursor!r} repeats an earlier cursor")
        self.seen.add(cursor)
        self.after = cursor
        return items


#: A generated function's signature, computed once: ``inspect.signature`` of a list operation
#: costs tens of microseconds, a few percent of a whole page.
_signature = functools.cache(inspect.signature)


def _start(
    function: Callable[..., object],
    args: tuple[object, ...],
    kwargs: dict[str, object],
    limit: int | None,
) -> _Cursor:
    op = model().for_function(function)
    if op is None or not op.paginated:
        name = op.operation_id if op else repr(function)
        raise TypeError(f"{name} is not cursor-paginated in openapi.yaml")
    if limit is not None and limit < 0:
        raise ValueError("limit must be >= 0")
    bound = _signature(function).bind(*args, **kwargs)  # TypeError now, not at next()
    page_size = bound.arguments.get("first") or op.max_page_size or 20
    return _Cursor(op, dict(bound.arguments), limit, int(page_size))


def paginate(
    function: Callable[..., Detailed[PageBody[T] | ErrorBody]],
    /,
    *args: object,
    limit: int | None = None,
    **kwargs: object,
) -> Iterator[T]:
    """Items of every page of a generated ``sync_detailed`` list call, up to ``limit``."""
    cursor = _start(function, args, kwargs, limit)

    def pages() -> Iterator[T]:
        while not cursor.done:
            with translating(cursor.op.operation_id, cursor.secret):
                response = function(**cursor.request_kwargs())
            yield from cursor.take(checked(response, cursor.op.operation_id, cursor.secret))

    return pages()


def apaginate(
    function: Callable[..., Awaitable[Detailed[PageBody[T] | ErrorBody]]],
    /,
    *args: object,
    limit: int | None = None,
    **kwargs: object,
) -> AsyncIterator[T]:
    """Items of every page of a generated ``asyncio_detailed`` list call, up to ``limit``."""
    cursor = _start(function, args, kwargs, limit)

    async def pages() -> AsyncIterator[T]:
        while not cursor.done:
            with translating(cursor.op.operation_id, cursor.secret):
                response = await function(**cursor.request_kwargs())
            for item in cursor.take(checked(response, cursor.op.operation_id, cursor.secret)):
                yield cast(T, item)

    return pages()


def pages(
    function: Callable[..., Detailed[PageBody[T] | ErrorBody]], /, *args: object, **kwargs: object
) -> Iterator[Page[T]]:
    """Every page of a generated ``sync_detailed`` list call (the facade's ``.pages()``)."""
    cursor = _start(function, args, kwargs, None)

    def run() -> Iterator[Page[T]]:
        while not cursor.done:
            with translating(cursor.op.operation_id, cursor.secret):
                response = function(**cursor.request_kwargs())
            yield cursor.page(checked(response, cursor.op.operation_id, cursor.secret))

    return run()


def apages(
    function: Callable[..., Awaitable[Detailed[PageBody[T] | ErrorBody]]],
    /,
    *args: object,
    **kwargs: object,
) -> AsyncIterator[Page[T]]:
    """Every page of a generated ``asyncio_detailed`` list call (the facade's ``.pages()``)."""
    cursor = _start(function, args, kwargs, None)

    async def run() -> AsyncIterator[Page[T]]:
        while not cursor.done:
            with translating(cursor.op.operation_id, cursor.secret):
                response = await function(**cursor.request_kwargs())
            yield cursor.page(checked(response, cursor.op.operation_id, cursor.secret))

    return run()
