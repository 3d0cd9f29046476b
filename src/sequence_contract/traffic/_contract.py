"""Which contract traffic is judged by: the installed openapi.yaml, or another one (``--spec``)."""

from __future__ import annotations

from pathlib import Path

from ..conformance import Conformance, conformance
from ..spec import model_at


def checker_for(path: Path | None) -> Conformance:
    """The checker of the spec at ``path`` (default: the installed one), built once per file;
    ValueError naming the file when it is missing or no OpenAPI document."""
    return conformance() if path is None else conformance(model_at(path))
