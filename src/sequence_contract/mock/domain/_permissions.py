"""API keys and their permission entries, in the documentation's own terms.

A key holds entries ``{"scope": …, "resources": …}``. ``resources`` is a list of ids or ``"*"``
(either the string or a list holding it) for id-scoped scopes, absent for ``LIST_*`` scopes, and
a list of ``{"source", "target", "max_amount"?}`` for ``MANUAL_TRANSFER`` (explicit pairs only:
the documentation shows no wildcard there). Several entries of one scope add up.

Rule writes (createRule, updateRule, deleteRule) have no documented scope; the mock uses
``CREATE_AND_EDIT_RULES``, the name in the vendor's agent notes. Its ``resources`` are optional:
absent or ``*`` = any rule; a list of rule ids limits update and delete to those rules, while
create needs only the scope.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..state._records import FixtureError

RULE_WRITE_SCOPE = "CREATE_AND_EDIT_RULES"
WILDCARD = "*"

#: Scope → id prefix of its resources ("" = the scope takes no resources).
SCOPE_RESOURCES: dict[str, str] = {
    "LIST_ACCOUNTS": "",
    "READ_ACCOUNTS": "acc_",
    "LIST_RULES": "",
    "READ_RULES": "rule_",
    "TRIGGER_RULES": "rule_",
    "READ_RULE_EXECUTIONS": "rule_",
    "READ_TRANSFERS": "acc_",
    "MANUAL_TRANSFER": "acc_",
    "READ_CARDS": "acc_",
    RULE_WRITE_SCOPE: "rule_",
}


@dataclass(frozen=True, slots=True)
class TransferGrant:
    source: str
    target: str
    max_amount: int | None


@dataclass(slots=True)
class ApiKey:
    key: str
    name: str
    scopes: set[str] = field(default_factory=set)
    wildcard: set[str] = field(default_factory=set)
    resources: dict[str, set[str]] = field(default_factory=dict)
    transfers: list[TransferGrant] = field(default_factory=list)

    def allows(self, scope: str, resource: str | None = None) -> bool:
        """Whether the key holds ``scope`` and, for id-scoped scopes, ``resource`` is listed."""
        if scope not in self.scopes:
            return False
        if resource is None or scope in self.wildcard:
            return True
        return resource in self.resources.get(scope, set())

    def allows_any(self, scope: str, resources: list[str]) -> bool:
        """Whether one of ``resources`` is allowed; with none to name (a transfer between two
        external parties), only a key whose scope covers every resource may see it."""
        if not resources:
            return scope in self.scopes and scope in self.wildcard
        return any(self.allows(scope, resource) for resource in resources)

    def transfer_cap(self, source: str, target: str) -> tuple[bool, int | None]:
        """(allowed, max_amount) for a manual transfer; the most generous matching entry wins."""
        caps = [g.max_amount for g in self.transfers if (g.source, g.target) == (source, target)]
        if not caps:
            return False, None
        if any(cap is None for cap in caps):
            return True, None
        return True, max(cap for cap in caps if cap is not None)


_KEY_PATTERN = re.compile(r"^[!-~]{1,200}$")


def parse_key(raw: object, where: str) -> ApiKey:
    """Build an ``ApiKey`` from its fixture entry; ``where`` names the entry in error messages."""
    if not isinstance(raw, Mapping):
        raise FixtureError(f"{where}: a key entry must be an object")
    key = raw.get("key")
    if not isinstance(key, str) or not _KEY_PATTERN.match(key):
        raise FixtureError(f"{where}.key: must be 1-200 printable ASCII characters")
    name = raw.get("name", key)
    if not isinstance(name, str):
        raise FixtureError(f"{where}.name: must be a string")
    unknown = set(raw) - {"key", "name", "description", "permissions"}
    if unknown:
        raise FixtureError(f"{where}: unknown member(s) {sorted(unknown)}")
    entries = raw.get("permissions", [])
    if not isinstance(entries, list):
        raise FixtureError(f"{where}.permissions: must be a list")
    api_key = ApiKey(key=key, name=name)
    for number, entry in enumerate(entries):
        _add_entry(api_key, entry, f"{where}.permissions[{number}]")
    return api_key


def _add_entry(api_key: ApiKey, entry: object, where: str) -> None:
    if not isinstance(entry, Mapping) or set(entry) - {"scope", "resources"}:
        raise FixtureError(f"{where}: must be an object with `scope` and `resources`")
    scope = entry.get("scope")
    if scope not in SCOPE_RESOURCES:
        raise FixtureError(f"{where}.scope: unknown scope {scope!r}")
    prefix = SCOPE_RESOURCES[scope]
    resources = entry.get("resources")
    api_key.scopes.add(scope)
    if prefix == "":
        if resources not in (None, []):
            raise FixtureError(f"{where}.resources: {scope} takes no resources")
        return
    if scope == "MANUAL_TRANSFER":
        api_key.transfers.extend(_transfer_grants(resources, where))
        return
    if resources is None and scope == RULE_WRITE_SCOPE:
        api_key.wildcard.add(scope)
        return
    if resources == WILDCARD:
        resources = [WILDCARD]
    if not isinstance(resources, list):
        raise FixtureError(f"{where}.resources: must be a list of ids or '*'")
    allowed = api_key.resources.setdefault(scope, set())
    for number, resource in enumerate(resources):
        if resource == WILDCARD:
            api_key.wildcard.add(scope)
        elif isinstance(resource, str) and re.fullmatch(f"{prefix}[0-9A-Za-z]+", resource):
            allowed.add(resource)
        else:
            raise FixtureError(
                f"{where}.resources[{number}]: expected '*' or an id like {prefix}…, "
                f"got {resource!r}"
            )


def _transfer_grants(resources: object, where: str) -> list[TransferGrant]:
    if not isinstance(resources, list):
        raise FixtureError(f"{where}.resources: MANUAL_TRANSFER needs a list of pairs")
    grants = []
    for number, pair in enumerate(resources):
        spot = f"{where}.resources[{number}]"
        if not isinstance(pair, Mapping) or set(pair) - {"source", "target", "max_amount"}:
            raise FixtureError(f"{spot}: expected {{source, target, max_amount?}}")
        source, target = pair.get("source"), pair.get("target")
        for label, value in (("source", source), ("target", target)):
            if not isinstance(value, str) or not re.fullmatch(r"acc_[0-9A-Za-z]+", value):
                raise FixtureError(f"{spot}.{label}: expected an account id, got {value!r}")
        cap = pair.get("max_amount")
        if cap is not None and (not isinstance(cap, int) or isinstance(cap, bool) or cap < 0):
            raise FixtureError(f"{spot}.max_amount: expected whole cents >= 0, got {cap!r}")
        grants.append(TransferGrant(str(source), str(target), cap))
    return grants
