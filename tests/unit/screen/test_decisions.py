"""Importing filled sheets: validation messages, the append-only log, idempotence, the ledger."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from realist_review.errors import InputError
from realist_review.screen import sheets
from realist_review.screen.decisions import (
    SUMS_FILE,
    current_decisions,
    read_decision_log,
    read_sums,
)
from realist_review.screen.inputs import load_records
from realist_review.screen.settings import Decision, RoundKind, screening_settings
from realist_review.screen.sheets import PlanRow, write_sheet
from realist_review.tables import sha256_file, write_table

from .conftest import SCREENING, ReviewDirs, by_truth, fill_like_a_person, record_rows, write_merged


def _round_one(review: ReviewDirs, truth: dict[str, bool]) -> list[Path]:
    result = review.export()
    assert result.action == "new" and result.round == 1
    return review.return_round(1, by_truth(truth))


def test_a_returned_round_becomes_log_entries(review: ReviewDirs, truth: dict[str, bool]) -> None:
    returned = _round_one(review, truth)
    result = review.import_()
    entries = read_decision_log(review.log_path)
    assert entries == list(result.entries)
    plan = review.plan(1)
    assert len(entries) == len(plan) == 24  # 12 records, 2 reviewers each
    assert {(e.record_id, e.reviewer) for e in entries} == {
        (row["record_id"], row["reviewer"]) for row in plan
    }
    by_file = {path.name: sha256_file(path) for path in returned}
    for entry in entries:
        assert entry.round == 1
        assert entry.kind is RoundKind.RANDOM_START
        assert entry.version == 1
        assert entry.source_file == f"round-01/{entry.reviewer}.xlsx"
        assert entry.source_sha256 == by_file[f"{entry.reviewer}.xlsx"]
        assert entry.timestamp.endswith("Z")
        expected = Decision.INCLUDE if truth[entry.record_id] else Decision.EXCLUDE
        assert entry.decision is expected
        assert entry.reason == ("E1" if expected is Decision.EXCLUDE else "")
    order = [(e.round, e.reviewer, e.version, e.source_row) for e in entries]
    assert order == sorted(order)


def test_importing_again_changes_nothing(review: ReviewDirs, truth: dict[str, bool]) -> None:
    _round_one(review, truth)
    review.import_()
    first = review.log_path.read_bytes()
    review.import_()
    assert review.log_path.read_bytes() == first
    # a copy of every sheet returned again as a new version adds nothing either
    for reviewer in review.reviewers(1):
        shutil.copy(
            review.returned(1, f"{reviewer}.xlsx"), review.returned(1, f"{reviewer}.v2.xlsx")
        )
    review.import_()
    assert review.log_path.read_bytes() == first


def test_a_changed_decision_is_a_new_entry(review: ReviewDirs, truth: dict[str, bool]) -> None:
    _round_one(review, truth)
    before = list(review.import_().entries)
    alice = [e for e in before if e.reviewer == "alice"]
    changed = alice[0].record_id
    fill_like_a_person(
        review.returned(1, "alice.xlsx"),
        review.returned(1, "alice.v2.xlsx"),
        lambda v: (
            ("maybe", "", "on second thought") if v["record_id"] == changed else (None, None, None)
        ),
    )
    after = list(review.import_().entries)
    assert len(after) == len(before) + 1
    assert [e for e in after if e.version == 1] == before  # nothing overwritten
    new = [e for e in after if e.version == 2]
    assert len(new) == 1 and new[0].record_id == changed
    assert new[0].decision is Decision.MAYBE and new[0].note == "on second thought"
    assert new[0].source_file == "round-01/alice.v2.xlsx"
    current = current_decisions(after)
    assert current[(changed, "alice", 1, RoundKind.RANDOM_START)] == new[0]


def test_csv_sheets_with_the_plan(review: ReviewDirs, truth: dict[str, bool]) -> None:
    review.export()
    for reviewer in review.reviewers(1):
        text = review.exported(1, reviewer, "csv").read_text(encoding="utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        for row in rows:
            relevant = truth[row["record_id"]]
            row["decision"] = "include" if relevant else "exclude"
            row["reason"] = "" if relevant else "E2"
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
        target = review.returned(1, f"{reviewer}.csv")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(out.getvalue(), encoding="utf-8")
    # the export kept the round's plan beside the returned sheets; without it, CSV sheets
    # alone cannot say which records were sent to whom
    kept = review.returned(1, "plan.csv")
    assert kept.read_bytes() == (review.sheets / "round-01" / "plan.csv").read_bytes()
    kept.unlink()
    with pytest.raises(InputError, match=r"round-01/: no plan for this round"):
        review.import_()
    shutil.copy(review.sheets / "round-01" / "plan.csv", kept)
    entries = review.import_().entries
    assert len(entries) == 24
    assert {e.timestamp for e in entries} == {""}
    assert {e.reason for e in entries if e.decision is Decision.EXCLUDE} == {"E2"}


def test_files_left_by_spreadsheet_programs_are_ignored(
    review: ReviewDirs, truth: dict[str, bool]
) -> None:
    _round_one(review, truth)
    review.returned(1, "~$alice.xlsx").write_bytes(b"lock")
    review.returned(1, ".~lock.bob.xlsx#").write_bytes(b"lock")
    review.returned(1, "README.md").write_text("notes", encoding="utf-8")
    assert len(review.import_().entries) == 24


def test_a_missing_row_leaves_the_record_waiting(
    review: ReviewDirs, truth: dict[str, bool]
) -> None:
    review.export()
    for reviewer in review.reviewers(1):
        edit = (lambda ws: ws.delete_rows(2)) if reviewer == "bob" else None
        fill_like_a_person(
            review.exported(1, reviewer),
            review.returned(1, f"{reviewer}.xlsx"),
            by_truth(truth),
            edit=edit,
        )
    result = review.import_()
    assert len(result.entries) == 23
    assert len(result.warnings) == 1
    assert "round-01: 1 of bob's records have no decision" in result.warnings[0]


# --------------------------------------------------------------------------------------------
# The checksum ledger
# --------------------------------------------------------------------------------------------
def test_the_ledger_catches_edits_and_deletions(review: ReviewDirs, truth: dict[str, bool]) -> None:
    _round_one(review, truth)
    first = review.import_(update_sums=False)  # `screen import --no-record`: validate only
    assert first.new_files == (
        "round-01/alice.xlsx",
        "round-01/bob.xlsx",
        "round-01/carol.xlsx",
        "round-01/plan.csv",  # kept by the export: the round is out with people
    )
    assert not (review.screening_dir / SUMS_FILE).exists()
    review.import_()  # the pipeline's import records the sheets the first time it reads them
    sums = read_sums(review.screening_dir / SUMS_FILE)
    assert sums == {rel: sha256_file(review.screening_dir / rel) for rel in first.new_files}
    if shutil.which("sha256sum"):
        check = subprocess.run(
            ["sha256sum", "--check", "--quiet", SUMS_FILE],
            cwd=review.screening_dir,
            capture_output=True,
            text=True,
        )
        assert check.returncode == 0, check.stdout + check.stderr
    assert review.import_(update_sums=True).new_files == ()
    # an in-place edit of an imported sheet is refused, with what to do instead
    fill_like_a_person(
        review.returned(1, "alice.xlsx"),
        review.returned(1, "alice.xlsx"),
        lambda v: ("maybe", "", ""),
    )
    with pytest.raises(InputError) as info:
        review.import_()
    assert "round-01/alice.xlsx: changed since it was imported" in str(info.value)
    assert "new version" in str(info.value)
    review.returned(1, "alice.xlsx").unlink()
    with pytest.raises(InputError, match=r"round-01/alice.xlsx: imported before .* now missing"):
        review.import_()


# --------------------------------------------------------------------------------------------
# Bad input: one message per case, naming the file (and row)
# --------------------------------------------------------------------------------------------
def _first_row_of(review: ReviewDirs, reviewer: str) -> str:
    sheet = load_workbook(review.exported(1, reviewer))["Screening"]
    return str(sheet.cell(row=2, column=1).value)


def _edit_cell(column: str, value: object, row: int = 2) -> Callable[[Any], None]:
    def edit(ws: Any) -> None:
        header = [c.value for c in ws[1]]
        ws.cell(row=row, column=header.index(column) + 1).value = value

    return edit


def _edit_cells(row: int = 2, **values: object) -> Callable[[Any], None]:
    def edit(ws: Any) -> None:
        header = [c.value for c in ws[1]]
        for column, value in values.items():
            ws.cell(row=row, column=header.index(column) + 1).value = value

    return edit


def _not_sent_to_alice(review: ReviewDirs) -> str:
    alice = {r["record_id"] for r in review.plan(1) if r["reviewer"] == "alice"}
    return next(r["record_id"] for r in review.plan(1) if r["record_id"] not in alice)


def _unsent_record(review: ReviewDirs) -> Callable[[Any], None]:
    return _edit_cell("record_id", _not_sent_to_alice(review))


def _duplicate_row(ws: Any) -> None:
    ws.append([c.value for c in ws[2]])


def _note_without_id(ws: Any) -> None:
    header = [c.value for c in ws[1]]
    row = [None] * len(header)
    row[header.index("note")] = "please check rec-000000000004 again"
    ws.append(row)


def _delete_note_column(ws: Any) -> None:
    header = [c.value for c in ws[1]]
    ws.delete_cols(header.index("note") + 1)


def _alice(
    review: ReviewDirs, truth: dict[str, bool], edit: Callable[[Any], None] | None, **kw: Any
) -> None:
    """Return the exported round 1, alice's sheet edited."""
    for reviewer in review.reviewers(1):
        fill_like_a_person(
            review.exported(1, reviewer),
            review.returned(1, f"{reviewer}.xlsx"),
            kw.get("decide", by_truth(truth)) if reviewer == "alice" else by_truth(truth),
            edit=edit if reviewer == "alice" else None,
        )


