"""Which contract traffic is judged by: the installed openapi.yaml, or another one (``--spec``)."""

from __future__ import annotations

from pathlib import Path

import yaml

from ..spec import model
from ._conformance import Conformance, conformance


def checker_for(path: Path | None) -> Conformance:
    """The checker of the spec at ``path`` (default: the installed one), built once per file;
    ValueError naming the file when it is missing or no OpenAPI document."""
    if path is None:
        return conformance()
    if not path.is_file():
        raise ValueError(f"--spec {path}: no such file")
    try:
        spec = model(path.resolve())
    except (yaml.YAMLError, KeyError, TypeError, AttributeError, ValueError) as bad:
        raise ValueError(f"--spec {path}: not an OpenAPI document ({bad})") from None
    if not spec.operations:
        raise ValueError(f"--spec {path}: no operations under paths")
    return conformance(spec)
