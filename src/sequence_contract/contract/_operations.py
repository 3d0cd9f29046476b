"""The operations of the contract as the runner sees them, keyed by id or Schemathesis label.

One table serves the client layer and the runner (``sequence_contract._operations``); these
helpers take the spec explicitly so a run can use the spec it was started with. Webhooks are not
requests we send, so they are not operations here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._operations import WRITE_METHODS, Operation, OperationIndex
from .._operations import operations as _installed
from .._spec import load_spec

__all__ = ["WRITE_METHODS", "Operation", "by_id", "by_label", "operations"]


def _index(spec: Mapping[str, Any]) -> OperationIndex:
    """The cached table for the installed spec (hooks ask once per failure); others are built."""
    return _installed() if spec is load_spec() else OperationIndex(spec)


def operations(spec: Mapping[str, Any]) -> list[Operation]:
    return list(_index(spec).operations)


def by_id(spec: Mapping[str, Any]) -> dict[str, Operation]:
    return _index(spec).by_id


def by_label(spec: Mapping[str, Any]) -> dict[str, Operation]:
    return _index(spec).by_label
