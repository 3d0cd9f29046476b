"""Webhook names as openapi.yaml gives them, without the client: the mock reads them too.

``sequence_contract.webhooks`` (public) re-exports these; the mock imports this module so that
serving it never loads the generated client.
"""

from __future__ import annotations

import functools

from .spec import Operation, Spec, model, snake_case

#: The delivery-id header the spec declares on every webhook ([choice]; see openapi.yaml).
DELIVERY_ID_HEADER = "Webhook-Id"


def event_name(webhook: Operation) -> str:
    """``transfer.status_changed`` for the webhook ``TransferStatusChanged``: entity, then action
    (the documented ``<entity>.<action>`` format applied to the spec's webhook names)."""
    entity, _, action = snake_case(webhook.path).partition("_")
    return f"{entity}.{action}"


@functools.cache
def webhooks_by_event(spec: Spec) -> dict[str, Operation]:
    """Event name -> its webhook operation."""
    return {event_name(op): op for op in spec.webhooks}


def known_events(spec: Spec | None = None) -> frozenset[str]:
    """Event names with a webhook in openapi.yaml."""
    return frozenset(webhooks_by_event(spec or model()))
