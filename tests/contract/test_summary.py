"""The markdown summary: verdicts, operations by checks, failures by provenance."""

from __future__ import annotations

from pathlib import Path

from sequence_contract.contract import Run, RunResult, render
from sequence_contract.contract._report import Failure, RunReport
from sequence_contract.spec import Spec

POD = {"id": "acc_01HABC4567", "name": "Pod", "type": "pod"}  # lacks documented fields


def failing_report() -> RunReport:
    report = RunReport(seed=1, running_time=2.0, phases={"fuzzing": "failure"})
    tally = report.operation("GET /accounts/{id}")
    tally.cases["fuzzing"] = 100
    tally.statuses[200] = 100
    tally.check("response_schema_conformance").passed = 99
    tally.check("response_schema_conformance").failed = 1
    tally.check("not_a_server_error").passed = 100
    report.failures.append(
        Failure(
            operation="GET /accounts/{id}",
            check="response_schema_conformance",
            title="Response violates schema",
            message="'description' is a required property",
            phase="fuzzing",
            case_id="c1",
            status=200,
            headers={"x-request-id": "r"},
            body={"request_id": "r", "data": {**POD, "balance": "none"}},
            request={"path_parameters": {"id": "acc_01HABC4567"}},
        )
    )
    return report


def test_a_failed_run_shows_the_table_the_failure_and_its_provenance(
    spec: Spec, tmp_path: Path
) -> None:
    run = Run("full-key", "mock, key demo-all", "demo-all", {})
    outcome = RunResult(
        run, 1, failing_report(), tmp_path, problems=["createTransfer never answered 201"]
    )
    text = render([outcome], spec)
    assert text.startswith("# Contract run: FAILED")
    assert "## full-key: FAILED" in text
    assert "| operation | 5xx | schema |" in text
    assert "| getAccount | 100 | **✗ 1**/100 |" in text
    assert "| getAccount | 0 | 0 | 100 | 0 | 200 x100 |" in text
    failure_row = next(
        line for line in text.splitlines() if line.startswith("| GET /accounts/{id}")
    )
    assert "| response_schema_conformance | 1 |" in failure_row
    assert "doc (body/data: 'description' is a required property" in failure_row
    assert "By provenance: doc 1" in text
    assert "- createTransfer never answered 201" in text


def test_a_clean_run_passes(spec: Spec, tmp_path: Path) -> None:
    report = RunReport()
    report.operation("GET /accounts/{id}").cases["examples"] = 3
    outcome = RunResult(Run("narrow-key", "t", "k", {}), 0, report, tmp_path)
    text = render([outcome], spec)
    assert text.startswith("# Contract run: PASSED")
    assert "No failures." in text


def test_a_run_that_did_not_start_failed_and_says_why_first(spec: Spec, tmp_path: Path) -> None:
    (tmp_path / "schemathesis.log").write_text(
        "/venv/bin/python: No module named schemathesis.cli\n\n", encoding="utf-8"
    )
    outcome = RunResult(Run("full-key", "t", "k", {}), 1, RunReport(), tmp_path, started=False)
    text = render([outcome], spec)
    first = text.splitlines()[0]
    assert first == "# Contract run: FAILED: tested nothing (full-key)"
    assert "Schemathesis did not start (exit code 1: /venv/bin/python: No module named" in text
    assert "No failures" not in text
    assert not outcome.ok


def test_a_run_with_no_test_case_failed_even_with_exit_code_0(spec: Spec, tmp_path: Path) -> None:
    outcome = RunResult(Run("narrow-key", "t", "k", {}), 0, RunReport(), tmp_path)
    assert outcome.nothing_tested == "Schemathesis made no test case (exit code 0)"
    assert not outcome.ok
    text = render([outcome], spec)
    assert text.startswith("# Contract run: FAILED: tested nothing (narrow-key)")
    assert "No failures" not in text


def test_identical_failures_are_one_row_with_a_count(spec: Spec, tmp_path: Path) -> None:
    report = failing_report()
    first = report.failures[0]
    for index in range(2, 31):  # the same failure in 29 more cases
        report.failures.append(
            Failure(
                **{
                    **first.__dict__,
                    "case_id": f"c{index}",
                    "message": first.message + "\n\ndetail",
                }
            )
        )
    text = render([RunResult(Run("live", "t", "k", {}), 1, report, tmp_path)], spec)
    rows = [line for line in text.splitlines() if line.startswith("| GET /accounts/{id}")]
    assert len(rows) == 1
    assert "| response_schema_conformance | 30 |" in rows[0]


def test_a_run_stopped_mid_write_keeps_the_events_before(tmp_path: Path) -> None:
    from sequence_contract.contract import _report

    events = tmp_path / "events.ndjson"
    events.write_text('{"Initialize": {"seed": 7}}\n{"ScenarioFin', encoding="utf-8")
    assert _report.read(events).seed == 7


def test_the_share_of_accepted_bodies_is_shown_for_operations_that_take_one(
    spec: Spec, tmp_path: Path
) -> None:
    report = RunReport()
    report.operation("POST /rules").positive.update(accepted=3, rejected=1)
    report.operation("GET /accounts/{id}").statuses[200] = 4  # takes no body: no row
    report.operation("GET /accounts/{id}").cases["examples"] = 4
    lines = render(
        [RunResult(Run("full-key", "t", "k", {}), 0, report, tmp_path)], spec
    ).splitlines()
    start = lines.index("| operation | accepted | refused | accepted share |") + 2
    rows = lines[start : lines.index("", start)]
    assert rows == ["| createRule | 3 | 1 | 75.0 % |"]
