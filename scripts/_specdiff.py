"""Structural diff of two OpenAPI documents, each change marked breaking for a client or not.

Operations are matched by operationId (webhooks too), parameters by location and name, statuses
by code, schemas property by property with ``$ref``s followed. The rule: a client built on the
old document must keep working. So a request may not narrow what it accepts (a new required
field or parameter, a removed enum member, a tighter bound, a removed property) and a response
may not widen what it returns (a new enum member: generated clients reject unknown members; a
field no longer required; a new type) nor lose a property or a documented status. Composition
(``anyOf``/``oneOf``/``allOf``) is compared branch by branch; a changed shape is breaking.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sequence_contract.spec import Spec, resolve_node

Json = Any  # a parsed YAML/JSON node
REQUEST, RESPONSE = "request", "response"
_COMPOSITION = ("allOf", "anyOf", "oneOf")
#: bound -> True when a larger value narrows what is valid
_BOUNDS = {
    "minimum": True,
    "exclusiveMinimum": True,
    "minLength": True,
    "minItems": True,
    "maximum": False,
    "exclusiveMaximum": False,
    "maxLength": False,
    "maxItems": False,
}


@dataclass(frozen=True)
class Change:
    breaking: bool
    subject: str  # what a changelog names: the operationId (or the client class/module)
    where: str  # e.g. "createRule request body steps[].conditions"
    text: str


class _Diff:
    def __init__(self, old: Mapping[str, Json], new: Mapping[str, Json]) -> None:
        self.old, self.new = old, new
        self.changes: list[Change] = []

    def add(self, breaking: bool, subject: str, where: str, text: str) -> None:
        self.changes.append(Change(breaking, subject, where, text))

    # -- operations -------------------------------------------------------------------------

    def operations(self) -> None:
        old, new = dict(_operations(self.old)), dict(_operations(self.new))
        for op_id in sorted(old.keys() - new.keys()):
            self.add(True, op_id, old[op_id][0], "operation removed")
        for op_id in sorted(new.keys() - old.keys()):
            self.add(False, op_id, new[op_id][0], "operation added")
        for op_id in sorted(old.keys() & new.keys()):
            (old_at, old_op), (new_at, new_op) = old[op_id], new[op_id]
            if old_at != new_at:
                self.add(True, op_id, new_at, f"moved from {old_at}")
            self.parameters(op_id, old_op, new_op)
            self.body(op_id, old_op, new_op)
            self.responses(op_id, old_op, new_op)

    def parameters(self, op_id: str, old_op: Json, new_op: Json) -> None:
        old, new = _parameters(self.old, old_op), _parameters(self.new, new_op)
        for key in sorted(old.keys() - new.keys()):
            self.add(True, op_id, f"{key[0]} parameter {key[1]}", "parameter removed")
        for key in sorted(new.keys() - old.keys()):
            required = bool(new[key].get("required"))
            state = "required" if required else "optional"
            self.add(required, op_id, f"{key[0]} parameter {key[1]}", f"{state} parameter added")
        for key in sorted(old.keys() & new.keys()):
            where = f"{key[0]} parameter {key[1]}"
            was, now = bool(old[key].get("required")), bool(new[key].get("required"))
            if was != now:
                self.add(now, op_id, where, "now required" if now else "now optional")
            self.schema(op_id, where, old[key].get("schema"), new[key].get("schema"), REQUEST)

    def body(self, op_id: str, old_op: Json, new_op: Json) -> None:
        old = _resolve(self.old, old_op.get("requestBody"))
        new = _resolve(self.new, new_op.get("requestBody"))
        where = "request body"
        if old is None and new is None:
            return
        if old is None or new is None:
            gone = new is None
            breaking = gone or bool(new.get("required"))
            self.add(breaking, op_id, where, "removed" if gone else "added")
            return
        if not old.get("required") and new.get("required"):
            self.add(True, op_id, where, "now required")
        self.schema(op_id, where, _json_schema(old), _json_schema(new), REQUEST)

    def responses(self, op_id: str, old_op: Json, new_op: Json) -> None:
        old, new = old_op.get("responses", {}), new_op.get("responses", {})
        for status in sorted(set(old) - set(new), key=str):
            self.add(True, op_id, f"response {status}", "status no longer documented")
        for status in sorted(set(new) - set(old), key=str):
            success = str(status).startswith("2")  # the generated functions' return type grows
            self.add(success, op_id, f"response {status}", "status added")
        for status in sorted(set(old) & set(new), key=str):
            old_schema = _json_schema(_resolve(self.old, old[status]))
            new_schema = _json_schema(_resolve(self.new, new[status]))
            self.schema(op_id, f"response {status}", old_schema, new_schema, RESPONSE)

    # -- schemas ----------------------------------------------------------------------------

    def schema(self, op_id: str, where: str, old: Json, new: Json, side: str) -> None:
        self._schema(op_id, where, old, new, side, set())

    def _schema(
        self, op_id: str, where: str, old: Json, new: Json, side: str, seen: set[tuple[str, str]]
    ) -> None:
        pair = (str((old or {}).get("$ref")), str((new or {}).get("$ref")))
        if pair != ("None", "None"):
            if pair in seen:
                return  # a recursive schema: this pair is being compared further up
            seen = seen | {pair}
        old, new = _resolve(self.old, old), _resolve(self.new, new)
        if old is None or new is None:
            if (old is None) != (new is None):
                self.add(True, op_id, where, "schema added" if old is None else "schema removed")
            return
        if _shape(old) != _shape(new):  # one change, not one per property of either side
            self.add(True, op_id, where, f"shape {_shape(old)} -> {_shape(new)}")
            return
        narrowing = side == REQUEST  # which direction breaks a client on this side
        self._types(op_id, where, old, new, narrowing)
        self._enum(op_id, where, old, new, narrowing)
        self._bounds(op_id, where, old, new, narrowing)
        self._properties(op_id, where, old, new, side, seen)
        if "items" in old or "items" in new:
            self._schema(op_id, f"{where}[]", old.get("items"), new.get("items"), side, seen)
        for keyword in _COMPOSITION:
            old_branches, new_branches = old.get(keyword, []), new.get(keyword, [])
            if len(old_branches) != len(new_branches):
                text = f"{keyword} went from {len(old_branches)} to {len(new_branches)} branches"
                self.add(True, op_id, where, text)
                continue
            for index, (was, now) in enumerate(zip(old_branches, new_branches, strict=True)):
                self._schema(op_id, f"{where}.{keyword}[{index}]", was, now, side, seen)

    def _types(self, op_id: str, where: str, old: Json, new: Json, narrowing: bool) -> None:
        was, now = _types(old), _types(new)  # empty: any type
        if was == now:
            return
        if narrowing:  # the new schema must take every old value
            breaking = bool(now) and (not was or not was <= now)
        else:  # the new schema may return no value the old one did not
            breaking = bool(was) and (not now or not now <= was)
        self.add(breaking, op_id, where, f"type {sorted(was) or 'any'} -> {sorted(now) or 'any'}")

    def _enum(self, op_id: str, where: str, old: Json, new: Json, narrowing: bool) -> None:
        if "enum" not in old and "enum" not in new:
            return
        if "enum" not in old or "enum" not in new:
            self.add("enum" in new if narrowing else "enum" in old, op_id, where, "enum changed")
            return
        was, now = set(map(str, old["enum"])), set(map(str, new["enum"]))
        if was - now:
            self.add(narrowing, op_id, where, f"enum members removed: {sorted(was - now)}")
        if now - was:
            self.add(not narrowing, op_id, where, f"enum members added: {sorted(now - was)}")

    def _bounds(self, op_id: str, where: str, old: Json, new: Json, narrowing: bool) -> None:
        for bound, larger_narrows in _BOUNDS.items():
            was, now = old.get(bound), new.get(bound)
            if was == now:
                continue
            appeared_or_went = was is None or now is None
            narrows = was is None if appeared_or_went else (now > was) == larger_narrows
            self.add(narrows == narrowing, op_id, where, f"{bound} {was} -> {now}")
        if old.get("pattern") != new.get("pattern"):
            self.add(True, op_id, where, f"pattern {old.get('pattern')} -> {new.get('pattern')}")

    def _properties(
        self, op_id: str, where: str, old: Json, new: Json, side: str, seen: set[tuple[str, str]]
    ) -> None:
        old_props, new_props = old.get("properties", {}), new.get("properties", {})
        old_required, new_required = set(old.get("required", [])), set(new.get("required", []))
        for name in sorted(set(old_props) - set(new_props)):
            self.add(True, op_id, _child(where, name), "property removed")
        for name in sorted(set(new_props) - set(old_props)):
            required = side == REQUEST and name in new_required
            text = "required property added" if name in new_required else "property added"
            self.add(required, op_id, _child(where, name), text)
        for name in sorted(set(old_props) & set(new_props)):
            field = _child(where, name)
            now, was = name in new_required, name in old_required
            if now != was:
                breaking = now if side == REQUEST else was
                self.add(breaking, op_id, field, "now required" if now else "now optional")
            self._schema(op_id, field, old_props[name], new_props[name], side, seen)


def _child(where: str, name: str) -> str:
    """``request body: steps``, then ``request body: steps[].conditions``."""
    return f"{where}.{name}" if ": " in where else f"{where}: {name}"


def _operations(spec: Mapping[str, Json]) -> Iterator[tuple[str, tuple[str, Json]]]:
    """operationId -> (label, operation object), through the project's one model of a spec."""
    compiled = Spec(spec)
    for op in (*compiled.operations, *compiled.webhooks):
        prefix = "webhook " if op.webhook else ""
        yield op.operation_id, (f"{prefix}{op.label}", op.node)


