"""The mock's one error: ``ApiError``, a documented error answer (status, ``code``, message), and
the helpers for the common ones. Raised by every layer (state, domain, http); the pipeline turns
it into the ``{"error": {"code", "message"}}`` envelope (``http._envelope``).
"""

from __future__ import annotations

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
