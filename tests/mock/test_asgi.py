"""The mock's lean HTTP path: requests read from the ASGI scope as Starlette read them, answers
sent as Starlette sent them, JSON as ``json`` wrote it, and one send per response."""

from __future__ import annotations

import asyncio
import itertools
import json
from typing import Any
from urllib.parse import parse_qsl

import pytest
from starlette.requests import ClientDisconnect
from starlette.types import Message

from sequence_contract.mock._json import dumps
from sequence_contract.mock.http._asgi import Incoming, query_pairs
from sequence_contract.mock.http._envelope import Answer
from sequence_contract.mock.http._serve import _OneWrite
from tests.fixtures.mock import Mock


def test_a_query_reads_as_starlette_reads_it() -> None:
    """Every query of up to five characters from an alphabet of separators and escapes."""
    alphabet = "a=&;%2+"
    for size in range(6):
        for letters in itertools.product(alphabet, repeat=size):
            query = "".join(letters)
            assert query_pairs(query) == parse_qsl(query, keep_blank_values=True), query


def test_a_request_is_read_from_the_scope() -> None:
    scope = {
        "method": "GET",
        "path": "/api/v1/transfers",
        "query_string": b"first=2&account_id=acc_1&first=3&flag",
        "headers": [(b"x-request-id", b"one"), (b"x-request-id", b"two"), (b"accept", b"*/*")],
    }
    incoming = Incoming(scope, _no_body)
    assert (incoming.method, incoming.path) == ("GET", "/api/v1/transfers")
    assert incoming.headers == {"x-request-id": "one", "accept": "*/*"}  # the first, as Starlette
    assert incoming.query == [("first", "2"), ("account_id", "acc_1"), ("first", "3"), ("flag", "")]


def test_the_body_arrives_in_its_chunks_and_a_disconnect_is_noticed() -> None:
    messages: list[Message] = [
        {"type": "http.request", "body": b"ab", "more_body": True},
        {"type": "http.request", "body": b"", "more_body": True},
        {"type": "http.request", "body": b"c", "more_body": False},
    ]

    async def receive() -> Message:
        return messages.pop(0)

    async def read(incoming: Incoming) -> list[bytes]:
        return [chunk async for chunk in incoming.chunks()]

    scope = {"method": "POST", "path": "/", "headers": [], "query_string": b""}
    assert asyncio.run(read(Incoming(scope, receive))) == [b"ab", b"c"]

    async def gone() -> Message:
        return {"type": "http.disconnect"}

    with pytest.raises(ClientDisconnect):
        asyncio.run(read(Incoming(scope, gone)))


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


def _sent(answer: Answer) -> list[Message]:
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(answer.send(send))
    return sent


def test_an_answer_is_sent_as_two_messages_with_its_length() -> None:
    start, body = _sent(
        Answer(201, {"X-Request-ID": "r", "Content-Type": "application/json"}, b"{}")
    )
    assert start == {
        "type": "http.response.start",
        "status": 201,
        "headers": [
            (b"x-request-id", b"r"),
            (b"content-type", b"application/json"),
            (b"content-length", b"2"),
        ],
    }
    assert body == {"type": "http.response.body", "body": b"{}"}
    no_content, _ = _sent(Answer(204, {"X-Request-ID": "r"}))
    assert no_content["headers"] == [(b"x-request-id", b"r")]  # a 204 has no length


def test_dumps_writes_what_json_wrote(mock: Mock) -> None:
    store = mock.store
    documents: list[Any] = [account.doc for account in store.accounts.values()]
    documents += [transfer.to_doc() for transfer in store.transfers.values()]
    documents += [rule.doc for rule in store.rules.values()]
    documents += [{"text": 'ü\u2028\x00\x1f"\\/', "n": [0, -1, 2.5, 1e-3, True, None]}]
    for document in documents:
        assert dumps(document) == json.dumps(
            document, ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8")


def test_what_orjson_refuses_is_written_by_json() -> None:
    assert dumps({"amount": 10**30}) == b'{"amount":1000000000000000000000000000000}'
    assert dumps({1: "a"}) == b'{"1":"a"}'
    with pytest.raises(UnicodeEncodeError):  # as before: a lone surrogate cannot be UTF-8
        dumps({"nickname": "\ud800"})


class _Transport:
    """Records what reaches the socket."""

    def __init__(self) -> None:
        self.sent: list[list[bytes]] = []
        self.closed = False

    def writelines(self, data: list[bytes]) -> None:
        self.sent.append(list(data))

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def get_extra_info(self, name: str) -> str:
        return f"info:{name}"


def test_writes_of_one_loop_step_leave_in_one_send() -> None:
    transport = _Transport()

    async def respond() -> None:
        joined = _OneWrite(transport, asyncio.get_running_loop())  # type: ignore[arg-type]
        joined.write(b"HTTP/1.1 200 OK\r\n\r\n")
        joined.write(b"body")
        assert transport.sent == []  # nothing yet: the step has not ended
        await asyncio.sleep(0)
        assert transport.sent == [[b"HTTP/1.1 200 OK\r\n\r\n", b"body"]]
        joined.write(b"last")
        joined.close()  # what is pending goes first
        assert transport.sent[-1] == [b"last"]
        assert transport.closed
        joined.write(b"too late")
        await asyncio.sleep(0)
        assert transport.sent[-1] == [b"last"]  # dropped: the connection is closing
        assert joined.get_extra_info("peername") == "info:peername"

    asyncio.run(respond())