ROW_CASES = [
    pytest.param(
        lambda r: _edit_cell("record_id", "rec-ffffffffffff"),
        "round-01/alice.xlsx row 2 (rec-ffffffffffff): not a record of this review",
        id="unknown-id",
        marks=[],
    ),
    pytest.param(
        _unsent_record,
        "this record was not sent to alice in round 1 (it was sent to",
        id="row-pasted-from-another-sheet",
    ),
    pytest.param(
        lambda r: _edit_cells(decision=None, note="ask Bob about the setting"),
        "round-01/alice.xlsx row 2 ({first}): has a reason or note but no decision",
        id="note-without-decision",
    ),
    pytest.param(
        lambda r: _edit_cell("decision", "yes"),
        "row 2 ({first}): decision 'yes' is not include, exclude or maybe",
        id="invalid-decision",
    ),
    pytest.param(
        lambda r: _edit_cell("title", "A better title"),
        "row 2 ({first}): the title was edited (from character 1: 'A better title' here,",
        id="edited-title",
    ),
    pytest.param(
        lambda r: _edit_cell("check", "k00000000000"),
        "row 2 ({first}): the title or the grey cells (reviewer, round, kind, check) were changed",
        id="edited-check",
    ),
    pytest.param(
        lambda r: _edit_cell("kind", "ranked"),
        "row 2 ({first}): the kind cell says 'ranked', expected 'random_start'",
        id="edited-kind",
    ),
    pytest.param(
        lambda r: _edit_cell("round", 2),
        "row 2 ({first}): the round cell says '2' but the file is in round-01/",
        id="edited-round",
    ),
    pytest.param(
        lambda r: _duplicate_row,
        "round-01/alice.xlsx row 10 ({first}): the record appears twice (also row 2)",
        id="duplicated-row",
    ),
    pytest.param(
        lambda r: _note_without_id,
        "round-01/alice.xlsx row 10: has text but no record_id",
        id="note-in-a-row-of-its-own",
    ),
    pytest.param(
        lambda r: _edit_cell("reviewer", "bob"),
        "round-01/alice.xlsx: the file name says reviewer 'alice' but the sheet belongs to bob",
        id="edited-reviewer-cell",
    ),
    pytest.param(
        lambda r: _delete_note_column,
        "round-01/alice.xlsx: missing column(s) note in the header row",
        id="deleted-column",
    ),
]


