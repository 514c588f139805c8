"""What the team gets: the not-retrieved list, a library request sheet and RIS, safe sheets,
the same bytes every run, and the command line."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from openpyxl import load_workbook
from support.fulltext_api import make_pdf

from realist_review.formats.ris import parse as parse_ris
from realist_review.retrieval import add_retrieve_arguments, run_retrieve

from .conftest import Review, read_csv, record_row, settings_for

NASTY = '=HYPERLINK("http://evil.example/","click")'
RECORDS = [
    record_row(
        "rec-bbbbbbbbbbb2",
        title=NASTY,
        authors="@Evil, Eve; Other, Ann",
        journal="+Journal",
        year="2021",
        doi="10.5555/nasty.1",
        volume="3",
        pages="10-20",
    ),
    record_row(
        "rec-bbbbbbbbbbb1",
        title="A grey literature report",
        authors="Council, City",
        source="zotero",
        origin="grey:ABCD1234",
    ),
    record_row("rec-bbbbbbbbbbb3", title="Excluded at title/abstract", doi="10.5555/out.1"),
    record_row("rec-bbbbbbbbbbb4", title="A team copy", pmid="31234568"),
]
STATUS = {
    "rec-bbbbbbbbbbb1": "maybe",
    "rec-bbbbbbbbbbb2": "included",
    "rec-bbbbbbbbbbb3": "excluded",
    "rec-bbbbbbbbbbb4": "included",
}


def _run(review: Review) -> None:
    review.write(RECORDS, STATUS)
    review.add_file("PMID31234568.pdf", make_pdf(["A team copy"]))
    review.add_file("=cmd.pdf", make_pdf(["Nothing we know"]))
    review.run(settings_for("http://127.0.0.1:9"), sources=["local"])


def test_not_retrieved_lists_each_forwarded_record_with_its_reason(review: Review) -> None:
    _run(review)
    rows = read_csv(review.out.not_retrieved)
    assert [r["record_id"] for r in rows] == ["rec-bbbbbbbbbbb1", "rec-bbbbbbbbbbb2"]
    assert rows[0]["screening"] == "maybe"
    assert rows[0]["reason"] == "nothing to try: no file under config/fulltext/"
    index = read_csv(review.out.index)
    assert [(r["record_id"], r["status"]) for r in index] == [("rec-bbbbbbbbbbb4", "retrieved")]


def test_request_sheet_and_ris_for_a_library_request(review: Review) -> None:
    _run(review)
    sheet = load_workbook(review.out.request_sheet)["Requests"]
    header = [c.value for c in sheet[1]]
    rows = [
        dict(zip(header, [c.value for c in r], strict=True)) for r in sheet.iter_rows(min_row=2)
    ]
    assert [r["record_id"] for r in rows] == ["rec-bbbbbbbbbbb1", "rec-bbbbbbbbbbb2"]
    nasty = rows[1]
    assert nasty["title"] == "'" + NASTY  # shown as text, never run as a formula
    assert nasty["authors"].startswith("'@") and nasty["journal"] == "'+Journal"
    assert all(c.data_type == "s" for r in sheet.iter_rows(min_row=2) for c in r if c.value)
    assert {"requested_on", "request_status", "note"} <= set(header)
    assert sheet.data_validations.dataValidation  # a drop-down for request_status
    records = parse_ris(
        review.out.request_ris.read_text(encoding="utf-8"),
        search_id="x",
        file_name="not_retrieved.ris",
    )
    assert [r.source_id for r in records] == ["rec-bbbbbbbbbbb1", "rec-bbbbbbbbbbb2"]
    assert records[1].doi == "10.5555/nasty.1" and records[1].pages == "10-20"


def test_needs_attention_and_sheets_are_formula_safe(review: Review) -> None:
    _run(review)
    [row] = read_csv(review.out.needs_attention)
    assert row["file"] == "config/fulltext/=cmd.pdf" and row["problem"] == "no_match"
    confirm = load_workbook(review.out.confirm_sheet)
    assert confirm.sheetnames == ["Confirm", "Instructions"]
    assert [c.value for c in confirm["Confirm"][1]][:3] == ["file", "sha256", "record_id"]


def test_the_same_inputs_give_the_same_bytes(review: Review, tmp_path: Path) -> None:
    _run(review)
    out = review.out
    paths = [
        out.index,
        out.not_retrieved,
        out.needs_attention,
        out.confirm_sheet,
        out.request_sheet,
        out.request_ris,
    ]
    first = {p.name: p.read_bytes() for p in paths}
    other = Review(tmp_path / "again")
    other.root.mkdir()
    _run(other)
    assert {
        p.name: p.read_bytes()
        for p in [
            getattr(other.out, f)
            for f in (
                "index",
                "not_retrieved",
                "needs_attention",
                "confirm_sheet",
                "request_sheet",
                "request_ris",
            )
        ]
    } == first


def test_a_file_no_longer_matching_is_removed_from_files(review: Review) -> None:
    _run(review)
    [stored] = list(review.out.files.iterdir())
    (review.local_dir / "PMID31234568.pdf").unlink()
    review.run(settings_for("http://127.0.0.1:9"), sources=["local"])
    assert not stored.exists() and list(review.out.files.iterdir()) == []


def test_bad_screening_status_names_the_file(review: Review) -> None:
    from realist_review.errors import InputError

    review.write(RECORDS, STATUS)
    path = review.root / "status.csv"
    path.write_text(path.read_text().replace("maybe", "perhaps"), encoding="utf-8")
    with pytest.raises(InputError, match=r"(?s)status\.csv.*line 2, column 'status': 'perhaps'"):
        review.run(settings_for("http://127.0.0.1:9"), sources=["local"])


def test_fulltext_retrieve_command(review: Review, capsys: pytest.CaptureFixture[str]) -> None:
    review.write(RECORDS, STATUS)
    review.add_file("PMID31234568.pdf", make_pdf(["A team copy"]))
    config = review.root / "config" / "config.yaml"
    config.write_text(
        "review: {id: r, title: A realist review, question: 'What works, for whom?'}\n"
        "search: {mode: live, searches: [{id: grey, source: zotero, database: Z, "
        "library_id: '1'}]}\n"
        "fulltext: {sources: [local], local_dir: " + str(review.local_dir) + "}\n",
        encoding="utf-8",
    )
    parser = argparse.ArgumentParser(prog="realist-review fulltext")
    add_retrieve_arguments(parser.add_subparsers(dest="action", required=True))
    out = review.root / "out"
    args = parser.parse_args(
        [
            "retrieve",
            "--config",
            str(config),
            "--status",
            str(review.root / "status.csv"),
            "--records",
            str(review.root / "records.csv"),
            "--outdir",
            str(out),
            "--raw-dir",
            str(out / "raw"),
            "--search-raw-dir",
            str(review.root / "raw"),
        ]
    )
    assert args.run is run_retrieve
    assert args.run(args) == 0
    assert "1 of 3 retrieved" in capsys.readouterr().out
    assert [r["status"] for r in read_csv(out / "index.csv")] == ["retrieved"]
