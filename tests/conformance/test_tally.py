"""The summary of many exchanges: identical records are one row with a count; exit codes."""

from __future__ import annotations

from sequence_contract.conformance import INFO, VIOLATION, Violation
from sequence_contract.conformance._exchange import Checked, Exchange
from sequence_contract.conformance._tally import Tally


def exchange(status: int = 200) -> Exchange:
    return Exchange("GET", "http://x/api/v1/transfers", status, {}, {}, b"{}")


def record(index: int, *, severity: str = VIOLATION, provenance: str = "doc") -> Violation:
    return Violation(
        "listTransfers",
        200,
        f"req_{index}",
        "schema",
        "type",
        severity,
        provenance,
        f"/data/{index}/amount_in_cents",
        "/components/schemas/Transfer/properties/amount_in_cents",
        'type "integer"',
        f'"{index}"',
    )


def test_identical_failures_are_one_row_with_a_count() -> None:
    tally = Tally()
    for index in range(50):
        tally.add(Checked(exchange(), "listTransfers", True, [record(index)]))
    rows = [
        line for line in tally.render().splitlines() if line.startswith("| listTransfers | schema")
    ]
    assert rows == [
        "| listTransfers | schema | type [doc] | body/data/*/amount_in_cents "
        '(`/components/schemas/Transfer/properties/amount_in_cents`) | 50 | type "integer" | "0" |'
    ]
    assert "| listTransfers | 50 | 50 | 50 | ✗ 50/50 |" in tally.render()
    assert tally.count() == 50


def test_exit_codes_follow_provenance_and_strictness() -> None:
    filled = Tally()
    filled.add(Checked(exchange(), "listTransfers", True, [record(1, provenance="filled")]))
    assert (filled.exit_code(), filled.exit_code(strict=True)) == (0, 1)
    info = Tally()
    info.add(Checked(exchange(), "listTransfers", True, [record(1, severity=INFO)]))
    assert (info.exit_code(), info.exit_code(strict=True)) == (0, 0)
    doc = Tally()
    doc.add(Checked(exchange(), "listTransfers", True, [record(1)]))
    assert doc.exit_code() == 1
    doc.errors.append("bad.har: entry 3: no 'request'")
    assert doc.exit_code() == 2


def test_unmatched_exchanges_are_listed_not_judged() -> None:
    tally = Tally()
    for _ in range(3):
        tally.add(Checked(exchange(404), "GET /api/v1/statements", False, []))
    assert "- GET /api/v1/statements → 404 (x3)" in tally.render()
    assert tally.cells == {}