@pytest.mark.parametrize(("make_edit", "message"), ROW_CASES)
def test_bad_rows_are_named(
    review: ReviewDirs, truth: dict[str, bool], make_edit: Any, message: str
) -> None:
    review.export()
    first = _first_row_of(review, "alice")
    _alice(review, truth, make_edit(review))
    with pytest.raises(InputError) as info:
        review.import_()
    assert message.format(first=first) in str(info.value)
    # the log of the last good import is not touched by a failed one
    assert not review.log_path.exists() or read_decision_log(review.log_path) == []


REASON_CASES = [
    pytest.param(
        {"require_reason": True},
        ("exclude", "", ""),
        "excluded without a reason; pick one of E1, E2, E3",
        id="exclusion-without-reason",
    ),
    pytest.param(
        {},
        ("exclude", "E9: made up", ""),
        "exclusion reason 'E9: made up' is not one of the criteria (E1, E2, E3)",
        id="unknown-reason",
    ),
    pytest.param(
        {},
        ("include", "E1", ""),
        "an exclusion reason ('E1') with decision include; reasons go with exclude only",
        id="reason-with-include",
    ),
]


@pytest.mark.parametrize(("extra", "answer", "message"), REASON_CASES)
def test_reasons_are_checked(
    review: ReviewDirs,
    truth: dict[str, bool],
    extra: dict[str, Any],
    answer: tuple[str, str, str],
    message: str,
) -> None:
    review.screening.update(extra)
    review.export()
    _alice(review, truth, None, decide=lambda v: answer)
    with pytest.raises(InputError) as info:
        review.import_()
    assert "round-01/alice.xlsx row 2" in str(info.value)
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("reason", "code"),
    [
        pytest.param("E2", "E2", id="code"),
        pytest.param("e2", "E2", id="code-any-case"),
        pytest.param("Not trauma-informed", "E2", id="label"),
        pytest.param("E2:  Not trauma-informed ", "E2", id="drop-down-text-with-spaces"),
    ],
)
def test_reasons_in_any_form_become_codes(
    review: ReviewDirs, truth: dict[str, bool], reason: str, code: str
) -> None:
    review.export()
    _alice(review, truth, None, decide=lambda v: ("exclude", reason, ""))
    entries = review.import_().entries
    assert {e.reason for e in entries if e.reviewer == "alice"} == {code}


