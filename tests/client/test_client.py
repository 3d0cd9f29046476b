"""connect(): key and base URL from arguments or the environment, the ApiKey header, timeouts,
and a client every generated function accepts, sync and async."""

from __future__ import annotations

import ssl
from typing import Any, cast

import httpx
import pytest
from sequence_api_client import AuthenticatedClient
from sequence_api_client.api.accounts import get_account

from sequence_contract import (
    InternalServerError,
    NotFoundError,
    RetryingTransport,
    RetryPolicy,
    SequenceClient,
    SequenceError,
    acall,
    call,
    connect,
    connect_async,
)
from sequence_contract._client import default_base_url
from sequence_contract.mock import create_app
from sequence_contract.testing import SyncASGITransport
from tests.fixtures.client import (
    ACCOUNT,
    BASE_URL,
    SECRET,
    MakeConnected,
    MakeScript,
    envelope,
    error_response,
    json_response,
)


def test_the_client_is_the_generated_authenticated_client(make_connected: MakeConnected) -> None:
    client = make_connected(lambda request: json_response(200, envelope(ACCOUNT)))
    assert isinstance(client, AuthenticatedClient)
    assert isinstance(client, SequenceClient)
    assert client.prefix == "ApiKey"
    assert client.auth_header_name == "Authorization"


def test_sends_the_api_key_header_to_the_base_url(
    make_connected: MakeConnected, make_script: MakeScript
) -> None:
    server = make_script(json_response(200, envelope(ACCOUNT)))
    account = call(get_account.sync_detailed, "acc_01HGHI7890", client=make_connected(server))
    assert account.id == "acc_01HGHI7890"
    assert server.last.headers["Authorization"] == f"ApiKey {SECRET}"
    assert str(server.last.url) == f"{BASE_URL}/accounts/acc_01HGHI7890"


@pytest.mark.parametrize("key", [None, "", "   "])
def test_a_missing_key_is_a_clear_error(key: str | None) -> None:
    with pytest.raises(SequenceError, match="SEQUENCE_API_KEY"):
        connect(key)
    with pytest.raises(SequenceError, match="pass api_key="):
        connect_async(key)


def test_key_and_base_url_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, make_script: MakeScript
) -> None:
    monkeypatch.setenv("SEQUENCE_API_KEY", "env-key")
    monkeypatch.setenv("SEQUENCE_BASE_URL", "http://env.test/v9/")
    server = make_script(json_response(200, envelope(ACCOUNT)))
    with connect(transport=httpx.MockTransport(server)) as client:
        call(get_account.sync_detailed, "acc_01HGHI7890", client=client)
    assert server.last.headers["Authorization"] == "ApiKey env-key"
    assert str(server.last.url) == "http://env.test/v9/accounts/acc_01HGHI7890"


def test_arguments_win_over_the_environment(
    monkeypatch: pytest.MonkeyPatch, make_script: MakeScript
) -> None:
    monkeypatch.setenv("SEQUENCE_API_KEY", "env-key")
    monkeypatch.setenv("SEQUENCE_BASE_URL", "http://env.test/v9")
    server = make_script(json_response(200, envelope(ACCOUNT)))
    with connect("arg-key", base_url=BASE_URL, transport=httpx.MockTransport(server)) as client:
        call(get_account.sync_detailed, "acc_01HGHI7890", client=client)
    assert server.last.headers["Authorization"] == "ApiKey arg-key"
    assert server.last.url.host == "sequence.test"


def test_the_default_base_url_is_the_spec_server() -> None:
    assert default_base_url() == "https://api.getsequence.io/api/v1"
    client = connect("k")  # builds nothing, sends nothing
    assert client.get_httpx_client().base_url == httpx.URL("https://api.getsequence.io/api/v1/")
    client.get_httpx_client().close()


def test_timeouts_reach_httpx() -> None:
    default = connect("k", base_url=BASE_URL)
    assert default.get_httpx_client().timeout == httpx.Timeout(30.0, connect=5.0)
    short = connect("k", base_url=BASE_URL, timeout=2.5)
    assert short.get_httpx_client().timeout == httpx.Timeout(2.5)
    for client in (default, short):
        client.get_httpx_client().close()


