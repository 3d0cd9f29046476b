"""``sequence-contract``: the one command line, one subcommand per tool.

Each subcommand's module owns its parser and its ``main(argv) -> int``; this module only names
them and dispatches, importing the chosen one alone (``mock`` does not load Schemathesis).
A tool adds itself with one line in ``SUBCOMMANDS``. A subcommand whose extra is not installed
exits 2 with one line naming the extra, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable
from typing import cast

from ._extras import message, missing

#: name -> (module with ``main(argv)``, the extra it needs, one-line help)
SUBCOMMANDS: dict[str, tuple[str, str, str]] = {
    "mock": ("sequence_contract.mock.__main__", "mock", "serve the stateful mock of the API"),
    "contract": ("sequence_contract.contract.__main__", "contract", "run the contract suite"),
    "proxy": (
        "sequence_contract.traffic.proxy",
        "contract",
        "forward any client to the API, checking answers",
    ),
    "validate": (
        "sequence_contract.traffic.validate",
        "contract",
        "check recorded traffic (HAR, cassettes)",
    ),
    "usage": (
        "sequence_contract.traffic.usage",
        "contract",
        "list what an application's traffic used",
    ),
    "receiver": (
        "sequence_contract.receiver.__main__",
        "contract",
        "contract-test a webhook receiver",
    ),
}


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(
        prog="sequence-contract",
        description="The executable contract of the Sequence API: mock, contract suite and tools.",
    )
    commands = cli.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (_, extra, help_text) in SUBCOMMANDS.items():
        commands.add_parser(name, help=f"{help_text} [{extra}]", add_help=False)
    return cli


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    known, rest = parser().parse_known_args(args[:1])  # the subcommand; the rest is its own
    module_name, extra, _ = SUBCOMMANDS[known.command]
    absent = missing(extra)
    if absent:
        print(message(f"sequence-contract {known.command}", extra, absent), file=sys.stderr)
        return 2
    module = importlib.import_module(module_name)
    run = cast(Callable[[list[str]], int], module.main)
    return run([*rest, *args[1:]])


def mock_main() -> int:
    """``sequence-mock``: the alias of ``sequence-contract mock``."""
    return main(["mock", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
