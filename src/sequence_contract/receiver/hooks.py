"""Schemathesis hooks of the receiver run (``hooks`` in its config loads this module).

**Replays.** The mock repeats an event's ``Webhook-Id`` on every retry and resend, and so will
any sender that retries: a receiver must answer a repeat as it answered the first delivery
(acknowledge it again, and act once). ``replayed_delivery_accepted`` sends every acknowledged
schema-valid delivery that carries the header a second time, byte for byte, and fails unless
that answer is a 2xx too. Each schema-valid case carries a delivery id of its own
(``before_call``), as every real delivery does: the header is optional in the schema, so
generated cases often lack it, and Schemathesis repeats the ids it does generate; either way
the replay check would have nothing to replay.

**Framing headers.** As in the contract suite, generated cases never set headers that frame the
HTTP message (``Content-Length``, ``Transfer-Encoding``, ...): the HTTP server answers a bad one
before the receiver sees the request.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import schemathesis
from schemathesis import Case, CheckContext, HookContext, Response

from ..contract._framing import without_framing
from ..webhooks import DELIVERY_ID_HEADER

REPLAY_TIMEOUT = 10.0  # seconds; Schemathesis's own request timeout is of the same order


@schemathesis.hook
def map_headers(context: HookContext, headers: dict[str, Any] | None) -> dict[str, Any] | None:
    return without_framing(headers)


@schemathesis.hook
def before_call(context: HookContext, case: Case[Any], kwargs: dict[str, Any]) -> None:
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    # Case.headers is case-insensitive: this replaces a generated id, whatever its spelling.
    case.headers[DELIVERY_ID_HEADER] = f"whd_{uuid.uuid4().hex}"  # within the spec's pattern


@schemathesis.check
def replayed_delivery_accepted(
    ctx: CheckContext, response: Response, case: Case[Any]
) -> bool | None:
    """A repeated ``Webhook-Id`` with the same body is acknowledged again."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return None
    if not 200 <= response.status_code < 300:
        return None  # positive_data_acceptance judges the first answer
    sent = response.request
    delivery_id = sent.headers.get(DELIVERY_ID_HEADER)
    if delivery_id is None:
        return None
    body = sent.body.encode() if isinstance(sent.body, str) else sent.body
    if body is not None and not isinstance(body, bytes):
        return None  # a streamed body cannot be sent twice; Schemathesis sends JSON as bytes
    headers = {
        name: value.decode("latin-1") if isinstance(value, bytes) else value
        for name, value in sent.headers.items()
    }
    again = httpx.request(
        str(sent.method),
        str(sent.url),
        headers=headers,
        content=body,
        timeout=REPLAY_TIMEOUT,
        follow_redirects=False,
        trust_env=False,
    )
    if not 200 <= again.status_code < 300:
        raise AssertionError(
            f"Replayed delivery answered {again.status_code}\n"
            f"The first delivery of {DELIVERY_ID_HEADER} {delivery_id!r} got "
            f"{response.status_code}; the same delivery again must get a 2xx too (retries and "
            "resends repeat the id: acknowledge, and act once)."
        )
    return True
