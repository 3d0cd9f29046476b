"""The runner's ``checks`` stage: reads to learn ids, writes built from them, then ``_semantic``.

Runs before Schemathesis, on the same server (in a real-server run: through the write guard,
in the budget's ``checks`` share). Besides its findings it hands the Schemathesis run the
examples of the writes that succeeded here (``Stage.examples``): a write whose only example is
the schema's (``acc_01HABC4567`` to itself, which no key may do) would never succeed.

**Writes that can succeed.** createTransfer: pairs of listed accounts (a source that
``can_be_source``, another that ``can_be_destination``) at the documented minimum amount, until
one succeeds (at most ``WRITE_TRIES``); triggerRule: the listed enabled rules, likewise. The
first success is replayed with its key and body (the same answer, the same object, read back),
and its key is sent once more with another body (400 ``idempotency_key_mismatch``).
"""

from __future__ import annotations

import asyncio
import copy
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from ..spec import Operation, Spec, lookup, resolve_node
from ._budget import STAGE
from ._semantic import Call, Checks, Finding, Send, json_of
from ._smoke import arguments, follow
from ._wire import PHASE_HEADER

Json = Any
WRITE_TRIES = 3
IDEMPOTENCY = "/components/parameters/IdempotencyKey"


@dataclass
class Stage:
    findings: list[Finding] = field(default_factory=list)
    examples: dict[str, Json] = field(default_factory=dict)  # operationId -> body or path args
    succeeded: set[str] = field(default_factory=set)  # writes that answered 2xx here
    requests: int = 0


async def run_stage(
    spec: Spec,
    send: Send,
    *,
    narrow_key: str | None,
    writes: frozenset[str],
    reads: list[Operation],
    pages: int = 3,
    echo: Callable[[str], None] = print,
) -> Stage:
    """Every check against the server ``send`` reaches (the run's key unless a call names one)."""
    stage = Stage()

    async def counted(method: str, path: str, call: Call) -> httpx.Response:
        stage.requests += 1
        return await send(method, path, call)

    checks = Checks(spec, counted)
    known: dict[str, dict[str, str]] = {}
    readable: list[tuple[Operation, str, dict[str, str]]] = []
    bodies: dict[str, Json] = {}
    for op in _in_link_order(reads):
        found = arguments(op, known.get(op.operation_id, {}))
        if found is None:
            continue
        path, query = found
        response = await counted(op.method, path, Call(query))
        follow(op, response.status_code, response.content, known)
        if 200 <= response.status_code < 300:
            readable.append((op, path, query))
            bodies[op.operation_id] = json_of(response)
    for op in reads:
        if 404 in op.statuses and "{" in op.path:
            await checks.attempt(checks.unknown_id(op, known.get(op.operation_id, {})))
    for op in reads:
        found = arguments(op, known.get(op.operation_id, {}))
        if found is not None and op.paginated:
            await checks.attempt(checks.paging(op, found[1], pages=pages))
    if narrow_key is not None:
        await checks.attempt(checks.permissions(readable, narrow_key))
    await checks.attempt(_writes(spec, checks, stage, bodies, writes))
    for op in reads:  # the most requests, last: a small budget spends itself on the rest first
        if arguments(op, known.get(op.operation_id, {})) is not None:
            await checks.attempt(checks.documented_values(op, known.get(op.operation_id, {})))
    stage.findings = checks.findings
    failed = sum(not f.passed for f in stage.findings)
    echo(
        f"checks: {stage.requests} requests, {failed} of {len(stage.findings)} failed, "
        f"{checks.unanswered} cut short by the budget"
    )
    return stage


def _in_link_order(reads: list[Operation]) -> list[Operation]:
    """Reads without required arguments first: their answers' links give the others' ids."""
    return sorted(reads, key=lambda op: arguments(op, {}) is None)


async def _writes(
    spec: Spec, checks: Checks, stage: Stage, bodies: Mapping[str, Json], writes: frozenset[str]
) -> None:
    ops = spec.by_id
    tries: list[tuple[Operation, str, Json]] = []
    if "createTransfer" in writes:
        op = ops["createTransfer"]
        amount = _minimum_amount(spec)
        for source, target in _pairs(bodies.get("listAccounts"))[:WRITE_TRIES]:
            body = {
                "source_account_id": source,
                "destination_account_id": target,
                "amount_in_cents": amount,
            }
            tries.append((op, op.path, body))
    if "triggerRule" in writes:
        op = ops["triggerRule"]
        for rule in _enabled_rules(bodies.get("listRules"))[:WRITE_TRIES]:
            tries.append((op, op.path.replace("{id}", rule), {}))
    replayed = False
    for op, path, body in tries:
        if op.operation_id in stage.succeeded:
            continue
        key = str(uuid.uuid4())
        response = await checks.send(op.method, path, Call(body=body, headers=_keyed(key)))
        if not 200 <= response.status_code < 300:
            continue
        stage.succeeded.add(op.operation_id)
        stage.examples[op.operation_id] = (
            body if op.operation_id == "createTransfer" else {"id": path.split("/")[-2]}
        )
        if response.status_code not in op.statuses:
            checks.note(
                "writes",
                op.operation_id,
                False,
                f"succeeded with {response.status_code}, which is not documented",
                f"{op.pointer}/responses",
            )
        if not replayed:
            replayed = True
            await _idempotency(checks, op, path, body, key, response)


