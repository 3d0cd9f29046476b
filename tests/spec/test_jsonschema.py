"""The JSON Schema toolkit: pointers, and one date-time rule that every consumer shares."""

from __future__ import annotations

import httpx
import pytest

from sequence_contract.conformance._provenance import classify
from sequence_contract.mock.state._clock import parse_timestamp, timestamp_micros
from sequence_contract.spec import (
    escape,
    first_error,
    format_checker,
    lookup,
    model,
    parse_date_time,
    unescape,
)
from tests.fixtures.spec import errors_of

ACCEPTED = [
    "2024-05-01T12:00:00Z",
    "2024-05-01t12:00:00z",  # RFC 3339 5.6: "T" and "Z" may be lower case
    "2024-05-01T12:00:00.123456789+02:00",
    "2024-02-29T23:59:59-00:30",
]
REJECTED = [
    "2024-05-01 12:00:00Z",
    "2024-05-01T12:00:00",  # no offset
    "2023-02-29T00:00:00Z",
    "0000-01-01T00:00:00Z",
    "2024-05-01T24:00:00Z",
    "2024-05-01T12:00:00+2:00",
    "yesterday",
]
TRANSFER_CREATED_AT = "/components/schemas/Transfer/properties/created_at"


def test_pointer_tokens_escape_and_resolve() -> None:
    assert escape("/a~b") == "~1a~0b"
    assert unescape(escape("/a~b/~1")) == "/a~b/~1"
    document = {"paths": {"/x~y": {"get": [{"ok": 1}]}}, "responses": {200: "number key"}}
    assert lookup(document, f"/paths/{escape('/x~y')}/get/0/ok") == 1
    assert lookup(document, "#/responses/200") == "number key"
    with pytest.raises(KeyError):
        lookup(document, "/paths/missing")


@pytest.mark.parametrize("value", ACCEPTED)
def test_every_consumer_accepts_an_rfc3339_date_time(value: str, api: httpx.Client) -> None:
    assert format_checker().conforms(value, "date-time")
    assert parse_timestamp(value).utcoffset() is not None
    assert isinstance(timestamp_micros(value), int)
    assert errors_of(TRANSFER_CREATED_AT, value) == []
    response = api.get("/rule-executions", params={"rule_id": "rule_01HRULE0001", "from": value})
    assert response.status_code == 200, response.text
    assert _provenance_detail(value) == "body: no difference found on re-validation"


@pytest.mark.parametrize("value", REJECTED)
def test_every_consumer_rejects_what_is_not_one(value: str, api: httpx.Client) -> None:
    assert not format_checker().conforms(value, "date-time")
    with pytest.raises(ValueError, match=r"is not an? (RFC 3339 date-time|calendar date)$"):
        parse_date_time(value)
    with pytest.raises(ValueError, match=r"is not an? (RFC 3339 date-time|calendar date)$"):
        parse_timestamp(value)
    assert errors_of(TRANSFER_CREATED_AT, value) == [f"<root>: {value!r} is not a 'date-time'"]
    response = api.get("/rule-executions", params={"rule_id": "rule_01HRULE0001", "from": value})
    assert response.status_code == 400
    assert f"`from`: {value!r} is not a 'date-time'" in response.json()["error"]["message"]
    assert _provenance_detail(value) == f"body/data/created_at: {value!r} is not a 'date-time'"


def _provenance_detail(created_at: str) -> str:
    """What the contract's provenance classifier says of a getTransfer body with this time."""
    body = {
        "request_id": "req_1",
        "data": {
            "id": "txr_1", "amount_in_cents": 100, "direction": "internal", "origin": "user",
            "status": "complete", "source": None, "destination": None, "created_at": created_at,
        },
    }  # fmt: skip
    spec = model()
    (verdict,) = classify(
        spec, spec.by_id["getTransfer"], "response_schema_conformance", status=200, body=body
    )
    return verdict.detail


# Values that stress where jsonschema-rs and jsonschema could part: Python's ``$`` before a final
# newline, non-ASCII digits for ``\d``, integers past 64 bits, floats that are whole, booleans
# as numbers, lone surrogates, and every JSON type.
TRICKY: list[object] = [
    None, True, False, 0, 1, -1, 1.0, 2.5, 10**20, -(10**30), 1e300, "", "0", "abc",
    "acc_01HABC4567", "acc_01HABC4567\n", "rule_01HXYZ1234", "txr_1", "cursor_abc",
    "cursor_abc\n", "٣", "pod", "POD", "source", "either", "complete", "\ud800",
    *ACCEPTED, *REJECTED, [], [1], ["a"], {}, {"a": 1},
]  # fmt: skip


