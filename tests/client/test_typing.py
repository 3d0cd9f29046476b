"""The layer's results carry the generated models' types: ``mypy tests`` checks the
``assert_type`` lines below, pytest checks that the same calls run."""

from __future__ import annotations

from typing import assert_type

import pytest
from sequence_api_client.api.accounts import get_account, list_accounts
from sequence_api_client.api.transfers import list_transfers
from sequence_api_client.models import Account, AccountSummary, Transfer

from sequence_contract import SequenceClient, acall, apaginate, call, paginate, unwrap

ACCOUNT_ID = "acc_01HGHI7890"


def test_sync_results_are_typed(embedded_client: SequenceClient) -> None:
    account = call(get_account.sync_detailed, ACCOUNT_ID, client=embedded_client)
    assert_type(account, Account)
    accounts = call(list_accounts.sync_detailed, client=embedded_client)
    assert_type(accounts, list[AccountSummary])
    same = unwrap(get_account.sync_detailed(ACCOUNT_ID, client=embedded_client))
    assert_type(same, Account)
    transfers = list(
        paginate(
            list_transfers.sync_detailed, client=embedded_client, account_id=ACCOUNT_ID, limit=2
        )
    )
    assert_type(transfers, list[Transfer])
    assert len(transfers) == 2
    assert all(isinstance(transfer, Transfer) for transfer in transfers)
    assert isinstance(account, Account)
    assert all(isinstance(item, AccountSummary) for item in accounts)
    assert same.id == account.id


@pytest.mark.anyio
async def test_async_results_are_typed(embedded_async_client: SequenceClient) -> None:
    account = await acall(get_account.asyncio_detailed, ACCOUNT_ID, client=embedded_async_client)
    assert_type(account, Account)
    assert isinstance(account, Account)
    transfers = [
        transfer
        async for transfer in apaginate(
            list_transfers.asyncio_detailed, client=embedded_async_client, account_id=ACCOUNT_ID
        )
    ]
    assert_type(transfers, list[Transfer])
    assert transfers
    assert all(isinstance(transfer, Transfer) for transfer in transfers)
