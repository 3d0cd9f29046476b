"""A user's file written against the facade only: ``mypy --strict`` must accept it
(``test_typing.py``), and ``test_facade.py`` runs it against the embedded mock."""

from __future__ import annotations

from typing import assert_type

import httpx
from sequence_api_client.models import (
    Account,
    AccountSummary,
    CreateTransferInput,
    RuleSummary,
    Transfer,
)

from sequence_contract import NotFoundError, Page, Sequence, SequenceError


def main(transport: httpx.BaseTransport) -> list[str]:
    """What a user does with the facade; returns lines to check."""
    seen: list[str] = []
    with Sequence("demo-all", base_url="http://mock.test/api/v1", transport=transport) as client:
        account = client.accounts.get("acc_01HGHI7890", request_id="req-example-1")
        assert_type(account, Account)
        seen.append(account.name)
        summaries = client.accounts.list(type="income_source")
        assert_type(summaries, list[AccountSummary])

        transfer = client.transfers.create(
            source_account_id="acc_01HGHI7890",
            destination_account_id="acc_01HABC4567",
            amount_in_cents=2500,
            description="Rent",
        )
        assert_type(transfer, Transfer)
        body = CreateTransferInput("acc_01HGHI7890", "acc_01HABC4567", amount_in_cents=1200)
        again = client.transfers.create(body=body, idempotency_key="example-key-1")
        seen.append(f"{transfer.status} {again.amount_in_cents}")

        for item in client.transfers.list(account_id="acc_01HGHI7890", first=50):
            assert_type(item, Transfer)
        pages = client.transfers.list(account_id="acc_01HGHI7890", first=3).pages()
        first_page = next(pages)
        assert_type(first_page, Page[Transfer])
        seen.append(f"{len(first_page.items)} {first_page.has_next_page}")

        rules = client.rules.list()
        assert_type(rules, list[RuleSummary])

        raw = client.with_raw_response.accounts.get("acc_01HGHI7890")
        assert_type(raw.status_code, int)
        assert_type(raw.request_id, str | None)
        assert_type(raw.parse(), Account)
        seen.append(f"{raw.status_code} {raw.parse().id}")

        patient = client.with_options(timeout=60.0, max_retries=5)
        assert_type(patient, Sequence)
        try:
            patient.accounts.get("acc_01HNOTHERE0")
        except NotFoundError as error:
            seen.append(f"{error.status_code} {error.code}")
        except SequenceError:
            raise
    return seen
