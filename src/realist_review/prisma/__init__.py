"""PRISMA 2020: counts derived from the pipeline's tables, the flow diagram, report pieces.

``realist-review prisma`` (and the Snakemake rule, through :func:`write_prisma`) reads the
search log, the record table, the dedup groups and, when they exist, the screening status,
the screening progress and the full-text table, and writes to ``--outdir``:

- ``counts.csv``: every count (schema ``prisma_counts``);
- ``prisma2020_template.csv``: the counts in the PRISMA2020 R package's template (opens in its
  Shiny app);
- ``prisma_flow.svg|png|pdf``: the PRISMA 2020 flow diagram;
- ``screening_progress.png|svg`` when a progress table is given;
- ``rameses_checklist.csv|html`` with ``--rameses``.

Modules: :mod:`.counts` (derivation and equations), :mod:`.export` (CSV),
:mod:`.layout` and :mod:`.diagram` (the diagram), :mod:`.plots` (progress plot),
:mod:`.rameses` (checklist), :mod:`.inputs` (reading the tables).
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Mapping
from pathlib import Path

from realist_review.prisma.counts import PrismaCounts, StageState
from realist_review.prisma.derive import derive_counts
from realist_review.prisma.diagram import DIAGRAM_FORMATS, write_diagram
from realist_review.prisma.export import write_counts_csv, write_template_csv
from realist_review.prisma.inputs import (
    latest_estimate,
    read_fulltext_rows,
    read_progress,
    read_record_origins,
    read_rows,
    read_study_ids,
)
from realist_review.prisma.labels import WORDINGS, get_wording
from realist_review.prisma.plots import write_progress_plot
from realist_review.prisma.rameses import write_rameses_checklist
from realist_review.screen.settings import STOPPED_EARLY

__all__ = [
    "PrismaCounts",
    "add_arguments",
    "derive_counts",
    "read_counts_inputs",
    "run",
    "write_prisma",
    "write_screening_progress",
]

log = logging.getLogger(__name__)


def read_counts_inputs(
    *,
    search_log: Path,
    records: Path,
    groups: Path,
    status: Path | None = None,
    fulltext: Path | None = None,
    merged_records: Path | None = None,
    previous_studies: int = 0,
    previous_reports: int = 0,
) -> PrismaCounts:
    """Read the tables and derive the counts (see :func:`derive_counts`)."""
    return derive_counts(
        read_rows(search_log, "search_log"),
        read_rows(groups, "dedup_groups"),
        read_record_origins(records),
        None if status is None else read_rows(status, "screen_status"),
        None if fulltext is None else read_fulltext_rows(fulltext),
        study_of=None if merged_records is None else read_study_ids(merged_records),
        previous_studies=previous_studies,
        previous_reports=previous_reports,
    )


def write_prisma(
    *,
    search_log: Path,
    records: Path,
    groups: Path,
    counts_csv: Path,
    template_csv: Path,
    diagram: Mapping[str, Path],
    status: Path | None = None,
    progress: Path | None = None,
    fulltext: Path | None = None,
    merged_records: Path | None = None,
    wording: str = "records",
    previous_studies: int = 0,
    previous_reports: int = 0,
    dpi: int = 200,
) -> PrismaCounts:
    """Derive the counts and write ``counts.csv``, the template CSV and the diagram.

    ``diagram`` maps formats (``svg``, ``png``, ``pdf``) to output paths. This is the one
    function the ``draw_prisma_diagram`` rule's script calls.
    """
    get_wording(wording)
    counts = read_counts_inputs(
        search_log=search_log,
        records=records,
        groups=groups,
        status=status,
        fulltext=fulltext,
        merged_records=merged_records,
        previous_studies=previous_studies,
        previous_reports=previous_reports,
    )
    for note in counts.notes:
        log.info("%s", note)
    estimate = latest_estimate(read_progress(progress)) if progress is not None else None
    write_counts_csv(Path(counts_csv), counts)
    write_template_csv(Path(template_csv), counts, wording)
    write_diagram(counts, dict(diagram), wording=wording, estimate=estimate, dpi=dpi)
    log.info(
        "PRISMA: %d records identified, %d duplicates, %d screened (%s), %s studies included",
        counts.records_identified,
        counts.duplicates_total,
        counts.dbr.screened + counts.other.screened,
        counts.screening.value,
        "pending" if counts.new_studies is None else counts.new_studies,
    )
    return counts


def write_screening_progress(
    *,
    progress: Path,
    png: Path,
    svg: Path,
    status: Path | None = None,
    wording: str = "records",
) -> None:
    """Plot the screening progress table (PNG and SVG) for the report.

    With the screening status table the x axis runs to the number of records to screen.
    """
    total = None
    if status is not None:
        total = sum(
            1 for row in read_rows(status, "screen_status")
            if row["status"] != "ineligible_automation"
        )  # fmt: skip
    write_progress_plot(
        read_progress(progress),
        {"png": Path(png), "svg": Path(svg)},
        total_records=total,
        wording=get_wording(wording).records,
    )


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------
def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``realist-review prisma``."""
    parser.add_argument("--search-log", type=Path, required=True, help="search_log.csv")
    parser.add_argument("--records", type=Path, required=True, help="the record table")
    parser.add_argument("--groups", type=Path, required=True, help="dedup groups.csv")
    parser.add_argument("--status", type=Path, help="screening status.csv (omit: not started)")
    parser.add_argument("--progress", type=Path, help="screening progress.csv")
    parser.add_argument("--fulltext", type=Path, help="full-text table (provisional)")
    parser.add_argument(
        "--merged-records", type=Path, help="dedup records.csv (study_id: reports per study)"
    )
    parser.add_argument(
        "--wording",
        choices=sorted(WORDINGS),
        default="records",
        help="call screened items records (default) or documents in the diagram",
    )
    parser.add_argument(
        "--previous-studies",
        type=int,
        default=0,
        metavar="N",
        help="studies included in a previous version of the review (updates)",
    )
    parser.add_argument(
        "--previous-reports",
        type=int,
        default=0,
        metavar="N",
        help="reports of those studies",
    )
    parser.add_argument(
        "--formats",
        default=",".join(DIAGRAM_FORMATS),
        help="diagram formats, comma-separated (default: %(default)s)",
    )
    parser.add_argument("--dpi", type=int, default=200, help="PNG resolution")
    parser.add_argument(
        "--rameses", action="store_true", help="also write the RAMESES checklist (CSV, HTML)"
    )
    parser.add_argument("--outdir", type=Path, required=True, help="e.g. results/prisma")


