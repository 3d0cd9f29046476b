"""The one model of openapi.yaml: loaded once, compiled once, read by every part of the project.

``model()`` is the compiled spec (operations, routes, validators); ``load_spec()`` the parsed
document; the JSON Schema toolkit (pointers, formats, validators) lives in ``_jsonschema``.
"""

from ._jsonschema import (
    Check,
    Validators,
    describe,
    escape,
    first_error,
    format_checker,
    lookup,
    parse_date_time,
    resolve,
    resolve_node,
    unescape,
)
from ._load import load_spec, spec_path
from ._model import (
    DOC,
    WRITE_METHODS,
    Body,
    Operation,
    Parameter,
    Response,
    Route,
    Spec,
    model,
    model_at,
    snake_case,
)

__all__ = [
    "DOC",
    "WRITE_METHODS",
    "Body",
    "Check",
    "Operation",
    "Parameter",
    "Response",
    "Route",
    "Spec",
    "Validators",
    "describe",
    "escape",
    "first_error",
    "format_checker",
    "load_spec",
    "lookup",
    "model",
    "model_at",
    "parse_date_time",
    "resolve",
    "resolve_node",
    "snake_case",
    "spec_path",
    "unescape",
]
