"""``connect()``: a generated ``AuthenticatedClient`` wired for the Sequence API.

The client it returns is a ``SequenceClient``, a subclass of the generated
``AuthenticatedClient``, so every generated function accepts it. It differs in three ways:

* its httpx clients (sync and async, built lazily) send through a transport stack::

      checks + errors  ->  retries + idempotency keys  ->  your transport, or httpx's
      (_RaisingTransport)  (RetryingTransport)

  so each generated call, ``sync_detailed`` included, either returns a 2xx/3xx response or
  raises a ``SequenceError``: ``APIStatusError`` subclasses for 4xx/5xx (the generated parser
  never sees an error body, so a plain-text 404 still maps by status), ``APIConnectionError``
  and ``APITimeoutError`` when no response came, ``ContractError`` for a 2xx/3xx status Python
  does not know; each answer is first checked against openapi.yaml as ``validate`` says
  (``_validate.py``: ``off`` by default, ``warn``, ``strict``), its records collected in
  ``client.violations``; each error tells its attempts and, for a write, its key and whether
  it may have happened (``_outcome``);
* its repr masks the API key, and it never copies the key into its ``headers`` field (the
  generated client does so when it builds its httpx client);
* ``with_headers()``/``with_timeout()`` copies keep the stack.

``spec=PATH`` checks answers against another contract than the installed openapi.yaml (a
patched one, say); ``record=PATH`` appends every exchange to an NDJSON file (``_record``) that
``sequence-contract validate`` and ``sequence-contract usage`` read.
"""

from __future__ import annotations

import os
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

import httpx
from attrs import define, evolve, field
from sequence_api_client.client import AuthenticatedClient

from ._errors import SequenceError, connection_error, make_status_error
from ._outcome import Attempt, annotate
from ._record import Recorder, RecordingTransport
from ._retries import RetryingTransport, RetryPolicy
from ._transport import aclose, async_inner, close, sync_inner
from ._unwrap import record_response
from ._validate import DEFAULT_MODE, Mode, ResponseCheck, Violations, check_mode
from .spec import Spec, load_spec, model, model_at

ENV_API_KEY = "SEQUENCE_API_KEY"
ENV_BASE_URL = "SEQUENCE_BASE_URL"
AUTH_PREFIX = "ApiKey"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2


def default_base_url() -> str:
    """The spec's (only) server URL."""
    return str(load_spec()["servers"][0]["url"])


