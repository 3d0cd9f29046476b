"""Proof with a server that drifts: each declared drift, seen through every path.

The mock, wrapped in ``Drifting``, serves on loopback; for each drift the same reads go through
the validating proxy (its headers and NDJSON log), straight to the server recorded as a HAR
file, and through the smoke run; in-process, the client makes them in ``warn`` and ``strict``
mode. ``validate`` then reads the proxy's log and the HAR file. Every
path must report the drift's record with the right kind, pointer, severity and provenance, and
exit with the right code; the unmodified mock (``none``) gives no record at all.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sequence_api_client.api.accounts import get_account, list_accounts
from sequence_api_client.api.transfers import list_transfers

from sequence_contract import ContractError, ContractWarning, SequenceClient, call, connect
from sequence_contract._validate import Mode
from sequence_contract.contract._smoke import SmokeResult, smoke
from sequence_contract.mock import create_app, serve
from sequence_contract.testing import SyncASGITransport
from sequence_contract.traffic import Violation
from sequence_contract.traffic import validate as validate_command
from sequence_contract.traffic.proxy import PROVENANCE_HEADER, VIOLATIONS_HEADER, ValidatingProxy
from tests.fixtures.drift import DRIFTS, Drift, Drifting, har

KEY = "demo-all"
READS = ["/accounts", "/accounts/acc_01HGHI7890", "/transfers?account_id=acc_01HGHI7890"]


@dataclass(frozen=True)
class Seen:
    drift: Drift
    proxied: list[httpx.Response]  # the answers the proxy's client got
    log: Path  # the proxy's NDJSON log
    har: Path
    smoke: SmokeResult


@pytest.fixture(scope="module", params=list(DRIFTS))
def seen(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Seen:
    drift = DRIFTS[request.param]
    folder = tmp_path_factory.mktemp(drift.name)
    auth = {"Authorization": f"ApiKey {KEY}"}
    with serve(Drifting(create_app(delay=0.2), drift)) as root:
        upstream = f"{root}/api/v1"
        log = folder / "proxy.ndjson"
        with (
            log.open("w", encoding="utf-8") as handle,
            serve(ValidatingProxy(upstream, handle)) as url,
            httpx.Client(base_url=url, headers=auth) as client,
        ):
            proxied = [client.get(path) for path in READS]
        with httpx.Client(base_url=upstream, headers=auth) as direct:
            recorded = har([direct.get(path.lstrip("/")) for path in READS], folder / "t.har")
        ran = smoke(upstream, KEY, echo=lambda line: None)
    return Seen(drift, proxied, log, recorded, ran)


def matching(records: list[Violation], drift: Drift) -> Violation:
    found = [r for r in records if r.kind == drift.kind and r.operation == drift.operation]
    assert found, f"{drift.name} not reported; got {[r.line() for r in records]}"
    return found[0]


def assert_reported(records: list[Violation], drift: Drift) -> None:
    if drift.name == "none":
        assert records == []
        return
    record = matching(records, drift)
    assert (record.severity, record.provenance, record.pointer) == (
        drift.severity,
        drift.provenance,
        drift.pointer,
    )


def run_validate(files: list[Path], *extra: str) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = validate_command.main([*map(str, files), *extra])
    return code, out.getvalue()


def test_the_proxy_counts_the_drift_in_its_headers(seen: Seen) -> None:
    drift = seen.drift
    index = {"getAccount": 1, "listTransfers": 2}.get(drift.operation, 0)
    answer = seen.proxied[index]
    expected = 1 if drift.severity == "violation" else 0
    assert answer.headers[VIOLATIONS_HEADER] == str(expected)
    provenance = f"{drift.provenance}=1" if expected else "none"
    assert answer.headers[PROVENANCE_HEADER] == provenance
    others = [r for i, r in enumerate(seen.proxied) if i != index]
    assert [r.headers[VIOLATIONS_HEADER] for r in others] == ["0"] * len(others)


def test_validate_reports_it_from_the_proxy_log(seen: Seen) -> None:
    tally = validate_command.validate([seen.log])
    assert tally.exchanges == len(READS)
    assert_reported(tally.records(), seen.drift)
    assert run_validate([seen.log])[0] == seen.drift.exit_code
    assert run_validate([seen.log], "--strict")[0] == seen.drift.strict_exit_code


def test_validate_reports_it_from_a_har_file(seen: Seen) -> None:
    tally = validate_command.validate([seen.har])
    assert tally.exchanges == len(READS)
    assert_reported(tally.records(), seen.drift)
    code, printed = run_validate([seen.har])
    assert code == seen.drift.exit_code
    if seen.drift.name != "none":
        assert seen.drift.kind in printed


def test_the_smoke_run_reports_it(seen: Seen) -> None:
    result = seen.smoke
    assert result.requests <= 30
    assert_reported(result.tally.records(), seen.drift)
    assert result.exit_code() == seen.drift.exit_code


def test_the_log_never_holds_the_key(seen: Seen) -> None:
    text = seen.log.read_text(encoding="utf-8")
    assert KEY not in text
    assert '"authorization":"ApiKey [redacted]"' in text


def calls(client: SequenceClient) -> dict[str, Callable[[], object]]:
    return {
        "listAccounts": lambda: call(list_accounts.sync_detailed, client=client),
        "getAccount": lambda: call(get_account.sync_detailed, "acc_01HGHI7890", client=client),
        "listTransfers": lambda: call(
            list_transfers.sync_detailed, client=client, account_id="acc_01HGHI7890"
        ),
    }


@pytest.mark.parametrize("mode", ["warn", "strict"])
@pytest.mark.parametrize("name", list(DRIFTS))
def test_the_client_reports_it(name: str, mode: Mode) -> None:
    drift = DRIFTS[name]
    transport = SyncASGITransport(Drifting(create_app(delay=0.2), drift))
    client = connect(KEY, base_url="http://mock.test/api/v1", transport=transport, validate=mode)
    raised: dict[str, ContractError] = {}
    with client, warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        for operation, run in calls(client).items():
            try:
                run()
            except ContractError as refused:
                raised[operation] = refused
    records = [w.message.violation for w in warned if isinstance(w.message, ContractWarning)]
    if drift.name == "none":
        assert (records, raised, list(client.violations)) == ([], {}, [])
        return
    if drift.severity == "info":  # never a warning nor an error: kept for who reads
        assert (records, raised) == ([], {})
        assert_reported(list(client.violations), drift)
        return
    assert set(raised) == {drift.operation}  # the others answered as documented
    failure = raised[drift.operation]
    if mode == "strict" or drift.kind == "undocumented-status":  # 299: in every mode
        assert_reported(list(failure.violations), drift)
    else:
        assert_reported(records, drift)  # then the generated parser fails on the body
        assert failure.violations == ()
