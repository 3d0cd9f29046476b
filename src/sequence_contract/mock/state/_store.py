"""All mutable state of one mock organisation, in one object with ``reset()``.

Besides the records it keeps the keyset indexes that make paging O(log n + page): transfers per
account (as source or destination), executions per rule, card transactions per card. Effects
that take time (transfer settlement, rule executions finishing) wait in a heap ordered by due
time; ``settle()`` applies every effect due by the clock's current time, and the pipeline calls it
before each handler, so state advances lazily and deterministically with the clock.

Writes are transactions (``with store.transaction():``): every store method that changes state
records how to undo the change while one is open, and a block that raises is undone newest first,
so a failed write leaves nothing behind. That costs one small closure per change, never a copy of
a collection. Handlers change state only through these methods; code that changes a record in
place first calls ``keep(doc)`` or ``keep_transfer(transfer)``. Not undone: ids already minted (a
gap is harmless). Each effect ``settle()`` applies is a transaction of its own: one that raises
is rolled back and logged, and neither the request that happened to trigger ``settle()`` nor the
effects after it fail with it.

Webhook events leave the same way (``publish``): they wait in an outbox until their
transaction commits and are dropped if it rolls back. That happens under the store's lock, so a
transfer's events are handed on in the order its changes happened.
"""

from __future__ import annotations

import copy
import heapq
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from ._clock import Clock, parse_timestamp
from ._index import Keyed, SortedIndex

if TYPE_CHECKING:  # the seed's parsed entries: data the store holds, not code it runs
    from ..domain._permissions import ApiKey
    from ..domain.approvals import Approval
    from ..webhooks._subscribers import Subscriber
from ._records import Account, CardTransaction, Doc, Execution, Rule, Transfer


@dataclass(slots=True)
class Seed:
    """Parsed fixture content, kept pristine so ``reset()`` can rebuild the organisation."""

    accounts: list[Doc] = field(default_factory=list)
    rules: list[Doc] = field(default_factory=list)
    rule_executions: list[Doc] = field(default_factory=list)
    transfers: list[Doc] = field(default_factory=list)
    cards: list[Doc] = field(default_factory=list)
    card_transactions: list[Doc] = field(default_factory=list)
    api_keys: list[ApiKey] = field(default_factory=list)
    webhooks: list[Subscriber] = field(default_factory=list)
    approvals: list[Approval] = field(default_factory=list)


class EventSink(Protocol):
    """Where published webhook events go (``Deliveries``)."""

    def emit(self, event: str, data: Mapping[str, Any], *, key: str, at: datetime) -> object: ...

    def reset(self) -> None: ...


Effect = Callable[[datetime], None]
Undo = Callable[[], object]
_Scheduled = tuple[datetime, int, Effect]  # (due, scheduling order, effect)
K = TypeVar("K", bound=Keyed)
LOG = logging.getLogger("sequence_contract.mock")


class Transaction:
    """The context of ``Store.transaction`` (a class, not a generator: every request opens one)."""

    __slots__ = ("_store",)

    def __init__(self, store: Store) -> None:
        self._store = store

    def __enter__(self) -> None:
        store = self._store
        store.lock.acquire()
        if store._journal is not None:
            store.lock.release()
            raise RuntimeError("store transactions do not nest")
        store._journal = []

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        store = self._store
        journal, store._journal = store._journal, None
        try:
            if kind is not None and journal:
                for undo in reversed(journal):
                    undo()
            if store._outbox:
                store._send_outbox(committed=kind is None)
        finally:
            store.lock.release()


