"""What a team meets returning sheets: nothing typed is lost, half-filled sheets, sheets kept
from their first reading, rounds that stay planned, and messages meant for a reviewer.

Every case writes real .xlsx files with openpyxl, the way a person's spreadsheet program would.
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from realist_review.errors import InputError
from realist_review.screen import sheets
from realist_review.screen.decisions import SUMS_FILE, read_decision_log, read_sums
from realist_review.screen.progress import StoppingEstimate
from realist_review.screen.settings import Decision, RoundKind, Status
from realist_review.screen.sheets import SCREENING_TAB, read_sheet

from .conftest import ReviewDirs, by_truth, fill_like_a_person


def _header(ws: Any) -> list[str]:
    return [str(c.value or "") for c in ws[1]]


def _return_round_one(review: ReviewDirs, truth: dict[str, bool], **alice: Any) -> None:
    """Export round 1; everyone returns it, alice with ``alice`` as fill options."""
    assert review.export().round == 1
    for reviewer in review.reviewers(1):
        fill_like_a_person(
            review.exported(1, reviewer),
            review.returned(1, f"{reviewer}.xlsx"),
            alice.pop("decide", by_truth(truth)) if reviewer == "alice" else by_truth(truth),
            **(alice if reviewer == "alice" else {}),
        )


def _alice_ids(review: ReviewDirs, round_: int = 1) -> list[str]:
    return sorted(r["record_id"] for r in review.plan(round_) if r["reviewer"] == "alice")


# --------------------------------------------------------------------------------------------
# Nothing typed is lost
# --------------------------------------------------------------------------------------------
def _add_comment_column(ws: Any) -> None:
    column = len(_header(ws)) + 1
    ws.cell(row=1, column=column, value="my comments")
    ws.cell(row=2, column=column, value="ask Bob: is a secure unit residential care?")


def _text_without_heading(ws: Any) -> None:
    ws.cell(row=3, column=len(_header(ws)) + 2, value="check the full text")


def test_text_in_an_added_column_is_kept_in_the_note(
    review: ReviewDirs, truth: dict[str, bool]
) -> None:
    def edit(ws: Any) -> None:
        _add_comment_column(ws)
        _text_without_heading(ws)
        ws.cell(row=2, column=_header(ws).index("note") + 1, value="good example")

    _return_round_one(review, truth, edit=edit)
    result = review.import_()
    alice = {e.source_row: e for e in result.entries if e.reviewer == "alice"}
    assert (
        alice[2].note == "good example | my comments: ask Bob: is a secure unit residential care?"
    )
    letter = sheets.get_column_letter(len(sheets.SHEET_COLUMNS) + 3)  # after 'my comments' + 1
    assert alice[3].note == f"column {letter}: check the full text"
    assert any(
        "round-01/alice.xlsx: text in column(s) " in w and "'my comments'" in w
        for w in result.warnings
    )
    logged = {e.note for e in read_decision_log(review.log_path)}
    assert "good example | my comments: ask Bob: is a secure unit residential care?" in logged


def test_a_renamed_column_is_refused_naming_it(review: ReviewDirs, truth: dict[str, bool]) -> None:
    def rename(ws: Any) -> None:
        ws.cell(row=1, column=_header(ws).index("note") + 1, value="Comments")

    _return_round_one(review, truth, edit=rename)
    with pytest.raises(InputError) as info:
        review.import_()
    message = str(info.value)
    assert "round-01/alice.xlsx: missing column(s) note in the header row" in message
    assert "'Comments' (column E)" in message and "give it back its heading (note)" in message


def test_moved_columns_are_read_by_their_headings(
    review: ReviewDirs, truth: dict[str, bool]
) -> None:
    def move_decision_to_the_end(ws: Any) -> None:
        at = _header(ws).index("decision") + 1
        end = len(_header(ws)) + 1
        for row in range(1, ws.max_row + 1):
            ws.cell(row=row, column=end, value=ws.cell(row=row, column=at).value)
            ws.cell(row=row, column=at, value=None)
        ws.cell(row=1, column=at, value="my decision notes")

    _return_round_one(review, truth, edit=move_decision_to_the_end)
    entries = [e for e in review.import_().entries if e.reviewer == "alice"]
    assert len(entries) == 8
    assert all(e.decision is (Decision.INCLUDE if truth[e.record_id] else Decision.EXCLUDE)
               for e in entries)  # fmt: skip


# --------------------------------------------------------------------------------------------
# Half-filled sheets
# --------------------------------------------------------------------------------------------
def test_a_half_filled_sheet_counts_its_filled_rows(
    review: ReviewDirs, truth: dict[str, bool]
) -> None:
    assert review.export().round == 1
    first_half = set(_alice_ids(review)[:3])

    def half(values: dict[str, str]) -> tuple[str | None, str | None, str | None]:
        if values["record_id"] in first_half:
            return by_truth(truth)(values)
        return None, None, None

    for reviewer in review.reviewers(1):
        fill_like_a_person(
            review.exported(1, reviewer),
            review.returned(1, f"{reviewer}.xlsx"),
            half if reviewer == "alice" else by_truth(truth),
        )
    result = review.import_()
    assert {e.record_id for e in result.entries if e.reviewer == "alice"} == first_half
    assert result.pending == {"round-01/alice.xlsx": 5}
    assert "round-01/alice.xlsx: 5 of 8 row(s) have no decision yet; they stay pending" in (
        " ".join(result.warnings)
    )
    state = review.status()
    waiting = {r.record_id for r in state.status if r.reason == "waiting for alice"}
    assert waiting == set(_alice_ids(review)) - first_half
    assert review.export().action == "open"  # round 2 waits for alice's other five
    # the rest comes back as a second version: only its new decisions count
    fill_like_a_person(
        review.exported(1, "alice"), review.returned(1, "alice.v2.xlsx"), by_truth(truth)
    )
    result = review.import_()
    assert result.pending == {}
    alice = [e for e in result.entries if e.reviewer == "alice"]
    assert Counter(e.version for e in alice) == {1: 3, 2: 5}


def test_a_sheet_returned_unfilled_is_refused(review: ReviewDirs, truth: dict[str, bool]) -> None:
    _return_round_one(review, truth, decide=lambda v: (None, None, None))
    with pytest.raises(InputError, match=r"round-01/alice.xlsx: none of its 8 row\(s\) has a "):
        review.import_()
    assert not (review.screening_dir / SUMS_FILE).exists()  # a refused sheet is not recorded


# --------------------------------------------------------------------------------------------
# Sheets are recorded when first read; the log never loses entries
# --------------------------------------------------------------------------------------------
def test_a_sheet_is_recorded_the_first_time_it_is_read(
    review: ReviewDirs, truth: dict[str, bool]
) -> None:
    _return_round_one(review, truth)
    review.import_()  # what the pipeline's rule calls: no `screen import` was run
    sums = read_sums(review.screening_dir / SUMS_FILE)
    assert {"round-01/alice.xlsx", "round-01/bob.xlsx", "round-01/carol.xlsx"} <= set(sums)
    before = review.log_path.read_bytes()
    entries = read_decision_log(review.log_path)
    returned = review.returned(1, "bob.xlsx")
    original = returned.read_bytes()
    # editing a sheet the pipeline has read is refused, the log untouched
    fill_like_a_person(returned, returned, lambda v: ("maybe", "", ""))
    with pytest.raises(InputError, match=r"round-01/bob\.xlsx: changed since it was imported"):
        review.import_()
    assert review.log_path.read_bytes() == before
    # and so is deleting one
    returned.unlink()
    with pytest.raises(InputError, match=r"round-01/bob.xlsx: imported before .* now missing"):
        review.import_()
    assert review.log_path.read_bytes() == before
    # restored, with the correction as a new version: the log keeps every earlier entry
    returned.write_bytes(original)
    fill_like_a_person(
        review.exported(1, "bob"), review.returned(1, "bob.v2.xlsx"), lambda v: ("maybe", "", "")
    )
    review.import_()
    after = read_decision_log(review.log_path)
    assert set(entries) <= set(after) and len(after) == len(entries) + 8


# --------------------------------------------------------------------------------------------
# A round that is out keeps its plan
# --------------------------------------------------------------------------------------------
def test_a_round_that_is_out_keeps_its_plan_after_a_correction(
    review: ReviewDirs, truth: dict[str, bool]
) -> None:
    _return_round_one(review, truth)
    second = review.export()
    assert (second.action, second.round) == ("new", 2)
    kept = review.returned(2, "plan.csv")
    assert kept.is_file()  # the plan of the round people now hold
    plan = review.plan(2)
    sent = {p.name: p.read_bytes() for p in (review.sheets / "round-02").glob("*.xlsx")}
    # a correction to round 1 changes what the model learns from...
    flips = frozenset(_alice_ids(review)[:4])
    fill_like_a_person(
        review.exported(1, "alice"), review.returned(1, "alice.v2.xlsx"), by_truth(truth, flips)
    )
    again = review.export()
    # ...but round 2 is not planned again: the same sheets, waiting for everyone
    assert (again.action, again.round) == ("open", 2)
    assert review.plan(2) == plan
    assert {p.name: p.read_bytes() for p in (review.sheets / "round-02").glob("*.xlsx")} == sent
    assert "round-02/plan.csv" in read_sums(review.screening_dir / SUMS_FILE)


# --------------------------------------------------------------------------------------------
# random_sample_size is a size; the sample is drawn when the rule calls for it or when asked
# --------------------------------------------------------------------------------------------
def _rule(action: str, needed: int | None = None) -> Any:
    def estimator(labels: Sequence[int], **_: Any) -> StoppingEstimate:
        return StoppingEstimate(0.5, 0.5, action == "stop", "test rule", action, needed)

    return estimator


def test_random_sample_size_alone_is_not_a_switch(
    review: ReviewDirs, truth: dict[str, bool]
) -> None:
    review.screening["random_sample_size"] = 20
    assert review.export(estimator=_rule("screen_ranked")).kind is RoundKind.RANDOM_START
    review.return_round(1, by_truth(truth))
    assert review.export(estimator=_rule("screen_ranked")).kind is RoundKind.RANKED


def test_the_random_sample_is_drawn_when_the_rule_calls_for_it(
    review: ReviewDirs, truth: dict[str, bool]
) -> None:
    review.export()
    review.return_round(1, by_truth(truth))
    result = review.export(estimator=_rule("screen_random", needed=9))
    assert (result.kind, len({p["record_id"] for p in review.plan(2)})) == (
        RoundKind.RANDOM_SAMPLE,
        9,  # as many as the rule asks for
    )
    assert "called for by the stopping rule" in result.message


@pytest.mark.slow
def test_the_team_asks_for_the_random_sample_once(
    review: ReviewDirs, truth: dict[str, bool]
) -> None:
    review.screening.update(start_random_sample=True, random_sample_size=15)
    review.export()
    review.return_round(1, by_truth(truth))
    second = review.export(estimator=_rule("screen_ranked"))
    assert second.kind is RoundKind.RANDOM_SAMPLE and "asked for by the team" in second.message
    assert len({p["record_id"] for p in review.plan(2)}) == 15
    review.return_round(2, by_truth(truth))
    # the key left in the config does not make every later round another random sample
    assert review.export(estimator=_rule("stop")).kind is RoundKind.RANKED


def test_the_progress_note_names_the_key_that_draws_the_sample(
    review: ReviewDirs, truth: dict[str, bool]
) -> None:
    review.export()
    review.return_round(1, by_truth(truth))
    review.status()
    from realist_review.tables import read_table

    note = read_table(review.out / "progress.csv", "screen_progress")[-1]["note"]
    assert "screening.start_random_sample: true" in note
    assert "with 95% confidence" in note and "recall is at least" in note


# --------------------------------------------------------------------------------------------
# Messages a reviewer can act on
# --------------------------------------------------------------------------------------------
def test_a_sheet_of_another_round_is_named_beside_the_right_ones(
    review: ReviewDirs, truth: dict[str, bool]
) -> None:
    _return_round_one(review, truth)
    review.export()
    fill_like_a_person(
        review.exported(2, "alice"), review.returned(1, "alice.v2.xlsx"), by_truth(truth)
    )
    with pytest.raises(InputError) as info:
        review.import_()
    message = str(info.value)
    assert (
        "round-01/alice.v2.xlsx: this is a sheet of round 2, saved in round-01/; move it to "
        "round-02/alice.v2.xlsx" in message
    )
    assert "different exports" not in message


def test_an_edited_title_error_shows_where_it_differs(
    review: ReviewDirs, truth: dict[str, bool]
) -> None:
    assert review.export().round == 1
    first = load_workbook(review.exported(1, "alice"))[SCREENING_TAB]
    title = str(first.cell(row=2, column=2).value)
    edited = title.replace(" and ", " & ", 1)
    assert edited != title

    def edit(ws: Any) -> None:
        ws.cell(row=2, column=2, value=edited)

    for reviewer in review.reviewers(1):
        fill_like_a_person(
            review.exported(1, reviewer),
            review.returned(1, f"{reviewer}.xlsx"),
            by_truth(truth),
            edit=edit if reviewer == "alice" else None,
        )
    with pytest.raises(InputError) as info:
        review.import_()
    at = title.index(" and ") + 1
    word = title.rfind(" ", 0, at) + 1
    assert f"the title was edited (from character {at + 1}: " in str(info.value)
    assert repr("..." + edited[word : at + 30]) in str(info.value)


@pytest.mark.parametrize(
    ("name", "data", "wanted"),
    [
        pytest.param(
            "alice.csv",
            b"record_id,title\n1,Caf\xe9\n",
            "save the sheet as 'CSV UTF-8",
            id="not-utf8",
        ),
        pytest.param("alice.csv", b"x" * 3000, "for a screening sheet", id="too-large"),
    ],
)
def test_sheet_errors_never_give_database_export_advice(
    tmp_path: Path, name: str, data: bytes, wanted: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read_sheet(path, max_bytes=2000)
    message = str(info.value)
    assert wanted in message
    for advice in ("encoding:", "Split the export", "config/config.yaml", "on this search"):
        assert advice not in message, advice


# --------------------------------------------------------------------------------------------
# Damaged workbooks and look-alike tabs
# --------------------------------------------------------------------------------------------
def _rewrite_part(source: Path, target: Path, part: str, change: Any) -> Path:
    with zipfile.ZipFile(source) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    parts[part] = change(parts[part])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    target.write_bytes(buffer.getvalue())
    return target


def _filled(review: ReviewDirs, truth: dict[str, bool]) -> Path:
    assert review.export().round == 1
    return fill_like_a_person(
        review.exported(1, "alice"), review.root / "filled.xlsx", by_truth(truth)
    )


def _sheet_part(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))[0]


def _bad_shared_string(data: bytes) -> bytes:
    cell = b'<row r="2"><c r="A2" t="s"><v>99999</v></c></row>'
    return data.replace(b"<sheetData>", b"<sheetData>" + cell, 1)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="worksheet-cut-in-half"),
        pytest.param(_bad_shared_string, id="shared-string-out-of-range"),
    ],
)
def test_a_damaged_workbook_is_named_not_a_traceback(
    review: ReviewDirs, truth: dict[str, bool], change: Any
) -> None:
    filled = _filled(review, truth)
    damaged = _rewrite_part(filled, review.root / "alice.xlsx", _sheet_part(filled), change)
    with pytest.raises(InputError) as info:
        read_sheet(damaged)
    assert f"{damaged}: the workbook is damaged and cannot be read" in str(info.value)


def test_a_second_tab_with_decisions_is_refused_not_ignored(
    review: ReviewDirs, truth: dict[str, bool]
) -> None:
    filled = _filled(review, truth)
    workbook = load_workbook(filled)
    copy = workbook.copy_worksheet(workbook[SCREENING_TAB])
    copy.title = "Screening (mine)"
    workbook.save(review.root / "two-tabs.xlsx")
    with pytest.raises(InputError) as info:
        read_sheet(review.root / "two-tabs.xlsx")
    assert "the tab 'Screening (mine)' also has decisions or notes beside the 'Screening' tab" in (
        str(info.value)
    )
    # an untouched copy (no decisions) is harmless
    workbook = load_workbook(review.exported(1, "alice"))
    workbook.copy_worksheet(workbook[SCREENING_TAB]).title = "Copy"
    workbook.save(review.root / "empty-copy.xlsx")
    assert len(read_sheet(review.root / "empty-copy.xlsx").rows) == 8


def test_a_renamed_tab_beside_a_look_alike_is_refused(
    review: ReviewDirs, truth: dict[str, bool]
) -> None:
    filled = _filled(review, truth)
    workbook = load_workbook(filled)
    workbook[SCREENING_TAB].title = "Sheet1"
    workbook.copy_worksheet(workbook["Sheet1"]).title = "Sheet2"
    workbook.save(review.root / "renamed.xlsx")
    with pytest.raises(InputError, match=r"no 'Screening' tab, and 2 tabs look like one"):
        read_sheet(review.root / "renamed.xlsx")


def test_stopping_status_words(review: ReviewDirs, truth: dict[str, bool]) -> None:
    """With the rule's target reached the unscreened records are credited to the rule."""
    review.export()
    review.return_round(1, by_truth(truth))
    review.screening["stop"] = True
    state = review.status(estimator=_rule("stop"))
    (reason,) = {r.reason for r in state.status if r.status is Status.EXCLUDED_AUTOMATION}
    assert reason.startswith("not screened: screening stopped after round 1: the stopping rule's")


