"""Pytest fixtures for code that talks to the mock over real HTTP.

Register with ``pytest_plugins = ["sequence_contract.mock.pytest_plugin"]``; then::

    def test_something(sequence_mock_url: str) -> None:
        httpx.get(f"{sequence_mock_url}/api/v1/accounts",
                  headers={"Authorization": "ApiKey demo-all"})

``sequence_mock_url`` serves a fresh ``create_app()`` (default fixtures, system clock, a short
settlement delay) on a free loopback port for one test; ``serve_sequence_mock`` is the factory
behind it, for tests that need their own app (``create_app(clock=..., rate_limit=True)``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import pytest
from starlette.types import ASGIApp

from ._serve import serve
from .app import create_app

ServeMock = Callable[[ASGIApp], AbstractContextManager[str]]


@pytest.fixture
def serve_sequence_mock() -> ServeMock:
    """``with serve_sequence_mock(app) as base_url:`` runs ``app`` on a loopback port."""
    return serve


@pytest.fixture
def sequence_mock_url() -> Iterator[str]:
    """Base URL (``http://127.0.0.1:<port>``) of a fresh mock; the API is under ``/api/v1``."""
    with serve(create_app(delay=0.2)) as url:
        yield url
