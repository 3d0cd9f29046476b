"""Does one response keep the contract? ``Conformance.check`` answers with violation records.

For a documented operation it checks, in order: a divergence fingerprint (one record replaces
everything else when the whole answer has a known foreign shape), the status, the content type,
the documented headers (``X-Request-ID``), and the body against the response schema, error
envelope included. A field, status or open-enum value the documentation does not name is an
``info`` record. The provenance of each record comes from the classifier the contract suite
uses (``conformance._provenance``): the innermost ``x-provenance`` from the operation through the
response and every schema on the way to the violated node.

    checker = conformance()                       # for the installed openapi.yaml, built once
    records = checker.check(op, 200, response.headers, response.content)
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from typing import Any

from ..spec import DOC, Operation, Response, Spec, escape, model
from ._answer_records import HeaderRule, Records
from ._fingerprints import Observed, fingerprint
from ._provenance import descend, operation_marker, response_marker
from ._schemas import Derived
from ._violation import VIOLATION, Violation, shorten

Json = Any
JSON_TYPE = "application/json"


def lower_headers(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, str]:
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    return {str(name).lower(): str(value) for name, value in pairs}


def auth_scheme(request_headers: Mapping[str, str]) -> str | None:
    """The scheme word of an Authorization header (``ApiKey``, ``Bearer``), never the key."""
    value = lower_headers(request_headers).get("authorization", "").strip()
    return value.split(None, 1)[0] if value else None


class Conformance:
    """Response checks for one compiled spec (``conformance()`` caches the installed one's)."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.schemas = Derived(spec)
        self.server_path = _server_path(spec)
        self._markers: dict[tuple[str, int], str | None] = {}
        self._headers: dict[tuple[str, int], list[HeaderRule]] = {}

    def marker(self, operation: Operation, status: int) -> str | None:
        """The x-provenance a response inherits from its operation and itself (cached)."""
        key = (operation.operation_id, status)
        if key not in self._markers:
            self._markers[key] = response_marker(self.spec, operation, status)[0]
        return self._markers[key]

    def header_rules(self, operation: Operation, response: Response) -> list[HeaderRule]:
        """The documented headers of one response of one operation (resolved once)."""
        key = (operation.operation_id, response.status)
        found = self._headers.get(key)
        if found is None:
            marker = self.marker(operation, response.status)
            found = []
            for name in response.headers:
                at = f"{response.pointer}/headers/{escape(name)}"
                walk = descend(self.spec, at, (), marker, operation_marker(operation))
                walk.resolve()
                node = walk.node if isinstance(walk.node, Mapping) else {}
                schema = f"{walk.pointer}/schema" if "schema" in node else None
                found.append(HeaderRule(name, name.lower(), bool(node.get("required")),
                                        walk.kind or DOC, walk.pointer, schema))  # fmt: skip
            self._headers[key] = found
        return found

    def operation(self, method: str, path: str, base_path: str | None = None) -> Operation | None:
        """The documented operation a request targets. ``path`` is the URL path as sent; the
        base path is ``base_path``, else the spec server's path wherever it occurs, else none."""
        if base_path is not None:
            return self.spec.match(method, path, base_path)
        at = path.find(self.server_path + "/") if self.server_path else -1
        if at >= 0:
            return self.spec.match(method, path[at + len(self.server_path) :])
        return self.spec.match(method, path)

    def check(
        self,
        operation: Operation | str,
        status: int,
        headers: Mapping[str, str],
        content: bytes,
        *,
        path: str = "",
        request_headers: Mapping[str, str] | None = None,
        secret: str | None = None,
        decoded: tuple[Json, bool] | None = None,
    ) -> list[Violation]:
        """Every violation and info record of one response. ``operation``: the documented one,
        or a label (``GET /path``) for a request that matches none, which only the
        fingerprints can judge. ``decoded``: (the body, whether it is JSON) when the caller
        has parsed it already."""
        received = lower_headers(headers)
        body, parsed = decoded if decoded is not None and decoded[1] else _parse(content)
        op = operation if isinstance(operation, Operation) else None
        run = Records(
            self,
            op,
            str(operation) if op is None else op.operation_id,
            status,
            received.get("x-request-id"),
            secret,
        )
        response = op.responses.get(status) if op is not None else None
        found = fingerprint(
            Observed(
                path,
                status,
                received,
                body,
                content[:1024].decode("utf-8", "replace"),
                auth_scheme(request_headers or {}),
            ),
        )
        if found is not None:
            where = found.schema_pointer or (response and response.schema_pointer) or "/paths"
            return [
                run.record(
                    "fingerprint",
                    found.name,
                    VIOLATION,
                    DOC,
                    None,
                    where,
                    found.expected,
                    found.found,
                    note=found.reason,
                )
            ]
        if op is None:
            return []
        if response is None:
            return [run.undocumented_status(op)]
        run.inherited = self.marker(op, status)
        run.check_headers(op, response, received)
        if response.schema_pointer is None:
            return run.records
        kind = received.get("content-type", "").split(";", 1)[0].strip().lower()
        if kind != JSON_TYPE:
            run.record(
                "content-type",
                "content-type",
                VIOLATION,
                run.kind,
                None,
                f"{response.pointer}/content",
                JSON_TYPE,
                shorten(kind or "no content-type"),
            )
        if not parsed:
            what = "an empty body" if not content.strip() else shorten(body, secret)
            run.record(
                "schema",
                "not-json",
                VIOLATION,
                run.kind,
                "",
                response.schema_pointer,
                "a JSON body",
                what,
            )
            return run.records
        if not self.schemas.is_valid(response.schema_pointer, body):
            run.check_body(response.schema_pointer, body)
        return run.records


@functools.cache
def conformance(spec: Spec | None = None) -> Conformance:
    """The checker of ``spec`` (default: the installed openapi.yaml), built once."""
    return Conformance(spec or model())


def _parse(content: bytes) -> tuple[Json, bool]:
    if not content.strip():
        return None, False
    try:
        return json.loads(content), True
    except ValueError:
        return content[:200].decode("utf-8", "replace"), False


def _server_path(spec: Spec) -> str:
    from urllib.parse import urlsplit

    servers = spec.document.get("servers") or [{}]
    return urlsplit(str(servers[0].get("url", ""))).path.rstrip("/")
