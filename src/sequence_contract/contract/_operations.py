"""The operations of the contract as the runner sees them, keyed by id or Schemathesis label.

One table serves the client layer and the runner (``sequence_contract._operations``); these
helpers take the spec explicitly so a run can use the spec it was started with. Webhooks are not
requests we send, so they are not operations here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._operations import WRITE_METHODS, Operation, OperationIndex

__all__ = ["WRITE_METHODS", "Operation", "by_id", "by_label", "operations"]


def operations(spec: Mapping[str, Any]) -> list[Operation]:
    return list(OperationIndex(spec).operations)


def by_id(spec: Mapping[str, Any]) -> dict[str, Operation]:
    return OperationIndex(spec).by_id


def by_label(spec: Mapping[str, Any]) -> dict[str, Operation]:
    return OperationIndex(spec).by_label
