"""Checks of what the API means, which no schema says: the runner's ``checks`` stage.

Schemathesis judges each answer on its own. These judge answers together, each with the
provenance of the fact it holds the server to:

- **writes** (allowed ones only): built from what reads found (``_writes.py``), so that each
  succeeds once; then **idempotency**: the same Idempotency-Key and body answer the same status
  and object, and another body with that key gets 400 ``idempotency_key_mismatch``;
- **paging**: ``end_cursor`` followed on each paged list: no repeated item or cursor, and
  ``has_next_page`` false at the end (an empty page never claims a next one);
- **unknown ids**: per path with an id, a well-formed id no server issued gets 404 in the
  documented ``{error: {code, message}}`` envelope;
- **permissions** (with the narrow key): the narrow key gets 403, in the envelope, where it
  lacks a permission and never anything but 2xx/403/404; a narrow key that is refused nowhere
  means the server enforces no permission;
- **documented values**: each query parameter's documented bounds and enum values, sent
  alone, are not refused with 400.

Every request goes through ``send`` (in a real-server run: through the write guard, counted
in the budget's ``checks`` share), so a smaller bound (the smoke run's) keeps them few.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from ..spec import Operation, Parameter, Spec, lookup, resolve_node
from ._wire import GUARD_HEADER

Json = Any
Send = Callable[[str, str, "Call"], Awaitable[httpx.Response]]
MISSING_TAIL = "0CONTRACT0NOT0FOUND0"  # the tail of an id no server issued
ENVELOPE = "/components/schemas/Error"
PAGE_INFO = "/components/schemas/PageInfo/properties/has_next_page"


@dataclass(frozen=True)
class Call:
    """One request of a check: query, body, headers, the key (None: the run's)."""

    query: dict[str, str] = field(default_factory=dict)
    body: Json = None
    headers: dict[str, str] = field(default_factory=dict)
    key: str | None = None
    label: str = "check"  # what the request checks, for progress lines


@dataclass(frozen=True)
class Finding:
    check: str  # idempotency | paging | unknown-id | permissions | documented-values | writes
    operation: str
    passed: bool
    detail: str
    provenance: str  # doc | filled | choice: of the fact at ``where``
    where: str  # JSON pointer into openapi.yaml


def provenance_at(spec: Spec, pointer: str) -> str:
    """The marker of the node at ``pointer`` itself (``$ref`` resolved), else ``doc``."""
    node = resolve_node(spec.document, lookup(spec.document, pointer))
    marker = node.get("x-provenance") if isinstance(node, dict) else None
    return str(marker) if marker in ("filled", "choice") else "doc"


def json_of(response: httpx.Response) -> Json:
    try:
        return response.json()
    except ValueError:
        return None


def is_envelope(body: Json) -> bool:
    error = body.get("error") if isinstance(body, dict) else None
    return isinstance(error, dict) and all(
        isinstance(error.get(k), str) for k in ("code", "message")
    )


def missing_id(spec: Spec, parameter: Parameter) -> str:
    """A well-formed id no server issued: the schema's prefix (``acc_``) and a fixed tail."""
    schema = resolve_node(spec.document, lookup(spec.document, parameter.schema_pointer))
    found = re.match(r"^\^([a-z]+_)", str(schema.get("pattern", ""))) if schema else None
    return (found.group(1) if found else "") + MISSING_TAIL


class Unanswered(Exception):
    """The guard answered a check's request itself (its budget is spent): no verdict."""


class Checks:
    """The checks against one server; ``send(method, path, call)`` sends one request.

    A request the write guard answers itself (``X-Contract-Guard``: the budget is spent) raises
    ``Unanswered``; ``attempt`` runs a check and gives up on it then, without a verdict."""

    def __init__(self, spec: Spec, send: Send) -> None:
        self.spec, self._send = spec, send
        self.findings: list[Finding] = []
        self.unanswered = 0

    async def send(self, method: str, path: str, call: Call) -> httpx.Response:
        response = await self._send(method, path, call)
        if GUARD_HEADER in response.headers:
            raise Unanswered(path)
        return response

    async def attempt(self, check: Awaitable[None]) -> None:
        try:
            await check
        except Unanswered:
            self.unanswered += 1

    def note(self, check: str, op: str, passed: bool, detail: str, where: str) -> None:
        finding = Finding(check, op, passed, detail, provenance_at(self.spec, where), where)
        self.findings.append(finding)

    # -- paging -------------------------------------------------------------------------------

    async def page(self, op: Operation, query: dict[str, str]) -> Json:
        """One page; a 400 to the documented ``first`` (its bounds are what paging sends) is a
        documented value refused."""
        label = "next page" if "after" in query else f"first={query.get('first')}"
        response = await self.send(op.method, op.path, Call(query, label=label))
        if response.status_code == 400 and "after" not in query:
            first = next(p for p in op.parameters if p.name == "first")
            self.note(
                "documented-values",
                op.operation_id,
                False,
                f"first={query['first']} (documented) got 400",
                first.pointer,
            )
        return json_of(response)

    async def paging(self, op: Operation, base: dict[str, str], *, pages: int) -> None:
        """Small pages followed ``pages`` times (progress), then the largest pages to the end."""
        seen_items: set[str] = set()
        seen_cursors: set[str] = set()
        query = {**base, "first": "1"}
        for _ in range(pages + 1):
            body = await self.page(op, query)
            items, info = _page(body)
            if items is None:
                return  # not a page: the response checks say why
            ids = [str(item.get("id")) for item in items if isinstance(item, dict)]
            repeated = [i for i in ids if i in seen_items]
            if repeated:
                self.note(
                    "paging",
                    op.operation_id,
                    False,
                    f"a cursor brought back item {repeated[0]}: the page did not move on",
                    f"{op.pointer}/parameters",
                )
                return
            seen_items.update(ids)
            cursor = info.get("end_cursor")
            if not info.get("has_next_page") or not isinstance(cursor, str):
                break
            if cursor in seen_cursors:
                self.note(
                    "paging", op.operation_id, False, f"end_cursor {cursor} came twice", PAGE_INFO
                )
                return
            seen_cursors.add(cursor)
            query = {**base, "first": "1", "after": cursor}
        await self.to_the_end(op, base, pages=pages)

    async def to_the_end(self, op: Operation, base: dict[str, str], *, pages: int) -> None:
        largest = str(op.max_page_size or 100)
        query = {**base, "first": largest}
        for _ in range(pages + 1):
            body = await self.page(op, query)
            items, info = _page(body)
            if items is None:
                return
            cursor = info.get("end_cursor")
            if info.get("has_next_page") is True and (not items or not isinstance(cursor, str)):
                what = "an empty page" if not items else "a page without end_cursor"
                self.note(
                    "paging",
                    op.operation_id,
                    False,
                    f"{what} says has_next_page: true: paging never ends",
                    PAGE_INFO,
                )
                return
            if info.get("has_next_page") is not True:
                self.note(
                    "paging", op.operation_id, True, "pages end with has_next_page false", PAGE_INFO
                )
                return
            query = {**base, "first": largest, "after": str(cursor)}
        self.note(
            "paging", op.operation_id, True, f"no end within {pages} pages of {largest}", PAGE_INFO
        )

    # -- unknown ids ----------------------------------------------------------------------------

    async def unknown_id(self, op: Operation, known: dict[str, str], body: Json = None) -> None:
        path = op.path
        for parameter in op.parameters:
            if parameter.location == "path":
                value = missing_id(self.spec, parameter)
                path = path.replace(f"{{{parameter.name}}}", value)
        query = {
            p.name: known[p.name]
            for p in op.parameters
            if p.location == "query" and p.required and p.name in known
        }
        response = await self.send(op.method, path, Call(query, body, label="unknown id: 404"))
        if response.status_code != 404:
            self.note(
                "unknown-id",
                op.operation_id,
                False,
                f"an id no server issued got {response.status_code}, not 404",
                f"{op.pointer}/responses/404",
            )
        elif not is_envelope(json_of(response)):
            self.note(
                "unknown-id",
                op.operation_id,
                False,
                "the 404 body is not the {error: {code, message}} envelope",
                ENVELOPE,
            )
        else:
            self.note("unknown-id", op.operation_id, True, "404 in the envelope", ENVELOPE)

    # -- permissions ----------------------------------------------------------------------------

    async def permissions(
        self, targets: list[tuple[Operation, str, dict[str, str]]], key: str
    ) -> None:
        """``targets``: (operation, path, query) that the run's key read successfully."""
        refused = 0
        for op, path, query in targets:
            response = await self.send(op.method, path, Call(query, key=key, label="narrow key"))
            status = response.status_code
            if status == 403:
                refused += 1
                if not is_envelope(json_of(response)):
                    self.note(
                        "permissions",
                        op.operation_id,
                        False,
                        "the 403 body is not the {error: {code, message}} envelope",
                        ENVELOPE,
                    )
            elif not (200 <= status < 300 or status == 404):
                self.note(
                    "permissions",
                    op.operation_id,
                    False,
                    f"the narrow key got {status}, neither 2xx nor 403",
                    f"{op.pointer}/responses/403",
                )
        where = "/components/responses/Forbidden"
        if targets and not refused:
            self.note(
                "permissions",
                "*",
                False,
                f"the narrow key was refused nowhere ({len(targets)} reads): "
                "the server enforces no permission",
                where,
            )
        elif targets:
            self.note(
                "permissions",
                "*",
                True,
                f"the narrow key got 403 on {refused} of {len(targets)} reads",
                where,
            )

    # -- documented values ----------------------------------------------------------------------

    async def documented_values(self, op: Operation, known: dict[str, str]) -> None:
        base = {
            p.name: known[p.name]
            for p in op.parameters
            if p.location == "query" and p.required and p.name in known
        }
        path = op.path
        for parameter in op.parameters:
            if parameter.location == "path":
                if parameter.name not in known:
                    return
                path = path.replace(f"{{{parameter.name}}}", known[parameter.name])
        for parameter, value in documented(self.spec, op):
            call = Call({**base, parameter.name: value}, label=f"{parameter.name}={value}")
            response = await self.send(op.method, path, call)
            if response.status_code == 400:
                self.note(
                    "documented-values",
                    op.operation_id,
                    False,
                    f"{parameter.name}={value} (documented) got 400",
                    parameter.pointer,
                )


def render_findings(findings: list[Finding]) -> list[str]:
    """The semantic checks' table (failures first), with a "By provenance" line of failures."""
    if not findings:
        return []
    ordered = sorted(findings, key=lambda f: (f.passed, f.check, f.operation))
    lines = [
        "## Checks of what the API means",
        "",
        "| check | operation | verdict | detail | provenance |",
        "|---|---|---|---|---|",
    ]
    for f in ordered:
        verdict = "passed" if f.passed else "**failed**"
        detail = f.detail.replace("|", "\\|")
        lines.append(
            f"| {f.check} | {f.operation} | {verdict} | {detail} | {f.provenance} (`{f.where}`) |"
        )
    kinds = Counter(f.provenance for f in findings if not f.passed)
    if kinds:
        lines += ["", "By provenance: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))]
    return [*lines, ""]


def documented(spec: Spec, op: Operation) -> Iterator[tuple[Parameter, str]]:
    """Each optional query parameter's documented values: its enum members and its bounds."""
    for parameter in op.parameters:
        if parameter.location != "query" or parameter.required:
            continue
        schema = resolve_node(spec.document, lookup(spec.document, parameter.schema_pointer))
        for value in (schema or {}).get("enum") or []:
            yield parameter, str(value)
        for bound in (parameter.minimum, parameter.maximum):
            if bound is not None:
                yield parameter, str(bound)


def _page(body: Json) -> tuple[list[Json] | None, dict[str, Json]]:
    if not isinstance(body, dict):
        return None, {}
    items, info = body.get("data"), body.get("page_info")
    if not isinstance(items, list) or not isinstance(info, dict):
        return None, {}
    return items, info
