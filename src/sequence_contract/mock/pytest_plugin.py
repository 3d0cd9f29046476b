"""Pytest fixtures for code that talks to the mock over real HTTP.

Register with ``pytest_plugins = ["sequence_contract.mock.pytest_plugin"]``; then::

    def test_something(sequence_mock_url: str) -> None:
        httpx.get(f"{sequence_mock_url}/api/v1/accounts",
                  headers={"Authorization": "ApiKey demo-all"})

``sequence_mock_url`` serves a fresh ``create_app()`` (default fixtures, system clock, a short
settlement delay) on a free loopback port for one test; ``serve_sequence_mock`` is the factory
behind it, for tests that need their own app (``create_app(clock=..., rate_limit=True)``).

``sequence_mock`` is the mock steered from Python (a ``SequenceMock``: ``.url``, ``.base_url``,
``.client()``, ``.clock.advance()``, ``.scenario()``, ``.requests``, ``.state()``, ``.reset()``,
``.load()``, ``.on_webhook()``; the admin API's functions, in-process) with a manual clock.

``webhook_receiver()`` starts a loopback receiver that collects the webhook deliveries it gets
(``.url``, ``.events()``, ``.wait_for(n)``, ``.received``; ``.stop()``/``.start()`` take it down
and back); ``webhook_receiver(app)`` puts your own ASGI receiver behind it::

    def test_events(webhook_receiver: MakeReceiver) -> None:
        hooks = webhook_receiver()
        app = create_app(webhooks=[hooks.url])
        ...
        assert [e.event for e in hooks.wait_for(1)] == ["transfer.created"]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import pytest
from starlette.types import ASGIApp

from ._collector import WebhookCollector
from ._sequence_mock import SequenceMock
from ._sequence_mock import sequence_mock as _sequence_mock
from .app import create_app
from .http._serve import serve

ServeMock = Callable[[ASGIApp], AbstractContextManager[str]]
MakeReceiver = Callable[..., WebhookCollector]


@pytest.fixture
def serve_sequence_mock() -> ServeMock:
    """``with serve_sequence_mock(app) as base_url:`` runs ``app`` on a loopback port."""
    return serve


@pytest.fixture
def sequence_mock_url() -> Iterator[str]:
    """Base URL (``http://127.0.0.1:<port>``) of a fresh mock; the API is under ``/api/v1``."""
    with serve(create_app(delay=0.2)) as url:
        yield url


@pytest.fixture
def sequence_mock() -> Iterator[SequenceMock]:
    """A fresh mock on a loopback port, with a manual clock, steered from Python."""
    with _sequence_mock() as mock:
        yield mock


@pytest.fixture
def webhook_receiver() -> Iterator[MakeReceiver]:
    """``webhook_receiver(app=None, path="/webhooks")``: a started collecting receiver; every
    one it made is stopped when the test ends."""
    made: list[WebhookCollector] = []

    def make(app: ASGIApp | None = None, path: str = "/webhooks") -> WebhookCollector:
        collector = WebhookCollector(app, path).start()
        made.append(collector)
        return collector

    yield make
    for collector in made:
        collector.stop()
