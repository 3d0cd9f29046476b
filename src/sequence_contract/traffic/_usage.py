"""What an application uses of the API, read from its traffic: ``usage.json``.

``Usage.extract`` reads any recording ``validate`` reads (HAR, cassettes, the proxy's log, the
client's own ``connect(record=...)`` log) and keeps, per documented operation, the calls, the
statuses seen, the request fields sent (body fields and parameters) and the response fields
received per status. Field paths are written as the spec diff of ``scripts/api-changes`` writes
them: ``data.items[].id``. No value is kept, so no secret can be.

``affects_change`` and ``affects_record`` then say whether a change of the spec (api_changes)
or a finding in traffic (validate) touches what the application used: an operation it never
called, a status it never saw or a response field it never received does not affect it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from ..conformance import Conformance, Violation
from ..spec import unescape
from ._recordings import RecordingError, read

Json = Any
FORMAT = 1


class UsageError(ValueError):
    """A usage.json this module cannot read."""


@dataclass
class Used:
    """One operation as the application used it."""

    calls: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    request_fields: set[str] = field(default_factory=set)
    parameters: set[str] = field(default_factory=set)  # "query first", "header idempotency-key"
    response_fields: dict[str, set[str]] = field(default_factory=dict)  # status -> paths

    def to_json(self) -> dict[str, Json]:
        return {
            "calls": self.calls,
            "statuses": dict(sorted(self.statuses.items())),
            "parameters": sorted(self.parameters),
            "request_fields": sorted(self.request_fields),
            "response_fields": {s: sorted(f) for s, f in sorted(self.response_fields.items())},
        }


@dataclass
class Usage:
    operations: dict[str, Used] = field(default_factory=dict)
    unmatched: Counter[str] = field(default_factory=Counter)
    sources: list[str] = field(default_factory=list)
    exchanges: int = 0

    # -- building and storing ------------------------------------------------------------------

    @classmethod
    def extract(
        cls, files: Iterable[Path], checker: Conformance, base_path: str | None = None
    ) -> tuple[Usage, list[str]]:
        """The usage in ``files`` and the entries that could not be read."""
        usage, errors = cls(), []
        for path in files:
            usage.sources.append(path.name)
            try:
                for item in read(path):
                    if isinstance(item, RecordingError):
                        errors.append(str(item))
                        continue
                    usage.exchanges += 1
                    op = checker.operation(item.method, item.path, base_path)
                    if op is None:
                        usage.unmatched[item.label] += 1
                        continue
                    used = usage.operations.setdefault(op.operation_id, Used())
                    used.calls += 1
                    headers = {p.key for p in op.parameters if p.location == "header"}
                    for name, _ in parse_qsl(urlsplit(item.url).query, keep_blank_values=True):
                        used.parameters.add(f"query {name}")
                    used.parameters.update(
                        f"header {h}" for h in headers & item.request_headers.keys()
                    )
                    used.request_fields.update(paths(_json(item.request_body)))
                    if item.status is not None:
                        status = str(item.status)
                        used.statuses[status] += 1
                        received = used.response_fields.setdefault(status, set())
                        received.update(paths(_json(item.content)))
            except (OSError, RecordingError, UnicodeDecodeError) as bad:
                errors.append(str(bad) if isinstance(bad, RecordingError) else f"{path}: {bad}")
        return usage, errors

    def to_json(self) -> dict[str, Json]:
        return {
            "usage": FORMAT,
            "sources": self.sources,
            "exchanges": self.exchanges,
            "operations": {op: used.to_json() for op, used in sorted(self.operations.items())},
            "unmatched": dict(sorted(self.unmatched.items())),
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def load(cls, path: Path) -> Usage:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as bad:
            raise UsageError(f"{path}: not readable as JSON ({bad})") from None
        if not isinstance(data, Mapping) or data.get("usage") != FORMAT:
            raise UsageError(f"{path}: not a usage.json (made by `sequence-contract usage`)")
        usage = cls(sources=list(data.get("sources") or []), exchanges=int(data["exchanges"]))
        for op, raw in (data.get("operations") or {}).items():
            usage.operations[op] = Used(
                calls=int(raw["calls"]),
                statuses=Counter({str(k): int(v) for k, v in raw["statuses"].items()}),
                request_fields=set(raw["request_fields"]),
                parameters=set(raw["parameters"]),
                response_fields={str(s): set(f) for s, f in raw["response_fields"].items()},
            )
        usage.unmatched.update(data.get("unmatched") or {})
        return usage

    # -- what affects the application ----------------------------------------------------------

    def affects_change(self, subject: str, where: str, text: str) -> bool:
        """Whether a change of scripts/api-changes (``subject`` an operationId, ``where`` such
        as ``response 200: data.status``) touches what the application used."""
        used = self.operations.get(subject)
        if used is None:
            return False
        if not where.startswith("response "):
            return True  # the operation, its parameters, its request: every call sends them
        status, _, path = where.removeprefix("response ").partition(": ")
        if not path:
            return status in used.statuses or text == "status added"
        return status in used.statuses and path in used.response_fields.get(status, set())

    def affects_record(self, record: Violation) -> bool:
        """Whether a finding of ``validate`` is about something the application used."""
        used = self.operations.get(record.operation)
        if used is None or str(record.status) not in used.statuses:
            return False
        if not record.pointer:  # the status, a header, the content type, or the whole body
            return True
        path = field_path(record.pointer)
        if record.kind == "required":  # absent, so never received: its object was
            path = path[: max(path.rfind("."), path.rfind("[]"), 0)]
        return not path or path in used.response_fields.get(str(record.status), set())

    def split_records(self, tally: Any) -> str:  # noqa: ANN401 - a Tally (no import cycle)
        """The tally's rows, split by whether they affect this application (markdown)."""
        rows = sorted(tally.rows.values(), key=lambda row: (row[0].operation, row[0].where))
        parts: dict[bool, list[str]] = {True: [], False: []}
        for record, count in rows:
            parts[self.affects_record(record)].append(
                f"- {record.operation} {record.status}: {record.severity} [{record.provenance}] "
                f"{record.kind} at {record.where} (x{count})"
            )
        sources = ", ".join(self.sources) or "usage.json"
        lines = [f"## Against this application's usage ({sources})", ""]
        for affects, heading in ((True, "Affects this application"), (False, "Does not")):
            lines += [f"### {heading}: {len(parts[affects])}", "", *parts[affects], ""]
        return "\n".join(lines)


def paths(value: Json, prefix: str = "") -> set[str]:
    """Every field path in a JSON value: ``data``, ``data.items``, ``data.items[]``,
    ``data.items[].id``."""
    found: set[str] = set()
    if isinstance(value, dict):
        for name, child in value.items():
            here = f"{prefix}.{name}" if prefix else str(name)
            found.add(here)
            found |= paths(child, here)
    elif isinstance(value, list):
        found.add(f"{prefix}[]")
        for child in value:
            found |= paths(child, f"{prefix}[]")
    return found


def field_path(pointer: str) -> str:
    """``/data/0/status`` as a field path: ``data[].status``."""
    path = ""
    for token in pointer.split("/")[1:]:
        name = unescape(token)
        path = f"{path}[]" if name.isdigit() else (f"{path}.{name}" if path else name)
    return path


def _json(content: bytes) -> Json:
    try:
        return json.loads(content) if content.strip() else None
    except ValueError:
        return None
