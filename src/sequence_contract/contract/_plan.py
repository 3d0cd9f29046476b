"""What a contract run does: which Schemathesis runs, with which key, on top of schemathesis.toml.

schemathesis.toml is the suite (phases, checks, examples, seed, reasons). A plan only adds what
depends on the target:

- **mock** (default): two runs against the embedded mock. ``full-key`` uses the demo key holding
  every permission and must see each operation succeed at least once; ``narrow-key`` uses a key
  that may read one pod only and must see every operation answer 403 (so 403 bodies, headers
  and statuses are checked everywhere). ``--fuzz`` multiplies the examples by ten.
- **live** (opt-in, ``SEQUENCE_BASE_URL`` + ``SEQUENCE_API_KEY``): one run through the write
  guard, read operations only, ``x-availability: available`` only, at most ``--rate`` requests
  a minute (default 90: the documented 100 per key minus a margin), and no write unless
  ``--allow-writes`` / ``SEQUENCE_ALLOW_WRITES`` names the operation. A second key lacking some
  permissions (``SEQUENCE_API_KEY_NARROW`` / ``--narrow-key``) adds the permission checks.
"""

from __future__ import annotations

import copy
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..spec import Operation, Spec, model, spec_path

CONFIG_FILE = "schemathesis.toml"
FUZZ_FACTOR = 10
FULL_KEY = "demo-all"  # mock fixture: every scope, every resource
NARROW_KEY = "demo-one-account"  # mock fixture: READ_ACCOUNTS/TRANSFERS/CARDS on one pod only
SERVER_RATE_LIMIT = 100  # requests per minute and key (reference §1)
LIVE_RATE_LIMIT = SERVER_RATE_LIMIT - 10  # per rolling minute, enforced by the guard
#: Schemathesis paces itself this much below the guard, whose own limit also covers the extra
#: requests of probes and checks that Schemathesis does not count.
SCHEMATHESIS_HEADROOM = 10
#: Fewer examples on a real server: at 80 requests a minute, 100 per operation takes an hour.
LIVE_MAX_EXAMPLES = 10
LIVE_WRITE_EXAMPLES = 3
#: positive_data_acceptance on a real server: Schemathesis' default statuses, plus 422.
ACCEPTING_STATUSES = ["2xx", "3xx", "401", "403", "404", "409", "422", "429", "5xx"]
#: Tells the hooks to salt derived Idempotency-Keys per run (see hooks.py).
FRESH_KEYS_ENV = "SEQUENCE_CONTRACT_FRESH_IDEMPOTENCY_KEYS"
#: Tells the hooks to name each request's phase for the guard's budget (see hooks.py).
PHASE_HEADER_ENV = "SEQUENCE_CONTRACT_PHASE_HEADER"
NARROW_KEY_ENV = "SEQUENCE_API_KEY_NARROW"


class PlanError(ValueError):
    """The environment or the flags ask for something the plan refuses to do."""


@dataclass(frozen=True)
class Run:
    name: str  # directory under the reports dir
    title: str
    api_key: str = field(repr=False)  # never printed
    config: dict[str, Any]  # merged over schemathesis.toml
    must_answer: dict[str, frozenset[int]] = field(default_factory=dict)  # operationId -> statuses
    min_fuzzing_cases: int = 0  # per operation of must_answer: the examples the run promises
    env: dict[str, str] = field(default_factory=dict)  # for the Schemathesis process (hooks)
    checks: bool = False  # the runner's checks stage runs first (mock runs; live runs always)


