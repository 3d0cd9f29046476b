"""Extras: a missing one is named with its install line; the core client loads no server."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sequence_contract import _extras

ROOT = Path(__file__).resolve().parents[1]
SOURCE = os.pathsep.join(str(ROOT / part) for part in ("src", "generated"))

#: A checked call on the core client, then what it loaded that only an extra brings.
CHECKED_CALL = """
import sys, warnings
import httpx
from sequence_api_client.api.accounts import get_account
from sequence_contract import call, connect

warnings.simplefilter("ignore")  # the answer below breaks the contract on purpose

def answer(request):
    return httpx.Response(200, json={"request_id": "r", "data": {"id": "acc_1"}})

with connect("k", base_url="http://x.test/api/v1", transport=httpx.MockTransport(answer),
             validate="warn") as client:
    try:
        call(get_account.sync_detailed, "acc_1", client=client)
    except Exception:
        pass
    assert client.violations, "the answer was not checked"
banned = ("starlette", "uvicorn", "schemathesis", "pytest", "orjson", "yaml")
print(sorted(m for m in sys.modules if m.split(".")[0] in banned
             or m.startswith(("sequence_contract.mock", "sequence_contract.contract",
                              "sequence_contract.traffic", "sequence_contract.testing"))))
"""


def fresh(code: str) -> str:
    """Run ``code`` in a fresh interpreter on the source tree; its output."""
    env = {**os.environ, "PYTHONPATH": SOURCE}
    done = subprocess.run(  # noqa: S603 - this interpreter, the test's own code
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_missing_names_only_the_absent_modules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(_extras.MODULES, "mock", ("json", "no_such_module_here"))
    assert _extras.missing("mock") == ["no_such_module_here"]
    assert _extras.missing("contract") == []  # the dev environment has everything


def test_importing_the_mock_without_its_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(_extras.MODULES, "mock", ("no_such_module_here",))
    monkeypatch.delitem(sys.modules, "sequence_contract.mock")
    with pytest.raises(ImportError) as refused:
        importlib.import_module("sequence_contract.mock")
    assert str(refused.value) == (
        "sequence_contract.mock needs the 'mock' extra (no_such_module_here not installed): "
        "pip install 'sequence-contract[mock]'"
    )


def test_a_checked_call_on_the_core_client_loads_no_extra() -> None:
    assert fresh(CHECKED_CALL) == "[]"


def test_the_pytest_plugin_loads_without_the_mock() -> None:
    """pytest loads every installed plugin: in a core install with pytest, this one must not
    import what only the mock extra brings (its fixtures import the mock when used)."""
    code = (
        "import sys, sequence_contract.testing.pytest_plugin\n"
        "print(sorted(m for m in sys.modules if m.startswith(('starlette', 'uvicorn', "
        "'sequence_contract.mock'))))"
    )
    assert fresh(code) == "[]"
