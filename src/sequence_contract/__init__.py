"""sequence-contract: the Sequence API contract, its typed client layer and its stateful mock.

The client, generated from openapi.yaml (``generated/sequence_facade``) over this layer::

    from sequence_contract import Sequence

    with Sequence() as client:  # $SEQUENCE_API_KEY, $SEQUENCE_BASE_URL
        account = client.accounts.get("acc_01HGHI7890")

Under it, the generated ``sequence_api_client`` functions work through the same layer::

    from sequence_api_client.api.accounts import get_account
    from sequence_contract import call, connect

    with connect() as client:
        account = call(get_account.sync_detailed, "acc_01HGHI7890", client=client)
"""

from ._client import SequenceClient, connect, connect_async
from ._errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ContractError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    SequenceError,
    UnprocessableEntityError,
)
from ._outcome import Attempt
from ._retries import RetryingTransport, RetryPolicy
from ._unwrap import acall, call, unwrap
from ._validate import ContractWarning, Violations
from .conformance import Violation
from .pagination import Page, apaginate, paginate

# isort: split
# Last: the generated facade (generated/sequence_facade) stands on the modules above; its
# resources, and the generated operations they call, load on first use.
from sequence_facade import AsyncSequence, Sequence

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncSequence",
    "Attempt",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "ContractError",
    "ContractWarning",
    "InternalServerError",
    "NotFoundError",
    "Page",
    "PermissionDeniedError",
    "RateLimitError",
    "RetryPolicy",
    "RetryingTransport",
    "Sequence",
    "SequenceClient",
    "SequenceError",
    "UnprocessableEntityError",
    "Violation",
    "Violations",
    "acall",
    "apaginate",
    "call",
    "connect",
    "connect_async",
    "paginate",
    "unwrap",
]