def test_max_retries_and_policy(make_connected: MakeConnected, make_script: MakeScript) -> None:
    server = make_script(error_response(503, "unavailable"))
    with pytest.raises(InternalServerError):
        call(get_account.sync_detailed, "acc_1", client=make_connected(server, max_retries=4))
    assert len(server.requests) == 5
    server = make_script(error_response(503, "unavailable"))
    client = make_connected(server, retry_policy=RetryPolicy(max_retries=1))
    with pytest.raises(InternalServerError):
        call(get_account.sync_detailed, "acc_1", client=client)
    assert len(server.requests) == 2


def test_copies_keep_the_transport_stack(
    make_connected: MakeConnected, make_script: MakeScript
) -> None:
    server = make_script(error_response(404, "account_not_found"))
    copy = make_connected(server).with_headers({"X-Trace": "1"})
    assert isinstance(copy, SequenceClient)
    with pytest.raises(NotFoundError):
        call(get_account.sync_detailed, "acc_1", client=copy)
    assert server.last.headers["X-Trace"] == "1"
    assert server.last.headers["Authorization"] == f"ApiKey {SECRET}"
    copy.get_httpx_client().close()


def test_extra_headers_go_on_every_request(make_script: MakeScript) -> None:
    server = make_script(json_response(200, envelope(ACCOUNT)))
    transport = httpx.MockTransport(server)
    with connect("k", base_url=BASE_URL, headers={"User-Agent": "ops/1"}, transport=transport) as c:
        call(get_account.sync_detailed, "acc_1", client=c)
    assert server.last.headers["User-Agent"] == "ops/1"


@pytest.mark.anyio
async def test_async_calls_use_the_same_layer(
    make_connected: MakeConnected, make_script: MakeScript
) -> None:
    server = make_script(
        error_response(503, "unavailable"),
        json_response(200, envelope(ACCOUNT)),
        error_response(404, "account_not_found"),
    )
    async with make_connected(server, asynchronous=True) as client:
        account = await acall(get_account.asyncio_detailed, "acc_01HGHI7890", client=client)
        assert account.id == "acc_01HGHI7890"
        with pytest.raises(NotFoundError):
            await get_account.asyncio_detailed("acc_1", client=client)
    assert len(server.requests) == 3
    assert server.requests[0].headers["Authorization"] == f"ApiKey {SECRET}"


def _by_hand(server: httpx.MockTransport, hooks: dict[str, list[Any]]) -> SequenceClient:
    return SequenceClient(
        base_url=BASE_URL,
        token=SECRET,
        prefix="ApiKey",
        httpx_args={"transport": server, "event_hooks": hooks},
    )


@pytest.mark.anyio
async def test_a_transport_in_httpx_args_is_wrapped_by_retries_and_errors() -> None:
    """SequenceClient built by hand with httpx_args, as the generated client allows: the given
    transport still sits under the retrying and raising layers, and other args pass through."""
    answers = [503, 404]
    server = httpx.MockTransport(
        lambda request: error_response(answers.pop(0) if answers else 404, "account_not_found")
    )
    seen: list[str] = []

    def hook(request: httpx.Request) -> None:
        seen.append(request.method)

    async def ahook(request: httpx.Request) -> None:
        seen.append(request.method)

    with pytest.raises(NotFoundError):
        call(
            get_account.sync_detailed,
            "acc_01HGHI7890",
            client=_by_hand(server, {"request": [hook]}),
        )
    assert answers == [], "the 503 was retried before the 404 was raised"

    async_client = _by_hand(server, {"request": [ahook]})
    with pytest.raises(NotFoundError):
        await acall(get_account.asyncio_detailed, "acc_01HGHI7890", client=async_client)
    assert seen == ["GET", "GET"]


def _network_pool(client: SequenceClient) -> object:
    """The httpcore pool under the raising and retrying layers of the sync client."""
    http = client.get_httpx_client()
    raising: Any = http._transport
    assert not http._mounts, "a mount would send requests around the layers"
    network = raising._inner._inner
    assert isinstance(network, httpx.HTTPTransport)
    return network._pool


