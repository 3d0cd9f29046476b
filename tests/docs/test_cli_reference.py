"""The site's CLI reference (scripts/_mkdocs_hooks.py) is generated from the commands' own
parsers: every command of ``sequence-contract`` has a section naming the extra it needs, and
every argument of its parser is in that section, with its help text."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import re
from types import ModuleType

import pytest

from sequence_contract import cli
from tests.fixtures.docs import ROOT


@pytest.fixture(scope="module")
def hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mkdocs_hooks", ROOT / "scripts/_mkdocs_hooks.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sections(page: str) -> dict[str, str]:
    parts = re.split(r"^## `([\w-]+)` \{#[\w-]+\}$", page, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_every_command_and_argument_is_on_the_page(hooks: ModuleType) -> None:
    page = hooks.cli_reference()
    found = sections(page)
    assert list(found) == list(cli.SUBCOMMANDS)
    for name, (module, extra, _) in cli.SUBCOMMANDS.items():
        parser: argparse.ArgumentParser = importlib.import_module(module).parser()
        text = found[name]
        assert f"usage: sequence-contract {name}" in text
        assert f"pip install 'sequence-contract[{extra}]'" in text
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            for option in action.option_strings or [str(action.metavar or action.dest)]:
                assert f"`{option}`" in text, (name, option)
            if action.help:
                first_words = " ".join(action.help.split()[:3]).replace("|", "\\|")
                assert first_words in " ".join(text.split()), (name, action.dest)
    assert len(re.findall(r"^\| `--", page, flags=re.M)) >= 20  # the tables really hold options
