"""The access log sequence-mock writes by default: uvicorn's line, a write per loop turn."""

from __future__ import annotations

import asyncio
import io

import httpx
import pytest

from sequence_contract.mock import create_app
from sequence_contract.mock.__main__ import parser
from sequence_contract.mock.http._access_log import AccessLog


class Counting(io.StringIO):
    writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)


def _scope(path: str, query: bytes = b"") -> dict[str, object]:
    return {
        "type": "http",
        "method": "GET",
        "path": path,
        "query_string": query,
        "http_version": "1.1",
        "client": ("127.0.0.1", 50000),
    }


def test_lines_as_uvicorn_writes_them_one_write_per_loop_turn() -> None:
    stream = Counting()
    log = AccessLog(stream)

    async def turn() -> None:
        log(_scope("/api/v1/accounts", b"type=pod"), 200)
        log(_scope("/api/v1/transfers"), None)
        await asyncio.sleep(0)

    asyncio.run(turn())
    assert stream.getvalue() == (
        'INFO:     127.0.0.1:50000 - "GET /api/v1/accounts?type=pod HTTP/1.1" 200\n'
        'INFO:     127.0.0.1:50000 - "GET /api/v1/transfers HTTP/1.1" -\n'
    )
    assert stream.writes == 1


def test_the_app_logs_api_and_admin_requests(capsys: pytest.CaptureFixture[str]) -> None:
    app = create_app(access_log=True)

    async def calls() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://mock.test") as client:
            await client.get("/api/v1/accounts", headers={"Authorization": "ApiKey demo-all"})
            await client.get("/_mock/clock")
            await asyncio.sleep(0)

    asyncio.run(calls())
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        'INFO:     127.0.0.1:123 - "GET /api/v1/accounts HTTP/1.1" 200',
        'INFO:     127.0.0.1:123 - "GET /_mock/clock HTTP/1.1" 200',
    ]
    assert "demo-all" not in "".join(lines)


def test_quiet_and_clock_flags() -> None:
    args = parser().parse_args(["-q", "--clock", "manual", "--seed", "4", "--admin-token", "t"])
    assert (args.quiet, args.clock, args.seed, args.admin_token) == (True, "manual", 4, "t")
    assert parser().parse_args([]).clock == "system"