class Store:
    def __init__(
        self,
        seed: Seed,
        clock: Clock,
        *,
        delay: float,
        minimum_amount: int,
    ) -> None:
        self.seed = seed
        self.clock = clock
        self.delay = timedelta(seconds=delay)
        #: Smallest transfer in cents; a rule's smaller move fails instead (see _executions).
        self.minimum_amount = minimum_amount
        self.lock = threading.RLock()
        self._journal: list[Undo] | None = None  # undo steps of the open transaction
        self._transaction = Transaction(self)
        self._sink: EventSink | None = None  # webhook events go here; None: nobody listens
        self._outbox: list[tuple[str, Doc, str, datetime]] = []  # the open transaction's events
        #: Which transfers made by createTransfer wait for approval (fixtures ``approvals``).
        self.approvals = list(seed.approvals)
        self.reset()

    # -- lifecycle -----------------------------------------------------------------------------

    def reset(self) -> None:
        """Back to the seed: fixtures reloaded, created objects and the queue of effects gone
        (what the pipeline remembers per key, idempotency and rate limit, is ``MockControl``'s
        to clear)."""
        with self.lock:
            if self._sink is not None:
                self._sink.reset()
            seed = copy.deepcopy(self.seed)
            self.api_keys: dict[str, ApiKey] = {key.key: key for key in seed.api_keys}
            self.accounts: dict[str, Account] = {}
            self.rules: dict[str, Rule] = {}
            self.executions: dict[str, Execution] = {}
            self.transfers: dict[str, Transfer] = {}
            self.cards: dict[str, Doc] = {}
            self.card_transactions: dict[str, CardTransaction] = {}
            self.transfers_by_account: dict[str, SortedIndex[Transfer]] = {}
            self.executions_by_rule: dict[str, SortedIndex[Execution]] = {}
            self.transactions_by_card: dict[str, SortedIndex[CardTransaction]] = {}
            self._parties: dict[str, Doc] = {}
            self._queue: list[_Scheduled] = []
            self._sequence = 0
            for doc in seed.accounts:
                self.accounts[doc["id"]] = Account(doc)
            for doc in seed.rules:
                supported = doc.pop("is_supported", True)
                self.rules[doc["id"]] = Rule(doc, is_supported=bool(supported))
            for doc in seed.rule_executions:
                self.add_execution(Execution(doc, parse_timestamp(doc["created_at"])))
            for doc in seed.transfers:
                self.add_transfer(self._transfer_from_doc(doc))
            for doc in seed.cards:
                self.cards[doc["id"]] = doc
            for doc in seed.card_transactions:
                item = CardTransaction(doc, parse_timestamp(doc["created_at"]))
                self.card_transactions[doc["id"]] = item
                self.transactions_by_card.setdefault(doc["card_id"], SortedIndex()).add(item)

    def replace(self, seed: Seed) -> None:
        """A new organisation (``PUT /_mock/fixtures``), then ``reset()`` to it."""
        with self.lock:
            self.seed = seed
            self.approvals = list(seed.approvals)
            self.reset()

    # -- transactions --------------------------------------------------------------------------

    def transaction(self) -> Transaction:
        """``with store.transaction():`` all or nothing: when the block raises, every change it
        made through the store's methods is undone, newest first."""
        return self._transaction

    def _record(self, undo: Undo) -> None:
        """Remember how to take back a change (only while a transaction is open)."""
        if self._journal is not None:
            self._journal.append(undo)

    def keep(self, doc: Doc) -> None:
        """Call before changing ``doc``'s members in place: a rollback puts back what it holds
        now (a shallow copy: nested values must be replaced, not changed)."""
        if self._journal is not None:
            saved = dict(doc)

            def undo() -> None:
                doc.clear()
                doc.update(saved)

            self._journal.append(undo)

    def keep_transfer(self, transfer: Transfer) -> None:
        """Call before a transfer's status changes: a rollback puts back its status, error code
        and completion time."""
        if self._journal is not None:
            status, error_code, completed = transfer.status, transfer.error_code, transfer.completed

            def undo() -> None:
                transfer.set_status(status, error_code)
                transfer.completed = completed

            self._journal.append(undo)

    # -- webhook events ------------------------------------------------------------------------

    def publish_to(self, sink: EventSink) -> None:
        """Send webhook events to ``sink`` from now on (create_app, when there are subscribers)."""
        self._sink = sink

    def publish(self, event: str, data: Doc, *, key: str, at: datetime) -> None:
        """A webhook event about ``key`` (a transfer id): sent when the open transaction commits
        (dropped if it rolls back), at once outside one. Nothing happens without a sink."""
        if self._sink is None:
            return
        with self.lock:
            if self._journal is not None:
                self._outbox.append((event, data, key, at))
            else:
                self._sink.emit(event, data, key=key, at=at)

    def _send_outbox(self, *, committed: bool) -> None:
        events, self._outbox = self._outbox, []
        if committed and self._sink is not None:
            for event, data, key, at in events:
                self._sink.emit(event, data, key=key, at=at)

    # -- time ----------------------------------------------------------------------------------

    def now(self) -> datetime:
        moment = self.clock.now()
        return moment.replace(microsecond=moment.microsecond // 1000 * 1000)

    def schedule(self, due: datetime, effect: Effect) -> None:
        with self.lock:
            self._sequence += 1
            entry = (due, self._sequence, effect)
            heapq.heappush(self._queue, entry)
            self._record(lambda: self._unschedule(entry))

    def _unschedule(self, entry: _Scheduled) -> None:
        self._queue.remove(entry)  # O(queue), paid only by a write that is rolled back
        heapq.heapify(self._queue)

    def settle(self) -> None:
        """Apply every effect due by now, in due order (ties: scheduling order), each all or
        nothing: one that raises (a bug of the mock) is rolled back, logged and dropped."""
        if not self._queue:
            return
        now = self.clock.now()
        with self.lock:
            while self._queue and self._queue[0][0] <= now:
                due, _, effect = heapq.heappop(self._queue)
                try:
                    with self._transaction:
                        effect(due)
                except Exception:
                    LOG.exception("an effect due at %s failed and was rolled back", due)

    def pending_effects(self) -> int:
        return len(self._queue)

    # -- records -------------------------------------------------------------------------------

    def live_account(self, account_id: str) -> Account | None:
        account = self.accounts.get(account_id)
        return None if account is None or account.deleted else account

    def live_rule(self, rule_id: str) -> Rule | None:
        rule = self.rules.get(rule_id)
        return None if rule is None or rule.deleted else rule

    def party(self, account_id: str) -> Doc:
        """The shared TransferParty dict for an account (one object per account)."""
        party = self._parties.get(account_id)
        if party is None:
            with self.lock:
                party = self.accounts[account_id].party()
                self._parties[account_id] = party
                self._record(lambda: self._parties.pop(account_id, None))
        return party

    def add_rule(self, rule: Rule) -> None:
        with self.lock:
            self.rules[rule.id] = rule
            self._record(lambda: self.rules.pop(rule.id, None))

    def update_rule(self, rule: Rule, changes: Doc, *, is_supported: bool | None = None) -> None:
        """Set members of a rule's document (and whether the API can represent the rule)."""
        with self.lock:
            previous, was_supported = dict(rule.doc), rule.is_supported

            def undo() -> None:
                rule.doc.clear()
                rule.doc.update(previous)
                rule.is_supported = was_supported

            self._record(undo)
            rule.doc.update(changes)
            if is_supported is not None:
                rule.is_supported = is_supported

    def add_transfer(self, transfer: Transfer) -> None:
        with self.lock:
            self.transfers[transfer.id] = transfer
            self._record(lambda: self.transfers.pop(transfer.id, None))
            for account_id in {transfer.source_id, transfer.destination_id}:
                if account_id is not None:
                    self._add_to(self.transfers_by_account, account_id, transfer)

    def bulk_add_transfers(self, transfers: list[Transfer]) -> None:
        """Add many transfers at once (benchmarks, big seeds): they must be in ascending key
        order and newer than every transfer already held by their accounts."""
        with self.lock:
            by_account: dict[str, list[Transfer]] = {}
            for transfer in transfers:
                self.transfers[transfer.id] = transfer
                for account_id in {transfer.source_id, transfer.destination_id}:
                    if account_id is not None:
                        by_account.setdefault(account_id, []).append(transfer)
            for account_id, items in by_account.items():
                index = self.transfers_by_account.setdefault(account_id, SortedIndex())
                index.extend_sorted(items)

    def add_execution(self, execution: Execution) -> None:
        with self.lock:
            self.executions[execution.id] = execution
            self._record(lambda: self.executions.pop(execution.id, None))
            self._add_to(self.executions_by_rule, execution.rule_id, execution)

    def _add_to(self, indexes: dict[str, SortedIndex[K]], owner: str, item: K) -> None:
        index = indexes.get(owner)
        if index is None:
            index = indexes[owner] = SortedIndex()
            self._record(lambda: indexes.pop(owner, None))
        index.add(item)
        self._record(lambda: index.remove(item))

    def _transfer_from_doc(self, doc: Doc) -> Transfer:
        known = {
            "id", "amount_in_cents", "direction", "origin", "status", "source", "destination",
            "created_at", "completed_at", "rule_id", "rule_execution_id", "error_code",
            "description",
        }  # fmt: skip
        parties = [self._fixture_party(doc.get(side)) for side in ("source", "destination")]
        completed = doc.get("completed_at")
        return Transfer(
            id=doc["id"],
            amount_in_cents=doc["amount_in_cents"],
            direction=doc["direction"],
            origin=doc["origin"],
            status=doc["status"],
            source=parties[0],
            destination=parties[1],
            created=parse_timestamp(doc["created_at"]),
            completed=None if completed is None else parse_timestamp(completed),
            rule_id=doc.get("rule_id"),
            rule_execution_id=doc.get("rule_execution_id"),
            error_code=doc.get("error_code"),
            description=doc.get("description"),
            extra={k: v for k, v in doc.items() if k not in known} or None,
        )

    def _fixture_party(self, party: Doc | None) -> Doc | None:
        if party is None:
            return None
        account_id = party.get("id")
        if isinstance(account_id, str) and account_id in self.accounts:
            return self.party(account_id)
        return party
