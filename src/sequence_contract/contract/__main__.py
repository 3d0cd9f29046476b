"""``python -m sequence_contract.contract``: run the contract suite and print its summary.

Against the embedded mock by default. Against a real server when ``SEQUENCE_BASE_URL`` and
``SEQUENCE_API_KEY`` are set: the bounded smoke run (``--smoke``, at most 30 reads), or, with
``--max-requests N``, the checks of what the API means and the full fuzz, N requests shared out
between them (each phase's share in the summary): read-only, available operations only, at most
``--rate`` requests a minute, writes only for the operations named with ``--allow-writes`` (or
``SEQUENCE_ALLOW_WRITES``). A second, narrower key (``--narrow-key`` or
``SEQUENCE_API_KEY_NARROW``) adds the permission checks. ``--smoke`` without a real server runs
against the embedded mock.
Exit status: 0 when every run passed, 1 when any failed, 2 when the plan was refused.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from ..spec import model
from ._plan import (
    FULL_KEY,
    LIVE_RATE_LIMIT,
    NARROW_KEY,
    NARROW_KEY_ENV,
    SERVER_RATE_LIMIT,
    LivePolicy,
    PlanError,
    live_policy,
    mock_runs,
)
from ._runner import embedded_mock, run_live, run_mock
from ._smoke import smoke
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
    cli.add_argument(
        "--smoke",
        action="store_true",
        help="the bounded smoke run (the default against a real server): one request per "
        "available read, the auth checks, one per documented 404; at most 30 requests",
    )
    cli.add_argument(
        "--max-requests",
        type=int,
        metavar="N",
        help="real server only: the full Schemathesis run, stopped after N requests",
    )
    cli.add_argument(
        "--strict", action="store_true", help="smoke run: fail on any violation, not only doc"
    )
    cli.add_argument(
        "--rate",
        metavar="N/min",
        help=f"real server only: at most N requests a minute (default {LIVE_RATE_LIMIT}: the "
        f"documented {SERVER_RATE_LIMIT} per key minus a margin; set your server's own)",
    )
    cli.add_argument(
        "--narrow-key",
        metavar="KEY",
        help=f"real server only: a second key lacking some permissions, for the 403 checks "
        f"(env {NARROW_KEY_ENV}; prefer the variable: a command line shows in process lists)",
    )
    return cli


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    spec = model()

    def echo(line: str) -> None:
        if not args.quiet:
            print(line, flush=True)

    try:
        policy = live_policy(
            os.environ, args.allow_writes, rate=args.rate, narrow_key=args.narrow_key
        )
        if policy is None and args.allow_writes:
            raise PlanError("--allow-writes applies to real-server runs only")
        if policy is None and (args.rate or args.narrow_key):
            raise PlanError("--rate and --narrow-key apply to real-server runs only")
        if policy is not None and args.fuzz:
            raise PlanError("--fuzz applies to the mock only: a real server gets few cases")
        if args.max_requests is not None and (policy is None or args.smoke):
            raise PlanError("--max-requests applies to the full run against a real server")
        if args.max_requests is not None and args.max_requests < 1:
            raise PlanError("--max-requests must be at least 1")
        if args.smoke and (args.allow_writes or args.fuzz):
            raise PlanError("the smoke run only reads: no --allow-writes, no --fuzz")
    except PlanError as refused:
        print(f"contract: {refused}", file=sys.stderr)
        return 2
    if args.smoke or (policy is not None and args.max_requests is None):
        if policy is not None and policy.allowed_writes:
            print("contract: writes are for the full run: add --max-requests N", file=sys.stderr)
            return 2
        return _smoke(policy, args.reports, echo, strict=args.strict)
    if policy is None:
        outcomes = run_mock(mock_runs(spec, fuzz=args.fuzz), args.reports, echo)
    else:
        writes = ", ".join(sorted(policy.allowed_writes)) or "none"
        print(f"contract: REAL SERVER {policy.base_url}; writes allowed: {writes}", flush=True)
        outcomes = [run_live(policy, args.reports, echo, max_requests=args.max_requests)]
    summary = render(outcomes, spec)
    args.reports.mkdir(parents=True, exist_ok=True)
    (args.reports / "summary.md").write_text(summary, encoding="utf-8")
    print(summary)
    print(f"summary: {args.reports / 'summary.md'}")
    return 0 if all(outcome.ok for outcome in outcomes) else 1


def _smoke(policy: LivePolicy | None, reports: Path, echo: Callable[[str], None], *,
           strict: bool) -> int:  # fmt: skip
    if policy is None:
        with embedded_mock() as base_url:
            result = smoke(base_url, FULL_KEY, echo=echo, narrow_key=NARROW_KEY)
        target = "the embedded mock"
    else:
        print(f"contract: REAL SERVER {policy.base_url}: smoke run (reads only)", flush=True)
        result = smoke(
            policy.base_url,
            policy.api_key,
            echo=echo,
            limit=policy.rate_limit,
            narrow_key=policy.narrow_key,
        )
        target = policy.base_url
    summary = result.render(target)
    reports.mkdir(parents=True, exist_ok=True)
    (reports / "smoke.md").write_text(summary, encoding="utf-8")
    print(summary)
    print(f"summary: {reports / 'smoke.md'}")
    return result.exit_code(strict=strict)


if __name__ == "__main__":
    sys.exit(main())
