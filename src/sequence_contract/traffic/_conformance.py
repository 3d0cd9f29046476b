"""Does one response keep the contract? ``Conformance.check`` answers with violation records.

For a documented operation it checks, in order: a divergence fingerprint (one record replaces
everything else when the whole answer has a known foreign shape), the status, the content type,
the documented headers (``X-Request-ID``), and the body against the response schema, error
envelope included. A field, status or open-enum value the documentation does not name is an
``info`` record. The provenance of each record comes from the classifier the contract suite
uses (``contract._provenance``): the innermost ``x-provenance`` from the operation through the
response and every schema on the way to the violated node.

    checker = conformance()                       # for the installed openapi.yaml, built once
    records = checker.check(op, 200, response.headers, response.content)
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import jsonschema_rs

from .._violation import INFO, VIOLATION, Violation, shorten
from ..contract._provenance import OURS, descend, response_marker
from ..spec import DOC, Operation, Response, Spec, escape, model
from ._fingerprints import Seen, fingerprint
from ._schemas import Derived, declared

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
                walk = descend(self.spec, at, (), marker)
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
        run = _Run(
            self,
            op,
            str(operation) if op is None else op.operation_id,
            status,
            received.get("x-request-id"),
            secret,
        )
        response = op.responses.get(status) if op is not None else None
        found = fingerprint(
            Seen(
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


@dataclass(frozen=True, slots=True)
class HeaderRule:
    """A documented response header, resolved once."""

    name: str  # as the spec spells it
    key: str  # lower case
    required: bool
    provenance: str
    pointer: str  # the header object
    schema: str | None  # its schema


@functools.cache
def conformance(spec: Spec | None = None) -> Conformance:
    """The checker of ``spec`` (default: the installed openapi.yaml), built once."""
    return Conformance(spec or model())


class _Run:
    """The records of one check, and what they share (operation, status, request id)."""

    def __init__(
        self,
        checker: Conformance,
        operation: Operation | None,
        label: str,
        status: int,
        rid: str | None,
        secret: str | None,
    ) -> None:
        self.checker = checker
        self.spec = checker.spec
        self.label = label
        self.status = status
        self.rid = rid
        self.secret = secret
        marker = operation.provenance if operation is not None else DOC
        self.inherited: str | None = marker if marker in OURS else None
        self.records: list[Violation] = []
        self._seen: set[tuple[str, str, str | None]] = set()

    @property
    def kind(self) -> str:
        return self.inherited or DOC

    def record(
        self,
        check: str,
        kind: str,
        severity: str,
        provenance: str,
        pointer: str | None,
        schema_pointer: str,
        expected: str,
        found: str,
        *,
        note: str = "",
    ) -> Violation:
        record = Violation(
            self.label,
            self.status,
            self.rid,
            check,
            kind,
            severity,
            provenance,
            pointer,
            schema_pointer,
            expected,
            found,
            note,
        )
        key = (severity, kind, pointer if pointer is not None else schema_pointer)
        if key not in self._seen:
            self._seen.add(key)
            self.records.append(record)
        return record

    def undocumented_status(self, operation: Operation) -> Violation:
        # A 2xx/3xx the documentation does not list leaves the caller without a schema for the
        # body: a violation. A 4xx/5xx still maps to its status error: the API teaching us.
        severity = VIOLATION if self.status < 400 else INFO
        documented = ", ".join(str(s) for s in sorted(operation.statuses))
        return self.record(
            "status",
            "undocumented-status",
            severity,
            self.kind,
            None,
            f"{operation.pointer}/responses",
            f"one of {documented}",
            str(self.status),
        )

    def check_headers(
        self, operation: Operation, response: Response, received: Mapping[str, str]
    ) -> None:
        for rule in self.checker.header_rules(operation, response):
            value = received.get(rule.key)
            if value is None:
                if rule.required:
                    self.record(
                        "headers", "missing-header", VIOLATION, rule.provenance, None,
                        rule.pointer, f"header {rule.name}", "no such header",
                    )  # fmt: skip
                continue
            if rule.schema is None:
                continue
            typed: Json = int(value) if value.lstrip("-").isdigit() else value
            if self.checker.schemas.validator(rule.schema, closed=False).is_valid(typed):
                continue
            for error in self.spec.validators.errors(rule.schema, typed):
                self.record(
                    "headers", str(error.validator), VIOLATION, rule.provenance, None,
                    rule.schema, f"header {rule.name}: {error.validator} "
                    f"{shorten(error.validator_value)}", shorten(value, self.secret),
                )  # fmt: skip

    def check_body(self, schema: str, body: Json) -> None:
        schemas = self.checker.schemas
        for error in _leaves(schemas.validator(schema, closed=False).iter_errors(body)):
            self._violation(schema, error)
        for error in _leaves(schemas.validator(schema, closed=True).iter_errors(body)):
            self._info(schema, error)

    def _violation(self, schema: str, error: jsonschema_rs.ValidationError) -> None:
        keyword = error.kind.name
        walk = descend(self.spec, schema, error.evaluation_path[:-1], self.inherited)
        if not self.checker.schemas.holds(walk.pointer, keyword, closed=False):
            walk.resolve(keyword)  # the path ended on a $ref: the keyword is where it leads
        pointer = _pointer(error.instance_path)
        node = walk.node if isinstance(walk.node, Mapping) else {}
        expected = f"{keyword} {shorten(node.get(keyword))}"
        found = shorten(error.instance, self.secret)
        added = self.checker.schemas.added(walk.pointer)
        if keyword == "required" and isinstance(
            error.kind, jsonschema_rs.ValidationErrorKind.Required
        ):
            member = str(error.kind.property)
            pointer, expected, found = (
                f"{pointer}/{escape(member)}",
                f"required field {member!r}",
                "absent",
            )
            if walk.step("properties"):
                walk.step(member)
        elif keyword == "pattern" and added.pattern:
            keyword, expected = "format", f"format {added.pattern} (RFC 3339)"
        elif keyword == "format":
            expected = f"format {node.get('format')} (RFC 3339)"
        self.record(
            "schema", keyword, VIOLATION, walk.kind or DOC, pointer, walk.pointer, expected, found
        )

    def _info(self, schema: str, error: jsonschema_rs.ValidationError) -> None:
        walk = descend(self.spec, schema, error.evaluation_path[:-1], self.inherited)
        kind = error.kind
        if not self.checker.schemas.holds(walk.pointer, kind.name, closed=True):
            walk.resolve(kind.name)
        added = self.checker.schemas.added(walk.pointer)
        pointer = _pointer(error.instance_path)
        closing = (
            jsonschema_rs.ValidationErrorKind.UnevaluatedProperties,
            jsonschema_rs.ValidationErrorKind.AdditionalProperties,
        )
        if isinstance(kind, closing) and added.closed:
            names = declared(self.spec.document, walk.node) or set()
            instance = error.instance if isinstance(error.instance, dict) else {}
            walk.resolve()
            for name in kind.unexpected:
                if name not in names:  # a named field counts as unevaluated when it failed
                    self.record(
                        "schema",
                        "undocumented-field",
                        INFO,
                        walk.kind or DOC,
                        f"{pointer}/{escape(name)}",
                        walk.pointer,
                        "only the fields the schema names",
                        shorten(instance.get(name), self.secret),
                    )
        elif isinstance(kind, jsonschema_rs.ValidationErrorKind.Enum) and added.known:
            known = walk.node.get("x-known-values") if isinstance(walk.node, Mapping) else None
            self.record(
                "schema",
                "undocumented-value",
                INFO,
                walk.kind or DOC,
                pointer,
                walk.pointer,
                f"one of x-known-values {shorten(known)}",
                shorten(error.instance, self.secret),
            )


def _leaves(
    errors: Iterable[jsonschema_rs.ValidationError],
) -> Iterator[jsonschema_rs.ValidationError]:
    """Errors with ``anyOf``/``oneOf`` replaced by the branch error that got deepest into the
    value (the branch the author meant), as the contract suite's classifier does."""
    for error in errors:
        context = getattr(error.kind, "context", None)
        flat = [e for branch in context or [] for e in branch]
        if flat:
            best = max(flat, key=lambda e: (len(e.instance_path), e.kind.name != "type"))
            yield from _leaves([best])
        else:
            yield error


def _pointer(path: Iterable[str | int]) -> str:
    return "".join(f"/{escape(str(token))}" for token in path)


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