def test_a_cell_far_to_the_right_is_refused_before_it_fills_memory(
    review: ReviewDirs, truth: dict[str, bool]
) -> None:
    filled = _filled(review, truth)
    workbook = load_workbook(filled)
    workbook[SCREENING_TAB]["XFD5"] = "stray"
    workbook.save(review.root / "wide.xlsx")
    with pytest.raises(InputError) as info:
        read_sheet(review.root / "wide.xlsx")
    assert "row 5 has a cell in column XFD, far to the right" in str(info.value)
    assert str(review.root / "wide.xlsx") in str(info.value)


def test_a_plan_in_another_encoding_gets_a_reviewers_advice(
    review: ReviewDirs, truth: dict[str, bool]
) -> None:
    _return_round_one(review, truth)
    plan = review.returned(1, "plan.csv")
    plan.unlink()  # not read yet (the export wrote it after its import): no ledger entry
    plan.write_bytes(
        "round,record_id,reviewer,kind,rank\n1,rec-Café,alice,ranked,1\n".encode("cp1252")
    )
    with pytest.raises(InputError) as info:
        review.import_()
    message = str(info.value)
    assert "round-01/plan.csv: line 2" in message and "'CSV UTF-8" in message
    assert "encoding:" not in message and "on this search" not in message


def test_a_renamed_display_column_does_not_flood_the_note(
    review: ReviewDirs, truth: dict[str, bool]
) -> None:
    def rename_abstract(ws: Any) -> None:
        ws.cell(row=1, column=_header(ws).index("abstract") + 1, value="Abstract (read me)")
        ws.cell(row=1, column=_header(ws).index("journal") + 1, value="My comments")
        ws.cell(row=2, column=_header(ws).index("My comments") + 1, value="typed by alice")

    _return_round_one(review, truth, edit=rename_abstract)
    result = review.import_()
    alice = {e.source_row: e.note for e in result.entries if e.reviewer == "alice"}
    assert alice[2] == "My comments: typed by alice"  # what was typed; not the abstract
    assert set(alice.values()) - {alice[2]} <= {""}
    added = [w for w in result.warnings if "text in column(s)" in w]
    assert len(added) == 1 and "'My comments'" in added[0] and "Abstract" not in added[0]
