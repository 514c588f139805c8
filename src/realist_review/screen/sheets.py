"""Screening sheets: one ``.xlsx`` (and the same as ``.csv``) per reviewer and round.

A sheet lists records to screen, one per row, with the columns of
``workflow/schemas/screen_sheet.schema.json``. Reviewers fill ``decision`` (a drop-down:
include / exclude / maybe), ``reason`` (a drop-down of the config's exclusion criteria) and
``note``; every other cell is locked. The bookkeeping columns ``reviewer``, ``round``, ``kind``
and ``check`` make each row self-describing, so a row copied into the wrong file, or a title
changed by hand, is caught on import (:func:`row_check`).

An ``.xlsx`` also carries hidden tabs: ``plan`` (every record of the round and who screens
it, so one returned sheet tells which sheets are still out) and ``about`` (round, reviewer,
kind, seed, ...). Writing is deterministic: the same inputs give the same bytes.

Reading (:func:`read_sheet`) treats the file as untrusted: size and unzipped-size limits,
``.xls``/``.ods``/renamed files, missing columns, giant sheets and every cell type a
spreadsheet program may write are turned into clear :class:`InputError` messages.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
import math
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from realist_review.errors import InputError
from realist_review.screen.settings import Criterion, Decision, RoundKind, ScreeningSettings
from realist_review.tables import (
    escape_formula,
    read_bytes,
    sha256_bytes,
    table_spec,
    validate_rows,
    write_atomic,
)

#: Columns of a screening sheet, in order (``screen_sheet.schema.json``).
#: What a reviewer fills (decision, reason, note) comes right after the title, so that it
#: stays on a laptop screen beside the frozen id and title; the wide abstract follows.
SHEET_COLUMNS: tuple[str, ...] = (
    "record_id",
    "title",
    "decision",
    "reason",
    "note",
    "abstract",
    "year",
    "journal",
    "link",
    "reviewer",
    "round",
    "kind",
    "check",
)
#: Conflict sheets show what the reviewers decided, just before the decision column.
CONTEXT_COLUMN = "decisions_so_far"
#: Columns reviewers fill in; every other cell is locked.
EDITABLE_COLUMNS: tuple[str, ...] = ("decision", "reason", "note")
#: Columns a returned sheet must still have for its decisions to be read.
ESSENTIAL_COLUMNS: tuple[str, ...] = (
    "record_id",
    "title",
    "decision",
    "reason",
    "note",
    "reviewer",
    "round",
    "kind",
    "check",
)
#: Columns of a round's plan (``screen_plan.schema.json``).
PLAN_COLUMNS: tuple[str, ...] = ("round", "record_id", "reviewer", "kind", "rank")

SCREENING_TAB = "Screening"
INSTRUCTIONS_TAB = "Instructions"
LISTS_TAB = "lists"
PLAN_TAB = "plan"
ABOUT_TAB = "about"

#: Largest sheet file read from a reviewer (a 50-record sheet is about 40 kB).
MAX_SHEET_BYTES = 20 * 1024 * 1024
#: Largest total size of the files inside an ``.xlsx`` (guards against zip bombs).
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
#: Most non-empty rows a sheet may have.
MAX_SHEET_ROWS = 20_000
#: Rightmost column a returned sheet may use (a sheet has 14; room for added columns).
MAX_SHEET_COLUMNS = 100
#: Creation/modification time written into exported workbooks, so exports are byte-identical.
#: A returned workbook whose "modified" time is still this one was not saved by a person.
EXPORT_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_EDIT_FILL = PatternFill("solid", fgColor="FFF2CC")
_GREY = Font(name="Calibri", size=11, color="808080")
_BOLD = Font(name="Calibri", size=11, bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_FORMULA_CHARS = ("=", "+", "-", "@", "\t", "\r", "\n")
_URL_RE = re.compile(r"https?://[^\s\"<>]{1,2000}", re.IGNORECASE)

#: (minimum, maximum) width of each column in characters.
#: On a 1366-pixel laptop screen about 175 characters fit: id, title, decision, reason and note
#: together stay within :data:`SCREEN_CHARS`.
_WIDTHS: dict[str, tuple[int, int]] = {
    "record_id": (10, 18),
    "title": (30, 50),
    "abstract": (40, 70),
    "year": (6, 6),
    "journal": (10, 30),
    "link": (10, 30),
    CONTEXT_COLUMN: (20, 36),
    "decision": (11, 11),
    "reason": (12, 30),
    "note": (24, 30),
    "reviewer": (8, 16),
    "round": (6, 6),
    "kind": (8, 20),
    "check": (14, 14),
}
#: Characters of column width visible on a laptop screen (1366 pixels, about 7 per character).
SCREEN_CHARS = 175
#: Columns printed (one page wide, landscape): what a person reads to decide, not bookkeeping.
PRINTED_LAST_COLUMN = "abstract"
_GUIDE_WIDTH = 80
_WRAPPED = frozenset({"title", "abstract", "journal", "link", CONTEXT_COLUMN, "reason", "note"})


@dataclass(frozen=True)
class SheetRecord:
    """What a sheet shows about one record (text as in the record table)."""

    record_id: str
    title: str = ""
    abstract: str = ""
    year: str = ""
    journal: str = ""
    link: str = ""
    context: str = ""  # conflict sheets: the decisions so far


@dataclass(frozen=True, order=True)
class PlanRow:
    """One assignment of a round: this record goes to this reviewer."""

    round: int
    record_id: str
    reviewer: str
    kind: RoundKind
    rank: int


@dataclass(frozen=True)
class SheetRow:
    """One filled row as read back: its sheet row number (header = 1) and cell texts."""

    row: int
    cells: Mapping[str, str]
    #: Text in columns an exported sheet does not have: (column heading or letter, text).
    extras: tuple[tuple[str, str], ...] = ()

    def get(self, column: str) -> str:
        """The cell of ``column`` (``""`` when the sheet has no such column)."""
        return self.cells.get(column, "")


@dataclass(frozen=True)
class FilledSheet:
    """A returned sheet: where it is, its checksum, rows and (for ``.xlsx``) embedded plan."""

    path: Path
    sha256: str
    columns: tuple[str, ...]
    rows: tuple[SheetRow, ...]
    plan: tuple[PlanRow, ...] | None = None
    about: Mapping[str, str] = field(default_factory=dict)
    timestamp: str = ""


# --------------------------------------------------------------------------------------------
# Small pure helpers
# --------------------------------------------------------------------------------------------
def title_key(title: str) -> str:
    """A title as compared on import: whitespace collapsed, a formula-escape quote dropped.

    Spreadsheet programs may drop the ``'`` that :func:`~realist_review.tables.escape_formula`
    put before a title starting with ``=``; that is not an edit.
    """
    text = str(title)
    if text.startswith("'") and text[1:2] in _FORMULA_CHARS:
        text = text[1:]
    return " ".join(text.split())


def row_check(round_: int, reviewer: str, kind: RoundKind | str, record_id: str, title: str) -> str:
    """The ``check`` cell of a row: ``k`` + 11 hex of SHA-256 over what must not change.

    Not a secret: it catches accidents (a title edited, a row pasted from another reviewer's
    sheet, a sheet saved under the wrong name), not forgery.
    """
    text = "\x1f".join((str(round_), reviewer, str(kind), record_id, title_key(title)))
    # the leading letter keeps spreadsheet programs from reading the cell as a number
    return "k" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:11]


def record_link(doi: str, url: str) -> str:
    """The link shown for a record: its DOI as a URL, else its URL if it is http(s)."""
    if doi:
        return f"https://doi.org/{doi}"
    match = _URL_RE.fullmatch(url.strip()) if url else None
    return match.group(0) if match else ""


def round_folder(round_: int) -> str:
    """``round-03``: the folder of a round under ``results/screen/sheets`` and ``config``."""
    return f"round-{round_:02d}"


def _csv_bytes(columns: Sequence[str], rows: Iterable[Mapping[str, object]], *, bom: bool) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({col: "" if row.get(col) is None else str(row.get(col)) for col in columns})
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def plan_rows_as_dicts(plan: Iterable[PlanRow]) -> list[dict[str, str]]:
    """Plan rows as table rows, in the canonical order (round, rank, reviewer)."""
    ordered = sorted(plan, key=lambda p: (p.round, p.rank, p.reviewer, p.record_id))
    return [
        {
            "round": str(p.round),
            "record_id": p.record_id,
            "reviewer": p.reviewer,
            "kind": str(p.kind),
            "rank": str(p.rank),
        }
        for p in ordered
    ]


def plan_sha256(plan: Iterable[PlanRow]) -> str:
    """SHA-256 of a plan's canonical CSV (the bytes :func:`write_plan` writes)."""
    return sha256_bytes(_csv_bytes(PLAN_COLUMNS, plan_rows_as_dicts(plan), bom=False))


