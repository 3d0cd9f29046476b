"""Every request is validated against openapi.yaml; each kind of problem is a named 400."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from sequence_contract import spec as _spec
from sequence_contract.mock.http._validation import MAX_BODY_BYTES, MAX_NESTING, coerce
from tests.fixtures.mock import Mock

TRANSFER = (
    b'{"source_account_id":"acc_01HGHI7890",'
    b'"destination_account_id":"acc_01HABC4567","amount_in_cents":100}'
)
JSON = {"Content-Type": "application/json"}


def _message(mock: Mock, operation_id: str, response: httpx.Response) -> str:
    assert response.status_code == 400, response.text
    body = mock.conforms(operation_id, response)
    assert body is not None
    assert body["error"]["code"] == "bad_request"
    message = body["error"]["message"]
    assert isinstance(message, str)
    return message


@pytest.mark.parametrize(
    ("path", "operation_id"),
    [
        ("/accounts/12345", "getAccount"),
        ("/accounts/rule_01HXYZ1234", "getAccount"),
        ("/rules/acc_1", "getRule"),
        ("/rule-executions/rex_", "getRuleExecution"),
        ("/transfers/txr_ab-cd", "getTransfer"),
        ("/cards/card_%20x", "getCard"),
    ],
)
def test_path_parameters(mock: Mock, api: httpx.Client, path: str, operation_id: str) -> None:
    message = _message(mock, operation_id, api.get(path))
    assert message.startswith("Invalid path parameter `id`: ")
    assert "does not match" in message


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"type": "checking"}, "Invalid query parameter `type`: 'checking' is not one of"),
        ({"type": ""}, "query parameter `type`"),
    ],
)
def test_query_enums(mock: Mock, api: httpx.Client, params: dict[str, str], needle: str) -> None:
    assert needle in _message(mock, "listAccounts", api.get("/accounts", params=params))


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({}, "Missing required query parameter `rule_id`."),
        ({"rule_id": "acc_1"}, "Invalid query parameter `rule_id`"),
        ({"rule_id": "rule_1", "status": "done"}, "`status`"),
        ({"rule_id": "rule_1", "trigger_type": "MANUAL"}, "`trigger_type`"),
        ({"rule_id": "rule_1", "from": "yesterday"}, "`from`: 'yesterday' is not a 'date-time'"),
        ({"rule_id": "rule_1", "to": "2024-02-30T00:00:00Z"}, "`to`"),
        ({"rule_id": "rule_1", "to": "2024-04-01"}, "`to`"),
        ({"rule_id": "rule_1", "first": "1e2"}, "`first`: '1e2' is not of type 'integer'"),
        ({"rule_id": "rule_1", "after": ""}, "`after`"),
    ],
)
def test_query_parameters(
    mock: Mock, api: httpx.Client, params: dict[str, str], needle: str
) -> None:
    assert needle in _message(
        mock, "listRuleExecutions", api.get("/rule-executions", params=params)
    )


def test_integers_in_query_strings_are_coerced(api: httpx.Client) -> None:
    body = api.get("/rule-executions", params={"rule_id": "rule_01HXYZ1234", "first": "1"}).json()
    assert len(body["data"]) == 1
    assert coerce("12", "integer") == 12
    assert coerce("-1.5", "number") == -1.5
    assert coerce("true", "boolean") is True
    assert coerce("9" * 40, "integer") == "9" * 40  # left as a string: fails as a type


def test_unknown_query_parameters_are_tolerated(api: httpx.Client) -> None:
    assert api.get("/accounts", params={"page": "2", "utm": "x"}).status_code == 200


def test_a_documented_parameter_given_twice_is_400(mock: Mock, api: httpx.Client) -> None:
    response = api.get("/accounts?type=pod&type=pod")
    assert "`type` must be given only once" in _message(mock, "listAccounts", response)


@pytest.mark.parametrize(
    ("content", "headers", "needle"),
    [
        (b"", JSON, "Request body is required"),
        (
            TRANSFER,
            {"Content-Type": "text/plain"},
            "Content-Type must be application/json, got text/plain",
        ),
        (TRANSFER, {}, "Content-Type must be application/json, got none"),
        (b'{"source_account_id": ', JSON, "Request body is not valid JSON"),
        (b'{"amount_in_cents": NaN}', JSON, "NaN is not JSON"),
        (b'{"amount_in_cents": 1e400}', JSON, "1e400 is out of range"),
        (b"\xff\xfe{}", JSON, "not valid UTF-8"),
        (b"[]", JSON, "Invalid request body: body: [] is not of type 'object'"),
        (b"{}", JSON, "'source_account_id' is a required property"),
        (
            TRANSFER.replace(b"100", b'"100"'),
            JSON,
            "body.amount_in_cents: '100' is not of type 'integer'",
        ),
        (TRANSFER.replace(b"acc_01HGHI7890", b"01HGHI7890"), JSON, "body.source_account_id"),
        (b"[" * 100_000 + b"]" * 100_000, JSON, "Request body is nested too deeply."),
    ],
)
def test_bodies(
    mock: Mock, api: httpx.Client, content: bytes, headers: dict[str, str], needle: str
) -> None:
    response = api.post("/transfers", content=content, headers=headers)
    assert needle in _message(mock, "createTransfer", response)


def test_json_with_a_charset_is_fine(api: httpx.Client) -> None:
    headers = {"Content-Type": "application/json; charset=utf-8"}
    assert api.post("/transfers", content=TRANSFER, headers=headers).status_code == 201


def test_extra_body_members_are_tolerated(api: httpx.Client) -> None:
    body = TRANSFER[:-1] + b',"memo":"x"}'
    assert api.post("/transfers", content=body, headers=JSON).status_code == 201


def test_oversized_bodies_are_400(mock: Mock, api: httpx.Client) -> None:
    padding = b" " * (MAX_BODY_BYTES + 1)
    response = api.post("/transfers", content=TRANSFER + padding, headers=JSON)
    assert "too large" in _message(mock, "createTransfer", response)

    def chunks() -> object:
        yield TRANSFER
        yield padding

    streamed = api.post("/transfers", content=chunks(), headers=JSON)  # type: ignore[arg-type]
    assert "too large" in _message(mock, "createTransfer", streamed)


@pytest.mark.parametrize("depth", [200, 3_000])
def test_deeply_nested_rules_are_400_not_500(mock: Mock, api: httpx.Client, depth: int) -> None:
    node = '{"condition": {"fact": "DATE", "value": 1}}'
    for _ in range(depth):
        node = f'{{"all": [{node}]}}'
    steps = f'[{{"conditions": {node}}}]'
    body = f'{{"status": "enabled", "trigger": {{"type": "MANUAL"}}, "steps": {steps}}}'
    response = api.post("/rules", content=body.encode(), headers=JSON)
    assert "nested too deeply" in _message(mock, "createRule", response)


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"manual_execute_amount": -1}, "body.manual_execute_amount: -1 is less than the minimum"),
        ({"manual_execute_amount": 1.5}, "is not of type 'integer'"),
        (None, "Request body is required"),
    ],
)
def test_trigger_bodies(mock: Mock, api: httpx.Client, body: object, needle: str) -> None:
    response = api.post("/rules/rule_01HABC9999/trigger", json=body)
    assert needle in _message(mock, "triggerRule", response)


@pytest.mark.parametrize(
    ("mutate", "needle"),
    [
        (lambda rule: rule.pop("steps"), "'steps' is a required property"),
        (lambda rule: rule.update(steps=[]), "body.steps"),
        (lambda rule: rule.update(status="paused"), "body.status"),
        (lambda rule: rule["trigger"].update(type="manual"), "body.trigger.type"),
        (lambda rule: rule.update(nickname=None), "body.nickname"),
    ],
)
def test_rule_bodies(mock: Mock, api: httpx.Client, mutate: object, needle: str) -> None:
    rule: dict[str, object] = {
        "nickname": "n",
        "status": "enabled",
        "trigger": {"type": "MANUAL", "account_id": "acc_01HGHI7890"},
        "steps": [{"conditions": None}],
    }
    mutate(rule)  # type: ignore[operator]
    assert needle in _message(mock, "createRule", api.post("/rules", json=rule))


def test_bodies_are_ignored_where_none_is_documented(api: httpx.Client) -> None:
    response = api.request("DELETE", "/rules/rule_01HXYZ1234", content=b"not json", headers=JSON)
    assert response.status_code == 204


@pytest.mark.parametrize(
    ("headers", "label"),
    [
        ({"Idempotency-Key": "x" * 37}, "header parameter `Idempotency-Key`"),
        ({"X-Request-ID": "r" * 300}, "header parameter `X-Request-ID`"),
    ],
)
def test_header_errors_name_the_header_as_the_spec_spells_it(
    api: httpx.Client, headers: dict[str, str], label: str
) -> None:
    body = {
        "source_account_id": "acc_01HGHI7890",
        "destination_account_id": "acc_01HABC4567",
        "amount_in_cents": 100,
    }
    response = api.post("/transfers", json=body, headers=headers)
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith(f"Invalid {label}: ")


def _arrays(depth: int) -> str:
    return "[" * depth + "]" * depth


def _transfer_memo(depth: int) -> str:
    """A transfer whose tolerated extra member makes the body ``depth`` levels deep."""
    return TRANSFER.decode()[:-1] + f',"memo":{_arrays(depth - 1)}}}'


def _rule_trigger_member(depth: int) -> str:
    """A rule whose trigger carries an extra member: stored as sent, answered back."""
    member = _arrays(depth - 2)
    trigger = f'{{"type":"MANUAL","account_id":"acc_01HGHI7890","x":{member}}}'
    return f'{{"status":"enabled","trigger":{trigger},"steps":[{{"conditions":null}}]}}'


def _rule_conditions(depth: int, fact: str = "DATE") -> str:
    """A rule whose condition tree makes the body ``depth`` levels deep (two per ``all``)."""
    params = ',"params":{}' if depth % 2 == 0 else ""  # a leaf of three levels, else two
    node = f'{{"condition":{{"fact":"{fact}","value":1{params}}}}}'
    for _ in range((depth - 5 - bool(params)) // 2):
        node = f'{{"all":[{node}]}}'
    trigger = '{"type":"MANUAL","account_id":"acc_01HGHI7890"}'
    return f'{{"status":"enabled","trigger":{trigger},"steps":[{{"conditions":{node}}}]}}'


def _rule_bad_leaf(depth: int) -> str:
    """The same tree with an unknown fact at the bottom: the schema error is found that deep."""
    return _rule_conditions(depth, fact="NOPE")


def _depth(value: object) -> int:
    if isinstance(value, dict):
        value = list(value.values())
    if not isinstance(value, list):
        return 0
    return 1 + max((_depth(child) for child in value), default=0)


Shape = Callable[[int], str]
# operationId, path, body shape, status at the limit (None: 201, or 400 if the schema forbids
# the undocumented member it carries).
NESTED = [
    pytest.param("createTransfer", "/transfers", _transfer_memo, None, id="transfer-member"),
    pytest.param("createRule", "/rules", _rule_trigger_member, None, id="rule-member"),
    pytest.param("createRule", "/rules", _rule_conditions, 201, id="rule-condition-tree"),
    pytest.param("createRule", "/rules", _rule_bad_leaf, 400, id="rule-bad-leaf"),
]


def _stored(mock: Mock) -> tuple[int, int]:
    return len(mock.store.rules), len(mock.store.transfers)


@pytest.mark.parametrize(("operation_id", "path", "shape", "status"), NESTED)
def test_a_body_nested_to_the_limit_is_served(
    mock: Mock, api: httpx.Client, operation_id: str, path: str, shape: Shape, status: int | None
) -> None:
    body = shape(MAX_NESTING)
    assert _depth(json.loads(body)) == MAX_NESTING == 64
    response = api.post(path, content=body.encode(), headers=JSON)
    mock.conforms(operation_id, response)
    assert response.status_code == (status or response.status_code), response.text
    if response.status_code == 400:  # refused for what the schema says, never for its depth
        message = response.json()["error"]["message"]
        assert message.startswith("Invalid request body: body.")
        return
    assert response.status_code == 201, response.text
    if operation_id == "createRule":  # the stored rule answers too
        rule_id = response.json()["data"]["id"]
        assert api.get(f"/rules/{rule_id}").json()["data"] == response.json()["data"]
        assert api.get("/rules").status_code == 200


@pytest.mark.parametrize(("operation_id", "path", "shape", "status"), NESTED)
def test_a_body_nested_one_past_the_limit_is_400_naming_it(
    mock: Mock, api: httpx.Client, operation_id: str, path: str, shape: Shape, status: object
) -> None:
    body = shape(MAX_NESTING + 1)
    assert _depth(json.loads(body)) == MAX_NESTING + 1
    before = _stored(mock)
    response = api.post(path, content=body.encode(), headers=JSON)
    message = _message(mock, operation_id, response)
    assert message == (
        "Request body is nested too deeply. The limit is 64 levels of arrays and objects."
    )
    assert _stored(mock) == before


@pytest.mark.parametrize(("operation_id", "path", "shape", "status"), NESTED)
def test_bodies_nested_near_the_interpreters_recursion_limit_are_400_and_store_nothing(
    mock: Mock, api: httpx.Client, operation_id: str, path: str, shape: Shape, status: object
) -> None:
    """The original bug: a rule ~960 deep parsed, was stored, then failed while answered (500);
    the 500 released the Idempotency-Key, so each retry stored another copy."""
    before = _stored(mock)
    limit = sys.getrecursionlimit()
    for depth in range(limit - 100, limit + 10):
        for _ in range(3):
            headers = {**JSON, "Idempotency-Key": f"deep-{depth}"}
            response = api.post(path, content=shape(depth).encode(), headers=headers)
            assert response.status_code == 400, (depth, response.text)
            assert "The limit is 64 levels" in response.json()["error"]["message"]
    assert _stored(mock) == before


def test_the_nesting_limit_is_documented() -> None:
    """The mock's guide and the spec's 400 response state the limit the code enforces."""
    phrase = f"nested deeper than {MAX_NESTING} arrays and objects"
    readme = (Path(__file__).parents[2] / "docs/guides/mock.md").read_text(encoding="utf-8")
    assert phrase in " ".join(readme.split())
    described = _spec.load_spec()["components"]["responses"]["BadRequest"]["description"]
    assert phrase in " ".join(described.split())
