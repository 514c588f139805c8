"""The realist-review command: stage list, per-stage help, clean errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from realist_review.cli import STAGES, main


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
