"""What the generated facade (``Sequence``, ``AsyncSequence``) stands on; never generated.

``scripts/generate`` writes ``generated/sequence_facade/``: one resource class per tag of
openapi.yaml, one method per operation, each a single call of this layer's ``call()``,
``acall()``, ``pages()``/``apages()`` or of the raw helpers below on a generated
``*_detailed`` function. Everything a method does beyond that lives here, written once:

* ``SyncFacade``/``AsyncFacade``: the constructor (``connect()``'s arguments), ``with_options``,
  closing, the masked repr;
* ``SyncPager``/``AsyncPager``: a paged list, items across pages, and ``.pages()``;
* ``RawResponse``: ``with_raw_response``'s answer (status, headers, request id, ``parse()``);
* ``given()`` and ``build_body()``: ``None`` means "not sent", and body fields become the
  generated model.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, Generic, ParamSpec, TypeVar

import httpx

# The models the methods return load with the client: they are its types, and loading them
# here keeps a first call within 30 ms of a warm one (scripts/bench-client). The generated
# operation modules load with their resource, on first use.
import sequence_api_client.models  # noqa: F401
from sequence_api_client.types import UNSET, Unset

from ._client import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, SequenceClient, connect, connect_async
from ._retries import RetryPolicy
from ._unwrap import (
    Detailed,
    Envelope,
    ErrorBody,
    acall,
    call,
    checked,
    client_key,
    operation_name,
    translating,
    unwrap,
)
from ._validate import DEFAULT_MODE, Mode, Violations
from .pagination import Page, PageBody, _start, apages, pages

__all__ = [
    "AsyncFacade",
    "AsyncPager",
    "Page",
    "RawResponse",
    "Resource",
    "SyncFacade",
    "SyncPager",
    "acall",
    "araw",
    "araw_page",
    "build_body",
    "call",
    "given",
    "raw",
    "raw_page",
]

T = TypeVar("T")
B = TypeVar("B")
P = ParamSpec("P")
Self = TypeVar("Self", bound="_Facade")


def given(value: T | None) -> T | Unset:
    """A facade argument as the generated function takes it: ``None`` is "not sent"."""
    return UNSET if value is None else value


def build_body(model: Callable[..., B], body: B | None, fields: Mapping[str, object]) -> B:
    """The request body: ``body=`` as given, else the generated model built from the fields
    passed as keywords (``None`` left out, so the model's own default applies)."""
    values = {name: value for name, value in fields.items() if value is not None}
    if body is not None:
        if values:
            raise TypeError(f"pass body= or its fields ({', '.join(values)}), not both")
        return body
    return model(**values)


class _Facade:
    """What both clients share: the ``SequenceClient`` behind them and its options."""

    _client: SequenceClient
    _owner: bool  # False on a with_options() copy: the pool belongs to the original

    def _copy(
        self: Self, timeout: float | httpx.Timeout | None, max_retries: int | None, sync: bool
    ) -> Self:
        policy = self._client._retry_policy
        if max_retries is not None:
            policy = RetryPolicy(**{**_fields(policy), "max_retries": max_retries})
        copy = object.__new__(type(self))
        copy._client = self._client.sharing(timeout=timeout, retry_policy=policy, sync=sync)
        copy._owner = False
        return copy

    @property
    def violations(self) -> Violations:
        """What ``validate="warn"`` found so far (copies share it)."""
        return self._client.violations

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._client._base_url!r}, api_key='***')"


def _fields(policy: RetryPolicy) -> dict[str, Any]:
    return {name: getattr(policy, name) for name in policy.__dataclass_fields__}


