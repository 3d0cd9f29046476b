"""Which openapi.yaml an installation reads: its own bundled copy first, else the checkout's."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from sequence_contract.spec import _load as _spec


def test_a_bundled_copy_wins_over_whatever_lies_two_folders_up(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "openapi.yaml").write_text("openapi: 3.1.0\n", encoding="utf-8")
    monkeypatch.setattr(resources, "files", lambda package: tmp_path)
    assert _spec.spec_path() == tmp_path / "openapi.yaml"


def test_a_source_checkout_reads_the_repository_spec(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(resources, "files", lambda package: tmp_path)  # no copy there
    assert _spec.spec_path() == Path(__file__).resolve().parents[2] / "openapi.yaml"
    assert _spec.spec_path().is_file()
