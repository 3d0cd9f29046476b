"""Which openapi.yaml an installation reads: its own bundled copy first, else the checkout's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sequence_contract.spec import _load as _spec


def test_a_bundled_copy_wins_over_whatever_lies_two_folders_up(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "openapi.yaml").write_text("openapi: 3.1.0\n", encoding="utf-8")
    monkeypatch.setattr(_spec, "PACKAGE_DIR", tmp_path)
    assert _spec.spec_path() == tmp_path / "openapi.yaml"


def test_a_source_checkout_reads_the_repository_spec(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(_spec, "PACKAGE_DIR", tmp_path)  # no copy there
    assert _spec.spec_path() == Path(__file__).resolve().parents[2] / "openapi.yaml"
    assert _spec.spec_path().is_file()


def test_the_json_artefact_is_the_yaml_document() -> None:
    """generated/openapi.json (scripts/generate) holds exactly what openapi.yaml parses to."""
    source = _spec.spec_path().read_bytes()
    artefact = Path(__file__).resolve().parents[2] / "generated" / _spec.ARTEFACT
    assert artefact.read_text(encoding="utf-8") == _spec.artefact(source)
    assert json.loads(artefact.read_bytes())["openapi"] == _spec.parse_yaml(source)


def test_a_current_artefact_spares_the_yaml_parse(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    source = b"openapi: 3.1.0\ninfo: {title: t, version: '1'}\n"
    (tmp_path / "openapi.yaml").write_bytes(source)
    (tmp_path / _spec.ARTEFACT).write_text(_spec.artefact(source), encoding="utf-8")

    def no_yaml(_: bytes) -> dict[str, Any]:
        raise AssertionError("parsed YAML although the artefact is current")

    monkeypatch.setattr(_spec, "parse_yaml", no_yaml)
    assert _spec.load_spec(tmp_path / "openapi.yaml")["info"] == {"title": "t", "version": "1"}


def test_an_edited_spec_takes_effect_over_a_stale_artefact(tmp_path: Path) -> None:
    old = b"openapi: 3.1.0\ninfo: {title: old, version: '1'}\n"
    (tmp_path / "generated").mkdir()
    (tmp_path / "generated" / _spec.ARTEFACT).write_text(_spec.artefact(old), encoding="utf-8")
    (tmp_path / "openapi.yaml").write_bytes(old.replace(b"old", b"new"))
    assert _spec.load_spec(tmp_path / "openapi.yaml")["info"]["title"] == "new"
