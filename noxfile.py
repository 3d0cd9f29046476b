"""Sessions: one per task, named like the scripts they run. CI calls ``nox`` (see .ci/run).

Default (``nox``): lint, typecheck, check_generated, tests, contract. Plain venv + pip only: a fresh
machine needs nothing but Python 3.11+ and ``pip install nox``; the spec lint also needs Node (npx).
"""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

import nox

nox.needs_version = ">=2026.10.20"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["lint", "typecheck", "check_generated", "tests", "contract"]

ROOT = Path(__file__).parent


def _pin(name: str) -> str:
    """The exact requirement for ``name`` from the dev extra: pins live only in pyproject.toml."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for requirement in pyproject["project"]["optional-dependencies"]["dev"]:
        if requirement.split("==")[0].strip() == name:
            return str(requirement)
    raise LookupError(f"{name} is not pinned in [project.optional-dependencies].dev")


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff on the hand-written code, then Redocly + openapi-spec-validator on openapi.yaml."""
    session.install(_pin("ruff"), _pin("openapi-spec-validator"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("scripts/lint-spec", external=True)


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on src/ (pyproject config), the generated client, tests, scripts, this file."""
    session.install(".[dev]", f"nox=={version('nox')}")  # nox: for this file's own types
    session.run("mypy")
    session.run("mypy", "-p", "sequence_api_client")
    session.run("mypy", "tests", "noxfile.py")
    for script in ("scripts/bench-client", "scripts/bench-mock", "scripts/bench-retries"):
        session.run("mypy", script)


@nox.session(python=False)
def generate(session: nox.Session) -> None:
    """Regenerate generated/ from openapi.yaml (scripts/generate keeps its own pinned tool venv)."""
    session.run("scripts/generate", *session.posargs, external=True)


@nox.session(python=False)
def check_generated(session: nox.Session) -> None:
    """Fail with a diff when generated/ differs from a fresh generation."""
    session.run("scripts/check-generated", external=True)


@nox.session
def tests(session: nox.Session) -> None:
    """pytest over all of tests/, against the project installed as a wheel with its dev extra."""
    session.install(".[dev]")
    session.run("pytest", *session.posargs)


@nox.session
def contract(session: nox.Session) -> None:
    """scripts/contract: Schemathesis against the embedded mock (every phase and check, fixed
    seed, 100 fuzzing cases per operation); opt-in real server via SEQUENCE_BASE_URL (README)."""
    session.install(".[dev]")
    session.run("scripts/contract", *session.posargs, external=True)


@nox.session
def fuzz(session: nox.Session) -> None:
    """scripts/fuzz: the contract suite with ten times the examples (1000 per operation)."""
    session.install(".[dev]")
    session.run("scripts/fuzz", *session.posargs, external=True)


@nox.session
def bench_mock(session: nox.Session) -> None:
    """The mock at 1k/100k/1M stored transfers beside Prism (npx), on loopback; prints ratios."""
    session.install(".")
    session.run("scripts/bench-mock", *session.posargs, external=True)
