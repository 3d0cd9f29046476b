"""The facade follows the spec: scripts/generate on a changed copy of openapi.yaml changes the
generated methods, with no hand edit; the naming rule gives the documented surface."""

from __future__ import annotations

import ast
import os
import subprocess
from pathlib import Path

import pytest

from sequence_contract import AsyncSequence, Sequence
from sequence_contract.spec import model

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "openapi.yaml"

#: The issue's table: resource -> method -> operationId.
SURFACE = {
    "accounts": {"list": "listAccounts", "get": "getAccount"},
    "rules": {
        "list": "listRules",
        "get": "getRule",
        "create": "createRule",
        "update": "updateRule",
        "delete": "deleteRule",
        "trigger": "triggerRule",
    },
    "rule_executions": {"list": "listRuleExecutions", "get": "getRuleExecution"},
    "transfers": {"list": "listTransfers", "get": "getTransfer", "create": "createTransfer"},
    "cards": {"list": "listCards", "get": "getCard", "list_transactions": "listCardTransactions"},
}


def methods_of(resource: object) -> dict[str, str]:
    """method -> operationId, read from each generated method's docstring."""
    found = {}
    for name in dir(resource):
        doc = getattr(getattr(resource, name), "__doc__", None) or ""
        if not name.startswith("_") and "``" in doc and "(``" in doc:
            found[name] = doc.split("(``", 1)[1].split("``", 1)[0]
    return found


@pytest.mark.parametrize("cls", [Sequence, AsyncSequence])
def test_every_operation_has_its_method(cls: type[Sequence] | type[AsyncSequence]) -> None:
    client = cls("demo-all", base_url="http://mock.test/api/v1")
    surface = {resource: methods_of(getattr(client, resource)) for resource in SURFACE}
    assert surface == SURFACE
    raw = {
        resource: methods_of(getattr(client.with_raw_response, resource)) for resource in SURFACE
    }
    assert raw == SURFACE
    covered = {op for methods in SURFACE.values() for op in methods.values()}
    assert covered == {op.operation_id for op in model().operations}


def signatures(path: Path, cls: str) -> dict[str, list[str]]:
    """method -> argument names of class ``cls`` in a generated resource module (the last
    definition of an overloaded method: its implementation)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    (node,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls]
    found = {}
    for item in node.body:
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
            args = item.args
            found[item.name] = [a.arg for a in args.args + args.kwonlyargs][1:]
    return found


def generate(spec: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - the project's own script
        [str(ROOT / "scripts" / "generate"), str(out)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, "SEQUENCE_SPEC": str(spec)},
        timeout=600,
    )


def test_a_spec_change_changes_the_facade(tmp_path: Path) -> None:
    text = SPEC.read_text(encoding="utf-8")
    renamed = "    get:\n      operationId: getAccount\n"
    added_after = "          description: Only accounts of this type.\n          schema:\n"
    assert text.count(renamed) == 1
    assert text.count(added_after) == 1
    text = text.replace(renamed, renamed + "      x-sdk-name: fetch\n")
    text = text.replace(
        added_after + '            $ref: "#/components/schemas/AccountType"\n',
        added_after
        + '            $ref: "#/components/schemas/AccountType"\n'
        + "        - name: name_contains\n          in: query\n          required: false\n"
        + "          schema:\n            type: string\n",
    )
    changed = tmp_path / "openapi.yaml"
    changed.write_text(text, encoding="utf-8")
    done = generate(changed, tmp_path / "generated")
    assert done.returncode == 0, done.stderr
    module = tmp_path / "generated" / "sequence_facade" / "resources" / "accounts.py"
    before = signatures(
        ROOT / "generated" / "sequence_facade" / "resources" / "accounts.py", "Accounts"
    )
    after = signatures(module, "Accounts")
    assert before == {"list": ["type", "request_id"], "get": ["id", "request_id"]}
    assert after == {"list": ["type", "name_contains", "request_id"], "fetch": ["id", "request_id"]}
    assert signatures(module, "AsyncAccountsWithRawResponse") == after


def test_an_operation_the_rule_cannot_name_needs_x_sdk_name(tmp_path: Path) -> None:
    text = SPEC.read_text(encoding="utf-8").replace(
        "    get:\n      operationId: getAccount\n", "    get:\n      operationId: fetchBalance\n"
    )
    changed = tmp_path / "openapi.yaml"
    changed.write_text(text, encoding="utf-8")
    done = generate(changed, tmp_path / "generated")
    assert done.returncode != 0
    assert "fetchBalance" in done.stderr
    assert "x-sdk-name" in done.stderr
