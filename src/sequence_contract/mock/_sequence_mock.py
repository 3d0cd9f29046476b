"""``SequenceMock``: the mock served on loopback for one test, steered from Python.

The ``sequence_mock`` pytest fixture yields one. Its methods are the admin API's (``MockControl``
does both), so a test reads like its HTTP twin::

    def test_retry_after_a_lost_answer(sequence_mock: SequenceMock) -> None:
        sequence_mock.scenario("createTransfer", fault="error_after_commit", status=503)
        ...  # the app under test retries with its Idempotency-Key and gets the first answer
        assert len(sequence_mock.requests) == 2

The clock is a ``ManualClock``: nothing settles until ``sequence_mock.clock.advance(seconds)``.
Webhook events go to the handler given to ``on_webhook`` (in-process, no socket), once
``flush()`` (or ``clock.advance``, which flushes too) lets them out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from ._control import MockControl
from ._errors import ApiError
from ._fixtures import default_fixtures, read_fixtures
from .app import create_app
from .http._serve import serve
from .state._clock import ManualClock

if TYPE_CHECKING:
    from sequence_facade import Sequence

#: The URL the in-process webhook subscriber is given (nothing is sent over a network).
WEBHOOK_URL = "http://webhooks.sequence-mock.invalid/webhooks"

T = TypeVar("T")
WebhookHandler = Callable[[httpx.Request], "int | httpx.Response | None"]


class MockError(ValueError):
    """A refused admin call (what the admin API answers 400/404/409 to); ``code`` as there."""

    def __init__(self, error: ApiError) -> None:
        super().__init__(error.message)
        self.status = error.status
        self.code = error.code


class MockClock:
    """The mock's clock, as a test moves it (every effect that comes due is applied)."""

    def __init__(self, mock: SequenceMock) -> None:
        self._mock = mock

    def now(self) -> datetime:
        return self._mock.control.now()

    def advance(self, seconds: float = 0.0, **delta: float) -> datetime:
        """Forward by ``seconds`` (plus ``minutes=``, ``hours=``, ``days=``); applies what came
        due and waits for the webhook deliveries it made."""
        total = seconds + delta.pop("minutes", 0) * 60 + delta.pop("hours", 0) * 3600
        total += delta.pop("days", 0) * 86_400
        if delta:
            raise TypeError(f"unknown units: {sorted(delta)}")
        now = self._mock._admin(lambda control: control.advance(total))
        self._mock.flush()
        return now

    def set(self, moment: datetime) -> datetime:
        now = self._mock._admin(lambda control: control.set_clock(moment))
        self._mock.flush()
        return now


