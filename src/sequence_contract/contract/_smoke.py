"""The bounded live smoke run: what a real server is checked with unless asked for more.

A handful of reads, each answer checked against openapi.yaml by the traffic checker:

1. one positive request per available read operation; ids come from earlier answers through the
   spec's ``links`` (listAccounts -> getAccount, listRules -> listRuleExecutions, ...), so no id
   is invented. When the key is refused (401), one retry with ``Bearer`` tells whether the
   server is the vendor's Platform v1 API;
2. the auth checks: a wrong key and no key must get 401;
3. one request per documented 404: a well-formed id that cannot exist.

At most ``MAX_REQUESTS`` requests, all through the write guard (reads of the contract only,
rate-limited, budget enforced), so the run ends in well under a minute inside the 90-a-minute
budget. It prints one progress line per request.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import httpx

from ..conformance import VIOLATION, Violation, conformance
from ..conformance._exchange import Checked, Exchange, check
from ..conformance._tally import Tally
from ..spec import Operation, Parameter, Spec, lookup, model, resolve_node
from ._guard import WriteGuard

MAX_REQUESTS = 30
WRONG_KEY = "smoke-wrong-key-0000"
MISSING = "0SMOKE0NOT0FOUND0"  # the tail of an id no server issued


@dataclass(frozen=True)
class Probe:
    name: str  # what the request checks, e.g. "getAccount: 404"
    operation: Operation
    path: str  # relative to the base URL, arguments filled in
    query: Mapping[str, str]
    authorization: str | None  # the header value; None: none sent
    expect: frozenset[int]  # statuses that pass; empty: any 2xx


@dataclass
class SmokeResult:
    tally: Tally
    requests: int = 0
    seconds: float = 0.0
    failed: list[str] = field(default_factory=list)  # expectations not met
    notes: list[str] = field(default_factory=list)

    def exit_code(self, *, strict: bool = False) -> int:
        return 1 if self.failed or self.tally.exit_code(strict=strict) else 0

    def render(self, base_url: str) -> str:
        head = [
            f"# Smoke run against {base_url}: {'PASSED' if not self.exit_code() else 'FAILED'}",
            "",
            f"{self.requests} requests in {self.seconds:.1f} s (at most {MAX_REQUESTS}).",
            "",
            *(f"- expectation not met: {line}" for line in self.failed),
            *(f"- {note}" for note in self.notes),
            "",
        ]
        return "\n".join(head) + "\n" + self.tally.render("Answers against openapi.yaml")


class _Smoke:
    def __init__(
        self,
        spec: Spec,
        client: httpx.AsyncClient,
        key: str,
        base_url: str,
        echo: Callable[[str], None],
    ) -> None:
        self.spec, self.client, self.key, self.echo = spec, client, key, echo
        self.checker = conformance(spec)
        self.base_path = httpx.URL(base_url).path.rstrip("/")
        self.base_url = base_url.rstrip("/")
        self.result = SmokeResult(Tally(spec))
        self.planned = 0
        self.stopped = False  # the key is refused as ApiKey and taken as Bearer

    async def send(self, probe: Probe) -> Checked:
        headers = {"Authorization": probe.authorization} if probe.authorization else {}
        response = await self.client.get(probe.path, params=dict(probe.query), headers=headers)
        self.result.requests += 1
        exchange = Exchange(
            "GET",
            f"{self.base_url}{probe.path}",
            response.status_code,
            dict(headers),
            dict(response.headers),
            response.content,
        )
        checked = check(self.checker, exchange, base_path=self.base_path, secret=self.key)
        self.result.tally.add(checked)
        ok = _meets(probe.expect, response.status_code)
        if not ok:
            wanted = "/".join(map(str, sorted(probe.expect))) or "2xx"
            self.result.failed.append(f"{probe.name}: {response.status_code}, expected {wanted}")
        count = sum(1 for v in checked.violations if v.severity == VIOLATION)
        self.echo(
            f"[{self.result.requests}/{max(self.planned, self.result.requests)}] {probe.name}: "
            f"{response.status_code}{'' if ok else ' (unexpected)'}, {count} violation(s)"
        )
        return checked

    async def positives(self, reads: list[Operation]) -> None:
        known: dict[str, dict[str, str]] = {}  # operationId -> parameter -> value from a link
        pending = list(reads)
        while pending:
            ready = [
                (op, found)
                for op in pending
                if (found := _arguments(op, known.get(op.operation_id, {}))) is not None
            ]
            if not ready:
                break
            op, (path, query) = ready[0]
            pending.remove(op)
            probe = Probe(op.operation_id, op, path, query, f"ApiKey {self.key}", frozenset())
            checked = await self.send(probe)
            status = checked.exchange.status or 0
            if status == 401 and await self.bearer(probe):
                return
            _follow(op, status, checked.exchange.content, known)
        for op in pending:
            self.result.notes.append(
                f"{op.operation_id}: not called, no answer gave its required arguments"
            )

    async def bearer(self, probe: Probe) -> bool:
        """One retry of a refused request with ``Bearer``: does the server want Platform v1's
        scheme? Then every other request would be refused too."""
        retry = Probe(
            f"{probe.name} with Bearer",
            probe.operation,
            probe.path,
            probe.query,
            f"Bearer {self.key}",
            frozenset(),
        )
        checked = await self.send(retry)
        if not 200 <= (checked.exchange.status or 0) < 300:
            return False
        self.result.failed.pop()  # the ApiKey refusal is explained below, once
        self.result.tally.add(
            Checked(
                checked.exchange,
                probe.operation.operation_id,
                True,
                [
                    Violation(
                        probe.operation.operation_id,
                        401,
                        None,
                        "fingerprint",
                        "bearer-auth",
                        VIOLATION,
                        "doc",
                        None,
                        "/components/securitySchemes/ApiKeyAuth",
                        "Authorization: ApiKey <key>",
                        "401 for ApiKey, 2xx for Bearer",
                        "the key is one of the vendor's live Platform v1 API, which takes "
                        "`Authorization: Bearer`; the documentation says `ApiKey`",
                    ),
                ],
            )
        )
        self.result.notes.append("stopped after the Bearer probe: every ApiKey request would 401")
        self.stopped = True
        return True

    async def auth(self, op: Operation) -> None:
        for name, value in (("wrong key", f"ApiKey {WRONG_KEY}"), ("no key", None)):
            await self.send(
                Probe(f"{op.operation_id}: {name}", op, op.path, {}, value, frozenset({401}))
            )

    async def not_found(self, ops: list[Operation]) -> None:
        for op in ops:
            ids = [p for p in op.parameters if p.location == "path"]
            path = op.path
            for parameter in ids:
                path = path.replace(f"{{{parameter.name}}}", _missing_id(self.spec, parameter))
            await self.send(
                Probe(
                    f"{op.operation_id}: 404", op, path, {}, f"ApiKey {self.key}", frozenset({404})
                )
            )


def _meets(expect: frozenset[int], status: int) -> bool:
    return status in expect if expect else 200 <= status < 300


def _arguments(op: Operation, known: Mapping[str, str]) -> tuple[str, dict[str, str]] | None:
    """The path and query of a request with only the required arguments, or None."""
    path, query = op.path, {}
    for parameter in op.parameters:
        if not parameter.required or parameter.location not in ("path", "query"):
            continue
        if parameter.name not in known:
            return None
        if parameter.location == "path":
            path = path.replace(f"{{{parameter.name}}}", known[parameter.name])
        else:
            query[parameter.name] = known[parameter.name]
    return path, query


def _follow(op: Operation, status: int, content: bytes, known: dict[str, dict[str, str]]) -> None:
    """Record the argument values the response's links give other operations."""
    response = (op.node.get("responses") or {}).get(str(status)) or {}
    try:
        body = json.loads(content)
    except ValueError:
        return
    for link in (response.get("links") or {}).values():
        target = known.setdefault(str(link.get("operationId")), {})
        for name, expression in (link.get("parameters") or {}).items():
            if not str(expression).startswith("$response.body#"):
                continue
            try:
                value = lookup(body, str(expression).removeprefix("$response.body#"))
            except (KeyError, IndexError, TypeError, ValueError):
                continue
            if isinstance(value, str | int) and name not in target:
                target[name] = str(value)


