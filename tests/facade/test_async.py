"""AsyncSequence over an async transport (httpx.ASGITransport of the mock): the same surface,
awaited, with ``async for`` over paged lists."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sequence_api_client.models import Account, Transfer

from sequence_contract import AsyncSequence, NotFoundError, Page
from sequence_contract.mock import create_app

MOCK_URL = "http://mock.test/api/v1"
ACCOUNT = "acc_01HGHI7890"
OTHER = "acc_01HABC4567"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def client() -> AsyncIterator[AsyncSequence]:
    transport = httpx.ASGITransport(create_app())
    async with AsyncSequence("demo-all", base_url=MOCK_URL, transport=transport) as c:
        yield c


@pytest.mark.anyio
async def test_methods_are_awaited_and_return_the_models(client: AsyncSequence) -> None:
    account = await client.accounts.get(ACCOUNT)
    assert isinstance(account, Account)
    transfer = await client.transfers.create(
        source_account_id=ACCOUNT, destination_account_id=OTHER, amount_in_cents=1500
    )
    assert isinstance(transfer, Transfer)
    assert (await client.transfers.get(transfer.id)).id == transfer.id
    with pytest.raises(NotFoundError):
        await client.accounts.get("acc_01HNOTHERE0")


@pytest.mark.anyio
async def test_async_for_walks_every_page(client: AsyncSequence) -> None:
    items = [t async for t in client.transfers.list(account_id=ACCOUNT, first=2)]
    pages = [p async for p in client.transfers.list(account_id=ACCOUNT, first=2).pages()]
    assert len(items) > 2
    assert all(isinstance(page, Page) for page in pages)
    assert [t.id for page in pages for t in page.items] == [t.id for t in items]
    assert not pages[-1].has_next_page


@pytest.mark.anyio
async def test_raw_and_options(client: AsyncSequence) -> None:
    raw = await client.with_raw_response.accounts.get(ACCOUNT, request_id="req-async")
    assert raw.status_code == 200
    assert raw.request_id == "req-async"
    assert isinstance(raw.parse(), Account)
    first = await client.with_raw_response.transfers.list(account_id=ACCOUNT, first=1)
    assert len(first.parse().items) == 1
    quick = client.with_options(timeout=2.0, max_retries=0)
    assert isinstance(quick, AsyncSequence)
    assert (await quick.accounts.get(ACCOUNT)).id == ACCOUNT
    await quick.aclose()  # leaves the pool to the original
    assert (await client.accounts.get(ACCOUNT)).id == ACCOUNT


@pytest.mark.anyio
async def test_aclose_closes_the_transport() -> None:
    closed: list[bool] = []

    class Transport(httpx.AsyncBaseTransport):
        inner = httpx.ASGITransport(create_app())

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            return await self.inner.handle_async_request(request)

        async def aclose(self) -> None:
            closed.append(True)

    client = AsyncSequence("demo-all", base_url=MOCK_URL, transport=Transport())
    await client.accounts.list()
    await client.aclose()
    assert closed == [True]
