"""The only builder of response bodies: the success envelope and the error envelope.

Success: ``{"request_id": "req_…", "data": …[, "page_info": …]}``.
Error:   ``{"error": {"code": "<snake_case>", "message": "<text>"}}`` (no ``request_id`` in the
body; the ``X-Request-ID`` header still carries it).

Handlers raise ``ApiError``; the pipeline turns it into a response with ``error_response``.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import Response

JSON = "application/json"

UNAUTHORIZED_MESSAGE = "Missing or invalid API key."
FORBIDDEN_MESSAGE = "This API key does not have the required permission."


class ApiError(Exception):
    """A documented error answer: HTTP status, error ``code`` and a human message."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})


def bad_request(message: str) -> ApiError:
    return ApiError(400, "bad_request", message)


def unauthorized() -> ApiError:
    return ApiError(401, "unauthorized", UNAUTHORIZED_MESSAGE)


def forbidden(code: str = "forbidden", message: str = FORBIDDEN_MESSAGE) -> ApiError:
    return ApiError(403, code, message)


def not_found(code: str, what: str, ident: str) -> ApiError:
    return ApiError(404, code, f"No {what} with id {ident!r}.")


def dumps(payload: object) -> bytes:
    """Compact UTF-8 JSON, the one serialisation every response uses."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def error_body(code: str, message: str) -> bytes:
    return dumps({"error": {"code": code, "message": message}})


def error_response(error: ApiError, request_id: str) -> Response:
    headers = {"X-Request-ID": request_id, **error.headers}
    return Response(error_body(error.code, error.message), error.status, headers, JSON)


def success_body(request_id: str, data: object, page_info: dict[str, Any] | None = None) -> bytes:
    if page_info is None:
        return dumps({"request_id": request_id, "data": data})
    return dumps({"request_id": request_id, "data": data, "page_info": page_info})


def raw_list_body(request_id: str, fragments: list[bytes], page_info: dict[str, Any]) -> bytes:
    """A list envelope assembled from already-serialised items (the hot paging path)."""
    return b"".join(
        (
            b'{"request_id":',
            dumps(request_id),
            b',"data":[',
            b",".join(fragments),
            b'],"page_info":',
            dumps(page_info),
            b"}",
        )
    )
