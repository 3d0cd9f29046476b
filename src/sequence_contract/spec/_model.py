"""The compiled model of openapi.yaml: every operation's facts, compiled once, used by everyone.

The client layer, the contract runner and the test fixtures read it directly; the mock wraps
each operation with its compiled validators (``mock/_routes.py``). Nothing here is written per
endpoint: an operation added to the spec is in the model.

    spec = model()                           # the installed openapi.yaml, compiled once
    op = spec.by_id["listTransfers"]         # Operation: method, path, parameters, statuses, ...
    found = spec.route("/rules/rule_1")      # Route + path arguments; one order for everyone
    op = spec.match("PUT", "/api/v1/rules/rule_1", base_path="/api/v1")
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._jsonschema import Json, Validators, escape, lookup, resolve
from ._load import load_spec, spec_path

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
DOC = "doc"  # the provenance of a node without an ``x-provenance`` marker
IDEMPOTENCY_KEY = "idempotency-key"


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str  # as the spec spells it (error messages)
    key: str  # how a request names it: lower case for headers, which match case-insensitively
    location: str  # "query" | "path" | "header" | "cookie"
    required: bool
    kind: str  # JSON type a raw string coerces to: "string", "integer", "number", "boolean"
    pointer: str  # JSON pointer of the parameter object (after $refs)
    default: object = None  # the schema's ``default``
    minimum: int | float | None = None
    maximum: int | float | None = None

    @property
    def schema_pointer(self) -> str:
        return f"{self.pointer}/schema"


@dataclass(frozen=True, slots=True)
class Body:
    required: bool
    media_types: tuple[str, ...]
    schema_pointer: str | None  # the application/json schema, when there is one


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    pointer: str  # the response object (after $refs)
    schema_pointer: str | None  # its application/json schema
    headers: tuple[str, ...]  # documented header names, as spelled


@dataclass(frozen=True, slots=True, eq=False)  # compiled once: identity is equality
class Operation:
    operation_id: str
    method: str  # upper case
    path: str  # URL template relative to the server URL (e.g. /accounts/{id}), or a webhook name
    tag: str  # the first tag ("" when none): the mock's handler module
    pointer: str  # /paths/<path>/<method> (or /webhooks/...)
    parameters: tuple[Parameter, ...]
    body: Body | None
    responses: Mapping[int, Response]
    paginated: bool  # a first/after query pair and a page_info member in its success body
    max_page_size: int | None  # the ``first`` parameter's maximum, when paginated
    idempotency_key: bool  # takes an Idempotency-Key header
    availability: str  # x-availability: available | coming-soon | unknown
    required_scope: str  # x-required-scope: the permission a key needs
    provenance: str  # x-provenance of the operation: doc | filled | choice
    webhook: bool = False
    node: Mapping[str, Any] = field(default_factory=dict, repr=False)  # the spec's own object

    @property
    def statuses(self) -> frozenset[int]:
        """Documented response statuses."""
        return frozenset(self.responses)

    @property
    def label(self) -> str:
        """How Schemathesis names the operation in its reports."""
        return f"{self.method} {self.path}"

    @property
    def is_write(self) -> bool:
        return self.method in WRITE_METHODS

    @property
    def module_name(self) -> str:
        """The generated module's (and the mock handler's) name: the operationId in snake_case."""
        return snake_case(self.operation_id)

    def matches(self, method: str, path: str) -> bool:
        """Whether a request (method, path relative to the server URL) targets this operation."""
        return method.upper() == self.method and _pattern(self.path).fullmatch(path) is not None


@dataclass(frozen=True, slots=True, eq=False)
class Route:
    """One path of the spec and the operations on it."""

    path: str
    pattern: re.Pattern[str]
    operations: Mapping[str, Operation]  # upper-case method -> operation

    @property
    def allow(self) -> str:
        return ", ".join(sorted(self.operations))


def snake_case(operation_id: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation_id).lower()


@functools.cache
def _pattern(path: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}/]+\})", path)
    regex = "".join(
        f"(?P<{part[1:-1]}>[^/]+)" if part.startswith("{") else re.escape(part) for part in parts
    )
    return re.compile(regex)  # used with fullmatch: no anchors, no "$" before a newline


class Spec:
    """One compiled openapi.yaml. Build with ``model()`` (cached per file) or ``Spec(document)``."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self.operations = tuple(_compile(document, "paths"))
        self.webhooks = tuple(_compile(document, "webhooks"))
        self.by_id = {op.operation_id: op for op in self.operations}
        self.by_label = {op.label: op for op in self.operations}
        self.by_module = {op.module_name: op for op in self.operations}
        routes: dict[str, dict[str, Operation]] = {}
        for op in self.operations:
            routes.setdefault(op.path, {})[op.method] = op
        # The one route order: literal segments win over templated ones (``/rules/x`` before
        # ``/rules/{id}``), otherwise the spec's order.
        self.routes = sorted(
            (Route(path, _pattern(path), ops) for path, ops in routes.items()),
            key=lambda route: route.path.count("{"),
        )

    @functools.cached_property
    def validators(self) -> Validators:
        """Validators for pointers into this spec, compiled on first use and cached."""
        return Validators(self.document)

    def route(self, path: str) -> tuple[Route, dict[str, str]] | None:
        """The route a path (relative to the server URL) falls on, with its path arguments."""
        for route in self.routes:
            found = route.pattern.fullmatch(path)
            if found is not None:
                return route, found.groupdict()
        return None

    def match(self, method: str, url_path: str, base_path: str = "") -> Operation | None:
        """The operation a request targets; ``base_path`` is the server URL's path prefix."""
        base = base_path.rstrip("/")
        if base:
            if not url_path.startswith(base + "/"):
                return None
            url_path = url_path[len(base) :]
        found = self.route(url_path)
        return None if found is None else found[0].operations.get(method.upper())

    def for_function(self, function: object) -> Operation | None:
        """The operation behind a generated endpoint function (``api.<tag>.<op>.sync_detailed``)."""
        module = str(getattr(function, "__module__", "") or "")
        return self.by_module.get(module.rsplit(".", 1)[-1])

    def provenance(self, pointer: str) -> str:
        """The innermost ``x-provenance`` on the way from the root to ``pointer`` (no ``$ref``
        followed: give the pointer of the node itself); ``doc`` when nothing is marked."""
        kind, node = DOC, self.document
        for token in ["", *pointer.split("/")[1:]]:
            node = lookup(node, "/" + token) if token else node
            if isinstance(node, Mapping) and node.get("x-provenance") in ("filled", "choice"):
                kind = str(node["x-provenance"])
        return kind