@dataclass(frozen=True)
class LivePolicy:
    base_url: str
    api_key: str = field(repr=False)  # never printed
    allowed_writes: frozenset[str]
    rate_limit: int = LIVE_RATE_LIMIT  # requests per rolling minute
    max_examples: int = LIVE_MAX_EXAMPLES
    narrow_key: str | None = field(default=None, repr=False)  # never printed

    def selection(self, spec: Spec) -> tuple[list[Operation], dict[str, str]]:
        """(operations to test, {skipped operationId: reason})."""
        chosen, skipped = [], {}
        for op in spec.operations:
            if op.operation_id in self.allowed_writes:
                chosen.append(op)  # named by the user: tested whatever its availability
            elif op.is_write:
                skipped[op.operation_id] = "write; not named in allow-writes"
            elif op.availability != "available":
                skipped[op.operation_id] = f"x-availability: {op.availability}"
            else:
                chosen.append(op)
        return chosen, skipped

    def run(
        self,
        spec: Spec,
        *,
        fuzzing_examples: int | None = None,
        stateful_examples: int | None = None,
    ) -> Run:
        """The Schemathesis run; a budgeted run passes the examples that fit its shares."""
        if self.rate_limit < 1:
            raise PlanError("the rate limit must be at least 1 request a minute")
        chosen, skipped = self.selection(spec)
        examples = fuzzing_examples or self.max_examples
        entries: list[dict[str, Any]] = []
        if skipped:
            entries.append({"include-operation-id": sorted(skipped), "enabled": False})
        if self.allowed_writes:
            entries.append(
                {
                    "include-operation-id": sorted(self.allowed_writes),
                    # Every coverage case of a write is a real write: boundary values only
                    # come from the examples and fuzzing phases, a few of each.
                    "phases": {"coverage": {"enabled": False}},
                    "generation": {"max-examples": min(LIVE_WRITE_EXAMPLES, examples)},
                }
            )
        unprocessable = sorted(
            op.operation_id for op in chosen if "422" in op.node.get("responses", {})
        )
        if unprocessable:
            # A real server's 422 answers checks no schema can say (an account it does not
            # know, a second ON_FUNDS_TRANSFERRED rule on one account): a generated body may
            # meet them. The mock has no such check, so its runs accept no 422.
            entries.append(
                {
                    "include-operation-id": unprocessable,
                    "checks": {
                        "positive_data_acceptance": {"expected-statuses": ACCEPTING_STATUSES}
                    },
                }
            )
        config: dict[str, Any] = {
            "workers": 1,
            "rate-limit": f"{max(1, self.rate_limit - SCHEMATHESIS_HEADROOM)}/m",
            "request-timeout": 90.0,  # the guard may hold a request for up to a minute
            "generation": {"max-examples": examples},
            # Unexpected-method probes send PUT/POST/DELETE/PATCH to every path: no writes.
            "phases": {
                "coverage": {"unexpected-methods": []},
                # Writes included: the guard holds each write to its part of the budget.
                "stateful": {"generation": {"max-examples": stateful_examples or examples}},
            },
            # It only judges those probes; without them it has nothing to check.
            "checks": {"unsupported_method": {"enabled": False}},
            "operations": entries,
        }
        names = ", ".join(sorted(op.operation_id for op in chosen))
        title = f"real server {self.base_url}: {names}"
        env = {FRESH_KEYS_ENV: "1", PHASE_HEADER_ENV: "1"}
        return Run("live", title, self.api_key, config, env=env)


def is_loopback(url: str) -> bool:
    """Whether ``url`` names this machine (a mock in tests), which no rate limit protects."""
    return urlsplit(url).hostname in ("127.0.0.1", "localhost", "::1")


def live_policy(
    env: Mapping[str, str],
    allow_writes: str | None = None,
    *,
    rate: str | None = None,
    narrow_key: str | None = None,
) -> LivePolicy | None:
    """The live policy the environment opts into, or None for a mock run."""
    base_url = env.get("SEQUENCE_BASE_URL", "").strip()
    api_key = env.get("SEQUENCE_API_KEY", "").strip()
    if not base_url and not api_key:
        return None
    if not base_url or not api_key:
        raise PlanError("a real-server run needs both SEQUENCE_BASE_URL and SEQUENCE_API_KEY")
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PlanError(f"SEQUENCE_BASE_URL must be an http(s) URL, got {base_url!r}")
    named = allow_writes if allow_writes is not None else env.get("SEQUENCE_ALLOW_WRITES", "")
    narrow = (narrow_key or env.get(NARROW_KEY_ENV, "")).strip() or None
    if narrow is not None and narrow == api_key:
        raise PlanError(f"{NARROW_KEY_ENV} must be another key than SEQUENCE_API_KEY")
    limit = LIVE_RATE_LIMIT if rate is None else parse_rate(rate)
    return LivePolicy(
        base_url.rstrip("/"), api_key, parse_allow_writes(named), limit, narrow_key=narrow
    )


