"""Response schemas compiled for traffic: fast enough to check every response a client gets.

The Python ``jsonschema`` validators of the toolkit take about 90 ms for a 100-transfer page;
``jsonschema-rs`` takes about 0.2 ms. Two documents are derived from openapi.yaml for it, each
with the same structure (so a path through one is a path through openapi.yaml):

* **open**: the contract as written. The one date-time rule of the toolkit is added as a
  ``pattern`` beside ``format: date-time``/``date`` (jsonschema-rs's own check also allows a
  leap second and year 0; together they are exactly the toolkit's rule);
* **closed**: the open one, plus ``unevaluatedProperties: false`` where a schema names its
  properties (so a field the documentation does not name is found), and each open enum's
  ``x-known-values`` as an ``enum`` (so a value it does not list is found). Closing happens where
  a schema is used, never inside an ``allOf`` branch, whose siblings name the other fields.

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
#: Year 0000 is valid RFC 3339 but no Python date: the toolkit rejects it, so does the pattern.
_NOT_YEAR_0 = "(?!0000)"
PATTERNS = {
    "date-time": _NOT_YEAR_0 + _DATE_TIME.pattern.removeprefix("^"),
    "date": _NOT_YEAR_0 + _DATE.pattern.removeprefix("^"),
}
_BRANCHES = ("anyOf", "oneOf")
_SINGLE = ("items", "additionalProperties", "not", "if", "then", "else", "contains")


@dataclass(frozen=True, slots=True)
class Added:
    """What the derivation put at one node: read back when an error names that keyword."""

    closed: bool = False  # unevaluatedProperties
    known: bool = False  # enum from x-known-values
    pattern: str | None = None  # format whose rule became a pattern


class Derived:
    """The open and closed documents of one spec, and validators for its response schemas."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.open: dict[str, Any] = copy.deepcopy(dict(spec.document))
        self.closed: dict[str, Any] = copy.deepcopy(dict(spec.document))
        self.exact = True  # closed-valid implies open-valid
        for document, close in ((self.open, False), (self.closed, True)):
            for node, keep_open in _schemas(document):
                _derive(document, node, close=close, keep_open=keep_open)
            self.exact &= not any("oneOf" in n or "not" in n for n, _ in _schemas(document))
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

    def added(self, pointer: str) -> Added:
        """What the closed document added at ``pointer`` (a node of openapi.yaml)."""
        original = lookup(self.spec.document, pointer)
        derived = lookup(self.closed, pointer)
        if not isinstance(original, Mapping) or not isinstance(derived, Mapping):
            return Added()
        fmt = original.get("format")
        return Added(
            closed="unevaluatedProperties" in derived and "unevaluatedProperties" not in original,
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


def _schemas(document: Json) -> Iterator[tuple[dict[str, Any], bool]]:
    """Every schema node of the responses and components, with whether it is a place that must
    not be closed: a component definition (closed where it is used), an ``allOf`` branch (its
    siblings name the other fields), an ``anyOf``/``oneOf`` branch (the node holding the
    branches is closed instead, seeing the fields of the branch that matched)."""
    roots: list[tuple[Json, bool]] = [(s, True) for s in document["components"]["schemas"].values()]
    for item in (document.get("paths") or {}).values():
        for operation in item.values():
            if isinstance(operation, Mapping):
                for response in (operation.get("responses") or {}).values():
                    roots += [(m["schema"], False) for m in _media(response)]
    for response in (document["components"].get("responses") or {}).values():
        roots += [(m["schema"], False) for m in _media(response)]
    seen: set[int] = set()
    while roots:
        node, keep_open = roots.pop()
        if not isinstance(node, dict) or id(node) in seen:
            continue
        seen.add(id(node))
        yield node, keep_open
        roots += [(child, False) for child in (node.get("properties") or {}).values()]
        roots += [(child, False) for key in _SINGLE if isinstance(child := node.get(key), dict)]
        roots += [(child, True) for key in ("allOf", *_BRANCHES) for child in node.get(key) or []]


def _media(response: Json) -> list[Mapping[str, Any]]:
    content = response.get("content") if isinstance(response, Mapping) else None
    return [m for m in (content or {}).values() if isinstance(m, Mapping) and "schema" in m]


def _derive(document: Json, node: dict[str, Any], *, close: bool, keep_open: bool) -> None:
    fmt = node.get("format")
    if fmt in PATTERNS and "pattern" not in node:
        node["pattern"] = PATTERNS[fmt]
    if not close:
        return
    known = node.get("x-known-values")
    if isinstance(known, list) and "enum" not in node and "const" not in node:
        types = node.get("type")
        nullable = types == "null" or (isinstance(types, list) and "null" in types)
        node["enum"] = [*known, None] if nullable else list(known)
    open_ended = any(k in node for k in ("additionalProperties", "unevaluatedProperties"))
    if not keep_open and not open_ended and declared(document, node) is not None:
        node["unevaluatedProperties"] = False
