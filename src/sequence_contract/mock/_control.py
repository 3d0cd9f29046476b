"""``MockControl``: the admin API's operations as plain methods, the one implementation behind
both ``/_mock`` (``_admin``) and the ``sequence_mock`` pytest fixture.

Every method either does what it says or raises ``ApiError`` (400 naming the field, 404, 409) and
changes nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, cast

from ..spec import Spec, describe
from ..spec._load import parse_yaml
from ._errors import ApiError, bad_request, not_found
from ._fixtures import seed_from
from .state._clock import Clock, format_timestamp, parse_timestamp
from .state._journal import Entry, Journal
from .state._records import FixtureError
from .state._scenarios import Scenario, Scenarios, Webhook, parse_then
from .state._store import Store
from .webhooks._hooks import MockWebhooks

DOCUMENT = Path(__file__).parent / "http" / "admin.yaml"


@functools.cache
def admin_spec() -> Spec:
    """The admin API's document, parsed on first use (serving the API never needs it)."""
    return Spec(parse_yaml(DOCUMENT.read_bytes()))


class Clearable(Protocol):
    def clear(self) -> None: ...


class MockControl:
    def __init__(
        self,
        store: Store,
        hooks: MockWebhooks,
        journal: Journal,
        scenarios: Scenarios,
        *,
        remembered: tuple[Clearable, ...] = (),
        api: Spec,
        events: frozenset[str],
    ) -> None:
        self.store = store
        self.hooks = hooks
        self.journal = journal
        self.scenarios = scenarios
        self._remembered = remembered  # per-key memory of the pipeline: idempotency, rate limit
        self._api = api
        self._events = events

    # -- state ---------------------------------------------------------------------------------

    def reset(self) -> None:
        """Back to the fixtures the mock holds; scenarios, journal and idempotency slots go, the
        clock stays."""
        self.scenarios.clear()
        self.journal.clear()
        self._forget()
        self.store.reset()

    def _forget(self) -> None:
        for memory in self._remembered:
            memory.clear()

    def load(self, fixtures: object) -> None:
        """Replace the organisation with ``fixtures`` (a fixture file's JSON object) and reset
        to it; a bad one is a 400 naming member, entry and field, and nothing changes."""
        try:
            seed = seed_from(self._api.validators, fixtures, "fixtures")
        except FixtureError as problem:
            raise bad_request(str(problem)) from None
        if seed.webhooks:
            raise bad_request("fixtures: webhooks: subscribers are set when the mock starts")
        self._forget()
        self.store.replace(seed)

    def state(self) -> dict[str, list[Any]]:
        """Every record, as the API shows it (deleted ones too, with their ``deleted_at``)."""
        store = self.store
        with store.lock:
            store.settle()
            account = self._api.validators.properties("Account")
            return {
                "accounts": [
                    {k: v for k, v in a.doc.items() if k in account}
                    for a in store.accounts.values()
                ],
                "rules": [dict(rule.doc) for rule in store.rules.values()],
                "rule_executions": [dict(e.doc) for e in store.executions.values()],
                "transfers": [t.to_doc() for t in store.transfers.values()],
                "cards": [dict(card) for card in store.cards.values()],
                "card_transactions": [dict(t.doc) for t in store.card_transactions.values()],
            }

    # -- clock ---------------------------------------------------------------------------------

    @property
    def clock(self) -> Clock:
        return self.store.clock

    def now(self) -> datetime:
        return self.store.clock.now()

    def advance(self, seconds: float) -> datetime:
        """Move the clock forward and apply every effect that has come due."""
        if seconds < 0:
            raise bad_request("seconds: the clock only moves forward")
        moved = self._mover("advance")(seconds)
        self.store.settle()
        return moved

    def set_clock(self, now: str | datetime) -> datetime:
        """Move the clock to ``now`` (not before the current time), applying what came due."""
        moment = parse_timestamp(now) if isinstance(now, str) else now
        if moment.tzinfo is None:
            raise bad_request("now: needs a timezone")
        if moment < self.now():
            raise bad_request(
                f"now: the clock only moves forward; it is {format_timestamp(self.now())}"
            )
        moved = self._mover("set")(moment)
        self.store.settle()
        return moved

    def _mover(self, name: str) -> Callable[[Any], datetime]:
        """The clock's ``advance`` or ``set`` (a clock given in code may have neither: 409)."""
        mover = getattr(self.store.clock, name, None)
        if mover is None:
            raise ApiError(409, "conflict", "This mock's clock cannot be moved.")
        return cast(Callable[[Any], datetime], mover)

    # -- journal -------------------------------------------------------------------------------

    def requests(
        self, *, operation: str | None = None, status: int | None = None, limit: int | None = None
    ) -> list[Entry]:
        return self.journal.read(operation=operation, status=status, limit=limit)

    # -- scenarios -----------------------------------------------------------------------------

    def add_scenario(self, doc: Mapping[str, Any]) -> Scenario:
        """A scenario from its JSON form (``ScenarioInput`` in the admin document)."""
        error = admin_spec().validators.check("/components/schemas/ScenarioInput").first_error(doc)
        if error is not None:
            raise bad_request(describe(error, "").lstrip("."))
        then = parse_then(doc["then"])
        operation = doc.get("operation")
        if isinstance(then, Webhook):
            if operation is not None and operation not in self._events:
                known = ", ".join(sorted(self._events))
                raise bad_request(f"operation: {operation!r} is no webhook event ({known})")
        elif operation is None:
            raise bad_request("operation: required (an operationId) unless then is a webhook")
        elif operation not in self._api.by_id:
            raise bad_request(f"operation: {operation!r} is no operationId of openapi.yaml")
        return self.scenarios.add(
            then,
            operation=operation,
            times=int(doc.get("times", 1)),
            api_key=doc.get("api_key"),
            body=doc.get("body"),
        )

    def list_scenarios(self) -> list[Scenario]:
        return list(self.scenarios.items.values())

    def delete_scenario(self, scenario_id: str) -> None:
        """Remove a scenario; a ``hold`` one sends what it kept back."""
        scenario = self.scenarios.remove(scenario_id)
        if scenario is None:
            raise not_found("not_found", "scenario", scenario_id)
        self.hooks.release(scenario)