async def _idempotency(
    checks: Checks, op: Operation, path: str, body: Json, key: str, first: httpx.Response
) -> None:
    name = op.operation_id
    again = await checks.send(op.method, path, Call(body=body, headers=_keyed(key)))
    original, replay = _data(json_of(first)), _data(json_of(again))
    if again.status_code != first.status_code or original != replay:
        made = _id(replay) if _id(replay) != _id(original) else None
        what = f"a second object {made}" if made else f"{again.status_code}, another answer"
        checks.note(
            "idempotency",
            name,
            False,
            f"a replay with the same Idempotency-Key and body got {what} "
            f"(first: {first.status_code} {_id(original)})",
            IDEMPOTENCY,
        )
    else:
        checks.note("idempotency", name, True, "a replay got the same answer", IDEMPOTENCY)
    if isinstance(body, dict) and "amount_in_cents" in body:
        other = {**body, "amount_in_cents": int(body["amount_in_cents"]) + 1}
        mismatch = await checks.send(op.method, path, Call(body=other, headers=_keyed(key)))
        code = ((json_of(mismatch) or {}).get("error") or {}).get("code")
        if mismatch.status_code != 400 or code != "idempotency_key_mismatch":
            checks.note(
                "idempotency",
                name,
                False,
                f"the same key with another body got {mismatch.status_code} {code or ''}"
                ", not 400 idempotency_key_mismatch",
                IDEMPOTENCY,
            )


def _keyed(key: str) -> dict[str, str]:
    return {"Idempotency-Key": key}


def _data(body: Json) -> Json:
    return body.get("data") if isinstance(body, dict) else body


def _id(data: Json) -> str | None:
    value = data.get("id") if isinstance(data, dict) else None
    return str(value) if value is not None else None


def _pairs(listing: Json) -> list[tuple[str, str]]:
    accounts = [a for a in (_data(listing) or []) if isinstance(a, dict) and "id" in a]
    sources = [a["id"] for a in accounts if a.get("can_be_source") is not False]
    targets = [a["id"] for a in accounts if a.get("can_be_destination") is not False]
    return [(s, t) for s in sources for t in targets if s != t]


def _enabled_rules(listing: Json) -> list[str]:
    rules = [r for r in (_data(listing) or []) if isinstance(r, dict) and "id" in r]
    return [str(r["id"]) for r in rules if r.get("status", "enabled") == "enabled"]


def _minimum_amount(spec: Spec) -> int:
    schema = spec.document["components"]["schemas"]["CreateTransferInput"]
    return int(schema["properties"]["amount_in_cents"].get("minimum", 100))


def run_checks(
    spec: Spec,
    base_url: str,
    api_key: str,
    *,
    narrow_key: str | None,
    writes: frozenset[str],
    reads: list[Operation],
    echo: Callable[[str], None],
    pages: int = 3,
) -> Stage:
    """The stage against ``base_url`` (a real-server run: the guard's URL); its requests name
    their phase for the guard's budget."""

    async def go() -> Stage:
        async with httpx.AsyncClient(timeout=90.0) as client:

            async def send(method: str, path: str, call: Call) -> httpx.Response:
                headers = {"Authorization": f"ApiKey {call.key or api_key}", PHASE_HEADER: STAGE}
                return await client.request(
                    method,
                    base_url.rstrip("/") + path,
                    params=call.query,
                    json=call.body,
                    headers={**headers, **call.headers},
                )

            return await run_stage(
                spec,
                send,
                narrow_key=narrow_key,
                writes=writes,
                reads=reads,
                pages=pages,
                echo=echo,
            )

    return asyncio.run(go())


def with_examples(spec: Spec, examples: Mapping[str, Json]) -> dict[str, Any]:
    """A copy of openapi.yaml whose writes' examples are the ones that succeeded here."""
    document: dict[str, Any] = copy.deepcopy(dict(spec.document))
    for operation_id, example in examples.items():
        op = spec.by_id[operation_id]
        node = lookup(document, op.pointer)
        if op.body is not None and operation_id == "createTransfer":
            media = node["requestBody"]["content"]["application/json"]
            media.pop("example", None)
            media["examples"] = {"discovered": {"value": example}}
        for index, parameter in enumerate(node.get("parameters") or []):
            declared = resolve_node(document, parameter)
            if declared.get("in") == "path" and declared.get("name") in example:
                inline = {k: v for k, v in declared.items() if k not in ("example", "examples")}
                node["parameters"][index] = {**inline, "example": example[declared["name"]]}
    return document
