"""The bounded smoke run: the default against a real server, run against the mock on loopback
in real-server mode (below a non-default base URL, behind a recorder of every request)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from starlette.types import Receive, Scope, Send

from sequence_contract.contract.__main__ import main as contract_main
from sequence_contract.contract._smoke import MAX_REQUESTS, smoke
from sequence_contract.mock import serve
from tests.contract.test_live_mode import KEY, PREFIX, recorded_server


@pytest.fixture
def live_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("SEQUENCE_BASE_URL", "SEQUENCE_API_KEY", "SEQUENCE_ALLOW_WRITES"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_the_default_against_a_real_server_is_the_smoke_run(
    live_env: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with recorded_server(serve) as (recorder, base_url):
        live_env.setenv("SEQUENCE_BASE_URL", base_url)
        live_env.setenv("SEQUENCE_API_KEY", KEY)
        began = time.monotonic()
        code = contract_main(["--reports", str(tmp_path)])
        seconds = time.monotonic() - began
    out = capsys.readouterr().out
    assert code == 0, out
    assert seconds < 60
    assert recorder.writes == []
    assert 0 < len(recorder.seen) <= MAX_REQUESTS
    assert all(path.startswith(f"{PREFIX}/api/v1/") for _, path in recorder.seen)
    # one positive per available read, two auth checks, one unknown id per documented 404,
    # three pages of each of the two paged lists (first=1, the next page, first=100)
    assert len(recorder.seen) == 7 + 2 + 3 + 2 * 3
    assert "getRuleExecution: unknown id: 404: 404, 0 violation(s)" in out
    assert "[18/18] listTransfers: first=100: 200, 0 violation(s)" in out
    assert "Smoke run against" in out
    assert "PASSED" in out
    summary = (tmp_path / "smoke.md").read_text(encoding="utf-8")
    assert "18 requests in" in summary
    assert "| paging | listTransfers | passed |" in summary
    assert KEY not in summary


def test_smoke_without_a_real_server_runs_against_the_embedded_mock(
    live_env: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert contract_main(["--smoke", "--quiet", "--reports", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Smoke run against the embedded mock: PASSED" in out
    assert "[1/" not in out  # --quiet: the summary only


class BearerOnly:
    """A server of the vendor's Platform v1 kind: ApiKey refused, Bearer taken."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        auth = dict(scope["headers"]).get(b"authorization", b"").decode()
        self.seen.append(auth.split(" ", 1)[0])
        if auth.startswith("Bearer "):
            status, body = 200, {"data": {"items": [], "pagination": {}}, "requestId": "r1"}
        else:
            status, body = 401, {"error": {"code": "UNAUTHORIZED", "message": "Invalid token"}}
        content = json.dumps(body).encode()
        headers = [(b"content-type", b"application/json"), (b"x-request-id", b"r1")]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": content})


def test_a_key_refused_as_api_key_but_taken_as_bearer_is_said_once() -> None:
    server = BearerOnly()
    with serve(server) as root:
        result = smoke(f"{root}/api/v1", "sk_live_1234", echo=lambda line: None)
    assert server.seen == ["ApiKey", "Bearer"]
    assert result.requests == 2
    kinds = [(r.kind, r.provenance) for r in result.tally.records()]
    assert ("bearer-auth", "doc") in kinds
    assert result.exit_code() == 1
    assert result.failed == []  # the refusal is explained by the fingerprint, not repeated
    assert "sk_live_1234" not in result.render("x")


def test_the_full_live_run_stops_at_its_budget_with_a_partial_summary(
    live_env: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with recorded_server(serve) as (recorder, base_url):
        live_env.setenv("SEQUENCE_BASE_URL", base_url)
        live_env.setenv("SEQUENCE_API_KEY", KEY)
        code = contract_main(["--max-requests", "8", "--reports", str(tmp_path)])
    out = capsys.readouterr().out
    assert len(recorder.seen) <= 8
    assert "progress: 8/8 requests" in out
    assert "ETA" in out
    assert "stopped at the budget of 8 requests: a partial run" in out
    assert code == 0, out


@pytest.mark.parametrize(
    ("real", "argv", "message"),
    [
        (False, ["--max-requests", "5"], "--max-requests applies to the full run"),
        (True, ["--max-requests", "0"], "--max-requests must be at least 1"),
        (True, ["--smoke", "--allow-writes", "createTransfer"], "the smoke run only reads"),
    ],
)
def test_the_command_refuses_budget_flags_that_do_not_fit(
    live_env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    real: bool,
    argv: list[str],
    message: str,
) -> None:
    if real:
        live_env.setenv("SEQUENCE_BASE_URL", "https://api.example.test/api/v1")
        live_env.setenv("SEQUENCE_API_KEY", "k")
    assert contract_main(argv) == 2
    assert message in capsys.readouterr().err
