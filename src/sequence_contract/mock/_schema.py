"""JSON Schema validators compiled from openapi.yaml: the mock never restates a schema.

The whole spec is registered as one resource; every validator is a ``$ref`` into it, so nested
``#/components/...`` references resolve against the spec itself. Formats ``date-time`` (RFC 3339,
as the ``rfc3339-validator`` package reads it) and ``date`` are always checked.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Any, cast

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_URI = "urn:sequence-contract:openapi"

_DATE_TIME = re.compile(
    r"^(\d{4})-(0[1-9]|1[0-2])-(\d{2})T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?"
    r"(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$",
    re.ASCII,
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)

FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time")
def is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    match = _DATE_TIME.match(value)
    if match is None:
        return False
    year, month, day = (int(part) for part in match.groups())
    return year > 0 and 1 <= day <= calendar.monthrange(year, month)[1]


@FORMATS.checks("date", raises=ValueError)
def is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE.match(value):
        return False
    date.fromisoformat(value)
    return True


def escape(token: str) -> str:
    """One JSON-pointer reference token."""
    return token.replace("~", "~0").replace("/", "~1")


class SchemaSet:
    """Validators for pointers into one spec document, compiled once and cached."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        resource = Resource.from_contents(spec, default_specification=DRAFT202012)
        self.registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
        self._validators: dict[str, Draft202012Validator] = {}
        self._properties: dict[str, frozenset[str]] = {}

    def validator(self, pointer: str) -> Draft202012Validator:
        """A validator for the schema at ``pointer`` (e.g. ``/components/schemas/Transfer``)."""
        found = self._validators.get(pointer)
        if found is None:
            # What jsonschema does when it follows a ``$ref``: the referenced schema with a
            # resolver rooted at the whole spec, so nested ``#/components/...`` references
            # resolve there and no top-level ``$ref`` is followed on every validation.
            reference = Draft202012Validator(
                {"$ref": f"{SPEC_URI}#{pointer}"}, registry=self.registry, format_checker=FORMATS
            )
            resolved = self.registry.resolver(base_uri=SPEC_URI).lookup(f"#{pointer}")
            while isinstance(resolved.contents, dict) and set(resolved.contents) == {"$ref"}:
                resolved = resolved.resolver.lookup(resolved.contents["$ref"])
            found = cast(
                Draft202012Validator,
                reference.evolve(schema=resolved.contents, _resolver=resolved.resolver),
            )
            self._validators[pointer] = found
        return found

    def component(self, name: str) -> Draft202012Validator:
        return self.validator(f"/components/schemas/{escape(name)}")

    def properties(self, name: str) -> frozenset[str]:
        """Every property component ``name`` declares, through ``allOf`` and ``$ref``."""
        found = self._properties.get(name)
        if found is None:
            names: set[str] = set()
            pending: list[Any] = [self.lookup(f"#/components/schemas/{escape(name)}")]
            while pending:
                node = self.resolve(pending.pop())
                if isinstance(node, dict):
                    names.update(node.get("properties", {}))
                    pending.extend(node.get("allOf", []))
            found = self._properties[name] = frozenset(names)
        return found

    def resolve(self, node: object) -> object:
        """Follow ``$ref`` chains (local pointers) until a non-reference node."""
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 32:
            node = self.lookup(str(node["$ref"]))
            seen += 1
        return node

    def mapping(self, node: object) -> dict[str, Any]:
        """``resolve`` for nodes that must be objects (parameters, bodies, schemas)."""
        resolved = self.resolve(node)
        if not isinstance(resolved, dict):
            raise ValueError(f"expected an object in openapi.yaml, got {resolved!r}")
        return resolved

    def lookup(self, ref: str) -> object:
        if not ref.startswith("#"):
            raise ValueError(f"only local references are supported, got {ref!r}")
        node: Any = self.spec
        for token in ref[1:].split("/")[1:]:
            token = token.replace("~1", "/").replace("~0", "~")
            node = node[int(token)] if isinstance(node, list) else node[token]
        return node


def first_error(validator: Draft202012Validator, instance: object) -> ValidationError | None:
    """The most relevant validation error, or None when ``instance`` is valid."""
    found: ValidationError | None = best_match(validator.iter_errors(instance))
    return found


def describe(error: ValidationError, root: str) -> str:
    """``root.field[0].x: message`` — where the problem is and what it is."""
    where = root
    for part in error.absolute_path:
        where += f"[{part}]" if isinstance(part, int) else f".{part}"
    message = error.message
    if len(message) > 300:
        message = message[:297] + "..."
    return f"{where}: {message}" if where else message
