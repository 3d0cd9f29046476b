"""Does an answer keep the contract? Response checks, violation records, provenance, fingerprints.

The layer between the compiled spec and everything that judges traffic: the client's
``validate=`` checks, the proxy, recorded-traffic validation and the contract suite's smoke run
all ask ``conformance().check(...)`` and get ``Violation`` records back. It imports nothing above
``spec``.

The record type loads with the package; the checker (jsonschema-rs, the derived schemas) loads on
first use, so a client that never checks an answer never pays for it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from ._violation import CHECKS, INFO, VIOLATION, Violation

if TYPE_CHECKING:
    from ._checker import Conformance, conformance
    from ._fingerprints import FINGERPRINTS, Fingerprint

#: name -> the private module that defines it, imported on first access (PEP 562)
_LAZY = {
    "Conformance": "_checker",
    "conformance": "_checker",
    "FINGERPRINTS": "_fingerprints",
    "Fingerprint": "_fingerprints",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CHECKS",
    "FINGERPRINTS",
    "INFO",
    "VIOLATION",
    "Conformance",
    "Fingerprint",
    "Violation",
    "conformance",
]
