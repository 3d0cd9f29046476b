"""The spec's operations as the mock serves them, ``Endpoint``s: the shared model's ``Operation``
(``sequence_contract.spec``) with the checks compiled for each parameter (``ParameterCheck``) and
body (``BodyCheck``; ``Check``: jsonschema-rs decides, jsonschema explains a failure), and
routing through the model's one route function (literal segments before templated ones).

Nothing here is written per operation: an operation added to the spec is served (given a
handler) with its parameters and body validated.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...spec import Check, Operation, Spec
from .._errors import ApiError


@dataclass(frozen=True, slots=True)
class ParameterCheck:
    key: str  # how the request names it: lower case for headers, which match case-insensitively
    name: str  # as the spec spells it, for error messages (``spec.Parameter``'s two names)
    location: str  # "query" | "path" | "header"
    required: bool
    kind: str  # JSON type a raw string coerces to: "string", "integer", "number", "boolean"
    validator: Check
    default: object = None  # the schema's ``default``, used when the request leaves it out


@dataclass(frozen=True, slots=True)
class BodyCheck:
    required: bool
    media_types: tuple[str, ...]
    validator: Check | None


@dataclass(frozen=True, slots=True)
class Endpoint:
    spec: Operation
    parameters: tuple[ParameterCheck, ...]
    body: BodyCheck | None

    @property
    def operation_id(self) -> str:
        return self.spec.operation_id

    @property
    def required_scope(self) -> str:
        """The permission a key needs: the spec's ``x-required-scope``."""
        return self.spec.required_scope

    @property
    def idempotent(self) -> bool:
        """Takes an ``Idempotency-Key``."""
        return self.spec.idempotency_key


class Endpoints:
    """Every operation of one compiled spec, with validators, keyed by operationId."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.by_id = {op.operation_id: _wrap(spec, op) for op in spec.operations}

    def route(self, method: str, url_path: str, base_path: str) -> tuple[Endpoint, dict[str, str]]:
        """The operation and path arguments of a request; 404 for an unknown path, 405 (with
        ``Allow``) for a method the path does not document."""
        relative = url_path[len(base_path) :] if url_path.startswith(base_path + "/") else None
        found = None if relative is None else self.spec.route(relative)
        if found is None:
            raise ApiError(404, "not_found", f"No such endpoint: {method} {url_path}.")
        route, arguments = found
        operation = route.operations.get(method)
        if operation is None:
            raise ApiError(
                405,
                "method_not_allowed",
                f"{method} is not supported on {route.path}; use {route.allow}.",
                {"Allow": route.allow},
            )
        return self.by_id[operation.operation_id], arguments


def _wrap(spec: Spec, operation: Operation) -> Endpoint:
    validators = spec.validators
    parameters = tuple(
        ParameterCheck(
            key=parameter.key,
            name=parameter.name,
            location=parameter.location,
            required=parameter.required,
            kind=parameter.kind,
            validator=validators.check(parameter.schema_pointer),
            default=parameter.default,
        )
        for parameter in operation.parameters
        if parameter.location != "cookie"
    )
    body = operation.body
    return Endpoint(
        spec=operation,
        parameters=parameters,
        body=None
        if body is None
        else BodyCheck(
            body.required,
            body.media_types,
            None if body.schema_pointer is None else validators.check(body.schema_pointer),
        ),
    )
