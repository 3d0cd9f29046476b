"""docs/guides/evidence-to-contract.md runs as written, in a copy of the repository: record,
validate, overlay, review, apply, regenerate, usage, api_changes. The outputs the page shows
are the ones the commands give, so its figures are reproducible.

``nox -s api_changes --`` runs as ``scripts/api-changes`` (what the session runs); the generator
comes from the tool venv ``scripts/generate`` keeps (``.nox/tools``, shared with the checkout).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.evidence.build import HAR, KEY, dumps

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "guides" / "evidence-to-contract.md"
COPIED = ("openapi.yaml", "CHANGELOG.md", "pyproject.toml", "generator-config.yaml", "scripts",
          "src/sequence_contract/spec",
          "generated", "tests/fixtures/evidence/traffic.har")  # fmt: skip
BASH = shutil.which("bash") or "/bin/bash"
GIT = [shutil.which("git") or "git", "-c", "user.name=test", "-c", "user.email=test@example.test"]


def blocks(language: str) -> list[str]:
    text = GUIDE.read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```", text, re.M | re.S)


def test_the_har_is_what_its_builder_makes() -> None:
    assert HAR.read_text(encoding="utf-8") == dumps()


@pytest.fixture(scope="module")
def loop(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every shell line of the guide, run in order; its output by command."""
    repo = tmp_path_factory.mktemp("loop")
    for name in COPIED:
        source, target = ROOT / name, repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, target)
    for args in (["init", "--quiet", "--initial-branch=main"], ["add", "--all"],
                 ["commit", "--quiet", "--no-gpg-sign", "-m", "base"]):  # fmt: skip
        subprocess.run([*GIT, *args], cwd=repo, check=True, capture_output=True)  # noqa: S603
    cwd = Path.cwd()
    os.chdir(repo)
    try:
        for code in blocks("python"):
            exec(compile(code, str(GUIDE), "exec"), {"__name__": "guide"})  # noqa: S102
    finally:
        os.chdir(cwd)
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "SEQUENCE_TOOLS_VENV": str(ROOT / ".nox" / "tools"),
    }
    outputs: dict[str, str] = {}
    for block in blocks("sh"):
        for line in block.splitlines():
            command, _, comment = line.partition("  # ")
            expected = int(comment.removeprefix("exits ")) if comment.startswith("exits") else 0
            command = command.replace("nox -s api_changes --", "scripts/api-changes")
            done = subprocess.run(  # noqa: S603 - the guide's own commands
                [BASH, "-c", command], cwd=repo, env=env, capture_output=True, text=True,
                timeout=300, check=False,
            )  # fmt: skip
            assert done.returncode == expected, f"{command}\n{done.stdout}\n{done.stderr}"
            outputs[command] = done.stdout + done.stderr
    outputs["observed.yaml"] = (repo / "observed.yaml").read_text(encoding="utf-8")
    outputs["usage.json"] = (repo / "usage.json").read_text(encoding="utf-8")
    outputs["card_status"] = (
        repo / "generated/sequence_api_client/models/card_status.py"
    ).read_text(encoding="utf-8")
    return outputs


def test_the_overlay_shown_is_the_one_written(loop: dict[str, str]) -> None:
    (shown,) = blocks("yaml")
    assert shown == loop["observed.yaml"]
    assert KEY not in loop["observed.yaml"]


def test_the_patched_contract_takes_the_traffic_without_a_violation(loop: dict[str, str]) -> None:
    out = loop["sequence-contract validate --strict --spec patched.yaml "
               "tests/fixtures/evidence/traffic.har"]  # fmt: skip
    assert "5 exchanges; 0 violations (0 doc), 0 info" in out


def test_the_client_is_regenerated_from_the_patched_contract(loop: dict[str, str]) -> None:
    assert '"suspended"' in loop["card_status"]


def test_the_change_report_sets_apart_what_the_application_does_not_use(
    loop: dict[str, str],
) -> None:
    (shown,) = blocks("text")
    report = loop["scripts/api-changes --base HEAD --usage usage.json"]
    assert shown in report
    assert "getCard" in loop["usage.json"]
    assert "listCards" not in loop["usage.json"]
