"""What a rule execution would move: ``evaluate`` reads the rule and the accounts (it changes
nothing) and returns an ``Evaluation``, the step that matched and the moves it makes.

Modelled (simplified) semantics:

* steps run in order; the first whose ``conditions`` hold (null = always) is executed;
* facts: ``BALANCE`` (available balance of ``params.account_id``, default the trigger account),
  ``DATE`` (day of month), ``TRANSFER_AMOUNT`` (``manual_execute_amount``, else 0); ``value_fact``
  also knows ``LAST_DAY_OF_MONTH``, ``NEXT_PAYMENT_MINIMUM_AMOUNT``, ``LAST_STATEMENT_BALANCE``;
  the operator defaults to ``EQUALS``;
* actions: ``fixed_amount``; ``percentage`` of the incoming amount (``manual_execute_amount``) or
  of the source balance (``percentage_target``; default: incoming when given, else source);
  ``top_up`` (to ``amount_in_cents`` or to a liability figure); ``round_down``;
  ``next_payment_minimum``, ``total_amount_due``, ``last_statement_balance``,
  ``percentage_liability_balance`` from the destination liability's balance. Other kinds
  (``avalanche``, ``snowball``, unknown) fail the execution with an explanatory message;
* ``limit``: ``PER_TRANSFER`` caps each transfer; ``PER_WEEK``/``PER_MONTH``/``PER_YEAR`` cap the
  rule's transfers in the current calendar period (``group_index`` sharing is not modelled);
* ``up_to_enabled`` lowers an amount to what the source holds (after earlier actions);
* a failing action fails the whole execution and nothing is moved; ``manual_execute_amount``
  never changes ``fixed_amount`` actions (live behaviour).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..state._records import Account, Doc, Rule


class EvaluationError(Exception):
    """The execution cannot run; the message becomes the execution's ``error_message``."""


@dataclass(slots=True)
class Move:
    source: Account
    destination: Account
    amount: int


@dataclass(slots=True)
class Evaluation:
    """One run's outcome: the matched step (None: no step's conditions held), the transfers to
    make, and how many actions were tried."""

    step_index: int | None = None
    moves: list[Move] = field(default_factory=list)
    attempted: int = 0


@dataclass(slots=True)
class Context:
    rule: Rule
    now: datetime
    incoming: int | None
    find_account: Callable[[str], Account | None]
    period_total: Callable[[datetime], int]
    projected: dict[str, int] = field(default_factory=dict)  # balances after planned moves
    planned: int = 0  # cents this run already moves: they count towards period caps too

    @property
    def trigger_account(self) -> str | None:
        account_id = self.rule.trigger.get("account_id")
        return account_id if isinstance(account_id, str) else None

    def account(self, account_id: object, role: str) -> Account:
        if not isinstance(account_id, str):
            raise EvaluationError(f"The {role} account is not set.")
        account = self.find_account(account_id)
        if account is None:
            raise EvaluationError(f"The {role} account {account_id} does not exist.")
        return account

    def available(self, account: Account) -> int:
        if account.id not in self.projected:
            self.projected[account.id] = account.available() or 0
        return self.projected[account.id]


def evaluate(context: Context) -> Evaluation:
    try:
        return _evaluate(context)
    except OverflowError:  # an integer amount or value beyond a float (no maximum in the spec)
        raise EvaluationError("An amount or value is too large to evaluate.") from None


def _evaluate(context: Context) -> Evaluation:
    steps = context.rule.doc.get("steps") or []
    for index, step in enumerate(steps):
        if not isinstance(step, dict) or not _holds(step.get("conditions"), context):
            continue
        result = Evaluation(step_index=index)
        for action in step.get("actions") or []:
            _apply(action, context, result)
        return result
    return Evaluation()


_OPERATORS: dict[str, Callable[[float, float], bool]] = {
    "EQUALS": lambda a, b: a == b,
    "NOT_EQUALS": lambda a, b: a != b,
    "GREATER_THAN": lambda a, b: a > b,
    "LESS_THAN": lambda a, b: a < b,
    "GREATER_THAN_OR_EQUAL": lambda a, b: a >= b,
    "LESS_THAN_OR_EQUAL": lambda a, b: a <= b,
}


def _holds(node: object, context: Context) -> bool:
    if node is None:
        return True
    if not isinstance(node, dict):
        raise EvaluationError("A step's conditions are malformed.")
    if "all" in node:
        return all(_holds(child, context) for child in node["all"] or [])
    if "any" in node:
        return any(_holds(child, context) for child in node["any"] or [])
    condition = node.get("condition")
    if not isinstance(condition, dict):
        raise EvaluationError("A step's conditions are malformed.")
    params = condition.get("params") or {}
    left = _fact(condition.get("fact"), params, context)
    if condition.get("value_fact") is not None:
        right = _fact(condition["value_fact"], params, context)
    elif isinstance(condition.get("value"), int | float):
        right = float(condition["value"])
    else:
        return False
    operator = _OPERATORS.get(str(condition.get("operator") or "EQUALS"))
    if operator is None:
        raise EvaluationError(f"Unsupported condition operator {condition.get('operator')!r}.")
    return operator(left, right)