def write_plan(path: Path, plan: Iterable[PlanRow]) -> str:
    """Write a round's ``plan.csv`` (schema ``screen_plan``); return its SHA-256."""
    rows = plan_rows_as_dicts(plan)
    validate_rows(rows, table_spec("screen_plan"), path=path)
    data = _csv_bytes(PLAN_COLUMNS, rows, bom=False)
    write_atomic(Path(path), data)
    return sha256_bytes(data)


def parse_plan_rows(rows: Iterable[Mapping[str, str]], *, where: str) -> tuple[PlanRow, ...]:
    """Plan rows from table cells; a damaged plan is an :class:`InputError` naming ``where``."""
    out: list[PlanRow] = []
    for index, row in enumerate(rows):
        try:
            out.append(
                PlanRow(
                    round=int(row["round"]),
                    record_id=str(row["record_id"]),
                    reviewer=str(row["reviewer"]),
                    kind=RoundKind(row["kind"]),
                    rank=int(row["rank"]),
                )
            )
        except (KeyError, ValueError, TypeError):
            raise InputError(
                f"{where}: row {index + 2} of the round's plan is damaged ({dict(row)!r}). "
                "The plan is written by `realist-review screen export`; copy it again from "
                "results/screen/sheets/."
            ) from None
    return tuple(out)


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------
def _columns_for(kind: RoundKind) -> tuple[str, ...]:
    if kind is RoundKind.CONFLICT_RESOLUTION:
        at = SHEET_COLUMNS.index("decision")
        return (*SHEET_COLUMNS[:at], CONTEXT_COLUMN, *SHEET_COLUMNS[at:])
    return SHEET_COLUMNS


