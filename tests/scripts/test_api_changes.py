"""scripts/api-changes on a temporary git copy of the spec, the generated client and the changelog.

Each test commits one change on a branch off ``main``, the way a pull request would, and checks
how the report classifies it: a compatible change passes, a breaking one fails until the
changelog's Unreleased section names it. The generated code is edited as the generator would
change it, so the test needs neither the generator nor the network.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "api-changes"
CLIENT = Path("generated/sequence_api_client")
FACADE = Path("generated/sequence_facade")
GIT = ["git", "-c", "user.name=test", "-c", "user.email=test@example.test"]


@pytest.fixture
def api_changes(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(SCRIPT.parent))  # as when run: its helper module beside it
    loader = importlib.machinery.SourceFileLoader("api_changes", str(SCRIPT))
    spec = importlib.util.spec_from_loader("api_changes", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "api_changes", module)  # for its dataclasses
    loader.exec_module(module)
    return module


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - git with the test's own arguments
        [*GIT, *args], cwd=repo, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose ``main`` holds today's spec, client and changelog, on a branch."""
    root = tmp_path / "repo"
    root.mkdir()
    for name in ("openapi.yaml", "CHANGELOG.md"):
        shutil.copy(ROOT / name, root / name)
    for package in (CLIENT, FACADE):
        shutil.copytree(
            ROOT / package, root / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    git(root, "init", "--quiet", "--initial-branch=main")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "--no-gpg-sign", "-m", "base")
    git(root, "checkout", "--quiet", "-b", "change")
    return root


def edit_spec(repo: Path, change: Any) -> None:  # noqa: ANN401 - a callable on the parsed spec
    path = repo / "openapi.yaml"
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(spec)
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "--no-gpg-sign", "-m", message)


def add_optional_query_parameter(repo: Path) -> None:
    """listAccounts gains ``?name=``: a new optional keyword in every generated function."""

    def change(spec: dict[str, Any]) -> None:
        parameter = {"name": "name", "in": "query", "required": False, "schema": {"type": "string"}}
        spec["paths"]["/accounts"]["get"]["parameters"].append(parameter)

    edit_spec(repo, change)
    module = repo / CLIENT / "api/accounts/list_accounts.py"
    text = module.read_text(encoding="utf-8")
    typed = "    type_: AccountType | Unset = UNSET,\n"
    assert text.count(typed) == 5  # _get_kwargs and the four call styles
    module.write_text(text.replace(typed, typed + "    name: str | Unset = UNSET,\n"))


def remove_get_card(repo: Path) -> None:
    """getCard goes: its path, and the generated module that called it."""

    def change(spec: dict[str, Any]) -> None:
        del spec["paths"]["/cards/{id}"]

    edit_spec(repo, change)
    (repo / CLIENT / "api/cards/get_card.py").unlink()


def test_a_compatible_change_is_reported_and_passes(
    api_changes: ModuleType, repo: Path, tmp_path: Path
) -> None:
    add_optional_query_parameter(repo)
    commit(repo, "listAccounts: filter by name")
    base = api_changes.resolve_base(repo, None)

    spec, client = api_changes.collect(repo, base)

    assert [(c.breaking, c.subject, c.where, c.text) for c in spec] == [
        (False, "listAccounts", "query parameter name", "optional parameter added")
    ]
    assert [c for c in client if c.breaking] == []
    assert api_changes.main(["--root", str(repo), "--report", str(tmp_path / "r.md")]) == 0
    assert "No breaking change." in (tmp_path / "r.md").read_text(encoding="utf-8")


def test_a_breaking_change_fails_until_the_changelog_names_it(
    api_changes: ModuleType, repo: Path, tmp_path: Path
) -> None:
    remove_get_card(repo)
    commit(repo, "drop getCard")
    base = api_changes.resolve_base(repo, None)

    spec, client = api_changes.collect(repo, base)

    assert [(c.breaking, c.subject, c.text) for c in spec] == [
        (True, "getCard", "operation removed")
    ]
    removed = [c for c in client if c.breaking]
    assert [(c.subject, c.where, c.text) for c in removed] == [
        ("getCard", "sequence_api_client.api.cards.get_card", "Public object was removed")
    ]
    report = tmp_path / "r.md"
    argv = ["--root", str(repo), "--report", str(report)]
    assert api_changes.main(argv) == 1
    assert "FAILED: 2 of 2 breaking changes are not recorded: name `getCard`" in report.read_text()

    changelog = repo / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8")
    changelog.write_text(
        text.replace("### Breaking\n\n", "### Breaking\n\n- `getCard` is gone.\n", 1)
    )
    assert api_changes.main(argv) == 0


def test_a_name_outside_the_unreleased_section_does_not_count(
    api_changes: ModuleType, repo: Path
) -> None:
    changelog = repo / "CHANGELOG.md"
    changelog.write_text(
        "# Changelog\n\n## Unreleased\n\n- `createRule` stricter\n\n## 0.1.0\n\n- `getCard`\n"
    )
    section = api_changes.unreleased(repo)
    assert api_changes.recorded("createRule", section)
    assert not api_changes.recorded("getCard", section)
    assert not api_changes.recorded("Rule", section)  # a whole name, not a part of one


def test_the_base_is_the_fork_point_then_the_last_tag_then_the_previous_commit(
    api_changes: ModuleType, repo: Path
) -> None:
    first = git(repo, "rev-parse", "HEAD")
    assert api_changes.resolve_base(repo, None) is None  # main's tip, one commit, no tag
    add_optional_query_parameter(repo)
    commit(repo, "change")
    assert api_changes.resolve_base(repo, None).ref == first  # a branch: where it forked

    git(repo, "checkout", "--quiet", "main")
    git(repo, "merge", "--quiet", "--ff-only", "change")
    on_main = api_changes.resolve_base(repo, None)
    assert (on_main.ref, on_main.why) == (first, "previous commit (no tag yet)")

    git(repo, "tag", "v0.1.0", first)
    assert api_changes.resolve_base(repo, None).why == "last tag v0.1.0"
    asked = api_changes.resolve_base(repo, "HEAD")
    assert (asked.ref, asked.why) == (git(repo, "rev-parse", "HEAD"), "--base HEAD")
    with pytest.raises(SystemExit, match="no commit 'nosuchref'"):
        api_changes.resolve_base(repo, "nosuchref")


def test_a_facade_method_removed_is_breaking_under_its_operation_id(
    api_changes: ModuleType, repo: Path
) -> None:
    remove_get_card(repo)
    subprocess.run(  # noqa: S603 - the facade's generation step, as scripts/generate runs it
        [sys.executable, str(ROOT / "scripts" / "generate-facade"), "openapi.yaml", "generated"],
        cwd=repo,
        check=True,
    )
    commit(repo, "getCard goes, and its facade methods with it")
    base = api_changes.resolve_base(repo, None)

    _, client = api_changes.collect(repo, base)

    facade = [c for c in client if c.where.startswith("sequence_facade.")]
    classes = ("Cards", "AsyncCards", "CardsWithRawResponse", "AsyncCardsWithRawResponse")
    assert {c.where for c in facade} == {
        f"sequence_facade.resources.cards.{cls}.get" for cls in classes
    }
    assert {(c.breaking, c.subject) for c in facade} == {(True, "getCard")}
