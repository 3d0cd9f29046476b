"""Schemathesis hooks of the contract suite (``hooks`` in schemathesis.toml loads this module).

Two documented behaviours reject requests the *schema* calls valid, because the schema cannot
say what the *contract* says:

- **Idempotency.** A key reused with another body within 24 hours answers 400
  ``idempotency_key_mismatch`` (reference §5). Schemathesis draws keys such as ``"0"`` again
  and again, each time with a new body.
- **Cursors.** ``after`` is any non-empty string by schema, but only a cursor the server issued
  (a previous ``page_info.end_cursor``) is accepted; others answer 400 ``bad_request`` (§3).

``positive_data_acceptance`` would flag both. Rather than widening the check's expected statuses
(which would hide every other wrong 400 on those operations), ``filter_failure`` drops such a
failure only when this run proves the reason: ``after_call`` records every key with the request
it came with and every cursor the server handed out.

On a real server (the runner sets ``SEQUENCE_CONTRACT_FRESH_IDEMPOTENCY_KEYS``) every generated
``Idempotency-Key`` the spec accepts is replaced by a fresh UUID v4: keys are kept for 24 hours,
and a key from an earlier run would replay that run's transfer or answer 400 instead of acting.
A key the spec rejects is left as generated: it is what makes a negative case negative, and
swapping it for a valid one would turn a request meant to be refused into a real write.

Negative cases may add undeclared headers with any name, now and then ``Transfer-Encoding`` or
``Content-Length``. Those frame the HTTP message itself: the HTTP server rejects a bad one with a
plain-text 400 before the API sees the request, so the contract has nothing to say about the
answer. ``map_headers`` leaves framing headers out of generated cases.

A third 400 is Schemathesis's own: a stateful step whose link yields ``null`` (an inferred link
from ``transfer.rule_id`` of a non-rule transfer to deleteRule) is still labelled schema-valid
and sends ``/rules/None``; a 400 is the right answer. Such a failure is dropped only when the
request re-validated against openapi.yaml does break the schema.
"""

from __future__ import annotations

import functools
import json
import os
import threading
import uuid
from typing import Any
from urllib.parse import parse_qs, urlsplit

import schemathesis
from jsonschema import Draft202012Validator
from schemathesis import Case, HookContext, Response
from schemathesis.core import NotSet
from schemathesis.core.failures import Failure

from .._spec import load_spec
from ._operations import by_label
from ._plan import FRESH_KEYS_ENV
from ._provenance import request_violations

_lock = threading.Lock()
#: (credentials, operation, idempotency key) -> every (URL, body) sent with that key
_keys: dict[tuple[str, str, str], set[tuple[str, bytes]]] = {}
#: every page_info.end_cursor the server returned
_cursors: set[str] = set()

_POSITIVE_DATA = "ST202"  # RejectedPositiveData, the failure of positive_data_acceptance
#: Headers that frame the message (RFC 9112) or the connection; never generated.
FRAMING_HEADERS = frozenset(
    {"content-length", "transfer-encoding", "connection", "keep-alive", "te", "upgrade", "host"}
)


def reset() -> None:
    """Forget every key and cursor (tests; each Schemathesis run is a fresh process anyway)."""
    with _lock:
        _keys.clear()
        _cursors.clear()


def _body(response: Response) -> bytes:
    body = response.request.body
    if isinstance(body, bytes):
        return body
    return body.encode() if isinstance(body, str) else b""


def _key_scope(case: Case[Any], response: Response) -> tuple[str, str, str] | None:
    headers = response.request.headers
    key = headers.get("Idempotency-Key")
    if key is None:
        return None
    return (str(headers.get("Authorization", "")), case.operation.label, str(key))


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
    schema = load_spec()["components"]["parameters"]["IdempotencyKey"]["schema"]
    return Draft202012Validator(schema)


def _fresh(name: str, value: object) -> bool:
    """Whether to send a fresh key instead of ``value`` (real server, a key the spec accepts)."""
    if name.lower() != "idempotency-key" or not os.environ.get(FRESH_KEYS_ENV):
        return False
    return _key_schema().is_valid(value)


@schemathesis.hook
def map_headers(context: HookContext, headers: dict[str, Any] | None) -> dict[str, Any] | None:
    if not headers:
        return headers
    return {
        name: str(uuid.uuid4()) if _fresh(name, value) else value
        for name, value in headers.items()
        if name.lower() not in FRAMING_HEADERS
    }


@schemathesis.hook
def after_call(context: HookContext, case: Case[Any], response: Response) -> None:
    scope = _key_scope(case, response)
    sent = (str(response.request.url), _body(response))
    with _lock:
        if scope is not None:
            _keys.setdefault(scope, set()).add(sent)
        try:
            payload = json.loads(response.content)
        except ValueError:
            return
        page_info = payload.get("page_info") if isinstance(payload, dict) else None
        cursor = page_info.get("end_cursor") if isinstance(page_info, dict) else None
        if isinstance(cursor, str):
            _cursors.add(cursor)


def _key_reused_with_other_request(case: Case[Any], response: Response) -> bool:
    scope = _key_scope(case, response)
    if scope is None:
        return False
    this = (str(response.request.url), _body(response))
    with _lock:
        return any(other != this for other in _keys.get(scope, ()))


def _cursor_never_issued(response: Response) -> bool:
    query = parse_qs(urlsplit(str(response.request.url)).query, keep_blank_values=True)
    sent = query.get("after")
    with _lock:
        return sent is not None and any(value not in _cursors for value in sent)


def _not_schema_valid(case: Case[Any]) -> bool:
    spec = load_spec()
    operation = by_label(spec).get(f"{case.method.upper()} {case.path}")
    if operation is None:
        return False
    request: dict[str, object] = {
        "path_parameters": dict(case.path_parameters or {}),
        "query": dict(case.query or {}),
        "headers": dict(case.headers or {}),
    }
    if not isinstance(case.body, NotSet):
        request["body"] = case.body
    return bool(request_violations(spec, operation, request))


@schemathesis.hook
def filter_failure(
    context: HookContext, failure: Failure, case: Case[Any], response: Response
) -> bool:
    """Keep every failure except a 400 the contract prescribes for this very request."""
    if failure.code != _POSITIVE_DATA or response.status_code != 400:
        return True
    if _not_schema_valid(case):
        return False
    code = _error_code(response)
    if code == "idempotency_key_mismatch" and _key_reused_with_other_request(case, response):
        return False
    return not (code == "bad_request" and _cursor_never_issued(response))
