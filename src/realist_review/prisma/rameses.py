"""RAMESES publication standards for realist syntheses: which items the outputs already cover.

The 19 items are those of Wong G, Greenhalgh T, Westhorp G, Buckingham J, Pawson R. *RAMESES
publication standards: realist syntheses*. BMC Medicine 2013;11:21 (doi:10.1186/1741-7015-11-21).
(RAMESES II, Wong et al. 2016, is the companion standard for realist *evaluations*; a realist
review reports against the 2013 synthesis standards.)

:func:`rameses_checklist` takes the outputs that exist (output key -> path) and says, item by
item, whether the pipeline's outputs cover it, partly cover it, will cover it once a later
stage exists, or whether only the authors can write it. The table goes into the HTML report
(CSV and a small standalone HTML table).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from html import escape
from pathlib import Path

from realist_review.tables import escape_formula, write_atomic

__all__ = [
    "OUTPUTS",
    "RAMESES_ITEMS",
    "ChecklistRow",
    "Coverage",
    "RamesesItem",
    "checklist_html",
    "rameses_checklist",
    "write_rameses_checklist",
]

#: Outputs that can cover an item: key -> what it is (the report shows the path given).
OUTPUTS: dict[str, str] = {
    "config": "review configuration (title, question, sources, limits, criteria)",
    "search_log": "PRISMA-S search log",
    "dedup_summary": "deduplication summary and audit trail",
    "screening_decisions": "screening decision log (two reviewers, conflicts resolved by a third)",
    "agreement": "agreement table (Cohen's kappa, raw agreement)",
    "screening_progress": "screening progress and stopping estimate",
    "prisma_diagram": "PRISMA 2020 flow diagram",
    "prisma_counts": "PRISMA 2020 counts",
    "records": "characteristics of the included documents (type, design, setting, population)",
    "fulltext": "full-text eligibility table (later stage)",
    "extraction": "confirmed CMO table (reviewers confirmed, with quotes and sources)",
    "programme_theory": "initial programme theory (statements, evidence, diagram, versions)",
}


class Coverage(StrEnum):
    """How far the pipeline's outputs cover an item."""

    COVERED = "covered"
    PARTLY = "partly covered"
    NOT_YET = "not yet (a later stage)"
    AUTHORS = "authors"


@dataclass(frozen=True)
class RamesesItem:
    """One reporting item; ``outputs`` are the keys of :data:`OUTPUTS` that speak to it."""

    number: int
    section: str
    title: str
    outputs: tuple[str, ...] = ()
    complete: bool = False  # True when the outputs cover the whole item
    note: str = ""


RAMESES_ITEMS: tuple[RamesesItem, ...] = (
    RamesesItem(1, "Title", "Title", ("config",),
                note="Review title from the config; the title should say it is a realist "
                "synthesis."),
    RamesesItem(2, "Abstract", "Abstract", note="Written by the authors."),
    RamesesItem(3, "Introduction", "Rationale for review", note="Written by the authors."),
    RamesesItem(4, "Introduction", "Objectives and focus of review", ("config",),
                note="Review question from the config; the authors state the focus."),
    RamesesItem(5, "Methods", "Changes in the review process",
                ("search_log", "screening_decisions"),
                note="Superseded queries stay in the search log and every decision in the "
                "append-only decision log; the authors explain why the review changed."),
    RamesesItem(6, "Methods", "Rationale for using realist synthesis",
                note="Written by the authors."),
    RamesesItem(7, "Methods", "Scoping the literature", ("programme_theory",),
                note="The initial programme theory stage will record the scoping sources."),
    RamesesItem(8, "Methods", "Searching processes", ("search_log", "dedup_summary"),
                complete=True,
                note="Every search with its query as run, limits, date, platform, hits and "
                "raw-file checksum; duplicates removed per source."),
    RamesesItem(9, "Methods", "Selection and appraisal of documents",
                ("config", "screening_decisions", "agreement", "screening_progress",
                 "fulltext"),
                note="Criteria, dual screening with agreement and the stopping rule; "
                "appraisal of relevance and rigour comes with full text and extraction."),
    RamesesItem(10, "Methods", "Data extraction", ("extraction",), complete=True,
                note="CMO configurations suggested from the documents' sentences, confirmed, "
                "edited or added by reviewers in sheets (a share checked by a second)."),
    RamesesItem(11, "Methods", "Analysis and synthesis processes",
                ("extraction", "programme_theory"), complete=True,
                note="Confirmed CMO configurations clustered into If-then-because statements "
                "per theory area, edited by the reviewers; the authors describe the reasoning."),
    RamesesItem(12, "Results", "Document flow diagram", ("prisma_diagram", "prisma_counts"),
                complete=True,
                note="PRISMA 2020 flow diagram derived from the pipeline's own counts."),
    RamesesItem(13, "Results", "Document characteristics", ("records", "extraction"),
                complete=True,
                note="Type, design, setting and population of every document behind a "
                "confirmed configuration."),
    RamesesItem(14, "Results", "Main findings", ("extraction", "programme_theory"),
                complete=True,
                note="The confirmed CMO table and the programme theory with its diagram."),
    RamesesItem(15, "Discussion", "Summary of findings", note="Written by the authors."),
    RamesesItem(16, "Discussion", "Strengths, limitations and future research directions",
                ("screening_progress",),
                note="The stopping estimate states the recall reached; the rest is written by "
                "the authors."),
    RamesesItem(17, "Discussion", "Comparison with existing literature",
                note="Written by the authors."),
    RamesesItem(18, "Discussion", "Conclusion and recommendations",
                note="Written by the authors."),
    RamesesItem(19, "Funding", "Funding", note="Written by the authors."),
)  # fmt: skip