def _sheet_cells(
    record: SheetRecord, *, round_: int, reviewer: str, kind: RoundKind
) -> dict[str, str]:
    """The text of every cell of one row, escaped against formula injection."""
    raw = {
        "record_id": record.record_id,
        "title": record.title,
        "abstract": record.abstract,
        "year": record.year,
        "journal": record.journal,
        "link": record.link,
        CONTEXT_COLUMN: record.context,
        "decision": "",
        "reason": "",
        "note": "",
        "reviewer": reviewer,
        "round": str(round_),
        "kind": str(kind),
    }
    cells = {col: escape_formula(value) for col, value in raw.items()}
    cells["check"] = row_check(round_, reviewer, kind, record.record_id, cells["title"])
    return cells


def sheet_rows(
    records: Sequence[SheetRecord], *, round_: int, reviewer: str, kind: RoundKind
) -> list[dict[str, str]]:
    """The rows of a sheet exactly as written (cells escaped, ``check`` filled)."""
    return [_sheet_cells(r, round_=round_, reviewer=reviewer, kind=kind) for r in records]


def _width(column: str, texts: Iterable[str]) -> int:
    low, high = _WIDTHS[column]
    longest = max((len(line) for text in texts for line in text.split("\n")), default=0)
    return max(low, min(high, max(longest, len(column)) + 2))


def _instructions(
    *,
    settings: ScreeningSettings,
    round_: int,
    reviewer: str,
    kind: RoundKind,
    count: int,
    review_title: str,
    question: str,
) -> list[tuple[str, bool]]:
    """Lines of the instructions tab: (text, bold)."""
    lines: list[tuple[str, bool]] = [
        (f"Title and abstract screening: round {round_}, sheet of {reviewer}", True),
    ]
    if review_title:
        lines.append((f"Review: {review_title}", False))
    if question:
        lines.append((f"Question: {question}", False))
    lines.append(("", False))
    if kind is RoundKind.RANDOM_SAMPLE:
        lines += [
            ("THIS ROUND IS A RANDOM SAMPLE.", True),
            (
                "These records were drawn at random from the records nobody has screened yet, "
                "as the stopping rule requires. Screen every one of them as carefully as "
                "usual: the decision to stop screening rests on this sample.",
                False,
            ),
            ("", False),
        ]
    elif kind is RoundKind.RANDOM_START:
        lines += [
            (
                "This first round is a random sample: the ranking model learns from your "
                "decisions and puts the likely includes first from the next round on.",
                False,
            ),
            ("", False),
        ]
    elif kind is RoundKind.CONFLICT_RESOLUTION:
        lines += [
            ("THIS SHEET RESOLVES DISAGREEMENTS.", True),
            (
                "The two reviewers of each record below disagreed (the column "
                f"'{CONTEXT_COLUMN}' shows what they decided). Your decision is final.",
                False,
            ),
            ("", False),
        ]
    lines += [
        ("How to fill the sheet", True),
        (
            f"1. The '{SCREENING_TAB}' tab lists {count} record(s). For each, read the title "
            "and abstract and pick a decision in the yellow 'decision' column: include, "
            "exclude or maybe ('maybe' sends the record to full-text screening).",
            False,
        ),
        (
            "2. When you exclude, pick the first exclusion reason that applies in 'reason'"
            + (" (required)." if settings.require_reason else " (optional, but it helps).")
            + " Write anything else in 'note'.",
            False,
        ),
        (
            "3. Do not change record ids, titles, or the grey columns (reviewer, round, kind, "
            "check), and do not add or delete rows. You may re-size columns, sort and filter.",
            False,
        ),
        (
            f"4. Save the file as .xlsx (or CSV, UTF-8) under its own name and return it. "
            f"It goes to config/screening/{round_folder(round_)}/"
            + ("conflicts/" if kind is RoundKind.CONFLICT_RESOLUTION else "")
            + f"{reviewer}.xlsx. To correct decisions later, return a new file "
            f"{reviewer}.v2.xlsx (then v3, ...); never overwrite a returned file.",
            False,
        ),
        ("", False),
    ]
    if settings.inclusion:
        lines.append(("Inclusion criteria (include when all apply)", True))
        lines += [(f"{c.code}: {c.label}", False) for c in settings.inclusion]
        lines.append(("", False))
    if settings.exclusion:
        lines.append(("Exclusion reasons (exclude when any applies)", True))
        lines += [(f"{c.code}: {c.label}", False) for c in settings.exclusion]
        lines.append(("", False))
    lines.append(("Sheet written by realist-review. Cells are plain text, never formulas.", False))
    return lines