def test_network_arguments_reach_the_transport_under_the_layers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY"):
        for variant in (name, name.lower()):
            monkeypatch.delenv(variant, raising=False)
    insecure = SequenceClient(base_url=BASE_URL, token=SECRET, httpx_args={"verify": False})
    assert cast(Any, _network_pool(insecure))._ssl_context.verify_mode == ssl.CERT_NONE

    named = SequenceClient(
        base_url=BASE_URL, token=SECRET, httpx_args={"proxy": "http://proxy.test:3128"}
    )
    assert type(_network_pool(named)).__name__ == "HTTPProxy"

    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.test:3128")
    from_env = connect(SECRET, base_url="https://api.getsequence.io/api/v1")
    assert type(_network_pool(from_env)).__name__ == "HTTPProxy"
    monkeypatch.setenv("NO_PROXY", "api.getsequence.io")
    exempt = connect(SECRET, base_url="https://api.getsequence.io/api/v1")
    assert type(_network_pool(exempt)).__name__ == "ConnectionPool"
    monkeypatch.delenv("NO_PROXY")
    untrusting = SequenceClient(
        base_url="https://api.getsequence.io/api/v1", token=SECRET, httpx_args={"trust_env": False}
    )
    assert type(_network_pool(untrusting)).__name__ == "ConnectionPool"
    for client in (insecure, named, from_env, exempt, untrusting):
        client.get_httpx_client().close()


def test_one_transport_class_per_behaviour_serves_both_protocols() -> None:
    from sequence_contract._client import _RaisingTransport
    from sequence_contract.testing import FaultInjectingTransport

    for cls in (_RaisingTransport, RetryingTransport, FaultInjectingTransport):
        assert issubclass(cls, httpx.BaseTransport), cls
        assert issubclass(cls, httpx.AsyncBaseTransport), cls


@pytest.mark.anyio
async def test_a_transport_serving_one_protocol_is_refused_by_the_other() -> None:
    sync_only = SyncASGITransport(create_app())
    client = connect(SECRET, base_url=BASE_URL, transport=sync_only)
    with pytest.raises(TypeError, match="RetryingTransport wraps SyncASGITransport, not an"):
        await get_account.asyncio_detailed("acc_01HGHI7890", client=client)
    await client.get_async_httpx_client().aclose()
    async_only = httpx.ASGITransport(app=create_app())
    async with connect_async(SECRET, base_url=BASE_URL, transport=async_only) as client:
        with pytest.raises(TypeError, match="wraps ASGITransport, not a sync transport"):
            get_account.sync_detailed("acc_01HGHI7890", client=client)


@pytest.mark.anyio
async def test_connect_and_connect_async_build_the_same_stack() -> None:
    """One builder: a transport serving both protocols serves both clients of either
    constructor, under the same raising and retrying layers (no network on either side)."""
    seen: list[str] = []

    def server(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        if len(seen) % 2:  # every call's first attempt fails, its retry succeeds
            return error_response(503, "unavailable")
        return json_response(200, envelope(ACCOUNT))

    for make in (connect, connect_async):
        client = make(SECRET, base_url=BASE_URL, transport=httpx.MockTransport(server))
        sync_layers: Any = client.get_httpx_client()._transport
        async_layers: Any = client.get_async_httpx_client()._transport
        for layers in (sync_layers, async_layers):
            assert type(layers).__name__ == "_RaisingTransport"
            assert isinstance(layers._inner, RetryingTransport)
            assert isinstance(layers._inner._inner, httpx.MockTransport)
        assert call(get_account.sync_detailed, "acc_1", client=client).id == ACCOUNT["id"]
        account = await acall(get_account.asyncio_detailed, "acc_1", client=client)
        assert account.id == ACCOUNT["id"]
        client.get_httpx_client().close()
        await client.get_async_httpx_client().aclose()
    assert len(seen) == 8  # two calls per constructor, each retried once
