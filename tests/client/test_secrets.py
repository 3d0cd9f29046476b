"""The API key never shows: not in the client's repr, not in any error, not in any log line.

Errors and logs are produced over loopback HTTP (a real socket, so httpcore's DEBUG logging runs
too) with every error class triggered once."""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sequence_api_client import AuthenticatedClient
from sequence_api_client.api.accounts import get_account
from sequence_api_client.api.transfers import list_transfers

from sequence_contract import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ContractError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    SequenceClient,
    SequenceError,
    UnprocessableEntityError,
    call,
    connect,
    paginate,
)
from sequence_contract._errors import connection_error
from tests.fixtures.client import ACCOUNT, SECRET, MakeConnected, envelope, json_response

STATUS_OF = {
    "acc_400": (400, BadRequestError),
    "acc_401": (401, AuthenticationError),
    "acc_403": (403, PermissionDeniedError),
    "acc_404": (404, NotFoundError),
    "acc_409": (409, ConflictError),
    "acc_422": (422, UnprocessableEntityError),
    "acc_429": (429, RateLimitError),
    "acc_500": (500, InternalServerError),
    "acc_503": (503, InternalServerError),
    "acc_418": (418, APIStatusError),
}


class _Handler(BaseHTTPRequestHandler):
    """Answers /api/v1/accounts/<id> by the id; error messages echo the Authorization header,
    as a careless server might."""

    def do_GET(self) -> None:
        url = urlsplit(self.path)  # /accounts/<id>, or a list filtered by ?account_id=<id>
        account_id = parse_qs(url.query).get("account_id", [url.path.rsplit("/", 1)[-1]])[0]
        echo = self.headers.get("Authorization", "")
        if account_id == "acc_slow":
            time.sleep(0.3)
        if account_id in STATUS_OF:
            status = STATUS_OF[account_id][0]
            body: object = {"error": {"code": "x", "message": f"Rejected key {echo!r}."}}
            headers = {"Retry-After": "3600"} if status == 429 else {}
        elif account_id == "acc_broken":
            status, body, headers = 200, {"request_id": "req_1"}, {}
        else:
            status, body, headers = 200, envelope(ACCOUNT), {}
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Request-ID", "req_loopback")
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # a client gave up
            self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def loopback() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api/v1"
    server.shutdown()
    server.server_close()
    thread.join()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: BaseException | None = error
    while seen is not None:
        yield seen
        seen = seen.__cause__ or seen.__context__


def _assert_clean(error: BaseException) -> None:
    for link in _chain(error):
        for text in (str(link), repr(link), repr(link.args)):
            assert SECRET not in text
        if isinstance(link, SequenceError):
            assert SECRET not in repr(vars(link))


def test_every_error_class_keeps_the_key_out(
    loopback: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    raised: list[SequenceError] = []
    with connect(SECRET, base_url=loopback, max_retries=1) as client:
        for account_id, (_, cls) in STATUS_OF.items():
            with pytest.raises(cls) as caught:
                call(get_account.sync_detailed, account_id, client=client)
            assert type(caught.value) is cls
            raised.append(caught.value)
        with pytest.raises(ContractError) as broken:
            call(get_account.sync_detailed, "acc_broken", client=client)
        raised.append(broken.value)
        assert call(get_account.sync_detailed, "acc_ok", client=client).id == ACCOUNT["id"]
    with (
        connect(SECRET, base_url=f"http://127.0.0.1:{_closed_port()}", max_retries=1) as refused,
        pytest.raises(APIConnectionError) as no_server,
    ):
        call(get_account.sync_detailed, "acc_ok", client=refused)
    raised.append(no_server.value)
    with (
        connect(SECRET, base_url=loopback, timeout=0.05, max_retries=0) as impatient,
        pytest.raises(APITimeoutError) as slow,
    ):
        call(get_account.sync_detailed, "acc_slow", client=impatient)
    raised.append(slow.value)

    with pytest.raises(SequenceError) as no_key:
        connect("")
    raised.append(no_key.value)

    assert len({type(error) for error in raised}) == 13  # every class, the base included
    for error in raised:
        _assert_clean(error)
    unauthorized = raised[1]
    assert isinstance(unauthorized, AuthenticationError)
    assert "[redacted]" in unauthorized.message  # the server echoed the key; we cut it out
    assert SECRET not in json.dumps(unauthorized.body)

    assert any(record.name.startswith("httpcore") for record in caplog.records)
    assert any(record.name == "stamina" for record in caplog.records)  # retries were logged
    for record in caplog.records:
        assert SECRET not in record.getMessage()
        assert SECRET not in repr(vars(record))


def test_the_client_repr_masks_the_key(make_connected: MakeConnected) -> None:
    client = make_connected(lambda request: json_response(200, envelope(ACCOUNT)))
    assert repr(client) == "SequenceClient(base_url='http://sequence.test/api/v1', token='***')"
    http = client.get_httpx_client()  # the generated client would now copy the key around
    copy = client.with_headers({"X-Trace": "1"}).with_timeout(http.timeout)
    for shown in (repr(client), str(client), repr(copy), str(copy), repr(http.headers)):
        assert SECRET not in shown
    assert "Authorization" not in client._headers  # never copied into the attrs field
    assert http.headers["Authorization"] == f"ApiKey {SECRET}"  # but sent


@pytest.mark.anyio
async def test_the_async_side_keeps_the_key_out_of_its_headers_field(
    make_connected: MakeConnected,
) -> None:
    client: SequenceClient = make_connected(
        lambda request: json_response(200, envelope(ACCOUNT)), asynchronous=True
    )
    async with client:
        await get_account.asyncio_detailed("acc_1", client=client)
        assert "Authorization" not in client._headers
        assert SECRET not in repr(client.get_async_httpx_client().headers)


def test_a_connection_error_names_host_and_path_but_never_url_credentials() -> None:
    request = httpx.Request("GET", f"https://user:{SECRET}@api.example.test:8443/api/v1/x?k=1")
    error = connection_error(httpx.ConnectError("refused"), request)
    assert error.url == "https://api.example.test:8443/api/v1/x"
    assert SECRET not in str(error)
    assert SECRET not in repr(error)


def test_a_plain_generated_client_keeps_the_key_out_too(loopback: str) -> None:
    """Without connect()'s transport the generated parser meets the error body; call() and
    paginate() take the key from the client they were given and cut it out all the same."""
    plain = AuthenticatedClient(base_url=loopback, token=SECRET, prefix="ApiKey")
    with plain:
        for account_id, (_, cls) in STATUS_OF.items():
            with pytest.raises(cls) as caught:
                call(get_account.sync_detailed, account_id, client=plain)
            _assert_clean(caught.value)
        with pytest.raises(AuthenticationError) as unauthorized:
            list(paginate(list_transfers.sync_detailed, client=plain, account_id="acc_401"))
    _assert_clean(unauthorized.value)
