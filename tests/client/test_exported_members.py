"""The public surface is what ``__all__`` says: sorted, complete, and nothing else public."""

from __future__ import annotations

import inspect
from types import ModuleType

import pytest

import sequence_contract
from sequence_contract import pagination, spec, testing, webhooks

# Imported by path, not re-exported.
SUBPACKAGES = {
    "cli",
    "conformance",
    "mock",
    "contract",
    "pagination",
    "spec",
    "testing",
    "traffic",
    "webhooks",
    "receiver",
}


@pytest.mark.parametrize("module", [sequence_contract, pagination, spec, testing, webhooks])
def test_all_is_sorted_and_resolves(module: ModuleType) -> None:
    names = list(module.__all__)
    # ruff's (RUF022) isort-style order: CONSTANTS, then Classes, then functions.
    assert names == sorted(names, key=lambda n: (not n.isupper(), not n[:1].isupper(), n))
    assert len(names) == len(set(names))
    for name in names:
        assert getattr(module, name) is not None


def test_the_package_exports_exactly_its_public_names() -> None:
    public = {
        name
        for name, value in vars(sequence_contract).items()
        if not name.startswith("_") and not inspect.ismodule(value)
    }
    assert public == set(sequence_contract.__all__)
    modules = {  # "@py_builtins" & co.: pytest rewrites the asserts of an installed plugin's dist
        name
        for name, value in vars(sequence_contract).items()
        if name.isidentifier() and not name.startswith("_") and inspect.ismodule(value)
    }
    assert modules <= SUBPACKAGES


@pytest.mark.parametrize("module", [pagination, testing])
def test_public_modules_define_what_they_export(module: ModuleType) -> None:
    defined = {
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and (inspect.isclass(value) or inspect.isfunction(value))
        and value.__module__ == module.__name__
        and name not in {"PageBody", "PageInfo"}  # typing protocols, documented, not exported
    }
    reexported = {  # kept in a private module of the package, public here
        name
        for name in module.__all__
        if getattr(module, name).__module__.rsplit(".", 1)[-1].startswith("_")
        and getattr(module, name).__module__.startswith("sequence_contract.")
    }
    assert defined == set(module.__all__) - reexported


def test_exported_objects_come_from_this_package() -> None:
    for name in sequence_contract.__all__:
        value = getattr(sequence_contract, name)
        # The facade is generated: its classes live beside the generated client.
        assert value.__module__.startswith(("sequence_contract.", "sequence_facade.")), name