# Request bodies near valid ones (the spec gives none as examples), each broken a little.
TRANSFER = {"source_account_id": "acc_1", "destination_account_id": "acc_2", "amount_in_cents": 100}
RULE = {
    "nickname": "n",
    "status": "enabled",
    "trigger": {"type": "MANUAL", "account_id": "acc_1"},
    "steps": [{"conditions": None}],
}
BODIES: list[object] = [
    body
    for valid in (TRANSFER, RULE, {"manual_execute_amount": 2500})
    for body in (
        valid,
        {**valid, "amount_in_cents": 10**30, "manual_execute_amount": 10**30},
        {**valid, "amount_in_cents": 100.0, "manual_execute_amount": 2500.5},
        {**valid, "nickname": "\ud800", "source_account_id": "acc_1\n"},
        {**valid, "status": "ENABLED", "trigger": {"type": "manual"}},
        {key: value for key, value in valid.items() if key != next(iter(valid))},
    )
]


def _request_schemas() -> list[str]:
    """Every schema the mock validates a request against: parameters and bodies."""
    spec = model()
    pointers: set[str | None] = {
        parameter.schema_pointer
        for op in spec.operations
        for parameter in op.parameters
        if parameter.location != "cookie"
    }
    pointers |= {op.body.schema_pointer for op in spec.operations if op.body}
    return sorted(pointer for pointer in pointers if pointer is not None)


@pytest.mark.parametrize("pointer", _request_schemas())
def test_the_fast_check_answers_as_jsonschema_does(pointer: str) -> None:
    """jsonschema-rs may only say "valid" where jsonschema does, and a check's error is always
    jsonschema's own (the mock quotes its message)."""
    check = model().validators.check(pointer)
    for value in [*TRICKY, *BODIES]:
        expected = first_error(model().validators.validator(pointer), value)
        try:
            fast = check.fast.is_valid(value)
        except ValueError:  # what jsonschema-rs cannot read is left to jsonschema
            fast = False
        assert not fast or expected is None, value
        found = check.first_error(value)
        assert (found is None) == (expected is None), value
        if found is not None and expected is not None:
            assert (found.message, found.absolute_path) == (
                expected.message,
                expected.absolute_path,
            )


CHOICES = {
    "components": {
        "schemas": {
            "Node": {
                "oneOf": [
                    {"$ref": "#/components/schemas/Leaf"},
                    {"$ref": "#/components/schemas/Any"},
                ]
            },
            "Leaf": {
                "type": "object",
                "required": ["leaf"],
                "propertyNames": {"not": {"const": "any"}},
                "properties": {"leaf": {"type": "integer"}},
            },
            "Any": {
                "type": "object",
                "required": ["any"],
                "propertyNames": {"not": {"const": "leaf"}},
                "properties": {
                    "any": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}
                },
            },
            "Holder": {
                "type": "object",
                "properties": {
                    "node": {"anyOf": [{"$ref": "#/components/schemas/Node"}, {"type": "null"}]},
                    "id": {"anyOf": [{"type": "string", "pattern": "^x"}, {"type": "null"}]},
                },
            },
        }
    }
}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            {"node": {}},
            "body.node: should have exactly one of 'leaf' or 'any'; it has none of them",
        ),
        (
            {"node": {"leaf": 1, "any": []}},
            "body.node: should have exactly one of 'leaf' or 'any'; it has 'leaf', 'any'",
        ),
        ({"node": 7}, "body.node: 7 is not an object with exactly one of 'leaf' or 'any'"),
        (
            {"node": {"any": [{"leaf": "one"}]}},
            "body.node.any[0].leaf: 'one' is not of type 'integer'",
        ),
        ({"id": 5}, "body.id: 5 is not of type 'string'"),
        ({"id": "y"}, "body.id: 'y' does not match '^x'"),
    ],
)
def test_an_error_under_a_choice_is_the_named_branchs(value: object, message: str) -> None:
    """A oneOf/anyOf whose branches each require their own member is judged by the member the
    instance names; under "X or null" the error is X's. Without the document, best_match's."""
    from sequence_contract.spec import Validators, describe

    check = Validators(CHOICES).check("/components/schemas/Holder")
    error = check.first_error(value)
    assert error is not None
    assert describe(error, "body") == message


def test_without_the_choice_rule_best_match_blames_a_branch_never_meant() -> None:
    """What the rule above mends: best_match alone reports a member the node never meant."""
    from sequence_contract.spec import Validators, describe

    check = Validators(CHOICES).check("/components/schemas/Holder")
    plain = first_error(check.full, {"node": {"leaf": 1, "any": []}})
    assert plain is not None
    assert "exactly one" not in describe(plain, "body")
