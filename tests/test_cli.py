"""``sequence-contract``: one command, a subcommand per tool, each tool's own arguments."""

from __future__ import annotations

import pytest

from sequence_contract import _extras, cli


def test_help_lists_every_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli.main(["--help"])
    assert stopped.value.code == 0
    out = capsys.readouterr().out
    for name, (_, extra, help_text) in cli.SUBCOMMANDS.items():
        assert name in out
        assert f"{help_text} [{extra}]" in out


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


@pytest.mark.parametrize("command", ["contract", "receiver", "proxy", "validate", "mock"])
def test_a_missing_extra_is_one_line_naming_it(
    command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = cli.SUBCOMMANDS[command][1]
    monkeypatch.setitem(_extras.MODULES, extra, ("yaml", "no_such_module_here"))
    assert cli.main([command, "--help"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"sequence-contract {command} needs the '{extra}' extra (no_such_module_here not "
        f"installed): pip install 'sequence-contract[{extra}]'\n"
    )


def test_sequence_mock_is_the_mock_subcommand(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.argv", ["sequence-mock", "--delay", "-1"])
    assert cli.mock_main() == 2
    assert "--delay and --latency must be >= 0" in capsys.readouterr().err
