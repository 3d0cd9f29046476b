"""Shared fixtures live in tests/fixtures/ and are registered here (a module before its users)."""

pytest_plugins = [
    "tests.fixtures.spec",
    "tests.fixtures.generated",
    "tests.fixtures.client",
    "tests.fixtures.mock",
    "tests.fixtures.browser",
    "sequence_contract.mock.pytest_plugin",
    "sequence_contract.pytest_plugin",
]
