"""Smoke tests over real loopback HTTP (uvicorn in a thread), and the command line."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from sequence_contract.mock.__main__ import main, parser

HEADERS = {"Authorization": "ApiKey demo-all"}


def test_smoke_over_loopback(sequence_mock_url: str) -> None:
    assert sequence_mock_url.startswith("http://127.0.0.1:")
    with httpx.Client(base_url=f"{sequence_mock_url}/api/v1", headers=HEADERS) as client:
        accounts = client.get("/accounts", headers={"X-Request-ID": "smoke-1"})
        assert accounts.status_code == 200
        assert accounts.headers["x-request-id"] == "smoke-1"
        assert accounts.json()["request_id"] == "smoke-1"
        assert client.get("/accounts/acc_01HABC4567").json()["data"]["name"] == "Rainy Day Fund"
        assert client.get("/rules/rule_01HZZZ0000").status_code == 404
        assert client.put("/accounts").headers["allow"] == "GET"
        assert client.get("/transfers?first=500&account_id=acc_01HABC4567").status_code == 400
        created = client.post(
            "/transfers",
            json={
                "source_account_id": "acc_01HGHI7890",
                "destination_account_id": "acc_01HABC4567",
                "amount_in_cents": 100,
            },
            headers={"Idempotency-Key": "smoke"},
        )
        assert created.status_code == 201
        ident = created.json()["data"]["id"]
        deadline = time.monotonic() + 10
        while client.get(f"/transfers/{ident}").json()["data"]["status"] == "processing":
            assert time.monotonic() < deadline, "the transfer never settled"
            time.sleep(0.05)
        assert client.get(f"/transfers/{ident}").json()["data"]["status"] == "complete"
        contract = httpx.get(f"{sequence_mock_url}/openapi.json").json()
        assert contract["servers"][0]["url"] == "/api/v1"


def test_the_cli_refuses_bad_fixtures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "fixtures.json"
    broken.write_text('{"accounts": [{"id": "nope"}]}', encoding="utf-8")
    assert main(["--fixtures", str(broken), "--port", "1"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("sequence-mock: bad fixtures: ")
    assert "accounts[0] (nope)" in error


def test_the_cli_refuses_negative_delays(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--delay", "-1"]) == 2
    assert "--delay and --latency must be >= 0" in capsys.readouterr().err


def test_cli_options() -> None:
    args = parser().parse_args(
        ["--host", "0.0.0.0", "--port", "9000", "--rate-limit", "--delay", "0.5"]  # noqa: S104
    )
    assert (args.host, args.port, args.rate_limit, args.delay) == ("0.0.0.0", 9000, True, 0.5)  # noqa: S104
    defaults = parser().parse_args([])
    assert (defaults.host, defaults.port, defaults.rate_limit) == ("127.0.0.1", 8080, False)


def test_python_dash_m_shows_help() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}  # pytest's pythonpath too
    result = subprocess.run(
        [sys.executable, "-m", "sequence_contract.mock", "--help"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert "--fixtures" in result.stdout
    assert "--rate-limit" in result.stdout
