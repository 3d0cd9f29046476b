"""In the runner's tests, ``spec`` is the compiled model the runner takes (not the raw document)."""

from __future__ import annotations

import pytest

from sequence_contract.spec import Spec, model


@pytest.fixture
def spec() -> Spec:
    return model()
