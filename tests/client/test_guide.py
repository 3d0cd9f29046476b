"""The first example of the getting-started guide runs as written, against the embedded mock, and
prints what the guide says it prints."""

from __future__ import annotations

import ast
import re

import pytest

from tests.fixtures.docs import DOCS, blocks, section

GUIDE = DOCS / "guides" / "getting-started.md"
TITLE = "Your first calls"


def test_the_first_calls_run(capsys: pytest.CaptureFixture[str]) -> None:
    found = blocks(GUIDE, "python", text=section(GUIDE, TITLE))
    assert len(found) == 1
    exec(compile(found[0].code, f"{GUIDE.name}: {TITLE}", "exec"), {"__name__": "guide"})  # noqa: S102
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Chase Checking ••4567"
    assert re.fullmatch(r"txr_\w+ processing", lines[1])
    assert lines[2].startswith("[2500, ")  # newest first: the transfer just made
    assert len(ast.literal_eval(lines[2])) == 5
    assert lines[3] == "account_not_found"
