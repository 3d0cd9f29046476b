"""Fixture files: the seed organisation and its API keys.

Default: ``mock/fixtures/<resource>.json``, one JSON array per resource (``accounts``, ``rules``,
``rule_executions``, ``transfers``, ``cards``, ``card_transactions``, ``api_keys``). A user's
``--fixtures FILE`` replaces all of it: one JSON object with those members (each optional), or a
directory laid out like the default one.

Every record is validated against the spec's schema for it (``Account``, ``Rule``, …) and the
references between records are checked; the first problem stops start-up with a
``FixtureError`` naming the file and the entry. Two members are the mock's own, with no schema
in the spec: ``webhooks`` (``[{"url", "events"?}]``, loopback URLs; see ``_subscribers``) and
``approvals`` (which new transfers wait for approval; see ``_approvals``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from .._events import known_events
from ..spec import Validators, describe, escape
from .domain._permissions import parse_key
from .domain.approvals import parse_approvals
from .state._records import Doc, FixtureError
from .state._store import Seed
from .webhooks._subscribers import SubscriberError, fixture_subscribers

#: Fixture member → spec component its records must satisfy.
SCHEMAS = {
    "accounts": "Account",
    "rules": "Rule",
    "rule_executions": "RuleExecution",
    "transfers": "Transfer",
    "cards": "Card",
    "card_transactions": "CardTransaction",
}
MEMBERS = (*SCHEMAS, "api_keys", "webhooks", "approvals")

#: Fixture member → the file it came from (for error messages).
Origin = Callable[[str], str]


def default_fixtures() -> Path:
    return Path(str(resources.files("sequence_contract.mock") / "fixtures"))


def load_seed(schemas: Validators, path: Path | None = None) -> Seed:
    raw, origin = read_fixtures(path or default_fixtures())
    return _seed(schemas, raw, origin)


def seed_from(schemas: Validators, content: object, where: str) -> Seed:
    """The seed in ``content``, a fixture file's JSON object (``PUT /_mock/fixtures``)."""
    return _seed(schemas, _members(content, where), lambda member: where)


def _seed(schemas: Validators, raw: dict[str, Any], origin: Origin) -> Seed:
    seed = Seed()
    for member, schema in SCHEMAS.items():
        records = raw.get(member, [])
        where = f"{origin(member)}: {member}"
        if not isinstance(records, list):
            raise FixtureError(f"{where}: must be a JSON array")
        check = schemas.check(f"/components/schemas/{escape(schema)}")
        for number, record in enumerate(records):
            label = f"{where}[{number}]"
            if isinstance(record, dict) and isinstance(record.get("id"), str):
                label += f" ({record['id']})"
            checked = dict(record) if isinstance(record, dict) else record
            if member == "rules" and isinstance(checked, dict):
                supported = checked.pop("is_supported", True)
                if not isinstance(supported, bool):
                    raise FixtureError(f"{label}.is_supported: must be a boolean")
            error = check.first_error(checked)
            if error is not None:
                raise FixtureError(f"{label}: {describe(error, member[:-1])}")
        getattr(seed, member).extend(records)
    keys = raw.get("api_keys", [])
    if not isinstance(keys, list):
        raise FixtureError(f"{origin('api_keys')}: api_keys: must be a JSON array")
    seen: set[str] = set()
    for number, entry in enumerate(keys):
        api_key = parse_key(entry, f"{origin('api_keys')}: api_keys[{number}]")
        if api_key.key in seen:
            raise FixtureError(f"{origin('api_keys')}: api_keys[{number}]: duplicate key")
        seen.add(api_key.key)
        seed.api_keys.append(api_key)
    _check_references(seed, origin)
    if "webhooks" in raw:
        where = f"{origin('webhooks')}: webhooks"
        try:
            seed.webhooks.extend(fixture_subscribers(raw["webhooks"], where, known_events()))
        except SubscriberError as problem:
            raise FixtureError(str(problem)) from None
    if "approvals" in raw:
        accounts = {str(record["id"]) for record in seed.accounts}
        where = f"{origin('approvals')}: approvals"
        seed.approvals.extend(parse_approvals(raw["approvals"], where, accounts))
    return seed


def read_fixtures(path: Path) -> tuple[dict[str, Any], Origin]:
    """A fixture file's (or directory's) members, unchecked, and where each came from."""
    if path.is_dir():
        raw: dict[str, Any] = {}
        for member in MEMBERS:
            file = path / f"{member}.json"
            if file.is_file():
                raw[member] = _parse(file)
        return raw, lambda member: str(path / f"{member}.json")
    if not path.is_file():
        raise FixtureError(f"{path}: no such fixture file or directory")
    return _members(_parse(path), str(path)), lambda member: str(path)


def _members(content: object, where: str) -> dict[str, Any]:
    if not isinstance(content, dict):
        raise FixtureError(f"{where}: must hold a JSON object with members {', '.join(MEMBERS)}")
    unknown = sorted(set(content) - set(MEMBERS))
    if unknown:
        raise FixtureError(f"{where}: unknown member(s) {unknown}; expected {', '.join(MEMBERS)}")
    return content


def _parse(file: Path) -> object:
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as problem:
        raise FixtureError(f"{file}: not readable JSON: {problem}") from None


def _check_references(seed: Seed, origin: Origin) -> None:
    ids: dict[str, set[str]] = {}
    for member in SCHEMAS:
        seen: set[str] = set()
        for number, record in enumerate(getattr(seed, member)):
            ident = record.get("id")
            if member == "card_transactions" and not isinstance(ident, str):
                _fail(origin, member, number, record, "id: required for the mock")
            if ident in seen:
                _fail(origin, member, number, record, f"duplicate id {ident!r}")
            seen.add(ident)
            if member in ("transfers", "card_transactions") and "created_at" not in record:
                _fail(origin, member, number, record, "created_at: required for ordering")
        ids[member] = seen

    def expect(member: str, number: int, record: Doc, field: str, value: object, pool: str) -> None:
        if value is not None and value not in ids[pool]:
            _fail(origin, member, number, record, f"{field}: unknown {pool[:-1]} {value!r}")

    for number, record in enumerate(seed.accounts):
        linked = (record.get("linked_account") or {}).get("id")
        expect("accounts", number, record, "linked_account.id", linked, "accounts")
    for number, record in enumerate(seed.rules):
        trigger = record.get("trigger") or {}
        expect("rules", number, record, "trigger.account_id", trigger.get("account_id"), "accounts")
    for number, record in enumerate(seed.rule_executions):
        expect("rule_executions", number, record, "rule_id", record.get("rule_id"), "rules")
        for ident in record.get("transfer_ids") or []:
            expect("rule_executions", number, record, "transfer_ids", ident, "transfers")
    for number, record in enumerate(seed.transfers):
        for side in ("source", "destination"):
            party = record.get(side) or {}
            expect("transfers", number, record, f"{side}.id", party.get("id"), "accounts")
        expect("transfers", number, record, "rule_id", record.get("rule_id"), "rules")
        rex = record.get("rule_execution_id")
        expect("transfers", number, record, "rule_execution_id", rex, "rule_executions")
    for number, record in enumerate(seed.cards):
        expect("cards", number, record, "account_id", record.get("account_id"), "accounts")
    for number, record in enumerate(seed.card_transactions):
        expect("card_transactions", number, record, "card_id", record.get("card_id"), "cards")


def _fail(origin: Origin, member: str, number: int, record: Doc, problem: str) -> None:
    raise FixtureError(f"{origin(member)}: {member}[{number}] ({record.get('id')}): {problem}")