@dataclass(frozen=True)
class ChecklistRow:
    """One row of the checklist table."""

    item: int
    section: str
    title: str
    coverage: Coverage
    where: str
    note: str


def rameses_checklist(available: Mapping[str, str | Path]) -> list[ChecklistRow]:
    """The checklist for the outputs that exist (``available``: output key -> path).

    An item is *covered* when all its outputs exist and they cover the whole item, *partly
    covered* when some exist, *not yet* when none exists yet, *authors* when no output can.
    """
    unknown = sorted(set(available) - set(OUTPUTS))
    if unknown:
        raise ValueError(f"unknown output key(s): {', '.join(unknown)}")
    rows = []
    for item in RAMESES_ITEMS:
        present = [key for key in item.outputs if key in available]
        if not item.outputs:
            coverage = Coverage.AUTHORS
        elif not present:
            coverage = Coverage.NOT_YET
        elif item.complete and len(present) == len(item.outputs):
            coverage = Coverage.COVERED
        else:
            coverage = Coverage.PARTLY
        where = "; ".join(f"{OUTPUTS[key]}: {Path(available[key]).as_posix()}" for key in present)
        rows.append(ChecklistRow(item.number, item.section, item.title, coverage, where, item.note))
    return rows


_CSV_COLUMNS = ("item", "section", "title", "coverage", "where", "note")
_COLOURS = {
    Coverage.COVERED: "#d9ead3",
    Coverage.PARTLY: "#fff2cc",
    Coverage.NOT_YET: "#eeeeee",
    Coverage.AUTHORS: "#ffffff",
}


def checklist_html(rows: list[ChecklistRow]) -> str:
    """A standalone HTML page holding the checklist table."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>RAMESES publication standards: realist syntheses</title>",
        "<style>body{font-family:sans-serif;font-size:14px;margin:1em}"
        "table{border-collapse:collapse}th,td{border:1px solid #999;padding:4px 6px;"
        "vertical-align:top;text-align:left}th{background:#dde7f1}</style>",
        "</head><body>",
        "<h1>RAMESES publication standards for realist syntheses</h1>",
        "<p>Items of Wong et al., BMC Medicine 2013;11:21, and which of this review's outputs "
        "already report them.</p>",
        "<table>",
        "<tr>" + "".join(f"<th>{escape(c)}</th>" for c in _CSV_COLUMNS) + "</tr>",
    ]
    for row in rows:
        cells = (str(row.item), row.section, row.title, row.coverage.value, row.where, row.note)
        out.append(
            f'<tr style="background:{_COLOURS[row.coverage]}">'
            + "".join(f"<td>{escape(cell)}</td>" for cell in cells)
            + "</tr>"
        )
    out += ["</table>", "</body></html>"]
    return "\n".join(out) + "\n"


def write_rameses_checklist(
    available: Mapping[str, str | Path],
    *,
    csv_path: Path | None = None,
    html_path: Path | None = None,
) -> list[ChecklistRow]:
    """Write the checklist as CSV and/or HTML; returns its rows."""
    rows = rameses_checklist(available)
    if csv_path is not None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(_CSV_COLUMNS)
        for row in rows:
            cells = (row.item, row.section, row.title, row.coverage.value, row.where, row.note)
            writer.writerow([escape_formula(cell) for cell in cells])
        write_atomic(Path(csv_path), buffer.getvalue().encode("utf-8"))
    if html_path is not None:
        write_atomic(Path(html_path), checklist_html(rows).encode("utf-8"))
    return rows
