"""Schemathesis hooks of the contract suite (``hooks`` in schemathesis.toml loads this module).

**Idempotency keys.** A key reused with another body within 24 hours answers 400
``idempotency_key_mismatch`` (reference §5), and Schemathesis draws keys such as ``"0"`` again and
again, each time with a new body: most positive cases of the five writes then tested only that
400 (1164 of them in one 1000-example run). ``before_call`` gives every key the spec accepts a key
derived from the whole request (UUID v5): the same request keeps its key, so a repeat is a
replay, as for a client's retry, and two different requests never share one. A key the spec
rejects is left as generated: it is what makes a negative case negative, and a valid one in its
place would turn a request meant to be refused into a real write. The derivation is fixed on the
mock (runs reproduce) and salted per run on a real server (runner sets
``SEQUENCE_CONTRACT_FRESH_IDEMPOTENCY_KEYS``), which keeps keys for 24 hours: a key from an
earlier run would replay that run's transfer instead of acting.

**Cursors.** ``after`` is any string of the cursor shape by schema, but a real server may accept
only cursors it issued (a previous ``page_info.end_cursor``) and answer 400 ``bad_request`` to
others (§3). ``positive_data_acceptance`` would flag that; rather than widening the check's
expected statuses (which would hide every other wrong 400), ``filter_failure`` drops such a
failure only when the run proves the reason: ``after_call`` records every cursor handed out, and
the 400's message must name ``after``, the parameter carrying the unissued cursor (a 400 about
``first`` sent beside it is the server refusing a documented value, and stays a failure).

**The guard's own answers.** In a real-server run the write guard answers some requests itself
(a request over its phase's share of the budget, a blocked write, a path outside the selection),
marked with ``X-Contract-Guard``. They are not the server's: ``filter_failure`` drops every
failure on such an answer (the guard's log reports them). ``before_call`` tells the guard each
case's phase in ``X-Contract-Phase``, which the guard takes off before forwarding.

**Framing headers.** Negative cases may add undeclared headers with any name, now and then
``Transfer-Encoding`` or ``Content-Length``. Those frame the HTTP message itself: the HTTP server
rejects a bad one with a plain-text 400 before the API sees the request, so the contract has
nothing to say about the answer. ``map_headers`` leaves framing headers out of generated cases.

**Null link values.** A 400 of Schemathesis's own: a stateful step whose link yields ``null`` (an
inferred link from ``transfer.rule_id`` of a non-rule transfer to deleteRule) is still labelled
schema-valid and sends ``/rules/None``; a 400 is the right answer. Such a failure is dropped only
when a path parameter of the case is in fact null.
"""

from __future__ import annotations

import functools
import json
import os
import re
import threading
import uuid
from typing import Any
from urllib.parse import parse_qs, urlsplit

import schemathesis
from jsonschema import Draft202012Validator
from schemathesis import Case, HookContext, Response
from schemathesis.core import NotSet
from schemathesis.core.failures import Failure

from ..spec import model
from ._framing import without_framing
from ._plan import FRESH_KEYS_ENV, PHASE_HEADER_ENV
from ._wire import ANSWERED_ENV, GUARD_HEADER, PHASE_HEADER

_lock = threading.Lock()
#: every page_info.end_cursor the server returned
_cursors: set[str] = set()
#: UUID v5 namespaces of derived idempotency keys: fixed for the mock, new each real-server run
_MOCK_KEYS = uuid.UUID("5e0c1a7e-0000-4000-8000-000000000000")
_RUN_KEYS = uuid.uuid4()

_POSITIVE_DATA = "ST202"  # RejectedPositiveData, the failure of positive_data_acceptance
CURSOR_PARAMETER = "after"  # the query parameter carrying a page's cursor (reference §3)


def reset() -> None:
    """Forget every cursor (tests; each Schemathesis run is a fresh process anyway)."""
    with _lock:
        _cursors.clear()


