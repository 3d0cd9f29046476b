"""What each optional part needs, and the one hint that names a missing extra.

Core (``pip install sequence-contract``) is the client. The mock needs the ``mock`` extra (its
admin API's document is YAML, so PyYAML comes with it); the contract suite, the receiver fuzzer,
the proxy and recorded-traffic validation need ``contract`` (the mock, Schemathesis, pytest).
A command or an import whose extra is missing says which, and how to get it, in one line. The
distributions themselves are listed in pyproject.toml; here are the modules that tell whether
they are installed.
"""

from __future__ import annotations

from importlib.util import find_spec

#: extra -> the top-level modules it brings (uvloop is optional even there: not checked)
MODULES: dict[str, tuple[str, ...]] = {
    "mock": ("starlette", "uvicorn", "httptools", "orjson", "yaml"),
    "contract": ("starlette", "uvicorn", "httptools", "orjson", "schemathesis", "pytest", "yaml"),
}


class MissingExtra(ImportError):
    """An optional part was used without its extra; the message names the extra."""


def hint(extra: str) -> str:
    return f"pip install 'sequence-contract[{extra}]'"


def missing(extra: str) -> list[str]:
    """The modules of ``extra`` that are not installed (none: the extra is there)."""
    return [name for name in MODULES[extra] if find_spec(name) is None]


def message(what: str, extra: str, absent: list[str]) -> str:
    """One line: what needs the extra, what is missing, and the install command."""
    return f"{what} needs the '{extra}' extra ({', '.join(absent)} not installed): {hint(extra)}"


def require(what: str, extra: str) -> None:
    """Raise ``MissingExtra`` when ``extra`` is not installed."""
    absent = missing(extra)
    if absent:
        raise MissingExtra(message(what, extra, absent))
