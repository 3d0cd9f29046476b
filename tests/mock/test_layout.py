"""The mock's layout: rooms for state, domain, webhooks and HTTP, layers that point one way, and
a change to one resource staying in that resource's module."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import httpx
import yaml

import sequence_contract.mock as mock_package
from sequence_contract import spec
from sequence_contract.mock import create_app, default_fixtures
from sequence_contract.mock._fixtures import MEMBERS
from sequence_contract.testing import SyncASGITransport

ROOT = Path(mock_package.__file__).parent
PACKAGE = "sequence_contract.mock"

#: Who may import whom: a module imports only from its own rank or below.
RANKS = {
    "_errors": 0,  # the one error and the one serialisation, shared by every layer
    "_json": 0,
    "state": 1,  # store and journal, transactions, indexes, clock, ids, idempotency, scenarios
    "domain": 2,  # one module per resource: what the API does
    "webhooks": 3,  # events out of committed changes, delivered apart from the API
    "_fixtures": 4,  # composing a seed: records, keys, approvals, subscribers
    "_control": 4,  # the admin operations (HTTP and Python both call these)
    "http": 5,  # ASGI entry, pipeline, envelope, validation, admin API
    "app": 6,  # composition and entry points
    "__init__": 6,
    "__main__": 6,
    "_sequence_mock": 6,
    "_collector": 6,
}


def _runtime_imports(path: Path, module: str) -> set[str]:
    """The mock modules ``path`` imports when it runs (``TYPE_CHECKING`` blocks left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if node.module is None:  # from . import a, b
                found.update(f"{target}.{alias.name}" for alias in node.names)
            else:
                found.add(target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return {name for name in found if name.startswith(PACKAGE + ".")}


def _room(module: str) -> str:
    return module[len(PACKAGE) + 1 :].split(".")[0] if module != PACKAGE else "__init__"


def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        found[".".join([PACKAGE, *parts]).removesuffix(".__init__")] = path
    return found


def test_the_rooms_and_nothing_loose_beside_them() -> None:
    rooms = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    assert rooms == {"state", "domain", "webhooks", "http"}
    loose = {p.stem for p in ROOT.glob("*.py")}
    assert loose == set(RANKS) - rooms
    assert {p.stem for p in (ROOT / "domain").glob("*.py")} >= {
        "accounts", "transfers", "rules", "rule_engine", "executions", "cards", "approvals",
    }  # fmt: skip


def test_layers_point_one_way() -> None:
    upward = []
    for module, path in _modules().items():
        rank = RANKS[_room(module)]
        for imported in _runtime_imports(path, module):
            if RANKS[_room(imported)] > rank:
                upward.append(f"{module} -> {imported}")
    assert upward == []


def test_a_new_transfer_field_needs_the_spec_the_fixtures_and_one_domain_module(
    tmp_path: Path,
) -> None:
    """The spec and the fixtures carry a new field through as they are (no code names it); the
    transfers the API makes are built in one place, ``domain/transfers.py``, which would set it."""
    document = spec.load_spec()
    document["components"]["schemas"]["Transfer"]["properties"]["memo"] = {
        "type": ["string", "null"],
        "x-provenance": "choice",
    }
    spec_file = tmp_path / "openapi.yaml"
    spec_file.write_text(yaml.safe_dump(document), encoding="utf-8")
    fixtures = {
        member: json.loads(file.read_text(encoding="utf-8"))
        for member in MEMBERS
        if (file := default_fixtures() / f"{member}.json").is_file()
    }
    fixtures["transfers"][0]["memo"] = "rent"
    fixtures_file = tmp_path / "fixtures.json"
    fixtures_file.write_text(json.dumps(fixtures), encoding="utf-8")
    app = create_app(spec=spec_file, fixtures=fixtures_file)
    ident = fixtures["transfers"][0]["id"]
    with httpx.Client(
        transport=SyncASGITransport(app),
        base_url="http://mock.test/api/v1",
        headers={"Authorization": "ApiKey demo-all"},
    ) as client:
        assert client.get(f"/transfers/{ident}").json()["data"]["memo"] == "rent"
    builders = {
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if any(
            isinstance(node, ast.Call) and ast.unparse(node.func) == "Transfer"
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        )
    }
    # the store's fixture loading passes unknown members through (Transfer.extra)
    assert builders == {"domain/transfers.py", "state/_store.py"}
