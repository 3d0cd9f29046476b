"""Divergence fingerprints: answers whose whole shape says why they differ, said once.

A server speaking the vendor's live "Platform v1" API (reference §10) breaks every schema of the
documentation at once; fifty schema errors would hide the one cause. Each entry below is a
known shape, what the documentation expects instead, and the likely cause. When one matches an
exchange, its one record replaces every other record of that exchange. Entries are data: add
one with its reason and a test (tests/traffic/test_fingerprints.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Json = Any


@dataclass(frozen=True, slots=True)
class Observed:
    """What a fingerprint looks at: one exchange, the body parsed (None when not JSON)."""

    path: str  # URL path as sent
    status: int
    headers: Mapping[str, str]  # response headers, lower-case names
    body: Json
    text: str  # the body as text (first KiB), for shapes that are not JSON
    auth_scheme: str | None  # the first word of the request's Authorization header


@dataclass(frozen=True, slots=True)
class Fingerprint:
    name: str
    expected: str  # what the documentation says
    found: str  # what the fingerprint recognises
    reason: str  # the likely cause, one line
    schema_pointer: str  # the documented fact it contradicts ("": the response's schema)
    matches: Callable[[Observed], bool]


def _platform_envelope(seen: Observed) -> bool:
    body = seen.body
    if not isinstance(body, dict):
        return False
    data = body.get("data")
    paged = isinstance(data, dict) and isinstance(data.get("items"), list) and "pagination" in data
    return paged or ("requestId" in body and "request_id" not in body)


def _bearer_challenge(seen: Observed) -> bool:
    if seen.status != 401 or (seen.auth_scheme or "").lower() != "apikey":
        return False
    challenge = seen.headers.get("www-authenticate", "").lower()
    return challenge.startswith("bearer") or re.search(r"\bbearer\b", seen.text, re.I) is not None


def _upper_case_code(seen: Observed) -> bool:
    error = seen.body.get("error") if isinstance(seen.body, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    return isinstance(code, str) and re.fullmatch(r"[A-Z][A-Z0-9_]*", code) is not None


def _html(seen: Observed) -> bool:
    return seen.headers.get("content-type", "").lower().startswith("text/html")


PLATFORM = "the vendor's live Platform v1 API (reference §10)"

FINGERPRINTS: tuple[Fingerprint, ...] = (
    Fingerprint(
        "platform-v1-path",
        "a path under the documented /api/v1",
        "a path under /platform/v1",
        f"the base URL names {PLATFORM}, which this contract does not describe",
        "/servers/0/url",
        lambda seen: "/platform/v1/" in seen.path + "/",
    ),
    Fingerprint(
        "platform-v1-envelope",
        "the envelope {request_id, data}",
        "the envelope {data: {items, pagination}, requestId} (camelCase)",
        f"the server answers as {PLATFORM}; check the base URL and which API the key is for",
        "",  # the response's own schema
        _platform_envelope,
    ),
    Fingerprint(
        "bearer-auth",
        "Authorization: ApiKey <key>",
        "401 with a Bearer challenge",
        f"the server wants `Authorization: Bearer <key>` as {PLATFORM} does; the documentation "
        "says `ApiKey <key>`",
        "/components/securitySchemes/ApiKeyAuth",
        _bearer_challenge,
    ),
    Fingerprint(
        "upper-case-error-code",
        "a lower snake_case error code",
        "an UPPER_CASE error code",
        f"error codes such as ACCESS_DENIED are those of {PLATFORM}",
        "/components/schemas/ErrorDetail/properties/code",
        _upper_case_code,
    ),
    Fingerprint(
        "html-page",
        "application/json",
        "an HTML page",
        "a login page, a CDN or proxy error page, or a base URL that is no API",
        "/paths",
        _html,
    ),
)


def fingerprint(seen: Observed) -> Fingerprint | None:
    """The first entry of ``FINGERPRINTS`` the exchange matches."""
    return next((entry for entry in FINGERPRINTS if entry.matches(seen)), None)
