"""Request validation against the compiled operation table.

Query, path and header values arrive as strings and are coerced to the parameter's schema type
before validation (``first=20`` → 20); a value that does not coerce fails as a type error. A
parameter left out takes its schema's ``default``, so handlers never restate one.
Unknown query parameters are tolerated (as most APIs do, and as Schemathesis'
negative_data_rejection allows); a documented parameter given twice is rejected. Bodies must be
``application/json``, at most 1 MiB, UTF-8 and valid JSON (no NaN/Infinity), nested at most
``MAX_NESTING`` (64) arrays and objects deep; the spec documents neither 413 nor 415, so all of
these answer 400 ``bad_request`` naming the problem.

Nesting is counted over the raw bytes, strings skipped, before anything parses the body: the
parser, the schema validators and serialisation all recurse, and a body nested near the
interpreter's recursion limit used to parse, get stored, then fail as it was answered.

A JSON number with a fraction or exponent that is a whole number (``12345.0``, ``1e4``) is read
as an int: JSON Schema counts it as an integer, and a float in an ``*_in_cents`` field would
turn balances into floats. A number too large for a float (``1e400``) is a 400, not infinity.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NoReturn

from ...spec import describe
from .._errors import bad_request
from ._endpoints import Endpoint, ParameterCheck

MAX_BODY_BYTES = 1024 * 1024
MAX_NESTING = 64  # arrays and objects; a rule's condition tree uses two levels per `any`/`all`
# A JSON string (an unterminated one runs to the end); the unrolled loop keeps it linear and fast.
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))
_OPENING = frozenset(b"[{")
_INTEGER = re.compile(r"^-?[0-9]{1,30}$")
_NUMBER = re.compile(r"^-?[0-9]{1,30}(\.[0-9]{1,30})?([eE][+-]?[0-9]{1,3})?$")


@dataclass(slots=True)
class Arguments:
    path: dict[str, Any]
    query: dict[str, Any]
    headers: dict[str, Any]


def coerce(raw: str, kind: str) -> object:
    if kind == "integer" and _INTEGER.match(raw):
        return int(raw)
    if kind == "number" and _NUMBER.match(raw):
        value = float(raw)
        return value if math.isfinite(value) else raw
    if kind == "boolean" and raw in ("true", "false"):
        return raw == "true"
    return raw


def validate_arguments(
    operation: Endpoint,
    path: Mapping[str, str],
    query: list[tuple[str, str]],
    headers: Mapping[str, str],
) -> Arguments:
    counts: dict[str, int] = {}
    for name, _ in query:
        counts[name] = counts.get(name, 0) + 1
    query_values = dict(query)
    result = Arguments({}, {}, {})
    for parameter in operation.parameters:
        if parameter.location == "query":
            if counts.get(parameter.key, 0) > 1:
                raise bad_request(f"Query parameter `{parameter.name}` must be given only once.")
            raw = query_values.get(parameter.key)
            target = result.query
        elif parameter.location == "path":
            raw = path.get(parameter.key)
            target = result.path
        else:
            raw = headers.get(parameter.key)
            target = result.headers
        if raw is None:
            if parameter.required:
                raise bad_request(f"Missing required {_label(parameter)}.")
            if parameter.default is not None:
                target[parameter.key] = parameter.default
            continue
        value = coerce(raw, parameter.kind)
        error = parameter.validator.first_error(value)
        if error is not None:
            raise bad_request(f"Invalid {_label(parameter)}: {describe(error, '')}")
        target[parameter.key] = value
    return result


def _label(parameter: ParameterCheck) -> str:
    return f"{parameter.location} parameter `{parameter.name}`"


async def read_body(
    operation: Endpoint, headers: Mapping[str, str], chunks: AsyncIterator[bytes]
) -> object:
    """The validated JSON body of ``operation`` (None when it takes none and none was sent)."""
    spec = operation.body
    declared = headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY_BYTES):
        raise bad_request(f"Request body too large: the limit is {MAX_BODY_BYTES} bytes.")
    raw = bytearray()
    async for chunk in chunks:
        raw += chunk
        if len(raw) > MAX_BODY_BYTES:
            raise bad_request(f"Request body too large: the limit is {MAX_BODY_BYTES} bytes.")
    if spec is None:
        return None
    if not raw:
        if spec.required:
            raise bad_request("Request body is required (application/json).")
        return None
    media_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in spec.media_types:
        shown = media_type or "none"
        raise bad_request(f"Content-Type must be application/json, got {shown}.")
    try:
        text = bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        raise bad_request("Request body is not valid UTF-8.") from None
    if nesting_exceeds(raw, MAX_NESTING):
        raise bad_request(
            f"Request body is nested too deeply. The limit is {MAX_NESTING} levels of arrays "
            "and objects."
        )
    try:
        body = json.loads(text, parse_constant=_reject_constant, parse_float=_parse_float)
    except ValueError as problem:
        raise bad_request(f"Request body is not valid JSON: {problem}") from None
    if spec.validator is not None:
        error = spec.validator.first_error(body)
        if error is not None:
            raise bad_request(f"Invalid request body: {describe(error, 'body')}")
    return body


def nesting_exceeds(raw: bytes | bytearray, limit: int) -> bool:
    """Whether the JSON text ``raw`` opens more than ``limit`` arrays/objects inside each other.

    A loop, not a parse: strings are cut out first (brackets inside them do not count), then the
    brackets left are counted. Malformed JSON is counted as written and left to the parser.
    """
    if raw.count(b"[") + raw.count(b"{") <= limit:  # the usual body: no scan at all
        return False
    depth = 0
    for byte in _STRING.sub(b"", raw).translate(None, _NOT_BRACKETS):
        if byte in _OPENING:
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def _parse_float(text: str) -> float | int:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:40]} is out of range")
    return int(Decimal(text)) if value.is_integer() else value


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")
