"""The landing page of the HTML report: the review at a glance.

``snakemake --report`` opens on the workflow description (``workflow/report/workflow.rst``),
which includes the reStructuredText fragment written here: the review's question, the PRISMA
2020 diagram, the searches, the flow's main counts, the screening progress with its stopping
estimate and the reviewers' agreement, shown on the page rather than only as downloads. The
fragment is derived from the pipeline's own tables (nothing typed by hand) and holds no
timestamps, so it is as reproducible as they are.
"""

from __future__ import annotations

import base64
import csv
import html
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from realist_review.tables import write_atomic

MIME_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}

#: PRISMA counts shown on the landing page, in the order of the flow, with their wording
HEADLINE_COUNTS: tuple[tuple[str, str], ...] = (
    ("records_identified", "Records identified (all searches)"),
    ("duplicates", "Duplicates removed (databases and registers)"),
    ("other_duplicates", "Duplicates removed (other methods)"),
    ("excluded_automatic", "Removed before screening by the review's limits"),
    ("records_screened", "Records screened by people (databases and registers)"),
    ("records_excluded", "Excluded by people (databases and registers)"),
    ("records_excluded_automation", "Excluded by the stopping rule, never screened"),
    ("other_records_screened", "Records screened by people (other methods)"),
    ("dbr_sought_reports", "Reports sought for full text (databases and registers)"),
    ("other_sought_reports", "Reports sought for full text (other methods)"),
    ("total_studies", "Studies included"),
    ("total_reports", "Reports of included studies"),
)


def _read_csv(path: Path | None) -> list[dict[str, str]]:
    if path is None or not Path(path).is_file():
        return []
    with Path(path).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _cell(value: object) -> str:
    """A table cell: one line, reStructuredText markup characters made literal."""
    text = " ".join(str(value if value is not None else "").split())
    return re.sub(r"([\\`*_|<>\[\]])", r"\\\1", text) or "–"


def list_table(
    title: str, header: Sequence[str], rows: Iterable[Sequence[object]], widths: str = "auto"
) -> str:
    """A ``list-table`` directive (no table when there are no rows)."""
    body = [list(map(_cell, row)) for row in rows]
    if not body:
        return ""
    lines = [f".. list-table:: {_cell(title)}", "   :header-rows: 1", f"   :widths: {widths}", ""]
    for row in [list(map(_cell, header)), *body]:
        lines.append(f"   * - {row[0]}")
        lines.extend(f"     - {cell}" for cell in row[1:])
    return "\n".join(lines) + "\n"


def embedded_image(path: Path, alt: str) -> str:
    """A ``raw:: html`` image carrying the file itself (a data URI), so the report travels
    as one file. (Snakemake's ``embeddedimage`` directive leaves the path in place.)"""
    mime = MIME_TYPES[Path(path).suffix.lower()]
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    # lines of 76 characters: docutils refuses very long lines, and a data URI's base64 may
    # hold white space (browsers decode it with the "forgiving" base64 of the Fetch standard)
    lines = "\n".join(f"   {data[i : i + 76]}" for i in range(0, len(data), 76))
    return (
        f'.. raw:: html\n\n   <img alt="{html.escape(alt)}" style="width: 100%"\n'
        f'   src="data:{mime};base64,\n{lines}">\n'
    )


def _heading(text: str, underline: str = "-") -> str:
    return f"{text}\n{underline * len(text)}\n"


def _searches_table(search_log: Sequence[Mapping[str, str]]) -> str:
    rows = [
        (
            entry.get("database", ""),
            entry.get("platform", ""),
            (entry.get("executed_at", "") or "")[:10],
            entry.get("hits_reported", ""),
            entry.get("records_retrieved", ""),
            entry.get("status", ""),
        )
        for entry in search_log
    ]
    header = ("Database or source", "Interface", "Run on", "Hits", "Records kept", "Status")
    return list_table("Searches (the PRISMA-S log has each query as run)", header, rows)


def _counts_table(counts: Sequence[Mapping[str, str]]) -> str:
    totals = {row["field"]: row for row in counts if not row.get("item")}
    rows = []
    for field, label in HEADLINE_COUNTS:
        row = totals.get(field)
        if row is None:
            continue
        value = row.get("n", "")
        if value == "" and row.get("state") == "not_started":
            value = "not yet (stage not started)"
        rows.append((label, value))
    return list_table("The flow in numbers (PRISMA 2020 counts)", ("Box", "n"), rows, "70 30")


def _progress_table(progress: Sequence[Mapping[str, str]]) -> str:
    rows = []
    for row in progress:
        rows.append(
            (
                row.get("round", ""),
                row.get("kind", "").replace("_", " "),
                row.get("screened", ""),
                row.get("includes", ""),
                row.get("remaining", ""),
                row.get("note", ""),
            )
        )
    header = ("Round", "Kind", "Screened (total)", "Includes", "Not yet screened", "Stopping rule")
    return list_table("Screening progress, round by round", header, rows, "6 10 10 8 10 56")


