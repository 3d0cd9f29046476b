"""The real-server mode, run for real against the mock on loopback under a non-default base URL.

The mock sits below ``/custom/prefix`` behind a recorder that logs every request reaching it, as
a real server would see them. Without the opt-in not one write arrives; with
``SEQUENCE_ALLOW_WRITES=createTransfer`` the only writes are that operation's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from starlette.types import ASGIApp, Receive, Scope, Send

from sequence_contract.contract import LivePolicy, RunResult, live_policy, render, run_live
from sequence_contract.contract._guard import BLOCKED_WRITE, FORWARDED
from sequence_contract.mock import create_app, serve
from sequence_contract.spec import WRITE_METHODS, Spec

PREFIX = "/custom/prefix"
KEY = "demo-all"


@dataclass
class Recorder:
    """ASGI wrapper: records (method, path) of every request, serves the mock below PREFIX."""

    app: ASGIApp
    seen: list[tuple[str, str]] = field(default_factory=list)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.seen.append((scope["method"], scope["path"]))
        if not scope["path"].startswith(PREFIX + "/"):
            await send({"type": "http.response.start", "status": 599, "headers": []})
            await send({"type": "http.response.body", "body": b"outside the base URL"})
            return
        inner = dict(scope)
        inner["path"] = scope["path"][len(PREFIX) :]
        inner["raw_path"] = scope["raw_path"][len(PREFIX) :]
        await self.app(inner, receive, send)

    @property
    def writes(self) -> list[tuple[str, str]]:
        return [(method, path) for method, path in self.seen if method in WRITE_METHODS]


@dataclass(frozen=True)
class LiveRun:
    recorder: Recorder
    outcome: RunResult
    reports: Path


ServeMock = Callable[[ASGIApp], AbstractContextManager[str]]


@contextmanager
def recorded_server(serve_mock: ServeMock) -> Iterator[tuple[Recorder, str]]:
    """(recorder, base URL of the API: http://127.0.0.1:<port>/custom/prefix/api/v1)."""
    recorder = Recorder(create_app(delay=0.2))
    with serve_mock(recorder) as root:
        yield recorder, f"{root}{PREFIX}/api/v1"


@pytest.fixture(scope="module")
def read_only_run(tmp_path_factory: pytest.TempPathFactory) -> LiveRun:
    """One run without the opt-in, shared by the tests that only look at it. The caller's
    SCHEMATHESIS_BASE_URL points elsewhere: the run must ignore it and go through the guard."""
    reports = tmp_path_factory.mktemp("live-read-only")
    with (
        pytest.MonkeyPatch.context() as patch,
        recorded_server(serve) as (recorder, base_url),
    ):
        patch.setenv("SCHEMATHESIS_BASE_URL", "http://127.0.0.1:9/elsewhere")
        return LiveRun(recorder, live_run(base_url, reports), reports)


def live_run(base_url: str, reports: Path, allow_writes: str = "") -> RunResult:
    env = {"SEQUENCE_BASE_URL": base_url, "SEQUENCE_API_KEY": KEY}
    if allow_writes:
        env["SEQUENCE_ALLOW_WRITES"] = allow_writes
    policy = live_policy(env)
    assert policy is not None
    # A loopback mock may be fuzzed faster than the real server's 90 a minute, and briefly.
    fast = LivePolicy(policy.base_url, policy.api_key, policy.allowed_writes, 6000, 2)
    return run_live(fast, reports, echo=lambda line: None)


def test_without_the_opt_in_not_one_write_reaches_the_server(
    read_only_run: LiveRun, spec: Spec
) -> None:
    recorder, outcome = read_only_run.recorder, read_only_run.outcome
    assert outcome.ok, render([outcome], spec)
    assert recorder.writes == []
    assert recorder.seen, "the run sent nothing at all"
    assert all(path.startswith(f"{PREFIX}/api/v1/") for _, path in recorder.seen)
    assert outcome.guard is not None
    assert outcome.guard.having(BLOCKED_WRITE) == []
    tested = {seen.operation_id for seen in outcome.guard.having(FORWARDED)}
    available_reads = {
        op.operation_id
        for op in spec.operations
        if not op.is_write and op.availability == "available"
    }
    assert tested == available_reads  # and nothing coming-soon or of unknown availability


def test_with_the_opt_in_only_the_named_operation_writes(
    serve_sequence_mock: ServeMock, tmp_path: Path, spec: Spec
) -> None:
    with recorded_server(serve_sequence_mock) as (recorder, base_url):
        outcome = live_run(base_url, tmp_path, allow_writes="createTransfer")
    assert outcome.ok, render([outcome], spec)
    assert recorder.writes, "createTransfer was named but never sent"
    assert set(recorder.writes) == {("POST", f"{PREFIX}/api/v1/transfers")}


def test_the_key_never_reaches_the_disk_and_the_summary_tells_the_guard(
    read_only_run: LiveRun, spec: Spec
) -> None:
    outcome = read_only_run.outcome
    written = [path for path in read_only_run.reports.rglob("*") if path.is_file()]
    assert {path.name for path in written} >= {"schemathesis.toml", "junit.xml", "events.ndjson"}
    for path in written:
        assert KEY not in path.read_text(encoding="utf-8", errors="replace"), path
    summary = render([outcome], spec)
    assert "### Write guard" in summary
    assert "writes blocked: 0" in summary
    assert "## live: PASSED" in summary
    assert "- skipped createTransfer: write; not named in allow-writes" in summary
    assert "- skipped listCards: x-availability: coming-soon" in summary
