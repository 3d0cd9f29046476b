"""The validating proxy: forwards any client unchanged (reads only by default), counts each
answer's violations in a header, logs every exchange without the key, sums up on exit."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from sequence_contract.mock import create_app, serve
from sequence_contract.traffic import proxy as proxy_command
from sequence_contract.traffic._overlay import write_overlay
from sequence_contract.traffic.proxy import PROVENANCE_HEADER, VIOLATIONS_HEADER, ValidatingProxy
from tests.fixtures.drift import DRIFTS, Drifting

KEY = "demo-all"


@dataclass
class Running:
    proxy: ValidatingProxy
    client: httpx.Client
    log: io.StringIO

    def records(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.log.getvalue().splitlines()]


def running(upstream: str, **options: object) -> Iterator[Running]:
    log = io.StringIO()
    proxy = ValidatingProxy(upstream, log, **options)  # type: ignore[arg-type]
    with (
        serve(proxy) as url,
        httpx.Client(base_url=url, headers={"Authorization": f"ApiKey {KEY}"}) as client,
    ):
        yield Running(proxy, client, log)


@pytest.fixture
def through() -> Iterator[Running]:
    """A proxy in front of a mock whose getAccount drops a filled field."""
    with serve(Drifting(create_app(delay=0.2), DRIFTS["filled-field-dropped"])) as root:
        yield from running(f"{root}/api/v1")


def test_answers_pass_unchanged_with_the_count_and_provenance(through: Running) -> None:
    good = through.client.get("/rules")
    drifted = through.client.get("/accounts/acc_01HGHI7890")
    assert (good.status_code, good.headers[VIOLATIONS_HEADER], good.headers[PROVENANCE_HEADER]) == (
        200,
        "0",
        "none",
    )
    assert good.json()["data"]
    assert drifted.status_code == 200
    assert "beneficiary_name" not in drifted.json()["data"]
    assert drifted.headers[VIOLATIONS_HEADER] == "1"
    assert drifted.headers[PROVENANCE_HEADER] == "filled=1"
    record = through.records()[1]
    assert record["operation"] == "getAccount"
    assert [v["pointer"] for v in record["violations"]] == ["/data/beneficiary_name"]


def test_writes_are_blocked_unless_named(through: Running) -> None:
    body = {
        "source_account_id": "acc_01HGHI7890",
        "destination_account_id": "acc_01HABC4567",
        "amount_in_cents": 100,
    }
    blocked = through.client.post("/transfers", json=body)
    assert blocked.status_code == 403
    assert blocked.json()["error"]["code"] == "blocked_by_contract_guard"
    assert through.records()[-1]["outcome"] == "blocked write"
    assert through.proxy.tally.exchanges == 0  # the guard's own answer is nothing to judge


def test_a_named_write_is_forwarded() -> None:
    with serve(create_app()) as root:
        for proxied in running(f"{root}/api/v1", allowed_writes={"createTransfer"}):
            body = {
                "source_account_id": "acc_01HGHI7890",
                "destination_account_id": "acc_01HABC4567",
                "amount_in_cents": 100,
            }
            created = proxied.client.post("/transfers", json=body)
            assert created.status_code == 201, created.text
            assert created.headers[VIOLATIONS_HEADER] == "0"
            assert proxied.records()[-1]["request"]["body"]


def test_a_read_the_contract_does_not_name_reaches_the_server_and_is_listed(
    through: Running,
) -> None:
    answer = through.client.get("/platform/v1/accounts")
    assert answer.status_code == 404  # the mock's, not the guard's
    assert answer.json()["error"]["code"] == "not_found"
    summary = through.proxy.tally.render()
    assert "- GET /api/v1/platform/v1/accounts → 404 (x1)" in summary
    assert "platform-v1-path" in summary


def test_the_log_holds_no_key_and_the_summary_counts(through: Running) -> None:
    through.client.get("/accounts/acc_01HGHI7890", headers={"X-Echo": f"prefix {KEY}"})
    text = through.log.getvalue()
    assert KEY not in text
    assert '"authorization":"ApiKey [redacted]"' in text
    assert '"x-echo":"prefix [redacted]"' in text
    assert "1 exchanges; 1 violations (0 doc)" in through.proxy.tally.render()


def test_an_unreachable_server_is_a_502_with_the_envelope() -> None:
    with serve(create_app()) as root:
        dead = root  # closed below: nothing listens there any more
    for proxied in running(f"{dead}/api/v1"):
        answer = proxied.client.get("/rules")
        assert answer.status_code == 502
        assert answer.json()["error"]["code"] == "upstream_unreachable"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--upstream", "ftp://x"], "--upstream must be an http(s) URL"),
        (["--upstream", "https://x.test", "--rate-limit", "100"], "--rate-limit must be between"),
        (["--upstream", "https://x.test", "--allow-writes", "listRules"], "listRules is a read"),
        (["--upstream", "https://x.test", "--spec", "no/such.yaml"], "no such file"),
    ],
)
def test_the_command_refuses_bad_arguments(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert proxy_command.main(argv) == 2
    assert message in capsys.readouterr().err


def test_the_proxy_proposes_an_overlay_of_what_it_saw(through: Running, tmp_path: Path) -> None:
    """The drifted getAccount lacks a required (filled) field: the overlay makes it optional."""
    through.client.get("/accounts/acc_01HGHI7890")
    through.client.get("/accounts/acc_01HGHI7890")
    out = tmp_path / "observed.yaml"
    write_overlay(through.proxy.evidence, out, "openapi.yaml", "proxy")
    remove, again = yaml.safe_load(out.read_text(encoding="utf-8"))["actions"]
    assert remove["target"] == "$.components.schemas.AccountCore.required"
    assert remove["remove"] is True
    assert "beneficiary_name" not in again["update"]["required"]
    assert "x-contradicts" not in remove  # a filled fact, not a documented one
    assert remove["x-evidence"]["count"] == 2
