"""People's decisions on pairs: the review sheet out, the decisions file in.

The stage writes the borderline pairs (close, but not linked by a rule; or linked but refused
by clustering) to a sheet for a person: an ``.xlsx`` workbook with a same/different drop-down,
and the same rows as CSV for teams on other spreadsheet programs. Every cell from a record is
escaped against formula injection.

Decisions live under ``config/dedup/`` (``decisions.csv``, schema ``dedup_decisions``; a
filled review sheet saved there is read too) and are applied by every later run: "same" joins
two records, "different" keeps them apart whatever the rules say. A decision naming a record
that is no longer in the input is reported (log and audit trail), never silently ignored.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from realist_review.errors import InputError
from realist_review.tables import (
    escape_formula,
    read_bytes,
    read_text,
    read_xlsx_rows,
    write_atomic,
)

log = logging.getLogger(__name__)

DECISIONS = ("same", "different")
#: Columns of the review sheet (CSV and xlsx), in order.
SHEET_COLUMNS: tuple[str, ...] = (
    "record_id_a", "record_id_b", "decision", "reviewer", "note",
    "current", "rule", "why", "title_score", "author_score",
    "title_a", "title_b", "authors_a", "authors_b", "year_a", "year_b",
    "journal_a", "journal_b", "volume_a", "volume_b", "pages_a", "pages_b",
    "doi_a", "doi_b",
)  # fmt: skip
DECISION_COLUMNS: tuple[str, ...] = ("record_id_a", "record_id_b", "decision", "reviewer", "note")
MAX_SHEET_ROWS = 20_000


@dataclass(frozen=True)
class PairDecision:
    """One person's decision about one pair, and where it was written."""

    record_id_a: str
    record_id_b: str
    decision: str
    reviewer: str
    note: str
    where: str

    @property
    def key(self) -> tuple[str, str]:
        """The pair, smaller id first."""
        return (min(self.record_id_a, self.record_id_b), max(self.record_id_a, self.record_id_b))


def _rows_from_xlsx(path: Path) -> list[dict[str, str]]:
    from openpyxl import load_workbook

    data = read_bytes(path)  # size check
    try:
        names = load_workbook(io.BytesIO(data), read_only=True).sheetnames
    except Exception as exc:  # openpyxl raises many types for broken files
        raise InputError(f"{path}: not a readable .xlsx workbook ({type(exc).__name__}).") from None
    cells = read_xlsx_rows(path, data, sheet="pairs" if "pairs" in names else None)
    header = [c.strip() for c in (cells[0] if cells else [])]
    return [{header[i]: v.strip() for i, v in enumerate(r) if i < len(header)} for r in cells[1:]]


def _rows_from_csv(path: Path) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(read_text(path)))
    return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader]


def read_decisions(path: Path | None) -> list[PairDecision]:
    """Read decisions from a ``.csv``/``.xlsx`` file, or every such file in a folder.

    Rows with an empty decision are skipped (an unfilled review sheet). Bad values stop with
    the file and line; the same pair decided both ways stops too, naming both places.
    """
    if path is None:
        return []
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in {".csv", ".xlsx"})
    elif path.exists():
        files = [path]
    else:
        log.info("no decisions file at %s: no pair decided by a person yet", path)
        return []
    decisions: list[PairDecision] = []
    for file in files:
        rows = _rows_from_xlsx(file) if file.suffix.lower() == ".xlsx" else _rows_from_csv(file)
        if rows and not {"record_id_a", "record_id_b", "decision"} <= set(rows[0]):
            raise InputError(
                f"{file}: a decisions file needs the columns record_id_a, record_id_b, "
                "decision (and optionally reviewer, note)."
            )
        for line, row in enumerate(rows, start=2):
            decision = row.get("decision", "").strip().lower()
            if not decision:
                continue
            a, b = row.get("record_id_a", "").strip(), row.get("record_id_b", "").strip()
            where = f"{file}, line {line}"
            if decision not in DECISIONS:
                raise InputError(f"{where}: decision {decision!r} is not 'same' or 'different'.")
            if not a or not b or a == b:
                raise InputError(f"{where}: give two different record ids (got {a!r}, {b!r}).")
            decisions.append(
                PairDecision(a, b, decision, row.get("reviewer", ""), row.get("note", ""), where)
            )
    check_consistent(decisions)
    return decisions


def check_consistent(decisions: Sequence[PairDecision]) -> None:
    """Stop when one pair is decided both "same" and "different"."""
    first: dict[tuple[str, str], PairDecision] = {}
    for decision in decisions:
        seen = first.setdefault(decision.key, decision)
        if seen.decision != decision.decision:
            raise InputError(
                f"{decision.where}: pair {decision.key[0]} / {decision.key[1]} is "
                f"{decision.decision!r} here but {seen.decision!r} at {seen.where}. "
                "Keep one decision for the pair."
            )


def write_review_sheet(path: Path, rows: Sequence[Mapping[str, object]]) -> Path:
    """Write the borderline pairs as ``path`` (.xlsx) and the same rows beside it as .csv.

    Returns the CSV path. ``rows`` carry :data:`SHEET_COLUMNS`; cells are escaped.
    """
    path = Path(path)
    clean = [
        {col: escape_formula(row.get(col, "")) for col in SHEET_COLUMNS}
        for row in rows[:MAX_SHEET_ROWS]
    ]
    if len(rows) > MAX_SHEET_ROWS:
        log.warning("review sheet: %d pairs, only the first %d written", len(rows), MAX_SHEET_ROWS)
    csv_path = path.with_suffix(".csv")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(SHEET_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(clean)
    write_atomic(csv_path, buffer.getvalue().encode("utf-8"))
    if path.suffix.lower() == ".xlsx":
        _write_xlsx(path, clean)
    return csv_path


def _write_xlsx(path: Path, rows: Iterable[Mapping[str, str]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "pairs"
    sheet.append(list(SHEET_COLUMNS))
    count = 0
    for row in rows:
        sheet.append([row[col] for col in SHEET_COLUMNS])
        count += 1
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    sheet.freeze_panes = "C2"
    widths = {"title_a": 60, "title_b": 60, "authors_a": 30, "authors_b": 30, "why": 40}
    for index, col in enumerate(SHEET_COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = widths.get(col, 14)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            cell.alignment = wrap
    decision_col = sheet.cell(row=1, column=SHEET_COLUMNS.index("decision") + 1).column_letter
    validation = DataValidation(
        type="list",
        formula1='"same,different"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="same or different",
        error="Choose 'same' or 'different' (or leave empty to decide later).",
    )
    sheet.add_data_validation(validation)
    validation.add(f"{decision_col}2:{decision_col}{max(count + 1, 2)}")
    fill = PatternFill("solid", fgColor="FFF2CC")
    for r in range(2, count + 2):
        sheet[f"{decision_col}{r}"].fill = fill
    notes = book.create_sheet("instructions")
    for line in (
        ["How to use this sheet"],
        ["Each row is a pair of records the deduplication could not settle on its own."],
        ["Choose 'same' (one work: merge) or 'different' (keep apart) in the decision column;"],
        ["leave it empty to decide later. Add your name in 'reviewer' and a note if useful."],
        ["Save the file under config/dedup/ (or copy the rows into config/dedup/decisions.csv)."],
        ["Every later run applies these decisions; nothing else in the sheet is read."],
    ):
        notes.append(line)
    notes.column_dimensions["A"].width = 100
    # Fixed times in the document properties and the zip entries: the same pairs, the same bytes.
    from realist_review.screen.sheets import workbook_bytes

    write_atomic(path, workbook_bytes(book))
