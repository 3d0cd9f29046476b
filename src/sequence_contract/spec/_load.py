"""Where the contract lives: the one loader of ``openapi.yaml``.

A wheel carries the spec inside the package (see ``force-include`` in pyproject.toml); a source
checkout has no such copy and reads it from the repository root, so edits to the spec take
effect without a reinstall.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import Any, cast

import yaml

_REPO_SPEC = Path(__file__).resolve().parents[3] / "openapi.yaml"


def spec_path() -> Path:
    """Path of the contract this installation uses: the copy inside an installed package first
    (two folders up from it may be anything), else the checkout's, which a source tree reads."""
    bundled = Path(str(resources.files("sequence_contract") / "openapi.yaml"))
    return bundled if bundled.is_file() else _REPO_SPEC


@functools.cache
def _load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return cast(dict[str, Any], yaml.safe_load(handle))


def load_spec(path: Path | None = None) -> dict[str, Any]:
    """The parsed contract. Cached: treat the result as read-only."""
    return _load(path or spec_path())
