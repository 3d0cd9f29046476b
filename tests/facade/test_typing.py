"""A user's file using the facade passes ``mypy --strict``; the same file with a misspelt
keyword does not. (``nox -s typecheck`` also checks user_example.py with the rest of tests/.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
EXAMPLE = HERE / "user_example.py"


def mypy(path: Path) -> subprocess.CompletedProcess[str]:
    """mypy --strict on one file, with the project's settings (its source first on the path)."""
    return subprocess.run(  # noqa: S603 - this interpreter's mypy, fixed arguments
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", str(path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, "MYPY_CACHE_DIR": str(ROOT / ".mypy_cache")},
        timeout=600,
    )


@pytest.fixture(scope="module")
def misspelt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    for right, wrong in (
        ("amount_in_cents=2500", "amount_in_cent=2500"),
        ('list(type="income_source")', 'list(typ="income_source")'),
        ('request_id="req-example-1"', 'requestid="req-example-1"'),
    ):
        assert right in text
        text = text.replace(right, wrong)
    path = tmp_path_factory.mktemp("facade") / "misspelt_example.py"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_users_file_passes_mypy_strict() -> None:
    done = mypy(EXAMPLE)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_misspelt_keyword_is_a_type_error(misspelt: Path) -> None:
    done = mypy(misspelt)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = misspelt.read_text(encoding="utf-8").splitlines()
    wrong = {
        number
        for number, line in enumerate(lines, 1)
        if any(typo in line for typo in ("amount_in_cent=", "typ=", "requestid="))
    }
    for start in ("transfer = client.transfers.create(", "assert_type(transfer,"):
        wrong.add(next(n for n, line in enumerate(lines, 1) if start in line))  # the call, its use
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert {int(line.split(":")[1]) for line in errors} <= wrong, done.stdout  # nothing else
    assert 'Unexpected keyword argument "amount_in_cent" for overloaded function "create"' in (
        done.stdout
    )
    assert 'Unexpected keyword argument "typ" for "list" of "Accounts"' in done.stdout
    assert 'Unexpected keyword argument "requestid" for "get" of "Accounts"' in done.stdout
