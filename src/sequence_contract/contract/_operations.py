"""The operations of the contract as the runner sees them: method, path, availability, scope.

Read from ``openapi.yaml`` (webhooks are not requests we send, so they are left out).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
#: Methods that can change state on the server. Everything else is a read.
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str  # upper case, as on the wire
    path: str  # URL template relative to the server, e.g. /accounts/{id}
    availability: str  # available | coming-soon | unknown
    scope: str  # x-required-scope
    node: dict[str, Any]

    @property
    def label(self) -> str:
        """How Schemathesis names the operation in its reports."""
        return f"{self.method} {self.path}"

    @property
    def is_write(self) -> bool:
        return self.method in WRITE_METHODS

    def matches(self, method: str, path: str) -> bool:
        """Whether a request (method, path relative to the server) targets this operation."""
        return method.upper() == self.method and _template(self.path).fullmatch(path) is not None


def _template(path: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}/]+\})", path)
    return re.compile("".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts))


def operations(spec: dict[str, Any]) -> list[Operation]:
    found = []
    for path, item in (spec.get("paths") or {}).items():
        for method in HTTP_METHODS:
            node = item.get(method)
            if isinstance(node, dict):
                found.append(
                    Operation(
                        operation_id=str(node["operationId"]),
                        method=method.upper(),
                        path=path,
                        availability=str(node.get("x-availability", "unknown")),
                        scope=str(node.get("x-required-scope", "unknown")),
                        node=node,
                    )
                )
    return found


def by_id(spec: dict[str, Any]) -> dict[str, Operation]:
    return {op.operation_id: op for op in operations(spec)}


def by_label(spec: dict[str, Any]) -> dict[str, Operation]:
    return {op.label: op for op in operations(spec)}


def find(spec: dict[str, Any], method: str, path: str) -> Operation | None:
    """The operation a concrete request targets, or None."""
    for op in operations(spec):
        if op.matches(method, path):
            return op
    return None
