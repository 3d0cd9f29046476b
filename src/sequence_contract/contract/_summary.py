"""The human-readable summary of a contract run: markdown, written to the reports dir.

One section per run: its verdict, the operations-by-checks table (passed cases, or failed/total),
the test cases per phase with the statuses seen, how many generated bodies the server accepted,
every failure classified by the provenance of the contract part it hit (``doc``: a real
divergence from the documentation; ``filled`` / ``choice``: our guess was wrong), and, for a
real-server run, what the write guard saw.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from ..conformance._provenance import classify
from ..spec import Operation, Spec
from ._guard import BLOCKED_WRITE, FORWARDED, REFUSED_READ
from ._ratelimit import max_in_window
from ._report import PHASES, Failure, OperationTally
from ._runner import RunResult
from ._semantic import render_findings

_ABBREVIATIONS = {
    "not_a_server_error": "5xx",
    "status_code_conformance": "status",
    "content_type_conformance": "content-type",
    "response_headers_conformance": "headers",
    "response_schema_conformance": "schema",
    "negative_data_rejection": "negative",
    "positive_data_acceptance": "positive",
    "missing_required_header": "req-header",
    "unsupported_method": "method",
    "allow_header_conformance": "allow",
    "use_after_free": "use-after-free",
    "ensure_resource_availability": "availability",
    "ignored_auth": "auth",
    "object_level_authorization": "bola",
}


def _cell(passed: int, failed: int, errored: int) -> str:
    if failed or errored:
        return f"**✗ {failed + errored}**/{passed + failed + errored}"
    return str(passed) if passed else "·"


def provenance_of(spec: Spec, failure: Failure) -> str:
    op = spec.by_label.get(failure.operation)
    if op is None:
        return "doc"
    verdicts = classify(
        spec,
        op,
        failure.check,
        status=failure.status,
        headers=failure.headers,
        body=failure.body,
        request=failure.request,
    )
    kinds = [v.kind for v in verdicts]
    head = "doc" if "doc" in kinds else kinds[0]
    first = next(v for v in verdicts if v.kind == head)
    return f"{head} ({first.detail}; `{first.where}`)"


def _run_section(outcome: RunResult, spec: Spec, provenance: bool) -> list[str]:
    report = outcome.report
    verdict = "PASSED" if outcome.ok else "FAILED"
    if outcome.nothing_tested is not None:
        return [
            f"## {outcome.run.name}: FAILED: tested nothing",
            "",
            f"{outcome.run.title}. {outcome.nothing_tested}. Log: "
            f"`{outcome.directory / 'schemathesis.log'}`.",
            "",
        ]
    lines = [
        f"## {outcome.run.name}: {verdict}",
        "",
        f"{outcome.run.title}. Schemathesis exit code {outcome.exit_code}, seed {report.seed}, "
        f"{report.running_time or 0:.1f} s. Phases: "
        + ", ".join(f"{name} {report.phases.get(name, 'not run')}" for name in PHASES)
        + f". Reports: `{outcome.directory}`.",
        "",
    ]
    known = list(_ABBREVIATIONS)  # the order Schemathesis documents them in
    checks = sorted(
        report.check_names, key=lambda c: (c not in known, known.index(c) if c in known else 0, c)
    )
    labels = spec.by_label
    in_spec = {op.label: index for index, op in enumerate(spec.operations)}
    ordered = sorted(
        report.operations.values(), key=lambda t: (in_spec.get(t.label, len(in_spec)), t.label)
    )
    header = ["operation", *(_ABBREVIATIONS.get(c, c) for c in checks)]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for tally in ordered:
        op = labels.get(tally.label)
        name = op.operation_id if op else tally.label
        cells = []
        for check in checks:
            counts = tally.checks.get(check)
            cells.append(_cell(counts.passed, counts.failed, counts.errored) if counts else "·")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Cells: test cases that passed the check, or **✗ failed**/total (Schemathesis counts a"
        " check that does not apply to a case as passed).",
        "",
    ]
    lines += [
        "| operation | " + " | ".join(PHASES) + " | statuses seen |",
        "|---|" + "---:|" * len(PHASES) + "---|",
    ]
    for tally in ordered:
        op = labels.get(tally.label)
        name = op.operation_id if op else tally.label
        per_phase = " | ".join(str(tally.cases.get(phase, 0)) for phase in PHASES)
        statuses = ", ".join(f"{s} x{n}" for s, n in sorted(tally.statuses.items()))
        lines.append(f"| {name} | {per_phase} | {statuses} |")
    lines.append("")
    lines += _acceptance(ordered, labels)
    lines += _failures(outcome, spec, provenance)
    lines += [line.replace("## ", "### ", 1) for line in render_findings(outcome.findings)]
    if outcome.budget is not None:
        lines += _budget_lines(outcome)
    if outcome.guard is not None:
        lines += _guard_lines(outcome)
    if outcome.notes:
        lines += ["### Notes", "", *(f"- {note}" for note in outcome.notes), ""]
    if outcome.problems:
        lines += ["### Unmet expectations", "", *(f"- {p}" for p in outcome.problems), ""]
    if report.errors:
        lines += ["### Errors", "", *(f"- {e.splitlines()[0]}" for e in report.errors), ""]
    return lines


def _acceptance(ordered: list[OperationTally], labels: Mapping[str, Operation]) -> list[str]:
    """How many generated bodies the server accepted, per operation that takes a body: a request
    schema looser than the server shows here as rejected schema-valid bodies."""
    rows = []
    for tally in ordered:
        op = labels.get(tally.label)
        if op is None or op.body is None:
            continue
        accepted, rejected = tally.positive["accepted"], tally.positive["rejected"]
        judged = accepted + rejected
        rate = f"{100 * accepted / judged:.1f} %" if judged else "n/a"
        rows.append(f"| {op.operation_id} | {accepted} | {rejected} | {rate} |")
    if not rows:
        return []
    return [
        "Schema-valid (positive) bodies the server accepted (2xx) or refused (400/422); other"
        " answers (401, 403, 404, 409, 429, 5xx) judge something else and are not counted.",
        "",
        "| operation | accepted | refused | accepted share |",
        "|---|---:|---:|---:|",
        *rows,
        "",
    ]


def _failures(outcome: RunResult, spec: Spec, provenance: bool) -> list[str]:
    failures = outcome.report.failures
    if not failures:
        return ["No failures.", ""]
    unique: dict[tuple[str, str, str], tuple[Failure, int]] = {}
    for failure in failures:
        key = (failure.operation, failure.check, failure.first_line)
        first, count = unique.get(key, (failure, 0))
        unique[key] = (first, count + 1)
    header = "| operation | check | cases | failure |" + (" provenance |" if provenance else "")
    lines = ["### Failures", "", header, "|---|---|---:|---|" + ("---|" if provenance else "")]
    kinds: Counter[str] = Counter()
    for (operation, check, line), (failure, count) in sorted(unique.items()):
        text = line.replace("|", "\\|")[:160]
        row = f"| {operation} | {check} | {count} | {text} |"
        if provenance:
            found = provenance_of(spec, failure)
            kinds[found.split(" ", 1)[0]] += 1
            row += " " + found.replace("|", "\\|") + " |"
        lines.append(row)
    lines.append("")
    if provenance:
        lines += ["By provenance: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())), ""]
    return lines


def _budget_lines(outcome: RunResult) -> list[str]:
    """Each stage's share of ``--max-requests``, what it spent, and what the guard answered
    itself once the stage's (or an operation's) part was spent."""
    assert outcome.budget is not None
    budget = outcome.budget
    lines = [
        "### Budget",
        "",
        f"{budget.used} of {budget.total} requests forwarded. What a stage leaves passes to the"
        " next; each operation gets an equal part of its stage.",
        "",
        "| stage | share | spent | of the total | over its part (answered by the guard) |",
        "|---|---:|---:|---:|---:|",
    ]
    for stage, allotted, spent, refused in budget.rows():
        if stage == "other" and not spent and not refused:
            continue
        share = f"{100 * spent / max(1, budget.used):.0f} %"
        lines.append(f"| {stage} | {allotted} | {spent} | {share} | {refused} |")
    return [*lines, ""]


def _guard_lines(outcome: RunResult) -> list[str]:
    assert outcome.guard is not None
    log = outcome.guard
    forwarded = log.having(FORWARDED)
    writes = Counter(s.operation_id for s in forwarded if s.method not in ("GET", "HEAD"))
    return [
        "### Write guard",
        "",
        f"- forwarded: {len(forwarded)} (at most {max_in_window([s.at for s in forwarded])} "
        "in any 60 s window)",
        f"- writes forwarded: {dict(writes) or 'none'}",
        f"- reads refused (outside the selection): {len(log.having(REFUSED_READ))}",
        f"- writes blocked: {len(log.having(BLOCKED_WRITE))}",
        "",
    ]


def render(
    outcomes: list[RunResult], spec: Spec, *, title: str = "Contract run", provenance: bool = True
) -> str:
    """The summary; ``provenance=False`` leaves out the classification of failures (for runs
    whose failures are the target's, such as a webhook receiver's)."""
    verdict = "PASSED" if all(o.ok for o in outcomes) else "FAILED"
    idle = [o.run.name for o in outcomes if o.nothing_tested is not None]
    if idle:  # the first line says so: never a table of zeros under "No failures"
        verdict = f"FAILED: tested nothing ({', '.join(idle)})"
    lines = [f"# {title}: {verdict}", ""]
    for outcome in outcomes:
        lines += _run_section(outcome, spec, provenance)
    return "\n".join(lines)
