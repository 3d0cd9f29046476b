"""Who gets the mock's webhooks, and how often a failed delivery is tried again.

A ``Subscriber`` is a URL and, optionally, the event names it wants (``URL=event1,event2`` on
the command line). URLs are checked before anything is sent: http(s), no credentials (the
delivery log shows URLs), and a loopback host unless the user named the URL explicitly
(``--webhook`` or ``create_app(webhooks=...)``); a fixture file may name loopback URLs only.

``RetrySchedule`` is the mock's [choice], read from openapi.yaml (``x-retries`` on the
webhooks' failure response) so the spec and the mock cannot disagree; ``--webhook-retries``
overrides any of its fields.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from ...spec import Spec, lookup, model

_EVENTS = re.compile(r"[a-z_]+\.[a-z_]+(,[a-z_]+\.[a-z_]+)*")
_LOOPBACK_NAMES = frozenset({"localhost", "localhost."})


class SubscriberError(ValueError):
    """A webhook subscriber or retry schedule the mock refuses; the message says why."""


@dataclass(frozen=True, slots=True)
class Subscriber:
    url: str
    events: frozenset[str] | None = None  # None: every event

    def wants(self, event: str) -> bool:
        return self.events is None or event in self.events


def is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def subscriber(
    url: str,
    events: Iterable[str] | None = None,
    *,
    explicit: bool,
    known: Iterable[str] = (),
) -> Subscriber:
    """A checked subscriber. ``explicit``: the user named this URL themselves (CLI flag, code);
    ``known``: the event names a filter may list (empty: any)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SubscriberError(f"webhook URL {url!r}: must be an http(s) URL with a host")
    if parts.username is not None or parts.password is not None:
        raise SubscriberError(
            f"webhook URL {parts.hostname}: no credentials in the URL (the delivery log shows it)"
        )
    if not explicit and not is_loopback(parts.hostname):
        raise SubscriberError(
            f"webhook URL {url!r}: not a loopback address; only a URL named on the command line "
            "(--webhook) or in code (create_app(webhooks=...)) may point at another host"
        )
    wanted = None if events is None else frozenset(events)
    if wanted is not None:
        if not wanted:
            raise SubscriberError(f"webhook URL {url!r}: an empty event list would get nothing")
        unknown = sorted(wanted - set(known)) if known else []
        if unknown:
            raise SubscriberError(
                f"webhook URL {url!r}: unknown event(s) {unknown}; known: {sorted(known)}"
            )
    return Subscriber(url, wanted)


def parse_subscriber(text: str, *, explicit: bool, known: Iterable[str] = ()) -> Subscriber:
    """``URL`` or ``URL=event1,event2`` (the part after the last ``=`` is an event list only
    when it reads as one, so a query string such as ``?a=b`` stays part of the URL)."""
    url, sep, tail = text.strip().rpartition("=")
    if sep and _EVENTS.fullmatch(tail):
        return subscriber(url, tail.split(","), explicit=explicit, known=known)
    return subscriber(text.strip(), explicit=explicit, known=known)


@dataclass(frozen=True, slots=True)
class RetrySchedule:
    """When a failed delivery is tried again: seconds on the mock's clock (``timeout``: real
    seconds an attempt may wait for an answer)."""

    attempts: int
    first_delay: float
    factor: float
    max_delay: float
    deadline: float
    timeout: float

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise SubscriberError("webhook retries: attempts must be >= 1")
        for name in ("first_delay", "max_delay", "deadline", "timeout"):
            if not getattr(self, name) >= 0:  # also refuses NaN
                raise SubscriberError(f"webhook retries: {name} must be >= 0")
        if not self.factor >= 1:
            raise SubscriberError("webhook retries: factor must be >= 1")
        if self.timeout == 0:
            raise SubscriberError("webhook retries: timeout must be > 0")

    def wait(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        try:
            return float(min(self.max_delay, self.first_delay * self.factor ** (attempt - 1)))
        except OverflowError:
            return self.max_delay

    def next_due(self, first: datetime, attempt: int, failed: datetime) -> datetime | None:
        """When to try again after attempt ``attempt`` failed at ``failed``; None: give up."""
        if attempt >= self.attempts:
            return None
        due = failed + timedelta(seconds=self.wait(attempt))
        return None if due > first + timedelta(seconds=self.deadline) else due

    def replace(self, overrides: str) -> RetrySchedule:
        """This schedule with ``name=value,...`` overrides (``--webhook-retries``)."""
        fields = {f.name: f.type for f in dataclasses.fields(self)}
        changes: dict[str, float | int] = {}
        for item in filter(None, (part.strip() for part in overrides.split(","))):
            name, sep, value = item.partition("=")
            name = name.strip().replace("-", "_")
            if not sep or name not in fields:
                raise SubscriberError(
                    f"webhook retries: {item!r}: expected name=value with a name in {list(fields)}"
                )
            try:
                changes[name] = int(value) if name == "attempts" else float(value)
            except ValueError:
                raise SubscriberError(f"webhook retries: {name}: {value!r} is no number") from None
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    @classmethod
    def from_spec(cls, spec: Spec | None = None) -> RetrySchedule:
        """The schedule openapi.yaml documents (``x-retries`` on a webhook response)."""
        compiled = spec or model()
        for webhook in compiled.webhooks:
            for response in webhook.responses.values():
                node = lookup(compiled.document, response.pointer)
                found = node.get("x-retries") if isinstance(node, Mapping) else None
                if isinstance(found, Mapping):
                    return cls(
                        attempts=int(found["attempts"]),
                        **{
                            f.name: float(found[f.name])
                            for f in dataclasses.fields(cls)
                            if f.name != "attempts"
                        },
                    )
        raise LookupError("openapi.yaml documents no x-retries on its webhook responses")


def fixture_subscribers(entries: object, where: str, known: Iterable[str]) -> list[Subscriber]:
    """The fixtures member ``webhooks: [{"url", "events"?}]``: loopback URLs only (a fixture
    file is not the user naming a host on the command line)."""
    if not isinstance(entries, list):
        raise SubscriberError(f"{where}: must be a JSON array")
    found = []
    for number, entry in enumerate(entries):
        label = f"{where}[{number}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
            raise SubscriberError(f"{label}: must be an object with a string url")
        unknown = sorted(set(entry) - {"url", "events"})
        if unknown:
            raise SubscriberError(f"{label}: unknown member(s) {unknown}")
        events = entry.get("events")
        if events is not None and (
            not isinstance(events, list) or not all(isinstance(e, str) for e in events)
        ):
            raise SubscriberError(f"{label}.events: must be an array of event names")
        try:
            found.append(subscriber(entry["url"], events, explicit=False, known=known))
        except SubscriberError as problem:
            raise SubscriberError(f"{label}: {problem}") from None
    return found
