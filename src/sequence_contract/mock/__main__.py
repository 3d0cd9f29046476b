"""``sequence-mock`` / ``python -m sequence_contract.mock``: serve the mock with uvicorn."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

import uvicorn
from starlette.applications import Starlette

from .app import create_app
from .http._serve import HTTP
from .state._clock import ManualClock, SystemClock
from .state._records import FixtureError
from .webhooks._subscribers import SubscriberError

_ACCESS_LEVELS = ("trace", "debug", "info")  # the levels at which a line per request is written


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(
        prog="sequence-mock",
        description="Stateful mock of the Sequence API, served under /api/v1 "
        "(contract at /openapi.json).",
    )
    cli.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    cli.add_argument("--port", type=int, default=8080, help="port to bind (default 8080)")
    cli.add_argument(
        "--fixtures",
        type=Path,
        help="fixture JSON file (or directory) replacing the default organisation and keys",
    )
    cli.add_argument(
        "--rate-limit",
        action="store_true",
        help="enforce 100 requests per minute per key (429 + Retry-After)",
    )
    cli.add_argument(
        "--delay",
        type=float,
        default=1.0,
        metavar="SECONDS",
        help="seconds until transfers settle and rule executions finish (default 1.0)",
    )
    cli.add_argument(
        "--latency",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="seconds each idempotent write holds before answering (default 0)",
    )
    cli.add_argument(
        "--webhook",
        action="append",
        default=[],
        metavar="URL[=EVENTS]",
        help="deliver transfer webhooks to URL (repeatable); URL=transfer.created,... for some "
        "events only. Delivery log: GET /_mock/webhooks",
    )
    cli.add_argument(
        "--webhook-retries",
        metavar="NAME=VALUE,...",
        help="change the delivery schedule documented in openapi.yaml (x-retries): attempts, "
        "first_delay, factor, max_delay, deadline, timeout",
    )
    cli.add_argument(
        "--clock",
        choices=("system", "manual"),
        default="system",
        help="system: wall-clock time (default); manual: stands still until moved through "
        "the admin API (POST /_mock/clock/advance, PUT /_mock/clock)",
    )
    cli.add_argument(
        "--seed",
        type=int,
        metavar="N",
        help="mint ids and request ids from a generator seeded with N (with --clock manual, "
        "the same requests answer the same bytes)",
    )
    cli.add_argument(
        "--admin-token",
        metavar="TOKEN",
        help="open the admin API (/_mock) to any client sending Authorization: Bearer TOKEN "
        "(default: loopback clients only)",
    )
    cli.add_argument(
        "--log-level",
        default="info",
        help="log level (default info: a line per request, as uvicorn's access log writes it)",
    )
    cli.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="warnings and errors only, no line per request (--log-level warning)",
    )
    return cli


def main(argv: list[str] | None = None, prepare: Callable[[Starlette], None] | None = None) -> int:
    """``sequence-mock``. ``prepare`` gets the app before it is served (scripts/bench-mock fills
    its store that way, so it measures the server exactly as this command starts it)."""
    args = parser().parse_args(argv)
    level = "warning" if args.quiet else args.log_level.lower()
    if args.delay < 0 or args.latency < 0:
        print("sequence-mock: --delay and --latency must be >= 0", file=sys.stderr)
        return 2
    try:
        app = create_app(
            fixtures=args.fixtures,
            rate_limit=args.rate_limit,
            delay=args.delay,
            latency=args.latency,
            webhooks=args.webhook,
            webhook_retries=args.webhook_retries,
            clock=ManualClock() if args.clock == "manual" else SystemClock(),
            seed=args.seed,
            admin_token=args.admin_token,
            access_log=level in _ACCESS_LEVELS,
        )
    except FixtureError as problem:
        print(f"sequence-mock: bad fixtures: {problem}", file=sys.stderr)
        return 2
    except SubscriberError as problem:
        print(f"sequence-mock: {problem}", file=sys.stderr)
        return 2
    if prepare is not None:
        prepare(app)
    # The app writes the access log (_access_log): uvicorn's costs a tenth of the throughput.
    uvicorn.run(app, host=args.host, port=args.port, log_level=level, access_log=False, http=HTTP)
    return 0


if __name__ == "__main__":
    sys.exit(main())
