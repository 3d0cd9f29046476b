"""Recorded traffic read one exchange at a time: HAR 1.2, Schemathesis cassettes, proxy logs.
A malformed file or entry is an error naming it, never a crash."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from sequence_contract.conformance._exchange import Exchange
from sequence_contract.mock import create_app, serve
from sequence_contract.spec import spec_path
from sequence_contract.traffic import _recordings
from sequence_contract.traffic._recordings import RecordingError, read, sniff
from sequence_contract.traffic.validate import validate
from tests.fixtures.drift import DRIFTS, Drifting, har

KEY = "demo-all"


def exchanges(path: Path) -> list[Exchange]:
    found = list(read(path))
    assert all(isinstance(item, Exchange) for item in found), found
    return [item for item in found if isinstance(item, Exchange)]


def errors(path: Path) -> list[str]:
    return [str(item) for item in read(path) if isinstance(item, RecordingError)]


def entry(index: int) -> dict[str, Any]:
    body = json.dumps({"request_id": f"req_{index}", "data": []})
    return {
        "request": {
            "method": "GET",
            "url": f"https://x.test/api/v1/rules?n={index}",
            "headers": [{"name": "Authorization", "value": "ApiKey k"}],
        },
        "response": {
            "status": 200,
            "headers": [{"name": "Content-Type", "value": "application/json"}],
            "content": {"size": len(body), "mimeType": "application/json", "text": body},
        },
    }


def test_a_har_file_is_streamed_entry_by_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_recordings, "CHUNK", 97)  # many refills, entries cut mid-value
    document = {
        "log": {
            "version": "1.2",
            "creator": {"name": "t", "version": "1"},
            "pages": [{"id": "p", "title": "[1, {]"}],
            "entries": [entry(i) for i in range(40)],
            "comment": "after",
        }
    }
    path = tmp_path / "big.har"
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    assert sniff(path) == "har"
    found = exchanges(path)
    assert [e.url.rsplit("=", 1)[1] for e in found] == [str(i) for i in range(40)]
    assert found[3].status == 200
    assert found[3].request_headers["authorization"] == "ApiKey k"
    assert json.loads(found[3].content)["request_id"] == "req_3"
    assert found[3].source.endswith("entry 3 (GET https://x.test/api/v1/rules?n=3)")


def test_a_base64_body_and_a_missing_answer(tmp_path: Path) -> None:
    first, second = entry(0), entry(1)
    text = first["response"]["content"]["text"]
    first["response"]["content"].update(
        text=__import__("base64").b64encode(text.encode()).decode(), encoding="base64"
    )
    second["response"]["status"] = 0  # the browser blocked it
    path = tmp_path / "two.har"
    path.write_text(json.dumps({"log": {"entries": [first, second]}}), encoding="utf-8")
    one, two = exchanges(path)
    assert json.loads(one.content)["request_id"] == "req_0"
    assert two.status is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"log": {"entries": [{"request": {}, "response": {"status": 200}}]}}',
            "entry 0 (? ?): no 'method'",
        ),
        (
            '{"log": {"entries": [' + json.dumps(entry(0)) + ', {"request": ',
            "entry 1: the file ends inside the JSON document",
        ),
        (
            '{"log": {"entries": [' + json.dumps(entry(0)) + "} ]}}",
            "entry 1: expected ',]' at character",
        ),
        ('{"log": {"version": "1.2"}}', "no log.entries"),
    ],
)
def test_a_malformed_har_is_an_error_naming_the_entry(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "bad.har"
    path.write_text(text, encoding="utf-8")
    found = errors(path)
    assert len(found) == 1
    assert found[0].startswith(str(path))
    assert message in found[0]


def test_a_proxy_log_names_its_bad_line_and_reads_on(tmp_path: Path) -> None:
    good = {
        "type": "exchange",
        "method": "GET",
        "url": "http://x/api/v1/rules",
        "status": 200,
        "request": {"headers": {}},
        "response": {"headers": {}, "body": "{}"},
    }
    path = tmp_path / "log.ndjson"
    lines = [
        json.dumps(good),
        "{not json",
        json.dumps({"type": "exchange", "url": "x"}),
        json.dumps(good),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert sniff(path) == "ndjson"
    items = list(read(path))
    assert [type(item).__name__ for item in items] == [
        "Exchange",
        "RecordingError",
        "RecordingError",
        "Exchange",
    ]
    assert str(items[1]).startswith(f"{path}: line 2: ")
    assert str(items[2]) == f"{path}: line 3: no 'method'"


def test_an_unknown_file_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello\n", encoding="utf-8")
    with pytest.raises(RecordingError, match="neither a HAR file"):
        sniff(path)


@pytest.fixture(scope="module")
def schemathesis_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cassette and a HAR file written by Schemathesis itself, against a drifting mock."""
    folder = tmp_path_factory.mktemp("schemathesis")
    with serve(Drifting(create_app(), DRIFTS["doc-field-renamed"])) as root:
        subprocess.run(  # noqa: S603 - fixed argv
            [
                sys.executable,
                "-m",
                "schemathesis.cli",
                "--no-color",
                "run",
                str(spec_path()),
                "--url",
                f"{root}/api/v1",
                "-H",
                f"Authorization: ApiKey {KEY}",
                "--phases",
                "examples",
                "--include-operation-id",
                "getAccount",
                "--include-operation-id",
                "listRules",
                "--report",
                "vcr,har",
                "--report-dir",
                str(folder),
            ],
            check=False,
            capture_output=True,
            timeout=120,
        )
    return folder


