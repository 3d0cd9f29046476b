"""The access log ``sequence-mock`` writes by default: uvicorn's line, at a fraction of its cost.

uvicorn's access log formats each request through ``logging`` (a record, a formatter, a lock
and a write per request), which cost the mock a tenth to a quarter of its throughput. This one
formats the same line with one f-string and writes every line of one turn of the event loop in
one ``write``: under load a handful of requests share a system call.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO
from urllib.parse import quote

from starlette.types import Scope


class AccessLog:
    """``INFO:     127.0.0.1:50000 - "GET /api/v1/accounts HTTP/1.1" 200``, one per answer."""

    __slots__ = ("_lines", "_stream")

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self._lines: list[str] = []

    def __call__(self, scope: Scope, status: int | None) -> None:
        client = scope.get("client")
        where = f"{client[0]}:{client[1]}" if client else "-"
        path = quote(scope["path"])
        query: bytes = scope.get("query_string", b"")
        if query:
            path += "?" + query.decode("latin-1")
        version = scope.get("http_version", "1.1")
        answered = "-" if status is None else status  # None: dropped by a scenario
        line = f'INFO:     {where} - "{scope["method"]} {path} HTTP/{version}" {answered}\n'
        if not self._lines:
            try:
                asyncio.get_running_loop().call_soon(self.flush)
            except RuntimeError:  # no loop (a direct call): write at once
                self._lines.append(line)
                self.flush()
                return
        self._lines.append(line)

    def flush(self) -> None:
        lines, self._lines = self._lines, []
        if lines:
            try:
                self._stream.write("".join(lines))
                self._stream.flush()
            except (OSError, ValueError):  # stderr closed or gone: the API keeps answering
                pass