def operation_ids_of(spec: Mapping[str, Json]) -> set[str]:
    return {op_id for op_id, _ in _operations(spec)}


def _parameters(spec: Mapping[str, Json], op: Json) -> dict[tuple[str, str], Json]:
    found = {}
    for raw in op.get("parameters", []):
        parameter = _resolve(spec, raw)
        found[(str(parameter["in"]), str(parameter["name"]))] = parameter
    return found


def _resolve(spec: Mapping[str, Json], node: Json) -> Json:
    return resolve_node(spec, node)


def _json_schema(container: Json) -> Json:
    return ((container or {}).get("content") or {}).get("application/json", {}).get("schema")


def _shape(schema: Json) -> str:
    """ "object", "oneOf of 3", "array", …: what kind of schema this is, before its details."""
    for keyword in _COMPOSITION:
        if keyword in schema:
            return f"{keyword} of {len(schema[keyword])}"
    return "/".join(sorted(_types(schema))) or ("object" if "properties" in schema else "any")


def _types(schema: Json) -> set[str]:
    kind = schema.get("type")
    if kind is None:
        return set()
    return {kind} if isinstance(kind, str) else set(kind)


def diff(old: Mapping[str, Json], new: Mapping[str, Json]) -> list[Change]:
    """Every change from ``old`` to ``new`` (two parsed OpenAPI documents)."""
    found = _Diff(old, new)
    found.operations()
    return found.changes
