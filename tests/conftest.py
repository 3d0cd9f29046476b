"""Shared fixtures live in tests/fixtures/ and are registered here (a module before its users)."""

pytest_plugins = [
    "tests.fixtures.spec",
    "tests.fixtures.generated",
    "tests.fixtures.client",
    "tests.fixtures.mock",
    "tests.fixtures.browser",
    # the installed plugin (pytest11 entry point) is off in this checkout (pyproject addopts):
    # loaded from here, it comes from src/, as the code under test does
    "sequence_contract.testing.pytest_plugin",
]
