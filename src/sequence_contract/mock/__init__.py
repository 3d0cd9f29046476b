"""Stateful mock of the Sequence API, driven by openapi.yaml and fixture files.

    from sequence_contract.mock import create_app, ManualClock
    app = create_app(clock=ManualClock())

Run it with ``sequence-mock --port 8080`` or ``python -m sequence_contract.mock``. It needs the
``mock`` extra: without it, importing this package raises ImportError naming the extra.
"""

from .._extras import require

require("sequence_contract.mock", "mock")  # before any module below imports Starlette

from ._fixtures import default_fixtures, load_seed
from ._sequence_mock import MockError, SequenceMock, sequence_mock
from .app import create_app
from .http._serve import serve
from .state._clock import Clock, ManualClock, SystemClock
from .state._records import FixtureError
from .state._store import Seed, Store

__all__ = [
    "Clock",
    "FixtureError",
    "ManualClock",
    "MockError",
    "Seed",
    "SequenceMock",
    "Store",
    "SystemClock",
    "create_app",
    "default_fixtures",
    "load_seed",
    "sequence_mock",
    "serve",
]
