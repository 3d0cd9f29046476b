"""One Schemathesis run against a webhook receiver, reported like the contract suite.

The settings live here, each narrowing with its reason; the runner, the report reader and the
summary are the contract suite's own.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..contract._plan import Run
from ..contract._runner import RunResult, execute
from ..contract._summary import render
from ..spec import Spec, model
from ._document import derive, origin

DEFAULT_EXAMPLES = 50
SEED = 20240423  # fixed, as in schemathesis.toml: a run reproduces

_OFF = {"enabled": False}


def settings(max_examples: int) -> dict[str, Any]:
    """The receiver run's Schemathesis settings (the base its run-specific ones merge over)."""
    return {
        "seed": SEED,
        "workers": 1,  # one request at a time: a receiver's replay state is judged in order
        "continue-on-failure": True,
        "cache": {"enabled": False},
        "hooks": "sequence_contract.receiver.hooks",  # replayed_delivery_accepted, headers
        "generation": {"mode": "all", "max-examples": max_examples, "database": "none"},
        "phases": {
            "examples": {"fill-missing": True},
            # Other methods on the receiver's path are not part of the webhook contract.
            "coverage": {"unexpected-methods": []},
            "stateful": _OFF,  # webhooks have no links: nothing to chain
        },
        "checks": {
            "not_a_server_error": {"enabled": True},
            # Every valid event is acknowledged, an unknown event name too (the set is open).
            "positive_data_acceptance": {"enabled": True, "expected-statuses": ["2xx"]},
            # A malformed delivery is refused as the sender's fault: 4xx, never 5xx or 2xx.
            "negative_data_rejection": {"enabled": True, "expected-statuses": ["4xx"]},
            # Any 2xx acknowledges and any 4xx rejects (spec: [choice]); what a receiver
            # answers beyond its status (body, headers, media type) is its own business.
            "status_code_conformance": _OFF,
            "content_type_conformance": _OFF,
            "response_headers_conformance": _OFF,
            "response_schema_conformance": _OFF,
            # Only unexpected-method probes feed these two, and those are off (above).
            "unsupported_method": _OFF,
            "allow_header_conformance": _OFF,
            # No resources, links, required headers or security on a webhook: nothing to judge.
            "use_after_free": _OFF,
            "ensure_resource_availability": _OFF,
            "missing_required_header": _OFF,
            "ignored_auth": _OFF,
            "object_level_authorization": _OFF,
        },
    }


def receiver_run(url: str, max_examples: int = DEFAULT_EXAMPLES) -> Run:
    return Run(
        "receiver",
        f"webhook receiver {url}, every webhook of openapi.yaml",
        "none",  # a receiver takes no API key
        {},
    )


def run_receiver(
    url: str,
    reports: Path,
    echo: Callable[[str], None],
    *,
    max_examples: int = DEFAULT_EXAMPLES,
    spec: Spec | None = None,
) -> tuple[RunResult, str]:
    """Fuzz the receiver at ``url``; the outcome and its markdown summary."""
    compiled = spec or model()
    document = derive(url, compiled)
    run = receiver_run(url, max_examples)
    reports.mkdir(parents=True, exist_ok=True)
    derived = reports / "receiver-openapi.json"
    derived.write_text(json.dumps(document, indent=2), encoding="utf-8")
    outcome = execute(
        run, origin(url), reports, echo, document=derived, base=settings(max_examples)
    )
    for label in (f"POST {path}" for path in document["paths"]):
        if outcome.nothing_tested is not None:
            break  # the summary's first line says why; no path was tried
        tally = outcome.report.operations.get(label)
        if tally is None or not any(200 <= status < 300 for status in tally.statuses):
            outcome.problems.append(f"{label}: no delivery was acknowledged (2xx)")
    summary = render([outcome], compiled, title="Receiver run", provenance=False)
    return outcome, summary
