"""scripts/docs' render-time copy of the spec, without a browser (the page: test_reference_page).

The copy only adds badges to descriptions: openapi.yaml stays the source, so the copy must
keep every fact and every marker as they are.
"""

from __future__ import annotations

import copy
import importlib.machinery
import importlib.util
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "docs"
BADGE = re.compile(r'<span class="x-badge" data-provenance="(\w+)" data-at="([^"]+)"')


@pytest.fixture(scope="module")
def docs() -> ModuleType:
    loader = importlib.machinery.SourceFileLoader("docs_script", str(SCRIPT))
    spec = importlib.util.spec_from_loader("docs_script", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def without_descriptions(node: Any) -> Any:  # noqa: ANN401 - any part of the spec
    if isinstance(node, dict):
        return {k: without_descriptions(v) for k, v in node.items() if k != "description"}
    if isinstance(node, list):
        return [without_descriptions(v) for v in node]
    return node


def test_the_copy_changes_descriptions_only(docs: ModuleType, spec: dict[str, Any]) -> None:
    source = copy.deepcopy(spec)
    rendered = docs.render_copy(spec)
    assert spec == source  # the source is not touched
    assert without_descriptions(rendered) == without_descriptions(spec)


def test_each_operation_leads_with_its_id_availability_and_provenance(
    docs: ModuleType, spec: dict[str, Any]
) -> None:
    rendered = docs.render_copy(spec)
    create_rule = rendered["paths"]["/rules"]["post"]["description"]
    assert create_rule.startswith(
        '<span data-operation-id="createRule" data-availability="coming-soon"'
        ' data-provenance="choice">'
    )
    assert "scope: CREATE_AND_EDIT_RULES" in create_rule
    assert "`422` " in create_rule.rsplit("Responses: ", 1)[1]
    webhook = rendered["webhooks"]["TransferCreated"]["post"]["description"]
    assert 'data-operation-id="onTransferCreated" data-availability="coming-soon"' in webhook


def test_a_field_takes_its_own_then_its_schemas_then_its_holders_kind(
    docs: ModuleType, spec: dict[str, Any]
) -> None:
    schemas = docs.render_copy(spec)["components"]["schemas"]

    def kind(schema: str, field: str) -> tuple[str, str]:
        found = BADGE.match(schemas[schema]["properties"][field]["description"])
        assert found is not None, (schema, field)
        return found.group(1), found.group(2)

    at = "/components/schemas/{}/properties/{}".format
    assert kind("Transfer", "rule_id") == ("filled", at("Transfer", "rule_id"))  # its own
    assert kind("Action", "source") == ("filled", at("Action", "source"))  # ActionAccountRef's
    assert kind("ActionAccountRef", "id") == ("filled", at("ActionAccountRef", "id"))  # holder's
    assert kind("Rule", "status") == ("doc", at("Rule", "status"))  # nothing marked: doc
