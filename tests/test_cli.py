"""``sequence-contract``: one command, a subcommand per tool, each tool's own arguments."""

from __future__ import annotations

import pytest

from sequence_contract import cli


def test_help_lists_every_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli.main(["--help"])
    assert stopped.value.code == 0
    out = capsys.readouterr().out
    for name, (_, help_text) in cli.SUBCOMMANDS.items():
        assert name in out
        assert help_text in out


def test_a_subcommand_gets_its_own_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli.main(["mock", "--help"])
    assert stopped.value.code == 0
    assert "--fixtures" in capsys.readouterr().out


def test_a_subcommand_returns_its_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["mock", "--delay", "-1"]) == 2
    assert "--delay and --latency must be >= 0" in capsys.readouterr().err


def test_an_unknown_or_missing_subcommand_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for argv in (["teleport"], []):
        with pytest.raises(SystemExit) as stopped:
            cli.main(argv)
        assert stopped.value.code == 2
    assert "invalid choice: 'teleport'" in capsys.readouterr().err
