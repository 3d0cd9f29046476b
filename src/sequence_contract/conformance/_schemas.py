"""Response schemas compiled for traffic: fast enough to check every response a client gets.

The Python ``jsonschema`` validators of the toolkit take about 90 ms for a 100-transfer page;
``jsonschema-rs`` takes about 0.1 ms. Two documents are derived from openapi.yaml for it, each
with the same structure (so a path through one is a path through openapi.yaml):

* **open**: the contract as written. The one date-time rule of the toolkit is added as a
  ``pattern`` beside ``format: date-time``/``date`` (jsonschema-rs's own check also allows a
  leap second and year 0; together they are exactly the toolkit's rule);
* **closed**: the open one, closed to what the documentation does not name: each open enum's
  ``x-known-values`` becomes an ``enum``, and objects refuse fields their schema does not name.
  A plain object schema gets ``additionalProperties: false`` (cheap); one that is composed
  (``allOf``), or is a branch of someone's ``allOf``, is closed where it is used, with
  ``unevaluatedProperties: false``, which sees the fields of every branch.

A body valid against the closed document is valid against the open one (no ``oneOf``/``not``
in the responses; checked when built), so the common case costs one validation.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import jsonschema_rs

from ..spec import Spec, lookup, resolve_node
from ..spec._jsonschema import _DATE, _DATE_TIME

Json = Any
#: Year 0000 is valid RFC 3339 but no Python date: the toolkit rejects it, so does the pattern
#: (spelled without a look-ahead, which would cost jsonschema-rs its fast regex engine).
_YEAR = "(?:000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})"


def _without_year_0(pattern: str) -> str:
    head = r"^(\d{4})-" if pattern.startswith(r"^(\d{4})-") else r"^\d{4}-"
    if not pattern.startswith(head):
        raise ValueError(f"the toolkit's date pattern changed: {pattern}")
    return f"^{_YEAR}-" + pattern.removeprefix(head)


PATTERNS = {
    "date-time": _without_year_0(_DATE_TIME.pattern),
    "date": _without_year_0(_DATE.pattern),
}
_BRANCHES = ("anyOf", "oneOf")
_SINGLE = ("items", "additionalProperties", "not", "if", "then", "else", "contains")


@dataclass(frozen=True, slots=True)
class Added:
    """What the derivation put at one node: read back when an error names that keyword."""

    closed: bool = False  # additionalProperties or unevaluatedProperties
    known: bool = False  # enum from x-known-values
    pattern: str | None = None  # format whose rule became a pattern


class Derived:
    """The open and closed documents of one spec, and validators for its response schemas."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.open: dict[str, Any] = copy.deepcopy(dict(spec.document))
        self.closed: dict[str, Any] = copy.deepcopy(dict(spec.document))
        self.exact = True  # closed-valid implies open-valid
        for document in (self.open, self.closed):
            for node, _ in _schemas(document):
                _pattern(node)
            self.exact &= not any("oneOf" in n or "not" in n for n, _ in _schemas(document))
        _close(self.closed)
        self._validators: dict[tuple[str, bool], jsonschema_rs.Validator] = {}

    def validator(self, pointer: str, *, closed: bool) -> jsonschema_rs.Validator:
        """A validator of the schema at ``pointer`` (in openapi.yaml), compiled once."""
        found = self._validators.get((pointer, closed))
        if found is None:
            root = dict(self.closed if closed else self.open)
            root["$ref"] = "#" + quote(pointer, safe="/~")
            found = jsonschema_rs.Draft202012Validator(root, validate_formats=True)
            self._validators[(pointer, closed)] = found
        return found

    def is_valid(self, pointer: str, body: Json) -> bool:
        """Whether ``body`` breaks nothing and goes beyond nothing the schema names."""
        if not self.validator(pointer, closed=True).is_valid(body):
            return False
        return self.exact or self.validator(pointer, closed=False).is_valid(body)

    def holds(self, pointer: str, keyword: str, *, closed: bool) -> bool:
        """Whether the derived node at ``pointer`` has ``keyword`` (else it is behind a $ref)."""
        node = lookup(self.closed if closed else self.open, pointer)
        return isinstance(node, Mapping) and keyword in node

    def added(self, pointer: str) -> Added:
        """What the closed document added at ``pointer`` (a node of openapi.yaml)."""
        original = lookup(self.spec.document, pointer)
        derived = lookup(self.closed, pointer)
        if not isinstance(original, Mapping) or not isinstance(derived, Mapping):
            return Added()
        fmt = original.get("format")
        closers = ("additionalProperties", "unevaluatedProperties")
        return Added(
            closed=any(k in derived and k not in original for k in closers),
            known="enum" in derived and "enum" not in original,
            pattern=fmt if "pattern" not in original and fmt in PATTERNS else None,
        )


