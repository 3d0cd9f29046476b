"""The bounded live smoke run: what a real server is checked with unless asked for more.

A handful of reads, each answer checked against openapi.yaml by the traffic checker:

1. one positive request per available read operation; ids come from earlier answers through the
   spec's ``links`` (listAccounts -> getAccount, listRules -> listRuleExecutions, ...), so no id
   is invented. When the key is refused (401), one retry with ``Bearer`` tells whether the
   server is the vendor's Platform v1 API;
2. the auth checks: a wrong key and no key must get 401;
3. the checks of what the API means that reads can see (``_semantic``): per path with an id, a
   well-formed id that cannot exist gets 404 in the error envelope; each paged list turns one
   page (progress) and is read with the documented bounds of ``first`` (1 and its maximum) to
   its end; with a narrow key (``SEQUENCE_API_KEY_NARROW``), each read of step 1 again with it.

At most ``MAX_REQUESTS`` requests, all through the write guard (reads of the contract only,
rate-limited, budget enforced), so the run ends in well under a minute inside the 90-a-minute
budget. It prints one progress line per request.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import httpx

from ..conformance import VIOLATION, Violation, conformance
from ..conformance._exchange import Checked, Exchange, check
from ..conformance._tally import Tally
from ..spec import Operation, Spec, lookup, model
from ._guard import WriteGuard
from ._semantic import Call, Checks, Finding, render_findings

MAX_REQUESTS = 30
WRONG_KEY = "smoke-wrong-key-0000"
ANY = frozenset(range(100, 600))  # a probe the semantic checks judge, not the smoke's table


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
    findings: list[Finding] = field(default_factory=list)  # the semantic checks'

    def exit_code(self, *, strict: bool = False) -> int:
        broken = [f for f in self.findings if not f.passed and (strict or f.provenance == "doc")]
        return 1 if self.failed or broken or self.tally.exit_code(strict=strict) else 0

    def render(self, base_url: str) -> str:
        head = [
            f"# Smoke run against {base_url}: {'PASSED' if not self.exit_code() else 'FAILED'}",
            "",
            f"{self.requests} requests in {self.seconds:.1f} s (at most {MAX_REQUESTS}).",
            "",
            *(f"- expectation not met: {line}" for line in self.failed),
            *(f"- {note}" for note in self.notes),
            "",
            *render_findings(self.findings),
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
        self.known: dict[str, dict[str, str]] = {}  # operationId -> parameter -> linked value
        self.readable: list[tuple[Operation, str, dict[str, str]]] = []  # 2xx in step 1
        self.last = httpx.Response(0)
        self.planned = 0
        self.stopped = False  # the key is refused as ApiKey and taken as Bearer

    async def send(self, probe: Probe) -> Checked:
        headers = {"Authorization": probe.authorization} if probe.authorization else {}
        response = await self.client.get(probe.path, params=dict(probe.query), headers=headers)
        self.last = response
        self.result.requests += 1
        exchange = Exchange(
            "GET",
            f"{self.base_url}{probe.path}",
            response.status_code,
            dict(headers),
            dict(response.headers),
            response.content,
        )
        secret = (probe.authorization or "").split(" ", 1)[-1] or self.key
        checked = check(self.checker, exchange, base_path=self.base_path, secret=secret)
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

    async def checked(self, method: str, path: str, call: Call) -> httpx.Response:
        """``_semantic.Send``: one request of a semantic check, through ``send``."""
        op = self.spec.match(method, path)
        assert op is not None, path
        key = call.key or self.key
        name = f"{op.operation_id}: {call.label}"
        await self.send(Probe(name, op, path, call.query, f"ApiKey {key}", ANY))
        return self.last

    async def positives(self, reads: list[Operation]) -> None:
        known = self.known
        pending = list(reads)
        while pending:
            ready = [
                (op, found)
                for op in pending
                if (found := arguments(op, known.get(op.operation_id, {}))) is not None
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
            follow(op, status, checked.exchange.content, known)
            if 200 <= status < 300:
                self.readable.append((op, path, dict(query)))
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

    async def semantic(self, reads: list[Operation], narrow_key: str | None) -> None:
        checks = Checks(self.spec, self.checked)
        for op in reads:
            given = self.known.get(op.operation_id, {})
            if 404 in op.statuses and "{" in op.path:
                await checks.attempt(checks.unknown_id(op, given))
        for op in reads:
            found = arguments(op, self.known.get(op.operation_id, {}))
            if op.paginated and found is not None:
                await checks.attempt(checks.paging(op, found[1], pages=1))
        if narrow_key is not None:
            await checks.attempt(checks.permissions(self.readable, narrow_key))
        self.result.findings = checks.findings


def _meets(expect: frozenset[int], status: int) -> bool:
    return status in expect if expect else 200 <= status < 300


def arguments(op: Operation, known: Mapping[str, str]) -> tuple[str, dict[str, str]] | None:
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


def follow(op: Operation, status: int, content: bytes, known: dict[str, dict[str, str]]) -> None:
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


def smoke(
    base_url: str,
    api_key: str,
    *,
    echo: Callable[[str], None] = print,
    limit: int = 90,
    transport: httpx.AsyncBaseTransport | None = None,
    narrow_key: str | None = None,
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
            paged = [op for op in reads if op.paginated]
            bare = next(op for op in reads if arguments(op, {}) is not None)
            narrow = len(reads) if narrow_key else 0
            probe.planned = len(reads) + 2 + len(missing) + 3 * len(paged) + narrow
            await probe.positives(reads)
            if not probe.stopped:
                await probe.auth(bare)
                await probe.semantic(reads, narrow_key)
            return probe.result

    result = asyncio.run(run())
    result.seconds = time.monotonic() - began
    return result
