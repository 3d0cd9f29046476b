import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.list_rule_executions_trigger_type import (
    ListRuleExecutionsTriggerType,
)
from ...models.rule_execution_list_response import RuleExecutionListResponse
from ...models.rule_execution_status import RuleExecutionStatus
from ...models.unauthorized_error import UnauthorizedError
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    rule_id: str,
    status: RuleExecutionStatus | Unset = UNSET,
    trigger_type: ListRuleExecutionsTriggerType | Unset = UNSET,
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

    params["rule_id"] = rule_id

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status

    params["status"] = json_status

    json_trigger_type: str | Unset = UNSET
    if not isinstance(trigger_type, Unset):
        json_trigger_type = trigger_type

    params["trigger_type"] = json_trigger_type

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
        "url": "/rule-executions",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | RuleExecutionListResponse | UnauthorizedError | None:
    if response.status_code == 200:
        response_200 = RuleExecutionListResponse.from_dict(response.json())

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
) -> Response[ErrorEnvelope | RuleExecutionListResponse | UnauthorizedError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    rule_id: str,
    status: RuleExecutionStatus | Unset = UNSET,
    trigger_type: ListRuleExecutionsTriggerType | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    first: int | Unset = 20,
    after: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[ErrorEnvelope | RuleExecutionListResponse | UnauthorizedError]:
    """List rule executions

     Returns rule executions for the organization, newest first (by `created_at`), filtered
    by status, trigger type and date range. `rule_id` is required and must be in the key's
    `READ_RULE_EXECUTIONS` resources.

    Args:
        rule_id (str): Rule id (`rule_` prefix).
        status (RuleExecutionStatus | Unset):
        trigger_type (ListRuleExecutionsTriggerType | Unset):
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        first (int | Unset):  Default: 20.
        after (str | Unset): Opaque; shaped like the documented `cursor_01HGHI7890`.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | RuleExecutionListResponse | UnauthorizedError]
    """

    kwargs = _get_kwargs(
        rule_id=rule_id,
        status=status,
        trigger_type=trigger_type,
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
    *,
    client: AuthenticatedClient,
    rule_id: str,
    status: RuleExecutionStatus | Unset = UNSET,
    trigger_type: ListRuleExecutionsTriggerType | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    first: int | Unset = 20,
    after: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> ErrorEnvelope | RuleExecutionListResponse | UnauthorizedError | None:
    """List rule executions

     Returns rule executions for the organization, newest first (by `created_at`), filtered
    by status, trigger type and date range. `rule_id` is required and must be in the key's
    `READ_RULE_EXECUTIONS` resources.

    Args:
        rule_id (str): Rule id (`rule_` prefix).
        status (RuleExecutionStatus | Unset):
        trigger_type (ListRuleExecutionsTriggerType | Unset):
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        first (int | Unset):  Default: 20.
        after (str | Unset): Opaque; shaped like the documented `cursor_01HGHI7890`.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | RuleExecutionListResponse | UnauthorizedError
    """

    return sync_detailed(
        client=client,
        rule_id=rule_id,
        status=status,
        trigger_type=trigger_type,
        from_=from_,
        to=to,
        first=first,
        after=after,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    rule_id: str,
    status: RuleExecutionStatus | Unset = UNSET,
    trigger_type: ListRuleExecutionsTriggerType | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    first: int | Unset = 20,
    after: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[ErrorEnvelope | RuleExecutionListResponse | UnauthorizedError]:
    """List rule executions

     Returns rule executions for the organization, newest first (by `created_at`), filtered
    by status, trigger type and date range. `rule_id` is required and must be in the key's
    `READ_RULE_EXECUTIONS` resources.

    Args:
        rule_id (str): Rule id (`rule_` prefix).
        status (RuleExecutionStatus | Unset):
        trigger_type (ListRuleExecutionsTriggerType | Unset):
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        first (int | Unset):  Default: 20.
        after (str | Unset): Opaque; shaped like the documented `cursor_01HGHI7890`.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | RuleExecutionListResponse | UnauthorizedError]
    """

    kwargs = _get_kwargs(
        rule_id=rule_id,
        status=status,
        trigger_type=trigger_type,
        from_=from_,
        to=to,
        first=first,
        after=after,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    rule_id: str,
    status: RuleExecutionStatus | Unset = UNSET,
    trigger_type: ListRuleExecutionsTriggerType | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    first: int | Unset = 20,
    after: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> ErrorEnvelope | RuleExecutionListResponse | UnauthorizedError | None:
    """List rule executions

     Returns rule executions for the organization, newest first (by `created_at`), filtered
    by status, trigger type and date range. `rule_id` is required and must be in the key's
    `READ_RULE_EXECUTIONS` resources.

    Args:
        rule_id (str): Rule id (`rule_` prefix).
        status (RuleExecutionStatus | Unset):
        trigger_type (ListRuleExecutionsTriggerType | Unset):
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        first (int | Unset):  Default: 20.
        after (str | Unset): Opaque; shaped like the documented `cursor_01HGHI7890`.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | RuleExecutionListResponse | UnauthorizedError
    """

    return (
        await asyncio_detailed(
            client=client,
            rule_id=rule_id,
            status=status,
            trigger_type=trigger_type,
            from_=from_,
            to=to,
            first=first,
            after=after,
            x_request_id=x_request_id,
        )
    ).parsed
