"""The "Use the client" example in README.md runs as written, against the embedded mock."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def _section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"README.md has no '## {title}' section"
    return match.group(1)


def test_the_usage_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    blocks = re.findall(r"```python\n(.*?)```", _section("Use the client"), re.S)
    assert len(blocks) == 1
    exec(compile(blocks[0], "README.md: Use the client", "exec"), {"__name__": "readme"})  # noqa: S102
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Chase Checking ••4567"
    assert re.fullmatch(r"txr_\w+ processing", lines[1])
    assert lines[2].startswith("[2500, ")  # newest first: the transfer just made
    assert len(ast.literal_eval(lines[2])) == 5
    assert lines[3] == "account_not_found"
