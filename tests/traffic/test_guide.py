"""Every command of the guide "Is the real API what the docs say?" runs as written, against the
mock on loopback: the production URL becomes the mock's, the key a demo key, port 8081 a free
one; nothing else changes. Shell lines run in bash, with this environment's scripts first on
PATH."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sequence_contract.mock import create_app, serve
from tests.fixtures.docs import DOCS, blocks

ROOT = Path(__file__).resolve().parents[2]
GUIDE = DOCS / "guides" / "real-api.md"
PRODUCTION = "https://api.getsequence.io/api/v1"
KEY = "demo-all"
BASH = shutil.which("bash") or "/bin/bash"


def commands(language: str = "sh") -> list[str]:
    return [line for b in blocks(GUIDE, language) for line in b.code.splitlines() if line.strip()]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def upstream() -> Iterator[str]:
    with serve(create_app()) as root:
        yield f"{root}/api/v1"


def shell(line: str, upstream: str, port: int) -> str:
    line = line.replace(PRODUCTION, upstream).replace("8081", str(port))
    return line.replace("SEQUENCE_API_KEY=...", f"SEQUENCE_API_KEY={KEY}")


def environment(*, key: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEQUENCE_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    if key:
        env["SEQUENCE_API_KEY"] = KEY  # what `$SEQUENCE_API_KEY` reads
    return env


def wait_for(port: int, proxy: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert proxy.poll() is None, proxy.communicate()
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError("the proxy did not start")


def test_the_section_has_the_commands_it_describes() -> None:
    heads = [" ".join(line.split()[:2]) for line in commands()]
    assert heads == [
        "sequence-contract proxy",
        "curl -H",
        "sequence-contract validate",
        f"SEQUENCE_BASE_URL={PRODUCTION} SEQUENCE_API_KEY=...",
        "sequence-contract contract",
    ]


def test_the_proxy_then_validate_on_its_log(upstream: str, tmp_path: Path) -> None:
    proxy_line, curl_line, validate_line = commands()[:3]
    port = free_port()
    env = environment(key=True)
    proxy = subprocess.Popen(  # noqa: S603 - the guide's own command
        [BASH, "-c", f"exec {shell(proxy_line, upstream, port)}"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for(port, proxy)
        fetched = subprocess.run(  # noqa: S603
            [BASH, "-c", shell(curl_line, upstream, port)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        )
    finally:
        proxy.send_signal(signal.SIGINT)
        out, _ = proxy.communicate(timeout=30)
    assert '"data"' in fetched.stdout
    assert proxy.returncode == 0, out
    assert "1 exchanges; 0 violations (0 doc), 0 info" in out
    log = tmp_path / "reports" / "proxy" / "exchanges.ndjson"
    assert KEY not in log.read_text(encoding="utf-8")
    checked = subprocess.run(  # noqa: S603
        [BASH, "-c", shell(validate_line, upstream, port)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "| listAccounts | 1 | 1 | 1 | 1 |" in checked.stdout


def test_the_smoke_runs(upstream: str) -> None:
    for line in commands()[3:]:
        done = subprocess.run(  # noqa: S603
            [BASH, "-c", shell(line, upstream, 0)],
            cwd=ROOT,
            env=environment(key=False),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert re.search(r"# Smoke run against .+: PASSED", done.stdout), done.stdout
        # 18 with the one key; the embedded mock's run adds its narrow key's 7 reads
        assert re.search(r"\b(18|25) requests in", done.stdout), done.stdout


def test_the_client_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    found = blocks(GUIDE, "python")
    assert len(found) == 1
    exec(compile(found[0].code, GUIDE.name, "exec"), {"__name__": "guide"})  # noqa: S102
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(
        "getAccount 200: violation [doc] required at body/data/can_be_source: expected required "
        "field 'can_be_source', found absent (openapi.yaml#/components/schemas/AccountCore/"
    )
    assert lines[1:] == [
        "violation doc required /data/can_be_source",
        "info doc undocumented-field /data/canBeSource",
    ]
