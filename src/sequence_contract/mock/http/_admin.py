"""The admin API under ``/_mock``: ``admin.yaml`` routes and validates it, ``MockControl`` does it.

Every request is routed and validated against the admin document with the API's own machinery
(``Endpoints``, ``validate_arguments``, ``read_body``), so a 400 names the field the same way;
``TABLE`` maps each operationId to its function, and start-up refuses an operation without one.

Access: loopback clients only (in-process transports count as loopback), unless a token was
given (``--admin-token``); then every request needs ``Authorization: Bearer TOKEN``, wherever it
comes from. The API's keys never open it.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.types import Receive, Scope, Send

from ...spec import Spec
from .._control import MockControl, admin_spec
from .._errors import ApiError, not_found
from .._json import dumps
from ..state._clock import format_timestamp
from ._asgi import Incoming
from ._endpoints import Endpoints
from ._envelope import JSON, Answer, error_body
from ._validation import read_body, validate_arguments

PREFIX = "/_mock"
LOG = logging.getLogger("sequence_contract.mock")
_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost", "testclient"})  # testclient: Starlette's


@dataclass(slots=True)
class AdminCall:
    control: MockControl
    path: dict[str, Any]
    query: dict[str, Any]
    body: Any


Reply = tuple[int, object]  # status, JSON body (None: no body)
Function = Callable[[AdminCall], Reply]


def reset(call: AdminCall) -> Reply:
    call.control.reset()
    return 204, None


def put_fixtures(call: AdminCall) -> Reply:
    call.control.load(call.body)
    return 204, None


def get_state(call: AdminCall) -> Reply:
    return 200, call.control.state()


def get_clock(call: AdminCall) -> Reply:
    return 200, {"now": format_timestamp(call.control.now())}


def set_clock(call: AdminCall) -> Reply:
    return 200, {"now": format_timestamp(call.control.set_clock(call.body["now"]))}


def advance_clock(call: AdminCall) -> Reply:
    return 200, {"now": format_timestamp(call.control.advance(call.body["seconds"]))}


def list_requests(call: AdminCall) -> Reply:
    query = call.query
    entries = call.control.requests(
        operation=query.get("operation"), status=query.get("status"), limit=query.get("limit")
    )
    return 200, {"data": [entry.as_json() for entry in entries]}


def list_scenarios(call: AdminCall) -> Reply:
    return 200, {"data": [s.as_json() for s in call.control.list_scenarios()]}


def create_scenario(call: AdminCall) -> Reply:
    return 201, {"id": call.control.add_scenario(call.body).id}


def delete_scenario(call: AdminCall) -> Reply:
    call.control.delete_scenario(call.path["id"])
    return 204, None


def list_webhook_deliveries(call: AdminCall) -> Reply:
    query = call.query
    return 200, call.control.hooks.log_json(query.get("state"), query.get("transfer_id"))


def resend_webhook(call: AdminCall) -> Reply:
    event_id = call.path["event_id"]
    made = call.control.hooks.resend(event_id, call.query.get("url"))
    if not made:
        raise not_found("not_found", "delivery of event", event_id)
    return 202, {"deliveries": made}


def get_admin_open_api(call: AdminCall) -> Reply:
    return 200, admin_spec().document


#: operationId of admin.yaml -> the function that answers it.
TABLE: dict[str, Function] = {
    "reset": reset,
    "putFixtures": put_fixtures,
    "getState": get_state,
    "getClock": get_clock,
    "setClock": set_clock,
    "advanceClock": advance_clock,
    "listRequests": list_requests,
    "listScenarios": list_scenarios,
    "createScenario": create_scenario,
    "deleteScenario": delete_scenario,
    "listWebhookDeliveries": list_webhook_deliveries,
    "resendWebhook": resend_webhook,
    "getAdminOpenApi": get_admin_open_api,
}


def check_table(spec: Spec) -> None:
    missing = sorted({op.operation_id for op in spec.operations} - set(TABLE))
    if missing:
        raise RuntimeError(f"admin.yaml has operations the mock does not serve: {missing}")


class AdminApp:
    """The ASGI app of every request under ``/_mock``."""

    def __init__(self, control: MockControl, token: str | None = None) -> None:
        self.control = control
        self.token = token
        self._operations: Endpoints | None = None

    @property
    def operations(self) -> Endpoints:
        if self._operations is None:
            spec = admin_spec()
            check_table(spec)
            self._operations = Endpoints(spec)
        return self._operations

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Incoming(scope, receive)
        try:
            self._guard(scope, request)
            operation, path_args = self.operations.route(request.method, request.path, PREFIX)
            arguments = validate_arguments(operation, path_args, request.query, request.headers)
            body = await read_body(operation, request.headers, request.chunks())
            call = AdminCall(self.control, arguments.path, arguments.query, body)
            status, payload = TABLE[operation.operation_id](call)
            answer = Answer(status, {} if payload is None else {"Content-Type": JSON})
            if payload is not None:
                answer.body = dumps(payload)
        except ApiError as error:
            headers = {**error.headers, "Content-Type": JSON}
            answer = Answer(error.status, headers, error_body(error.code, error.message))
        except Exception:
            LOG.exception("unhandled error in %s %s", scope["method"], scope["path"])
            body = error_body("internal_server_error", "An unexpected error occurred.")
            answer = Answer(500, {"Content-Type": JSON}, body)
        await answer.send(send)

    def _guard(self, scope: Scope, request: Incoming) -> None:
        if self.token is not None:
            scheme, _, given = request.headers.get("authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(given, self.token):
                raise ApiError(
                    401,
                    "unauthorized",
                    "The admin API needs Authorization: Bearer <the --admin-token value>.",
                    {"WWW-Authenticate": "Bearer"},
                )
            return
        client = scope.get("client")
        if client is not None and client[0] not in _LOOPBACK:
            raise ApiError(
                403,
                "forbidden",
                "The admin API answers loopback clients only; start the mock with "
                "--admin-token to reach it from elsewhere.",
            )
