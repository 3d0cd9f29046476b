import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.card_transaction_list_response import CardTransactionListResponse
from ...models.error_envelope import ErrorEnvelope
from ...models.list_card_transactions_direction import (
    ListCardTransactionsDirection,
)
from ...models.unauthorized_error import UnauthorizedError
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: str,
    *,
    direction: ListCardTransactionsDirection | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    first: int | Unset = 20,
    after: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-ID"] = x_request_id

    params: dict[str, Any] = {}

    json_direction: str | Unset = UNSET
    if not isinstance(direction, Unset):
        json_direction = direction

    params["direction"] = json_direction

    json_from_: str | Unset = UNSET
    if not isinstance(from_, Unset):
        json_from_ = from_.isoformat()
    params["from"] = json_from_

    json_to: str | Unset = UNSET
    if not isinstance(to, Unset):
        json_to = to.isoformat()
    params["to"] = json_to

    params["first"] = first

    params["after"] = after

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/cards/{id}/transactions".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CardTransactionListResponse | ErrorEnvelope | UnauthorizedError | None:
    if response.status_code == 200:
        response_200 = CardTransactionListResponse.from_dict(response.json())

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

    if response.status_code == 404:
        response_404 = ErrorEnvelope.from_dict(response.json())

        return response_404

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
) -> Response[CardTransactionListResponse | ErrorEnvelope | UnauthorizedError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    direction: ListCardTransactionsDirection | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    first: int | Unset = 20,
    after: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[CardTransactionListResponse | ErrorEnvelope | UnauthorizedError]:
    """List card transactions

     Settled purchases (debits) and refunds (credits) of one card, newest first. The card's
    account must be in the key's `READ_CARDS` resources.

    Args:
        id (str): Card id (`card_` prefix).
        direction (ListCardTransactionsDirection | Unset):
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        first (int | Unset):  Default: 20.
        after (str | Unset): Opaque; shaped like the documented `cursor_01HGHI7890`.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CardTransactionListResponse | ErrorEnvelope | UnauthorizedError]
    """

    kwargs = _get_kwargs(
        id=id,
        direction=direction,
        from_=from_,
        to=to,
        first=first,
        after=after,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient,
    direction: ListCardTransactionsDirection | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    first: int | Unset = 20,
    after: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> CardTransactionListResponse | ErrorEnvelope | UnauthorizedError | None:
    """List card transactions

     Settled purchases (debits) and refunds (credits) of one card, newest first. The card's
    account must be in the key's `READ_CARDS` resources.

    Args:
        id (str): Card id (`card_` prefix).
        direction (ListCardTransactionsDirection | Unset):
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        first (int | Unset):  Default: 20.
        after (str | Unset): Opaque; shaped like the documented `cursor_01HGHI7890`.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CardTransactionListResponse | ErrorEnvelope | UnauthorizedError
    """

    return sync_detailed(
        id=id,
        client=client,
        direction=direction,
        from_=from_,
        to=to,
        first=first,
        after=after,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    direction: ListCardTransactionsDirection | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    first: int | Unset = 20,
    after: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[CardTransactionListResponse | ErrorEnvelope | UnauthorizedError]:
    """List card transactions

     Settled purchases (debits) and refunds (credits) of one card, newest first. The card's
    account must be in the key's `READ_CARDS` resources.

    Args:
        id (str): Card id (`card_` prefix).
        direction (ListCardTransactionsDirection | Unset):
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        first (int | Unset):  Default: 20.
        after (str | Unset): Opaque; shaped like the documented `cursor_01HGHI7890`.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CardTransactionListResponse | ErrorEnvelope | UnauthorizedError]
    """

    kwargs = _get_kwargs(
        id=id,
        direction=direction,
        from_=from_,
        to=to,
        first=first,
        after=after,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient,
    direction: ListCardTransactionsDirection | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    first: int | Unset = 20,
    after: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> CardTransactionListResponse | ErrorEnvelope | UnauthorizedError | None:
    """List card transactions

     Settled purchases (debits) and refunds (credits) of one card, newest first. The card's
    account must be in the key's `READ_CARDS` resources.

    Args:
        id (str): Card id (`card_` prefix).
        direction (ListCardTransactionsDirection | Unset):
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        first (int | Unset):  Default: 20.
        after (str | Unset): Opaque; shaped like the documented `cursor_01HGHI7890`.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CardTransactionListResponse | ErrorEnvelope | UnauthorizedError
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            direction=direction,
            from_=from_,
            to=to,
            first=first,
            after=after,
            x_request_id=x_request_id,
        )
    ).parsed
