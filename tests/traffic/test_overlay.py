"""``validate --overlay``: one Overlay 1.0.0 action per divergence and place, with its evidence."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from oas_patch.validator import load_schema

from sequence_contract.conformance._exchange import Exchange, check
from sequence_contract.spec import model
from sequence_contract.traffic import conformance
from sequence_contract.traffic._evidence import Evidence
from sequence_contract.traffic._overlay import Builder, dumps, infer, jsonpath
from sequence_contract.traffic.validate import main as validate
from tests.fixtures.evidence.build import HAR, KEY, build

Json = Any
CARD_URL = "https://api.getsequence.io/api/v1/cards/card_01HABC4567"


def overlay_of(exchanges: list[Exchange]) -> dict[str, Json]:
    spec = model()
    evidence = Evidence(spec)
    for exchange in exchanges:
        evidence.add(check(conformance(), exchange))
    return Builder(spec).document(evidence.findings.values(), extends="openapi.yaml")


def card_exchange(
    change: Callable[[dict[str, Json]], object],
    *,
    at: str = "2026-12-01T10:00:00Z",
    rid: str = "req_1",
    headers: dict[str, str] | None = None,
    status: int = 200,
) -> Exchange:
    """getCard's documented answer, changed by ``change``."""
    entry = build()["log"]["entries"][1]
    body = json.loads(entry["response"]["content"]["text"])
    body["data"]["status"] = "active"  # as documented, before the change
    change(body["data"])
    return Exchange(
        method="GET",
        url=CARD_URL,
        status=status,
        request_headers={"authorization": f"ApiKey {KEY}"},
        response_headers={
            "content-type": "application/json",
            "x-request-id": rid,
            **(headers or {}),
        },
        content=json.dumps(body).encode(),
        started=at,
    )