@functools.cache
def model(path: Path | None = None) -> Spec:
    """The compiled model of the installed openapi.yaml (or of ``path``), built once."""
    return Spec(load_spec(path or spec_path()))


def model_at(path: Path) -> Spec:
    """The compiled model of another contract (``--spec``, ``connect(spec=...)``), built once;
    ValueError naming the file when it is missing or no OpenAPI document."""
    if not path.is_file():
        raise ValueError(f"spec: no such file {str(path)!r}")
    try:
        compiled = model(path.resolve())
    except (ValueError, KeyError, TypeError, AttributeError) as bad:
        raise ValueError(f"spec: {str(path)!r} is not an OpenAPI document ({bad})") from None
    if not compiled.operations:
        raise ValueError(f"spec: {str(path)!r} has no operations under paths")
    return compiled


# -- compilation ---------------------------------------------------------------------------------


def _compile(document: Mapping[str, Any], section: str) -> list[Operation]:
    found = []
    for path, item in (document.get(section) or {}).items():
        shared = list(item.get("parameters") or [])
        for method in METHODS:
            node = item.get(method)
            if node is None:
                continue
            pointer = f"/{section}/{escape(path)}/{method}"
            found.append(_operation(document, section, path, method, node, pointer, shared))
    return found


def _operation(
    document: Mapping[str, Any],
    section: str,
    path: str,
    method: str,
    node: Mapping[str, Any],
    pointer: str,
    shared: list[Json],
) -> Operation:
    parameters: dict[tuple[str, str], Parameter] = {}
    own = list(node.get("parameters") or [])
    entries = [(f"/{section}/{escape(path)}/parameters/{i}", p) for i, p in enumerate(shared)]
    entries += [(f"{pointer}/parameters/{i}", p) for i, p in enumerate(own)]
    for at, _ in entries:
        parameter = _parameter(document, at)
        parameters[(parameter.location, parameter.key)] = parameter  # an operation's own wins
    responses = {
        int(status): _response(document, f"{pointer}/responses/{escape(str(status))}", int(status))
        for status in node.get("responses") or {}
        if str(status).isdigit()
    }
    query = {p.key: p for p in parameters.values() if p.location == "query"}
    paginated = {"first", "after"} <= query.keys() and any(
        "page_info" in _properties(document, response.schema_pointer)
        for response in responses.values()
        if 200 <= response.status < 300
    )
    maximum = query["first"].maximum if paginated else None
    tags = node.get("tags") or [""]
    return Operation(
        operation_id=str(node.get("operationId", "")),
        method=method.upper(),
        path=str(path),
        tag=str(tags[0]),
        pointer=pointer,
        parameters=tuple(parameters.values()),
        body=_body(document, f"{pointer}/requestBody") if "requestBody" in node else None,
        responses=responses,
        paginated=paginated,
        max_page_size=int(maximum) if maximum is not None else None,
        idempotency_key=("header", IDEMPOTENCY_KEY) in parameters,
        availability=str(node.get("x-availability", "unknown")),
        required_scope=str(node.get("x-required-scope", "unknown")),
        provenance=str(node.get("x-provenance", DOC)),
        webhook=section == "webhooks",
        node=node,
    )


