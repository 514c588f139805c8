"""Writing and reading screening sheets: layout, round trip, injection, determinism, bad files."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from realist_review.errors import InputError
from realist_review.screen import sheets
from realist_review.screen.settings import RoundKind, ScreeningSettings
from realist_review.screen.sheets import (
    PLAN_COLUMNS,
    SHEET_COLUMNS,
    PlanRow,
    SheetRecord,
    read_sheet,
    record_link,
    row_check,
    title_key,
    write_sheet,
)
from realist_review.tables import escape_formula, load_schema

RECORDS = [
    SheetRecord(
        record_id="rec-000000000001",
        title="Trauma-informed care in residential children's homes",
        abstract="Staff training " * 80,
        year="2019",
        journal="Child Care Quarterly",
        link="https://doi.org/10.5555/a.1",
    ),
    SheetRecord(
        record_id="rec-000000000002",
        title='=HYPERLINK("http://example.invalid","click")',
        abstract="-1 looks like a formula too",
        year="",
        journal="@journal",
        link="",
    ),
    SheetRecord(record_id="rec-000000000003", title="+44 ways", abstract="", year="2001"),
]
PLAN = [
    PlanRow(1, r.record_id, reviewer, RoundKind.RANKED, rank)
    for rank, r in enumerate(RECORDS, start=1)
    for reviewer in ("alice", "bob")
]


def _write(
    folder: Path, settings: ScreeningSettings, kind: RoundKind = RoundKind.RANKED
) -> tuple[Path, Path]:
    return write_sheet(
        folder,
        RECORDS,
        round_=1,
        reviewer="alice",
        kind=kind,
        settings=settings,
        plan=PLAN if kind is not RoundKind.CONFLICT_RESOLUTION else (),
        review_title="Trauma-informed care",
        question="How does trauma-informed care work in children's homes?",
    )


def test_columns_match_the_schemas() -> None:
    sheet = load_schema("screen_sheet")
    assert tuple(sheet["required"]) == SHEET_COLUMNS
    assert set(sheet["properties"]) == {*SHEET_COLUMNS, sheets.CONTEXT_COLUMN}
    assert tuple(load_schema("screen_plan")["required"]) == PLAN_COLUMNS


def test_xlsx_layout_a_reviewer_sees(tmp_path: Path, settings: ScreeningSettings) -> None:
    xlsx, _ = _write(tmp_path, settings)
    workbook = load_workbook(xlsx)
    assert workbook.sheetnames[:2] == ["Screening", "Instructions"]
    sheet = workbook["Screening"]
    header = [c.value for c in sheet[1]]
    assert header == list(SHEET_COLUMNS)
    col = {name: i + 1 for i, name in enumerate(header)}
    letter = {name: sheet.cell(row=1, column=i).column_letter for name, i in col.items()}
    # drop-downs: decision (include/exclude/maybe) and reason (the criteria in a hidden tab)
    validations = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    decision_dv = validations[f"{letter['decision']}2:{letter['decision']}4"]
    assert decision_dv.type == "list"
    assert decision_dv.formula1 == '"include,exclude,maybe"'
    reason_dv = validations[f"{letter['reason']}2:{letter['reason']}4"]
    assert reason_dv.formula1 == "lists!$A$1:$A$3"
    assert [r[0].value for r in workbook["lists"].iter_rows()] == [
        "E1: Not residential care",
        "E2: Not trauma-informed",
        "E3: Not primary research or evaluation",
    ]
    # locked except decision, reason, note; the sheet is protected but columns can be resized
    assert sheet.protection.sheet is True
    assert sheet.protection.formatColumns is False
    for name, index in col.items():
        locked = sheet.cell(row=2, column=index).protection.locked
        assert locked is (name not in ("decision", "reason", "note")), name
    # frozen header and id column, wrapped text, widths within bounds
    assert sheet.freeze_panes == "C2"
    assert sheet.cell(row=2, column=col["abstract"]).alignment.wrap_text is True
    assert sheet.cell(row=2, column=col["title"]).alignment.wrap_text is True
    for name in SHEET_COLUMNS:
        low, high = sheets._WIDTHS[name]
        assert low <= sheet.column_dimensions[letter[name]].width <= high, name
    assert sheet.column_dimensions[letter["abstract"]].width == 70  # long abstract: widest
    # link is a hyperlink; a record without DOI or URL has no link
    link = sheet.cell(row=2, column=col["link"])
    assert link.hyperlink.target == "https://doi.org/10.5555/a.1"
    assert sheet.cell(row=3, column=col["link"]).value is None
    assert sheet.cell(row=2, column=col["year"]).value == 2019
    # instructions: criteria, review question, where to return the sheet
    text = "\n".join(str(r[0].value) for r in workbook["Instructions"].iter_rows() if r[0].value)
    assert "I1: Children or young people in residential care" in text
    assert "E2: Not trauma-informed" in text
    assert "How does trauma-informed care work" in text
    assert "config/screening/round-01/alice.xlsx" in text
    assert "alice.v2.xlsx" in text
    # hidden bookkeeping tabs
    assert workbook["plan"].sheet_state == "hidden"
    assert workbook["about"].sheet_state == "hidden"


@pytest.mark.parametrize("kind", [RoundKind.RANKED, RoundKind.CONFLICT_RESOLUTION])
def test_a_sheet_people_can_work_in_on_a_laptop_and_on_paper(
    tmp_path: Path, settings: ScreeningSettings, kind: RoundKind
) -> None:
    long_url = "https://example.org/" + "very-long-path/" * 12 + "report.pdf"
    records = [
        SheetRecord(
            record_id=f"rec-{i:012x}",
            title="Trauma-informed care in residential children's homes " * 2,
            abstract="An abstract long enough to need the widest column. " * 20,
            journal="Journal of Children's Services",
            link=long_url,
            context="alice: include; bob: exclude (E1)",
        )
        for i in range(3)
    ]
    xlsx, _ = write_sheet(
        tmp_path, records, round_=1, reviewer="alice", kind=kind, settings=settings
    )
    sheet = load_workbook(xlsx)["Screening"]
    header = [c.value for c in sheet[1]]
    letter = {name: sheet.cell(row=1, column=i + 1).column_letter for i, name in enumerate(header)}
    width = {name: sheet.column_dimensions[letter[name]].width for name in header}
    # what a reviewer fills comes right after the id and title (and, on a conflict sheet, what
    # the reviewers decided), and all of it fits a laptop screen (about 175 characters)
    filled_from = header.index("decision")
    assert header[:2] == ["record_id", "title"]
    assert header[filled_from : filled_from + 3] == ["decision", "reason", "note"]
    assert filled_from == (3 if kind is RoundKind.CONFLICT_RESOLUTION else 2)
    assert sum(width[name] for name in header[: filled_from + 3]) <= sheets.SCREEN_CHARS
    assert header.index("abstract") == filled_from + 3  # the wide abstract after
    assert sheet.freeze_panes == "C2"  # header row, id and title frozen
    # printing: landscape, one page wide, header row repeated, the columns a person reads
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert str(sheet.print_title_rows).replace("$", "") == "1:1"
    area = str(sheet.print_area).replace("'Screening'!", "").replace("$", "")
    assert area == f"A1:{letter['abstract']}4"
    printed = sum(width[name] for name in header[: header.index("abstract") + 1])
    assert printed <= 230  # about 60% of full size on A4 landscape: still readable
    # a long URL wraps inside its cell and sits far from the cells people fill
    link = sheet.cell(row=2, column=header.index("link") + 1)
    assert link.value == long_url and link.alignment.wrap_text is True
    assert header.index("link") > header.index("note") + 1


def test_random_sample_rounds_are_marked(tmp_path: Path, settings: ScreeningSettings) -> None:
    xlsx, csv_path = _write(tmp_path, settings, RoundKind.RANDOM_SAMPLE)
    workbook = load_workbook(xlsx)
    text = " ".join(str(r[0].value) for r in workbook["Instructions"].iter_rows() if r[0].value)
    assert "THIS ROUND IS A RANDOM SAMPLE" in text
    assert workbook["Screening"].sheet_properties.tabColor.rgb.endswith("F4B183")
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    assert {row["kind"] for row in rows} == {"random_sample"}


def test_conflict_sheets_show_the_decisions_so_far(
    tmp_path: Path, settings: ScreeningSettings
) -> None:
    records = [
        SheetRecord(record_id="rec-000000000001", title="T", context="alice: include; bob: exclude")
    ]
    xlsx, _ = write_sheet(
        tmp_path,
        records,
        round_=2,
        reviewer="dana",
        kind=RoundKind.CONFLICT_RESOLUTION,
        settings=settings,
    )
    sheet = load_workbook(xlsx)["Screening"]
    header = [c.value for c in sheet[1]]
    assert header.index("decisions_so_far") == header.index("decision") - 1
    assert sheet.cell(row=2, column=header.index("decisions_so_far") + 1).value == (
        "alice: include; bob: exclude"
    )
    filled = read_sheet(xlsx)
    assert filled.rows[0].get("kind") == "conflict_resolution"
    assert filled.plan is None


def test_formula_injection_is_escaped_in_xlsx_and_csv(
    tmp_path: Path, settings: ScreeningSettings
) -> None:
    xlsx, csv_path = _write(tmp_path, settings)
    with zipfile.ZipFile(xlsx) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name), name
    sheet = load_workbook(xlsx)["Screening"]
    header = [c.value for c in sheet[1]]
    title = sheet.cell(row=3, column=header.index("title") + 1)
    assert title.value == '\'=HYPERLINK("http://example.invalid","click")'
    assert title.data_type == "s"
    assert sheet.cell(row=3, column=header.index("journal") + 1).value == "'@journal"
    assert sheet.cell(row=4, column=header.index("title") + 1).value == "'+44 ways"
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    for row in rows:
        for column, value in row.items():
            assert not value.startswith(("=", "+", "-", "@")), (column, value)
    assert rows[1]["abstract"] == "'-1 looks like a formula too"


def test_same_inputs_give_the_same_bytes(tmp_path: Path, settings: ScreeningSettings) -> None:
    first = _write(tmp_path / "a", settings)
    second = _write(tmp_path / "b", settings)
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes(), one.name


def test_round_trip_filled_like_a_person(tmp_path: Path, settings: ScreeningSettings, fill) -> None:
    xlsx, _ = _write(tmp_path / "out", settings)
    choices = {
        "rec-000000000001": ("Include ", "", "looks right"),
        "rec-000000000002": (
            "exclude",
            "E1: Not residential care",
            "=not a formula",
        ),
        "rec-000000000003": ("MAYBE", "", ""),
    }

    def decide(values: dict[str, str]) -> tuple[str, str, str]:
        return choices[values["record_id"]]

    target = fill(xlsx, tmp_path / "back" / "alice.xlsx", decide, stray_empty_row=True, resize=True)
    filled = read_sheet(target)
    assert [r.get("record_id") for r in filled.rows] == list(choices)
    assert [r.row for r in filled.rows] == [2, 3, 5]  # the stray empty row 4 is skipped
    assert [r.get("decision") for r in filled.rows] == ["Include", "exclude", "MAYBE"]
    assert filled.rows[1].get("reason") == "E1: Not residential care"
    assert filled.rows[0].get("note") == "looks right"
    assert filled.timestamp.endswith("Z")  # openpyxl stamped the save time
    assert filled.plan is not None and sorted(filled.plan) == sorted(PLAN)
    assert filled.about["reviewer"] == "alice"
    for row, record in zip(filled.rows, RECORDS, strict=True):
        assert row.get("check") == row_check(1, "alice", "ranked", record.record_id, record.title)


def test_csv_round_trip_and_semicolon_csv(tmp_path: Path, settings: ScreeningSettings) -> None:
    _, csv_path = _write(tmp_path, settings)
    text = csv_path.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    rows[0]["decision"] = "include"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=";")  # European Excel
    writer.writeheader()
    writer.writerows(rows)
    back = tmp_path / "alice.csv"
    back.write_text(out.getvalue(), encoding="utf-8")
    filled = read_sheet(back)
    assert filled.columns == SHEET_COLUMNS
    assert [r.get("record_id") for r in filled.rows] == [r.record_id for r in RECORDS]
    assert filled.rows[0].get("decision") == "include"
    assert filled.rows[1].get("title").startswith("'=HYPERLINK")
    assert filled.timestamp == ""


def test_an_untouched_export_has_no_timestamp(tmp_path: Path, settings: ScreeningSettings) -> None:
    xlsx, _ = _write(tmp_path, settings)
    assert read_sheet(xlsx).timestamp == ""


def _bad_xlsx_missing_columns(path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Screening"
    sheet.append(["record_id", "title", "decision"])
    sheet.append(["rec-000000000001", "T", "include"])
    workbook.save(path)


def _zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/huge.xml", b"\0" * 3_000_000)


BAD_FILES = [
    pytest.param(
        "alice.xlsx",
        lambda p: p.write_text("record_id,decision\n", encoding="utf-8"),
        "not an Excel .xlsx file",
        id="csv-text-named-xlsx",
    ),
    pytest.param(
        "alice.xlsx",
        lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 600),
        "an old .xls workbook",
        id="old-xls",
    ),
    pytest.param(
        "alice.xlsx",
        lambda p: zipfile.ZipFile(p, "w").writestr("content.xml", "<office/>"),
        "OpenDocument (.ods)",
        id="ods-named-xlsx",
    ),
    pytest.param(
        "alice.xlsx",
        lambda p: zipfile.ZipFile(p, "w").writestr("xl/workbook.xml", "<broken"),
        "the workbook is damaged",
        id="damaged-workbook",
    ),
    pytest.param(
        "alice.xlsx", _bad_xlsx_missing_columns, "missing column(s) reason, note", id="missing"
    ),
    pytest.param("alice.xlsx", lambda p: p.write_bytes(b""), "the file is empty", id="empty"),
    pytest.param("alice.ods", lambda p: p.write_bytes(b"x"), ".xlsx or .csv files", id="ods"),
    pytest.param(
        "alice.csv",
        lambda p: p.write_bytes(b"PK\x03\x04rest"),
        "saved with a .csv name",
        id="xlsx-named-csv",
    ),
    pytest.param(
        "alice.csv",
        lambda p: p.write_bytes("record_id,title\n1,Caf\xe9\n".encode("latin-1")),
        "is not valid UTF-8 text. In your spreadsheet program save the sheet as 'CSV UTF-8",
        id="csv-not-utf8",
    ),
    pytest.param(
        "alice.csv",
        lambda p: p.write_bytes(
            (",".join(SHEET_COLUMNS) + "\n" + ("x," * 12 + "x\n") * 300 + "x,\x00,x\n").encode()
        ),
        "line 302 contains NUL bytes (a binary or UTF-16 file, not a CSV sheet)",
        id="nul-after-the-first-4096-characters",
    ),
]


@pytest.mark.parametrize(("name", "make", "message"), BAD_FILES)
def test_bad_files_get_clear_messages(tmp_path: Path, name: str, make, message: str) -> None:
    path = tmp_path / name
    make(path)
    with pytest.raises(InputError) as info:
        read_sheet(path)
    assert message in str(info.value)
    assert str(path) in str(info.value)


def test_size_limits(
    tmp_path: Path, settings: ScreeningSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    xlsx, csv_path = _write(tmp_path, settings)
    with pytest.raises(InputError, match="larger than the limit"):
        read_sheet(xlsx, max_bytes=1000)
    monkeypatch.setattr(sheets, "MAX_SHEET_BYTES", 1000)
    with pytest.raises(InputError, match="larger than the limit"):
        read_sheet(xlsx)
    monkeypatch.setattr(sheets, "MAX_SHEET_BYTES", 10**7)
    monkeypatch.setattr(sheets, "MAX_SHEET_ROWS", 2)
    with pytest.raises(InputError, match="more than 2 filled rows"):
        read_sheet(csv_path)


def test_zip_bombs_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "alice.xlsx"
    _zip_bomb(path)
    assert path.stat().st_size < 20_000  # small on disk, 3 MB unpacked
    monkeypatch.setattr(sheets, "MAX_UNZIPPED_BYTES", 1_000_000)
    with pytest.raises(InputError, match="unpacks to 3,000,011 bytes"):
        read_sheet(path)


def test_a_renamed_tab_is_still_found(tmp_path: Path, settings: ScreeningSettings) -> None:
    xlsx, _ = _write(tmp_path, settings)
    workbook = load_workbook(xlsx)
    workbook["Screening"].title = "Sheet1"
    workbook.save(tmp_path / "renamed.xlsx")
    assert len(read_sheet(tmp_path / "renamed.xlsx").rows) == 3


@pytest.mark.parametrize(
    ("doi", "url", "expected"),
    [
        pytest.param("10.1/x", "https://a.b", "https://doi.org/10.1/x", id="doi-wins"),
        pytest.param("", "https://a.b/c?d=1", "https://a.b/c?d=1", id="http-url"),
        pytest.param("", "javascript:alert(1)", "", id="no-script-links"),
        pytest.param("", "file:///etc/passwd", "", id="no-file-links"),
    ],
)
def test_record_link(doi: str, url: str, expected: str) -> None:
    assert record_link(doi, url) == expected


def test_check_cells_never_look_like_numbers() -> None:
    checks = {row_check(1, "alice", "ranked", f"rec-{i:012x}", "T") for i in range(2000)}
    assert len(checks) == 2000
    for check in checks:
        assert check[0] == "k" and len(check) == 12
        with pytest.raises(ValueError):
            float(check)


def test_giant_sheets_with_empty_rows(
    tmp_path: Path, settings: ScreeningSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    xlsx, _ = _write(tmp_path, settings)
    workbook = load_workbook(xlsx)
    workbook["Screening"].cell(row=60, column=9, value="far below")
    workbook.save(tmp_path / "long.xlsx")
    monkeypatch.setattr(sheets, "MAX_SHEET_ROWS", 10)
    with pytest.raises(InputError, match=r"long.xlsx: more than 50 rows \(filled or formatted\)"):
        read_sheet(tmp_path / "long.xlsx")


@given(st.text(max_size=80))
def test_the_formula_escape_is_not_an_edit(title: str) -> None:
    escaped = escape_formula(title)
    assert title_key(escaped) == title_key(title)
    assert row_check(1, "a", "ranked", "r", escaped) == row_check(1, "a", "ranked", "r", title)


@given(st.text(min_size=1, max_size=40), st.text(min_size=1, max_size=40))
def test_a_changed_title_changes_the_check(one: str, two: str) -> None:
    if title_key(one) != title_key(two):
        assert row_check(1, "a", "ranked", "r", one) != row_check(1, "a", "ranked", "r", two)
