"""The document Schemathesis fuzzes a receiver with, derived from openapi.yaml's ``webhooks``.

OpenAPI 3.1 ``webhooks`` are not operations on a server, and one path holds one POST, while all
three events go to the receiver's one URL. So each webhook becomes a POST operation on the
receiver's path plus a fragment naming it (``/hooks#TransferCreated``): the fragment tells the
operations apart in the report and is never sent (HTTP clients strip it, curl too).
"""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import urlsplit

from ..spec import Spec, model


def origin(url: str) -> str:
    """``scheme://host:port`` of ``url``: the base URL the derived paths hang from."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def derive(url: str, spec: Spec | None = None) -> dict[str, Any]:
    """An OpenAPI document with one POST per webhook of ``spec`` on ``url``'s path."""
    compiled = spec or model()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"receiver URL {url!r}: must be an http(s) URL with a host")
    if parts.fragment:
        raise ValueError(f"receiver URL {url!r}: no fragment (the derived paths use it)")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    document = compiled.document
    paths = {
        f"{path}#{op.path}": {"post": copy.deepcopy(dict(op.node))} for op in compiled.webhooks
    }
    if not paths:
        raise ValueError("openapi.yaml declares no webhooks")
    return {
        "openapi": document["openapi"],
        "info": {
            "title": f"Webhook receiver at {url}",
            "version": str(document["info"]["version"]),
            "description": "Derived from the `webhooks` of openapi.yaml: one POST per webhook.",
        },
        "servers": [{"url": origin(url)}],
        "paths": paths,
        "components": copy.deepcopy(dict(document.get("components") or {})),
    }
