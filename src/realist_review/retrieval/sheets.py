"""The sheets people use: confirming fuzzy matches, and requesting what was not retrieved.

Both are written deterministically (fixed workbook times, as the screening sheets), every text
cell stored as a string and escaped, so that nothing a source or a PDF says can become a
formula. Look: bold grey header, frozen first row, wrapped long columns, yellow editable
cells with drop-down choices, an Instructions tab.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from realist_review.formats.ris import write_ris
from realist_review.records import row_to_record
from realist_review.screen.sheets import (
    _BOLD,
    _EDIT_FILL,
    _HEADER_FILL,
    _TOP,
    _WRAP,
    workbook_bytes,
)
from realist_review.tables import escape_formula, write_atomic

CONFIRM_COLUMNS = (
    "file", "sha256", "record_id", "title", "first_author", "year", "score",
    "author_found", "decision", "reviewer", "note",
)  # fmt: skip
REQUEST_COLUMNS = (
    "record_id", "authors", "title", "journal", "year", "volume", "issue", "pages", "doi",
    "pmid", "issn", "isbn", "publisher", "reason", "requested_on", "request_status", "note",
)  # fmt: skip
_EDITABLE = {"decision", "reviewer", "note", "requested_on", "request_status"}
_WIDE = {"title": 60, "file": 40, "authors": 36, "reason": 50, "journal": 30, "note": 30}
_INSTRUCTIONS_CONFIRM = (
    "Confirm which record a full text under config/fulltext/ belongs to.",
    "Each row is a file whose name carries no identifier; its first page fits the record shown "
    "(title similarity 0-100, and whether the first author's name was found).",
    "Open the file, then choose yes (it is this record's full text) or no in 'decision', and "
    "put your name in 'reviewer'. Leave 'decision' empty to decide later.",
    "Save the filled sheet under config/fulltext/confirmations/ (any file name). The next run "
    "uses every 'yes'; nothing is ever accepted without one.",
    "Quicker for the future: rename the file to the record id, DOI (with / written as _) or "
    "PMID it belongs to.",
)
_INSTRUCTIONS_REQUEST = (
    "Full texts the pipeline could not retrieve, for a library (inter-library loan) request.",
    "The same records are in not_retrieved.ris for a reference manager or a library system.",
    "Note the date you asked in 'requested_on' and the answer in 'request_status'; when a file "
    "arrives, save it under config/fulltext/ named by its record id (e.g. rec-0123456789ab.pdf)"
    " and run the pipeline again.",
)


def _write_book(
    path: Path,
    *,
    title: str,
    tab: str,
    columns: Sequence[str],
    rows: Sequence[Mapping[str, str]],
    instructions: Sequence[str],
    choices: Mapping[str, Sequence[str]],
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = tab
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.alignment = _TOP
    for row_index, row in enumerate(rows, start=2):
        for col_index, column in enumerate(columns, start=1):
            cell = sheet.cell(
                row=row_index, column=col_index, value=escape_formula(row.get(column, ""))
            )
            cell.data_type = "s"  # never a formula, whatever the text
            cell.alignment = _WRAP if column in _WIDE else _TOP
            if column in _EDITABLE:
                cell.fill = _EDIT_FILL
    for col_index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(col_index)].width = _WIDE.get(column, 16)
    last = max(len(rows) + 1, 2)
    for column, options in choices.items():
        letter = get_column_letter(list(columns).index(column) + 1)
        validation = DataValidation(
            type="list",
            formula1='"' + ",".join(options) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=column,
            error=f"Choose one of: {', '.join(options)}.",
        )
        validation.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(validation)
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last}"
    guide = book.create_sheet("Instructions")
    guide.column_dimensions["A"].width = 110
    for index, text in enumerate(instructions, start=1):
        cell = guide.cell(row=index, column=1, value=text)
        cell.alignment = _WRAP
        if index == 1:
            cell.font = _BOLD
    book.active = 0
    book.properties.creator = "realist-review"
    book.properties.title = title
    write_atomic(path, workbook_bytes(book))


def write_confirmation_sheet(path: Path, rows: Sequence[Mapping[str, str]]) -> None:
    """The sheet of fuzzy matches awaiting a person's yes or no (rows with CONFIRM_COLUMNS)."""
    _write_book(
        Path(path),
        title="Full texts: confirm matches",
        tab="Confirm",
        columns=CONFIRM_COLUMNS,
        rows=rows,
        instructions=_INSTRUCTIONS_CONFIRM,
        choices={"decision": ("yes", "no")},
    )


def request_rows(
    records: Sequence[Mapping[str, str]], reasons: Mapping[str, str]
) -> list[dict[str, str]]:
    """Rows of the request sheet: the records' citation fields and why they are missing."""
    rows = []
    for row in records:
        rows.append(
            {
                **{col: row.get(col, "") for col in REQUEST_COLUMNS},
                "reason": reasons.get(row["record_id"], ""),
                "requested_on": "",
                "request_status": "",
                "note": "",
            }
        )
    return rows


def write_request_sheet(path: Path, rows: Sequence[Mapping[str, str]]) -> None:
    """The library request sheet (one row per record not retrieved)."""
    _write_book(
        Path(path),
        title="Full texts to request",
        tab="Requests",
        columns=REQUEST_COLUMNS,
        rows=rows,
        instructions=_INSTRUCTIONS_REQUEST,
        choices={"request_status": ("requested", "received", "unavailable")},
    )


def write_request_ris(path: Path, records: Sequence[Mapping[str, str]]) -> None:
    """The records not retrieved as RIS; ``ID`` is the record id (to name the file on arrival)."""
    converted = [replace(row_to_record(row), source_id=row["record_id"]) for row in records]
    write_atomic(Path(path), write_ris(converted).encode("utf-8"))