def _parameter(document: Mapping[str, Any], pointer: str) -> Parameter:
    pointer, raw = resolve(document, pointer)
    location = str(raw["in"])
    name = str(raw["name"])
    schema = resolve(document, f"{pointer}/schema")[1] if "schema" in raw else {}
    return Parameter(
        name=name,
        key=name.lower() if location == "header" else name,
        location=location,
        required=bool(raw.get("required", location == "path")),
        kind=_kind(document, schema),
        pointer=pointer,
        default=schema.get("default") if isinstance(schema, Mapping) else None,
        minimum=_number(schema, "minimum"),
        maximum=_number(schema, "maximum"),
    )


def _number(schema: Json, keyword: str) -> int | float | None:
    value = schema.get(keyword) if isinstance(schema, Mapping) else None
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _kind(document: Mapping[str, Any], schema: Json) -> str:
    """The JSON type a raw parameter string is read as (the first non-string one declared)."""
    if isinstance(schema, Mapping) and "$ref" in schema:
        schema = resolve(document, str(schema["$ref"]).removeprefix("#"))[1]
    if not isinstance(schema, Mapping):
        return "string"
    declared = schema.get("type")
    types = declared if isinstance(declared, list) else [declared]
    for kind in ("integer", "number", "boolean"):
        if kind in types:
            return kind
    for branch in [*schema.get("anyOf", []), *schema.get("oneOf", []), *schema.get("allOf", [])]:
        kind = _kind(document, branch)
        if kind != "string":
            return kind
    return "string"


def _body(document: Mapping[str, Any], pointer: str) -> Body:
    pointer, raw = resolve(document, pointer)
    content = raw.get("content") or {}
    schema = None
    if "schema" in (content.get("application/json") or {}):
        schema = f"{pointer}/content/application~1json/schema"
    return Body(bool(raw.get("required", False)), tuple(content), schema)


def _response(document: Mapping[str, Any], pointer: str, status: int) -> Response:
    pointer, raw = resolve(document, pointer)
    content = raw.get("content") or {}
    schema = None
    if "schema" in (content.get("application/json") or {}):
        schema = f"{pointer}/content/application~1json/schema"
    return Response(status, pointer, schema, tuple(raw.get("headers") or {}))


def _properties(document: Mapping[str, Any], pointer: str | None) -> set[str]:
    if pointer is None:
        return set()
    schema = resolve(document, pointer)[1]
    return set((schema.get("properties") or {}) if isinstance(schema, Mapping) else ())
