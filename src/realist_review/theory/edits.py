"""The reviewers' statement sheet: edit the wording, merge, split or drop statements.

The pipeline writes ``statements.xlsx`` (one row per candidate statement, the evidence beside
it); reviewers fill ``action`` and return it as ``config/theory/<version>.xlsx`` (or ``.csv``).
Actions:

- ``keep`` (or blank): the statement stays as generated;
- ``edit``: the ``statement`` cell is the new wording;
- ``drop``: the statement is not part of the theory;
- ``merge``: its evidence joins the statement named in ``merge_into`` (same theory area);
- ``split``: a further row with this ``statement_id`` and the ``cmoc_ids`` to move makes a new
  statement worded by its ``statement`` cell; the original keeps the rest.

Every problem names the file and row and says what to change; nothing a reviewer wrote is
dropped silently (a row whose statement no longer exists is an error, not ignored).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from realist_review.errors import InputError
from realist_review.screen.sheets import workbook_bytes
from realist_review.tables import (
    decode_text,
    escape_formula,
    read_bytes,
    read_xlsx_rows,
    write_atomic,
)
from realist_review.theory.statements import Statement, Theory, _new_id

COLUMNS = (
    "statement_id", "theory_area", "action", "statement", "merge_into", "cmoc_ids",
    "supporting", "refuting", "refining", "sources", "notes",
)  # fmt: skip
ACTIONS = ("keep", "edit", "drop", "merge", "split")
EDITABLE = ("action", "statement", "merge_into", "cmoc_ids", "notes")
#: Largest returned sheet (rows); a programme theory has tens of statements.
MAX_ROWS = 5000


def sheet_rows(theory: Theory) -> list[dict[str, str]]:
    """One row per statement, ready for the sheet."""
    return [
        {
            "statement_id": s.id,
            "theory_area": s.theory_area,
            "action": "keep",
            "statement": s.text,
            "merge_into": "",
            "cmoc_ids": "; ".join(s.cmoc_ids),
            "supporting": str(s.count("supports")),
            "refuting": str(s.count("refutes")),
            "refining": str(s.count("refines")),
            "sources": "; ".join(s.sources),
            "notes": s.notes,
        }
        for s in theory.statements
    ]


def write_statement_sheet(theory: Theory, path: Path) -> None:
    """The sheet reviewers edit (deterministic bytes, formula-safe cells, action drop-down)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "statements"
    sheet.append(list(COLUMNS))
    for row in sheet_rows(theory):
        sheet.append([escape_formula(row[c]) for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = {"statement": 90, "cmoc_ids": 30, "sources": 30, "notes": 40, "merge_into": 16}
    for index, column in enumerate(COLUMNS, 1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = widths.get(column, 14)
        if column == "statement":
            for cell in sheet[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    actions = DataValidation(type="list", formula1='"' + ",".join(ACTIONS) + '"', allow_blank=True)
    sheet.add_data_validation(actions)
    actions.add(f"C2:C{max(2, sheet.max_row + 50)}")
    sheet.freeze_panes = "D2"
    write_atomic(Path(path), workbook_bytes(workbook))


def read_statement_sheet(path: Path) -> list[dict[str, str]]:
    """Rows of a returned sheet (xlsx or csv); columns checked by name."""
    path = Path(path)
    data = read_bytes(path, max_bytes=20 * 1024 * 1024)
    if path.suffix.lower() == ".csv":
        rows = list(csv.reader(io.StringIO(decode_text(data, path=path))))
    else:
        rows = read_xlsx_rows(path, data, sheet="statements", max_rows=MAX_ROWS)
    if not rows:
        raise InputError(f"{path}: empty sheet")
    header = [h.strip() for h in rows[0]]
    missing = [c for c in ("statement_id", "action", "statement") if c not in header]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)}; keep the header row")
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise InputError(
            f"{path}: unknown column(s) {', '.join(map(repr, unknown))}; write remarks in "
            "'notes' instead (an added column would be lost)"
        )
    out = []
    for cells in rows[1:]:
        row = {h: (cells[i] if i < len(cells) else "").strip() for i, h in enumerate(header) if h}
        if any(row.values()):
            out.append({c: row.get(c, "") for c in COLUMNS})
    return out


def _ids(cell: str) -> list[str]:
    return [part.strip() for part in cell.replace(",", ";").split(";") if part.strip()]


def apply_edits(theory: Theory, rows: Sequence[Mapping[str, str]], *, path: Path | str) -> Theory:
    """The theory after the reviewers' actions; any inconsistency is one clear error."""
    statements = theory.by_id()
    problems: list[str] = []
    actions: dict[str, Mapping[str, str]] = {}
    splits: list[tuple[int, Mapping[str, str]]] = []
    for line, row in enumerate(rows, 2):
        ident, action = row.get("statement_id", ""), (row.get("action") or "keep").lower()
        if ident not in statements:
            problems.append(
                f"row {line}: statement {ident!r} is not in this version; keep the ids as sent"
            )
            continue
        if action not in ACTIONS:
            problems.append(f"row {line}: action {action!r} is not one of {', '.join(ACTIONS)}")
            continue
        if action == "split":
            splits.append((line, row))
        elif ident in actions:
            problems.append(f"row {line}: statement {ident} has two rows; only split adds rows")
        else:
            actions[ident] = {**row, "action": action, "line": str(line)}
    result: dict[str, Statement] = dict(statements)
    for ident, row in actions.items():
        at, action = row["line"], row["action"]
        if action in ("edit", "split") and not row.get("statement"):
            problems.append(f"row {at}: give the new wording in 'statement'")
        elif action == "edit":
            result[ident] = replace(result[ident], text=row["statement"], edited=True)
        if row.get("notes"):
            result[ident] = replace(result[ident], notes=row["notes"])
    for ident, row in actions.items():
        at = row["line"]
        if row["action"] == "drop":
            result.pop(ident, None)
        elif row["action"] == "merge":
            target = row.get("merge_into", "")
            if target not in statements or target == ident:
                problems.append(f"row {at}: merge_into must name another statement's id")
            elif actions.get(target, {}).get("action") in ("drop", "merge"):
                problems.append(f"row {at}: cannot merge into {target}, which is dropped/merged")
            elif statements[target].theory_area != statements[ident].theory_area:
                problems.append(f"row {at}: {target} is in another theory area; merge within one")
            else:
                into = result[target]
                result[target] = replace(into, evidence=into.evidence + statements[ident].evidence)
                result.pop(ident, None)
    taken = set(statements)
    for line, row in splits:
        ident = row["statement_id"]
        if ident not in result:
            problems.append(f"row {line}: {ident} is dropped or merged; it cannot also be split")
            continue
        moved = set(_ids(row.get("cmoc_ids", "")))
        original = result[ident]
        unknown = sorted(moved - set(original.cmoc_ids))
        if not moved or unknown:
            problems.append(
                f"row {line}: list in 'cmoc_ids' the configurations of {ident} to move "
                + (f"({', '.join(unknown)} are not among them)" if unknown else "")
            )
            continue
        if moved == set(original.cmoc_ids):
            problems.append(f"row {line}: a split must leave {ident} at least one configuration")
            continue
        if not row.get("statement"):
            problems.append(f"row {line}: give the new statement's wording in 'statement'")
            continue
        keep = tuple(e for e in original.evidence if e.cmoc_id not in moved)
        move = tuple(e for e in original.evidence if e.cmoc_id in moved)
        new_id = _new_id("pt", original.theory_area, min(moved), taken)
        taken.add(new_id)
        result[ident] = replace(original, evidence=keep)
        result[new_id] = replace(
            original, id=new_id, text=row["statement"], evidence=move, edited=True, notes=""
        )
    if problems:
        raise InputError(f"{path}: {len(problems)} problem(s):\n  - " + "\n  - ".join(problems))
    order = {s.id: i for i, s in enumerate(theory.statements)}
    kept = sorted(result.values(), key=lambda s: (order.get(s.id, len(order)), s.id))
    return replace(theory, statements=tuple(kept))
