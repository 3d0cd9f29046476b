"""scripts/package: what it runs against the core install, and the workflow applications copy."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

from sequence_contract import cli

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "package"


@pytest.fixture
def package() -> ModuleType:
    loader = importlib.machinery.SourceFileLoader("package_script", str(SCRIPT))
    spec = importlib.util.spec_from_loader("package_script", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def test_the_readme_client_example_adapts_to_the_core_install(package: ModuleType) -> None:
    code = package.client_example("http://127.0.0.1:9/api/v1")
    compile(code, "example", "exec")
    assert 'base_url="http://127.0.0.1:9/api/v1"' in code
    assert 'validate="warn"' in code
    assert "sequence_contract.mock" not in code
    assert "sequence_contract.testing" not in code


def test_it_tries_every_command(package: ModuleType) -> None:
    assert list(cli.SUBCOMMANDS) == package.COMMANDS


def test_the_application_workflow_installs_this_version() -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"
    ]
    workflow = (ROOT / "docs" / "ci" / "github-actions.yml").read_text(encoding="utf-8")
    assert f'"sequence-contract[contract]=={version}"' in workflow
    assert "secrets.SEQUENCE_API_KEY" in workflow
