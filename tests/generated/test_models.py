"""The generated models read every example in openapi.yaml and every complete body the docs show,
and write them back unchanged: ``Model.from_dict(x).to_dict() == x`` (date-times compared as
instants). They must also keep what a tolerant contract allows: nulls, unlisted values of open
enums and fields the spec does not name (kept in ``additional_properties``)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fixtures.generated import canonical, model_class, parse_response, to_json
from tests.fixtures.spec import (
    Example,
    SchemaErrors,
    doc_examples,
    request_examples,
    resolve,
    response_examples,
    response_schema_pointer,
)
from tests.fixtures.variants import variants

# Per operation: a shared response (401, 429, ...) is read by every operation's own parser.
RESPONSES = response_examples(per_operation=True)
DOC = doc_examples()


def _id(example: Example) -> str:
    return f"{example.operation_id}-{example.status}-{example.where.rsplit('/', 1)[-1]}"


def _round_trip(operation_id: str, status: str, body: Any) -> Any:
    return to_json(parse_response(operation_id, status, body))


@pytest.mark.parametrize("example", RESPONSES, ids=[_id(e) for e in RESPONSES])
def test_response_example_round_trips(example: Example) -> None:
    assert example.operation_id is not None
    assert example.status is not None
    written = _round_trip(example.operation_id, example.status, example.value)
    assert canonical(written) == canonical(example.value)


@pytest.mark.parametrize("entry", DOC, ids=[f"{d['operationId']}-{d['status']}" for d in DOC])
def test_documented_body_round_trips(entry: dict[str, Any]) -> None:
    written = _round_trip(entry["operationId"], entry["status"], entry["body"])
    assert canonical(written) == canonical(entry["body"])


def _request_model_name(example: Example) -> str:
    ref = resolve({"$ref": f"#{example.schema.rsplit('/', 1)[0]}"})["schema"]["$ref"]
    return str(ref.rsplit("/", 1)[-1])


@pytest.mark.parametrize("example", request_examples(), ids=lambda e: e.where.rsplit("/", 1)[-1])
def test_request_example_round_trips(example: Example) -> None:
    model = model_class(_request_model_name(example))
    assert canonical(model.from_dict(example.value).to_dict()) == canonical(example.value)


def _variant_failures(
    operation_id: str, status: str, pointer: str, body: Any, schema_errors: SchemaErrors
) -> list[str]:
    failures = []
    for variant in variants(pointer, body):
        if errors := schema_errors(pointer, variant.body):
            failures.append(f"{variant.label}: variant breaks the schema: {errors}")
            continue
        written = _round_trip(operation_id, status, variant.body)
        if canonical(written) != canonical(variant.body):
            failures.append(f"{variant.label}: wrote {written!r}")
    return failures


@pytest.mark.parametrize("example", RESPONSES, ids=[_id(e) for e in RESPONSES])
def test_response_example_variants_round_trip(
    example: Example, schema_errors: SchemaErrors
) -> None:
    assert example.operation_id is not None
    assert example.status is not None
    failures = _variant_failures(
        example.operation_id, example.status, example.schema, example.value, schema_errors
    )
    assert failures == []


@pytest.mark.parametrize("entry", DOC, ids=[f"{d['operationId']}-{d['status']}" for d in DOC])
def test_documented_body_variants_round_trip(
    entry: dict[str, Any], schema_errors: SchemaErrors
) -> None:
    operation_id, status = entry["operationId"], entry["status"]
    pointer = response_schema_pointer(operation_id, status)
    assert _variant_failures(operation_id, status, pointer, entry["body"], schema_errors) == []


def test_variants_exercise_nulls_and_open_enums() -> None:
    """The variant tests above reach both tolerant kinds somewhere in the examples."""
    labels = [
        variant.label
        for example in RESPONSES
        for variant in variants(example.schema, example.value)
    ]
    kinds = {label.split(" at ")[0] for label in labels}
    assert kinds == {"null", "unlisted value", "unknown fields"}