class SyncFacade(_Facade):
    """The sync client's constructor and lifetime; the generated ``Sequence`` adds resources."""

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_policy: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
        validate: Mode = DEFAULT_MODE,
        spec: str | Path | None = None,
        record: str | Path | None = None,
    ) -> None:
        """Each argument means what it means in ``connect()``, which receives them all."""
        options = dict(locals())
        del options["self"]
        self._client = connect(**options)
        self._owner = True

    def with_options(
        self: Self, *, timeout: float | httpx.Timeout | None = None, max_retries: int | None = None
    ) -> Self:
        """A client with another timeout or retry count on this one's connection pool."""
        return self._copy(timeout, max_retries, sync=True)

    def close(self) -> None:
        """Close the connection pool (a ``with_options()`` copy leaves it to the original)."""
        if self._owner:
            self._client.close()

    def __enter__(self: Self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncFacade(_Facade):
    """The async client's constructor and lifetime; ``AsyncSequence`` adds resources."""

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_policy: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        validate: Mode = DEFAULT_MODE,
        spec: str | Path | None = None,
        record: str | Path | None = None,
    ) -> None:
        """Each argument means what it means in ``connect_async()``, which receives them all."""
        options = dict(locals())
        del options["self"]
        self._client = connect_async(**options)
        self._owner = True

    def with_options(
        self: Self, *, timeout: float | httpx.Timeout | None = None, max_retries: int | None = None
    ) -> Self:
        """A client with another timeout or retry count on this one's connection pool."""
        return self._copy(timeout, max_retries, sync=False)

    async def aclose(self) -> None:
        """Close the connection pool (a ``with_options()`` copy leaves it to the original)."""
        if self._owner:
            await self._client.aclose()

    async def __aenter__(self: Self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


class SyncPager(Generic[T]):
    """Every item of a paged list, page after page; ``pages()`` yields the pages. Iterating
    again starts again from the first page. Arguments are checked at once; the first request
    goes out when the iteration starts."""

    def __init__(
        self,
        function: Callable[..., Detailed[PageBody[T] | ErrorBody]],
        /,
        *args: object,
        **kwargs: object,
    ) -> None:
        self._function, self._args, self._kwargs = function, args, kwargs
        pages(function, *args, **kwargs)  # binds the arguments: a TypeError now, not later

    def pages(self) -> Iterator[Page[T]]:
        return pages(self._function, *self._args, **self._kwargs)

    def __iter__(self) -> Iterator[T]:
        for page in self.pages():
            yield from page.items


class AsyncPager(Generic[T]):
    """``SyncPager`` for ``async for``: items across pages, and ``pages()``."""

    def __init__(
        self,
        function: Callable[..., Awaitable[Detailed[PageBody[T] | ErrorBody]]],
        /,
        *args: object,
        **kwargs: object,
    ) -> None:
        self._function, self._args, self._kwargs = function, args, kwargs
        apages(function, *args, **kwargs)  # binds the arguments: a TypeError now, not later

    def pages(self) -> AsyncIterator[Page[T]]:
        return apages(self._function, *self._args, **self._kwargs)

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.pages():
            for item in page.items:
                yield item


class RawResponse(Generic[T]):
    """A call's HTTP answer (``with_raw_response``); ``parse()`` gives what the method returns.
    Error statuses still raise the typed errors, as every facade call does."""

    def __init__(self, http_response: httpx.Response, parse: Callable[[], T]) -> None:
        self.http_response = http_response
        self._parse = parse

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        """The ``X-Request-ID`` the server answered with."""
        value: str | None = self.http_response.headers.get("X-Request-ID")
        return value

    def parse(self) -> T:
        return self._parse()

    def __repr__(self) -> str:
        return f"<RawResponse [{self.status_code}] request_id={self.request_id!r}>"


def _raw(
    detailed: Detailed[Any], recorded: list[httpx.Response], parse: Callable[[], T]
) -> RawResponse[T]:
    http = recorded[-1] if recorded else httpx.Response(detailed.status_code, content=b"")
    return RawResponse(http, parse)


def raw(
    function: Callable[P, Detailed[Envelope[T] | ErrorBody]], /, *args: P.args, **kwargs: P.kwargs
) -> RawResponse[T]:
    """``call()``, keeping the HTTP answer."""
    name, secret = operation_name(function), client_key(kwargs)
    with translating(name, secret, kwargs.get("idempotency_key")) as recorded:
        detailed = function(*args, **kwargs)
    return _raw(detailed, recorded, lambda: unwrap(detailed, operation=name, secret=secret))


async def araw(
    function: Callable[P, Awaitable[Detailed[Envelope[T] | ErrorBody]]],
    /,
    *args: P.args,
    **kwargs: P.kwargs,
) -> RawResponse[T]:
    """``acall()``, keeping the HTTP answer."""
    name, secret = operation_name(function), client_key(kwargs)
    with translating(name, secret, kwargs.get("idempotency_key")) as recorded:
        detailed = await function(*args, **kwargs)
    return _raw(detailed, recorded, lambda: unwrap(detailed, operation=name, secret=secret))


def raw_page(
    function: Callable[..., Detailed[PageBody[T] | ErrorBody]], /, *args: object, **kwargs: object
) -> RawResponse[Page[T]]:
    """The first page of a paged list, keeping the HTTP answer; ``parse()`` gives the page."""
    cursor = _start(function, args, kwargs, None)
    name = cursor.op.operation_id
    with translating(name, cursor.secret) as recorded:
        detailed = function(**cursor.request_kwargs())
    page = cursor.page(checked(detailed, name, cursor.secret))
    return _raw(detailed, recorded, lambda: page)


async def araw_page(
    function: Callable[..., Awaitable[Detailed[PageBody[T] | ErrorBody]]],
    /,
    *args: object,
    **kwargs: object,
) -> RawResponse[Page[T]]:
    """``raw_page`` for the async client."""
    cursor = _start(function, args, kwargs, None)
    name = cursor.op.operation_id
    with translating(name, cursor.secret) as recorded:
        detailed = await function(**cursor.request_kwargs())
    page = cursor.page(checked(detailed, name, cursor.secret))
    return _raw(detailed, recorded, lambda: page)


class Resource:
    """A group of generated methods (one tag), over the client's ``SequenceClient``."""

    def __init__(self, client: SequenceClient) -> None:
        self._client = client
