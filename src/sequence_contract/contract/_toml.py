"""The smallest TOML writer the runner needs: the effective Schemathesis config of one run.

Every value is written inline (``key = {…}``, arrays of inline tables), so nesting never needs
table headers. Strings go through ``json.dumps`` with ``ensure_ascii``: a JSON string literal of
that form is also a valid TOML basic string.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(name: str) -> str:
    return name if _BARE_KEY.match(name) else json.dumps(name)


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, Mapping):
        inner = ", ".join(f"{_key(str(k))} = {_value(v)}" for k, v in value.items())
        return f"{{ {inner} }}" if inner else "{}"
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return f"[{', '.join(_value(item) for item in items)}]"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def dumps(document: Mapping[str, object], header: str = "") -> str:
    """``document`` as TOML, one top-level key per line, after ``header`` (written as comments)."""
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    lines.extend(f"{_key(key)} = {_value(value)}" for key, value in document.items())
    return "\n".join(lines) + "\n"
