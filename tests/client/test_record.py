"""``connect(record=PATH)`` and ``connect(spec=PATH)``: the client's own record of its traffic,
and its checks against another contract."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import yaml
from sequence_api_client.api.cards import get_card
from sequence_api_client.api.rule_executions import list_rule_executions

from sequence_contract import ContractError, Sequence, connect
from sequence_contract.traffic import conformance
from sequence_contract.traffic._usage import Usage
from sequence_contract.traffic.validate import main as validate
from tests.fixtures.evidence.build import KEY, build

ROOT = Path(__file__).resolve().parents[2]


def server(request: httpx.Request) -> httpx.Response:
    """The evidence HAR's answers (tests/fixtures/evidence), by path."""
    for entry in build()["log"]["entries"]:
        url = httpx.URL(entry["request"]["url"])
        if url.path == request.url.path and entry["response"]["status"] == 200:
            headers = {h["name"]: h["value"] for h in entry["response"]["headers"]}
            return httpx.Response(200, headers=headers, text=entry["response"]["content"]["text"])
    return httpx.Response(404, json={"error": {"code": "not_found", "message": "no"}})


def test_each_exchange_is_recorded_without_the_key(tmp_path: Path) -> None:
    record = tmp_path / "client.ndjson"
    client = connect(KEY, transport=httpx.MockTransport(server), record=record)
    page = list_rule_executions.sync(client=client, rule_id="rule_01HXYZ1234")
    assert page is not None
    lines = [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines()]
    assert [(r["operation"], r["status"]) for r in lines] == [("listRuleExecutions", 200)]
    assert lines[0]["request"]["headers"]["authorization"] == "ApiKey [redacted]"
    assert KEY not in record.read_text(encoding="utf-8")
    usage, errors = Usage.extract([record], conformance())
    assert errors == []
    assert "data[].duration_ms" in usage.operations["listRuleExecutions"].response_fields["200"]
    assert validate([str(record)]) == 0  # an undocumented field is info, not a violation


def test_strict_checks_follow_the_spec_given(tmp_path: Path) -> None:
    strict = connect(KEY, transport=httpx.MockTransport(server), validate="strict")
    with pytest.raises(ContractError, match="suspended"):
        get_card.sync_detailed("card_01HABC4567", client=strict)
    document = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    document["components"]["schemas"]["CardStatus"]["enum"].append("suspended")
    patched = tmp_path / "patched.yaml"
    patched.write_text(yaml.safe_dump(document), encoding="utf-8")
    client = connect(KEY, transport=httpx.MockTransport(server), validate="strict", spec=patched)
    # The generated parser still knows only the old enum (until scripts/generate): ask raw.
    assert client.get_httpx_client().get("/cards/card_01HABC4567").status_code == 200
    assert list(client.violations) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "no such file"), ("openapi: [", "is not an OpenAPI document"),
     ("openapi: 3.1.0\npaths: {}\n", "has no operations")],
)  # fmt: skip
def test_a_spec_that_is_none_is_refused(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "other.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        connect(KEY, spec=path)


def test_the_facade_passes_spec_and_record_through(tmp_path: Path) -> None:
    record = tmp_path / "facade.ndjson"
    transport = httpx.MockTransport(server)
    spec = ROOT / "openapi.yaml"
    with Sequence(KEY, transport=transport, spec=spec, record=record, validate="warn") as client:
        first = next(iter(client.rule_executions.list(rule_id="rule_01HXYZ1234")))
    assert first.id == "rex_01HABC4567"
    (line,) = record.read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["operation"] == "listRuleExecutions"
