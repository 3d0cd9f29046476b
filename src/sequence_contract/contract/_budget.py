"""A real-server run's request budget (``--max-requests N``), spent on every phase and operation.

Schemathesis runs its phases one after the other (examples, coverage, fuzzing, stateful), and
the coverage phase alone can send hundreds of requests: a budget counted only as a total ends
inside coverage, and fuzzing and stateful never run. So the budget is split up front:

- each stage gets its share of N (``SHARES``): the runner's checks of what the API means
  (``checks``: idempotency, paging, unknown ids, permissions, documented values) first, then
  the four Schemathesis phases;
- inside a phase each selected operation gets an equal part (the stateful phase's scenarios
  span operations, so there only writes get a part of their own, and reads share the rest;
  the checks stage's requests are shared by all);
- what a stage leaves unspent passes to the next stage when it starts.

The write guard asks ``admit`` before forwarding each request (Schemathesis tells it the phase,
``_wire.PHASE_HEADER``), answers a request over its part itself, and the summary prints
``rows()``: each stage's share, what it spent and what it was refused.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

#: Shares of the budget, in the order the stages run.
SHARES = {"checks": 0.20, "examples": 0.10, "coverage": 0.25, "fuzzing": 0.25, "stateful": 0.20}
STAGES = tuple(SHARES)
STAGE = STAGES[0]  # the runner's own checks (its requests name this phase)
OTHER = "other"  # a request without a phase (a Schemathesis probe): counts toward the total only


@dataclass
class Budget:
    total: int
    operations: list[str]  # the operationIds the run selected
    writes: frozenset[str] = frozenset()  # among them, the writes
    coverage_off: frozenset[str] = frozenset()  # operations the coverage phase skips
    allotted: dict[str, int] = field(default_factory=dict)  # stage -> requests
    spent: Counter[tuple[str, str]] = field(default_factory=Counter)  # (stage, op) -> forwarded
    refused: Counter[str] = field(default_factory=Counter)  # stage -> answered by the guard
    started: list[str] = field(default_factory=list)  # stages in the order they began
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        if not self.allotted:
            shares = [int(self.total * share) for share in SHARES.values()]
            shares[STAGES.index("coverage")] += self.total - sum(shares)  # rounding
            self.allotted = dict(zip(STAGES, shares, strict=True))

    @property
    def used(self) -> int:
        return sum(self.spent.values())

    def stage_spent(self, stage: str) -> int:
        return sum(n for (name, _), n in self.spent.items() if name == stage)

    def _carried(self, stage: str) -> int:
        """What the stages before ``stage`` left unspent (they are over once it starts)."""
        before = STAGES[: STAGES.index(stage)]
        return sum(max(0, self.allotted[name] - self.stage_spent(name)) for name in before)

    def _members(self, stage: str) -> list[str]:
        if stage == "coverage":
            return [op for op in self.operations if op not in self.coverage_off]
        return list(self.operations)

    def part(self, stage: str, operation: str | None) -> int:
        """The requests ``operation`` may spend in ``stage`` (``operation`` None: the stage's)."""
        pool = self.allotted[stage] + self._carried(stage)
        members = self._members(stage)
        shared = stage == STAGE or (stage == "stateful" and operation not in self.writes)
        if operation is None or not members or shared:
            return pool
        return max(1, pool // len(members))

    def admit(self, phase: str | None, operation: str | None) -> bool:
        """Count and allow one request, or refuse it (the caller answers it itself)."""
        stage = phase if phase in SHARES else OTHER
        with self._lock:
            if self.used >= self.total:
                self.refused[stage] += 1
                return False
            if stage != OTHER:
                if stage not in self.started:
                    self.started.append(stage)
                key = operation or OTHER
                if self.spent[(stage, key)] >= self.part(stage, operation) or (
                    self.stage_spent(stage) >= self.part(stage, None)
                ):
                    self.refused[stage] += 1
                    return False
            self.spent[(stage, operation or OTHER)] += 1
            return True

    def examples_for(self, stage: str) -> int:
        """Schemathesis' max-examples for ``stage`` that fits an operation's part: fuzzing sends
        a positive and a negative case per example; a stateful scenario takes a few steps."""
        members = max(1, len(self._members(stage)))
        share = self.allotted[stage] // (1 if stage == "stateful" else members)
        return max(1, share // (2 if stage == "fuzzing" else 3))

    def rows(self) -> list[tuple[str, int, int, int]]:
        """(stage, allotted, spent, refused) per stage, then the phase-less requests."""
        rows = [(s, self.allotted[s], self.stage_spent(s), self.refused[s]) for s in STAGES]
        rows.append((OTHER, 0, self.stage_spent(OTHER), self.refused[OTHER]))
        return rows


def budget_for(
    total: int, operations: Iterable[str], writes: Iterable[str], coverage_off: Iterable[str]
) -> Budget:
    return Budget(total, sorted(operations), frozenset(writes), frozenset(coverage_off))
