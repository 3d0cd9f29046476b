"""Shared fixtures live in tests/fixtures/ and are registered here (a module before its users)."""

pytest_plugins = [
    "tests.fixtures.spec",
    "tests.fixtures.generated",
]
