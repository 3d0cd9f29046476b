"""``sequence-contract receiver URL``: the derived document, and runs against two receivers:
the guide's, which must pass, and a buggy one, whose two bugs must both be caught."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from sequence_contract import cli
from sequence_contract.mock import serve
from sequence_contract.receiver import derive, run_receiver
from sequence_contract.spec import model
from sequence_contract.webhooks import DELIVERY_ID_HEADER
from tests.fixtures.receivers import buggy_receiver, guide_receiver

EXAMPLES = 10  # fuzzing cases per webhook and mode; the coverage phase adds ~55 each


def test_each_webhook_is_a_post_on_the_receivers_path() -> None:
    document = derive("http://127.0.0.1:9000/in/hooks?token=abc")
    names = [op.path for op in model().webhooks]
    assert list(document["paths"]) == [f"/in/hooks?token=abc#{name}" for name in names]
    assert document["servers"] == [{"url": "http://127.0.0.1:9000"}]
    for path, webhook in zip(document["paths"].values(), model().webhooks, strict=True):
        assert list(path) == ["post"]
        assert path["post"]["operationId"] == webhook.operation_id
        headers = [p["$ref"] for p in path["post"]["parameters"]]
        assert headers == ["#/components/parameters/WebhookId"]
    assert document["components"]["parameters"]["WebhookId"]["name"] == DELIVERY_ID_HEADER
    assert derive("http://localhost:1")["paths"].keys() >= {"/#TransferCreated"}


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("ftp://127.0.0.1/hooks", "must be an http(s) URL with a host"),
        ("http:///hooks", "must be an http(s) URL with a host"),
        ("http://127.0.0.1/hooks#x", "no fragment"),
    ],
)
def test_a_bad_url_is_refused_before_any_run(
    url: str, problem: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["receiver", url, "--reports", str(tmp_path)]) == 2
    assert problem in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_the_guide_receiver_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with serve(guide_receiver()["app"]) as root:
        argv = ["receiver", f"{root}/webhooks", "--reports", str(tmp_path), "--quiet"]
        assert cli.main([*argv, "--max-examples", str(EXAMPLES)]) == 0
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("# Receiver run: PASSED")
    assert "No failures." in summary
    assert summary in capsys.readouterr().out
    for webhook in model().webhooks:  # every webhook fuzzed in every phase, and acknowledged
        rows = [line.split(" | ") for line in summary.splitlines()]
        row = next(r for r in rows if r[0].endswith(f"#{webhook.path}") and len(r) == 6)
        examples, coverage, fuzzing = (int(cell) for cell in row[1:4])
        assert examples >= 1
        assert coverage >= 10
        assert fuzzing >= EXAMPLES
        assert "204 x" in row[5]
        assert "400 x" in row[5]


def test_a_receiver_that_fails_unknown_events_or_replays_is_caught(tmp_path: Path) -> None:
    with serve(buggy_receiver()) as root:
        outcome, summary = run_receiver(
            f"{root}/webhooks", tmp_path, lambda _: None, max_examples=EXAMPLES
        )
    assert not outcome.ok
    assert summary.startswith("# Receiver run: FAILED")
    failures = outcome.report.failures
    bugs = Counter((f.check, f.body.get("bug")) for f in failures if isinstance(f.body, dict))
    assert bugs[("not_a_server_error", "unknown_event")] >= 1
    assert bugs[("positive_data_acceptance", "unknown_event")] >= 1
    replays = [f for f in failures if f.check == "replayed_delivery_accepted"]
    assert replays
    assert all(f.first_line == "Replayed delivery answered 500" for f in replays)
    assert {f.status for f in replays} == {204}  # the first delivery was acknowledged
    assert {f.status for f in failures if f.check != "replayed_delivery_accepted"} == {500}