def test_schemathesis_cassettes_and_har_files_are_read(schemathesis_reports: Path) -> None:
    cassette = next(schemathesis_reports.glob("vcr-*.yaml"))
    recorded = next(schemathesis_reports.glob("har-*.json"))
    assert sniff(cassette) == "cassette"
    assert sniff(recorded) == "har"
    for path in (cassette, recorded):
        found = exchanges(path)
        assert {e.path for e in found} >= {"/api/v1/rules", "/api/v1/accounts/acc_01HABC4567"}
        tally = validate([path])
        renamed = [r for r in tally.records() if r.pointer == "/data/can_be_source"]
        assert [(r.kind, r.provenance) for r in renamed] == [("required", "doc")]
        assert tally.exit_code() == 1


def test_a_cassette_names_its_bad_interaction(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "command: 'st run'\nrecorded_with: 'Schemathesis 4.32.5'\nseed: 1\nhttp_interactions:\n"
        "- id: '1'\n  status: 'SUCCESS'\n  request:\n    uri: 'http://x/api/v1/rules'\n"
        '    method: \'GET\'\n    headers:\n      "Authorization":\n      - "[Filtered]"\n'
        "  response:\n    status:\n      code: '200'\n      message: \"OK\"\n    headers:\n"
        '      "Content-Type":\n      - "application/json"\n    body:\n'
        "      encoding: 'utf-8'\n      string: \"{}\"\n    http_version: '1.1'\n"
        "- id: '2'\n  status: 'ERROR'\n  request:\n    uri: 'http://x/api/v1/rules'\n"
        "  response: null\n"
        "- id: '3'\n  request: [unclosed\n",
        encoding="utf-8",
    )
    items = list(read(path))
    assert isinstance(items[0], Exchange)
    assert items[0].content == b"{}"
    assert str(items[1]) == f"{path}: interaction 2 (line 24): no 'method'"
    assert str(items[2]).startswith(f"{path}: interaction at line 29: not YAML")


def test_the_validate_command_exits_2_on_an_unreadable_entry(tmp_path: Path) -> None:
    with serve(create_app()) as root, httpx.Client(base_url=f"{root}/api/v1/") as client:
        path = har(
            [client.get("rules", headers={"Authorization": f"ApiKey {KEY}"})], tmp_path / "ok.har"
        )
    bad = tmp_path / "bad.har"
    bad.write_text('{"log": {"entries": [{}]}}', encoding="utf-8")
    assert validate([path]).exit_code() == 0
    tally = validate([path, bad])
    assert tally.exit_code() == 2
    assert tally.errors == [f"{bad}: entry 0: no 'request'"]
