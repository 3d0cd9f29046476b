from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.rule_input import RuleInput
from ...models.rule_response import RuleResponse
from ...models.unauthorized_error import UnauthorizedError
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: RuleInput,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-ID"] = x_request_id

    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/rules",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | RuleResponse | UnauthorizedError | None:
    if response.status_code == 201:
        response_201 = RuleResponse.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = ErrorEnvelope.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = UnauthorizedError.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorEnvelope.from_dict(response.json())

        return response_403

    if response.status_code == 409:
        response_409 = ErrorEnvelope.from_dict(response.json())

        return response_409

    if response.status_code == 422:
        response_422 = ErrorEnvelope.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorEnvelope.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorEnvelope.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorEnvelope | RuleResponse | UnauthorizedError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: RuleInput,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[ErrorEnvelope | RuleResponse | UnauthorizedError]:
    """Create a rule

     Creates a rule. The rule is always stored `disabled`, whatever `status` was sent: a human
    enables it in the Sequence app.

    Args:
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (RuleInput): Body of createRule and updateRule (a full replacement). Requests are as
            strict as the
            server: a body valid against this schema is accepted unless a check no schema can say
            fails (an unknown account, a second `ON_FUNDS_TRANSFERRED` rule on one account), which
            is 422 `invalid_rule`. Responses read rules with the tolerant `Rule`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | RuleResponse | UnauthorizedError]
    """

    kwargs = _get_kwargs(
        body=body,
        x_request_id=x_request_id,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: RuleInput,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> ErrorEnvelope | RuleResponse | UnauthorizedError | None:
    """Create a rule

     Creates a rule. The rule is always stored `disabled`, whatever `status` was sent: a human
    enables it in the Sequence app.

    Args:
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (RuleInput): Body of createRule and updateRule (a full replacement). Requests are as
            strict as the
            server: a body valid against this schema is accepted unless a check no schema can say
            fails (an unknown account, a second `ON_FUNDS_TRANSFERRED` rule on one account), which
            is 422 `invalid_rule`. Responses read rules with the tolerant `Rule`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | RuleResponse | UnauthorizedError
    """

    return sync_detailed(
        client=client,
        body=body,
        x_request_id=x_request_id,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: RuleInput,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[ErrorEnvelope | RuleResponse | UnauthorizedError]:
    """Create a rule

     Creates a rule. The rule is always stored `disabled`, whatever `status` was sent: a human
    enables it in the Sequence app.

    Args:
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (RuleInput): Body of createRule and updateRule (a full replacement). Requests are as
            strict as the
            server: a body valid against this schema is accepted unless a check no schema can say
            fails (an unknown account, a second `ON_FUNDS_TRANSFERRED` rule on one account), which
            is 422 `invalid_rule`. Responses read rules with the tolerant `Rule`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | RuleResponse | UnauthorizedError]
    """

    kwargs = _get_kwargs(
        body=body,
        x_request_id=x_request_id,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: RuleInput,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> ErrorEnvelope | RuleResponse | UnauthorizedError | None:
    """Create a rule

     Creates a rule. The rule is always stored `disabled`, whatever `status` was sent: a human
    enables it in the Sequence app.

    Args:
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (RuleInput): Body of createRule and updateRule (a full replacement). Requests are as
            strict as the
            server: a body valid against this schema is accepted unless a check no schema can say
            fails (an unknown account, a second `ON_FUNDS_TRANSFERRED` rule on one account), which
            is 422 `invalid_rule`. Responses read rules with the tolerant `Rule`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | RuleResponse | UnauthorizedError
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            x_request_id=x_request_id,
            idempotency_key=idempotency_key,
        )
    ).parsed
