"""Operation facts read from ``openapi.yaml`` and nowhere else (client layer, contract runner).

Which operation a request or a generated function belongs to, which statuses it documents,
whether it is cursor-paginated (a ``first``/``after`` query pair and a ``page_info`` member in
its success body), the largest page it allows, its availability and scope markers. Nothing here
names an endpoint by hand.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ._spec import load_spec

_METHODS = ("get", "put", "post", "delete", "patch")
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True, slots=True)
class Operation:
    operation_id: str
    method: str  # upper case
    path: str  # URL template relative to the server URL, e.g. /accounts/{id}
    statuses: frozenset[int]  # documented response statuses
    paginated: bool
    max_page_size: int | None  # the ``first`` parameter's maximum, when paginated
    idempotency_key: bool  # takes an Idempotency-Key header
    availability: str  # x-availability: available | coming-soon | unknown
    scope: str  # x-required-scope
    node: Mapping[str, Any] = field(hash=False, compare=False, repr=False)  # the spec's object

    @property
    def label(self) -> str:
        """How Schemathesis names the operation in its reports."""
        return f"{self.method} {self.path}"

    @property
    def is_write(self) -> bool:
        return self.method in WRITE_METHODS

    def matches(self, method: str, path: str) -> bool:
        """Whether a request (method, path relative to the server URL) targets this operation."""
        return method.upper() == self.method and _template(self.path).fullmatch(path) is not None

    @property
    def module_name(self) -> str:
        """The generated module's name: the operationId in snake_case."""
        return snake_case(self.operation_id)


def snake_case(operation_id: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation_id).lower()


@functools.cache
def _template(path: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)))


def _resolve(spec: Mapping[str, Any], node: object) -> Mapping[str, Any]:
    """Follow local ``$ref``s to the object they name ({} for anything but an object)."""
    seen: set[str] = set()
    while isinstance(node, Mapping) and "$ref" in node:
        ref = str(node["$ref"])
        if not ref.startswith("#/") or ref in seen:
            raise ValueError(f"unsupported or circular $ref {ref!r} in openapi.yaml")
        seen.add(ref)
        target: Any = spec
        for token in ref[2:].split("/"):
            target = target[token.replace("~1", "/").replace("~0", "~")]
        node = target
    return node if isinstance(node, Mapping) else {}


def _success_properties(spec: Mapping[str, Any], operation: Mapping[str, Any]) -> set[str]:
    names: set[str] = set()
    for status, response in (operation.get("responses") or {}).items():
        if not str(status).startswith("2"):
            continue
        content = _resolve(spec, response).get("content") or {}
        schema = _resolve(spec, (content.get("application/json") or {}).get("schema"))
        names.update((schema.get("properties") or {}).keys())
    return names


def _build(spec: Mapping[str, Any]) -> tuple[Operation, ...]:
    found = []
    for path, item in (spec.get("paths") or {}).items():
        shared = list(item.get("parameters") or [])
        for method in _METHODS:
            if method not in item:
                continue
            node = item[method]
            params = [_resolve(spec, p) for p in shared + list(node.get("parameters") or [])]
            query = {p["name"]: p for p in params if p.get("in") == "query"}
            headers = {p["name"].lower() for p in params if p.get("in") == "header"}
            paginated = {"first", "after"} <= query.keys() and "page_info" in _success_properties(
                spec, node
            )
            maximum = (
                _resolve(spec, query["first"].get("schema") or {}).get("maximum")
                if paginated
                else None
            )
            found.append(
                Operation(
                    operation_id=str(node["operationId"]),
                    method=method.upper(),
                    path=str(path),
                    statuses=frozenset(
                        int(s) for s in node.get("responses") or {} if str(s).isdigit()
                    ),
                    paginated=paginated,
                    max_page_size=int(maximum) if maximum is not None else None,
                    idempotency_key="idempotency-key" in headers,
                    availability=str(node.get("x-availability", "unknown")),
                    scope=str(node.get("x-required-scope", "unknown")),
                    node=node,
                )
            )
    return tuple(found)


class OperationIndex:
    """Lookups over the spec's operations, compiled once."""

    def __init__(self, spec: Mapping[str, Any]) -> None:
        self.operations = _build(spec)
        self.by_id = {op.operation_id: op for op in self.operations}
        self.by_module = {op.module_name: op for op in self.operations}
        self.by_label = {op.label: op for op in self.operations}
        self._routes: dict[str, list[tuple[re.Pattern[str], Operation]]] = {}
        for op in self.operations:
            self._routes.setdefault(op.method, []).append((_template(op.path), op))

    def match(self, method: str, url_path: str, base_path: str = "") -> Operation | None:
        """The operation a request targets; ``base_path`` is the server URL's path prefix."""
        base = base_path.rstrip("/")
        relative = url_path[len(base) :] if base and url_path.startswith(base + "/") else url_path
        for pattern, op in self._routes.get(method.upper(), ()):
            if pattern.fullmatch(relative):
                return op
        return None

    def for_function(self, function: object) -> Operation | None:
        """The operation behind a generated endpoint function (``api.<tag>.<op>.sync_detailed``)."""
        module = str(getattr(function, "__module__", "") or "")
        return self.by_module.get(module.rsplit(".", 1)[-1])


@functools.cache
def operations() -> OperationIndex:
    return OperationIndex(load_spec())
