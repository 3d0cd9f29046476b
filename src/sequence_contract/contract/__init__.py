"""The contract suite: Schemathesis against the mock (default) or, opt-in, a real server.

Run it with ``scripts/contract`` / ``nox -s contract`` or ``python -m sequence_contract.contract``.
Its settings live in ``schemathesis.toml``; ``hooks`` is the Schemathesis hooks module it loads.
"""

from ._guard import GuardLog, WriteGuard
from ._plan import LivePolicy, PlanError, Run, live_policy, mock_runs
from ._runner import RunResult, run_live, run_mock
from ._summary import render

__all__ = [
    "GuardLog",
    "LivePolicy",
    "PlanError",
    "Run",
    "RunResult",
    "WriteGuard",
    "live_policy",
    "mock_runs",
    "render",
    "run_live",
    "run_mock",
]