def _add_list_tab(workbook: Workbook, exclusion: Sequence[Criterion]) -> str | None:
    if not exclusion:
        return None
    tab = workbook.create_sheet(LISTS_TAB)
    for index, criterion in enumerate(exclusion, start=1):
        tab.cell(row=index, column=1, value=escape_formula(criterion.choice))
    tab.sheet_state = "hidden"
    tab.protection.sheet = True
    return f"{LISTS_TAB}!$A$1:$A${len(exclusion)}"


def _add_key_value_tab(workbook: Workbook, name: str, pairs: Mapping[str, str]) -> None:
    tab = workbook.create_sheet(name)
    tab.append(["key", "value"])
    for key, value in pairs.items():
        tab.append([escape_formula(key), escape_formula(value)])
    tab.sheet_state = "hidden"
    tab.protection.sheet = True


def _add_plan_tab(workbook: Workbook, plan: Sequence[PlanRow]) -> None:
    tab = workbook.create_sheet(PLAN_TAB)
    tab.append(list(PLAN_COLUMNS))
    for row in plan_rows_as_dicts(plan):
        tab.append([escape_formula(row[col]) for col in PLAN_COLUMNS])
    tab.sheet_state = "hidden"
    tab.protection.sheet = True


def build_workbook(
    records: Sequence[SheetRecord],
    *,
    round_: int,
    reviewer: str,
    kind: RoundKind,
    settings: ScreeningSettings,
    plan: Sequence[PlanRow] = (),
    about: Mapping[str, str] | None = None,
    review_title: str = "",
    question: str = "",
) -> Workbook:
    """The workbook of one reviewer's sheet (see the module docstring for its layout)."""
    columns = _columns_for(kind)
    rows = sheet_rows(records, round_=round_, reviewer=reviewer, kind=kind)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SCREENING_TAB
    guide = workbook.create_sheet(INSTRUCTIONS_TAB)
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.alignment = _TOP
    _fill_rows(sheet, rows, columns, round_=round_)
    last = max(len(rows) + 1, 2)
    _add_validations(workbook, sheet, columns, last=last, settings=settings)
    _protect_and_lay_out(sheet, columns, last=last, kind=kind)

    _fill_guide(
        guide,
        _instructions(
            settings=settings,
            round_=round_,
            reviewer=reviewer,
            kind=kind,
            count=len(rows),
            review_title=review_title,
            question=question,
        ),
    )
    if plan:
        _add_plan_tab(workbook, plan)
    _add_key_value_tab(
        workbook,
        ABOUT_TAB,
        {
            "round": str(round_),
            "reviewer": reviewer,
            "kind": str(kind),
            "records": str(len(rows)),
            "plan_sha256": plan_sha256(plan) if plan else "",
            **dict(about or {}),
        },
    )
    workbook.active = 0
    workbook.properties.creator = "realist-review"
    workbook.properties.title = f"Screening round {round_}: {reviewer}"
    return workbook


def _fill_rows(
    sheet: Worksheet, rows: Sequence[Mapping[str, str]], columns: Sequence[str], *, round_: int
) -> None:
    """The record rows: typed cells (never a formula), editable columns unlocked and coloured,
    row heights and column widths that fit the text."""
    widths = {col: _width(col, [col, *(row[col] for row in rows)]) for col in columns}
    unlocked = Protection(locked=False)
    for row_index, row in enumerate(rows, start=2):
        lines = 1
        for col_index, column in enumerate(columns, start=1):
            text = row[column]
            value: object = text
            if column == "year" and text.isdigit():
                value = int(text)
            elif column == "round":
                value = round_
            cell = sheet.cell(row=row_index, column=col_index, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text
            cell.alignment = _WRAP if column in _WRAPPED else _TOP
            if column in EDITABLE_COLUMNS:
                cell.protection = unlocked
                cell.fill = _EDIT_FILL
            elif column in ("reviewer", "round", "kind", "check"):
                cell.font = _GREY
            if column == "link" and text:
                cell.hyperlink = text
                cell.style = "Hyperlink"
                cell.alignment = _WRAP  # a long URL wraps in its cell, never spills over
            if column in _WRAPPED and text:
                lines = max(lines, math.ceil(len(text) * 1.1 / max(widths[column] - 1, 1)))
        sheet.row_dimensions[row_index].height = min(409, 15 * lines)
    for col_index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(col_index)].width = widths[column]


