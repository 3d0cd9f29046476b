"""One generated endpoint module per documented operation, each with the four call styles and
exactly the documented header arguments (X-Request-ID everywhere, Idempotency-Key on writes)."""

from __future__ import annotations

import inspect

import pytest

from sequence_api_client import AuthenticatedClient
from tests.fixtures.generated import endpoint_modules, snake
from tests.spec.test_operations import DOCUMENTED, IDEMPOTENT

CALL_STYLES = ("sync", "sync_detailed", "asyncio", "asyncio_detailed")


def test_one_module_per_documented_operation() -> None:
    assert set(endpoint_modules()) == {snake(operation_id) for operation_id in DOCUMENTED}


@pytest.mark.parametrize("operation_id", sorted(DOCUMENTED))
def test_module_offers_every_call_style(operation_id: str) -> None:
    module = endpoint_modules()[snake(operation_id)]
    assert [name for name in CALL_STYLES if callable(getattr(module, name, None))] == list(
        CALL_STYLES
    )


@pytest.mark.parametrize("operation_id", sorted(DOCUMENTED))
def test_module_takes_the_documented_headers(operation_id: str) -> None:
    function = endpoint_modules()[snake(operation_id)].sync_detailed
    parameters = inspect.signature(function, eval_str=True).parameters
    headers = {"x_request_id", "idempotency_key"} & set(parameters)
    expected = {"x_request_id"} | ({"idempotency_key"} if operation_id in IDEMPOTENT else set())
    assert headers == expected
    assert parameters["client"].annotation is AuthenticatedClient  # the API key is not optional
