"""The pytest plugin: fixtures for testing code that uses this client, against the mock.

Installed with the package and registered through the ``pytest11`` entry point
(pyproject.toml), so a test only names a fixture; no ``pytest_plugins`` line::

    def test_my_code_survives_faults(fault_proxy, sequence_mock_url):
        proxy = fault_proxy(sequence_mock_url, Faults(drop_after=0.1, cut_answer=0.1), seed=7)
        with connect("demo-all", base_url=f"{proxy.url}/api/v1") as client:
            ...
        assert proxy.counts["drop_after"] > 0

Fixtures:

* ``sequence_mock_url``: the base URL (``http://127.0.0.1:<port>``) of a fresh ``create_app()``
  (default fixtures, system clock, a short settlement delay) for one test; the API is under
  ``/api/v1``. ``serve_sequence_mock`` is the factory behind it, for a test that needs its own
  app: ``with serve_sequence_mock(create_app(clock=..., rate_limit=True)) as url:``.
* ``sequence_mock``: a fresh mock on a loopback port, with a manual clock, steered from Python
  (a ``SequenceMock``: ``.url``, ``.base_url``, ``.client()``, ``.clock.advance()``,
  ``.scenario()``, ``.requests``, ``.state()``, ``.reset()``, ``.load()``, ``.on_webhook()``;
  the admin API's operations, in-process).
* ``webhook_receiver()``: a started loopback receiver collecting the webhook deliveries it gets
  (``.url``, ``.events()``, ``.wait_for(n)``, ``.received``; ``.stop()``/``.start()``);
  ``webhook_receiver(app)`` puts your own ASGI receiver behind it.
* ``fault_proxy(upstream_url, faults=None, *, seed=0)``: a started ``FaultProxy`` (its own
  thread, so sync and async clients alike can use it) in front of any server.

Every fixture stops what it started when its test ends. The mock's fixtures need the ``mock``
extra; the plugin itself loads without it (pytest loads every installed plugin), and a fixture
that needs the mock says which extra is missing. A new fixture goes in its own section below,
with the import of what it serves inside its body (``_mock()``) for that reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from types import ModuleType
from typing import TYPE_CHECKING

import pytest

from ._fault_proxy import FaultProxy
from ._faults import Faults

if TYPE_CHECKING:
    from starlette.types import ASGIApp

    from ..mock import SequenceMock
    from ..mock._collector import WebhookCollector

ServeMock = Callable[["ASGIApp"], AbstractContextManager[str]]
MakeReceiver = Callable[..., "WebhookCollector"]
MakeFaultProxy = Callable[..., FaultProxy]


def _mock() -> ModuleType:
    """``sequence_contract.mock``, or an ImportError naming the extra it needs."""
    from .. import mock

    return mock


# --- the mock ------------------------------------------------------------------------------


@pytest.fixture
def serve_sequence_mock() -> ServeMock:
    """``with serve_sequence_mock(app) as base_url:`` runs ``app`` on a loopback port."""
    serve: ServeMock = _mock().serve
    return serve


@pytest.fixture
def sequence_mock_url() -> Iterator[str]:
    """Base URL (``http://127.0.0.1:<port>``) of a fresh mock; the API is under ``/api/v1``."""
    mock = _mock()
    with mock.serve(mock.create_app(delay=0.2)) as url:
        yield url


@pytest.fixture
def sequence_mock() -> Iterator[SequenceMock]:
    """A fresh mock on a loopback port, with a manual clock, steered from Python (its logic:
    ``sequence_contract.mock._sequence_mock``)."""
    with _mock().sequence_mock() as mock:
        yield mock


# --- webhooks ------------------------------------------------------------------------------


@pytest.fixture
def webhook_receiver() -> Iterator[MakeReceiver]:
    """``webhook_receiver(app=None, path="/webhooks")``: a started collecting receiver; every
    one it made is stopped when the test ends."""
    _mock()
    from ..mock._collector import WebhookCollector

    made: list[WebhookCollector] = []

    def make(app: ASGIApp | None = None, path: str = "/webhooks") -> WebhookCollector:
        collector = WebhookCollector(app, path).start()
        made.append(collector)
        return collector

    yield make
    for collector in made:
        collector.stop()


# --- faults --------------------------------------------------------------------------------


@pytest.fixture
def fault_proxy() -> Iterator[MakeFaultProxy]:
    """Factory: ``fault_proxy(upstream_url, faults=None, *, seed=0)`` -> a started proxy."""
    started: list[FaultProxy] = []

    def make(upstream: str, faults: Faults | None = None, *, seed: int = 0) -> FaultProxy:
        proxy = FaultProxy(upstream, faults, seed=seed)
        started.append(proxy.__enter__())
        return proxy

    yield make
    for proxy in reversed(started):
        proxy.__exit__(None, None, None)