class _RaisingTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Checks each answer (``_validate.ResponseCheck``), then turns an error status or a
    transport failure into this package's exception; serves both protocols, as ``inner`` does.
    Each response it lets through is recorded for the call in progress
    (``_unwrap.record_response``), so ``call()`` can name a success body the generated parser
    chokes on."""

    def __init__(
        self,
        inner: httpx.BaseTransport | httpx.AsyncBaseTransport,
        base_path: str,
        secret: str,
        check: ResponseCheck,
        spec: Spec | None = None,
    ) -> None:
        self._inner = inner
        self._base_path = base_path
        self._secret = secret
        self._check = check
        self._spec = spec

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response = sync_inner(self._inner, self).handle_request(request)
        except httpx.TransportError as exc:
            raise self._connection_error(request, exc) from exc
        error = response.status_code >= 400
        if error or self._check.needs_body(response):
            try:
                response.read()
                response = self._checked(request, response)
            finally:
                if error:
                    response.close()
        if error:
            raise self._status_error(request, response)
        return record_response(response)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response = await async_inner(self._inner, self).handle_async_request(request)
        except httpx.TransportError as exc:
            raise self._connection_error(request, exc) from exc
        error = response.status_code >= 400
        if error or self._check.needs_body(response):
            try:
                await response.aread()
                response = self._checked(request, response)
            finally:
                if error:
                    await response.aclose()
        if error:
            raise self._status_error(request, response)
        return record_response(response)

    def _checked(self, request: httpx.Request, response: httpx.Response) -> httpx.Response:
        """The answer after its check; a check that raises (``strict``, an unknown 2xx/3xx
        status) tells the attempts too: a write that got such an answer did happen."""
        try:
            return self._check(request, response)
        except SequenceError as error:
            annotate(error, request, Attempt.answered(response.status_code, request))
            raise

    def _status_error(self, request: httpx.Request, response: httpx.Response) -> SequenceError:
        op = (self._spec or model()).match(request.method, request.url.path, self._base_path)
        error = make_status_error(
            response.status_code,
            response.headers,
            response.content,
            op.operation_id if op else f"{request.method} {request.url.path}",
            secret=self._secret,
        )
        return annotate(error, request, Attempt.answered(response.status_code, request))

    def _connection_error(self, request: httpx.Request, exc: httpx.TransportError) -> SequenceError:
        return annotate(connection_error(exc, request), request, Attempt.failed(exc))

    def close(self) -> None:
        close(self._inner)

    async def aclose(self) -> None:
        await aclose(self._inner)


#: httpx client arguments that configure the network transport rather than the client.
_NETWORK_ARGS = ("verify", "cert", "http1", "http2", "limits", "proxy")


def environment_proxy(base_url: str) -> str | None:
    """The proxy ``HTTPS_PROXY``/``HTTP_PROXY``/``ALL_PROXY`` name for ``base_url``, unless
    ``NO_PROXY`` exempts its host: what httpx does for a client without a transport of its own."""
    url = httpx.URL(base_url)
    if url.host and urllib.request.proxy_bypass(url.host):
        return None
    proxies = urllib.request.getproxies()
    return proxies.get(url.scheme) or proxies.get("all")


@define
class SequenceClient(AuthenticatedClient):
    """The generated ``AuthenticatedClient`` with typed errors, retries, a masked key and
    response checks; ``violations`` collects the checks' records (copies share it)."""

    _retry_policy: RetryPolicy = field(factory=RetryPolicy, kw_only=True, alias="retry_policy")
    _validate: Mode = field(default=DEFAULT_MODE, kw_only=True, alias="validate")
    violations: Violations = field(factory=Violations, kw_only=True)
    _transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None = field(
        default=None, kw_only=True, alias="transport"
    )
    _spec: Spec | None = field(default=None, kw_only=True, alias="spec")
    _record: Path | None = field(default=None, kw_only=True, alias="record")

    def __repr__(self) -> str:
        return f"SequenceClient(base_url={self._base_url!r}, token='***')"

    def _auth_headers(self) -> dict[str, str]:
        value = f"{self.prefix} {self.token}" if self.prefix else self.token
        return {**self._headers, self.auth_header_name: value}

    def _client_args(self) -> tuple[Any, dict[str, Any], dict[str, Any]]:
        """(a transport given in ``httpx_args`` or None, the arguments of the network transport
        built otherwise, the arguments both clients share).

        httpx applies ``verify``, ``proxy``, ``limits``… to the transport it builds itself, and
        builds none once it is given one; so they go to the transport made here, which our
        retrying and raising layers wrap (a ``proxy=`` mount of httpx's would bypass them).
        """
        args = dict(self._httpx_args)
        given = args.pop("transport", None)
        network: dict[str, Any] = {"verify": self._verify_ssl}
        network.update({name: args.pop(name) for name in _NETWORK_ARGS if name in args})
        if "proxy" not in network and args.get("trust_env", True):
            network["proxy"] = environment_proxy(self._base_url)
        network["trust_env"] = args.get("trust_env", True)
        shared = {
            "base_url": self._base_url,
            "cookies": self._cookies,
            "headers": self._auth_headers(),
            "timeout": self._timeout,
            "follow_redirects": self._follow_redirects,
            **args,
        }
        return given, network, shared

    def _stack(
        self, network: type[httpx.HTTPTransport] | type[httpx.AsyncHTTPTransport]
    ) -> tuple[_RaisingTransport, dict[str, Any]]:
        """The one builder of both clients' transports: errors -> retries -> the transport
        given (in ``httpx_args`` or to ``connect()``), else ``network``, httpx's own; and the
        client arguments. A transport given that does not serve the client's protocol raises
        TypeError at the first call, never falls back to the network."""
        given, network_args, shared = self._client_args()
        inner = given or self._transport or network(**network_args)
        base_path = httpx.URL(self._base_url).path
        if self._record is not None:
            inner = RecordingTransport(
                inner, Recorder(self._record, self._spec or model(), base_path)
            )
        retrying = RetryingTransport(inner, self._retry_policy)
        check = ResponseCheck(self._validate, base_path, self.token, self.violations, self._spec)
        return _RaisingTransport(retrying, base_path, self.token, check, self._spec), shared

    def sharing(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        retry_policy: RetryPolicy | None = None,
        sync: bool = True,
    ) -> SequenceClient:
        """A copy with another timeout or retry policy that sends through this client's
        transport, hence its connection pool: the one under this client's sync (``sync``) or
        async httpx client (the transport given to ``connect()``, else httpx's network one).
        Closing the copy's httpx clients would close that transport: the copy's owner (the
        facade's ``with_options()``) leaves them open."""
        # Built now, so closing this client closes the transport the copy sends through.
        http = self.get_httpx_client() if sync else self.get_async_httpx_client()
        raising = cast(_RaisingTransport, http._transport)
        inner = cast(RetryingTransport, raising._inner)._inner
        if isinstance(inner, RecordingTransport):  # the copy records through its own
            inner = inner.inner
        return evolve(
            self,
            timeout=self._timeout if timeout is None else _timeout(timeout),
            retry_policy=retry_policy or self._retry_policy,
            transport=inner,
        )

    def close(self) -> None:
        """Close the sync httpx client, if one was built."""
        if self._client is not None:
            self._client.close()

    async def aclose(self) -> None:
        """Close the async httpx client, if one was built."""
        if self._async_client is not None:
            await self._async_client.aclose()

    def get_httpx_client(self) -> httpx.Client:
        if self._client is None:
            transport, shared = self._stack(httpx.HTTPTransport)
            self._client = httpx.Client(transport=transport, **shared)
        return self._client

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        if self._async_client is None:
            transport, shared = self._stack(httpx.AsyncHTTPTransport)
            self._async_client = httpx.AsyncClient(transport=transport, **shared)
        return self._async_client