def _agreement_table(agreement: Sequence[Mapping[str, str]]) -> str:
    pairs_per_round: dict[str, int] = {}
    for row in agreement:
        if row.get("scope") == "cumulative" and row.get("reviewer_1"):
            pairs_per_round[row.get("round", "")] = pairs_per_round.get(row.get("round", ""), 0) + 1
    rows = [
        (
            row.get("round", ""),
            row.get("reviewer_1") or "all pairs",
            row.get("reviewer_2", ""),
            row.get("records", ""),
            row.get("raw_agreement", ""),
            row.get("kappa", ""),
        )
        for row in agreement
        if row.get("scope") == "cumulative"
        # the pooled row repeats the pair's row when one pair screened the round
        and (row.get("reviewer_1") or pairs_per_round.get(row.get("round", ""), 0) != 1)
    ]
    header = ("After round", "Reviewer", "Reviewer", "Records", "Raw agreement", "Cohen's kappa")
    return list_table("Agreement between reviewers (cumulative)", header, rows)


def _cmo_table(summary: Sequence[Mapping[str, str]]) -> str:
    rows = [
        (row["value"], row["configurations"], row["sources"])
        for row in summary
        if row.get("scope") == "theory_area"
    ]
    total = next(
        (r for r in summary if r.get("scope") == "total" and r["value"] == "confirmed"), None
    )
    if total:
        rows.append(("all areas", total["configurations"], total["sources"]))
    header = ("Programme-theory area", "Confirmed configurations", "Documents")
    return list_table("Confirmed CMO configurations per theory area", header, rows)


def _theory_table(theory: Mapping[str, Any]) -> str:
    labels = {a["id"]: a["label"] for a in theory.get("theory_areas") or []}
    rows = [
        (
            s["id"],
            labels.get(s["theory_area"], s["theory_area"]),
            s["statement"],
            f"{s['sources']['supporting']} / {s['sources']['refuting']} / "
            f"{s['sources']['refining']}",
        )
        for s in theory.get("statements") or []
    ]
    version = theory.get("version", "")
    title = f"Statements of version {version} (sources supporting / refuting / refining)"
    return list_table(title, ("Id", "Area", "Statement", "Sources"), rows, "12 18 55 15")


def build_overview(
    *,
    title: str,
    question: str,
    prisma_figure: Path | None,
    search_log: Sequence[Mapping[str, str]],
    counts: Sequence[Mapping[str, str]],
    progress: Sequence[Mapping[str, str]],
    agreement: Sequence[Mapping[str, str]],
    demo: bool = False,
    cmo_summary: Sequence[Mapping[str, str]] = (),
    theory: Mapping[str, Any] | None = None,
    theory_figure: Path | None = None,
) -> str:
    """The landing page's reStructuredText: each part only where its table exists."""
    parts = [_heading(title, "=")]
    if demo:
        parts.append(
            "**Demo:** every record, decision and count below comes from the embedded, "
            "fictional demo review (``config/demo/``), not from real studies.\n"
        )
    parts.append(f"**Question.** {_cell(question)}\n")
    if prisma_figure is not None or counts:
        parts.append(_heading("PRISMA 2020 flow"))
    if prisma_figure is not None:
        parts.append(embedded_image(prisma_figure, "PRISMA 2020 flow diagram"))
    parts.append(_counts_table(counts))
    parts.append(_heading("Searches"))
    parts.append(_searches_table(search_log) or "No search has run yet.\n")
    if progress:
        parts.append(_heading("Title and abstract screening"))
        parts.append(_progress_table(progress))
        parts.append(_agreement_table(agreement))
    if cmo_summary:
        parts.append(_heading("Context-mechanism-outcome configurations"))
        parts.append(_cmo_table(cmo_summary))
    if theory is not None or theory_figure is not None:
        parts.append(_heading("Initial programme theory"))
    if theory_figure is not None:
        parts.append(embedded_image(theory_figure, "Programme theory diagram"))
    if theory is not None:
        parts.append(_theory_table(theory))
    parts.append(
        "Every table and figure is also listed under *Results* in the menu, with its caption "
        "saying how it was made, and can be downloaded there; the workflow's rule graph and "
        "run statistics follow after the results.\n"
    )
    return "\n".join(part for part in parts if part)


def write_overview(
    output: Path,
    *,
    title: str,
    question: str,
    search_log: Path,
    prisma_figure: Path | None = None,
    counts: Path | None = None,
    progress: Path | None = None,
    agreement: Path | None = None,
    demo: bool = False,
    cmo_summary: Path | None = None,
    theory: Path | None = None,
    theory_figure: Path | None = None,
) -> None:
    """Read the tables and write the landing page's fragment (atomically)."""
    theory_data = yaml.safe_load(Path(theory).read_text(encoding="utf-8")) if theory else None
    text = build_overview(
        title=title,
        question=question,
        prisma_figure=prisma_figure,
        search_log=_read_csv(search_log),
        counts=_read_csv(counts),
        progress=_read_csv(progress),
        agreement=_read_csv(agreement),
        demo=demo,
        cmo_summary=_read_csv(cmo_summary),
        theory=theory_data,
        theory_figure=theory_figure,
    )
    write_atomic(Path(output), text.encode("utf-8"))
