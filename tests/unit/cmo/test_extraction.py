"""Extraction sheets: confirm, edit, reject and add CMO configurations; nothing is lost."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from realist_review.cmo.extraction import (
    COLUMNS,
    Document,
    assign,
    consolidate,
    latest_rows,
    quote_found,
    read_returned_sheet,
    record_sums,
    sheet_row,
    validate_sheet,
    write_extraction_sheet,
)
from realist_review.errors import InputError
from realist_review.tables import write_table

AREAS = ("supervision", "training")
DOCS = {
    "rec-1": Document("rec-1", "Ames (2021) Supervision in homes", "journal article",
                      "Where managers protected time for reflective supervision, staff felt "
                      "contained. Physical interventions fell over the year."),
    "rec-2": Document("rec-2", "Bell (2022) Training", "report",
                      "When whole-team training was followed by coaching, workers reframed "
                      "behaviour as distress. Young people said the home felt safer."),
}  # fmt: skip
CANDIDATES = [
    {"cmoc_id": "cmoc-00000000a1", "record_id": "rec-1", "section": "abstract",
     "evidence": "0;1", "theory_area": "supervision", "explicit_or_inferred": "explicit",
     "context": "Where managers protected time for reflective supervision, staff felt contained.",
     "mechanism_resource": "", "mechanism_response": "",
     "outcome": "Physical interventions fell over the year."},
    {"cmoc_id": "cmoc-00000000b2", "record_id": "rec-2", "section": "abstract",
     "evidence": "0;1", "theory_area": "training", "explicit_or_inferred": "explicit",
     "context": "When whole-team training was followed by coaching, workers reframed "
                "behaviour as distress.", "mechanism_resource": "", "mechanism_response": "",
     "outcome": "Young people said the home felt safer."},
]  # fmt: skip


def _export(tmp_path: Path, check_share: float = 1.0) -> dict[str, Path]:
    sheets = assign(CANDIDATES, ["ann", "ben"], check_share=check_share, seed=1)
    paths = {}
    for reviewer, rows in sheets.items():
        path = tmp_path / "sent" / f"{reviewer}.xlsx"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_extraction_sheet(
            path, [sheet_row(r, DOCS[r["record_id"]]) for r in rows], theory_areas=AREAS
        )
        paths[reviewer] = path
    return paths


def _fill(sent: Path, returned: Path, **by_cmoc: dict[str, str]) -> Path:
    book = load_workbook(sent)
    tab = book["extraction"]
    header = [c.value for c in tab[1]]
    for row in tab.iter_rows(min_row=2):
        cmoc = row[0].value
        for column, value in {"status": "accept", **by_cmoc.get(cmoc, {})}.items():
            row[header.index(column)].value = value
    returned.parent.mkdir(parents=True, exist_ok=True)
    book.save(returned)
    return returned


def _sent(path: Path) -> dict[str, dict[str, str]]:
    return {row["cmoc_id"]: row for _, row in read_returned_sheet(path).rows}


def test_sheets_are_deterministic_and_checked_records_go_to_two_reviewers(tmp_path: Path) -> None:
    first = {k: p.read_bytes() for k, p in _export(tmp_path / "a").items()}
    second = {k: p.read_bytes() for k, p in _export(tmp_path / "b").items()}
    assert first == second
    rows = assign(CANDIDATES, ["ann", "ben"], check_share=1.0, seed=1)
    assert {r["cmoc_id"] for r in rows["ann"]} == {r["cmoc_id"] for r in rows["ben"]}
    alone = assign(CANDIDATES, ["ann", "ben"], check_share=0.0, seed=1)
    assert sum(len(v) for v in alone.values()) == len(CANDIDATES)


def test_accepted_edited_and_added_rows_make_the_confirmed_table(tmp_path: Path) -> None:
    sent = _export(tmp_path)
    folder = tmp_path / "config" / "extraction"
    added = {"cmoc_id": "", "record_id": "rec-2", "quote": "Young people said the home felt safer",
             "context": "coaching after training", "outcome": "home felt safer",
             "theory_area": "training", "status": "accept"}  # fmt: skip
    ann = _fill(
        sent["ann"],
        folder / "ann.xlsx",
        **{"cmoc-00000000b2": {"status": "edit", "context": "coaching after training"}},
    )
    book = load_workbook(ann)
    book["extraction"].append([added.get(c, "") for c in COLUMNS])
    book.save(ann)
    ben = _fill(sent["ben"], folder / "ben.xlsx")
    sheets = [read_returned_sheet(ann), read_returned_sheet(ben)]
    for sheet in sheets:
        assert validate_sheet(sheet, sent=_sent(sent[sheet.reviewer]), documents=DOCS,
                              theory_areas=AREAS) == []  # fmt: skip
    assert record_sums(folder, sheets) == []
    result = consolidate(
        latest_rows(sheets),
        primary={"rec-1": "ann", "rec-2": "ben"},
        documents=DOCS,
        evidence={c["cmoc_id"]: c["evidence"] for c in CANDIDATES},
    )
    ids = {row["cmoc_id"]: row for row in result.confirmed}
    assert "cmoc-00000000a1" in ids and ids["cmoc-00000000a1"]["evidence"] == "0;1"
    assert any(row["origin"] == "reviewer" for row in result.confirmed)
    assert result.agreement["configurations_checked"] == "2" and not result.conflicts
    write_table(tmp_path / "confirmed.csv", result.confirmed, "cmo_confirmed")  # fits the schema
    for row in result.confirmed:  # every confirmed row traces to its document
        assert quote_found(row["quote"], DOCS[row["record_id"]])


def test_disagreement_is_a_conflict_not_a_confirmation(tmp_path: Path) -> None:
    sent = _export(tmp_path)
    folder = tmp_path / "config" / "extraction"
    ann = _fill(sent["ann"], folder / "ann.xlsx", **{"cmoc-00000000a1": {"status": "reject"}})
    ben = _fill(sent["ben"], folder / "ben.xlsx")
    sheets = [read_returned_sheet(ann), read_returned_sheet(ben)]
    result = consolidate(latest_rows(sheets), primary={"rec-1": "ann", "rec-2": "ben"},
                         documents=DOCS)  # fmt: skip
    assert [c["cmoc_id"] for c in result.conflicts] == ["cmoc-00000000a1"]
    assert "cmoc-00000000a1" not in {r["cmoc_id"] for r in result.confirmed}
    assert result.agreement["raw_agreement"] == "0.5000"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"quote": "Staff were never supervised."}, "not in rec-1's text verbatim"),
        ({"record_id": "rec-9"}, "not an included record"),
        ({"outcome": ""}, "no outcome"),
        ({"status": "maybe"}, "status 'maybe' is not one of"),
        ({"cmoc_id": "cmoc-00000000zz"}, "was not sent to ann"),
        ({"theory_area": "finance"}, "not one of the review's areas"),
    ],
    ids=[
        "quote-not-in-document",
        "unknown-record",
        "no-outcome",
        "bad-status",
        "edited-cmoc-id",
        "unknown-area",
    ],
)
def test_bad_rows_are_named_by_file_and_row(
    tmp_path: Path, change: dict[str, str], message: str
) -> None:
    sent = _export(tmp_path)
    path = _fill(sent["ann"], tmp_path / "config" / "ann.xlsx", **{"cmoc-00000000a1": change})
    problems = validate_sheet(read_returned_sheet(path), sent=_sent(sent["ann"]),
                              documents=DOCS, theory_areas=AREAS)  # fmt: skip
    assert any(message in p and "ann.xlsx, row 2" in p for p in problems), problems


def test_an_added_column_is_refused_not_dropped(tmp_path: Path) -> None:
    sent = _export(tmp_path)
    path = _fill(sent["ann"], tmp_path / "ann.xlsx")
    book = load_workbook(path)
    book["extraction"].cell(row=1, column=len(COLUMNS) + 1, value="my comments")
    book["extraction"].cell(row=2, column=len(COLUMNS) + 1, value="check the page")
    book.save(path)
    with pytest.raises(InputError, match=r"unknown column.*'my comments'"):
        read_returned_sheet(path)


def test_a_sheet_changed_after_it_was_read_is_refused_and_a_missing_one_reported(
    tmp_path: Path,
) -> None:
    sent = _export(tmp_path)
    folder = tmp_path / "config" / "extraction"
    ann = _fill(sent["ann"], folder / "ann.xlsx")
    assert record_sums(folder, [read_returned_sheet(ann)]) == []
    _fill(sent["ann"], ann, **{"cmoc-00000000a1": {"status": "reject"}})
    (problem,) = record_sums(folder, [read_returned_sheet(ann)])
    assert "changed after it was first read" in problem and "ann.v2.xlsx" in problem
    assert "read before" in record_sums(folder, [])[0]


def test_a_correction_replaces_the_reviewers_earlier_rows(tmp_path: Path) -> None:
    sent = _export(tmp_path)
    folder = tmp_path / "config" / "extraction"
    first = _fill(sent["ann"], folder / "ann.xlsx")
    second = _fill(sent["ann"], folder / "ann.v2.xlsx", **{"cmoc-00000000a1": {"status": "reject"}})
    rows = latest_rows([read_returned_sheet(first), read_returned_sheet(second)])
    assert rows[("ann", "cmoc-00000000a1")]["status"] == "reject"


def test_the_stage_exports_then_imports_with_every_problem_named_at_once(tmp_path: Path) -> None:
    from realist_review.cmo.extraction import export_sheets, import_sheets

    sent_dir, back = tmp_path / "sheets", tmp_path / "config" / "extraction"
    plan = export_sheets(CANDIDATES, DOCS, team=["ann", "ben"], check_share=0.0, seed=3,
                         theory_areas=AREAS, out_dir=sent_dir)  # fmt: skip
    assert {p["reviewer"] for p in plan} == {"ann", "ben"}
    for reviewer in ("ann", "ben"):
        _fill(sent_dir / f"{reviewer}.xlsx", back / f"{reviewer}.xlsx")
    result = import_sheets(back, plan=plan, candidates=CANDIDATES, documents=DOCS,
                           theory_areas=AREAS)  # fmt: skip
    assert sorted(r["cmoc_id"] for r in result.confirmed) == ["cmoc-00000000a1", "cmoc-00000000b2"]
    assert (back / "SHA256SUMS").read_text().count(".xlsx") == 2
    bad = _fill(sent_dir / "ann.xlsx", back / "ann.v2.xlsx",
                **{c["cmoc_id"]: {"outcome": ""} for c in CANDIDATES})  # fmt: skip
    with pytest.raises(InputError, match="nothing was imported") as error:
        import_sheets(back, plan=plan, candidates=CANDIDATES, documents=DOCS, theory_areas=AREAS)
    assert str(bad) in str(error.value)
