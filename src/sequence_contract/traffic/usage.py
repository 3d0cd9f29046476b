"""``sequence-contract usage FILE... -o usage.json``: what an application uses of the API.

Reads what ``validate`` reads (HAR files, Schemathesis cassettes, the proxy's NDJSON log) and
the client's own record (``connect(record=PATH)``), and writes, per documented operation, the
calls, the statuses seen, the parameters and request fields sent and the response fields
received (``_usage``). ``nox -s api_changes -- --usage usage.json`` and
``sequence-contract validate --usage usage.json`` then say which of their findings affect the
application. Exit status: 0; 2 when a file or an entry could not be read (each named on stderr).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ._contract import checker_for
from ._usage import Usage

__all__ = ["Usage", "main", "parser"]


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(
        prog="sequence-contract usage",
        description="List the operations, statuses and fields an application's traffic used.",
    )
    cli.add_argument("files", nargs="+", type=Path, metavar="FILE")
    cli.add_argument(
        "-o", "--output", type=Path, default=Path("usage.json"), help="default: usage.json"
    )
    cli.add_argument(
        "--spec", type=Path, metavar="PATH", help="the contract to match operations by"
    )
    cli.add_argument("--base-path", metavar="PATH", help="as for `sequence-contract validate`")
    return cli


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        checker = checker_for(args.spec)
    except ValueError as bad:
        print(f"usage: {bad}", file=sys.stderr)
        return 2
    usage, errors = Usage.extract(args.files, checker, args.base_path)
    for error in errors:
        print(f"usage: {error}", file=sys.stderr)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(usage.dumps(), encoding="utf-8")
    print(
        f"usage: {usage.exchanges} exchanges, {len(usage.operations)} operations "
        f"({', '.join(sorted(usage.operations)) or 'none'}); "
        f"{sum(usage.unmatched.values())} match none -> {args.output}"
    )
    return 2 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
