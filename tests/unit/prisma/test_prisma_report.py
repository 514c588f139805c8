"""Report pieces: the progress table and plot, the RAMESES checklist, the command line."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from prisma_scenario import typical

from realist_review.cli import main
from realist_review.errors import InputError
from realist_review.prisma import write_prisma, write_screening_progress
from realist_review.prisma.inputs import latest_estimate, read_progress
from realist_review.prisma.plots import progress_figure, write_progress_plot
from realist_review.prisma.rameses import (
    OUTPUTS,
    RAMESES_ITEMS,
    Coverage,
    rameses_checklist,
    write_rameses_checklist,
)
from realist_review.tables import read_table

PROGRESS = (
    "round,kind,assigned,screened,includes,conflicts,remaining,estimated_recall,p_value,"
    "stop_target,stop_confidence,target_reached,note\n"
    """1,random_start,50,50,9,0,300,,,0.95,0.95,,no estimate before the first ranked round
2,ranked,50,100,17,1,250,0.62,0.59,0.95,0.95,no,
3,ranked,50,150,22,0,200,0.83,0.22,0.95,0.95,no,
"""
)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ---- progress table --------------------------------------------------------------------------
def test_read_progress_and_latest_estimate(tmp_path: Path) -> None:
    rows = read_progress(_write(tmp_path / "progress.csv", PROGRESS))
    assert [r.round for r in rows] == [1, 2, 3]
    assert rows[0].estimated_recall is None
    estimate = latest_estimate(rows)
    assert estimate is not None
    # the estimate is a lower bound at the configured confidence; the p-value is kept as such
    assert (estimate.round, estimate.estimated_recall, estimate.confidence) == (3, 0.83, 0.95)
    assert estimate.p_value == 0.22 and estimate.stopped == ""
    assert estimate.recall_target == 0.95
    assert latest_estimate(rows[:1]) is None


@pytest.mark.parametrize(
    ("text", "message", "note"),
    [
        ("round,screened,includes\n1,5,1\n", "estimated_recall", "a required column is missing"),
        (
            PROGRESS + "4,ranked,50,140,25,0,190,0.9,0.1,0.95,0.95,no,\n",
            "cumulative",
            "screened went down",
        ),
        (PROGRESS.replace("0.83", "83"), "estimated_recall", "recall written as a percentage"),
        (PROGRESS.replace(",150,", ",many,"), "'many'", "not a number"),
        (
            PROGRESS + "3,ranked,50,160,23,0,190,0.9,0.1,0.95,0.95,no,\n",
            "'3' repeats",
            "a round twice",
        ),
    ],
)
def test_bad_progress_tables(tmp_path: Path, text: str, message: str, note: str) -> None:
    with pytest.raises(InputError, match=message):
        read_progress(_write(tmp_path / "progress.csv", text))


def test_progress_plot_labels_show_recall_not_a_confidence(tmp_path: Path) -> None:
    text = PROGRESS.replace("0.62,0.59", "0.16,0.9995").replace("0.83,0.22", "0.36,0.998")
    rows = read_progress(_write(tmp_path / "progress.csv", text))
    figure = progress_figure(rows, total_records=300)
    texts = [t.get_text() for ax in figure.axes for t in ax.texts]
    assert "≥16%" in texts and "≥36%" in texts
    assert "0%" not in texts  # (1 - p) as a percentage labelled these points "0%"
    assert any("recall is at least this with 95% confidence" in t for t in texts)
    assert "at least" in figure.axes[-1].get_ylabel().lower()


@pytest.mark.slow
def test_progress_plot_is_written_and_deterministic(tmp_path: Path) -> None:
    rows = read_progress(_write(tmp_path / "progress.csv", PROGRESS))
    first = write_progress_plot(rows, tmp_path / "a", total_records=300)
    second = write_progress_plot(rows, tmp_path / "b", total_records=300)
    for fmt in ("png", "svg"):
        assert first[fmt].read_bytes() == second[fmt].read_bytes(), fmt
    svg = first["svg"].read_text(encoding="utf-8")
    assert "<dc:date>" not in svg
    empty = write_progress_plot([], tmp_path / "c")
    assert "No screening round has come back yet" in empty["svg"].read_text(encoding="utf-8")
    assert empty["png"].read_bytes().startswith(b"\x89PNG")


# ---- RAMESES ---------------------------------------------------------------------------------
def test_rameses_items() -> None:
    assert [item.number for item in RAMESES_ITEMS] == list(range(1, 20))
    titles = {item.number: item.title for item in RAMESES_ITEMS}
    assert titles[12] == "Document flow diagram"
    assert titles[8] == "Searching processes"
    for item in RAMESES_ITEMS:
        assert set(item.outputs) <= set(OUTPUTS), item.number


def test_rameses_coverage_follows_the_outputs_that_exist() -> None:
    none = {row.item: row.coverage for row in rameses_checklist({})}
    assert none[12] is Coverage.NOT_YET and none[2] is Coverage.AUTHORS
    have = {
        "search_log": "results/search/search_log.md",
        "dedup_summary": "results/dedup/summary.csv",
        "prisma_diagram": "results/prisma/prisma_flow.svg",
        "prisma_counts": "results/prisma/counts.csv",
        "screening_decisions": "results/screen/decisions.csv",
    }
    rows = {row.item: row for row in rameses_checklist(have)}
    assert rows[12].coverage is Coverage.COVERED
    assert "results/prisma/prisma_flow.svg" in rows[12].where
    assert rows[8].coverage is Coverage.COVERED
    assert rows[9].coverage is Coverage.PARTLY
    assert rows[10].coverage is Coverage.NOT_YET
    with pytest.raises(ValueError, match="nonsense"):
        rameses_checklist({"nonsense": "x"})


def test_rameses_files(tmp_path: Path) -> None:
    rows = write_rameses_checklist(
        {"prisma_diagram": "a<b>.svg", "prisma_counts": "counts.csv"},
        csv_path=tmp_path / "rameses.csv",
        html_path=tmp_path / "rameses.html",
    )
    with (tmp_path / "rameses.csv").open(encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert len(table) == len(rows) == 19
    assert table[11]["coverage"] == "covered"
    html = (tmp_path / "rameses.html").read_text(encoding="utf-8")
    assert "a&lt;b&gt;.svg" in html and "<table>" in html


# ---- entry points ----------------------------------------------------------------------------
@pytest.mark.slow
def test_write_prisma_writes_everything(tmp_path: Path) -> None:
    paths = typical().write(tmp_path / "in")
    out = tmp_path / "out"
    counts = write_prisma(
        search_log=paths["search_log"],
        records=paths["records"],
        groups=paths["groups"],
        status=paths["status"],
        fulltext=paths["fulltext"],
        merged_records=paths["merged_records"],
        progress=_write(tmp_path / "progress.csv", PROGRESS),
        counts_csv=out / "counts.csv",
        template_csv=out / "prisma2020_template.csv",
        diagram={"svg": out / "flow.svg", "png": out / "flow.png", "pdf": out / "flow.pdf"},
    )
    assert counts == typical().derive()
    assert read_table(out / "counts.csv", "prisma_counts")
    for name in ("prisma2020_template.csv", "flow.svg", "flow.png", "flow.pdf"):
        assert (out / name).stat().st_size > 0, name
    write_screening_progress(
        progress=tmp_path / "progress.csv", png=out / "p.png", svg=out / "p.svg",
        status=paths["status"],
    )  # fmt: skip
    assert (out / "p.png").is_file() and (out / "p.svg").is_file()


@pytest.mark.slow
def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = typical(finished=False).write(tmp_path / "in")
    out = tmp_path / "prisma"
    code = main(
        [
            "prisma", "--search-log", str(paths["search_log"]), "--records",
            str(paths["records"]), "--groups", str(paths["groups"]), "--status",
            str(paths["status"]), "--progress", str(_write(tmp_path / "p.csv", PROGRESS)),
            "--wording", "documents", "--rameses", "--outdir", str(out),
        ]
    )  # fmt: skip
    assert code == 0
    printed = capsys.readouterr().out
    assert "screening in progress" in printed
    for name in (
        "counts.csv", "prisma2020_template.csv", "prisma_flow.svg", "prisma_flow.png",
        "prisma_flow.pdf", "screening_progress.png", "screening_progress.svg",
        "rameses_checklist.csv", "rameses_checklist.html",
    ):  # fmt: skip
        assert (out / name).is_file(), name
    assert "Documents screened" in (out / "prisma_flow.svg").read_text(encoding="utf-8")


def test_command_line_reports_tables_that_do_not_reconcile(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = typical().write(tmp_path / "in")
    lines = paths["groups"].read_text(encoding="utf-8").splitlines()
    paths["groups"].write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    code = main(
        [
            "prisma", "--search-log", str(paths["search_log"]), "--records",
            str(paths["records"]), "--groups", str(paths["groups"]), "--outdir",
            str(tmp_path / "out"),
        ]
    )  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert "28 records" in err and "list 27" in err


def test_command_line_missing_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = typical().write(tmp_path / "in")
    _write(paths["groups"], "record,group\na,a\n")
    code = main(
        [
            "prisma", "--search-log", str(paths["search_log"]), "--records",
            str(paths["records"]), "--groups", str(paths["groups"]), "--outdir",
            str(tmp_path / "out"),
        ]
    )  # fmt: skip
    assert code == 2
    assert "record_id" in capsys.readouterr().err
