"""Every example in openapi.yaml, and every complete example the documentation shows, satisfies
the schema it stands next to (Draft 2020-12, $refs resolved across the whole spec)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fixtures.spec import (
    Example,
    SchemaErrors,
    all_examples,
    doc_examples,
    response_examples,
    response_schema_pointer,
)

EXAMPLES = all_examples()


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.where for e in EXAMPLES])
def test_example_matches_its_schema(example: Example, schema_errors: SchemaErrors) -> None:
    assert schema_errors(example.schema, example.value) == []


def test_spec_has_response_examples() -> None:
    """Guards the parametrization above against silently finding nothing."""
    assert len(response_examples()) > 0


def test_every_component_example_is_used(spec: dict[str, Any]) -> None:
    """An example nothing refers to is validated against no schema; it must be in use."""
    refs: set[str] = set()

    def collect(node: object) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/examples/"):
                refs.add(ref.rsplit("/", 1)[-1])
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    components = spec.get("components", {})
    collect({key: value for key, value in spec.items() if key != "components"})
    collect({key: value for key, value in components.items() if key != "examples"})
    assert set(components.get("examples", {})) - refs == set()


DOC = doc_examples()


@pytest.mark.parametrize(
    "entry", DOC, ids=[f"{entry['operationId']}-{entry['status']}" for entry in DOC]
)
def test_documented_body_matches_spec(entry: dict[str, Any], schema_errors: SchemaErrors) -> None:
    pointer = response_schema_pointer(entry["operationId"], entry["status"])
    assert schema_errors(pointer, entry["body"]) == []