def test_the_evidence_har_gives_one_action_per_divergence(tmp_path: Path) -> None:
    out = tmp_path / "overlay.yaml"
    assert validate([str(HAR), "--overlay", str(out)]) == 1  # a [doc] enum broken
    text = out.read_text(encoding="utf-8")
    document = yaml.safe_load(text)
    actions = document["actions"]
    assert [a["target"] for a in actions] == [
        "$.components.schemas.CardStatus.enum",  # contradicts [doc]: first
        "$.components.schemas.RuleExecutionSummary",
        "$.paths['/rule-executions'].get.responses",
    ]
    assert actions[0]["x-contradicts"] == "doc"
    assert actions[0]["update"] == "suspended"
    assert all("x-contradicts" not in a for a in actions[1:])
    assert actions[1]["update"] == {"properties": {"duration_ms": {"type": "integer"}}}
    assert actions[2]["update"] == {
        "404": {
            "description": "Observed: not in the documentation.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
    }
    for action in actions:
        assert action["x-provenance"] == "observed"
        assert set(action["x-evidence"]) == {
            "count",
            "first_seen",
            "last_seen",
            "request_ids",
            "example",
        }
        assert len(action["x-evidence"]["request_ids"]) <= 3
        assert action["description"]
    assert actions[1]["x-evidence"] == {
        "count": 2,
        "first_seen": "2026-12-01T09:00:00.000Z",
        "last_seen": "2026-12-01T09:03:00.000Z",
        "request_ids": ["req_01HEV0001", "req_01HEV0005"],
        "example": "1200",
    }
    assert KEY not in text
    Draft202012Validator(load_schema("overlay_schema_1.0.0.yml")).validate(document)


def test_the_same_traffic_gives_the_same_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    validate([str(HAR), "--overlay", str(first)])
    validate([str(HAR), "--overlay", str(second)])
    assert first.read_bytes() == second.read_bytes()


def test_one_place_one_action_whatever_the_operations() -> None:
    """CardStatus is one enum: 'suspended' seen by getCard three times is one action."""
    exchanges = [
        card_exchange(lambda card: card.update(status="suspended"), rid=f"req_{n}",
                      at=f"2026-12-0{n}T10:00:00Z")
        for n in (3, 1, 2, 4)
    ]  # fmt: skip
    (action,) = overlay_of(exchanges)["actions"]
    assert action["x-evidence"]["count"] == 4
    assert action["x-evidence"]["first_seen"] == "2026-12-01T10:00:00Z"
    assert action["x-evidence"]["last_seen"] == "2026-12-04T10:00:00Z"
    assert action["x-evidence"]["request_ids"] == ["req_3", "req_1", "req_2"]


def test_an_absent_required_field_is_made_optional() -> None:
    (remove, again) = overlay_of([card_exchange(lambda card: card.pop("holder_name"))])["actions"]
    assert remove["target"] == "$.components.schemas.Card.required"
    assert remove["remove"] is True
    assert again["target"] == "$.components.schemas.Card"
    assert again["update"] == {
        "required": ["id", "type", "status", "last_four", "expiration_date", "account_id",
                     "created_at"],
    }  # fmt: skip
    assert remove["x-contradicts"] == again["x-contradicts"] == "doc"


def test_a_value_outside_the_type_widens_it() -> None:
    (action,) = overlay_of([card_exchange(lambda card: card.update(holder_name=None))])["actions"]
    assert action["target"] == "$.components.schemas.Card.properties.holder_name"
    assert action["update"] == {"type": ["string", "null"]}


def test_an_undocumented_header_is_added_to_its_response() -> None:
    exchanges = [card_exchange(lambda card: None, headers={"x-ratelimit-remaining": str(n)})
                 for n in (99, 98)]  # fmt: skip
    (action,) = overlay_of(exchanges)["actions"]
    assert action["target"] == "$.paths['/cards/{id}'].get.responses['200']"
    header = action["update"]["headers"]["X-Ratelimit-Remaining"]
    assert header["schema"] == {"type": "integer"}
    assert action["x-evidence"]["count"] == 2


def test_an_undocumented_open_enum_value_goes_to_its_known_values() -> None:
    entry = build()["log"]["entries"][0]
    body = json.loads(entry["response"]["content"]["text"])
    for item in body["data"]:
        item.pop("duration_ms")
    body["data"][0]["trigger_type"] = "webhook"
    exchange = Exchange("GET", "https://x/api/v1/rule-executions", 200, {},
                        {"content-type": "application/json", "x-request-id": "r"},
                        json.dumps(body).encode())  # fmt: skip
    (action,) = overlay_of([exchange])["actions"]
    assert action["target"] == (
        "$.components.schemas.RuleExecutionSummary.properties.trigger_type['x-known-values']"
    )
    assert action["update"] == "webhook"
    assert "x-contradicts" not in action  # an open set: nothing contradicted


@pytest.mark.parametrize(
    ("values", "schema"),
    [
        ([1, 2, None], {"type": ["integer", "null"]}),
        ([1, 2.5], {"type": "number"}),
        (["2026-01-01T00:00:00Z", None], {"type": ["string", "null"], "format": "date-time"}),
        (["2026-01-01"], {"type": "string", "format": "date"}),
        (["a", "b", "a", "b"], {"type": "string", "x-known-values": ["a", "b"]}),
        (["a", "b"], {"type": "string"}),  # each seen once: no enum from so little
        ([{"n": 1}], {"type": "object", "properties": {"n": {"type": "integer"}}}),
        ([["x", "x"]], {"type": "array", "items": {"type": "string", "x-known-values": ["x"]}}),
    ],
)
def test_a_new_field_is_typed_from_the_values_seen(values: list[Json], schema: Json) -> None:
    assert infer(values) == schema


def test_targets_are_rfc_9535_paths() -> None:
    assert jsonpath("/paths/~1cards~1{id}/get/responses/200") == (
        "$.paths['/cards/{id}'].get.responses['200']"
    )
    assert (
        jsonpath("/components/schemas/A/x-known-values")
        == "$.components.schemas.A['x-known-values']"
    )


def test_no_divergence_writes_no_overlay(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    har = copy.deepcopy(build())
    har["log"]["entries"] = [har["log"]["entries"][3]]  # the documented 401
    source = tmp_path / "clean.har"
    source.write_text(json.dumps(har), encoding="utf-8")
    out = tmp_path / "overlay.yaml"
    assert validate([str(source), "--overlay", str(out)]) == 0
    assert not out.exists()
    assert "no divergence to propose" in capsys.readouterr().err


def test_dumps_is_yaml_of_the_document() -> None:
    document = overlay_of([card_exchange(lambda card: card.update(status="suspended"))])
    assert yaml.safe_load(dumps(document)) == document
