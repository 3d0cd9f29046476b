"""The only builder of response bodies: the success envelope and the error envelope.

Success: ``{"request_id": "req_…", "data": …[, "page_info": …]}``.
Error:   ``{"error": {"code": "<snake_case>", "message": "<text>"}}`` (no ``request_id`` in the
body; the ``X-Request-ID`` header still carries it).

Handlers raise ``ApiError``; the pipeline turns it into a response with ``error_response``.
Every response is an ``Answer``, sent as two ASGI messages (no framework object in between).

Serialisation is orjson (tens of times faster than ``json`` on these bodies); its bytes are
``json.dumps(..., ensure_ascii=False, separators=(",", ":"))``'s but for floats that ``json``
writes with an exponent (``1e-07``, ``1e+16``: orjson writes the same number as ``1e-7``,
``1e16``, or ``0.00001`` for ``1e-05``). What orjson refuses (integers past 64 bits, nesting past
255, surrogates) goes through ``json``, which answers or fails as it always did.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.types import Send

from .._errors import ApiError
from .._json import dumps

JSON = "application/json"


@dataclass(slots=True)
class Answer:
    """A response: status, headers (all but ``content-length``, added when sent) and body."""

    status: int
    headers: dict[str, str]
    body: bytes = b""

    async def send(self, send: Send) -> None:
        """Send it as ASGI messages (header names lower case, as Starlette sends them)."""
        headers = [
            (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in self.headers.items()
        ]
        if self.status >= 200 and self.status not in (204, 304):
            headers.append((b"content-length", str(len(self.body)).encode("latin-1")))
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": self.body})


def json_answer(status: int, body: bytes, request_id: str, **headers: str) -> Answer:
    return Answer(status, {"X-Request-ID": request_id, **headers, "Content-Type": JSON}, body)


def error_body(code: str, message: str) -> bytes:
    return dumps({"error": {"code": code, "message": message}})


def error_response(error: ApiError, request_id: str) -> Answer:
    return json_answer(
        error.status, error_body(error.code, error.message), request_id, **error.headers
    )


def success_body(request_id: str, data: object, page_info: dict[str, Any] | None = None) -> bytes:
    if page_info is None:
        return dumps({"request_id": request_id, "data": data})
    return dumps({"request_id": request_id, "data": data, "page_info": page_info})


def raw_list_body(request_id: str, fragments: list[bytes], page_info: dict[str, Any]) -> bytes:
    """A list envelope assembled from already-serialised items (the hot paging path): one
    join, so a full page's bytes are copied once."""
    head = b'{"request_id":' + dumps(request_id) + b',"data":['
    tail = b'],"page_info":' + dumps(page_info) + b"}"
    if not fragments:
        return head + tail
    parts = list(fragments)
    parts[0] = head + parts[0]
    parts[-1] += tail
    return b",".join(parts)
