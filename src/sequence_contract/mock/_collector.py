"""A webhook receiver for tests: it serves on a loopback port and keeps every delivery.

    with WebhookCollector() as hooks:               # or the pytest fixture webhook_receiver
        app = create_app(webhooks=[hooks.url])
        ...
        events = hooks.wait_for(3)                  # the first 3 events acknowledged
        hooks.stop(); ...; hooks.start()            # down for a while, back on the same port

Each delivery is parsed with ``parse_event`` and answered 204, or 400 when malformed. Given an
ASGI ``app`` (a receiver under test), the collector passes each delivery to it and records the
status it answered instead: the test sees what that receiver got and how it replied.
"""

from __future__ import annotations

import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass
from types import TracebackType

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Scope

from ..webhooks import DELIVERY_ID_HEADER, InvalidEvent, WebhookEvent, parse_event
from .http._serve import serve


@dataclass(frozen=True, slots=True)
class Received:
    """One delivery as it arrived, and the answer it got."""

    body: bytes
    delivery_id: str | None
    status: int
    event: WebhookEvent | None  # None when the delivery was malformed
    error: str | None  # parse_event's complaint


class WebhookCollector:
    def __init__(self, app: ASGIApp | None = None, path: str = "/webhooks") -> None:
        self.path = path
        self.received: list[Received] = []
        self._inner = app
        self._changed = threading.Condition()
        self._stack: ExitStack | None = None
        self._port = 0
        self._root = ""
        self._app = Starlette(routes=[Route(path, self._receive, methods=["POST"])])

    @property
    def url(self) -> str:
        if not self._root:
            raise RuntimeError("the collector has not been started")
        return self._root + self.path

    # -- serving -------------------------------------------------------------------------------

    def start(self) -> WebhookCollector:
        """Serve (again on the same port after ``stop()``)."""
        if self._stack is None:
            stack = ExitStack()
            self._root = stack.enter_context(serve(self._app, port=self._port))
            self._port = int(self._root.rsplit(":", 1)[1])
            self._stack = stack
        return self

    def stop(self) -> None:
        """Stop serving: deliveries then fail to connect until ``start()``."""
        if self._stack is not None:
            self._stack.close()
            self._stack = None

    def __enter__(self) -> WebhookCollector:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # -- receiving -----------------------------------------------------------------------------

    async def _receive(self, request: Request) -> Response:
        body = await request.body()
        event, error, delivery_id = None, None, None
        try:
            event = parse_event(body, request.headers)
            delivery_id = event.delivery_id
        except InvalidEvent as problem:
            error = str(problem)
            delivery_id = request.headers.get(DELIVERY_ID_HEADER)
        if self._inner is None:
            response = Response(error, 400) if error else Response(status_code=204)
            status = response.status_code
        else:
            response, status = await _answer(self._inner, request, body)
        with self._changed:
            self.received.append(Received(body, delivery_id, status, event, error))
            self._changed.notify_all()
        return response

    def events(self) -> list[WebhookEvent]:
        """Acknowledged (2xx) events, the first delivery of each delivery id, in arrival order."""
        with self._changed:
            found, seen = [], set()
            for item in self.received:
                if item.event is None or not 200 <= item.status < 300:
                    continue
                if item.delivery_id is not None:
                    if item.delivery_id in seen:
                        continue
                    seen.add(item.delivery_id)
                found.append(item.event)
            return found

    def wait_for(self, count: int, timeout: float = 10.0) -> list[WebhookEvent]:
        """Block until ``count`` events were acknowledged; TimeoutError saying how many came."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(events := self.events()) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        f"{len(events)} of {count} webhook events arrived within {timeout} s "
                        f"({len(self.received)} deliveries)"
                    )
                self._changed.wait(left)
            return events


async def _answer(app: ASGIApp, request: Request, body: bytes) -> tuple[Response, int]:
    """Run ``app`` on the delivery; its answer, replayed, and its status."""
    sent: list[Message] = []
    delivered = False

    async def receive() -> Message:
        nonlocal delivered
        if delivered:
            return {"type": "http.disconnect"}
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    keep = ("type", "asgi", "http_version", "method", "scheme", "path", "raw_path",
            "query_string", "headers", "client", "server", "root_path")  # fmt: skip
    scope: Scope = {name: request.scope[name] for name in keep if name in request.scope}
    await app(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    content = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in start.get("headers", [])}
    headers.pop("content-length", None)
    status = int(start["status"])
    return Response(content, status, headers=headers), status
