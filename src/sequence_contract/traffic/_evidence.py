"""What checked traffic proposes to change in openapi.yaml: one ``Finding`` per schema location.

``Evidence.add`` reads the records of one checked exchange and files each divergence under the
place of openapi.yaml a fix would change, so the same divergence seen in a thousand answers, or
through two operations that share a schema, is one finding with a count:

========================  =========================================  ==========================
divergence                record (``Violation``)                     the place (``pointer``)
========================  =========================================  ==========================
undocumented field        ``undocumented-field`` (info)              the object schema
undocumented enum value   ``undocumented-value`` (info), ``enum``    its ``x-known-values``/``enum``
undocumented status       ``undocumented-status``                    the operation's responses
undocumented header       (seen here: the checks ignore extra ones)  the response object
absent required field     ``required``                               the object schema
value outside its type    ``type``                                   the schema holding ``type``
========================  =========================================  ==========================

Fingerprints (a foreign API answering) and other keywords (a pattern, a bound) propose no
change: they are counted in ``skipped``. Values are kept for typing; what a report shows of
them (``example``) is shortened with the request's key cut out.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..conformance._exchange import Checked, key_of
from ..conformance._violation import VIOLATION, Violation, redact_text, shorten
from ..spec import DOC, Spec, escape, lookup, unescape

Json = Any
FIELD, VALUE, STATUS, HEADER, OPTIONAL, TYPE = (
    "field", "enum-value", "status", "header", "optional", "type",
)  # fmt: skip
MAX_VALUES = 200  # values kept per finding for typing
MAX_IDS = 3
#: Response headers every HTTP server may send: never a divergence from the contract.
COMMON_HEADERS = frozenset(
    (
     "accept-ranges", "access-control-allow-credentials", "access-control-allow-headers",
     "access-control-allow-methods", "access-control-allow-origin", "access-control-expose-headers",
     "access-control-max-age", "age", "allow", "alt-svc", "cache-control", "connection",
     "content-disposition", "content-encoding", "content-language", "content-length",
     "content-location", "content-range", "content-security-policy", "content-type", "date", "etag",
     "expires", "keep-alive", "last-modified", "link", "location", "nel", "pragma",
     "proxy-authenticate", "referrer-policy", "report-to", "server", "server-timing", "set-cookie",
     "strict-transport-security", "timing-allow-origin", "trailer", "transfer-encoding", "upgrade",
     "vary", "via", "www-authenticate", "x-content-type-options", "x-frame-options",
     "x-xss-protection", "x-contract-violations", "x-contract-provenance",
    )
)  # fmt: skip


@dataclass
class Finding:
    """One change to one place of openapi.yaml, and the evidence for it."""

    change: str  # FIELD | VALUE | STATUS | HEADER | OPTIONAL | TYPE
    pointer: str  # the node of openapi.yaml the change is made at
    member: str  # the field, enum value (as JSON), status or header; "" for OPTIONAL and TYPE
    contradicts: bool = False  # some record broke a [doc] fact (a violation of provenance doc)
    count: int = 0  # exchanges that showed it
    first_seen: str | None = None
    last_seen: str | None = None
    request_ids: list[str] = field(default_factory=list)
    example: str = ""
    values: list[Json] = field(default_factory=list)
    operations: set[str] = field(default_factory=set)
    missing: set[str] = field(default_factory=set)  # OPTIONAL: the required fields found absent

    def saw(self, at: str | None, request_id: str | None) -> None:
        self.count += 1
        if at is not None:
            if self.first_seen is None or _instant(at) < _instant(self.first_seen):
                self.first_seen = at
            if self.last_seen is None or _instant(at) >= _instant(self.last_seen):
                self.last_seen = at
        if request_id and request_id not in self.request_ids and len(self.request_ids) < MAX_IDS:
            self.request_ids.append(request_id)

    def keep(self, value: Json, secret: str | None) -> None:
        if not self.example:
            self.example = shorten(value, secret)
        if len(self.values) < MAX_VALUES:
            self.values.append(value)


def _instant(text: str) -> tuple[int, datetime | str]:
    try:
        return 0, datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return 1, text  # not ISO 8601: after every instant, in text order


class Evidence:
    """The findings of many checked exchanges, in the order they were first seen."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.findings: dict[tuple[str, str, str], Finding] = {}
        self.skipped: Counter[str] = Counter()  # record kinds that propose no change

    def add(self, checked: Checked) -> None:
        exchange = checked.exchange
        if exchange.status is None:
            return
        secret = key_of(exchange.request_headers)
        body = _body(exchange.content)
        rid = exchange.response_headers.get("x-request-id")
        touched: set[tuple[str, str, str]] = set()
        for record in checked.violations:
            found = self._place(record, body)
            if found is None:
                self.skipped[record.kind] += 1
                continue
            (change, pointer, member), value = found
            key = (change, pointer, member)
            finding = self.findings.setdefault(key, Finding(change, pointer, member))
            finding.contradicts |= record.severity == VIOLATION and record.provenance == DOC
            finding.operations.add(checked.operation)
            if change == OPTIONAL:
                finding.missing.add(unescape(str(record.pointer).rsplit("/", 1)[-1]))
            finding.keep(redact_value(value, secret), secret)
            if key not in touched:
                touched.add(key)
                finding.saw(exchange.started, record.request_id or rid)
        if checked.matched:
            self._headers(checked, secret, rid)

    def _place(self, record: Violation, body: Json) -> tuple[tuple[str, str, str], Json] | None:
        """(the finding's key, the value it saw) for one record; None: no change proposed."""
        at = record.schema_pointer
        value = _at(body, record.pointer) if record.pointer else body
        if record.kind == "undocumented-field" and record.pointer:
            name = unescape(record.pointer.rsplit("/", 1)[-1])
            return (FIELD, self.holder(at), name), value
        if record.kind == "undocumented-value":
            return (VALUE, f"{at}/x-known-values", _member(value)), value
        if record.kind == "enum" and "enum" in self._node(at):
            return (VALUE, f"{at}/enum", _member(value)), value
        if record.kind == "undocumented-status":
            return (STATUS, at, str(record.status)), body
        if record.kind == "required" and record.pointer is not None:
            name = unescape(record.pointer.rsplit("/", 1)[-1])
            parent = at.removesuffix(f"/properties/{escape(name)}")
            if parent != at and name in (self._node(parent).get("required") or []):
                owner = record.pointer.rsplit("/", 1)[0]
                return (OPTIONAL, parent, ""), _at(body, owner) if owner else body
        if record.kind == "type" and "type" in self._node(at):
            return (TYPE, at, ""), value
        return None

    def _headers(self, checked: Checked, secret: str | None, rid: str | None) -> None:
        exchange = checked.exchange
        op = self.spec.by_id.get(checked.operation)
        response = op.responses.get(int(exchange.status or 0)) if op is not None else None
        if response is None:
            return
        documented = {name.lower() for name in response.headers}
        for name, value in sorted(exchange.response_headers.items()):
            if name in documented or name in COMMON_HEADERS:
                continue
            key = (HEADER, response.pointer, name)
            finding = self.findings.setdefault(key, Finding(HEADER, response.pointer, name))
            finding.operations.add(checked.operation)
            finding.keep(redact_text(value, secret), secret)
            finding.saw(exchange.started, rid)

    def holder(self, pointer: str) -> str:
        """Where a new property of the object at ``pointer`` goes: the object itself when it
        names properties, else the last ``allOf`` branch that does (``$ref``s followed)."""
        node = self._node(pointer)
        while "$ref" in node and "properties" not in node:
            pointer = str(node["$ref"]).removeprefix("#")
            node = self._node(pointer)
        if "properties" in node or "allOf" not in node:
            return pointer
        for index in reversed(range(len(node["allOf"]))):
            branch = f"{pointer}/allOf/{index}"
            if "properties" in self._node(branch) and "$ref" not in self._node(branch):
                return branch
        return self.holder(f"{pointer}/allOf/{len(node['allOf']) - 1}")

    def _node(self, pointer: str) -> Mapping[str, Json]:
        node = _at(self.spec.document, pointer)
        return node if isinstance(node, Mapping) else {}


def redact_value(value: Json, secret: str | None) -> Json:
    """``value`` with ``secret`` cut out of every string in it."""
    if not secret:
        return value
    if isinstance(value, str):
        return redact_text(value, secret)
    if isinstance(value, list):
        return [redact_value(item, secret) for item in value]
    if isinstance(value, dict):
        return {key: redact_value(item, secret) for key, item in value.items()}
    return value


def _at(body: Json, pointer: str) -> Json:
    try:
        return lookup(body, pointer)
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def _member(value: Json) -> str:
    return json.dumps(value, ensure_ascii=False)


def _body(content: bytes) -> Json:
    try:
        return json.loads(content) if content.strip() else None
    except ValueError:
        return None