def parse_rate(value: str) -> int:
    """``N/min`` (or ``N/m``, or ``N``): requests per rolling minute, at least 1."""
    found = re.fullmatch(r"\s*([0-9]+)\s*(?:/\s*(?:m|min|minute))?\s*", value)
    if found is None or int(found.group(1)) < 1:
        raise PlanError(f"--rate takes N/min with N >= 1, got {value!r}")
    return int(found.group(1))


def parse_allow_writes(value: str, spec: Spec | None = None) -> frozenset[str]:
    """Validate a comma-separated list of write operationIds (empty: no writes)."""
    known = (spec or model()).by_id
    names = frozenset(name.strip() for name in value.split(",") if name.strip())
    for name in sorted(names):
        if name not in known:
            raise PlanError(f"allow-writes: no operation {name!r} in openapi.yaml")
        if not known[name].is_write:
            raise PlanError(
                f"allow-writes: {name} is a read ({known[name].label}); reads need no opt-in"
            )
    return names


def mock_runs(spec: Spec, *, fuzz: bool = False) -> list[Run]:
    ops = spec.operations
    factor = FUZZ_FACTOR if fuzz else 1
    base = load_base_config()
    scaled = _scaled(base, factor)
    examples = int(base.get("generation", {}).get("max-examples", 0)) * factor
    succeed = {op.operation_id: frozenset({_success_status(op)}) for op in ops}
    forbidden = {op.operation_id: frozenset({403}) for op in ops}
    return [
        Run(
            "full-key",
            f"mock, key {FULL_KEY} (every permission)",
            FULL_KEY,
            scaled,
            succeed,
            examples,
            checks=True,
        ),
        Run(
            "narrow-key",
            f"mock, key {NARROW_KEY} (one pod, reads)",
            NARROW_KEY,
            scaled,
            forbidden,
            examples,
        ),
    ]


def _success_status(op: Operation) -> int:
    return min(status for status in op.statuses if 200 <= status < 300)


def _scaled(base: Mapping[str, Any], factor: int) -> dict[str, Any]:
    """Overrides multiplying every max-examples of ``base`` by ``factor``."""
    if factor == 1:
        return {}
    out: dict[str, Any] = {}
    generation = base.get("generation", {})
    if "max-examples" in generation:
        out["generation"] = {"max-examples": generation["max-examples"] * factor}
    stateful = base.get("phases", {}).get("stateful", {}).get("generation", {})
    if "max-examples" in stateful:
        out["phases"] = {
            "stateful": {"generation": {"max-examples": stateful["max-examples"] * factor}}
        }
    return out


def config_path() -> Path:
    """schemathesis.toml beside openapi.yaml: the repository root, or inside the wheel."""
    return spec_path().with_name(CONFIG_FILE)


def load_base_config() -> dict[str, Any]:
    with config_path().open("rb") as handle:
        return tomllib.load(handle)


def merged(base: Mapping[str, Any], *overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Deep merge: tables merge key by key, anything else (lists included) is replaced...

    ...except ``operations``, whose entries (``[[operations]]``) are appended: a run adds its
    per-operation settings to the suite's instead of dropping them.
    """
    result = copy.deepcopy(dict(base))
    for override in overrides:
        for key, value in override.items():
            if key == "operations" and isinstance(value, list):
                result[key] = [*result.get(key, []), *copy.deepcopy(value)]
            elif isinstance(value, Mapping) and isinstance(result.get(key), Mapping):
                result[key] = merged(result[key], value)
            else:
                result[key] = copy.deepcopy(value)
    return result
