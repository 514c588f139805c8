"""Reading the tables the PRISMA stage needs, with clear messages for bad files.

Every table is read with :func:`realist_review.tables.read_table` against its schema in
``workflow/schemas/``, keeping only the columns this stage uses:

===========================  ================================================================
table                        columns read
===========================  ================================================================
search log                   ``search_id, database, prisma_group, other_method,
                             records_retrieved, status`` (schema ``search_log``)
record table                 ``record_id, origin`` (schema ``record``)
dedup groups                 ``record_id, group_id`` (schema ``dedup_groups``)
dedup merged records         ``record_id, study_id`` (schema ``merged_record``; optional)
screening status             ``record_id, status`` (schema ``screen_status``)
screening progress           ``round, screened, includes, estimated_recall, p_value,
                             stop_target`` and optionally ``stop_confidence``, ``stopped``
                             (schema ``screen_progress``)
full text                    ``record_id, sought, retrieved, assessed, decision, reason``
                             (provisional: no stage writes it yet and it has no schema; see
                             :func:`read_fulltext_rows`)
===========================  ================================================================
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from realist_review.errors import InputError
from realist_review.prisma.derive import origins_from_records
from realist_review.prisma.layout import StoppingEstimate
from realist_review.tables import read_table

__all__ = [
    "FULLTEXT_COLUMNS",
    "PROGRESS_COLUMNS",
    "ProgressRow",
    "latest_estimate",
    "read_fulltext_rows",
    "read_progress",
    "read_rows",
]

PROGRESS_COLUMNS = ("round", "screened", "includes", "estimated_recall", "p_value", "stop_target")
FULLTEXT_COLUMNS = ("record_id", "sought", "retrieved", "assessed", "decision", "reason")
COLUMNS_READ = {
    "search_log": (
        "search_id", "database", "prisma_group", "other_method", "records_retrieved", "status",
    ),
    "record": ("record_id", "origin"),
    "dedup_groups": ("record_id", "group_id"),
    "merged_record": ("record_id", "study_id"),
    "screen_status": ("record_id", "status"),
    "screen_progress": (*PROGRESS_COLUMNS, "stop_confidence", "stopped"),
}  # fmt: skip


def read_rows(path: Path, schema: str) -> list[dict[str, str]]:
    """The columns PRISMA uses (:data:`COLUMNS_READ`) of table ``path``, checked against
    ``workflow/schemas/<schema>.schema.json``."""
    return read_table(Path(path), schema, columns=COLUMNS_READ[schema])


def read_fulltext_rows(path: Path) -> list[dict[str, str]]:
    """The full-text flow (schema ``prisma_fulltext``: ``results/fulltext/prisma.csv``)."""
    return read_table(Path(path), "prisma_fulltext")


def read_record_origins(path: Path) -> dict[str, tuple[str, ...]]:
    """``record_id`` -> search ids, from the record table's ``origin`` column."""
    return origins_from_records(read_rows(path, "record"))


def read_study_ids(path: Path) -> dict[str, str]:
    """Deduplicated record -> study id, from dedup's merged ``records.csv``."""
    return {
        row["record_id"]: row["study_id"] or row["record_id"]
        for row in read_rows(path, "merged_record")
    }


@dataclass(frozen=True)
class ProgressRow:
    """One round of ``results/screen/progress.csv``, as the diagram and the plot use it."""

    round: int
    screened: int
    includes: int
    estimated_recall: float | None  # recall lower bound at ``confidence``
    confidence: float | None  # the confidence level of that bound (``stop_confidence``)
    recall_target: float | None = None
    p_value: float | None = None
    stopped: str = ""  # "", "target_reached" or "before_target" (``screening.stop``)


def _number(path: Path, line: int, column: str, cell: str, *, integer: bool) -> float | None:
    cell = cell.strip()
    if not cell:
        if integer:
            raise InputError(f"{path}: line {line}, column {column!r} is empty")
        return None
    try:
        value = int(cell) if integer else float(cell)
    except ValueError:
        kind = "a whole number" if integer else "a number"
        raise InputError(
            f"{path}: line {line}, column {column!r}: {cell!r} is not {kind}"
        ) from None
    if value < 0 or (not integer and value > 1):
        raise InputError(f"{path}: line {line}, column {column!r}: {cell!r} is out of range")
    return value


def read_progress(path: Path) -> list[ProgressRow]:
    """Rounds of the screening progress table (schema ``screen_progress``), in round order.

    ``estimated_recall``, ``p_value``, ``stop_target`` and ``stop_confidence`` are proportions
    (0-1) and may be empty in rounds before the stopping rule has an estimate.
    ``estimated_recall`` is a lower bound: recall is at least that with ``stop_confidence``
    confidence (95% when the column is absent); ``p_value`` is the stopping test's p-value for
    "recall is below the target" (never a confidence in the estimate).
    """
    path = Path(path)
    rows = []
    for line, row in enumerate(read_rows(path, "screen_progress"), start=2):
        rows.append(
            ProgressRow(
                round=int(_number(path, line, "round", row["round"], integer=True) or 0),
                screened=int(_number(path, line, "screened", row["screened"], integer=True) or 0),
                includes=int(_number(path, line, "includes", row["includes"], integer=True) or 0),
                estimated_recall=_number(
                    path, line, "estimated_recall", row["estimated_recall"], integer=False
                ),
                confidence=_number(
                    path,
                    line,
                    "stop_confidence",
                    row.get("stop_confidence") or "0.95",
                    integer=False,
                ),
                recall_target=_number(
                    path, line, "stop_target", row.get("stop_target", ""), integer=False
                ),
                p_value=_number(path, line, "p_value", row["p_value"], integer=False),
                stopped=(row.get("stopped") or "").strip(),
            )
        )
    rows.sort(key=lambda r: r.round)
    for before, after in itertools.pairwise(rows):
        if after.round == before.round:
            raise InputError(f"{path}: round {after.round} appears twice")
        if after.screened < before.screened or after.includes < before.includes:
            raise InputError(
                f"{path}: round {after.round} has fewer records screened or included than "
                f"round {before.round}; the columns are cumulative"
            )
    return rows


def latest_estimate(rows: Sequence[ProgressRow]) -> StoppingEstimate | None:
    """The stopping rule's estimate of the latest round that has one (None when none has)."""
    for row in reversed(rows):
        if row.estimated_recall is not None and row.confidence is not None:
            return StoppingEstimate(
                round=row.round,
                screened=row.screened,
                includes=row.includes,
                estimated_recall=row.estimated_recall,
                confidence=row.confidence,
                recall_target=row.recall_target,
                p_value=row.p_value,
                stopped=row.stopped,
            )
    return None
