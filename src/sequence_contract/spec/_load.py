"""Where the contract lives: the one loader of ``openapi.yaml``.

A wheel carries the spec inside the package (see ``force-include`` in pyproject.toml); a source
checkout has no such copy and reads it from the repository root, so edits to the spec take
effect without a reinstall.

Parsing 85 KB of YAML costs a first call tens of milliseconds even with libyaml, so
``scripts/generate`` also writes ``generated/openapi.json`` (bundled in the wheel beside the
spec): the same document as JSON, stamped with the SHA-256 of the YAML it came from. The loader
uses it only while that stamp matches the YAML's bytes; an edited spec is parsed from YAML.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any, cast

#: The ``sequence_contract`` package folder, where a wheel puts its copy of the spec (found
#: through ``__file__``: importlib.resources would cost every import about 5 ms).
PACKAGE_DIR = Path(__file__).resolve().parents[1]
_REPO = Path(__file__).resolve().parents[3]
_REPO_SPEC = _REPO / "openapi.yaml"
ARTEFACT = "openapi.json"


def spec_path() -> Path:
    """Path of the contract this installation uses: the copy inside an installed package first
    (two folders up from it may be anything), else the checkout's, which a source tree reads."""
    bundled = PACKAGE_DIR / "openapi.yaml"
    return bundled if bundled.is_file() else _REPO_SPEC


def artefact(source: bytes) -> str:
    """The JSON artefact of a spec's YAML bytes (what ``scripts/generate`` writes)."""
    document = parse_yaml(source)
    stamp = {"source_sha256": hashlib.sha256(source).hexdigest(), "openapi": document}
    return json.dumps(stamp, ensure_ascii=False, separators=(",", ":")) + "\n"


def parse_yaml(source: bytes) -> dict[str, Any]:
    try:
        import yaml  # only when no current artefact exists
    except ModuleNotFoundError:
        from .._extras import MissingExtra, message  # here: scripts/spec-artefact runs this alone

        what = "reading a spec without its JSON artefact"
        raise MissingExtra(message(what, "contract", ["yaml"])) from None

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~7x faster when built
    try:
        return cast(dict[str, Any], yaml.load(source, Loader=loader))  # noqa: S506 (a safe loader)
    except yaml.YAMLError as bad:  # one error type for every reader of a spec: no yaml import
        raise ValueError(f"not YAML: {str(bad).splitlines()[0]}") from None


def _artefacts(path: Path) -> tuple[Path, ...]:
    """Where an artefact of ``path`` may lie: beside it (wheel), or in generated/ (checkout)."""
    return (path.with_name(ARTEFACT), path.parent / "generated" / ARTEFACT)


@functools.cache
def _load(path: Path) -> dict[str, Any]:
    source = path.read_bytes()
    digest = hashlib.sha256(source).hexdigest()
    for candidate in _artefacts(path):
        if candidate.is_file():
            stamped = json.loads(candidate.read_bytes())
            if isinstance(stamped, dict) and stamped.get("source_sha256") == digest:
                return cast(dict[str, Any], stamped["openapi"])
    return parse_yaml(source)


def load_spec(path: Path | None = None) -> dict[str, Any]:
    """The parsed contract. Cached: treat the result as read-only."""
    return _load(path or spec_path())
