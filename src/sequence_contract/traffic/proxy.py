"""``sequence-contract proxy --upstream URL --port N``: a validating proxy for any client.

Point curl, a Node app or a browser at ``http://127.0.0.1:N`` instead of the API's base URL.
Each request goes to ``URL`` unchanged through the contract suite's write guard (reads only,
unless ``--allow-writes`` names write operations; at most ``--rate-limit`` requests a minute);
each answer comes back unchanged but for two headers:

    X-Contract-Violations: 2                 violations of openapi.yaml in this answer
    X-Contract-Provenance: doc=1, filled=1   ...by the x-provenance of what they broke

Every exchange and its records are appended to an NDJSON log (``--log``) with the key removed;
``sequence-contract validate`` reads it back. On exit (Ctrl-C) the summary is printed, and with
``--overlay OUT.yaml`` the changes the traffic proposes are written as an Overlay 1.0.0 document.
``--spec PATH`` checks against another contract than the installed openapi.yaml.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import IO, TYPE_CHECKING
from urllib.parse import urlsplit

import httpx

from ..conformance import VIOLATION, Conformance, Violation, conformance
from ..conformance._exchange import Exchange, check, dumps, to_record
from ..conformance._tally import Tally

if TYPE_CHECKING:  # ASGI's types; the server is the mock's (uvicorn), started by serve()
    from starlette.types import Message, Receive, Scope, Send
from ..contract._guard import FORWARDED, WriteGuard
from ..contract._plan import PlanError, parse_allow_writes
from ..mock import serve
from ._contract import checker_for
from ._evidence import Evidence
from ._overlay import write_overlay

VIOLATIONS_HEADER = "x-contract-violations"
PROVENANCE_HEADER = "x-contract-provenance"
DEFAULT_LOG = Path("reports/proxy/exchanges.ndjson")


def provenance_header(records: Iterable[Violation]) -> str:
    counts = Counter(r.provenance for r in records if r.severity == VIOLATION)
    return ", ".join(f"{kind}={n}" for kind, n in sorted(counts.items())) or "none"


class ValidatingProxy:
    """ASGI app: the write guard forwards, each forwarded exchange is checked and logged."""

    def __init__(
        self,
        upstream: str,
        log: IO[str],
        *,
        allowed_writes: Iterable[str] = (),
        limit: int = 90,
        transport: httpx.AsyncBaseTransport | None = None,
        checker: Conformance | None = None,
    ) -> None:
        self.checker = checker or conformance()
        self.guard = WriteGuard(
            upstream,
            self.checker.spec.operations,
            allowed_writes,
            limit=limit,
            transport=transport,
            forward_unknown_reads=True,
        )
        self.log = log
        self.tally = Tally(self.checker.spec)
        self.evidence = Evidence(self.checker.spec)
        self.base_path = urlsplit(upstream).path.rstrip("/")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.guard(scope, receive, send)
            return
        request_body: list[bytes] = []
        start: dict[str, Message] = {}
        chunks: list[bytes] = []

        async def recording_receive() -> Message:
            message = await receive()
            request_body.append(message.get("body", b""))
            return message

        async def holding_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                start["message"] = message
            else:
                chunks.append(message.get("body", b""))
            # The guard sends its answer whole: one start, one body.

        began = time.monotonic()
        at = datetime.now(UTC).isoformat(timespec="milliseconds")
        await self.guard(scope, recording_receive, holding_send)
        method = str(scope["method"]).upper()
        path = scope.get("raw_path", b"").decode("latin-1").split("?", 1)[0] or scope["path"]
        outcome = self.guard.decide(method, path)[1]
        head = start["message"]
        query = scope.get("query_string", b"").decode("latin-1")
        exchange = Exchange(
            method=method,
            url=f"{self.guard.upstream}{path}" + (f"?{query}" if query else ""),
            status=int(head["status"]),
            request_headers={
                k.decode("latin-1").lower(): v.decode("latin-1")
                for k, v in scope.get("headers", [])
            },
            response_headers={
                k.decode("latin-1").lower(): v.decode("latin-1") for k, v in head.get("headers", [])
            },
            content=b"".join(chunks),
            request_body=b"".join(request_body),
            started=at,
            elapsed_ms=round((time.monotonic() - began) * 1000, 1),
        )
        checked = check(self.checker, exchange, base_path=self.base_path)
        if outcome == FORWARDED:
            self.tally.add(checked)
            self.evidence.add(checked)
        else:  # the guard answered itself: nothing of the server's to judge
            checked = type(checked)(exchange, checked.operation, checked.matched, [])
        self.log.write(dumps(to_record(checked, outcome=outcome)) + "\n")
        self.log.flush()
        count = sum(1 for r in checked.violations if r.severity == VIOLATION)
        headers = [
            *head.get("headers", []),
            (VIOLATIONS_HEADER.encode(), str(count).encode()),
            (PROVENANCE_HEADER.encode(), provenance_header(checked.violations).encode()),
        ]
        await send({**head, "headers": headers})
        await send({"type": "http.response.body", "body": exchange.content})


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(
        prog="sequence-contract proxy",
        description="Forward any client to the API and check every answer against openapi.yaml.",
    )
    cli.add_argument(
        "--upstream",
        required=True,
        metavar="URL",
        help="the API's base URL, e.g. https://api.getsequence.io/api/v1",
    )
    cli.add_argument("--port", type=int, default=8081, help="local port (default 8081)")
    cli.add_argument("--host", default="127.0.0.1", help="local address (default 127.0.0.1)")
    cli.add_argument(
        "--allow-writes",
        metavar="OPS",
        default="",
        help="comma-separated write operationIds to forward; default: none",
    )
    cli.add_argument(
        "--log",
        type=Path,
        default=DEFAULT_LOG,
        help=f"NDJSON log, appended to (default {DEFAULT_LOG})",
    )
    cli.add_argument(
        "--rate-limit",
        type=int,
        default=90,
        metavar="N",
        help="requests forwarded per rolling minute (default 90)",
    )
    cli.add_argument(
        "--spec", type=Path, metavar="PATH", help="the contract to check by (default: openapi.yaml)"
    )
    cli.add_argument(
        "--overlay",
        type=Path,
        metavar="OUT.yaml",
        help="on exit, write the changes the traffic proposes as an Overlay 1.0.0 document",
    )
    return cli


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        parts = urlsplit(args.upstream)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise PlanError(f"--upstream must be an http(s) URL, got {args.upstream!r}")
        if not 1 <= args.rate_limit < 100:
            raise PlanError("--rate-limit must be between 1 and 99 (the API allows 100 a minute)")
        checker = checker_for(args.spec)
        writes = parse_allow_writes(args.allow_writes, checker.spec)
    except (PlanError, ValueError) as refused:
        print(f"proxy: {refused}", file=sys.stderr)
        return 2
    args.log.parent.mkdir(parents=True, exist_ok=True)
    with args.log.open("a", encoding="utf-8") as log:
        proxy = ValidatingProxy(
            args.upstream.rstrip("/"),
            log,
            allowed_writes=writes,
            limit=args.rate_limit,
            checker=checker,
        )
        print(
            f"proxy: http://{args.host}:{args.port} -> {args.upstream} "
            f"(writes: {', '.join(sorted(writes)) or 'none'}; log: {args.log})",
            flush=True,
        )
        signal.signal(signal.SIGTERM, _interrupt)  # stop as on Ctrl-C: the tally still prints
        with contextlib.suppress(KeyboardInterrupt), serve(proxy, args.host, args.port):
            threading.Event().wait()  # the server runs on its own thread until interrupted
    print(proxy.tally.render(f"Proxied traffic to {args.upstream}"), flush=True)
    if args.overlay:
        name = args.spec.name if args.spec else "openapi.yaml"
        write_overlay(proxy.evidence, args.overlay, name, "proxy")
    return 0


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
