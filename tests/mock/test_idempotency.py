"""Idempotency-Key: replay, mismatch, in-flight conflict, 24-hour expiry, scope."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from tests.fixtures.mock import API, MakeMock, Mock

TRANSFER = {
    "source_account_id": "acc_01HGHI7890",
    "destination_account_id": "acc_01HABC4567",
    "amount_in_cents": 1_000,
}
RULE: dict[str, Any] = {
    "status": "disabled",
    "trigger": {"type": "MANUAL", "account_id": "acc_01HGHI7890"},
    "steps": [{"conditions": None}],
}


def _post(api: httpx.Client, key: str, body: dict[str, Any], **headers: str) -> httpx.Response:
    return api.post("/transfers", json=body, headers={"Idempotency-Key": key, **headers})


def test_same_key_and_body_replays_without_running_again(mock: Mock, api: httpx.Client) -> None:
    first = _post(api, "k-1", TRANSFER, **{"X-Request-ID": "first"})
    mock.clock.advance(3600)
    again = _post(api, "k-1", TRANSFER, **{"X-Request-ID": "second"})
    assert again.status_code == first.status_code == 201
    assert again.content == first.content  # the original body, request_id included
    assert again.json()["request_id"] == "first"
    assert again.headers["X-Request-ID"] == "first"
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["data"]["status"] == "processing"  # the original answer, not today's
    created = [
        t
        for t in mock.store.transfers.values()
        if t.origin == "user" and t.amount_in_cents == 1_000
    ]
    assert len(created) == 1


def test_key_order_in_the_body_does_not_matter(api: httpx.Client) -> None:
    first = _post(api, "k-2", TRANSFER)
    reordered = dict(reversed(list(TRANSFER.items())))
    assert _post(api, "k-2", reordered).content == first.content


def test_same_key_other_body_is_400_mismatch(mock: Mock, api: httpx.Client) -> None:
    _post(api, "k-3", TRANSFER)
    response = _post(api, "k-3", {**TRANSFER, "amount_in_cents": 2_000})
    assert response.status_code == 400
    assert mock.conforms("createTransfer", response)["error"]["code"] == "idempotency_key_mismatch"  # type: ignore[index]


def test_after_24_hours_the_key_starts_a_new_operation(mock: Mock, api: httpx.Client) -> None:
    first = _post(api, "k-4", TRANSFER)
    mock.clock.advance(hours=23, minutes=59)
    assert _post(api, "k-4", TRANSFER).json()["data"]["id"] == first.json()["data"]["id"]
    mock.clock.advance(minutes=1)
    renewed = _post(api, "k-4", TRANSFER)
    assert renewed.status_code == 201
    assert renewed.json()["data"]["id"] != first.json()["data"]["id"]
    assert "Idempotent-Replayed" not in renewed.headers


def test_errors_from_the_handler_are_replayed_too(mock: Mock, api: httpx.Client) -> None:
    body = {
        **TRANSFER,
        "destination_account_id": "acc_01HJKL2345",
        "source_account_id": "acc_01HJKL2345",
    }
    first = _post(api, "k-5", body)
    assert first.status_code == 403
    assert _post(api, "k-5", body).headers["Idempotent-Replayed"] == "true"


def test_validation_failures_are_not_remembered(api: httpx.Client) -> None:
    assert _post(api, "k-6", {**TRANSFER, "amount_in_cents": 1}).status_code == 400
    assert _post(api, "k-6", TRANSFER).status_code == 201


def test_keys_are_scoped_per_api_key_and_operation(mock: Mock, api: httpx.Client) -> None:
    _post(api, "shared", TRANSFER)
    capped = mock.client("demo-transfer-capped")
    assert _post(capped, "shared", TRANSFER).headers.get("Idempotent-Replayed") is None
    rule = api.post("/rules", json=RULE, headers={"Idempotency-Key": "shared"})
    assert rule.status_code == 201


def test_path_is_part_of_the_request(api: httpx.Client) -> None:
    headers = {"Idempotency-Key": "k-7"}
    assert api.put("/rules/rule_01HXYZ1234", json=RULE, headers=headers).status_code == 200
    other = api.put("/rules/rule_01HABC9999", json=RULE, headers=headers)
    assert other.json()["error"]["code"] == "idempotency_key_mismatch"


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", "/rules", RULE, 201),
        ("PUT", "/rules/rule_01HXYZ1234", RULE, 200),
        ("DELETE", "/rules/rule_01HXYZ1234", None, 204),
        ("POST", "/rules/rule_01HABC9999/trigger", {}, 202),
    ],
)
def test_every_idempotent_operation_replays(
    mock: Mock, api: httpx.Client, method: str, path: str, body: object, status: int
) -> None:
    headers = {"Idempotency-Key": "op-key"}
    first = api.request(method, path, json=body, headers=headers)
    again = api.request(method, path, json=body, headers=headers)
    assert first.status_code == again.status_code == status
    assert again.content == first.content
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(mock.store.executions) == 5 + (path.endswith("/trigger"))


def test_read_operations_ignore_the_header(api: httpx.Client) -> None:
    response = api.get("/accounts", headers={"Idempotency-Key": "whatever"})
    assert response.status_code == 200
    assert "Idempotent-Replayed" not in response.headers


@pytest.mark.parametrize("key", [b"", b"x" * 37, b"white space", "ключ".encode()])
def test_malformed_keys_are_400(api: httpx.Client, key: bytes) -> None:
    response = api.post("/transfers", json=TRANSFER, headers={b"Idempotency-Key": key})
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("method", "path", "body", "code"),
    [
        ("POST", "/transfers", TRANSFER, "transfer_in_progress"),
        ("POST", "/rules/rule_01HABC9999/trigger", {}, "rule_execution_in_progress"),
        ("POST", "/rules", RULE, "conflict"),
        ("DELETE", "/rules/rule_01HXYZ1234", None, "conflict"),
    ],
)
def test_a_retry_while_the_first_call_runs_is_409(
    make_mock: MakeMock, method: str, path: str, body: object, code: str
) -> None:
    mock = make_mock(latency=0.3)

    async def scenario() -> tuple[httpx.Response, httpx.Response, httpx.Response]:
        transport = httpx.ASGITransport(app=mock.app)
        headers = {"Authorization": "ApiKey demo-all", "Idempotency-Key": "busy"}
        async with httpx.AsyncClient(transport=transport, base_url=API, headers=headers) as client:

            async def late() -> httpx.Response:
                await asyncio.sleep(0.1)
                return await client.request(method, path, json=body)

            first, second = await asyncio.gather(client.request(method, path, json=body), late())
            third = await client.request(method, path, json=body)
        return first, second, third

    first, second, third = asyncio.run(scenario())
    assert first.is_success
    assert second.status_code == 409
    assert second.json()["error"]["code"] == code
    assert third.content == first.content  # once finished, the key replays


def test_a_caller_who_gives_up_mid_call_gets_a_replay_not_a_second_transfer(
    make_mock: MakeMock,
) -> None:
    """The write is done before the answer is held back by ``latency``; a client that stops
    waiting then retries with the same key must find it done, not run it again."""
    mock = make_mock(latency=0.3)
    before = len(mock.store.transfers)

    async def scenario() -> httpx.Response:
        transport = httpx.ASGITransport(app=mock.app)
        headers = {"Authorization": "ApiKey demo-all", "Idempotency-Key": "gave-up"}
        async with httpx.AsyncClient(transport=transport, base_url=API, headers=headers) as client:
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(client.post("/transfers", json=TRANSFER), 0.05)
            return await client.post("/transfers", json=TRANSFER)

    retry = asyncio.run(scenario())
    assert retry.status_code == 201
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert len(mock.store.transfers) == before + 1
