"""Every python block of docs/guides/client.md runs as written, against the embedded mock."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guides" / "client.md"
BLOCKS = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)


def test_the_guide_has_its_examples() -> None:
    assert len(BLOCKS) >= 10


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_each_example_runs(index: int, capsys: pytest.CaptureFixture[str]) -> None:
    code = compile(BLOCKS[index], f"{GUIDE.name}: block {index + 1}", "exec")
    exec(code, {"__name__": f"guide_{index}"})  # noqa: S102 - the guide's own examples
    out = capsys.readouterr().out
    assert out.strip()
    assert "Traceback" not in out


def test_the_failed_write_example_finishes_it_once(capsys: pytest.CaptureFixture[str]) -> None:
    (block,) = [b for b in BLOCKS if "idempotency_key=key" in b]
    exec(compile(block, f"{GUIDE.name}: when a write fails", "exec"), {"__name__": "guide"})  # noqa: S102
    assert capsys.readouterr().out.splitlines() == ["True ['RemoteProtocolError']", "True"]
