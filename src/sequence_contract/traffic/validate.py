"""``sequence-contract validate FILE...``: judge recorded traffic against openapi.yaml.

Reads HAR 1.2 files (browser devtools, mitmproxy, Proxyman exports), Schemathesis VCR cassettes
and the proxy's NDJSON logs, one exchange at a time, and prints the table of operation x check,
the violations grouped by provenance, and the exchanges that match no documented operation.
Exit status: 0; 1 on any ``doc`` violation (any violation with ``--strict``); 2 when a file or
an entry could not be read (each named on stderr).

``--spec PATH`` judges against another contract (a patched one, say); ``--overlay OUT.yaml``
writes what the traffic proposes to change as an Overlay 1.0.0 document (``_overlay``);
``--usage usage.json`` splits the findings into those that affect the application whose usage
it is (``sequence-contract usage``) and those that do not.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..conformance import Conformance
from ..conformance._exchange import check
from ..conformance._tally import Tally
from ._contract import checker_for
from ._evidence import Evidence
from ._overlay import write_overlay
from ._recordings import RecordingError, read
from ._usage import Usage, UsageError


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
    cli.add_argument(
        "--spec", type=Path, metavar="PATH", help="the contract to judge by (default: openapi.yaml)"
    )
    cli.add_argument(
        "--overlay",
        type=Path,
        metavar="OUT.yaml",
        help="write the changes the traffic proposes as an Overlay 1.0.0 document",
    )
    cli.add_argument(
        "--usage",
        type=Path,
        metavar="usage.json",
        help="split the findings by whether they affect this application (sequence-contract usage)",
    )
    return cli


def validate(
    files: list[Path],
    base_path: str | None = None,
    *,
    checker: Conformance | None = None,
    evidence: Evidence | None = None,
) -> Tally:
    """Every exchange of ``files`` checked (and filed in ``evidence``); each unreadable file or
    entry named on stderr."""
    checker = checker or checker_for(None)
    tally = Tally(checker.spec)
    for path in files:
        try:
            for item in read(path):
                if isinstance(item, RecordingError):
                    tally.errors.append(str(item))
                    print(f"validate: {item}", file=sys.stderr)
                else:
                    checked = check(checker, item, base_path=base_path)
                    tally.add(checked)
                    if evidence is not None:
                        evidence.add(checked)
        except (OSError, RecordingError, UnicodeDecodeError) as bad:
            message = str(bad) if isinstance(bad, RecordingError) else f"{path}: {bad}"
            tally.errors.append(message)
            print(f"validate: {message}", file=sys.stderr)
    return tally


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        checker = checker_for(args.spec)
        usage = Usage.load(args.usage) if args.usage else None
    except (OSError, UsageError, ValueError) as bad:
        print(f"validate: {bad}", file=sys.stderr)
        return 2
    evidence = Evidence(checker.spec) if args.overlay else None
    tally = validate(args.files, args.base_path, checker=checker, evidence=evidence)
    name = args.spec.name if args.spec else "openapi.yaml"
    print(tally.render(f"Recorded traffic against {name}: {len(args.files)} file(s)"))
    if usage is not None:
        print(usage.split_records(tally))
    if evidence is not None:
        write_overlay(evidence, args.overlay, name, "validate")
    return tally.exit_code(strict=args.strict)


if __name__ == "__main__":
    sys.exit(main())
