"""Scenarios: what the mock does instead of (or around) its normal answer, the next ``times`` times.

A scenario names an operation (an operationId; for webhook scenarios an event name, or nothing
for any event), optionally an API key and a subset the request body must contain, and ``then``:

* ``Answer``: this error envelope instead, and nothing happens;
* ``Fault``: ``error_after_commit`` (the write commits and its idempotency slot keeps the real
  answer, the client gets ``status``), ``drop_after_commit`` (commits, then the connection closes
  with no answer), ``drop_before`` (nothing happens, the connection closes);
* ``Delay``: answer ``seconds`` later (real seconds);
* ``Webhook``: the next matching webhook events are delivered twice (``duplicate``, same
  ``Webhook-Id``), held back until the scenario is deleted (``hold``), or never (``drop``).

The pipeline asks ``Scenarios.take`` only while the table is not empty, so without scenarios
steering costs one truth test per request.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: The error code a steered answer carries when the scenario names none.
DEFAULT_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "unprocessable_entity",
    429: "too_many_requests",
    500: "internal_server_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}
DEFAULT_MESSAGE = "Answered by a mock scenario."
WEBHOOK_MODES = ("duplicate", "hold", "drop")
FAULTS = ("error_after_commit", "drop_after_commit", "drop_before")


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    code: str
    message: str
    headers: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Fault:
    fault: str  # one of FAULTS
    status: int | None = None  # error_after_commit's


@dataclass(frozen=True, slots=True)
class Delay:
    seconds: float


@dataclass(frozen=True, slots=True)
class Webhook:
    mode: str  # one of WEBHOOK_MODES


Then = Answer | Fault | Delay | Webhook


@dataclass(slots=True)
class Scenario:
    id: str
    operation: str | None
    then: Then
    times: int  # how many more requests (or events) it steers
    api_key: str | None = None
    body: Mapping[str, Any] | None = None
    held: list[tuple[str, Any, str, Any]] = field(default_factory=list)  # hold: events kept

    def matches(self, operation: str | None, key: str | None, body: object) -> bool:
        if self.operation is not None and self.operation != operation:
            return False
        if self.api_key is not None and self.api_key != key:
            return False
        return self.body is None or contains(body, self.body)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "operation": self.operation,
            "api_key": None if self.api_key is None else "******",
            "body": self.body,
            "times": self.times,
            "then": then_json(self.then),
            "held": len(self.held),
        }


def then_json(then: Then) -> dict[str, Any]:
    if isinstance(then, Answer):
        doc: dict[str, Any] = {"status": then.status, "code": then.code, "message": then.message}
        return {**doc, "headers": dict(then.headers)} if then.headers else doc
    if isinstance(then, Fault):
        return {"fault": then.fault, **({} if then.status is None else {"status": then.status})}
    if isinstance(then, Delay):
        return {"delay": then.seconds}
    return {"webhook": then.mode}


def parse_then(doc: Mapping[str, Any]) -> Then:
    """A ``then`` already valid against the admin document's ``ScenarioThen``."""
    if "webhook" in doc:
        return Webhook(str(doc["webhook"]))
    if "delay" in doc:
        return Delay(float(doc["delay"]))
    if "fault" in doc:
        status = doc.get("status")
        return Fault(str(doc["fault"]), None if status is None else int(status))
    status = int(doc["status"])
    return Answer(
        status,
        str(doc.get("code") or DEFAULT_CODES.get(status, "error")),
        str(doc.get("message") or DEFAULT_MESSAGE),
        dict(doc.get("headers") or {}),
    )


def contains(value: object, subset: object) -> bool:
    """Whether ``value`` holds ``subset``: objects member by member (recursively), else equal."""
    if isinstance(subset, Mapping):
        return isinstance(value, Mapping) and all(
            name in value and contains(value[name], part) for name, part in subset.items()
        )
    return value == subset


class Scenarios:
    """The scenario table, in the order scenarios were added (the first that matches steers)."""

    def __init__(self) -> None:
        self.items: dict[str, Scenario] = {}  # empty: the pipeline never looks further
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()

    def add(
        self,
        then: Then,
        *,
        operation: str | None,
        times: int = 1,
        api_key: str | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> Scenario:
        with self._lock:
            scenario = Scenario(f"scn_{next(self._numbers)}", operation, then, times, api_key, body)
            self.items[scenario.id] = scenario
            return scenario

    def remove(self, scenario_id: str) -> Scenario | None:
        with self._lock:
            return self.items.pop(scenario_id, None)

    def clear(self) -> list[Scenario]:
        with self._lock:
            removed = list(self.items.values())
            self.items.clear()
            return removed

    def take(self, operation: str, key: str, body: object) -> Then | None:
        """What steers this request, if anything (a use counts against the scenario's times)."""
        with self._lock:
            for scenario in self.items.values():
                if isinstance(scenario.then, Webhook) or scenario.times <= 0:
                    continue
                if scenario.matches(operation, key, body):
                    self._use(scenario)
                    return scenario.then
        return None

    def take_event(self, event: str) -> Scenario | None:
        """The webhook scenario that steers this event, if any (counted against its times)."""
        with self._lock:
            for scenario in self.items.values():
                then = scenario.then
                if (
                    isinstance(then, Webhook)
                    and scenario.times > 0
                    and scenario.matches(event, None, None)
                ):
                    self._use(scenario)
                    return scenario
        return None

    def _use(self, scenario: Scenario) -> None:
        """Count one use; a used-up scenario goes, but ``hold`` stays until deleted (which
        releases what it holds)."""
        scenario.times -= 1
        if scenario.times <= 0 and scenario.then != Webhook("hold"):
            del self.items[scenario.id]
