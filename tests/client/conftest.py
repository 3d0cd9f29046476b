"""Client-layer tests never sleep: stamina's test mode keeps each policy's attempt count and
waits zero seconds. ``SEQUENCE_*`` variables of the surrounding shell never leak in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import stamina


@pytest.fixture(autouse=True)
def _no_retry_waits() -> Iterator[None]:
    with stamina.set_testing(True, attempts=1_000, cap=True):
        yield


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SEQUENCE_API_KEY", raising=False)
    monkeypatch.delenv("SEQUENCE_BASE_URL", raising=False)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
