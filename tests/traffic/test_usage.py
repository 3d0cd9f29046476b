"""``sequence-contract usage``: operations, statuses and fields an application's traffic used,
and which findings touch them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sequence_contract.traffic import Violation
from sequence_contract.traffic._usage import Usage, UsageError, field_path, paths
from sequence_contract.traffic.usage import main as usage
from tests.fixtures.evidence.build import HAR, KEY


@pytest.fixture
def used(tmp_path: Path) -> Usage:
    out = tmp_path / "usage.json"
    assert usage([str(HAR), "-o", str(out)]) == 0
    assert KEY not in out.read_text(encoding="utf-8")
    return Usage.load(out)


def test_the_har_s_operations_statuses_and_fields(used: Usage) -> None:
    assert sorted(used.operations) == ["getCard", "listRuleExecutions"]
    card = used.operations["getCard"]
    assert card.calls == 2
    assert dict(card.statuses) == {"200": 1, "401": 1}
    assert "data.status" in card.response_fields["200"]
    assert card.response_fields["401"] == {"error", "error.code", "error.message"}
    executions = used.operations["listRuleExecutions"]
    assert dict(executions.statuses) == {"200": 2, "404": 1}
    assert "data[].duration_ms" in executions.response_fields["200"]
    assert executions.parameters == {"query rule_id"}


def test_what_affects_the_application(used: Usage) -> None:
    assert used.affects_change("getCard", "response 200: data.status", "enum members added")
    assert not used.affects_change("listCards", "response 200: data[].status", "enum members added")
    assert not used.affects_change("getCard", "response 200: data.nickname", "property removed")
    assert not used.affects_change("getCard", "response 404", "status no longer documented")
    assert used.affects_change("getCard", "response 401", "status no longer documented")
    assert used.affects_change("getCard", "path parameter id", "parameter removed")
    assert used.affects_change("listRuleExecutions", "response 409", "status added")


def test_which_findings_affect_it(used: Usage) -> None:
    def record(operation: str, status: int, kind: str, pointer: str | None) -> Violation:
        return Violation(operation, status, None, "schema", kind, "violation", "doc", pointer,
                         "/x", "e", "f")  # fmt: skip

    assert used.affects_record(record("getCard", 200, "enum", "/data/status"))
    assert used.affects_record(record("getCard", 200, "required", "/data/nickname"))  # its object
    assert not used.affects_record(record("getCard", 200, "type", "/data/nickname"))
    assert not used.affects_record(record("listCards", 200, "enum", "/data/0/status"))
    assert used.affects_record(record("listRuleExecutions", 404, "undocumented-status", None))


def test_field_paths_are_the_spec_diff_s() -> None:
    assert paths({"data": [{"id": 1, "tags": ["a"]}]}) == {
        "data", "data[]", "data[].id", "data[].tags", "data[].tags[]",
    }  # fmt: skip
    assert field_path("/data/0/status") == "data[].status"


def test_a_file_that_is_no_usage_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "usage.json"
    bad.write_text(json.dumps({"operations": {}}), encoding="utf-8")
    with pytest.raises(UsageError, match=r"not a usage\.json"):
        Usage.load(bad)


def test_validate_splits_its_findings_by_usage(
    used: Usage, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sequence_contract.traffic.validate import main as validate

    out = tmp_path / "usage.json"
    out.write_text(used.dumps(), encoding="utf-8")
    validate([str(HAR), "--usage", str(out)])
    report = capsys.readouterr().out
    assert "### Affects this application: 3" in report
    assert "- getCard 200: violation [doc] enum at body/data/status (x1)" in report