def test_a_sheet_saved_under_another_reviewers_name(
    review: ReviewDirs, truth: dict[str, bool]
) -> None:
    review.export()
    fill_like_a_person(review.exported(1, "bob"), review.returned(1, "alice.xlsx"), by_truth(truth))
    with pytest.raises(InputError) as info:
        review.import_()
    assert (
        "round-01/alice.xlsx: the file name says reviewer 'alice' but the sheet belongs to bob"
        in str(info.value)
    )
    assert "save it as bob.xlsx" in str(info.value)


def _file_case(name: str, content: bytes | None = None) -> Callable[[ReviewDirs], None]:
    def make(review: ReviewDirs) -> None:
        path = review.returned(1, name)
        if content is None:
            shutil.copy(review.returned(1, "alice.xlsx"), path)
        else:
            path.write_bytes(content)

    return make


FILE_CASES = [
    pytest.param(
        _file_case("alice (1).xlsx"), "round-01/alice (1).xlsx: unexpected file name", id="copy"
    ),
    pytest.param(
        _file_case("zed.xlsx"),
        "round-01/zed.xlsx: 'zed' is not in screening.team or screening.resolvers",
        id="unknown-reviewer",
    ),
    pytest.param(
        _file_case("alice.csv", b"record_id\n"),
        "round-01/alice.xlsx and round-01/alice.csv are the same sheet version",
        id="xlsx-and-csv",
    ),
    pytest.param(
        _file_case("alice.v2.xlsx", b"not a workbook"),
        "round-01/alice.v2.xlsx: not an Excel .xlsx file",
        id="not-an-xlsx",
    ),
    pytest.param(
        _file_case("alice.v2.xlsx", b"PK\x03\x04" + b"\0" * 100),
        "round-01/alice.v2.xlsx:",
        id="broken-zip",
    ),
    pytest.param(
        lambda r: (r.screening_dir / "notes.txt").write_text("x", encoding="utf-8"),
        "notes.txt: unexpected file",
        id="stray-file-at-top",
    ),
    pytest.param(
        lambda r: (r.returned(1, "old")).mkdir(),
        "round-01/old: unexpected folder",
        id="stray-folder-in-round",
    ),
    pytest.param(
        lambda r: shutil.move(r.screening_dir / "round-01", r.screening_dir / "round-1"),
        "round-1: name the folder round-01",
        id="folder-name",
    ),
    pytest.param(
        lambda r: shutil.move(r.screening_dir / "round-01", r.screening_dir / "round-02"),
        "round-02/alice.xlsx: this is a sheet of round 1, saved in round-02/; move it to "
        "round-01/alice.xlsx",
        id="round-in-wrong-folder",
    ),
]


