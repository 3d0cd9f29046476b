"""Transfer approval, as fixtures define it: which new transfers wait for a human, and the answer.

The documentation says a transfer can be created in ``pending_approval`` and wait for a human in
the app. The mock has no human, so the fixtures member ``approvals`` plays one:

    "approvals": [{"source": "acc_…", "destination": "acc_…", "min_amount": 100000,
                   "decision": "approve", "after": 60}]

A transfer made by createTransfer that matches the first entry (every given member must match;
absent ones match anything) starts ``pending_approval``. ``after`` seconds later (default: the
store's delay) the entry's ``decision`` applies: ``approve`` moves it to ``processing``, and it
settles one delay later like any transfer; ``reject`` moves it to ``cancelled``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..state._records import FixtureError

DECISIONS = ("approve", "reject")


@dataclass(frozen=True, slots=True)
class Approval:
    source: str | None = None
    destination: str | None = None
    min_amount: int = 0
    decision: str = "approve"
    after: float | None = None  # seconds until the decision; None: the store's delay

    def matches(self, source: str, destination: str, amount: int) -> bool:
        return (
            self.source in (None, source)
            and self.destination in (None, destination)
            and amount >= self.min_amount
        )


def first_match(
    approvals: list[Approval], source: str, destination: str, amount: int
) -> Approval | None:
    return next((a for a in approvals if a.matches(source, destination, amount)), None)


def parse_approvals(entries: object, where: str, accounts: set[str]) -> list[Approval]:
    """The fixtures member ``approvals``; FixtureError naming the entry and the member."""
    if not isinstance(entries, list):
        raise FixtureError(f"{where}: must be a JSON array")
    found = []
    for number, entry in enumerate(entries):
        label = f"{where}[{number}]"
        if not isinstance(entry, dict):
            raise FixtureError(f"{label}: must be an object")
        unknown = sorted(set(entry) - {"source", "destination", "min_amount", "decision", "after"})
        if unknown:
            raise FixtureError(f"{label}: unknown member(s) {unknown}")
        for side in ("source", "destination"):
            value = entry.get(side)
            if value is not None and value not in accounts:
                raise FixtureError(f"{label}.{side}: unknown account {value!r}")
        amount = entry.get("min_amount", 0)
        if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
            raise FixtureError(f"{label}.min_amount: must be an integer >= 0")
        decision = entry.get("decision", "approve")
        if decision not in DECISIONS:
            raise FixtureError(f"{label}.decision: must be one of {list(DECISIONS)}")
        after = entry.get("after")
        if after is not None and (
            not isinstance(after, int | float) or isinstance(after, bool) or not after >= 0
        ):
            raise FixtureError(f"{label}.after: must be a number of seconds >= 0")
        found.append(
            Approval(
                source=entry.get("source"),
                destination=entry.get("destination"),
                min_amount=amount,
                decision=decision,
                after=None if after is None else float(after),
            )
        )
    return found
