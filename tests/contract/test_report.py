"""Reading a Schemathesis NDJSON stream back into per-operation tallies and failures."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from sequence_contract.contract import _report

Json = Any


def case(case_id: str, method: str, path: str, **extra: Json) -> dict[str, Any]:
    value = {"method": method, "path": path, "id": case_id, **extra}
    return {"value": value, "is_transition_applied": False}


def scenario(
    phase: str, cases: dict[str, Any], checks: dict[str, Any], statuses: dict[str, int]
) -> dict[str, Any]:
    interactions = {
        case_id: {
            "request": {"method": "GET", "uri": "http://x", "headers": {}},
            "response": {
                "status_code": status,
                "headers": {"x-request-id": ["r"]},
                "content": {"$base64": base64.b64encode(b'{"data": 5}').decode()},
            },
        }
        for case_id, status in statuses.items()
    }
    recorder = {"label": "ignored", "cases": cases, "checks": checks, "interactions": interactions}
    return {"ScenarioFinished": {"phase": phase, "status": "success", "recorder": recorder}}


def write(path: Path, events: list[dict[str, Any]]) -> Path:
    path.write_text("\n".join(json.dumps(event) for event in events) + "\n", encoding="utf-8")
    return path


def test_cases_checks_statuses_and_failures_are_tallied(tmp_path: Path) -> None:
    ok = [{"name": "not_a_server_error", "status": "success"}]
    failed = [
        {"name": "not_a_server_error", "status": "success"},
        {
            "name": "response_schema_conformance",
            "status": "failure",
            "failure_info": {
                "failure": {"title": "Response violates schema", "message": "\n5 is bad"}
            },
        },
    ]
    unexpected = case(
        "c3",
        "PATCH",
        "/accounts",
        meta={"phase": {"data": {"scenario": "unspecified_http_method"}}},
    )
    events = [
        {"Initialize": {"seed": 42}},
        scenario(
            "fuzzing",
            {
                "c1": case("c1", "GET", "/accounts"),
                "c2": case("c2", "GET", "/accounts", query={"type": "pod"}),
            },
            {"c1": ok, "c2": failed},
            {"c1": 200, "c2": 200},
        ),
        scenario("coverage", {"c3": unexpected}, {"c3": ok}, {"c3": 405}),
        {
            "NonFatalError": {
                "label": "Stateful tests",
                "value": {"type": "NoLinksFound", "message": "m"},
            }
        },
        {"PhaseFinished": {"phase": {"name": "fuzzing"}, "status": "failure"}},
        {"PhaseFinished": {"phase": {"name": "probing"}, "status": "success"}},
        {"EngineFinished": {"running_time": 1.5}},
    ]
    report = _report.read(write(tmp_path / "events.ndjson", events))
    assert report.seed == 42
    assert report.running_time == 1.5
    assert report.phases == {"fuzzing": "failure"}
    accounts = report.operations["GET /accounts"]
    assert accounts.cases == {"fuzzing": 2}
    assert accounts.statuses == {200: 2}
    assert accounts.checks["not_a_server_error"].passed == 2
    schema = accounts.checks["response_schema_conformance"]
    assert (schema.passed, schema.failed, schema.total) == (0, 1, 1)
    assert report.operations["/accounts (undeclared methods)"].statuses == {405: 1}
    (failure,) = report.failures
    assert (failure.operation, failure.check, failure.status) == (
        "GET /accounts",
        "response_schema_conformance",
        200,
    )
    assert failure.body == {"data": 5}
    assert failure.request == {"query": {"type": "pod"}}
    assert failure.first_line == "5 is bad"
    assert report.errors == ["Stateful tests: NoLinksFound: m"]
    assert report.check_names == ["not_a_server_error", "response_schema_conformance"]


def test_positive_cases_are_split_into_accepted_and_refused_data(tmp_path: Path) -> None:
    """Only what judges the data counts: 2xx accepted, 400/422 refused; a 403 or a negative case
    says nothing about whether a schema-valid body is acceptable."""
    positive = {"generation": {"mode": "positive"}}
    negative = {"generation": {"mode": "negative"}}
    cases = {
        "ok": case("ok", "POST", "/rules", meta=positive),
        "bad": case("bad", "POST", "/rules", meta=positive),
        "unprocessable": case("unprocessable", "POST", "/rules", meta=positive),
        "denied": case("denied", "POST", "/rules", meta=positive),
        "fuzzed": case("fuzzed", "POST", "/rules", meta=negative),
    }
    statuses = {"ok": 201, "bad": 400, "unprocessable": 422, "denied": 403, "fuzzed": 400}
    path = write(tmp_path / "events.ndjson", [scenario("fuzzing", cases, {}, statuses)])

    tally = _report.read(path).operations["POST /rules"]

    assert dict(tally.positive) == {"accepted": 1, "rejected": 2}
    assert sum(tally.statuses.values()) == 5