def _add_validations(
    workbook: Workbook,
    sheet: Worksheet,
    columns: Sequence[str],
    *,
    last: int,
    settings: ScreeningSettings,
) -> None:
    """Drop-down lists for the decision and (with a Lists tab) the exclusion reason."""
    decision_col = get_column_letter(columns.index("decision") + 1)
    decisions = DataValidation(
        type="list",
        formula1='"' + ",".join(str(d) for d in Decision) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Decision",
        error="Pick include, exclude or maybe.",
        promptTitle="Decision",
        prompt="include, exclude or maybe",
        showInputMessage=True,
    )
    decisions.add(f"{decision_col}2:{decision_col}{last}")
    sheet.add_data_validation(decisions)
    reason_range = _add_list_tab(workbook, settings.exclusion)
    if reason_range:
        reason_col = get_column_letter(columns.index("reason") + 1)
        reasons = DataValidation(
            type="list",
            formula1=reason_range,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Exclusion reason",
            error="Pick one of the exclusion reasons (see the Instructions tab).",
        )
        reasons.add(f"{reason_col}2:{reason_col}{last}")
        sheet.add_data_validation(reasons)


def _protect_and_lay_out(
    sheet: Worksheet, columns: Sequence[str], *, last: int, kind: RoundKind
) -> None:
    """Frozen panes, filter, protection (re-size, sort and filter allowed), printing, tab
    colour by kind of round."""
    # the header row and the id and title columns stay put while the rest scrolls
    sheet.freeze_panes = f"{get_column_letter(columns.index('title') + 2)}2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last}"
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = False  # False = allowed: re-size columns,
    protection.formatRows = False  # rows,
    protection.sort = False  # sort
    protection.autoFilter = False  # and filter
    sheet.page_setup.orientation = "landscape"  # printing: one page wide, header repeated
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    printed = get_column_letter(columns.index(PRINTED_LAST_COLUMN) + 1)
    sheet.print_area = f"A1:{printed}{last}"
    sheet.print_options.gridLines = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    if kind is RoundKind.RANDOM_SAMPLE:
        sheet.sheet_properties.tabColor = "F4B183"
    elif kind is RoundKind.CONFLICT_RESOLUTION:
        sheet.sheet_properties.tabColor = "9DC3E6"


def _fill_guide(guide: Worksheet, instructions: Iterable[tuple[str, bool]]) -> None:
    """The Instructions tab, one paragraph per row."""
    guide.column_dimensions["A"].width = _GUIDE_WIDTH
    guide.page_setup.fitToWidth = 1
    guide.page_setup.fitToHeight = 0
    guide.sheet_properties.pageSetUpPr.fitToPage = True
    for index, (text, bold) in enumerate(instructions, start=1):
        cell = guide.cell(row=index, column=1, value=escape_formula(text))
        cell.data_type = "s"
        cell.alignment = _WRAP
        if bold:
            cell.font = _BOLD
        lines = max(1, math.ceil(len(text) * 1.15 / _GUIDE_WIDTH))
        guide.row_dimensions[index].height = 15 * lines + 2
    guide.protection.sheet = True


def workbook_bytes(workbook: Workbook, *, modified: dt.datetime = EXPORT_TIME) -> bytes:
    """Serialise a workbook deterministically (fixed times in the properties and the zip)."""
    workbook.properties.created = EXPORT_TIME
    workbook.properties.modified = modified
    raw = io.BytesIO()
    ExcelWriter(workbook, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    return normalize_zip(raw.getvalue())


def normalize_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed entry times and attributes, keeping entry order and content."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def write_sheet(
    directory: Path,
    records: Sequence[SheetRecord],
    *,
    round_: int,
    reviewer: str,
    kind: RoundKind,
    settings: ScreeningSettings,
    plan: Sequence[PlanRow] = (),
    about: Mapping[str, str] | None = None,
    review_title: str = "",
    question: str = "",
) -> tuple[Path, Path]:
    """Write ``<reviewer>.xlsx`` and ``<reviewer>.csv`` into ``directory``; return both paths."""
    directory = Path(directory)
    workbook = build_workbook(
        records,
        round_=round_,
        reviewer=reviewer,
        kind=kind,
        settings=settings,
        plan=plan,
        about=about,
        review_title=review_title,
        question=question,
    )
    xlsx = directory / f"{reviewer}.xlsx"
    write_atomic(xlsx, workbook_bytes(workbook))
    columns = _columns_for(kind)
    rows = sheet_rows(records, round_=round_, reviewer=reviewer, kind=kind)
    csv_path = directory / f"{reviewer}.csv"
    write_atomic(csv_path, _csv_bytes(columns, rows, bom=True))
    return xlsx, csv_path


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------
def _header_name(value: object) -> str:
    text = "" if value is None else str(value)
    return "_".join(text.strip().lower().split())


