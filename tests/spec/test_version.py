"""The version policy (CONTRIBUTING.md): openapi.yaml's info.version, the package version and
the generated client's metadata are one number, and CHANGELOG.md has an Unreleased section above
that version's own."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _project_version(pyproject: Path) -> str:
    with pyproject.open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def test_spec_package_and_generated_client_share_one_version(spec: dict[str, Any]) -> None:
    version = spec["info"]["version"]
    assert _project_version(ROOT / "pyproject.toml") == version
    assert _project_version(ROOT / "generated" / "pyproject.toml") == version


def test_the_changelog_opens_with_unreleased_then_the_current_version(
    spec: dict[str, Any],
) -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", text, re.MULTILINE)
    assert headings[0] == "Unreleased"
    assert headings[1] == spec["info"]["version"]
