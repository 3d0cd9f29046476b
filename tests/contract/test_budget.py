"""The budget reaches every stage and operation, and what a stage leaves passes on."""

from __future__ import annotations

from sequence_contract.contract._budget import OTHER, STAGES, budget_for

READS = ["getAccount", "listAccounts", "listTransfers", "listRules"]


def test_the_shares_add_up_to_the_budget() -> None:
    budget = budget_for(400, READS, [], [])
    assert sum(budget.allotted.values()) == 400
    assert all(budget.allotted[stage] > 0 for stage in STAGES)


def test_each_operation_gets_its_part_of_a_phase_and_no_more() -> None:
    budget = budget_for(400, READS, [], [])
    # checks and examples spent nothing: coverage gets their shares too
    carried = budget.allotted["checks"] + budget.allotted["examples"]
    part = budget.part("coverage", "listTransfers")
    assert part == (budget.allotted["coverage"] + carried) // len(READS)
    assert all(budget.admit("coverage", "listTransfers") for _ in range(part))
    assert not budget.admit("coverage", "listTransfers"), "its part is spent"
    assert budget.admit("coverage", "getAccount"), "another operation still has its own"
    assert budget.refused["coverage"] == 1


def test_what_a_stage_leaves_passes_to_the_next() -> None:
    budget = budget_for(100, READS, [], [])
    assert budget.admit("checks", None)
    fuzzing = budget.part("fuzzing", None)
    assert fuzzing == 100 - 1 - budget.allotted["stateful"]
    assert budget.part("stateful", None) >= budget.allotted["stateful"]


def test_the_checks_stage_is_shared_and_the_total_is_a_hard_stop() -> None:
    budget = budget_for(10, READS, [], [])
    admitted = sum(budget.admit("checks", "listTransfers") for _ in range(10))
    assert admitted == budget.allotted["checks"]  # not split per operation
    while budget.admit("stateful", "listRules"):
        pass
    assert budget.used == 10
    assert not budget.admit(None, None)
    assert budget.refused[OTHER] == 1


def test_writes_get_a_part_of_their_own_in_the_stateful_phase() -> None:
    budget = budget_for(100, ["createTransfer", *READS], ["createTransfer"], ["createTransfer"])
    writes = sum(budget.admit("stateful", "createTransfer") for _ in range(100))
    assert writes == budget.part("stateful", "createTransfer") < budget.part("stateful", None)
    assert budget.admit("stateful", "listRules"), "reads share the rest"
    assert "createTransfer" not in budget._members("coverage")


def test_schemathesis_examples_fit_the_parts() -> None:
    budget = budget_for(400, READS, [], [])
    per_operation = budget.allotted["fuzzing"] // len(READS)
    assert budget.examples_for("fuzzing") * 2 <= per_operation
    assert budget.examples_for("stateful") >= 1
