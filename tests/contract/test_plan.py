"""The plan: mock runs from schemathesis.toml, and the real-server policy that keeps money still."""

from __future__ import annotations

import pytest

from sequence_contract.contract import _plan, _runner
from sequence_contract.contract.__main__ import main as contract_main
from sequence_contract.contract._plan import LivePolicy, PlanError, live_policy, merged
from sequence_contract.spec import Spec

URL = "http://127.0.0.1:9/custom/prefix/api/v1"


def test_no_environment_means_the_mock() -> None:
    assert live_policy({}) is None


@pytest.mark.parametrize(
    "env",
    [
        {"SEQUENCE_BASE_URL": URL},
        {"SEQUENCE_API_KEY": "secret"},
        {"SEQUENCE_BASE_URL": "ftp://example.test", "SEQUENCE_API_KEY": "secret"},
        {"SEQUENCE_BASE_URL": "not a url", "SEQUENCE_API_KEY": "secret"},
    ],
)
def test_an_incomplete_or_odd_environment_is_refused(env: dict[str, str]) -> None:
    with pytest.raises(PlanError):
        live_policy(env)


def test_writes_come_from_the_flag_or_the_environment_and_are_validated() -> None:
    env = {"SEQUENCE_BASE_URL": URL + "/", "SEQUENCE_API_KEY": "k"}
    policy = live_policy(env)
    assert policy is not None
    assert policy.base_url == URL
    assert policy.allowed_writes == frozenset()
    from_env = live_policy({**env, "SEQUENCE_ALLOW_WRITES": " createTransfer , triggerRule"})
    assert from_env is not None
    assert from_env.allowed_writes == {"createTransfer", "triggerRule"}
    flag_wins = live_policy({**env, "SEQUENCE_ALLOW_WRITES": "createTransfer"}, "deleteRule")
    assert flag_wins is not None
    assert flag_wins.allowed_writes == {"deleteRule"}
    with pytest.raises(PlanError, match="no operation"):
        live_policy(env, "moveAllTheMoney")
    with pytest.raises(PlanError, match="is a read"):
        live_policy(env, "listAccounts")


def test_live_selection_is_reads_of_available_operations(spec: Spec) -> None:
    chosen, skipped = LivePolicy(URL, "k", frozenset()).selection(spec)
    reads = {op.operation_id for op in spec.operations if not op.is_write}
    available = {op.operation_id for op in spec.operations if op.availability == "available"}
    assert {op.operation_id for op in chosen} == reads & available
    assert all(not op.is_write for op in chosen)
    assert skipped["createTransfer"] == "write; not named in allow-writes"
    assert skipped["getTransfer"] == "x-availability: unknown"
    assert skipped["listCards"] == "x-availability: coming-soon"


def test_a_named_write_is_tested_whatever_its_availability(spec: Spec) -> None:
    policy = LivePolicy(URL, "k", frozenset({"createTransfer", "deleteRule"}))
    chosen, skipped = policy.selection(spec)
    assert {"createTransfer", "deleteRule"} <= {op.operation_id for op in chosen}
    assert "triggerRule" in skipped


def test_the_live_run_switches_off_what_would_write(spec: Spec) -> None:
    run = LivePolicy(URL, "k", frozenset({"createTransfer"}), rate_limit=90).run(spec)
    config = merged(_plan.load_base_config(), run.config)
    assert config["phases"]["coverage"]["unexpected-methods"] == []
    assert config["checks"]["unsupported_method"]["enabled"] is False
    assert config["workers"] == 1
    assert config["rate-limit"] == "80/m"
    # no key of an earlier run is replayed; each request names its phase for the budget
    assert run.env == {_plan.FRESH_KEYS_ENV: "1", _plan.PHASE_HEADER_ENV: "1"}
    disabled = [e for e in run.config["operations"] if e.get("enabled") is False]
    assert len(disabled) == 1
    assert "triggerRule" in disabled[0]["include-operation-id"]
    assert "createTransfer" not in disabled[0]["include-operation-id"]
    writes = [e for e in run.config["operations"] if "createTransfer" in e["include-operation-id"]]
    assert writes[0]["phases"] == {"coverage": {"enabled": False}}
    # stateful runs with writes allowed too: the guard holds each write to its part of a budget
    assert config["phases"]["stateful"].get("enabled", True) is True
    # the suite's own per-operation settings survive the merge
    assert len(config["operations"]) == len(_plan.load_base_config()["operations"]) + 2


def test_the_rate_is_the_users_to_set_and_defaults_under_the_documented_limit(spec: Spec) -> None:
    real = "https://api.example.test/api/v1"
    with pytest.raises(PlanError):
        LivePolicy(URL, "k", frozenset(), rate_limit=0).run(spec)
    assert LivePolicy(real, "k", frozenset()).rate_limit == 90  # 100 a minute, minus a margin
    env = {"SEQUENCE_BASE_URL": real, "SEQUENCE_API_KEY": "k"}
    assert _plan.live_policy(env, rate="300/min") == LivePolicy(real, "k", frozenset(), 300)
    assert _plan.parse_rate("45/m") == _plan.parse_rate("45") == 45
    for bad in ("0/min", "fast", "10/s"):
        with pytest.raises(PlanError, match="--rate"):
            _plan.parse_rate(bad)
    # a mock on this machine (the tests) may go faster
    assert (
        LivePolicy(URL, "k", frozenset(), rate_limit=6000).run(spec).config["rate-limit"]
        == "5990/m"
    )


