"""One request and its answer, wherever it was seen (the proxy, a HAR file, a cassette), and
its record in the proxy's NDJSON log.

A record never holds a secret: credentials headers keep their scheme word only
(``Authorization: ApiKey [redacted]``, which the fingerprints still read), and the key itself is
cut out of every other header, the URL and both bodies.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ._checker import Conformance, auth_scheme, lower_headers
from ._violation import REDACTED, Violation, redact_text

SENSITIVE = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key"}
)


@dataclass(frozen=True, slots=True)
class Exchange:
    method: str
    url: str
    status: int | None  # None: no answer was recorded
    request_headers: Mapping[str, str]  # lower-case names
    response_headers: Mapping[str, str]
    content: bytes  # the response body
    request_body: bytes = b""
    started: str | None = None  # ISO 8601, as the recording gives it
    elapsed_ms: float | None = None
    truncated: bool = False  # the recording kept only part of the body (or none of it)
    source: str = ""  # "<file> entry <n>": for messages

    @property
    def path(self) -> str:
        return urlsplit(self.url).path or "/"

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"


@dataclass(frozen=True, slots=True)
class Checked:
    exchange: Exchange
    operation: str  # operationId, or the exchange's label when it matches none
    matched: bool
    violations: list[Violation] = field(default_factory=list)


def check(
    checker: Conformance,
    exchange: Exchange,
    *,
    base_path: str | None = None,
    secret: str | None = None,
) -> Checked:
    """The records of one exchange. A truncated body is judged on its status and headers."""
    op = checker.operation(exchange.method, exchange.path, base_path)
    name = op.operation_id if op is not None else exchange.label
    if exchange.status is None:
        return Checked(exchange, name, op is not None)
    content = exchange.content if not exchange.truncated else b""
    records = checker.check(
        op if op is not None else exchange.label,
        exchange.status,
        exchange.response_headers,
        content,
        path=exchange.path,
        request_headers=exchange.request_headers,
        secret=secret or key_of(exchange.request_headers),
    )
    if exchange.truncated:  # no body to judge: what the empty one broke is not news
        records = [r for r in records if r.check not in ("schema", "content-type")]
    return Checked(exchange, name, op is not None, records)


def key_of(request_headers: Mapping[str, str]) -> str | None:
    """The credential a request carried (the part after the scheme word), to cut out."""
    value = lower_headers(request_headers).get("authorization", "").strip()
    parts = value.split(None, 1)
    key = parts[-1] if parts else ""
    return key if len(key) >= 4 else None  # too short to cut out of text safely


def redact_headers(headers: Mapping[str, str], secret: str | None) -> dict[str, str]:
    out = {}
    for name, value in lower_headers(headers).items():
        if name in SENSITIVE:
            scheme = (
                auth_scheme({"authorization": value}) if name.endswith("authorization") else None
            )
            value = f"{scheme} {REDACTED}" if scheme and scheme != value.strip() else REDACTED
        out[name] = redact_text(value, secret)
    return out


def _body(content: bytes, secret: str | None) -> dict[str, str]:
    try:
        return {"body": redact_text(content.decode("utf-8"), secret)}
    except UnicodeDecodeError:
        return {"body_base64": base64.b64encode(content).decode("ascii")}


def to_record(checked: Checked, *, outcome: str = "forwarded") -> dict[str, Any]:
    """The NDJSON record of one exchange, secrets removed."""
    exchange = checked.exchange
    secret = key_of(exchange.request_headers)
    request: dict[str, Any] = {"headers": redact_headers(exchange.request_headers, secret)}
    if exchange.request_body:
        request.update(_body(exchange.request_body, secret))
    record: dict[str, Any] = {
        "type": "exchange",
        "at": exchange.started,
        "method": exchange.method,
        "url": redact_text(exchange.url, secret),
        "operation": checked.operation,
        "outcome": outcome,
        "status": exchange.status,
        "elapsed_ms": exchange.elapsed_ms,
        "request": request,
    }
    if exchange.status is not None:
        response = {"headers": redact_headers(exchange.response_headers, secret)}
        record["response"] = {**response, **_body(exchange.content, secret)}
    record["violations"] = [v.to_json() for v in checked.violations]
    return record


def from_record(record: Mapping[str, Any], source: str) -> Exchange:
    """An exchange back from its NDJSON record; ValueError naming what is missing."""
    try:
        request = record.get("request") or {}
        response = record.get("response") or {}
        body = response.get("body")
        content = (
            body.encode("utf-8")
            if isinstance(body, str)
            else base64.b64decode(response.get("body_base64") or "")
        )
        request_body = request.get("body")
        status = record.get("status")
        return Exchange(
            method=str(record["method"]),
            url=str(record["url"]),
            status=int(status) if status is not None else None,
            request_headers=lower_headers(request.get("headers") or {}),
            response_headers=lower_headers(response.get("headers") or {}),
            content=content,
            request_body=request_body.encode("utf-8") if isinstance(request_body, str) else b"",
            started=record.get("at"),
            elapsed_ms=record.get("elapsed_ms"),
            source=source,
        )
    except KeyError as missing:
        raise ValueError(f"no {missing.args[0]!r}") from None
    except (TypeError, AttributeError, ValueError) as bad:
        raise ValueError(f"not a proxy record: {bad}") from None


def dumps(record: Mapping[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))
