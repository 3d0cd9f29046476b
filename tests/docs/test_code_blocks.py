"""Every Python example of the user documentation runs as written: README.md and every page
under docs/, found by themselves (a new guide is covered from its first commit).

The blocks of one page run in order in one namespace, as one script, so a page can build on its
first example. A block titled ``test_*.py`` is a user's test file: it is written out and run by
pytest in a fresh directory, and every test in it must pass. Everything runs against the
embedded mock; no block may reach a network.
"""

from __future__ import annotations

import linecache
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.docs import ROOT, Block, blocks, pages

EXAMPLES = {page: blocks(page, "python") for page in pages()}


def _is_test_file(block: Block) -> bool:
    return block.title is not None and Path(block.title).name.startswith("test_")


@pytest.mark.parametrize(
    "page",
    [page for page, found in EXAMPLES.items() if any(not _is_test_file(b) for b in found)],
    ids=lambda page: str(page.relative_to(ROOT)),
)
def test_the_examples_of_a_page_run_in_order(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # anything an example writes stays out of the checkout
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem.replace('-', '_')}"}
    name = str(page.relative_to(ROOT))
    text = page.read_text(encoding="utf-8")  # tracebacks show the page's own lines
    linecache.cache[name] = (len(text), None, text.splitlines(keepends=True), name)
    for block in EXAMPLES[page]:
        if not _is_test_file(block):
            code = "\n" * block.line + block.code  # line numbers as on the page
            exec(compile(code, name, "exec"), namespace)  # noqa: S102


TEST_FILES = [block for found in EXAMPLES.values() for block in found if _is_test_file(block)]


@pytest.mark.parametrize("block", TEST_FILES, ids=lambda block: block.where)
def test_a_users_test_file_passes(block: Block, tmp_path: Path) -> None:
    assert block.title is not None
    (tmp_path / Path(block.title).name).write_text(block.code, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert " passed" in done.stdout


def test_the_documentation_has_examples_to_run() -> None:
    """The finder really finds them: the guides hold runnable examples and user test files."""
    assert len([page for page, found in EXAMPLES.items() if found]) >= 6
    assert len(TEST_FILES) >= 2
