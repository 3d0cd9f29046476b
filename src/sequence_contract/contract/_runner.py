"""Run the plan: serve the target, call ``schemathesis run`` once per run, read the reports.

Each run gets its own directory under the reports dir holding the effective config it ran with
(``schemathesis.toml``: the suite merged with the run's overrides), the Schemathesis output, the
JUnit XML and the NDJSON event stream. The API key never touches the disk: the config refers to
``${SEQUENCE_CONTRACT_AUTHORIZATION}``, set only in the child's environment.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sequence_api_client

import sequence_contract

from ..mock import serve
from ..spec import model, spec_path
from . import _report, _toml
from ._budget import Budget, budget_for
from ._guard import BLOCKED_WRITE, GuardLog, WriteGuard
from ._plan import NARROW_KEY, LivePolicy, Run, load_base_config, merged
from ._semantic import Finding
from ._stage import run_checks, with_examples
from ._wire import ANSWERED_ENV

if TYPE_CHECKING:
    from starlette.types import ASGIApp

AUTH_ENV = "SEQUENCE_CONTRACT_AUTHORIZATION"


@dataclass
class RunResult:
    run: Run
    exit_code: int
    report: _report.RunReport
    directory: Path
    guard: GuardLog | None = None
    problems: list[str] = field(default_factory=list)  # expectations the run did not meet
    notes: list[str] = field(default_factory=list)  # for the summary, e.g. what was skipped
    findings: list[Finding] = field(default_factory=list)  # the checks of what the API means
    budget: Budget | None = None  # a budgeted run's shares and what each phase spent
    started: bool = True  # Schemathesis wrote its event stream

    @property
    def cases(self) -> int:
        """Test cases the run made, every phase and operation."""
        return sum(sum(tally.cases.values()) for tally in self.report.operations.values())

    @property
    def nothing_tested(self) -> str | None:
        """Why the run tested nothing, or None. A run that tested nothing failed, whatever its
        exit code: a missing Schemathesis, a refused config or an unreachable target all look
        like "no failures" in the tables."""
        if self.started and self.cases:
            return None
        said = _last_line(self.directory / "schemathesis.log")
        why = "Schemathesis did not start" if not self.started else "Schemathesis made no test case"
        return f"{why} (exit code {self.exit_code}{f': {said}' if said else ''})"

    @property
    def ok(self) -> bool:
        return (
            self.exit_code == 0
            and not self.problems
            and self.nothing_tested is None
            and all(f.passed for f in self.findings)
        )


def _last_line(log: Path) -> str:
    """The log's last non-blank line (where Python or Schemathesis says why it stopped)."""
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines() if log.is_file() else []
    said = next((line.strip() for line in reversed(lines) if line.strip()), "")
    return said[:200]


