"""What many checked exchanges add up to: the summary of ``validate``, the proxy and the smoke run.

* a table of operation x check: exchanges that passed the check, or ``✗ failed/total``;
* each fingerprint once, with how many exchanges had it and the likely cause;
* violations grouped by provenance (``doc``: a real divergence; ``filled``/``choice``: our guess
  was wrong), then ``info``; identical records (same operation, check, kind, place with array
  indices as ``*``, and expectation) are one row with a count;
* the exchanges that match no documented operation (the live API may have more than the docs).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..spec import DOC, Spec, model
from ._exchange import Checked
from ._violation import CHECKS, INFO, VIOLATION, Violation

PROVENANCES = (DOC, "filled", "choice")


@dataclass
class Tally:
    spec: Spec = field(default_factory=model)
    exchanges: int = 0
    unanswered: int = 0  # recorded without a response
    cells: dict[tuple[str, str], list[int]] = field(default_factory=dict)  # -> [passed, failed]
    rows: dict[tuple[str, ...], tuple[Violation, int]] = field(default_factory=dict)
    fingerprints: dict[str, tuple[Violation, Counter[str]]] = field(default_factory=dict)
    unmatched: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)  # unreadable entries

    def add(self, checked: Checked) -> None:
        self.exchanges += 1
        if checked.exchange.status is None:
            self.unanswered += 1
            return
        failed = {v.check for v in checked.violations if v.severity == VIOLATION}
        if not checked.matched:
            self.unmatched[f"{checked.operation} → {checked.exchange.status}"] += 1
        else:
            for check in CHECKS[:-1]:
                cell = self.cells.setdefault((checked.operation, check), [0, 0])
                cell[check in failed or "fingerprint" in failed] += 1
        for record in checked.violations:
            if record.check == "fingerprint":
                first, where = self.fingerprints.get(record.kind, (record, Counter()))
                where[record.operation] += 1
                self.fingerprints[record.kind] = (first, where)
                continue
            key = _key(record)
            first, count = self.rows.get(key, (record, 0))
            self.rows[key] = (first, count + 1)

    def records(self) -> list[Violation]:
        """One record per row and per fingerprint (the first one seen)."""
        return [v for v, _ in self.rows.values()] + [v for v, _ in self.fingerprints.values()]

    def count(self, *, severity: str = VIOLATION, provenance: str | None = None) -> int:
        """Records (a fingerprint counts once per exchange) of a severity and provenance."""
        total = sum(
            n
            for (v, n) in self.rows.values()
            if v.severity == severity and provenance in (None, v.provenance)
        )
        if severity == VIOLATION and provenance in (None, DOC):
            total += sum(sum(where.values()) for _, where in self.fingerprints.values())
        return total

    def exit_code(self, *, strict: bool = False) -> int:
        """0; 1 on any ``doc`` violation (any violation with ``strict``); 2 when an input could
        not be read whole."""
        if self.errors:
            return 2
        return 1 if self.count(provenance=None if strict else DOC) else 0

    def render(self, title: str = "Traffic against openapi.yaml") -> str:
        lines = [
            f"# {title}",
            "",
            f"{self.exchanges} exchanges; {self.count()} violations "
            f"({self.count(provenance=DOC)} doc), {self.count(severity=INFO)} info; "
            f"{sum(self.unmatched.values())} match no documented operation"
            + (f"; {self.unanswered} without an answer" if self.unanswered else "")
            + ".",
            "",
        ]
        lines += self._table() + self._fingerprint_lines()
        for severity, provenance, heading in [
            *((VIOLATION, p, f"Violations: {p}") for p in PROVENANCES),
            (INFO, None, "Info: what the documentation does not name"),
        ]:
            lines += self._group(severity, provenance, heading)
        if self.unmatched:
            lines += ["## No documented operation", ""]
            lines += [f"- {label} (x{n})" for label, n in sorted(self.unmatched.items())] + [""]
        if self.errors:
            lines += ["## Unreadable entries", "", *(f"- {e}" for e in self.errors), ""]
        return "\n".join(lines)

    def _table(self) -> list[str]:
        if not self.cells:
            return []
        order = {op.operation_id: i for i, op in enumerate(self.spec.operations)}
        operations = sorted({op for op, _ in self.cells}, key=lambda o: (order.get(o, 99), o))
        lines = ["| operation | " + " | ".join(CHECKS[:-1]) + " |", "|---" * len(CHECKS) + "|"]
        for name in operations:
            cells = []
            for check in CHECKS[:-1]:
                passed, failed = self.cells[(name, check)]
                cells.append(f"✗ {failed}/{passed + failed}" if failed else str(passed))
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
        return [*lines, "", "Cells: exchanges that passed the check, or ✗ failed/total.", ""]

    def _fingerprint_lines(self) -> list[str]:
        if not self.fingerprints:
            return []
        lines = ["## Divergence fingerprints", ""]
        for name, (first, where) in sorted(self.fingerprints.items()):
            ops = ", ".join(f"{op} x{n}" for op, n in sorted(where.items()))
            lines.append(
                f"- **{name}** in {sum(where.values())} exchanges ({ops}): found "
                f"{first.found}, expected {first.expected}. Likely: {first.note}"
            )
        return [*lines, ""]

    def _group(self, severity: str, provenance: str | None, heading: str) -> list[str]:
        rows = sorted(
            (
                (v, n)
                for v, n in self.rows.values()
                if v.severity == severity and provenance in (None, v.provenance)
            ),
            key=lambda row: _key(row[0]),
        )
        if not rows:
            return []
        lines = [f"## {heading}", "", "| operation | check | kind | where | n | expected | found |"]
        lines.append("|---|---|---|---|---:|---|---|")
        for record, count in rows:
            cells = [
                record.operation,
                record.check,
                f"{record.kind} [{record.provenance}]",
                f"{_place(record)} (`{record.schema_pointer}`)",
                str(count),
                record.expected,
                record.found,
            ]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        return [*lines, ""]


def _place(record: Violation) -> str:
    return re.sub(r"/\d+(?=/|$)", "/*", record.where)


def _key(record: Violation) -> tuple[str, ...]:
    return (
        record.severity,
        record.provenance,
        record.operation,
        record.check,
        record.kind,
        _place(record),
        record.expected,
    )
