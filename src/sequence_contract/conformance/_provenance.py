"""Which kind of fact a failure hit: documented (``doc``) or ours (``filled`` / ``choice``).

openapi.yaml marks every fact the documentation does not plainly show with ``x-provenance``;
anything unmarked is ``doc``. A failure is classified by the innermost marker on the way from
the operation to the part of the contract it broke: the operation, the response for the status
received, then every schema node along the failing JSON Schema path, and, for a missing
required member, that member's own schema. So a 200 body lacking ``can_be_source`` is ``doc``
(the pages show it), one with a wrong ``balance`` is ``filled``.

**A marker belongs to the node that carries it and what is written inside it, never to what it
refers to.** Following a ``$ref`` starts afresh: the referenced schema, parameter, header or
response counts as ``doc`` unless it carries a marker of its own. So ``Transfer.amount_in_cents``
is ``doc`` in getTransfer's answer, inside a ``choice`` list page (``TransferListResponse``)
and in a webhook alike, and a 404 body that is not the ``Error`` envelope is ``doc`` although
the 404 response (``NotFound``) is ``filled``: the envelope is documented, whichever answer
carries it. Only an operation's own marker reaches everything about it (``floor``): when the
operation itself is a guess of ours (createRule), so is every answer it gives.

Response-side checks re-validate the recorded body or headers against the spec; request-side
checks (``negative_data_rejection``) validate the request parts the case sent, to find the
constraint the server did not enforce. Checks that judge the server rather than the contract
(``not_a_server_error``, ``ignored_auth``, …) fall back to the operation's marker.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from jsonschema.exceptions import ValidationError

from ..spec import DOC, Operation, Spec, escape, lookup

Json = Any  # a parsed JSON value (the spec, a body, a parameter)
OURS = ("filled", "choice")


@dataclass(frozen=True)
class Verdict:
    kind: str  # doc | filled | choice
    where: str  # JSON pointer into openapi.yaml of the innermost marked (or reached) node
    detail: str  # what failed, e.g. "data/balance: 'x' is not of type 'integer', 'null'"


class _Walk:
    """Collects x-provenance markers while descending the spec, following ``$ref``s."""

    def __init__(
        self, spec: Spec, pointer: str, inherited: str | None = None, floor: str | None = None
    ) -> None:
        self.spec = spec
        self.pointer = pointer
        self.node: Json = lookup(spec.document, pointer)
        self.kind = inherited  # the marker met so far (outer ones count: the caller passes them)
        self.floor = floor  # the operation's marker: what a $ref starts afresh from
        self.marked_at: str | None = None
        self._note()

    def _note(self) -> None:
        if isinstance(self.node, dict) and self.node.get("x-provenance") in OURS:
            self.kind, self.marked_at = str(self.node["x-provenance"]), self.pointer

    def resolve(self, token: str | None = None) -> None:
        """Follow ``$ref``s until the node holds ``token`` itself (or, without one, no ``$ref``).
        The referenced node starts afresh: no marker passes through a ``$ref``."""
        while isinstance(self.node, dict) and "$ref" in self.node and token not in self.node:
            self.pointer = str(self.node["$ref"]).removeprefix("#")
            self.node = lookup(self.spec.document, self.pointer)
            self.kind, self.marked_at = self.floor, None
            self._note()

    def member(self) -> None:
        """At a property: its kind is its own schema's when it refers to one (a missing member
        is judged by what it is), while the pointer stays on the property."""
        pointer, node = self.pointer, self.node
        if isinstance(node, dict) and "$ref" in node and "x-provenance" not in node:
            self.resolve()
            self.pointer, self.node = pointer, node
            self.marked_at = self.marked_at if self.kind else None

    def step(self, token: str | int) -> bool:
        """Descend one token; False when the spec has no such child (the walk stays put)."""
        self.resolve(str(token))
        if isinstance(self.node, list) and isinstance(token, int) and token < len(self.node):
            child = self.node[token]
        elif isinstance(self.node, dict) and str(token) in self.node:
            child = self.node[str(token)]
        else:
            return False
        self.node, self.pointer = child, f"{self.pointer}/{escape(str(token))}"
        self._note()
        return True

    def walk(self, tokens: Iterable[str | int]) -> _Walk:
        for token in tokens:
            if not self.step(token):
                break
        return self

    def verdict(self, detail: str) -> Verdict:
        return Verdict(self.kind or DOC, self.marked_at or self.pointer, detail)


def descend(
    spec: Spec,
    pointer: str,
    tokens: Iterable[str | int] = (),
    inherited: str | None = None,
    floor: str | None = None,
) -> _Walk:
    """A walk from ``pointer`` along schema ``tokens`` (``$ref``s followed, ``$ref`` tokens
    skipped): ``.pointer`` is the node reached, ``.kind`` the innermost marker since the last
    ``$ref`` (``inherited`` counts as an outer one; ``floor``, the operation's, is never left),
    ``.node`` the spec's object there."""
    return _Walk(spec, pointer, inherited, floor).walk(t for t in tokens if t != "$ref")


def operation_marker(operation: Operation) -> str | None:
    """The operation's own x-provenance when it is ours (it reaches everything about it)."""
    return operation.provenance if operation.provenance in OURS else None


def response_marker(spec: Spec, operation: Operation, status: int) -> tuple[str | None, str]:
    """(the marker of a response: its operation's or its own, its resolved pointer)."""
    op_kind = operation_marker(operation)
    walk = _Walk(spec, f"{operation.pointer}/responses/{status}", op_kind, op_kind)
    walk.resolve()
    return walk.kind, walk.pointer


def _errors(spec: Spec, pointer: str, value: Json) -> list[ValidationError]:
    found = []
    for error in spec.validators.errors(pointer, value):
        while error.context:  # anyOf / oneOf: the branch that got deepest into the value
            error = max(error.context, key=lambda e: (len(e.absolute_path), e.validator != "type"))
        found.append(error)
    return found


def _schema_verdicts(
    spec: Spec, pointer: str, value: Json, inherited: str | None, label: str, floor: str | None
) -> list[Verdict]:
    verdicts = []
    for error in _errors(spec, pointer, value):
        tokens = list(error.absolute_schema_path)  # $refs are entered without a token
        walk = _Walk(spec, pointer, inherited, floor).walk(tokens[:-1])  # last: the keyword
        at = "".join(f"/{p}" for p in error.absolute_path)
        if error.validator == "required":
            missing = re.match(r"^'(.+)' is a required property$", error.message)
            if missing and walk.step("properties") and walk.step(missing.group(1)):
                walk.member()
        verdicts.append(walk.verdict(f"{label}{at}: {error.message}"))
    return verdicts


def classify(
    spec: Spec,
    operation: Operation,
    check: str,
    *,
    status: int | None = None,
    headers: Mapping[str, str] | None = None,
    body: Json = None,
    request: Mapping[str, Any] | None = None,
) -> list[Verdict]:
    """The verdicts for one failed check (at least one). ``body`` is parsed JSON or None."""
    op_pointer = operation.pointer
    op_kind = operation_marker(operation)
    response = operation.responses.get(status) if status is not None else None
    fallback = Verdict(op_kind or DOC, op_pointer, f"{check}: judged on the operation")
    if check == "status_code_conformance":
        return [Verdict(op_kind or DOC, f"{op_pointer}/responses", f"status {status} undocumented")]
    if check == "negative_data_rejection" and request is not None:
        return _request_verdicts(spec, operation, op_pointer, op_kind, request) or [fallback]
    if response is None:
        return [fallback]
    response_walk = _Walk(spec, f"{op_pointer}/responses/{status}", op_kind, op_kind)
    response_walk.resolve()
    response_kind, response_pointer = response_walk.kind, response_walk.pointer
    if check == "response_schema_conformance" and body is not None:
        schema = f"{response_pointer}/content/application~1json/schema"
        found = _schema_verdicts(spec, schema, body, response_kind, "body", op_kind)
        return found or [response_walk.verdict("body: no difference found on re-validation")]
    if check == "response_headers_conformance":
        found = _header_verdicts(spec, response_pointer, response_kind, headers or {}, op_kind)
        return found or [response_walk.verdict("headers: no difference found on re-validation")]
    return [response_walk.verdict(f"{check}: judged on the {status} response")]


def _header_verdicts(
    spec: Spec,
    response: str,
    inherited: str | None,
    headers: Mapping[str, str],
    floor: str | None,
) -> list[Verdict]:
    received = {name.lower(): value for name, value in headers.items()}
    verdicts = []
    for name in lookup(spec.document, response).get("headers") or {}:
        walk = _Walk(spec, response, inherited, floor).walk(["headers", name])
        walk.resolve()
        declared = walk.node if isinstance(walk.node, dict) else {}
        value = received.get(name.lower())
        if value is None:
            if declared.get("required"):
                verdicts.append(walk.verdict(f"header {name}: missing"))
            continue
        if "schema" in declared:
            typed: Any = int(value) if re.fullmatch(r"-?[0-9]+", value) else value
            verdicts.extend(
                _schema_verdicts(
                    spec, f"{walk.pointer}/schema", typed, walk.kind, f"header {name}", floor
                )
            )
    return verdicts


_LOCATIONS = {"path": "path_parameters", "query": "query", "header": "headers"}


def _request_verdicts(
    spec: Spec,
    operation: Operation,
    op_pointer: str,
    op_kind: str | None,
    request: Mapping[str, Any],
) -> list[Verdict]:
    """Verdicts for the request parts that break the contract (what the server let through)."""
    verdicts = []
    for index in range(len(operation.node.get("parameters") or [])):
        walk = _Walk(spec, f"{op_pointer}/parameters/{index}", op_kind, op_kind)
        walk.resolve()
        declared = walk.node
        container = request.get(_LOCATIONS.get(declared.get("in", ""), "")) or {}
        sent = {str(k).lower(): v for k, v in container.items()}
        name = str(declared.get("name", ""))
        if name.lower() not in sent:
            if declared.get("required"):
                verdicts.append(walk.verdict(f"{declared['in']} {name}: missing"))
            continue
        verdicts.extend(
            _schema_verdicts(
                spec, f"{walk.pointer}/schema", sent[name.lower()], walk.kind,
                f"{declared['in']} {name}", op_kind,
            )
        )  # fmt: skip
    body = operation.node.get("requestBody")
    if body is not None:
        walk = _Walk(spec, f"{op_pointer}/requestBody", op_kind, op_kind)
        walk.resolve()
        if "body" not in request or request["body"] is None:
            if walk.node.get("required"):
                verdicts.append(walk.verdict("body: missing"))
        else:
            schema = f"{walk.pointer}/content/application~1json/schema"
            verdicts.extend(
                _schema_verdicts(spec, schema, request["body"], walk.kind, "body", op_kind)
            )
    return verdicts