def _missing_id(spec: Spec, parameter: Parameter) -> str:
    """A well-formed id no server issued: the schema's prefix (``acc_``) and a fixed tail."""
    schema = resolve_node(spec.document, lookup(spec.document, parameter.schema_pointer))
    found = re.match(r"^\^([a-z]+_)", str(schema.get("pattern", ""))) if schema else None
    return (found.group(1) if found else "") + MISSING


def smoke(
    base_url: str,
    api_key: str,
    *,
    echo: Callable[[str], None] = print,
    limit: int = 90,
    transport: httpx.AsyncBaseTransport | None = None,
) -> SmokeResult:
    """Run the smoke checks against ``base_url`` (through a write guard of its own)."""
    spec = model()
    reads = [op for op in spec.operations if not op.is_write and op.availability == "available"]
    guard = WriteGuard(base_url, reads, limit=limit, transport=transport, budget=MAX_REQUESTS)
    began = time.monotonic()

    async def run() -> SmokeResult:
        client = httpx.AsyncClient(transport=httpx.ASGITransport(guard), base_url="http://guard")
        async with client:
            probe = _Smoke(spec, client, api_key, base_url, echo)
            missing = [op for op in reads if 404 in op.statuses and "{" in op.path]
            bare = next(op for op in reads if _arguments(op, {}) is not None)
            probe.planned = len(reads) + 2 + len(missing)
            await probe.positives(reads)
            if not probe.stopped:
                await probe.auth(bare)
                await probe.not_found(missing)
            return probe.result

    result = asyncio.run(run())
    result.seconds = time.monotonic() - began
    return result
