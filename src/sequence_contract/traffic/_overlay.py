"""Observed traffic as an OpenAPI Overlay 1.0.0 document: the patch a maintainer reviews.

Each ``Finding`` (``_evidence``) becomes one action on its place in openapi.yaml:

* an undocumented field: ``update`` adds it to the object's ``properties``, typed from the
  values seen (``infer``): type, ``null`` when seen, a format every value has, and the values
  themselves as ``x-known-values`` (this contract's open enum) when few distinct strings recur;
* an undocumented enum value: appended to the ``enum`` or ``x-known-values`` array;
* an undocumented status: a response added, its body the ``Error`` envelope when it is one;
* an undocumented response header: added to the response's ``headers``;
* an absent required field: the ``required`` array replaced without it. Overlay 1.0.0 cannot
  remove one string from an array ("Primitive-valued items of an array cannot be replaced or
  removed individually"), so this one change is two actions: remove the array, add it back;
* a value outside the documented type: the type widened.

Every action carries ``x-provenance: observed``, ``x-evidence`` (count, first and last seen,
up to three request ids, a redacted example) and a ``description`` naming the operations.
Actions that contradict a [doc] fact carry ``x-contradicts: doc`` and come first; the rest
follow in the order of their targets. Nothing depends on time or on the order of the input
beyond first/last seen, so the same traffic gives the same bytes.
"""

from __future__ import annotations

import re
import sys
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from ..spec import Spec, lookup, parse_date_time, unescape
from ._evidence import FIELD, HEADER, OPTIONAL, STATUS, TYPE, VALUE, Evidence, Finding

Json = Any
OVERLAY_VERSION = "1.0.0"
KNOWN_VALUES_MAX = 5  # at most this many distinct strings become x-known-values...
KNOWN_VALUES_REPEAT = 2  # ...each seen this many times on average
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def jsonpath(pointer: str) -> str:
    """The RFC 9535 JSONPath of the node at a JSON pointer: ``$.components.schemas['A-b']``."""
    path = "$"
    for token in pointer.split("/")[1:]:
        name = unescape(token)
        if _NAME.match(name):
            path += f".{name}"
        else:
            path += "['" + name.replace("\\", "\\\\").replace("'", "\\'") + "']"
    return path


def json_type(value: Json) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def infer(values: list[Json], depth: int = 0) -> dict[str, Json]:
    """A JSON Schema for the values seen: type(s), format, open enum, items and properties."""
    types = {json_type(v) for v in values}
    if {"integer", "number"} <= types:
        types.discard("integer")  # every integer is a number
    order = ["string", "integer", "number", "boolean", "object", "array", "null"]
    listed = [t for t in order if t in types]
    schema: dict[str, Json] = {"type": listed[0] if len(listed) == 1 else listed}
    strings = [v for v in values if isinstance(v, str)]
    if strings and len(strings) == len([v for v in values if v is not None]):
        fmt = _format(strings)
        distinct = sorted(set(strings))
        if fmt:
            schema["format"] = fmt
        elif len(distinct) <= KNOWN_VALUES_MAX and len(strings) >= KNOWN_VALUES_REPEAT * len(
            distinct
        ):
            schema["x-known-values"] = distinct
    objects = [v for v in values if isinstance(v, dict)]
    if objects and depth < 3:
        names = sorted({name for obj in objects for name in obj})
        schema["properties"] = {
            name: infer([obj[name] for obj in objects if name in obj], depth + 1) for name in names
        }
    arrays = [item for v in values if isinstance(v, list) for item in v]
    if arrays and depth < 3:
        schema["items"] = infer(arrays, depth + 1)
    return schema


def _format(strings: list[str]) -> str | None:
    def every(test: Any) -> bool:  # noqa: ANN401 - a predicate on one string
        try:
            return all(test(s) for s in strings)
        except ValueError:
            return False

    if every(lambda s: parse_date_time(s) is not None):
        return "date-time"
    if every(lambda s: _DATE.match(s) is not None):
        return "date"
    if every(lambda s: uuid.UUID(s) is not None and len(s) == 36):
        return "uuid"
    return None