def effective_config(
    run: Run, base_url: str, directory: Path, base: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """``base`` (default: schemathesis.toml) merged with the run's and the target's settings."""
    target = {
        "base-url": base_url,
        "auth": {"openapi": {"ApiKeyAuth": {"api_key": f"${{{AUTH_ENV}}}"}}},
        "reports": {
            "directory": str(directory),
            "junit": {"enabled": True, "path": str(directory / "junit.xml")},
            "ndjson": {"enabled": True, "path": str(directory / "events.ndjson")},
        },
    }
    return merged(load_base_config() if base is None else base, run.config, target)


def _child_env(run: Run) -> dict[str, str]:
    """The child imports the hooks from this very installation (a checkout or a wheel).

    No ``SCHEMATHESIS_*`` variable is passed on: Schemathesis reads them as CLI options that
    beat the config file, so an inherited ``SCHEMATHESIS_BASE_URL`` would send a live run
    around the write guard, and ``SCHEMATHESIS_HOOKS`` would load hooks of someone else's.
    """
    roots = {
        str(Path(module.__file__ or "").resolve().parents[1])
        for module in (sequence_contract, sequence_api_client)
    }
    inherited = os.environ.get("PYTHONPATH", "")
    outside = {k: v for k, v in os.environ.items() if not k.upper().startswith("SCHEMATHESIS_")}
    return {
        **outside,
        **run.env,
        AUTH_ENV: f"ApiKey {run.api_key}",
        "PYTHONPATH": os.pathsep.join([*sorted(roots), *filter(None, [inherited])]),
    }


def execute(
    run: Run,
    base_url: str,
    reports: Path,
    echo: Callable[[str], None],
    *,
    document: Path | None = None,
    base: Mapping[str, Any] | None = None,
    on_start: Callable[[subprocess.Popen[str]], None] | None = None,
    keep: bool = False,
) -> RunResult:
    """One Schemathesis run of ``document`` (default: openapi.yaml) against ``base_url``, with
    ``base`` settings (default: schemathesis.toml) under the run's own; ``on_start`` gets the
    Schemathesis process (a budgeted run stops it)."""
    directory = reports / run.name
    if not keep:  # ``keep``: the caller has put files of the run there already
        shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "schemathesis.toml"
    header = f"Effective Schemathesis config of run {run.name!r}: {run.title}"
    config.write_text(_toml.dumps(effective_config(run, base_url, directory, base), header))
    command = [
        sys.executable, "-m", "schemathesis.cli", "--no-color", "--config-file", str(config),
        "run", str(document or spec_path()),
    ]  # fmt: skip
    echo(f"== {run.name}: {run.title}")
    log_path = directory / "schemathesis.log"
    with (
        log_path.open("w", encoding="utf-8") as log,
        subprocess.Popen(  # noqa: S603 - fixed argv, no shell
            command,
            env=_child_env(run),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
        ) as child,
    ):
        assert child.stdout is not None
        if on_start is not None:
            on_start(child)
        for line in child.stdout:
            log.write(line)
            echo(line.rstrip("\n"))
        exit_code = child.wait()
    events = directory / "events.ndjson"
    report = _report.read(events) if events.is_file() else _report.RunReport()
    outcome = RunResult(run, exit_code, report, directory, started=events.is_file())
    if outcome.nothing_tested is None:  # else every expectation is unmet, and says nothing new
        outcome.problems.extend(_unmet(run, report))
    return outcome


def _unmet(run: Run, report: _report.RunReport) -> list[str]:
    """What the run promised and did not do: the examples per operation it was configured for,
    and the statuses that prove the interesting paths were exercised."""
    ops = model().by_id
    problems = []
    for operation_id, statuses in sorted(run.must_answer.items()):
        tally = report.operations.get(ops[operation_id].label)
        fuzzed = tally.cases.get("fuzzing", 0) if tally else 0
        if fuzzed < run.min_fuzzing_cases:
            problems.append(
                f"{operation_id}: {fuzzed} fuzzing cases, fewer than {run.min_fuzzing_cases}"
            )
        seen = set(tally.statuses) if tally else set()
        if not statuses & seen:
            wanted = " or ".join(str(s) for s in sorted(statuses))
            problems.append(
                f"{operation_id} never answered {wanted} (saw {sorted(seen) or 'nothing'})"
            )
    return problems


@contextmanager
def serving(app: ASGIApp) -> Iterator[str]:
    """``app`` on a free loopback port, with uvicorn logging errors only: fuzzing sends requests
    the HTTP layer rejects by design, and a warning for each would bury the run's output."""
    with serve(app) as root:
        logging.getLogger("uvicorn.error").setLevel(logging.ERROR)
        yield root


@contextmanager
def embedded_mock() -> Iterator[str]:
    """A fresh embedded mock on a loopback port; yields the API's base URL."""
    from ..mock import create_app

    with serving(create_app()) as root:
        yield f"{root}/api/v1"


def run_mock(runs: list[Run], reports: Path, echo: Callable[[str], None]) -> list[RunResult]:
    """Each run against a mock of its own (fresh state: no run depends on another), all at once:
    each Schemathesis process gets a core. Lines are echoed with the run's name in front."""

    spec = model()

    def one(run: Run) -> RunResult:
        say = lambda line: echo(f"[{run.name}] {line}")  # noqa: E731
        with embedded_mock() as base_url:
            stage = None
            if run.checks:  # before Schemathesis: its examples of writes are the stage's
                writes = frozenset(op.operation_id for op in spec.operations if op.is_write)
                reads = [op for op in spec.operations if not op.is_write]
                stage = run_checks(spec, base_url, run.api_key, narrow_key=NARROW_KEY,
                                   writes=writes, reads=reads, echo=say)  # fmt: skip
            outcome = execute(run, base_url, reports, say)
        if stage is not None:
            outcome.findings.extend(stage.findings)
        return outcome

    with ThreadPoolExecutor(max_workers=max(1, len(runs))) as pool:
        return list(pool.map(one, runs))


def run_live(
    policy: LivePolicy,
    reports: Path,
    echo: Callable[[str], None],
    *,
    max_requests: int | None = None,
) -> RunResult:
    """The checks stage, then one Schemathesis run, all through the write guard. With
    ``max_requests``, the budget is shared out between the stage, the phases and the operations
    (``_budget``), and the run is stopped (Ctrl-C, so Schemathesis still writes its reports)
    once the guard has forwarded that many requests."""
    spec = model()
    chosen, skipped = policy.selection(spec)
    notes = [
        f"skipped {operation_id}: {reason}" for operation_id, reason in sorted(skipped.items())
    ]
    for note in notes:
        echo(note)
    shares = None
    if max_requests is not None:
        ids = [op.operation_id for op in chosen]
        shares = budget_for(max_requests, ids, policy.allowed_writes, policy.allowed_writes)
        run = policy.run(
            spec,
            fuzzing_examples=shares.examples_for("fuzzing"),
            stateful_examples=shares.examples_for("stateful"),
        )
    else:
        run = policy.run(spec)
    directory = reports / run.name
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    answered = directory / "guard-answered.txt"
    run = replace(run, env={**run.env, ANSWERED_ENV: str(answered)})
    progress = _Budget(max_requests, policy.rate_limit, echo)
    guard = WriteGuard(
        policy.base_url, chosen, policy.allowed_writes, limit=policy.rate_limit,
        on_forward=progress.forwarded if max_requests else None, shares=shares,
        answered_log=answered,
    )  # fmt: skip
    reads = [op for op in chosen if not op.is_write]
    with serving(guard) as guard_url:
        stage = run_checks(
            spec, guard_url, policy.api_key, narrow_key=policy.narrow_key,
            writes=policy.allowed_writes, reads=reads, echo=echo,
        )  # fmt: skip
        document = directory / "openapi.json"  # the writes' examples: those that succeeded
        document.write_text(json.dumps(with_examples(spec, stage.examples)), encoding="utf-8")
        outcome = execute(
            run, guard_url, reports, echo, document=document, on_start=progress.watch, keep=True
        )
    if progress.stopped:
        notes.append(f"stopped at the budget of {max_requests} requests: a partial run")
        outcome.exit_code = 1 if outcome.report.failures else 0
    outcome.guard, outcome.budget = guard.log, shares
    outcome.notes.extend(notes)
    outcome.findings.extend(stage.findings)
    for seen in guard.log.having(BLOCKED_WRITE):
        outcome.problems.append(f"guard blocked {seen.method} {seen.path}: {seen.reason}")
    for name in sorted(policy.allowed_writes):
        label = spec.by_id[name].label
        tally = outcome.report.operations.get(label)
        statuses = set(tally.statuses) if tally else set()
        if name not in stage.succeeded and not any(200 <= s < 300 for s in statuses):
            outcome.problems.append(f"{name} never succeeded (statuses: {sorted(statuses)})")
    return outcome


class _Budget:
    """Progress and ETA of a budgeted run, and its stop once the budget is spent."""

    def __init__(self, limit: int | None, per_minute: int, echo: Callable[[str], None]) -> None:
        self.limit, self.per_minute, self.echo = limit, per_minute, echo
        self.began = time.monotonic()
        self.child: subprocess.Popen[str] | None = None
        self.stopped = False

    def watch(self, child: subprocess.Popen[str]) -> None:
        self.child, self.began = child, time.monotonic()

    def forwarded(self, count: int) -> None:
        assert self.limit is not None
        if count % max(1, self.limit // 20) == 0 or count == self.limit:
            elapsed = time.monotonic() - self.began
            rate = min(count / max(elapsed, 1e-3), self.per_minute / 60)  # requests a second
            eta = (self.limit - count) / rate
            self.echo(f"progress: {count}/{self.limit} requests, {elapsed:.0f} s, ETA {eta:.0f} s")
        if count >= self.limit and self.child is not None and not self.stopped:
            self.stopped = True
            self.echo(f"progress: budget of {self.limit} requests spent; stopping the run")
            self.child.send_signal(signal.SIGINT)
