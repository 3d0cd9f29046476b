"""What one Schemathesis run did, read back from its NDJSON event stream.

Per operation: test cases per phase, the statuses the server answered, how many schema-valid
(positive) cases the server accepted, and per check how many cases passed, failed or errored.
Stateful scenarios chain several operations, so cases are counted under the operation each one
called, not under the scenario. Every failure keeps the recorded request and response, so the
summary can classify it by provenance.
"""

from __future__ import annotations

import base64
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Json = Any  # a parsed JSON value
PHASES = ("examples", "coverage", "fuzzing", "stateful")
#: The coverage scenario sending methods the path does not declare (judged by unsupported_method)
UNDECLARED_METHOD = "unspecified_http_method"
#: Statuses that refuse the data sent (Schemathesis' "schema validation mismatch" counts these)
DATA_REJECTED = (400, 422)


@dataclass
class CheckTally:
    passed: int = 0
    failed: int = 0
    errored: int = 0

    @property
    def total(self) -> int:
        return self.passed + self.failed + self.errored


@dataclass
class OperationTally:
    label: str  # "GET /accounts/{id}"
    cases: Counter[str] = field(default_factory=Counter)  # per phase
    statuses: Counter[int] = field(default_factory=Counter)
    checks: dict[str, CheckTally] = field(default_factory=dict)
    #: Positive (schema-valid) cases by what the server did with the data: "accepted" (2xx) or
    #: "rejected" (400/422). Other answers (auth, 404, 409, 429, 5xx) judge something else.
    positive: Counter[str] = field(default_factory=Counter)

    def check(self, name: str) -> CheckTally:
        return self.checks.setdefault(name, CheckTally())


@dataclass(frozen=True)
class Failure:
    operation: str
    check: str
    title: str
    message: str
    phase: str
    case_id: str
    status: int | None
    headers: dict[str, str]
    body: Json  # parsed JSON, or None when absent or not JSON
    request: dict[str, Any]  # the case: path_parameters, query, headers, body

    @property
    def first_line(self) -> str:
        return next((line for line in self.message.splitlines() if line.strip()), self.title)


@dataclass
class RunReport:
    operations: dict[str, OperationTally] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    phases: dict[str, str] = field(default_factory=dict)  # phase -> status
    seed: int | None = None
    running_time: float | None = None

    def operation(self, label: str) -> OperationTally:
        return self.operations.setdefault(label, OperationTally(label))

    @property
    def check_names(self) -> list[str]:
        names = {name for op in self.operations.values() for name in op.checks}
        return sorted(names)


def _events(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            if line.strip():
                try:
                    event = json.loads(line)
                except ValueError:
                    if line.endswith("\n"):
                        raise
                    return  # a run stopped mid-write: the events before it stand
                (kind, payload), *_ = event.items()
                yield kind, payload


def _body(response: dict[str, Any]) -> Json:
    content = response.get("content")
    raw: bytes | None = None
    if isinstance(content, dict) and "$base64" in content:
        raw = base64.b64decode(content["$base64"])
    elif isinstance(content, str):
        raw = content.encode()
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _headers(response: dict[str, Any]) -> dict[str, str]:
    return {name: values[0] for name, values in (response.get("headers") or {}).items() if values}


def _request_parts(case: dict[str, Any]) -> dict[str, Any]:
    return {
        key: case.get(key) for key in ("path_parameters", "query", "headers", "body") if key in case
    }


def _scenario(report: RunReport, payload: dict[str, Any]) -> None:
    phase = str(payload.get("phase"))
    recorder = payload.get("recorder") or {}
    cases = recorder.get("cases") or {}
    interactions = recorder.get("interactions") or {}
    for case_id, node in cases.items():
        case = node.get("value") or {}
        scenario = (((case.get("meta") or {}).get("phase") or {}).get("data") or {}).get("scenario")
        if scenario == UNDECLARED_METHOD:  # one row per path, whatever the method
            tally = report.operation(f"{case.get('path')} (undeclared methods)")
        else:
            tally = report.operation(f"{case.get('method')} {case.get('path')}")
        tally.cases[phase] += 1
        response = (interactions.get(case_id) or {}).get("response") or {}
        if "status_code" in response:
            status = int(response["status_code"])
            tally.statuses[status] += 1
            if ((case.get("meta") or {}).get("generation") or {}).get("mode") == "positive":
                if 200 <= status < 300:
                    tally.positive["accepted"] += 1
                elif status in DATA_REJECTED:
                    tally.positive["rejected"] += 1
        for check in (recorder.get("checks") or {}).get(case_id, []):
            counts = tally.check(str(check["name"]))
            status = check.get("status")
            if status == "success":
                counts.passed += 1
            elif status == "failure":
                counts.failed += 1
                failure = (check.get("failure_info") or {}).get("failure") or {}
                report.failures.append(
                    Failure(
                        operation=tally.label,
                        check=str(check["name"]),
                        title=str(failure.get("title", check["name"])),
                        message=str(failure.get("message", "")),
                        phase=phase,
                        case_id=case_id,
                        status=response.get("status_code"),
                        headers=_headers(response),
                        body=_body(response),
                        request=_request_parts(case),
                    )
                )
            else:
                counts.errored += 1


def read(path: Path) -> RunReport:
    """Parse one NDJSON report (``--report ndjson``)."""
    report = RunReport()
    for kind, payload in _events(path):
        if kind == "Initialize":
            report.seed = payload.get("seed")
        elif kind == "ScenarioFinished":
            _scenario(report, payload)
        elif kind == "NonFatalError":
            value = payload.get("value") or {}
            where = payload.get("label") or payload.get("phase") or ""
            report.errors.append(f"{where}: {value.get('type')}: {value.get('message', '')}")
        elif kind == "FatalError":
            report.errors.append(f"fatal: {payload.get('exception') or payload}")
        elif kind == "PhaseFinished":
            name = (payload.get("phase") or {}).get("name")
            if name in PHASES:
                report.phases[name] = str(payload.get("status"))
        elif kind == "EngineFinished":
            report.running_time = payload.get("running_time")
    return report