class Builder:
    """Turns findings into Overlay actions for one spec."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec

    def actions(self, findings: Iterable[Finding]) -> list[dict[str, Json]]:
        keyed: list[tuple[tuple[bool, str, str, int], dict[str, Json]]] = []
        for finding in findings:
            made = self._actions(finding)
            for index, action in enumerate(made):
                evidence = {
                    "count": finding.count,
                    "first_seen": finding.first_seen,
                    "last_seen": finding.last_seen,
                    "request_ids": list(finding.request_ids),
                    "example": finding.example,
                }
                action["x-provenance"] = "observed"
                action["x-evidence"] = evidence
                if finding.contradicts:
                    action["x-contradicts"] = "doc"
                order = (not finding.contradicts, made[0]["target"], finding.member, index)
                keyed.append((order, action))
        # The actions of one finding (a removal, then the update after it) stay together.
        return [action for _, action in sorted(keyed, key=lambda pair: pair[0])]

    def document(self, findings: Iterable[Finding], *, extends: str) -> dict[str, Json]:
        actions = self.actions(findings)
        contradictions = sum(1 for a in actions if "x-contradicts" in a)
        return {
            "overlay": OVERLAY_VERSION,
            "info": {
                "title": f"Observed traffic against {extends}",
                "version": "1.0.0",
                "x-summary": f"{len(actions)} actions, {contradictions} contradicting a [doc] "
                "fact (listed first). Review each; apply with scripts/generate --overlay.",
            },
            "extends": extends,
            "actions": actions,
        }

    def _actions(self, finding: Finding) -> list[dict[str, Json]]:
        ops = ", ".join(sorted(finding.operations))
        seen = f"seen in {finding.count} answer{'s' if finding.count != 1 else ''} ({ops})"
        where = finding.pointer
        if finding.change == FIELD:
            schema = infer(finding.values)
            text = f"Add the undocumented field `{finding.member}` to `{_name(where)}`, {seen}; "
            text += f"typed from {len(finding.values)} values as {_describe(schema)}."
            return [_act(where, text, {"properties": {finding.member: schema}})]
        if finding.change == VALUE:
            value = yaml.safe_load(finding.member)  # JSON is YAML
            array = where.rsplit("/", 1)[-1]
            text = f"Add the value {finding.member} to the `{array}` of `{_name(where)}`, {seen}."
            return [_act(where, text, value)]
        if finding.change == STATUS:
            text = f"Document the status {finding.member}, {seen}."
            return [_act(where, text, {finding.member: self._response(finding)})]
        if finding.change == HEADER:
            name = "-".join(part.capitalize() for part in finding.member.split("-"))
            schema = infer([int(v) if v.isdigit() else v for v in finding.values])
            text = f"Document the response header `{name}`, {seen}."
            header = {"description": f"Observed: {seen}.", "schema": schema}
            return [_act(where, text, {"headers": {name: header}})]
        if finding.change == OPTIONAL:
            return self._optional(finding, seen)
        return self._widen(finding, seen)

    def _response(self, finding: Finding) -> dict[str, Json]:
        response: dict[str, Json] = {"description": "Observed: not in the documentation."}
        bodies = [v for v in finding.values if v is not None]
        if bodies:
            error = self.spec.validators.validator("/components/schemas/Error")
            if all(error.is_valid(body) for body in bodies):
                schema: dict[str, Json] = {"$ref": "#/components/schemas/Error"}
            else:
                schema = infer(bodies)
            response["content"] = {"application/json": {"schema": schema}}
        return response

    def _optional(self, finding: Finding, seen: str) -> list[dict[str, Json]]:
        required = list(lookup(self.spec.document, finding.pointer).get("required") or [])
        missing = sorted(finding.missing)
        rest = [name for name in required if name not in finding.missing]
        names = ", ".join(f"`{m}`" for m in missing)
        text = f"Make {names} of `{_name(finding.pointer)}` optional: absent, {seen}."
        actions = [
            {"target": jsonpath(f"{finding.pointer}/required"),
             "description": text + (" (1/2: the list goes; the next action puts the rest back)"
                                    if rest else ""),
             "remove": True},
        ]  # fmt: skip
        if rest:
            again = f"{text} (2/2: `required` without them)"
            actions.append(_act(finding.pointer, again, {"required": rest}))
        return actions

    def _widen(self, finding: Finding, seen: str) -> list[dict[str, Json]]:
        assert finding.change == TYPE
        declared = lookup(self.spec.document, finding.pointer)["type"]
        had = [declared] if isinstance(declared, str) else list(declared)
        inferred = infer(finding.values)["type"] if finding.values else []
        new = [inferred] if isinstance(inferred, str) else list(inferred)
        if "number" in had:
            new = [t for t in new if t != "integer"]
        added = [t for t in new if t not in had]
        text = f"Widen the type of `{_name(finding.pointer)}` from {had} to {had + added}: "
        text += f"other values {seen}."
        if isinstance(declared, str):
            return [_act(finding.pointer, text, {"type": had + added})]
        return [_act(f"{finding.pointer}/type", text, kind) for kind in added]


def _act(pointer: str, description: str, update: Json) -> dict[str, Json]:
    return {"target": jsonpath(pointer), "description": description, "update": update}


def _name(pointer: str) -> str:
    """A reader's name for a schema node: ``Card.status``, ``listTransfers 200``."""
    parts = [unescape(t) for t in pointer.split("/")[1:]]
    if parts[:2] == ["components", "schemas"] and len(parts) > 2:
        inner = [p for p in parts[3:] if p not in ("properties", "x-known-values", "enum")]
        return ".".join([parts[2], *inner])
    return "/".join(parts[1:]) or pointer


def _describe(schema: Mapping[str, Json]) -> str:
    text = str(schema["type"]) if isinstance(schema["type"], str) else " or ".join(schema["type"])
    if "format" in schema:
        text += f" ({schema['format']})"
    if "x-known-values" in schema:
        text += f", values {', '.join(schema['x-known-values'])}"
    return text


def dumps(document: Mapping[str, Json]) -> str:
    """The overlay as YAML: the same document always gives the same bytes."""
    return yaml.safe_dump(dict(document), sort_keys=False, allow_unicode=True, width=4096)


def write_overlay(evidence: Evidence, path: Path, extends: str, command: str) -> None:
    """Write the overlay of ``evidence`` to ``path`` (nothing when there is nothing to change)."""
    if not evidence.findings:
        print(f"{command}: no divergence to propose: {path} not written", file=sys.stderr)
        return
    document = Builder(evidence.spec).document(evidence.findings.values(), extends=extends)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(document), encoding="utf-8")
    print(
        f"{command}: {len(document['actions'])} overlay actions written to {path}", file=sys.stderr
    )
