"""_toml writes what tomllib reads back unchanged."""

from __future__ import annotations

import tomllib

import pytest

from sequence_contract.contract import _toml


def test_round_trip_of_nested_tables_lists_and_awkward_strings() -> None:
    document = {
        "seed": 7,
        "rate": 1.5,
        "continue-on-failure": True,
        "base-url": "http://127.0.0.1:1/custom/prefix",
        "auth": {"openapi": {"ApiKeyAuth": {"api_key": "${SEQUENCE_CONTRACT_AUTHORIZATION}"}}},
        "operations": [
            {"include-operation-id": ["createTransfer"], "enabled": False},
            {"parameters": {"path.id": {"dictionary": "ids", "probability": 0.5}}},
        ],
        "text": 'quote " backslash \\ newline \n tab \t unicode ••',
        "empty": {},
        "phases": {"coverage": {"unexpected-methods": []}},
    }
    assert tomllib.loads(_toml.dumps(document)) == document


def test_header_lines_become_comments() -> None:
    text = _toml.dumps({"a": 1}, "first\nsecond")
    assert text.splitlines() == ["# first", "# second", "a = 1"]


def test_unsupported_values_are_refused() -> None:
    with pytest.raises(TypeError):
        _toml.dumps({"a": None})