def test_mock_runs_promise_success_and_403_everywhere(spec: Spec) -> None:
    full, narrow = _plan.mock_runs(spec)
    ids = {op.operation_id for op in spec.operations}
    assert full.must_answer.keys() == narrow.must_answer.keys() == ids
    assert full.must_answer["createTransfer"] == {201}
    assert full.must_answer["deleteRule"] == {204}
    assert full.must_answer["triggerRule"] == {202}
    assert all(statuses == {403} for statuses in narrow.must_answer.values())
    examples = _plan.load_base_config()["generation"]["max-examples"]
    assert full.min_fuzzing_cases == narrow.min_fuzzing_cases == examples
    assert full.config == {}
    assert full.env == {}  # the mock keeps the generated Idempotency-Keys


def test_fuzz_multiplies_every_example_count_by_ten(spec: Spec) -> None:
    base = _plan.load_base_config()
    (full, _) = _plan.mock_runs(spec, fuzz=True)
    assert full.config["generation"]["max-examples"] == 10 * base["generation"]["max-examples"]
    stateful = full.config["phases"]["stateful"]["generation"]["max-examples"]
    assert stateful == 10 * base["phases"]["stateful"]["generation"]["max-examples"]
    assert full.min_fuzzing_cases == 10 * base["generation"]["max-examples"]


def test_merge_is_deep_and_appends_operations() -> None:
    base = {"a": {"b": 1, "c": [1]}, "operations": [{"x": 1}]}
    out = merged(base, {"a": {"c": [2], "d": 3}, "operations": [{"y": 2}]})
    assert out == {"a": {"b": 1, "c": [2], "d": 3}, "operations": [{"x": 1}, {"y": 2}]}
    assert base == {"a": {"b": 1, "c": [1]}, "operations": [{"x": 1}]}


def test_the_suite_config_is_the_one_beside_the_contract() -> None:
    config = _plan.load_base_config()
    assert config["seed"]
    assert config["generation"]["max-examples"] >= 100
    assert _plan.config_path().name == "schemathesis.toml"


def test_the_key_is_in_no_repr(spec: Spec) -> None:
    policy = LivePolicy(URL, "sk_live_SECRET", frozenset())
    assert "SECRET" not in repr(policy)
    assert "SECRET" not in repr(policy.run(spec))


def test_no_schemathesis_variable_of_the_caller_reaches_the_run(
    monkeypatch: pytest.MonkeyPatch, spec: Spec
) -> None:
    """SCHEMATHESIS_BASE_URL would beat the config's base-url and skip the write guard."""
    monkeypatch.setenv("SCHEMATHESIS_BASE_URL", "https://api.example.test/api/v1")
    monkeypatch.setenv("schemathesis_hooks", "someone.elses.hooks")
    monkeypatch.setenv("KEEP_ME", "1")
    run = LivePolicy(URL, "k", frozenset()).run(spec)
    env = _runner._child_env(run)
    assert not [name for name in env if name.upper().startswith("SCHEMATHESIS_")]
    assert env["KEEP_ME"] == "1"
    assert env[_plan.FRESH_KEYS_ENV] == "1"


@pytest.mark.parametrize(
    ("env", "argv", "message"),
    [
        ({}, ["--allow-writes", "createTransfer"], "--allow-writes applies to real-server runs"),
        ({"SEQUENCE_BASE_URL": URL, "SEQUENCE_API_KEY": "k"}, ["--fuzz"], "--fuzz applies to"),
        ({"SEQUENCE_BASE_URL": URL}, [], "needs both"),
    ],
)
def test_the_command_refuses_flags_that_do_not_fit_the_target(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    env: dict[str, str],
    argv: list[str],
    message: str,
) -> None:
    for name in ("SEQUENCE_BASE_URL", "SEQUENCE_API_KEY", "SEQUENCE_ALLOW_WRITES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert contract_main(argv) == 2
    assert message in capsys.readouterr().err


def test_a_real_servers_422_is_accepted_only_for_named_writes_that_document_it(
    spec: Spec,
) -> None:
    """The mock says in its request schemas all it checks, so mock runs accept no 422 as a
    positive answer; a real server may still refuse an unknown account with 422."""
    for entry in _plan.load_base_config().get("operations", []):
        assert "positive_data_acceptance" not in entry.get("checks", {})
    run = LivePolicy(URL, "k", frozenset({"createRule", "createTransfer"})).run(spec)
    accepting = [e for e in run.config["operations"] if "checks" in e]
    assert [e["include-operation-id"] for e in accepting] == [["createRule"]]
    statuses = accepting[0]["checks"]["positive_data_acceptance"]["expected-statuses"]
    assert "422" in statuses
    assert "400" not in statuses
