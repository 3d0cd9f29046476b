"""Reading the transfer webhooks: ``parse_event`` checks a delivery, ``confirm`` trusts it.

The documentation names three events (``transfer.created``, ``transfer.approval_required``,
``transfer.status_changed``), signs none of them, and tells receivers to fetch the transfer. So::

    event = parse_event(body, headers)       # validated against openapi.yaml's `webhooks`
    if event.delivery_id in seen: ...        # `Webhook-Id`: retries and resends repeat it
    transfer = confirm(event, client)        # getTransfer; raises if it contradicts the event

An event name the spec does not know is kept (``event.known`` is False), not rejected: the set
is open. A body that is not JSON or breaks the schema raises ``InvalidEvent`` naming the field.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping

from attrs import define
from sequence_api_client.api.transfers import get_transfer
from sequence_api_client.client import AuthenticatedClient
from sequence_api_client.models import Transfer, WebhookEventData
from sequence_api_client.models import WebhookEvent as GeneratedEvent
from sequence_api_client.types import Unset

from ._events import DELIVERY_ID_HEADER, event_name, known_events, webhooks_by_event
from ._unwrap import acall, call
from .spec import Spec, describe, first_error, model, parse_date_time

__all__ = [
    "DELIVERY_ID_HEADER",
    "FINAL_STATUSES",
    "EventMismatch",
    "InvalidEvent",
    "WebhookEvent",
    "aconfirm",
    "confirm",
    "event_name",
    "known_events",
    "parse_event",
]

#: Statuses a transfer never leaves ([choice]: the documentation draws no state machine).
FINAL_STATUSES = frozenset({"complete", "incomplete", "error", "cancelled"})
_EVENT_SCHEMA = "/components/schemas/WebhookEvent"  # for names no webhook of the spec carries


class InvalidEvent(ValueError):
    """A delivery that is not a webhook event: ``field`` names what is wrong (``body.data``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


class EventMismatch(Exception):
    """The transfer read back contradicts the event: do not act on the event."""

    def __init__(self, event: WebhookEvent, transfer: Transfer, message: str) -> None:
        super().__init__(message)
        self.event = event
        self.transfer = transfer


@define
class WebhookEvent(GeneratedEvent):
    """The spec's ``WebhookEvent`` (generated model) plus what came with it: the delivery id."""

    delivery_id: str | None = None

    @property
    def known(self) -> bool:
        """Whether openapi.yaml declares a webhook for this event name."""
        return self.event in known_events()

    @property
    def transfer_id(self) -> str | None:
        value = self.data.transfer_id
        return None if isinstance(value, Unset) else value

    @property
    def status(self) -> str | None:
        value = self.data.status
        return None if isinstance(value, Unset) else value


def parse_event(
    body: bytes | str, headers: Mapping[str, str] | None = None, *, spec: Spec | None = None
) -> WebhookEvent:
    """Check one delivery against openapi.yaml and return it as a ``WebhookEvent``.

    ``headers`` (any mapping; names match case-insensitively) supplies the delivery id.
    Raises ``InvalidEvent`` naming the field: the body is not JSON, is not an object, or breaks
    the schema of the event's webhook (of ``WebhookEvent`` for an event name the spec lacks).
    """
    compiled = spec or model()
    delivery_id = _delivery_id(compiled, headers)
    document = _json(body)
    if not isinstance(document, dict):
        raise InvalidEvent("body", f"must be a JSON object, got {type(document).__name__}")
    name = document.get("event")
    webhook = webhooks_by_event(compiled).get(name) if isinstance(name, str) else None
    pointer = _EVENT_SCHEMA
    if webhook is not None and webhook.body is not None and webhook.body.schema_pointer:
        pointer = webhook.body.schema_pointer
    error = first_error(
        compiled.validators.validator(pointer), document, compiled.validators.document
    )
    if error is not None:
        where = describe(error, "body")
        raise InvalidEvent(where.split(": ", 1)[0], where.split(": ", 1)[-1])
    rest = {k: v for k, v in document.items() if k not in ("event", "created_at", "data")}
    event = WebhookEvent(
        event=document["event"],
        created_at=parse_date_time(document["created_at"]),  # validated: it parses
        data=WebhookEventData.from_dict(document["data"]),
        delivery_id=delivery_id,
    )
    event.additional_properties = rest
    return event


def _json(body: bytes | str) -> object:
    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is not JSON")

    try:
        return json.loads(body, parse_constant=refuse)
    except RecursionError:
        raise InvalidEvent("body", "JSON nested too deeply") from None
    except ValueError as problem:  # includes JSONDecodeError and UnicodeDecodeError
        raise InvalidEvent("body", f"not JSON: {problem}") from None


def _delivery_id(spec: Spec, headers: Mapping[str, str] | None) -> str | None:
    if headers is None:
        return None
    wanted = DELIVERY_ID_HEADER.lower()
    value = next((v for k, v in headers.items() if k.lower() == wanted), None)
    if value is None:
        return None
    error = first_error(spec.validators.validator(_header_schema(spec)), value)
    if error is not None:
        raise InvalidEvent(f"header {DELIVERY_ID_HEADER}", error.message)
    return value


@functools.cache
def _header_schema(spec: Spec) -> str:
    for webhook in spec.webhooks:
        for parameter in webhook.parameters:
            if parameter.location == "header" and parameter.key == DELIVERY_ID_HEADER.lower():
                return parameter.schema_pointer
    raise LookupError(f"openapi.yaml declares no {DELIVERY_ID_HEADER} header on its webhooks")


def confirm(event: WebhookEvent, client: AuthenticatedClient) -> Transfer:
    """The event's transfer, read with getTransfer: the documented way to trust an unsigned event.

    Raises ``EventMismatch`` when the transfer contradicts the event (another status although
    the event's status is final), ``InvalidEvent`` when the event names no transfer, and the
    client's errors (``NotFoundError`` …) when the read fails.
    """
    transfer = call(get_transfer.sync_detailed, _transfer_id(event), client=client)
    return _agreeing(event, transfer)


async def aconfirm(event: WebhookEvent, client: AuthenticatedClient) -> Transfer:
    """``confirm`` for an async caller."""
    transfer = await acall(get_transfer.asyncio_detailed, _transfer_id(event), client=client)
    return _agreeing(event, transfer)


def _transfer_id(event: WebhookEvent) -> str:
    if event.transfer_id is None:
        raise InvalidEvent("body.data.transfer_id", f"{event.event!r} names no transfer")
    return event.transfer_id


def _agreeing(event: WebhookEvent, transfer: Transfer) -> Transfer:
    said, now = event.status, transfer.status
    if said is not None and said != now and said in FINAL_STATUSES:
        raise EventMismatch(
            event,
            transfer,
            f"{event.event} says transfer {transfer.id} is {said!r}, a final status, "
            f"but getTransfer answers {now!r}",
        )
    return transfer