def _fact(name: object, params: object, context: Context) -> float:
    account_id = params.get("account_id") if isinstance(params, dict) else None
    if name == "DATE":
        return float(context.now.day)
    if name == "LAST_DAY_OF_MONTH":
        return float(calendar.monthrange(context.now.year, context.now.month)[1])
    if name == "TRANSFER_AMOUNT":
        return float(context.incoming or 0)
    account = context.account(account_id or context.trigger_account, "condition")
    if name == "BALANCE":
        return float(context.available(account))
    if name == "NEXT_PAYMENT_MINIMUM_AMOUNT":
        return float(_liability(account, "next_payment_minimum_in_cents"))
    if name == "LAST_STATEMENT_BALANCE":
        return float(_liability(account, "last_statement_balance_in_cents"))
    raise EvaluationError(f"Unsupported condition fact {name!r}.")


def _liability(account: Account, name: str) -> int:
    value = account.balance_field(name)
    if value is None:
        raise EvaluationError(f"Account {account.id} has no {name}.")
    return value


def _apply(action: object, context: Context, result: Evaluation) -> None:
    if not isinstance(action, dict):
        raise EvaluationError("An action is malformed.")
    kind = action.get("type")
    source_ref = action.get("source") or {}
    source = context.account(source_ref.get("id") or context.trigger_account, "source")
    destination = context.account((action.get("destination") or {}).get("id"), "destination")
    amount = _amount(str(kind), action, source, destination, context)
    amount = _capped(amount, action.get("limit"), context)
    if action.get("up_to_enabled"):
        amount = min(amount, max(0, context.available(source)))
    result.attempted += 1
    if amount <= 0:
        return
    context.projected[source.id] = context.available(source) - amount
    context.projected[destination.id] = context.available(destination) + amount
    context.planned += amount
    result.moves.append(Move(source, destination, amount))


def _amount(kind: str, action: Doc, source: Account, destination: Account, ctx: Context) -> int:
    fixed = action.get("amount_in_cents")
    if kind == "fixed_amount":
        return int(fixed or 0)
    if kind == "percentage":
        share = float(action.get("percentage_value") or 0) / 100
        target = action.get("percentage_target")
        if target is None:
            target = "INCOMING_AMOUNT" if ctx.incoming is not None else "SOURCE_ACCOUNT"
        base = (ctx.incoming or 0) if target == "INCOMING_AMOUNT" else ctx.available(source)
        return int(base * share)
    if kind == "top_up":
        return max(0, _top_up_target(action, ctx) - ctx.available(destination))
    if kind == "round_down":
        step = int(fixed or 0)
        return ctx.available(source) % step if step > 0 else 0
    figures = {
        "next_payment_minimum": "next_payment_minimum_in_cents",
        "total_amount_due": "balance_in_cents",
        "last_statement_balance": "last_statement_balance_in_cents",
    }
    if kind in figures:
        return _liability(destination, figures[kind])
    if kind == "percentage_liability_balance":
        share = float(action.get("percentage_value") or 0) / 100
        return int(_liability(destination, "balance_in_cents") * share)
    raise EvaluationError(f"Action type {kind!r} is not simulated by the mock.")


def _top_up_target(action: Doc, ctx: Context) -> int:
    if action.get("amount_in_cents") is not None:
        return int(action["amount_in_cents"])
    for member, figure in (
        ("next_payment_minimum_account", "next_payment_minimum_in_cents"),
        ("current_balance_account", "balance_in_cents"),
        ("last_statement_balance_account", "last_statement_balance_in_cents"),
    ):
        ref = action.get(member)
        if isinstance(ref, dict):
            return _liability(ctx.account(ref.get("id"), "top-up target"), figure)
    raise EvaluationError("A top_up action names no target.")


def _capped(amount: int, limit: object, ctx: Context) -> int:
    if not isinstance(limit, dict) or limit.get("amount_in_cents") is None:
        return amount
    cap = int(limit["amount_in_cents"])
    period = limit.get("period")
    if period == "PER_TRANSFER":
        return min(amount, cap)
    start = _period_start(str(period), ctx.now)
    if start is None:
        raise EvaluationError(f"Unsupported limit period {period!r}.")
    return max(0, min(amount, cap - ctx.period_total(start) - ctx.planned))


def _period_start(period: str, now: datetime) -> datetime | None:
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "PER_WEEK":
        return day - timedelta(days=day.weekday())
    if period == "PER_MONTH":
        return day.replace(day=1)
    if period == "PER_YEAR":
        return day.replace(month=1, day=1)
    return None
