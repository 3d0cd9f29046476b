"""``python -m sequence_contract.contract``: run the contract suite and print its summary.

Against the embedded mock by default. Against a real server when ``SEQUENCE_BASE_URL`` and
``SEQUENCE_API_KEY`` are set: read-only, available operations only, rate-limited, writes only
for the operations named with ``--allow-writes`` (or ``SEQUENCE_ALLOW_WRITES``).
Exit status: 0 when every run passed, 1 when any failed, 2 when the plan was refused.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..spec import model
from ._plan import PlanError, live_policy, mock_runs
from ._runner import run_live, run_mock
from ._summary import render


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(prog="python -m sequence_contract.contract", description=__doc__)
    cli.add_argument(
        "--fuzz", action="store_true", help="ten times the examples of schemathesis.toml"
    )
    cli.add_argument(
        "--allow-writes",
        metavar="OPS",
        help="real server only: comma-separated write operationIds that may be sent "
        "(e.g. createTransfer,triggerRule); default: none (env SEQUENCE_ALLOW_WRITES)",
    )
    cli.add_argument(
        "--reports", type=Path, default=Path("reports/contract"), help="default reports/contract"
    )
    cli.add_argument("--quiet", action="store_true", help="print only the summary")
    return cli


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    spec = model()

    def echo(line: str) -> None:
        if not args.quiet:
            print(line, flush=True)

    try:
        policy = live_policy(os.environ, args.allow_writes)
        if policy is None and args.allow_writes:
            raise PlanError("--allow-writes applies to real-server runs only")
        if policy is not None and args.fuzz:
            raise PlanError("--fuzz applies to the mock only: a real server gets few cases")
    except PlanError as refused:
        print(f"contract: {refused}", file=sys.stderr)
        return 2
    if policy is None:
        outcomes = run_mock(mock_runs(spec, fuzz=args.fuzz), args.reports, echo)
    else:
        writes = ", ".join(sorted(policy.allowed_writes)) or "none"
        print(f"contract: REAL SERVER {policy.base_url}; writes allowed: {writes}", flush=True)
        outcomes = [run_live(policy, args.reports, echo)]
    summary = render(outcomes, spec)
    args.reports.mkdir(parents=True, exist_ok=True)
    (args.reports / "summary.md").write_text(summary, encoding="utf-8")
    print(summary)
    print(f"summary: {args.reports / 'summary.md'}")
    return 0 if all(outcome.ok for outcome in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
