"""``Prefer: code=NNN`` (Prism's convention): the operation's documented example for that status,
and nothing changes; 400 when the operation documents no such status.

The example is the response's ``example``, else the first of its ``examples`` (``$ref``s
followed), else no body for a status documented without content (204). A documented status
whose content has no example answers its envelope with ``code``/``message`` when the schema is
the error envelope, so every documented status has an answer.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

from ...spec import Operation, Spec, lookup, resolve
from .._errors import bad_request
from .._json import dumps
from ..state._scenarios import DEFAULT_CODES
from ._envelope import Answer, error_body, json_answer

_CODE = re.compile(r"(?:^|[\s,;])code\s*=\s*\"?(\d{3})\"?", re.IGNORECASE)


def preferred_code(header: str) -> int | None:
    """The status a ``Prefer`` header asks for (None: it asks for none)."""
    found = _CODE.search(header)
    return None if found is None else int(found.group(1))


class Examples:
    """Documented examples of one spec, as answers, built on first use per (operation, status)."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self._body = functools.cache(self._example)

    def answer(self, operation: Operation, status: int, request_id: str) -> Answer:
        if status not in operation.responses:
            documented = ", ".join(str(code) for code in sorted(operation.responses))
            raise bad_request(
                f"Prefer: code={status} is not documented for {operation.operation_id} "
                f"(documented: {documented})."
            )
        body = self._body(operation.operation_id, status)
        if body is None:
            return Answer(status, {"X-Request-ID": request_id})
        return json_answer(status, body, request_id)

    def _example(self, operation_id: str, status: int) -> bytes | None:
        response = self.spec.by_id[operation_id].responses[status]
        node = lookup(self.spec.document, response.pointer)
        content = node.get("content") if isinstance(node, Mapping) else None
        media = content.get("application/json") if isinstance(content, Mapping) else None
        if not isinstance(media, Mapping):
            return None
        if "example" in media:
            return dumps(media["example"])
        for name in media.get("examples") or {}:
            pointer = f"{response.pointer}/content/application~1json/examples/{name}"
            _, found = resolve(self.spec.document, pointer)
            if isinstance(found, Mapping) and "value" in found:
                return dumps(found["value"])
        return error_body(DEFAULT_CODES.get(status, "error"), "An example answer (Prefer: code).")
