"""The JSON Schema toolkit for openapi.yaml: pointers, ``$ref``s, formats and cached validators.

One home for the plumbing the mock, the provenance classifier and the tests all need:

* ``escape`` / ``unescape`` / ``lookup`` / ``resolve``: RFC 6901 pointers and local ``$ref``s;
* ``format_checker()``: the one format checker, with one ``date-time`` rule (RFC 3339, which
  allows a lower case ``t`` and ``z``) that ``parse_date_time`` shares, so what validates parses;
* ``Validators``: Draft 2020-12 validators for pointers into one spec, compiled once and cached;
* ``Check``: the same schema compiled twice, for hot paths (the mock validates every request):
  jsonschema-rs decides whether an instance is valid in well under a microsecond, and only an
  invalid one is handed to jsonschema, whose ``best_match`` and messages the errors quote;
* ``first_error`` / ``describe``: the most relevant error and a ``where: what`` message. Where a
  ``oneOf``/``anyOf`` picks its branch by the members each requires (a condition node is exactly
  one of ``condition``, ``any``, ``all``), the error is the one in the branch the instance names,
  or says it names none or several; under "X or null" it is X's.

jsonschema and jsonschema-rs are imported on first use: a client that never validates never
pays for them.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote

if TYPE_CHECKING:
    import jsonschema_rs
    from jsonschema import Draft202012Validator, FormatChecker
    from jsonschema.exceptions import ValidationError
    from referencing import Registry

Json = Any  # a parsed JSON/YAML value
SPEC_URI = "urn:sequence-contract:openapi"


# -- pointers and references ---------------------------------------------------------------------


def escape(token: str) -> str:
    """One JSON-pointer reference token (``/paths/~1accounts`` names the path ``/accounts``)."""
    return token.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def lookup(document: Json, pointer: str) -> Json:
    """The node at ``pointer`` (``/a/b`` or ``#/a/b``); KeyError/IndexError when absent."""
    node = document
    for token in pointer.removeprefix("#").split("/")[1:]:
        key = unescape(token)
        if isinstance(node, list):
            node = node[int(key)]
        elif key not in node and key.isdigit() and int(key) in node:
            node = node[int(key)]  # YAML reads an unquoted status code (200:) as a number
        else:
            node = node[key]
    return node


def resolve(document: Json, pointer: str) -> tuple[str, Json]:
    """Follow local ``$ref`` chains from ``pointer``: the final pointer and the node there."""
    node = lookup(document, pointer)
    seen: set[str] = set()
    while isinstance(node, Mapping) and "$ref" in node:
        ref = str(node["$ref"])
        if not ref.startswith("#/") or ref in seen:
            raise ValueError(f"unsupported or circular $ref {ref!r} in openapi.yaml")
        seen.add(ref)
        pointer = ref[1:]
        node = lookup(document, pointer)
    return pointer, node


def resolve_node(document: Json, node: Json) -> Json:
    """``resolve`` for a node in hand (a parameter, a schema): the object its ``$ref`` names."""
    if isinstance(node, Mapping) and "$ref" in node:
        return resolve(document, str(node["$ref"]).removeprefix("#"))[1]
    return node


# -- formats -------------------------------------------------------------------------------------

_DATE_TIME = re.compile(
    r"^(\d{4})-(0[1-9]|1[0-2])-(\d{2})[Tt](?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?"
    r"(?:[Zz]|[+-](?:[01]\d|2[0-3]):[0-5]\d)$",
    re.ASCII,
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def parse_date_time(text: str) -> datetime:
    """An RFC 3339 date-time as an aware ``datetime`` (offset kept); ValueError when it is not
    one. The only reading of the format: the checker below accepts exactly what this parses."""
    match = _DATE_TIME.match(text)
    if match is None:
        raise ValueError(f"{text[:60]!r} is not an RFC 3339 date-time")
    year, month, day = (int(part) for part in match.groups())
    if year == 0 or day == 0 or day > calendar.monthrange(year, month)[1]:
        raise ValueError(f"{text[:60]!r} is not a calendar date")
    return datetime.fromisoformat(text.upper().replace("Z", "+00:00"))


def is_date_time(value: object) -> bool:
    if isinstance(value, str):
        parse_date_time(value)  # ValueError: the checker reports it as the format's failure
    return True


def is_date(value: object) -> bool:
    if isinstance(value, str):
        if not _DATE.match(value):
            return False
        date.fromisoformat(value)
    return True


@functools.cache
def format_checker() -> FormatChecker:
    """The one format checker: ``date-time`` and ``date``, the formats openapi.yaml uses."""
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=())
    checker.checks("date-time", raises=ValueError)(is_date_time)
    checker.checks("date", raises=ValueError)(is_date)
    return checker


def _holds(rule: Callable[[object], bool]) -> Callable[[object], bool]:
    """A format rule that raises ValueError as the plain predicate jsonschema-rs calls."""

    def holds(value: object) -> bool:
        try:
            return rule(value)
        except ValueError:
            return False

    return holds


#: The format checker's rules, for jsonschema-rs (no other format is checked by either).
FAST_FORMATS = {"date-time": _holds(is_date_time), "date": _holds(is_date)}


# -- validators ----------------------------------------------------------------------------------


class Validators:
    """Validators for pointers into one spec document, compiled once and cached.

    The whole spec is registered as one resource, so nested ``#/components/...`` references
    resolve against the spec itself.
    """

    def __init__(self, document: Mapping[str, Any]) -> None:
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012

        self.document = document
        resource = Resource.from_contents(document, default_specification=DRAFT202012)
        self.registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
        self._validators: dict[str, Draft202012Validator] = {}
        self._checks: dict[str, Check] = {}
        self._fast_registry: jsonschema_rs.Registry | None = None
        self._properties: dict[str, frozenset[str]] = {}

    def validator(self, pointer: str) -> Draft202012Validator:
        """A validator for the schema at ``pointer`` (e.g. ``/components/schemas/Transfer``)."""
        found = self._validators.get(pointer)
        if found is None:
            from jsonschema import Draft202012Validator

            # What jsonschema does when it follows a ``$ref``: the referenced schema with a
            # resolver rooted at the whole spec, so no top-level ``$ref`` is followed on every
            # validation.
            reference = Draft202012Validator(
                {"$ref": f"{SPEC_URI}#{pointer}"},
                registry=self.registry,
                format_checker=format_checker(),
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

    def check(self, pointer: str) -> Check:
        """A ``Check`` of the schema at ``pointer``: fast when valid, explained when not."""
        found = self._checks.get(pointer)
        if found is None:
            import jsonschema_rs

            if self._fast_registry is None:
                document = cast(dict[str, Any], self.document)
                self._fast_registry = jsonschema_rs.Registry(
                    [(SPEC_URI, document)], draft=jsonschema_rs.Draft202012
                )
            fast = jsonschema_rs.Draft202012Validator(
                {"$ref": f"{SPEC_URI}#{quote(pointer, safe='/~')}"},
                registry=self._fast_registry,
                formats=FAST_FORMATS,
                validate_formats=True,
            )
            found = self._checks[pointer] = Check(fast, self.validator(pointer), self.document)
        return found

    def component(self, name: str) -> Draft202012Validator:
        return self.validator(f"/components/schemas/{escape(name)}")

    def properties(self, name: str) -> frozenset[str]:
        """Every property component ``name`` declares, through ``allOf`` and ``$ref``."""
        found = self._properties.get(name)
        if found is None:
            names: set[str] = set()
            pending: list[Json] = [lookup(self.document, f"/components/schemas/{escape(name)}")]
            while pending:
                node = resolve_node(self.document, pending.pop())
                if isinstance(node, Mapping):
                    names.update(node.get("properties", {}))
                    pending.extend(node.get("allOf", []))
            found = self._properties[name] = frozenset(names)
        return found

    def errors(self, pointer: str, instance: Json) -> list[ValidationError]:
        """Every error of ``instance`` against the schema at ``pointer``."""
        return list(self.validator(pointer).iter_errors(instance))


class Check:
    """One schema, two validators: ``fast`` (jsonschema-rs) says whether an instance is valid;
    ``full`` (jsonschema) finds the error to report when it is not. Where the two could differ
    (patterns, where Python's ``$`` also matches before a final newline; values jsonschema-rs
    cannot take in, such as integers past 64 bits), jsonschema-rs is the stricter, so its "no"
    only means "ask jsonschema": the answer is always jsonschema's."""

    __slots__ = ("document", "fast", "full")

    def __init__(
        self,
        fast: jsonschema_rs.Validator,
        full: Draft202012Validator,
        document: Json = None,
    ) -> None:
        self.fast = fast
        self.full = full
        self.document = document

    def first_error(self, instance: object) -> ValidationError | None:
        """``first_error(self.full, instance)``, at jsonschema-rs's speed when it is None."""
        try:
            if self.fast.is_valid(instance):
                return None
        except (ValueError, OverflowError):  # e.g. an int past 64 bits, a lone surrogate
            pass
        return first_error(self.full, instance, self.document)


def first_error(
    validator: Draft202012Validator, instance: object, document: Json = None
) -> ValidationError | None:
    """The most relevant validation error, or None when ``instance`` is valid. With the spec
    ``document`` (to follow the branches' ``$ref``s), a branch chosen by its required members is
    judged as the module docstring says."""
    from jsonschema.exceptions import best_match

    found: ValidationError | None = best_match(validator.iter_errors(instance))
    if found is None or document is None:
        return found
    return _in_named_branch(found, document)


def _in_named_branch(error: ValidationError, document: Json) -> ValidationError:
    """``error``, or the error of the branch the instance names at the outermost choice on its
    way (best_match can blame a branch the instance never meant: "'all' is a required property"
    for a leaf node that also has ``any``)."""
    from jsonschema.exceptions import best_match

    chain: list[ValidationError] = []
    node: ValidationError | None = error
    while node is not None:
        chain.insert(0, node)
        node = cast("ValidationError | None", node.parent)
    taken = len(chain)  # the way best_match went; then, as it may stop at a choice with no
    chain += [inner for inner in error.context if not inner.path]  # branch preferred, those
    for depth, node in enumerate(chain):
        branch = _named_branch(node, document)
        if branch is None:
            continue
        if isinstance(branch, str):
            return _replaced(node, branch)
        if depth + 1 < taken and chain[depth + 1].relative_schema_path[0] == branch:
            continue  # best_match went that way already
        inside = [inner for inner in node.context if inner.relative_schema_path[0] == branch]
        chosen: ValidationError | None = best_match(inside)
        return node if chosen is None else _in_named_branch(chosen, document)
    return error


def _named_branch(error: ValidationError, document: Json) -> int | str | None:
    """For a failed ``oneOf``/``anyOf``: the index of the branch the instance names, a message
    when it names none or several, None when the branches are not told apart that way."""
    if error.validator not in ("oneOf", "anyOf") or not isinstance(error.validator_value, list):
        return None
    branches = [resolve_node(document, branch) for branch in error.validator_value]
    instance = error.instance
    if len(branches) == 2 and {"type": "null"} in branches:  # "X or null"
        return None if instance is None else branches.index({"type": "null"}) ^ 1
    required = [node.get("required") if isinstance(node, Mapping) else None for node in branches]
    if not all(isinstance(kind, list) and kind for kind in required):
        return None
    kinds = cast(list[list[str]], required)
    names = [" + ".join(f"'{member}'" for member in kind) for kind in kinds]
    choice = f"{', '.join(names[:-1])} or {names[-1]}"
    quantity = "exactly one" if error.validator == "oneOf" else "at least one"
    if not isinstance(instance, dict):
        return f"{instance!r:.60} is not an object with {quantity} of {choice}"
    named = [i for i, kind in enumerate(kinds) if set(kind) <= instance.keys()]
    if len(named) == 1 or (named and error.validator == "anyOf"):
        return named[0]
    found = ", ".join(f"'{member}'" for member in instance if any(member in k for k in kinds))
    return f"should have {quantity} of {choice}; it has {found or 'none of them'}"


def _replaced(error: ValidationError, message: str) -> ValidationError:
    """``error`` with another message, at the same place."""
    from jsonschema.exceptions import ValidationError

    return ValidationError(
        message,
        validator=error.validator,
        path=error.relative_path,
        instance=error.instance,
        schema=error.schema,
        schema_path=error.relative_schema_path,
        validator_value=error.validator_value,
        parent=error.parent,
    )


def describe(error: ValidationError, root: str) -> str:
    """``root.field[0].x: message``: where the problem is and what it is."""
    where = root
    for part in error.absolute_path:
        where += f"[{part}]" if isinstance(part, int) else f".{part}"
    message = error.message
    if len(message) > 300:
        message = message[:297] + "..."
    return f"{where}: {message}" if where else message