def run(args: argparse.Namespace) -> int:
    """Run ``realist-review prisma``."""
    outdir: Path = args.outdir
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    diagram = {fmt: outdir / f"prisma_flow.{fmt}" for fmt in formats}
    counts = write_prisma(
        search_log=args.search_log,
        records=args.records,
        groups=args.groups,
        counts_csv=outdir / "counts.csv",
        template_csv=outdir / "prisma2020_template.csv",
        diagram=diagram,
        status=args.status,
        progress=args.progress,
        fulltext=args.fulltext,
        merged_records=args.merged_records,
        wording=args.wording,
        previous_studies=args.previous_studies,
        previous_reports=args.previous_reports,
        dpi=args.dpi,
    )
    written = [outdir / "counts.csv", outdir / "prisma2020_template.csv", *diagram.values()]
    if args.progress is not None:
        png, svg = outdir / "screening_progress.png", outdir / "screening_progress.svg"
        write_screening_progress(
            progress=args.progress, png=png, svg=svg, status=args.status, wording=args.wording
        )
        written += [png, svg]
    if args.rameses:
        available: dict[str, str | Path] = {
            "search_log": args.search_log,
            "prisma_diagram": diagram.get("svg") or next(iter(diagram.values())),
            "prisma_counts": outdir / "counts.csv",
        }
        if args.progress is not None:
            available["screening_progress"] = args.progress
        if args.merged_records is not None:
            available["records"] = args.merged_records
        if args.fulltext is not None:
            available["fulltext"] = args.fulltext
        csv_path, html_path = outdir / "rameses_checklist.csv", outdir / "rameses_checklist.html"
        write_rameses_checklist(available, csv_path=csv_path, html_path=html_path)
        written += [csv_path, html_path]
    state = {
        StageState.NOT_STARTED: "screening not started",
        StageState.IN_PROGRESS: "screening in progress",
        StageState.STOPPED: "screening stopped under the stopping rule",
        StageState.COMPLETE: "screening complete",
    }[counts.screening]
    if counts.screening is StageState.STOPPED and args.progress is not None:
        estimate = latest_estimate(read_progress(args.progress))
        if estimate is not None and estimate.stopped == "before_target":
            state = f"screening {STOPPED_EARLY}: {estimate.bound_text}"
    print(
        f"{counts.records_identified:,} records identified, {counts.duplicates_total:,} "
        f"duplicates removed, {counts.dbr.screened + counts.other.screened:,} screened "
        f"({state}). Wrote:"
    )
    for path in written:
        print(f"  {path}")
    return 0
