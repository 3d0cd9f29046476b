"""Response validation in the client: ``connect(validate="off" | "warn" | "strict")``.

Every answer to a known operation is checked against openapi.yaml by the traffic checker
(``sequence_contract.traffic``), before the status becomes an exception and before the
generated code parses the body:

* ``warn``: each violation is a ``ContractWarning``, a log record (logger
  ``sequence_contract.validation``, WARNING; ``info`` records at INFO) and an entry of the
  client's collector, ``client.violations``, which users read or hook;
* ``strict``: a violation raises ``ContractError`` carrying the records;
* ``off``: nothing is read or parsed.

In every mode, ``off`` included, a 2xx/3xx status that Python's ``HTTPStatus`` does not know
(the generated code would raise a bare ``ValueError``: openapi-python-client issue 1442) raises
``ContractError`` with its record; a 4xx/5xx one is the status error, as before.
"""

from __future__ import annotations

import json
import logging
import warnings
from collections.abc import Callable, Iterator
from http import HTTPStatus
from typing import Any, Literal

import httpx

from ._errors import ContractError
from .conformance import INFO, Violation
from .spec import Spec, model

Mode = Literal["off", "warn", "strict"]
MODES: tuple[Mode, ...] = ("off", "warn", "strict")
#: The default by issue 14's rule: ``warn`` if it costs at most 10 % on a 100-item page. It costs
#: 24 % of the client's CPU time there (scripts/bench-client, canned bytes: ~0.1 ms of
#: jsonschema-rs plus the bookkeeping, on ~1.5 ms of httpx and the generated models), so ``off``.
DEFAULT_MODE: Mode = "off"
KNOWN_STATUSES = frozenset(int(status) for status in HTTPStatus)
logger = logging.getLogger("sequence_contract.validation")


class ContractWarning(UserWarning):
    """An answer broke openapi.yaml; ``violation`` is the record (``validate="warn"``)."""

    def __init__(self, violation: Violation) -> None:
        self.violation = violation
        super().__init__(violation.line())


class Violations:
    """A client's collector: every record its answers produced, in order, and hooks called
    with each new one (``client.violations.hook(print)``)."""

    def __init__(self) -> None:
        self.records: list[Violation] = []
        self.hooks: list[Callable[[Violation], None]] = []

    def __iter__(self) -> Iterator[Violation]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    def __repr__(self) -> str:
        return f"Violations({len(self.records)} records)"

    def hook(self, callback: Callable[[Violation], None]) -> Callable[[Violation], None]:
        self.hooks.append(callback)
        return callback

    def clear(self) -> None:
        self.records.clear()

    def add(self, record: Violation) -> None:
        self.records.append(record)
        for callback in self.hooks:
            callback(record)


class _Parsed(httpx.Response):
    """An answer whose JSON body is already decoded: the generated parser reuses it."""

    parsed: Any = None

    def json(self, **kwargs: Any) -> Any:  # noqa: ANN401 - httpx's own signature
        return super().json(**kwargs) if kwargs else self.parsed


def check_mode(mode: str) -> Mode:
    if mode not in MODES:
        raise ValueError(f"validate must be one of {', '.join(MODES)}, got {mode!r}")
    return mode


class ResponseCheck:
    """What a client's transport does with each answer, per its mode."""

    def __init__(
        self,
        mode: Mode,
        base_path: str,
        secret: str,
        collector: Violations,
        spec: Spec | None = None,  # None: the installed openapi.yaml
    ) -> None:
        self.mode, self.base_path, self.secret = mode, base_path, secret
        self.collector = collector
        self.spec = spec

    def needs_body(self, response: httpx.Response) -> bool:
        return self.mode != "off" or response.status_code not in KNOWN_STATUSES

    def __call__(self, request: httpx.Request, response: httpx.Response) -> httpx.Response:
        """The answer to pass on (its body already read when it was checked), or raise."""
        status = response.status_code
        unknown = status < 400 and status not in KNOWN_STATUSES
        if self.mode == "off" and not unknown:
            return response
        spec = self.spec or model()
        op = spec.match(request.method, request.url.path, self.base_path)
        if op is None:
            if unknown:
                raise ContractError(f"{request.method} {request.url.path}", f"status {status}")
            return response
        from .conformance import conformance  # loaded with the first checked answer

        try:
            body, decoded = json.loads(response.content), True
        except ValueError:
            body, decoded = None, False
        checker = conformance(self.spec) if self.spec is not None else conformance()
        records = checker.check(
            op, status, response.headers, response.content, path=request.url.path,
            request_headers=request.headers, secret=self.secret,
            decoded=(body, decoded),
        )  # fmt: skip
        if unknown:  # the generated parser would raise a bare ValueError: never let it see this
            records = [r for r in records if r.check in ("status", "fingerprint")] or records
            problem = records[0].line() if records else f"status {status} is no HTTP status"
            raise ContractError(op.operation_id, problem, status, violations=records)
        broken = [r for r in records if r.severity != INFO]
        for record in records:
            self.collector.add(record)
            if record.severity == INFO:
                logger.info("%s", record.line())
            elif self.mode == "warn":
                logger.warning("%s", record.line())
                warnings.warn(ContractWarning(record), stacklevel=2)
        if broken and self.mode == "strict":
            raise ContractError(op.operation_id, broken[0].line(), status, violations=broken)
        if not decoded or status >= 400:
            return response
        parsed = _Parsed(
            status, headers=response.headers, content=response.content, request=request,
            extensions=response.extensions,
        )  # fmt: skip
        parsed.parsed = body
        return parsed
