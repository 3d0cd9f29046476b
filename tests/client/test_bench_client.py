"""scripts/bench-client's construction floor rebuilds exactly the page the generated client parsed.

The floor is quoted as the least any client returning the generated models can cost; that only
holds if its plan constructs every instance of the page, with the values it really has.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import attrs
import pytest
from sequence_api_client.models import Transfer, TransferListResponse, TransferParty

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench-client"


def _load_script() -> ModuleType:
    loader = importlib.machinery.SourceFileLoader("bench_client", str(SCRIPT))
    spec = importlib.util.spec_from_loader("bench_client", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_client"] = module  # dataclasses look their module up while decorating
    loader.exec_module(module)
    return module


def test_construction_plan_covers_every_instance_of_a_page() -> None:
    bench = _load_script()
    recorded = bench.record(bench.seeded_app())
    content = recorded["/api/v1/transfers"][2]
    parsed = TransferListResponse.from_dict(json.loads(content))

    plan = bench.construction_plan(parsed)
    rebuilt = [cls(**kwargs) for cls, kwargs in plan]

    kinds = [type(instance) for instance in rebuilt]
    assert kinds.count(Transfer) == 100
    assert kinds.count(TransferParty) == 200
    assert rebuilt[-1] == parsed
    assert attrs.asdict(rebuilt[-1]) == attrs.asdict(parsed)


def test_cold_start_reports_every_figure_from_a_fresh_interpreter(
    sequence_mock_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bench = _load_script()
    bench.cold_start(f"{sequence_mock_url}/api/v1", sys.executable, 1)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("cold start, 1 fresh interpreters per column")
    assert lines[1].split()[-5:] == ["layer", "facade", "target", "(CPU),", "facade"]
    figures = {line[2:36].strip(): line[36:].split() for line in lines[2:]}
    assert list(figures) == [
        "import httpx (alone)",
        "import the client (over httpx)",
        "httpx client set-up (httpx's)",
        "first call",
        "warm call (median of 21)",
        "first call - warm call",
    ]
    for cells in figures.values():
        assert float(cells[0]) > 0  # layer, CPU
        assert float(cells[2]) > 0  # facade, CPU
    assert figures["import the client (over httpx)"][-3:-1] == ["<=", "60:"]
    assert figures["first call - warm call"][-3:-1] == ["<=", "30:"]
    assert figures["first call - warm call"][-1] in ("met", "missed")


def test_facade_cost_prints_both_ratios_and_verdicts(capsys: pytest.CaptureFixture[str]) -> None:
    bench = _load_script()
    recorded = bench.record(bench.seeded_app())
    setups = {"canned": (lambda: bench.Canned(recorded), bench.BASE_URL)}
    bench.facade_cost(setups, {"getAccount": 5, "listTransfers": 2}, 1)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[-3:] == ["facade/raw", "facade/gen", "facade/layer"]
    rows = {line.split()[0]: line.split() for line in lines[1:3]}
    assert set(rows) == {"getAccount", "listTransfers"}
    assert all(float(value) > 0 for row in rows.values() for value in row[2:])
    assert lines[3].startswith("facade / the generated function (through the layer), getAccount")
    assert lines[4].endswith(("meets the 1.05x target)", "misses the 1.05x target)"))
