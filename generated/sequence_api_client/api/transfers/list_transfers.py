import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.list_transfers_account_role import ListTransfersAccountRole
from ...models.list_transfers_origin import ListTransfersOrigin
from ...models.list_transfers_status import ListTransfersStatus
from ...models.transfer_direction import TransferDirection
from ...models.transfer_list_response import TransferListResponse
from ...models.unauthorized_error import UnauthorizedError
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    account_id: str,
    account_role: ListTransfersAccountRole | Unset = "either",
    direction: TransferDirection | Unset = UNSET,
    origin: ListTransfersOrigin | Unset = UNSET,
    status: ListTransfersStatus | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    rule_execution_id: str | Unset = UNSET,
    first: int | Unset = 20,
    after: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-ID"] = x_request_id

    params: dict[str, Any] = {}

    params["account_id"] = account_id

    json_account_role: str | Unset = UNSET
    if not isinstance(account_role, Unset):
        json_account_role = account_role

    params["account_role"] = json_account_role

    json_direction: str | Unset = UNSET
    if not isinstance(direction, Unset):
        json_direction = direction

    params["direction"] = json_direction

    json_origin: str | Unset = UNSET
    if not isinstance(origin, Unset):
        json_origin = origin

    params["origin"] = json_origin

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status

    params["status"] = json_status

    json_from_: str | Unset = UNSET
    if not isinstance(from_, Unset):
        json_from_ = from_.isoformat()
    params["from"] = json_from_

    json_to: str | Unset = UNSET
    if not isinstance(to, Unset):
        json_to = to.isoformat()
    params["to"] = json_to

    params["rule_execution_id"] = rule_execution_id

    params["first"] = first

    params["after"] = after

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/transfers",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | TransferListResponse | UnauthorizedError | None:
    if response.status_code == 200:
        response_200 = TransferListResponse.from_dict(response.json())

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
) -> Response[ErrorEnvelope | TransferListResponse | UnauthorizedError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    account_id: str,
    account_role: ListTransfersAccountRole | Unset = "either",
    direction: TransferDirection | Unset = UNSET,
    origin: ListTransfersOrigin | Unset = UNSET,
    status: ListTransfersStatus | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    rule_execution_id: str | Unset = UNSET,
    first: int | Unset = 20,
    after: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[ErrorEnvelope | TransferListResponse | UnauthorizedError]:
    """List transfers

     Transfer history of one account, newest first (by `created_at`); card transactions are
    excluded. `account_id` is required and must be in the key's `READ_TRANSFERS` resources.

    Args:
        account_id (str): Account id (`acc_` prefix).
        account_role (ListTransfersAccountRole | Unset):  Default: 'either'.
        direction (TransferDirection | Unset):
        origin (ListTransfersOrigin | Unset):
        status (ListTransfersStatus | Unset):
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        rule_execution_id (str | Unset): Rule execution id (`rex_` prefix).
        first (int | Unset):  Default: 20.
        after (str | Unset): Opaque; shaped like the documented `cursor_01HGHI7890`.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TransferListResponse | UnauthorizedError]
    """

    kwargs = _get_kwargs(
        account_id=account_id,
        account_role=account_role,
        direction=direction,
        origin=origin,
        status=status,
        from_=from_,
        to=to,
        rule_execution_id=rule_execution_id,
        first=first,
        after=after,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    account_id: str,
    account_role: ListTransfersAccountRole | Unset = "either",
    direction: TransferDirection | Unset = UNSET,
    origin: ListTransfersOrigin | Unset = UNSET,
    status: ListTransfersStatus | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    rule_execution_id: str | Unset = UNSET,
    first: int | Unset = 20,
    after: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> ErrorEnvelope | TransferListResponse | UnauthorizedError | None:
    """List transfers

     Transfer history of one account, newest first (by `created_at`); card transactions are
    excluded. `account_id` is required and must be in the key's `READ_TRANSFERS` resources.

    Args:
        account_id (str): Account id (`acc_` prefix).
        account_role (ListTransfersAccountRole | Unset):  Default: 'either'.
        direction (TransferDirection | Unset):
        origin (ListTransfersOrigin | Unset):
        status (ListTransfersStatus | Unset):
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        rule_execution_id (str | Unset): Rule execution id (`rex_` prefix).
        first (int | Unset):  Default: 20.
        after (str | Unset): Opaque; shaped like the documented `cursor_01HGHI7890`.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TransferListResponse | UnauthorizedError
    """

    return sync_detailed(
        client=client,
        account_id=account_id,
        account_role=account_role,
        direction=direction,
        origin=origin,
        status=status,
        from_=from_,
        to=to,
        rule_execution_id=rule_execution_id,
        first=first,
        after=after,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    account_id: str,
    account_role: ListTransfersAccountRole | Unset = "either",
    direction: TransferDirection | Unset = UNSET,
    origin: ListTransfersOrigin | Unset = UNSET,
    status: ListTransfersStatus | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    rule_execution_id: str | Unset = UNSET,
    first: int | Unset = 20,
    after: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[ErrorEnvelope | TransferListResponse | UnauthorizedError]:
    """List transfers

     Transfer history of one account, newest first (by `created_at`); card transactions are
    excluded. `account_id` is required and must be in the key's `READ_TRANSFERS` resources.

    Args:
        account_id (str): Account id (`acc_` prefix).
        account_role (ListTransfersAccountRole | Unset):  Default: 'either'.
        direction (TransferDirection | Unset):
        origin (ListTransfersOrigin | Unset):
        status (ListTransfersStatus | Unset):
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        rule_execution_id (str | Unset): Rule execution id (`rex_` prefix).
        first (int | Unset):  Default: 20.
        after (str | Unset): Opaque; shaped like the documented `cursor_01HGHI7890`.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TransferListResponse | UnauthorizedError]
    """

    kwargs = _get_kwargs(
        account_id=account_id,
        account_role=account_role,
        direction=direction,
        origin=origin,
        status=status,
        from_=from_,
        to=to,
        rule_execution_id=rule_execution_id,
        first=first,
        after=after,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    account_id: str,
    account_role: ListTransfersAccountRole | Unset = "either",
    direction: TransferDirection | Unset = UNSET,
    origin: ListTransfersOrigin | Unset = UNSET,
    status: ListTransfersStatus | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    rule_execution_id: str | Unset = UNSET,
    first: int | Unset = 20,
    after: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> ErrorEnvelope | TransferListResponse | UnauthorizedError | None:
    """List transfers

     Transfer history of one account, newest first (by `created_at`); card transactions are
    excluded. `account_id` is required and must be in the key's `READ_TRANSFERS` resources.

    Args:
        account_id (str): Account id (`acc_` prefix).
        account_role (ListTransfersAccountRole | Unset):  Default: 'either'.
        direction (TransferDirection | Unset):
        origin (ListTransfersOrigin | Unset):
        status (ListTransfersStatus | Unset):
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        rule_execution_id (str | Unset): Rule execution id (`rex_` prefix).
        first (int | Unset):  Default: 20.
        after (str | Unset): Opaque; shaped like the documented `cursor_01HGHI7890`.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TransferListResponse | UnauthorizedError
    """

    return (
        await asyncio_detailed(
            client=client,
            account_id=account_id,
            account_role=account_role,
            direction=direction,
            origin=origin,
            status=status,
            from_=from_,
            to=to,
            rule_execution_id=rule_execution_id,
            first=first,
            after=after,
            x_request_id=x_request_id,
        )
    ).parsed