def _error_code(response: Response) -> str | None:
    try:
        payload = json.loads(response.content)
    except ValueError:
        return None
    error = payload.get("error") if isinstance(payload, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    return code if isinstance(code, str) else None


@functools.cache
def _key_schema() -> Draft202012Validator:
    return model().validators.validator("/components/parameters/IdempotencyKey/schema")


def derived_key(case: Case[Any], key: str) -> str:
    """The key sent instead of ``key``: one per distinct request (see the module docstring)."""
    body = None if isinstance(case.body, NotSet) else case.body
    request = repr((case.method, case.path, case.path_parameters, case.query, body, key))
    namespace = _RUN_KEYS if os.environ.get(FRESH_KEYS_ENV) else _MOCK_KEYS
    return str(uuid.uuid5(namespace, request))


@schemathesis.hook
def map_headers(context: HookContext, headers: dict[str, Any] | None) -> dict[str, Any] | None:
    return without_framing(headers)


@schemathesis.hook
def before_call(context: HookContext, case: Case[Any], kwargs: dict[str, Any]) -> None:
    headers = case.headers
    for name, value in list((headers or {}).items()):
        if name.lower() == "idempotency-key" and _key_schema().is_valid(value):
            headers[name] = derived_key(case, value)
    if os.environ.get(PHASE_HEADER_ENV):
        phase = getattr(getattr(case.meta, "phase", None), "name", None)
        if phase is not None and case.headers is not None:
            # On the case: the requests of checks that replay it carry it too.
            case.headers[PHASE_HEADER] = str(getattr(phase, "value", phase))


@schemathesis.hook
def after_call(context: HookContext, case: Case[Any], response: Response) -> None:
    try:
        payload = json.loads(response.content)
    except ValueError:
        return
    page_info = payload.get("page_info") if isinstance(payload, dict) else None
    cursor = page_info.get("end_cursor") if isinstance(page_info, dict) else None
    if isinstance(cursor, str):
        with _lock:
            _cursors.add(cursor)


def _cursor_never_issued(response: Response) -> bool:
    query = parse_qs(urlsplit(str(response.request.url)).query, keep_blank_values=True)
    sent = query.get(CURSOR_PARAMETER)
    with _lock:
        return sent is not None and any(value not in _cursors for value in sent)


def _message(response: Response) -> str:
    try:
        payload = json.loads(response.content)
    except ValueError:
        return ""
    error = payload.get("error") if isinstance(payload, dict) else None
    message = error.get("message") if isinstance(error, dict) else None
    return message if isinstance(message, str) else ""


def _names_cursor_parameter(response: Response) -> bool:
    """The 400 is about ``after``: its message names the parameter as a word."""
    return re.search(rf"\b{CURSOR_PARAMETER}\b", _message(response)) is not None


def _from_guard(failure: Failure, response: Response) -> bool:
    """The guard answered the failing request itself: the response carries its marker, or (a
    check's own probe, whose answer the hook never sees) the guard listed the failure's case."""
    headers = getattr(response, "headers", None) or {}
    if any(str(name).lower() == GUARD_HEADER.lower() for name in headers):
        return True
    listed = os.environ.get(ANSWERED_ENV)
    case_id = getattr(failure, "case_id", None)
    if not listed or not case_id or not os.path.isfile(listed):
        return False
    with open(listed, encoding="utf-8") as answered:
        return any(line.strip() == case_id for line in answered)


def _link_yielded_null(case: Case[Any]) -> bool:
    """A path parameter is null: a stateful link found nothing, and ``/rules/None`` went out."""
    return any(value is None for value in (case.path_parameters or {}).values())


@schemathesis.hook
def filter_failure(
    context: HookContext, failure: Failure, case: Case[Any], response: Response
) -> bool:
    """Keep every failure except one on the guard's own answer, or a 400 the contract prescribes
    for this very request."""
    if _from_guard(failure, response):
        return False
    if failure.code != _POSITIVE_DATA or response.status_code != 400:
        return True
    if _link_yielded_null(case):
        return False
    return not (
        _error_code(response) == "bad_request"
        and _cursor_never_issued(response)
        and _names_cursor_parameter(response)
    )