def _timeout(timeout: float | httpx.Timeout) -> httpx.Timeout:
    return timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)


def _connect(
    api_key: str | None,
    base_url: str | None,
    timeout: float | httpx.Timeout,
    max_retries: int,
    retry_policy: RetryPolicy | None,
    headers: Mapping[str, str] | None,
    transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None,
    validate: str,
    spec: str | Path | None = None,
    record: str | Path | None = None,
) -> SequenceClient:
    key = api_key if api_key is not None else os.environ.get(ENV_API_KEY, "")
    if not key.strip():
        raise SequenceError(
            f"no API key: pass api_key= to connect() or set the {ENV_API_KEY} environment variable"
        )
    url = base_url or os.environ.get(ENV_BASE_URL) or default_base_url()
    return SequenceClient(
        base_url=url.rstrip("/"),
        token=key.strip(),
        prefix=AUTH_PREFIX,
        headers=dict(headers or {}),
        timeout=_timeout(timeout),
        retry_policy=retry_policy or RetryPolicy(max_retries=max_retries),
        transport=transport,
        validate=check_mode(validate),
        spec=_spec(spec),
        record=Path(record) if record is not None else None,
    )


def _spec(path: str | Path | None) -> Spec | None:
    return model_at(Path(path)) if path is not None else None


def connect(
    api_key: str | None = None,
    *,
    base_url: str | None = None,
    timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
    max_retries: int = DEFAULT_MAX_RETRIES,
    retry_policy: RetryPolicy | None = None,
    headers: Mapping[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
    validate: Mode = DEFAULT_MODE,
    spec: str | Path | None = None,
    record: str | Path | None = None,
) -> SequenceClient:
    """A client for the generated functions, sync and async.

    ``api_key`` defaults to ``$SEQUENCE_API_KEY``, ``base_url`` to ``$SEQUENCE_BASE_URL``, then
    to the spec's server. ``retry_policy`` replaces the default policy whole; otherwise
    ``max_retries`` sets its attempts. ``transport`` replaces httpx's network transport (tests,
    ``sequence_contract.testing``); the retrying and raising layers wrap it. It serves the
    generated async functions too when it implements both protocols (``httpx.MockTransport``
    does); one that does not raises TypeError there. ``validate`` checks every answer against
    openapi.yaml: ``"warn"`` (a ``ContractWarning``, a log record and ``client.violations``),
    ``"strict"`` (``ContractError``) or ``"off"``. ``spec`` checks against another contract
    (a path to an OpenAPI document; ValueError when it is none). ``record`` appends every
    exchange, the key cut out, to an NDJSON file that ``sequence-contract usage`` reads.
    """
    return _connect(
        api_key, base_url, timeout, max_retries, retry_policy, headers, transport, validate,
        spec, record,
    )  # fmt: skip


def connect_async(
    api_key: str | None = None,
    *,
    base_url: str | None = None,
    timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
    max_retries: int = DEFAULT_MAX_RETRIES,
    retry_policy: RetryPolicy | None = None,
    headers: Mapping[str, str] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    validate: Mode = DEFAULT_MODE,
    spec: str | Path | None = None,
    record: str | Path | None = None,
) -> SequenceClient:
    """As ``connect()``, typed for an async ``transport`` (e.g. ``httpx.ASGITransport(app)``)."""
    return _connect(
        api_key, base_url, timeout, max_retries, retry_policy, headers, transport, validate,
        spec, record,
    )  # fmt: skip
