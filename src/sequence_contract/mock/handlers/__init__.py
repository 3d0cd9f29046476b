"""One module per spec tag; the handler table is derived from the operations, not listed.

The handler of operationId ``X`` is the function ``snake_case(X)`` in the module named after the
operation's first tag (``rule-executions`` -> ``rule_executions``): ``getRuleExecution`` is
``rule_executions.get_rule_execution``. ``bind_handlers`` builds the table at start-up and
refuses a spec operation that has none. The scope each operation checks is the spec's
``x-required-scope`` (see ``_routes``).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Mapping

from ...spec import snake_case
from ._call import Call, Handler, Reply

_TAG = re.compile(r"^[a-z][a-z0-9-]*$")


def handler_name(operation_id: str, tag: str) -> str:
    """Where the handler lives, as ``module.function`` under this package."""
    return f"{tag.replace('-', '_')}.{snake_case(operation_id)}"


def find_handler(operation_id: str, tag: str) -> Handler | None:
    if not _TAG.match(tag):
        return None
    module_name, function = handler_name(operation_id, tag).split(".")
    try:
        module = importlib.import_module(f"{__name__}.{module_name}")
    except ModuleNotFoundError as missing:
        if missing.name != f"{__name__}.{module_name}":
            raise  # the module exists but one of its own imports is broken
        return None
    found = getattr(module, function, None)
    return found if callable(found) else None


def bind_handlers(tags: Mapping[str, str]) -> dict[str, Handler]:
    """operationId -> handler for ``tags`` (operationId -> first tag); raise ``RuntimeError``
    naming every operation without one, so the mock never starts with a hole in it."""
    table: dict[str, Handler] = {}
    for operation_id, tag in tags.items():
        handler = find_handler(operation_id, tag)
        if handler is not None:
            table[operation_id] = handler
    missing = sorted(set(tags) - set(table))
    if missing:
        expected = ", ".join(f"{handler_name(op, tags[op] or '<no tag>')}" for op in missing)
        raise RuntimeError(
            f"openapi.yaml has operations the mock does not serve: {missing} "
            f"(expected functions in sequence_contract.mock.handlers: {expected})"
        )
    return table


__all__ = ["Call", "Handler", "Reply", "bind_handlers"]
