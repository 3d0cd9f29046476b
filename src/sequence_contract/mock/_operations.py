"""The operation table, compiled once from openapi.yaml: paths, methods, parameters, bodies.

Each ``Operation`` knows its route (a regex over the path under ``/api/v1``), its parameter
validators (query, path and header, each with the schema type used to coerce strings) and its
request-body validator, plus the statuses its responses document. Nothing here is hand-written
per operation: adding an operation to the spec adds it to the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator

from ._permissions import RULE_WRITE_SCOPE
from ._schema import SchemaSet, escape

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str  # lower case for headers, which match case-insensitively
    location: str  # "query" | "path" | "header"
    required: bool
    kind: str  # JSON type used to coerce the raw string: "string", "integer", "number", "boolean"
    validator: Draft202012Validator
    default: object = None  # the schema's `default`, used when the request leaves it out
    label: str = ""  # the name as the spec spells it, for error messages


@dataclass(frozen=True, slots=True)
class Body:
    required: bool
    media_types: tuple[str, ...]
    validator: Draft202012Validator | None


@dataclass(slots=True)
class Operation:
    operation_id: str
    method: str
    path: str
    pattern: re.Pattern[str]
    parameters: list[Parameter]
    body: Body | None
    scope: str  # the permission a key needs: the spec's x-required-scope
    header_names: frozenset[str] = field(default_factory=frozenset)


@dataclass(slots=True)
class Route:
    path: str
    pattern: re.Pattern[str]
    operations: dict[str, Operation]  # upper-case method -> operation

    @property
    def allow(self) -> str:
        return ", ".join(sorted(self.operations))


def compile_routes(schemas: SchemaSet) -> list[Route]:
    routes = []
    for path, item in schemas.spec.get("paths", {}).items():
        pattern = _path_pattern(path)
        shared = item.get("parameters", [])
        operations = {}
        for method in METHODS:
            raw = item.get(method)
            if raw is None:
                continue
            pointer = f"/paths/{escape(path)}/{method}"
            operations[method.upper()] = _operation(
                schemas, path, method, pattern, raw, pointer, shared
            )
        routes.append(Route(path, pattern, operations))
    # Literal segments win over templated ones (``/rules/x`` before ``/rules/{id}``).
    routes.sort(key=lambda route: route.path.count("{"))
    return routes


def _path_pattern(path: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}/]+\})", path)
    regex = "".join(
        f"(?P<{part[1:-1]}>[^/]+)" if part.startswith("{") else re.escape(part) for part in parts
    )
    return re.compile(f"^{regex}$")


def _operation(
    schemas: SchemaSet,
    path: str,
    method: str,
    pattern: re.Pattern[str],
    raw: dict[str, Any],
    pointer: str,
    shared: list[Any],
) -> Operation:
    parameters: dict[tuple[str, str], Parameter] = {}
    for number, entry in enumerate([*shared, *raw.get("parameters", [])]):
        entry_pointer = (
            str(entry["$ref"])[1:] if "$ref" in entry else f"{pointer}/parameters/{number}"
        )
        resolved = schemas.mapping(entry)
        location = resolved["in"]
        if location == "cookie":
            continue
        name = resolved["name"] if location != "header" else str(resolved["name"]).lower()
        schema = schemas.resolve(resolved.get("schema", {}))
        parameters[(location, name)] = Parameter(
            name=name,
            label=str(resolved["name"]),
            location=location,
            required=bool(resolved.get("required", location == "path")),
            kind=_kind(schemas, schema),
            validator=schemas.validator(f"{entry_pointer}/schema"),
            default=schema.get("default") if isinstance(schema, dict) else None,
        )
    return Operation(
        operation_id=raw["operationId"],
        method=method.upper(),
        path=path,
        pattern=pattern,
        parameters=list(parameters.values()),
        body=_body(schemas, raw.get("requestBody"), f"{pointer}/requestBody"),
        scope=_scope(raw),
        header_names=frozenset(p.name for p in parameters.values() if p.location == "header"),
    )


def _scope(raw: dict[str, Any]) -> str:
    """The spec's x-required-scope. It says ``unknown`` for the rule writes only; the mock asks
    CREATE_AND_EDIT_RULES for them (the scope the agent notes name), and refuses any other."""
    scope = str(raw.get("x-required-scope", "unknown"))
    if scope != "unknown":
        return scope
    if raw.get("operationId") in ("createRule", "updateRule", "deleteRule"):
        return RULE_WRITE_SCOPE
    raise RuntimeError(f"{raw.get('operationId')}: openapi.yaml gives no x-required-scope")


def _kind(schemas: SchemaSet, schema: object) -> str:
    schema = schemas.resolve(schema)
    if not isinstance(schema, dict):
        return "string"
    declared = schema.get("type")
    types = declared if isinstance(declared, list) else [declared]
    for kind in ("integer", "number", "boolean"):
        if kind in types:
            return kind
    for branch in schema.get("anyOf", []) + schema.get("oneOf", []) + schema.get("allOf", []):
        kind = _kind(schemas, branch)
        if kind != "string":
            return kind
    return "string"


def _body(schemas: SchemaSet, raw: object, pointer: str) -> Body | None:
    if raw is None:
        return None
    if isinstance(raw, dict) and "$ref" in raw:
        pointer = str(raw["$ref"])[1:]
    raw = schemas.mapping(raw)
    content = raw.get("content", {})
    validator = None
    if "application/json" in content and "schema" in content["application/json"]:
        validator = schemas.validator(f"{pointer}/content/application~1json/schema")
    return Body(bool(raw.get("required", False)), tuple(content), validator)


def find(routes: list[Route], path: str) -> tuple[Route, dict[str, str]] | None:
    for route in routes:
        match = route.pattern.match(path)
        if match is not None:
            return route, match.groupdict()
    return None
