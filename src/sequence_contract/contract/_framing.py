"""Headers that frame an HTTP message (RFC 9112) or its connection: never generated.

Both Schemathesis runs, the contract suite's and a webhook receiver's, drop them from generated
cases: the HTTP server answers a bad one before the application sees the request.
"""

from __future__ import annotations

from typing import Any

FRAMING_HEADERS = frozenset(
    {"content-length", "transfer-encoding", "connection", "keep-alive", "te", "upgrade", "host"}
)


def without_framing(headers: dict[str, Any] | None) -> dict[str, Any] | None:
    if not headers:
        return headers
    return {name: value for name, value in headers.items() if name.lower() not in FRAMING_HEADERS}