def declared(document: Json, node: Json) -> set[str] | None:
    """Every property a schema names, through ``$ref`` and ``allOf`` (and every branch of an
    ``anyOf``); None when it names none (a free-form object)."""
    names: set[str] = set()
    pending = [node]
    seen = 0
    while pending and seen < 200:
        seen += 1
        current = resolve_node(document, pending.pop())
        if not isinstance(current, Mapping):
            continue
        names.update(current.get("properties") or {})
        for key in ("allOf", *_BRANCHES):
            pending.extend(current.get(key) or [])
    return names or None


DEFINITION, PART, POSITION = "definition", "part", "position"


def _schemas(document: Json) -> Iterator[tuple[dict[str, Any], str]]:
    """Every schema node of the responses and components, with its role: a component
    ``DEFINITION``, a ``PART`` (an ``allOf`` branch: its siblings name the other fields), or a
    ``POSITION`` where a value is validated (a property, ``items``, a branch of an ``anyOf``, a
    response body)."""
    roots: list[tuple[Json, str]] = [
        (schema, DEFINITION) for schema in document["components"]["schemas"].values()
    ]
    for item in (document.get("paths") or {}).values():
        for operation in item.values():
            if isinstance(operation, Mapping):
                for response in (operation.get("responses") or {}).values():
                    roots += [(m["schema"], POSITION) for m in _media(response)]
    for response in (document["components"].get("responses") or {}).values():
        roots += [(m["schema"], POSITION) for m in _media(response)]
    seen: set[int] = set()
    while roots:
        node, role = roots.pop()
        if not isinstance(node, dict) or id(node) in seen:
            continue
        seen.add(id(node))
        yield node, role
        roots += [(child, POSITION) for child in (node.get("properties") or {}).values()]
        roots += [(c, POSITION) for key in _SINGLE if isinstance(c := node.get(key), dict)]
        roots += [(child, POSITION) for key in _BRANCHES for child in node.get(key) or []]
        roots += [(child, PART) for child in node.get("allOf") or []]


def _media(response: Json) -> list[Mapping[str, Any]]:
    content = response.get("content") if isinstance(response, Mapping) else None
    return [m for m in (content or {}).values() if isinstance(m, Mapping) and "schema" in m]


def _pattern(node: dict[str, Any]) -> None:
    fmt = node.get("format")
    if fmt in PATTERNS and "pattern" not in node:
        node["pattern"] = PATTERNS[fmt]


_OPEN_ENDED = ("additionalProperties", "unevaluatedProperties", "patternProperties")


def _close(document: Json) -> None:
    nodes = list(_schemas(document))
    parts = {  # schemas some allOf is made of: closed where used, never in themselves
        id(resolve_node(document, part)) for node, _ in nodes for part in node.get("allOf") or []
    }
    for node, role in nodes:
        known = node.get("x-known-values")
        if isinstance(known, list) and "enum" not in node and "const" not in node:
            types = node.get("type")
            nullable = types == "null" or (isinstance(types, list) and "null" in types)
            node["enum"] = [*known, None] if nullable else list(known)
        if any(key in node for key in _OPEN_ENDED):
            continue
        composed = any(key in node for key in ("allOf", "anyOf", "oneOf", "$ref"))
        if "properties" in node and not composed and role != PART and id(node) not in parts:
            node["additionalProperties"] = False
        elif role == POSITION:
            target = resolve_node(document, node)
            if isinstance(target, Mapping) and ("allOf" in target or id(target) in parts):
                node["unevaluatedProperties"] = False
