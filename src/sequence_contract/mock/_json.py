"""``dumps``: the one JSON serialisation of every answer, webhook and cached fragment (orjson,
with ``json`` for what orjson refuses; see ``http._envelope`` for where their bytes differ)."""

from __future__ import annotations

import json

import orjson


def dumps(payload: object) -> bytes:
    """Compact UTF-8 JSON, the one serialisation every response uses."""
    try:
        return orjson.dumps(payload)
    except TypeError:  # orjson.JSONEncodeError is one
        return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