def cell_text(value: Any) -> str:
    """The text of a cell as a spreadsheet program stored it (numbers without ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


#: Every column a sheet of any kind is exported with.
KNOWN_COLUMNS: frozenset[str] = frozenset({*SHEET_COLUMNS, CONTEXT_COLUMN})


def _check_columns(path: Path, columns: Sequence[str], headings: Sequence[str]) -> None:
    missing = [col for col in ESSENTIAL_COLUMNS if col not in columns]
    if missing:
        unknown = [
            f"{headings[i]!r} (column {get_column_letter(i + 1)})"
            for i, col in enumerate(columns)
            if col and col not in KNOWN_COLUMNS
        ]
        renamed = (
            f" The header row has {', '.join(unknown)}, which no exported sheet has: if that is "
            f"a renamed column, give it back its heading ({', '.join(missing)})."
            if unknown
            else ""
        )
        raise InputError(
            f"{path}: missing column(s) {', '.join(missing)} in the header row.{renamed} A "
            f"screening sheet needs {', '.join(ESSENTIAL_COLUMNS)}; otherwise start again from "
            "the exported sheet in results/screen/sheets/ (hiding or moving columns is fine, "
            "deleting or renaming them is not)."
        )
    repeated = sorted({col for col in columns if col and columns.count(col) > 1})
    if repeated:
        raise InputError(
            f"{path}: column(s) {', '.join(repeated)} appear twice in the header; keep one "
            "(move what you typed in the copy into 'note')"
        )


def _rows_from_table(
    path: Path, header: Sequence[object], body: Iterable[tuple[int, Sequence[object]]]
) -> tuple[tuple[str, ...], tuple[SheetRow, ...]]:
    """Rows by column name. Text under a heading no exported sheet has (a column a reviewer
    added or renamed), or under no heading at all, is kept in :attr:`SheetRow.extras`."""
    headings = [cell_text(h) for h in header]
    columns = tuple(_header_name(h) for h in header)
    while columns and not columns[-1]:
        columns = columns[:-1]
    _check_columns(path, columns, headings)
    labels = [headings[i] if i < len(columns) and columns[i] else "" for i in range(len(header))]
    rows: list[SheetRow] = []
    for number, values in body:
        texts = [cell_text(v) for v in values]
        if not any(texts):
            continue  # a stray empty row
        for index, text in enumerate(texts):
            if "\x00" in text:
                raise InputError(
                    f"{path}: row {number} column {get_column_letter(index + 1)} contains a NUL "
                    "character; this is not text a person typed. Start again from the exported "
                    "sheet, or save the file again as .xlsx or CSV (UTF-8)."
                )
        if len(rows) >= MAX_SHEET_ROWS:
            raise InputError(
                f"{path}: more than {MAX_SHEET_ROWS:,} filled rows; this is not a screening "
                "sheet exported by realist-review (a round has a few hundred rows at most)."
            )
        cells: dict[str, str] = {}
        extras: list[tuple[str, str]] = []
        for index, text in enumerate(texts):
            column = columns[index] if index < len(columns) else ""
            if column in KNOWN_COLUMNS:
                cells[column] = text
            elif text:
                label = labels[index] if index < len(labels) else ""
                extras.append((label or f"column {get_column_letter(index + 1)}", text))
        rows.append(SheetRow(row=number, cells=cells, extras=tuple(extras)))
    return columns, tuple(rows)


def _open_xlsx(path: Path, data: bytes) -> Any:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        hint = "an old .xls workbook" if data[:4] == b"\xd0\xcf\x11\xe0" else "not a workbook"
        raise InputError(
            f"{path}: not an Excel .xlsx file ({hint}). Open it in your spreadsheet program "
            "and save it as 'Excel Workbook (.xlsx)', or as CSV (UTF-8) with a .csv name."
        )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        names = {info.filename for info in infos}
        unzipped = sum(info.file_size for info in infos)
    if "xl/workbook.xml" not in names:
        kind = "an OpenDocument (.ods) file" if "content.xml" in names else "a zip archive"
        raise InputError(
            f"{path}: this is {kind}, not an Excel .xlsx workbook. "
            "Save it as 'Excel Workbook (.xlsx)' or as CSV (UTF-8)."
        )
    if unzipped > MAX_UNZIPPED_BYTES or len(infos) > 1000:
        raise InputError(
            f"{path}: the workbook unpacks to {unzipped:,} bytes in {len(infos)} parts, more "
            "than any screening sheet; it is not a sheet exported by realist-review."
        )
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise InputError(
            f"{path}: the workbook is damaged and cannot be read ({type(exc).__name__}: "
            f"{str(exc)[:120]}). Open and re-save it, or return it as CSV (UTF-8)."
        ) from None


def _table_of(worksheet: Any) -> tuple[list[object], list[tuple[int, Sequence[object]]]]:
    worksheet.reset_dimensions()
    header: list[object] = []
    body: list[tuple[int, Sequence[object]]] = []
    for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
        values = _trimmed(row)
        if len(values) > MAX_SHEET_COLUMNS:
            raise InputError(
                f"row {number} has a cell in column {get_column_letter(len(values))}, far to "
                f"the right of a screening sheet's {len(SHEET_COLUMNS) + 1} columns; move what "
                "it holds into the 'note' column (or delete it) and return the sheet"
            )
        if number == 1:
            header = list(values)
        elif values:
            body.append((number, values))
        if number > MAX_SHEET_ROWS * 5:
            raise InputError(
                f"more than {MAX_SHEET_ROWS * 5:,} rows (filled or formatted); this is not a "
                "screening sheet exported by realist-review"
            )
    return header, body


def _trimmed(values: Sequence[object]) -> tuple[object, ...]:
    """A row without its trailing empty cells (only what it holds is kept in memory)."""
    end = len(values)
    while end and values[end - 1] in (None, ""):
        end -= 1
    return tuple(values[:end])


def _looks_like_screening(worksheet: Any) -> bool:
    first = next(worksheet.iter_rows(max_row=1, values_only=True), ())
    return {"record_id", "decision"} <= {_header_name(v) for v in first}


def _has_decisions(worksheet: Any) -> bool:
    """True when a tab has text under its decision, reason or note headings."""
    rows = worksheet.iter_rows(values_only=True)
    header = [_header_name(v) for v in next(rows, ())]
    wanted = [i for i, name in enumerate(header) if name in EDITABLE_COLUMNS]
    for number, values in enumerate(rows, start=2):
        if number > MAX_SHEET_ROWS * 5:
            return True
        if any(i < len(values) and cell_text(values[i]) for i in wanted):
            return True
    return False


def _find_screening_tab(path: Path, workbook: Any) -> Any:
    """The tab holding the decisions: 'Screening', or the one tab that looks like it.

    Never a guess: a second tab with decisions beside 'Screening', or several candidate tabs
    when 'Screening' was renamed, are refused with both names.
    """
    bookkeeping = {INSTRUCTIONS_TAB, LISTS_TAB, PLAN_TAB, ABOUT_TAB}
    candidates = [
        ws
        for ws in workbook.worksheets
        if ws.title not in bookkeeping and _looks_like_screening(ws)
    ]
    if SCREENING_TAB in workbook.sheetnames:
        others = [ws.title for ws in candidates if ws.title != SCREENING_TAB]
        filled = [title for title in others if _has_decisions(workbook[title])]
        if filled:
            raise InputError(
                f"{path}: the tab{'s' if len(filled) > 1 else ''} "
                f"{', '.join(map(repr, filled))} also "
                f"{'have' if len(filled) > 1 else 'has'} decisions or notes beside the "
                f"'{SCREENING_TAB}' tab, and only '{SCREENING_TAB}' is read. Put every "
                f"decision in '{SCREENING_TAB}' and delete the other tab, then return the file."
            )
        return workbook[SCREENING_TAB]
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        raise InputError(
            f"{path}: no '{SCREENING_TAB}' tab, and {len(candidates)} tabs look like one "
            f"({', '.join(repr(ws.title) for ws in candidates)}). Keep the decisions in one "
            f"tab named '{SCREENING_TAB}' and delete the others."
        )
    raise InputError(
        f"{path}: no '{SCREENING_TAB}' tab and no tab whose first row has record_id and "
        "decision columns. Start again from the exported sheet in results/screen/sheets/."
    )


def _hidden_table(workbook: Any, name: str) -> list[dict[str, str]] | None:
    if name not in workbook.sheetnames:
        return None
    rows = list(workbook[name].iter_rows(values_only=True))
    if not rows:
        return []
    header = [cell_text(v) for v in rows[0]]
    return [
        {h: cell_text(v) for h, v in zip(header, values, strict=False) if h}
        for values in rows[1:]
        if any(v not in (None, "") for v in values)
    ]


def _timestamp(workbook: Any) -> str:
    modified = workbook.properties.modified
    if not isinstance(modified, dt.datetime) or modified.replace(tzinfo=None) <= EXPORT_TIME:
        return ""
    if modified.tzinfo is not None:
        modified = modified.astimezone(dt.UTC).replace(tzinfo=None)
    return modified.replace(microsecond=0).isoformat() + "Z"


def _damaged(path: Path, exc: BaseException) -> InputError:
    return InputError(
        f"{path}: the workbook is damaged and cannot be read ({type(exc).__name__}: "
        f"{str(exc)[:120]}). Open and re-save it, or return it as CSV (UTF-8)."
    )


def _read_xlsx(path: Path, data: bytes, digest: str) -> FilledSheet:
    workbook = _open_xlsx(path, data)
    # openpyxl parses a read-only workbook lazily: a damaged part fails only when read
    try:
        try:
            header, body = _table_of(_find_screening_tab(path, workbook))
        except InputError as exc:
            if str(exc).startswith(str(path)):
                raise
            raise InputError(f"{path}: {exc}") from None
        columns, rows = _rows_from_table(path, header, body)
        plan_cells = _hidden_table(workbook, PLAN_TAB)
        about_cells = _hidden_table(workbook, ABOUT_TAB) or []
        timestamp = _timestamp(workbook)
    except InputError:
        raise
    except Exception as exc:  # any parser error of an untrusted file
        raise _damaged(path, exc) from None
    finally:
        with contextlib.suppress(Exception):  # closing a damaged archive
            workbook.close()
    plan = None
    if plan_cells:
        plan = parse_plan_rows(plan_cells, where=f"{path} (hidden tab '{PLAN_TAB}')")
    about = {row.get("key", ""): row.get("value", "") for row in about_cells if row.get("key")}
    return FilledSheet(
        path=path,
        sha256=digest,
        columns=columns,
        rows=rows,
        plan=plan,
        about=about,
        timestamp=timestamp,
    )


def _read_csv(path: Path, data: bytes, digest: str) -> FilledSheet:
    if data[:2] == b"PK":
        raise InputError(
            f"{path}: this is a workbook (.xlsx) saved with a .csv name; rename it to .xlsx"
        )
    text = _sheet_text(path, data)
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    try:
        table = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(f"{path}: not a readable CSV file ({exc})") from None
    if not table:
        raise InputError(f"{path}: the file is empty; return the filled sheet")
    body = [(number, values) for number, values in enumerate(table[1:], start=2)]
    columns, rows = _rows_from_table(path, table[0], body)
    return FilledSheet(path=path, sha256=digest, columns=columns, rows=rows)


def _sheet_text(path: Path, data: bytes) -> str:
    """A CSV sheet's text; the advice is for a reviewer's spreadsheet program (never the
    database-export advice of :func:`~realist_review.tables.decode_text`)."""
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise InputError(
            f"{path}: line {line} contains NUL bytes (a binary or UTF-16 file, not a CSV sheet). "
            "In your spreadsheet program save it as 'CSV UTF-8', or return the .xlsx."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{path}: line {line} (byte {exc.start}) is not valid UTF-8 text. In your "
            "spreadsheet program save the sheet as 'CSV UTF-8 (comma delimited)', or return "
            "the .xlsx file instead."
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_sheet_text(path: Path) -> None:
    """Refuse a CSV file of the screening folder (a sheet or a plan) that is too large or not
    UTF-8 text, with advice for a reviewer's spreadsheet program."""
    path = Path(path)
    _check_size(path, MAX_SHEET_BYTES)
    _sheet_text(path, read_bytes(path, max_bytes=MAX_SHEET_BYTES))


def _check_size(path: Path, max_bytes: int) -> None:
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(
            f"{path}: {size:,} bytes is larger than the limit of {max_bytes:,} bytes for a "
            "screening sheet (a 50-record sheet is about 40 kB). Is this the right file? "
            "Return the sheet exported by realist-review, saved as .xlsx or CSV (UTF-8)."
        )


def read_sheet(path: Path, *, max_bytes: int | None = None) -> FilledSheet:
    """Read a filled sheet (``.xlsx`` or ``.csv``); bad files raise :class:`InputError`.

    ``max_bytes`` defaults to :data:`MAX_SHEET_BYTES`.
    """
    path = Path(path)
    max_bytes = MAX_SHEET_BYTES if max_bytes is None else max_bytes
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise InputError(
            f"{path}: screening sheets are .xlsx or .csv files; save it in one of those formats"
        )
    _check_size(path, max_bytes)
    data = read_bytes(path, max_bytes=max_bytes)
    if not data:
        raise InputError(f"{path}: the file is empty; return the filled sheet")
    digest = sha256_bytes(data)
    if suffix == ".xlsx":
        return _read_xlsx(path, data, digest)
    return _read_csv(path, data, digest)
