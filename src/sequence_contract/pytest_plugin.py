"""Pytest fixtures for tests of code that uses this client.

Register with ``pytest_plugins = ["sequence_contract.pytest_plugin"]``; then::

    def test_my_code_survives_faults(fault_proxy, sequence_mock_url):
        proxy = fault_proxy(sequence_mock_url, Faults(drop_after=0.1, cut_answer=0.1), seed=7)
        with connect("demo-all", base_url=f"{proxy.url}/api/v1") as client:
            ...
        assert proxy.counts["drop_after"] > 0

``fault_proxy`` is a factory: each call starts a ``FaultProxy`` (on its own thread, so sync and
async clients alike can use it) in front of the given server, stopped when the test ends.
``sequence_mock_url`` comes from ``sequence_contract.mock.pytest_plugin``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from ._fault_proxy import FaultProxy
from ._faults import Faults

MakeFaultProxy = Callable[..., FaultProxy]


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