@pytest.mark.parametrize(("make", "message"), FILE_CASES)
def test_bad_files_are_named(
    review: ReviewDirs, truth: dict[str, bool], make: Callable[[ReviewDirs], None], message: str
) -> None:
    _round_one(review, truth)
    make(review)
    with pytest.raises(InputError) as info:
        review.import_()
    assert message in str(info.value)


def test_giant_sheets_are_refused(
    review: ReviewDirs, truth: dict[str, bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    _round_one(review, truth)
    monkeypatch.setattr(sheets, "MAX_SHEET_BYTES", 2_000)
    with pytest.raises(InputError, match=r"round-01/alice.xlsx: [\d,]+ bytes is larger than"):
        review.import_()


def test_sheets_of_two_exports_of_a_round(review: ReviewDirs, truth: dict[str, bool]) -> None:
    _round_one(review, truth)
    other = ReviewDirs(
        root=review.root.parent / "other",
        records=review.records,
        screening={**review.screening, "seed": 99},
    )
    other.export()
    fill_like_a_person(other.exported(1, "bob"), review.returned(1, "bob.v2.xlsx"), by_truth(truth))
    with pytest.raises(InputError, match="come from different exports of the round"):
        review.import_()


def _fake_export(review: ReviewDirs, round_: int, reviewer: str = "alice") -> Path:
    """A sheet for a later round, as an export would write it, returned filled."""
    ids = [r["record_id"] for r in record_rows()[40:44]]
    plan = [PlanRow(round_, rid, reviewer, RoundKind.RANKED, i) for i, rid in enumerate(ids, 1)]
    folder = review.root / "fake"
    settings_ = screening_settings(review.screening)
    records = {r.record_id: r for r in load_records(review.records)}
    xlsx, _ = write_sheet(
        folder,
        [records[rid].sheet_record() for rid in ids],
        round_=round_,
        reviewer=reviewer,
        kind=RoundKind.RANKED,
        settings=settings_,
        plan=plan,
    )
    return fill_like_a_person(
        xlsx, review.returned(round_, f"{reviewer}.xlsx"), lambda v: ("include", "", "")
    )


def test_a_round_that_cannot_have_been_exported(review: ReviewDirs, truth: dict[str, bool]) -> None:
    _round_one(review, truth)
    _fake_export(review, 3)
    with pytest.raises(InputError, match=r"round-03/: round 2 has no sheets, so round 3 cannot"):
        review.import_()


def test_a_round_exported_before_the_previous_was_complete(
    review: ReviewDirs, truth: dict[str, bool]
) -> None:
    review.export()
    fill_like_a_person(
        review.exported(1, "alice"), review.returned(1, "alice.xlsx"), by_truth(truth)
    )
    _fake_export(review, 2)
    with pytest.raises(InputError) as info:
        review.import_()
    assert "round-02/: round 1 is still waiting for bob and carol" in str(info.value)


def test_a_damaged_plan_tab(review: ReviewDirs, truth: dict[str, bool]) -> None:
    review.export()
    fill_like_a_person(
        review.exported(1, "alice"),
        review.returned(1, "alice.xlsx"),
        by_truth(truth),
        edit=lambda ws: ws.parent["plan"].cell(row=2, column=5, value="first"),
    )
    with pytest.raises(InputError, match=r"hidden tab 'plan'\): row 2 of the round's plan"):
        review.import_()


def test_an_edited_plan_tab(review: ReviewDirs, truth: dict[str, bool]) -> None:
    review.export()
    plan = review.plan(1)
    other = next(r for r in review.reviewers(1) if r != plan[0]["reviewer"])
    fill_like_a_person(
        review.exported(1, "alice"),
        review.returned(1, "alice.xlsx"),
        by_truth(truth),
        edit=lambda ws: ws.parent["plan"].cell(row=2, column=3, value=other),
    )
    with pytest.raises(InputError, match=r"alice.xlsx: the hidden 'plan' tab was changed"):
        review.import_()


def test_decisions_on_a_member_id_follow_the_group(
    tmp_path: Path, truth: dict[str, bool], screening_section: dict[str, Any]
) -> None:
    rows = record_rows()
    review = ReviewDirs(
        root=tmp_path / "r", records=tmp_path / "records.csv", screening=screening_section
    )
    write_merged(review.records, rows)
    _round_one(review, truth)
    # a later dedup run puts the first record of alice's sheet into the group of a record
    # that was never handed out (the merged table lists members)
    absorbed = _first_row_of(review, "alice")
    handed_out = {row["record_id"] for row in review.plan(1)}
    group = next(r["record_id"] for r in rows if r["record_id"] not in handed_out)
    merged = []
    for row in rows:
        if row["record_id"] == absorbed:
            continue
        members = f"{group}; {absorbed}" if row["record_id"] == group else row["record_id"]
        merged.append(dict(row, members=members, study_id=row["record_id"], provenance="{}"))
    write_table(review.records, merged, "merged_record")
    assert len(review.import_().entries) == 24  # still known, through the members column
    status = {row.record_id: row for row in review.status().status}
    assert absorbed not in status
    assert status[group].round == 1
    assert status[group].status.value in ("included", "excluded", "maybe", "conflict")


# --------------------------------------------------------------------------------------------
# Property: importing is idempotent; later versions only add changes
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def exported_round(tmp_path_factory: pytest.TempPathFactory) -> ReviewDirs:
    root = tmp_path_factory.mktemp("exported")
    records = root / "records.csv"
    write_merged(records, record_rows())
    review = ReviewDirs(root=root / "review", records=records, screening=dict(SCREENING))
    review.export()
    return review


answers = st.sampled_from(
    [
        ("include", "", ""),
        ("Include", "", "relevant"),
        ("exclude", "E1: Not residential care", ""),
        ("exclude", "E3", "=cmd|' /C calc'!A0"),
        ("maybe", "", ""),
    ]
)


def _one_by_one(answers: list[tuple[str, str, str]]) -> Callable[[Any], tuple[str, str, str]]:
    """A reviewer who gives these answers, row after row."""
    remaining = iter(answers)
    return lambda values: next(remaining)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    first=st.lists(answers, min_size=8, max_size=8),
    second=st.lists(answers, min_size=8, max_size=8),
)
@pytest.mark.slow
def test_import_is_idempotent_and_versions_only_add_changes(
    exported_round: ReviewDirs,
    first: list[tuple[str, str, str]],
    second: list[tuple[str, str, str]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        review = ReviewDirs(
            root=Path(tmp), records=exported_round.records, screening=exported_round.screening
        )
        shutil.copytree(exported_round.sheets, review.sheets)
        for reviewer in review.reviewers(1):
            fill_like_a_person(
                review.exported(1, reviewer),
                review.returned(1, f"{reviewer}.xlsx"),
                _one_by_one(first),
            )
        review.import_()
        log_once = review.log_path.read_bytes()
        review.import_()
        assert review.log_path.read_bytes() == log_once
        before = read_decision_log(review.log_path)
        assert len(before) == 24
        assert all(not e.note.startswith("=") for e in before)  # notes are safe to open
        # alice returns a second version with some answers changed
        fill_like_a_person(
            review.returned(1, "alice.xlsx"),
            review.returned(1, "alice.v2.xlsx"),
            _one_by_one(second),
        )
        review.import_()
        after = read_decision_log(review.log_path)
        changed = sum(
            (a[0].strip().lower(), a[1].split(":")[0], a[2])
            != (b[0].strip().lower(), b[1].split(":")[0], b[2])
            for a, b in zip(first, second, strict=True)
        )
        assert len(after) == len(before) + changed
        assert [e for e in after if e.version == 1] == before
        review.import_()
        assert read_decision_log(review.log_path) == after