class SequenceMock:
    def __init__(self, app: Any, url: str, fixtures: Path | None = None) -> None:  # noqa: ANN401
        self.app = app
        self._fixtures = fixtures or default_fixtures()
        self.url = url
        self.base_url = f"{url}/api/v1"
        self.control: MockControl = app.state.control
        self.clock = MockClock(self)
        self._handler: WebhookHandler | None = None

    # -- clients -------------------------------------------------------------------------------

    def client(self, key: str = "demo-all", **options: Any) -> Sequence:  # noqa: ANN401
        """The ``Sequence`` client of this mock, with ``key`` (its other options pass through)."""
        from sequence_facade import Sequence  # the mock serves clients; it needs none itself

        return Sequence(key, base_url=self.base_url, **options)

    # -- steering ------------------------------------------------------------------------------

    def scenario(
        self,
        operation: str | None = None,
        *,
        times: int = 1,
        status: int | None = None,
        code: str | None = None,
        message: str | None = None,
        headers: Mapping[str, str] | None = None,
        fault: str | None = None,
        delay: float | None = None,
        webhook: str | None = None,
        api_key: str | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> str:
        """Steer the next ``times`` requests to ``operation`` (``POST /_mock/scenarios``); its id.

        ``status`` (+ ``code``, ``message``, ``headers``): that error envelope, nothing happens.
        ``fault``: ``error_after_commit`` (with ``status`` 500/502/503), ``drop_after_commit``,
        ``drop_before``. ``delay``: answer that many seconds late. ``webhook``: ``duplicate``,
        ``hold`` or ``drop`` the next events (``operation``: an event name, or None for any).
        """
        then: dict[str, Any]
        if webhook is not None:
            then = {"webhook": webhook}
        elif delay is not None:
            then = {"delay": delay}
        elif fault is not None:
            then = {"fault": fault, **({} if status is None else {"status": status})}
        else:
            then = {"status": status}
            then.update({k: v for k, v in (("code", code), ("message", message)) if v is not None})
            if headers:
                then["headers"] = dict(headers)
        doc: dict[str, Any] = {"times": times, "then": then}
        for name, value in (("operation", operation), ("api_key", api_key), ("body", body)):
            if value is not None:
                doc[name] = value
        return self._admin(lambda control: control.add_scenario(doc)).id

    def remove_scenario(self, scenario_id: str) -> None:
        """``DELETE /_mock/scenarios/{id}``: a ``hold`` scenario sends what it kept."""
        self._admin(lambda control: control.delete_scenario(scenario_id))
        self.flush()

    @property
    def scenarios(self) -> list[dict[str, Any]]:
        return [s.as_json() for s in self.control.list_scenarios()]

    # -- reading -------------------------------------------------------------------------------

    @property
    def requests(self) -> list[dict[str, Any]]:
        """The journal, newest first (``GET /_mock/requests``); API keys masked."""
        return [entry.as_json() for entry in self.control.requests()]

    def state(self) -> dict[str, list[Any]]:
        return self.control.state()

    # -- state ---------------------------------------------------------------------------------

    def reset(self) -> None:
        self.control.reset()

    def fixtures(self) -> dict[str, Any]:
        """The fixtures this mock started with, as a fixture file holds them: a fresh copy to
        change and ``load()``."""
        return read_fixtures(self._fixtures)[0]

    def load(self, fixtures: Mapping[str, Any] | Path | str) -> None:
        """Replace the organisation (a fixture file's object, or the path of a fixture file or
        directory)."""
        content = read_fixtures(Path(fixtures))[0] if isinstance(fixtures, Path | str) else fixtures
        self._admin(lambda control: control.load(content))

    # -- webhooks ------------------------------------------------------------------------------

    def on_webhook(self, handler: WebhookHandler) -> None:
        """Deliver every webhook to ``handler`` (an ``httpx.Request`` in; a status, a
        response or None for 204 out). Deliveries run on the mock's worker thread."""
        self._handler = handler

    def flush(self) -> None:
        """Apply what is due and wait until every due webhook delivery was attempted."""
        self.app.state.webhooks.flush()

    @property
    def webhooks(self) -> list[dict[str, Any]]:
        """The delivery log (``GET /_mock/webhooks``'s ``deliveries``)."""
        return list(self.control.hooks.log_json()["deliveries"])

    def _deliver(self, request: httpx.Request) -> httpx.Response:
        answer = 204 if self._handler is None else self._handler(request)
        if isinstance(answer, httpx.Response):
            return answer
        return httpx.Response(204 if answer is None else answer)

    def _admin(self, action: Callable[[MockControl], T]) -> T:
        try:
            return action(self.control)
        except ApiError as error:
            raise MockError(error) from None


@contextmanager
def sequence_mock(**options: Any) -> Iterator[SequenceMock]:  # noqa: ANN401
    """A ``SequenceMock`` on a free loopback port until the block ends (the fixture's body).
    ``options`` go to ``create_app`` (``clock`` defaults to a ``ManualClock``)."""
    holder: list[SequenceMock] = []

    def deliver(request: httpx.Request) -> httpx.Response:
        return holder[0]._deliver(request)

    options.setdefault("clock", ManualClock())
    app = create_app(
        webhooks=[WEBHOOK_URL],
        webhook_transport=httpx.MockTransport(deliver),
        **options,
    )
    try:
        with serve(app) as url:
            fixtures = options.get("fixtures")
            holder.append(SequenceMock(app, url, None if fixtures is None else Path(fixtures)))
            yield holder[0]
    finally:
        app.state.webhooks.close()
