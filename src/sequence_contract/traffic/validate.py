"""``sequence-contract validate FILE...``: judge recorded traffic against openapi.yaml.

Reads HAR 1.2 files (browser devtools, mitmproxy, Proxyman exports), Schemathesis VCR cassettes
and the proxy's NDJSON logs, one exchange at a time, and prints the table of operation x check,
the violations grouped by provenance, and the exchanges that match no documented operation.
Exit status: 0; 1 on any ``doc`` violation (any violation with ``--strict``); 2 when a file or
an entry could not be read (each named on stderr).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..conformance import conformance
from ..conformance._exchange import check
from ..conformance._tally import Tally
from ._recordings import RecordingError, read


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(
        prog="sequence-contract validate",
        description="Check recorded traffic (HAR, Schemathesis cassettes, proxy NDJSON logs) "
        "against openapi.yaml.",
    )
    cli.add_argument("files", nargs="+", type=Path, metavar="FILE")
    cli.add_argument(
        "--strict", action="store_true", help="exit 1 on any violation, not only on doc ones"
    )
    cli.add_argument(
        "--base-path",
        metavar="PATH",
        help="the API's path prefix in the recorded URLs (default: the spec server's, /api/v1, "
        "wherever it occurs)",
    )
    return cli


def validate(files: list[Path], base_path: str | None = None) -> Tally:
    """Every exchange of ``files`` checked; each unreadable file or entry named on stderr."""
    checker = conformance()
    tally = Tally(checker.spec)
    for path in files:
        try:
            for item in read(path):
                if isinstance(item, RecordingError):
                    tally.errors.append(str(item))
                    print(f"validate: {item}", file=sys.stderr)
                else:
                    tally.add(check(checker, item, base_path=base_path))
        except (OSError, RecordingError, UnicodeDecodeError) as bad:
            message = str(bad) if isinstance(bad, RecordingError) else f"{path}: {bad}"
            tally.errors.append(message)
            print(f"validate: {message}", file=sys.stderr)
    return tally


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    tally = validate(args.files, args.base_path)
    print(tally.render(f"Recorded traffic against openapi.yaml: {len(args.files)} file(s)"))
    return tally.exit_code(strict=args.strict)


if __name__ == "__main__":
    sys.exit(main())
