"""The records of one answer: what ``Conformance.check`` found, one ``Violation`` each.

``Records`` holds what they share (operation, status, request id, the marker the response
inherits) and builds each record from a failed check: an undocumented status, a header, a
jsonschema-rs error of the open schema (a violation) or of the closed one (``info``: a field or
open-enum value the documentation does not name). The schema pointer and the provenance come
from walking the spec along the error's evaluation path (``_provenance.descend``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from ..spec import DOC, Operation, Response, escape
from ._provenance import OURS, descend
from ._schemas import declared
from ._violation import INFO, VIOLATION, Violation, shorten

if TYPE_CHECKING:
    from ._checker import Conformance

Json = Any


@dataclass(frozen=True, slots=True)
class HeaderRule:
    """A documented response header, resolved once."""

    name: str  # as the spec spells it
    key: str  # lower case
    required: bool
    provenance: str
    pointer: str  # the header object
    schema: str | None  # its schema


class Records:
    """The records of one answer, and what they share (operation, status, request id)."""

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
        self.floor = self.inherited  # the operation's marker: no $ref leaves it
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
        walk = descend(self.spec, schema, error.evaluation_path[:-1], self.inherited, self.floor)
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
            if walk.step("properties") and walk.step(member):
                walk.member()
        elif keyword == "pattern" and added.pattern:
            keyword, expected = "format", f"format {added.pattern} (RFC 3339)"
        elif keyword == "format":
            expected = f"format {node.get('format')} (RFC 3339)"
        self.record(
            "schema", keyword, VIOLATION, walk.kind or DOC, pointer, walk.pointer, expected, found
        )

    def _info(self, schema: str, error: jsonschema_rs.ValidationError) -> None:
        walk = descend(self.spec, schema, error.evaluation_path[:-1], self.inherited, self.floor)
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
