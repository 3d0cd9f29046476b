"""The mock's ASGI surface: API requests go straight to the pipeline, the rest through Starlette.

Starlette's middleware, router and ``Request``/``Response`` objects cost a request about as much
as everything the pipeline does, so ``MockApp`` hands every HTTP request to the pipeline as a
plain ASGI call, but the admin API's (``/_mock/``, its own app) and the GETs of the documents it
serves (the contract), which keep Starlette's routing. ``Incoming`` is what the pipeline reads
of a request: what Starlette's ``Request`` gave it, read from the ASGI scope the same way.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Lifespan, Message, Receive, Scope, Send

from ._access_log import AccessLog


class Incoming:
    """One request as the pipeline reads it: method, path, headers, query, body chunks."""

    __slots__ = ("_receive", "headers", "method", "path", "query")

    def __init__(self, scope: Scope, receive: Receive) -> None:
        self._receive = receive
        self.method: str = scope["method"]
        self.path: str = scope["path"]  # percent-decoded, as the ASGI server passed it
        # Names arrive lower case (ASGI); a repeated header reads as its first value (Starlette).
        headers: dict[str, str] = {}
        for name, value in scope["headers"]:
            key = name.decode("latin-1")
            if key not in headers:
                headers[key] = value.decode("latin-1")
        self.headers = headers
        raw_query: bytes = scope.get("query_string", b"")
        self.query = query_pairs(raw_query.decode("latin-1"))

    def chunks(self) -> AsyncIterator[bytes]:
        """The body as it arrives; ``ClientDisconnect`` when the client leaves first."""
        return _Chunks(self._receive)


def query_pairs(query: str) -> list[tuple[str, str]]:
    """``parse_qsl(query, keep_blank_values=True)`` (as Starlette reads a query), splitting by
    hand when nothing is escaped: the same pairs at a fraction of the cost."""
    if "%" in query or "+" in query:
        return parse_qsl(query, keep_blank_values=True)
    pairs = []
    for part in query.split("&"):
        if part:
            name, _, value = part.partition("=")
            pairs.append((name, value))
    return pairs


class _Chunks:
    """An async iterator, not an async generator: asyncio tracks every generator in a WeakSet,
    a cost per request for nothing here."""

    __slots__ = ("_done", "_receive")

    def __init__(self, receive: Receive) -> None:
        self._receive = receive
        self._done = False

    def __aiter__(self) -> _Chunks:
        return self

    async def __anext__(self) -> bytes:
        while not self._done:
            message = await self._receive()
            if message["type"] == "http.request":
                self._done = not message.get("more_body", False)
                body: bytes = message.get("body", b"")
                if body:
                    return body
            elif message["type"] == "http.disconnect":
                raise ClientDisconnect()
        raise StopAsyncIteration


class MockApp(Starlette):
    """Starlette for what the mock serves beside the API (its documents and lifespan); every
    other HTTP request goes straight to one of two ASGI apps, before any routing: under
    ``admin_prefix`` to ``admin``, anything else to ``api``, the pipeline (its one way in: an
    unknown path gets the API's 404 envelope there too)."""

    def __init__(
        self,
        *,
        api: ASGIApp,
        admin: ASGIApp,
        admin_prefix: str,
        routes: Sequence[BaseRoute],
        lifespan: Lifespan[Starlette] | None = None,
        access_log: AccessLog | None = None,
    ) -> None:
        super().__init__(routes=routes, lifespan=lifespan)
        self._access_log = access_log
        self._api = api
        self._admin = admin
        self._admin_prefix = admin_prefix
        self._documents = frozenset(
            route.path for route in self.router.routes if isinstance(route, Route)
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path: str = scope["path"]
            if path.startswith(self._admin_prefix):
                if self._access_log is not None:  # the pipeline logs its own requests
                    send = _logged(send, scope, self._access_log)
                await self._admin(scope, receive, send)
                return
            if path not in self._documents or scope["method"] not in ("GET", "HEAD"):
                scope["app"] = self
                await self._api(scope, receive, send)
                return
            if self._access_log is not None:
                send = _logged(send, scope, self._access_log)
        await super().__call__(scope, receive, send)


def _logged(send: Send, scope: Scope, log: AccessLog) -> Send:
    async def logged(message: Message) -> None:
        if message["type"] == "http.response.start":
            log(scope, message["status"])
        await send(message)

    return logged
