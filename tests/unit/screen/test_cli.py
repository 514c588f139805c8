"""``realist-review screen ...`` end to end on files in tmp_path."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from realist_review.cli import main
from realist_review.screen import export, planning
from realist_review.screen.decisions import SUMS_FILE, read_sums
from realist_review.tables import read_table

from .conftest import by_truth, fill_like_a_person


@pytest.fixture
def workdir(tmp_path: Path, records_csv: Path, screening_section: dict[str, Any]) -> Path:
    config = {
        "review": {
            "id": "tic-demo",
            "title": "Trauma-informed care in residential children's homes",
            "question": "How, why and for whom does trauma-informed care work?",
        },
        "limits": {"year_from": 2006},
        "search": {
            "mode": "snapshot",
            "searches": [{"id": "ris-test", "source": "ris", "database": "Test", "files": ["x"]}],
        },
        "screening": screening_section,
    }
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (tmp_path / "results" / "dedup").mkdir(parents=True)
    shutil.copy(records_csv, tmp_path / "results" / "dedup" / "records.csv")
    return tmp_path


def _screen(workdir: Path, *args: str) -> int:
    return main(
        [
            "screen",
            "--config", str(workdir / "config" / "config.yaml"),
            "--records", str(workdir / "results" / "dedup" / "records.csv"),
            "--screening-dir", str(workdir / "config" / "screening"),
            "--out", str(workdir / "results" / "screen"),
            *args,
        ]
    )  # fmt: skip


def _return_round(workdir: Path, round_: int, truth: dict[str, bool]) -> None:
    folder = workdir / "results" / "screen" / "sheets" / f"round-{round_:02d}"
    for sheet in sorted(folder.glob("*.xlsx")):
        target = workdir / "config" / "screening" / f"round-{round_:02d}" / sheet.name
        fill_like_a_person(sheet, target, by_truth(truth))


@pytest.mark.slow
def test_a_round_through_the_command_line(
    workdir: Path,
    truth: dict[str, bool],
    ranker: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert _screen(workdir, "export") == 0
    out = capsys.readouterr().out
    assert "round 1 (random_start): 12 records" in out
    assert "round-01/alice.xlsx" in out
    _return_round(workdir, 1, truth)

    assert _screen(workdir, "import") == 0
    out = capsys.readouterr().out
    assert "24 decision(s) from 3 sheet(s) in 1 round(s)" in out
    assert "recorded 4 new file(s) in SHA256SUMS" in out  # the 3 sheets and the round's plan
    assert sorted(read_sums(workdir / "config" / "screening" / SUMS_FILE)) == [
        "round-01/alice.xlsx",
        "round-01/bob.xlsx",
        "round-01/carol.xlsx",
        "round-01/plan.csv",
    ]

    assert _screen(workdir, "status") == 0
    out = capsys.readouterr().out
    assert "ineligible_automation" in out and "unscreened" in out
    status = read_table(workdir / "results" / "screen" / "status.csv", "screen_status")
    assert len(status) == 60

    for module in (planning, export):  # planning a ranked round, naming its model
        monkeypatch.setattr(module, "load_ranker", lambda: ranker)
    assert _screen(workdir, "export") == 0
    assert "round 2 (ranked): 12 records" in capsys.readouterr().out
    sheet = workdir / "results" / "screen" / "sheets" / "round-02" / "bob.xlsx"
    sent = sheet.read_bytes()
    # once exported, round 2 is out with people: exporting again, even asking for a random
    # sample, writes the same sheets and waits for them
    assert _screen(workdir, "export", "--random-sample", "5") == 0
    assert "round 2 is still open: waiting for alice" in capsys.readouterr().out
    assert sheet.read_bytes() == sent
    fill_like_a_person(
        sheet, workdir / "config" / "screening" / "round-02" / "bob.xlsx", by_truth(truth)
    )
    assert _screen(workdir, "export") == 0
    assert "round 2 is still open: waiting for alice" in capsys.readouterr().out

    assert _screen(workdir, "conflicts") == 0
    assert "0 unresolved conflict(s)" in capsys.readouterr().out


def test_conflicts_command_lists_and_writes_sheets(
    workdir: Path, truth: dict[str, bool], capsys: pytest.CaptureFixture[str]
) -> None:
    _screen(workdir, "export")
    folder = workdir / "results" / "screen" / "sheets" / "round-01"
    for sheet in sorted(folder.glob("*.xlsx")):
        target = workdir / "config" / "screening" / "round-01" / sheet.name
        decide = (lambda v: ("include", "", "")) if sheet.stem == "alice" else by_truth(truth)
        fill_like_a_person(sheet, target, decide)
    capsys.readouterr()
    assert _screen(workdir, "conflicts") == 0
    out = capsys.readouterr().out
    count = int(out.split(" unresolved")[0])
    assert count > 0
    assert out.count("alice: include") == count
    assert "round-01/conflicts/dana.xlsx" in out


def test_bad_sheets_exit_2_with_the_message(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _screen(workdir, "export")
    bad = workdir / "config" / "screening" / "round-01" / "alice.xlsx"
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_text("not a workbook", encoding="utf-8")
    capsys.readouterr()
    assert _screen(workdir, "import") == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert "round-01/alice.xlsx: not an Excel .xlsx file" in err


def test_bad_screening_settings_exit_2(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = workdir / "config" / "config.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["screening"]["reviewers_per_record"] = 4
    config["screening"]["team"].append("Bad Name")
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    assert _screen(workdir, "status") == 2
    err = capsys.readouterr().err
    assert "screening.team[3]: 'Bad Name' is not a valid reviewer id" in err
    assert "screening.reviewers_per_record: 4 reviewers per record needs a team of at least 4" in (
        err
    )


def test_the_rest_of_the_config_is_still_validated(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = workdir / "config" / "config.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["limits"]["year_form"] = 2000
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    assert _screen(workdir, "status") == 2
    assert "unknown key(s) 'year_form'" in capsys.readouterr().err
