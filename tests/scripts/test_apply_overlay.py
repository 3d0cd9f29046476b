"""scripts/apply-overlay: Overlay 1.0.0 applied to openapi.yaml, its comments and layout kept,
giving the same document as an independent applier (oas-patch)."""

from __future__ import annotations

import copy
import importlib.machinery
import importlib.util
import io
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from oas_patch.overlay import apply_overlay as oas_patch_apply

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "apply-overlay"
SPEC = ROOT / "openapi.yaml"
Json = Any


@pytest.fixture(scope="module")
def applier() -> ModuleType:
    loader = importlib.machinery.SourceFileLoader("apply_overlay", str(SCRIPT))
    spec = importlib.util.spec_from_loader("apply_overlay", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["apply_overlay"] = module
    loader.exec_module(module)
    return module


def overlay(*actions: dict[str, Json]) -> dict[str, Json]:
    return {"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": list(actions)}


#: One of each kind of action the overlay writer makes (tests/traffic/test_overlay.py).
EVERY_KIND = overlay(
    {"target": "$.components.schemas.CardStatus.enum", "update": "suspended"},
    {"target": "$.components.schemas.RuleExecutionSummary",
     "update": {"properties": {"duration_ms": {"type": "integer"}}}},
    {"target": "$.paths['/rule-executions'].get.responses",
     "update": {"404": {"description": "Observed.",
                        "content": {"application/json": {"schema": {
                            "$ref": "#/components/schemas/Error"}}}}}},
    {"target": "$.components.schemas.Card.required", "remove": True},
    {"target": "$.components.schemas.Card", "update": {"required": ["id", "type", "status"]}},
    {"target": "$.components.schemas.Card.properties.holder_name",
     "update": {"type": ["string", "null"]}},
    {"target": "$.components.schemas.RuleExecution.allOf[1].properties.step_index_matched.type",
     "update": "string"},
    {"target": "$.paths['/cards/{id}'].get.responses['200']",
     "update": {"headers": {"X-Ratelimit-Remaining": {"schema": {"type": "integer"}}}}},
)  # fmt: skip


def apply_here(applier: ModuleType, document: Json, changes: Json) -> Json:
    actions = applier.check_overlay(changes)
    assert applier.apply(document, actions) == []
    return document


def test_the_same_document_as_oas_patch(applier: ModuleType) -> None:
    handler = applier.yaml_round_trip()
    ours = apply_here(applier, handler.load(SPEC.read_text(encoding="utf-8")), EVERY_KIND)
    theirs = oas_patch_apply(
        yaml.safe_load(SPEC.read_text(encoding="utf-8")), copy.deepcopy(EVERY_KIND)
    )
    out = io.StringIO()
    handler.dump(ours, out)
    assert yaml.safe_load(out.getvalue()) == theirs
    assert theirs["components"]["schemas"]["CardStatus"]["enum"][-1] == "suspended"
    assert theirs["components"]["schemas"]["Card"]["required"] == ["id", "type", "status"]


def test_only_the_changed_lines_change(applier: ModuleType, tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(SPEC.read_text(encoding="utf-8"), encoding="utf-8")
    changes = tmp_path / "overlay.yaml"
    changes.write_text(yaml.safe_dump(overlay(EVERY_KIND["actions"][0])), encoding="utf-8")
    assert applier.main([str(changes), "--spec", str(spec)]) == 0
    before = SPEC.read_text(encoding="utf-8").splitlines()
    after = spec.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [
        ("      enum: [active, inactive, frozen, stolen, lost]",
         "      enum: [active, inactive, frozen, stolen, lost, suspended]"),
    ]  # fmt: skip


def test_a_target_that_selects_nothing_is_named(
    applier: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changes = tmp_path / "overlay.yaml"
    changes.write_text(
        yaml.safe_dump(overlay({"target": "$.components.schemas.Nope", "update": {"a": 1}})),
        encoding="utf-8",
    )
    assert (
        applier.main([str(changes), "--spec", str(SPEC), "--output", str(tmp_path / "o.yaml")]) == 0
    )
    assert "$.components.schemas.Nope selects nothing" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"overlay": "2.0.0", "info": {"title": "t", "version": "1"}, "actions": []},
         "'overlay' must be a 1.0.x version"),
        (overlay(), "'actions' must be a non-empty array"),
        (overlay({"target": "components"}), "'target' must be a JSONPath starting with $"),
        (overlay({"target": "$.a", "copy": "$.b"}), "unknown fields ['copy']"),
        (overlay({"target": "$.a"}), "neither 'update' nor 'remove: true'"),
        (overlay({"target": "$.info.title", "update": "x"}), "selects a str"),
    ],
)  # fmt: skip
def test_a_bad_overlay_is_refused_by_name(
    applier: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    document: Json, message: str,
) -> None:  # fmt: skip
    changes = tmp_path / "bad.yaml"
    changes.write_text(yaml.safe_dump(document), encoding="utf-8")
    assert (
        applier.main([str(changes), "--spec", str(SPEC), "--output", str(tmp_path / "o.yaml")]) == 2
    )
    assert message in capsys.readouterr().err
