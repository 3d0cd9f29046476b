"""Fixture files: the default organisation is valid and complete; bad files are named."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from sequence_contract.mock import FixtureError, default_fixtures, load_seed
from sequence_contract.spec import model
from tests.fixtures.mock import MakeMock, WriteFixtures

SCHEMAS = model().validators


def _default() -> dict[str, Any]:
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in default_fixtures().glob("*.json")
    }


def test_default_fixtures_load_and_cover_the_documented_examples() -> None:
    seed = load_seed(SCHEMAS)
    ids = {
        doc["id"]
        for member in ("accounts", "rules", "rule_executions", "transfers", "cards")
        for doc in getattr(seed, member)
    }
    for documented in (
        "acc_01HABC4567",
        "acc_01HGHI7890",
        "rule_01HXYZ1234",
        "rule_01HABC9999",
        "rex_01HABC4567",
        "txr_01HABC1111",
        "card_01HABC4567",
    ):
        assert documented in ids
    names = {doc["name"] for doc in seed.accounts}
    assert "Chase Checking ••4567" in names
    assert {doc["type"] for doc in seed.accounts} == {"income_source", "pod", "external_account"}
    assert "LIABILITY" in {doc["external_account_type"] for doc in seed.accounts}
    assert {doc["trigger"]["type"] for doc in seed.rules} == {
        "ON_FUNDS_TRANSFERRED",
        "MANUAL",
        "SCHEDULED",
    }
    assert "disabled" in {doc["status"] for doc in seed.rules}
    assert {doc["origin"] for doc in seed.transfers} >= {"rule", "user", "paycheck"}
    assert {key.key for key in seed.api_keys} == {
        "demo-all",
        "demo-readonly",
        "demo-one-account",
        "demo-one-rule",
        "demo-transfer-capped",
        "demo-none",
    }


def test_a_fixture_file_replaces_the_default_organisation(
    make_mock: MakeMock, write_fixtures: WriteFixtures
) -> None:
    accounts = _default()["accounts"][:1]
    keys = [{"key": "mine", "permissions": [{"scope": "LIST_ACCOUNTS"}]}]
    mock = make_mock(fixtures=write_fixtures({"accounts": accounts, "api_keys": keys}))
    assert mock.client("demo-all").get("/accounts").status_code == 401
    listed = mock.client("mine").get("/accounts").json()["data"]
    assert [account["id"] for account in listed] == ["acc_01HGHI7890"]


def test_a_fixture_directory_works_like_the_default(tmp_path: Path, make_mock: MakeMock) -> None:
    (tmp_path / "accounts.json").write_text(json.dumps(_default()["accounts"]), encoding="utf-8")
    mock = make_mock(fixtures=tmp_path)
    assert mock.store.accounts
    assert not mock.store.api_keys


def _broken(member: str, number: int, change: dict[str, Any]) -> dict[str, Any]:
    content = _default()
    content[member][number].update(change)
    return content


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            _broken("accounts", 1, {"type": "savings"}),
            r"accounts\[1\] \(acc_01HABC4567\): account\.type: 'savings' is not one of",
        ),
        (
            _broken("transfers", 0, {"amount_in_cents": 0}),
            r"transfers\[0\] \(txr_01HABC0999\): transfer\.amount_in_cents: 0 is less",
        ),
        (
            _broken("rules", 0, {"is_supported": "yes"}),
            r"rules\[0\] \(rule_01HXYZ1234\)\.is_supported: must be a boolean",
        ),
        (
            _broken("rule_executions", 0, {"rule_id": "rule_01HNOPE"}),
            r"rule_executions\[0\] \(rex_01HABC4567\): rule_id: unknown rule 'rule_01HNOPE'",
        ),
        (
            _broken("transfers", 1, {"id": "txr_01HABC0999"}),
            r"transfers\[1\] \(txr_01HABC0999\): duplicate id",
        ),
        (
            _broken("cards", 0, {"account_id": "acc_01HNOPE"}),
            r"cards\[0\] \(card_01HABC4567\): account_id: unknown account",
        ),
        (
            _broken("transfers", 2, {"source": {"id": "acc_01HNOPE", "name": "x", "type": "pod"}}),
            r"transfers\[2\] \(txr_01HDEF2222\): source\.id: unknown account",
        ),
        ({"accounts": {}}, r"accounts: must be a JSON array"),
        ({"wallets": []}, r"unknown member\(s\) \['wallets'\]"),
        ({"api_keys": [{"key": "a"}, {"key": "a"}]}, r"api_keys\[1\]: duplicate key"),
        (
            {"api_keys": [{"key": "a", "permissions": [{"scope": "ADMIN"}]}]},
            r"api_keys\[0\]\.permissions\[0\]\.scope: unknown scope 'ADMIN'",
        ),
    ],
)
def test_malformed_fixtures_name_the_bad_entry(
    write_fixtures: WriteFixtures, content: dict[str, Any], message: str
) -> None:
    path = write_fixtures(content)
    with pytest.raises(FixtureError, match=message) as caught:
        load_seed(SCHEMAS, path)
    assert str(caught.value).startswith(str(path))


def test_unreadable_fixture_files(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(FixtureError, match="not readable JSON"):
        load_seed(SCHEMAS, broken)
    with pytest.raises(FixtureError, match="no such fixture file"):
        load_seed(SCHEMAS, tmp_path / "missing.json")
    broken.write_text("[]", encoding="utf-8")
    with pytest.raises(FixtureError, match="must hold a JSON object"):
        load_seed(SCHEMAS, broken)


def test_card_transactions_need_id_and_time(write_fixtures: WriteFixtures) -> None:
    content = _default()
    del content["card_transactions"][0]["created_at"]
    with pytest.raises(FixtureError, match=r"created_at: required for ordering"):
        load_seed(SCHEMAS, write_fixtures(content))


def test_reset_restores_the_seed(make_mock: MakeMock) -> None:
    mock = make_mock()
    api = mock.client()
    api.delete("/rules/rule_01HXYZ1234")
    api.post("/rules/rule_01HABC9999/trigger", json={}, headers={"Idempotency-Key": "a"})
    mock.app.state.control.reset()
    assert api.get("/rules/rule_01HXYZ1234").status_code == 200
    assert len(mock.store.executions) == 5
    assert mock.store.pending_effects() == 0
    replay = api.post("/rules/rule_01HABC9999/trigger", json={}, headers={"Idempotency-Key": "a"})
    assert "Idempotent-Replayed" not in replay.headers


def test_the_mock_guide_lists_exactly_the_demo_keys() -> None:
    guide = (Path(__file__).parents[2] / "docs/guides/mock.md").read_text(encoding="utf-8")
    section = guide.split("## Demo keys", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\| `([a-z-]+)` \|", section, flags=re.MULTILINE)
    keys = [entry["key"] for entry in _default()["api_keys"]]
    assert listed == keys


def test_the_contract_suites_dictionaries_name_objects_the_mock_holds() -> None:
    """schemathesis.toml draws these ids so fuzzing reaches real objects; one the fixtures lost
    would quietly turn those cases into 404s."""
    suite = Path(__file__).resolve().parents[2] / "schemathesis.toml"
    config = tomllib.loads(suite.read_text(encoding="utf-8"))
    held = {
        record["id"]
        for name, records in _default().items()
        if name != "api_keys"
        for record in records
    }
    drawn = {value for entry in config["dictionaries"].values() for value in entry["values"]}
    assert drawn
    assert drawn <= held, sorted(drawn - held)
