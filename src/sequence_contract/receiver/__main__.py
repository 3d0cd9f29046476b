"""``sequence-contract receiver URL``: contract-test a webhook receiver and print the summary.

Exit status: 0 when the receiver passed, 1 when it failed, 2 when the URL was refused.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ._run import DEFAULT_EXAMPLES, run_receiver


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(
        prog="sequence-contract receiver",
        description="Fuzz a webhook receiver from the webhooks of openapi.yaml (Schemathesis): "
        "every valid event must get a 2xx, a malformed one a 4xx (never a 5xx), and a replayed "
        "Webhook-Id a 2xx again.",
    )
    cli.add_argument("url", help="the receiver's URL, e.g. http://127.0.0.1:9000/webhooks")
    cli.add_argument(
        "--max-examples",
        type=int,
        default=DEFAULT_EXAMPLES,
        metavar="N",
        help=f"fuzzing cases per webhook and mode (default {DEFAULT_EXAMPLES})",
    )
    cli.add_argument(
        "--reports", type=Path, default=Path("reports/receiver"), help="default reports/receiver"
    )
    cli.add_argument("--quiet", action="store_true", help="print only the summary")
    return cli


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.max_examples < 1:
        print("receiver: --max-examples must be >= 1", file=sys.stderr)
        return 2

    def echo(line: str) -> None:
        if not args.quiet:
            print(line, flush=True)

    try:
        outcome, summary = run_receiver(
            args.url, args.reports, echo, max_examples=args.max_examples
        )
    except ValueError as refused:
        print(f"receiver: {refused}", file=sys.stderr)
        return 2
    (args.reports / "summary.md").write_text(summary, encoding="utf-8")
    print(summary)
    print(f"summary: {args.reports / 'summary.md'}")
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    sys.exit(main())
