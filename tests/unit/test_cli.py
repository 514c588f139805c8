"""The realist-review command: stage list, per-stage help, clean errors."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from realist_review.cli import STAGES, main, stage_parser


def test_help_lists_every_stage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for stage in STAGES:
        assert f"  {stage} " in out


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_each_stage_has_its_own_help(stage: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([stage, "--help"])
    assert done.value.code == 0
    assert f"usage: realist-review {stage}" in capsys.readouterr().out


def test_input_errors_exit_2_with_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "broken.ris"
    bad.write_text("this is not an export\n", encoding="utf-8")
    code = main(["import", str(bad), "--output", str(tmp_path / "out.csv")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: ") and "broken.ris" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out.csv").exists()


def _parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """A parser and every sub-action's parser (e.g. `screen import`)."""
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found += _parsers(sub)
    return found


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_every_option_of_every_stage_is_described(stage: str) -> None:
    _, parser = stage_parser(stage)
    undescribed = [
        f"{sub.prog}: {action.option_strings or action.dest}"
        for sub in _parsers(parser)
        for action in sub._actions
        if not isinstance(action, argparse._HelpAction | argparse._SubParsersAction)
        and not (action.help or "").strip()
    ]
    assert not undescribed


@pytest.mark.slow
@pytest.mark.parametrize("stage", sorted(STAGES))
def test_help_prints_no_warnings(stage: str) -> None:
    # a fresh interpreter, so that warnings logged while the stage's module is imported show
    result = subprocess.run(
        [sys.executable, "-m", "realist_review.cli", stage, "--help"],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.stderr == ""


def test_readme_lists_every_stage() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    missing = [stage for stage in STAGES if f"realist-review {stage}" not in readme]
    assert not missing
