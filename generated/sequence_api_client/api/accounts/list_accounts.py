from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.account_list_response import AccountListResponse
from ...models.account_type import AccountType
from ...models.error_envelope import ErrorEnvelope
from ...models.unauthorized_error import UnauthorizedError
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    type_: AccountType | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-ID"] = x_request_id

    params: dict[str, Any] = {}

    json_type_: str | Unset = UNSET
    if not isinstance(type_, Unset):
        json_type_ = type_

    params["type"] = json_type_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/accounts",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AccountListResponse | ErrorEnvelope | UnauthorizedError | None:
    if response.status_code == 200:
        response_200 = AccountListResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorEnvelope.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = UnauthorizedError.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorEnvelope.from_dict(response.json())

        return response_403

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
) -> Response[AccountListResponse | ErrorEnvelope | UnauthorizedError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    type_: AccountType | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[AccountListResponse | ErrorEnvelope | UnauthorizedError]:
    """List accounts

     Lists every account of the organization, without balances.

    Args:
        type_ (AccountType | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountListResponse | ErrorEnvelope | UnauthorizedError]
    """

    kwargs = _get_kwargs(
        type_=type_,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    type_: AccountType | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> AccountListResponse | ErrorEnvelope | UnauthorizedError | None:
    """List accounts

     Lists every account of the organization, without balances.

    Args:
        type_ (AccountType | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountListResponse | ErrorEnvelope | UnauthorizedError
    """

    return sync_detailed(
        client=client,
        type_=type_,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    type_: AccountType | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[AccountListResponse | ErrorEnvelope | UnauthorizedError]:
    """List accounts

     Lists every account of the organization, without balances.

    Args:
        type_ (AccountType | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountListResponse | ErrorEnvelope | UnauthorizedError]
    """

    kwargs = _get_kwargs(
        type_=type_,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    type_: AccountType | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> AccountListResponse | ErrorEnvelope | UnauthorizedError | None:
    """List accounts

     Lists every account of the organization, without balances.

    Args:
        type_ (AccountType | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountListResponse | ErrorEnvelope | UnauthorizedError
    """

    return (
        await asyncio_detailed(
            client=client,
            type_=type_,
            x_request_id=x_request_id,
        )
    ).parsed
