"""One record per way an answer breaks (or goes beyond) openapi.yaml, safe to print and store.

A ``Violation`` names the exchange (operation, status, request id), where the response broke
the contract (a JSON pointer into the body, or the status, a header, the content type), where
the contract says so (a JSON pointer into openapi.yaml), what was expected and what was found,
and the ``x-provenance`` of the violated node: a ``doc`` break is a real divergence from the
documentation, a ``filled`` or ``choice`` one means our guess was wrong. ``severity`` is
``violation``, or ``info`` for what the documentation does not name (a field, a status, a value
of an open enum): the live API teaching us something, not breaking a promise.

Values are shortened and a known secret is cut out before a record is built.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from typing import Any

VIOLATION, INFO = "violation", "info"
MAX_VALUE = 60  # characters of a value kept in a record
REDACTED = "[redacted]"

#: What a check looks at, in report order.
CHECKS = ("status", "content-type", "headers", "schema", "fingerprint")


@dataclass(frozen=True, slots=True)
class Violation:
    operation: str  # operationId, or "GET /path" when no documented operation matches
    status: int | None
    request_id: str | None
    check: str  # one of CHECKS
    kind: str  # what broke: "type", "required", "undocumented-field", "platform-v1", ...
    severity: str  # VIOLATION | INFO
    provenance: str  # doc | filled | choice: the x-provenance of the violated node
    pointer: str | None  # JSON pointer into the body ("" is the whole body); None: not the body
    schema_pointer: str  # JSON pointer into openapi.yaml
    expected: str
    found: str
    note: str = ""  # the likely cause, when a fingerprint knows it

    @property
    def where(self) -> str:
        """The body pointer, or the part of the response the check looked at."""
        if self.pointer is not None:
            return f"body{self.pointer}" if self.pointer else "body"
        return self.check

    def line(self) -> str:
        """One line for a log, a warning or a table cell."""
        rid = f" request_id={self.request_id}" if self.request_id else ""
        return (
            f"{self.operation} {self.status}: {self.severity} [{self.provenance}] {self.kind} "
            f"at {self.where}: expected {self.expected}, found {self.found} "
            f"(openapi.yaml#{self.schema_pointer}){rid}"
            + (f"; likely: {self.note}" if self.note else "")
        )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Violation:
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})


def shorten(value: object, secret: str | None = None, limit: int = MAX_VALUE) -> str:
    """A JSON rendering of ``value`` cut to ``limit`` characters, ``secret`` cut out first."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    text = redact_text(text, secret)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def redact_text(text: str, secret: str | None) -> str:
    return text.replace(secret, REDACTED) if secret else text
