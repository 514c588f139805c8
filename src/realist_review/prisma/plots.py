"""Screening progress plot for the report: cumulative includes against records screened.

The top panel shows how many records the team had included after each round against how many
it had screened (the curve flattens when the ranking has put the likely includes first); the
bottom panel shows the recall the stopping rule says the team has reached after each round (a
lower bound: each point is labelled "≥X%", recall is at least X% with the configured
confidence), against the recall target. Deterministic PNG and SVG (no dates, fixed SVG ids).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from realist_review.errors import InputError
from realist_review.prisma.inputs import ProgressRow
from realist_review.prisma.layout import FONT_FAMILY
from realist_review.screen.settings import percent
from realist_review.tables import write_atomic

__all__ = ["PLOT_FORMATS", "progress_figure", "write_progress_plot"]

PLOT_FORMATS: tuple[str, ...] = ("png", "svg")


def progress_figure(
    rows: Sequence[ProgressRow],
    *,
    total_records: int | None = None,
    recall_target: float | None = None,
    wording: str = "records",
) -> Figure:
    """The two-panel progress figure (see the module docstring).

    Args:
        rows: rounds of the screening progress table, in round order.
        total_records: records to screen in all (draws the x range to it), e.g.
            ``records_screened`` of the PRISMA counts.
        recall_target: recall the stopping rule aims at (else the rows' ``recall_target``).
        wording: ``records`` or ``documents`` (axis labels).
    """
    fig = Figure(figsize=(7.0, 5.2), dpi=100, facecolor="white")
    ax_inc, ax_rec = fig.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    xs = [0, *(r.screened for r in rows)]
    ys = [0, *(r.includes for r in rows)]
    ax_inc.plot(xs, ys, color="#1f4e79", marker="o", markersize=4, linewidth=1.6)
    for row in rows:
        ax_inc.annotate(
            f"R{row.round}", (row.screened, row.includes), textcoords="offset points",
            xytext=(4, -11), fontsize=7, color="#555555",
        )  # fmt: skip
    ax_inc.set_ylabel("Included (cumulative)")
    ax_inc.set_title(f"Screening progress: includes against {wording} screened", fontsize=10)
    ax_inc.grid(True, color="#dddddd", linewidth=0.6)
    if total_records:
        for ax in (ax_inc, ax_rec):
            ax.axvline(total_records, color="#888888", linestyle=":", linewidth=1)
        ax_inc.annotate(
            f"all {total_records:,} {wording}", (total_records, 0), textcoords="offset points",
            xytext=(-4, 4), ha="right", fontsize=7, color="#555555",
        )  # fmt: skip
        ax_inc.set_xlim(0, total_records * 1.02)

    target = recall_target
    if target is None:
        targets = [r.recall_target for r in rows if r.recall_target is not None]
        target = targets[-1] if targets else None
    estimated = [r for r in rows if r.estimated_recall is not None]
    if estimated:
        ax_rec.plot(
            [r.screened for r in estimated], [r.estimated_recall for r in estimated],
            color="#c55a11", marker="s", markersize=4, linewidth=1.4,
            label="recall reached (lower bound)",
        )  # fmt: skip
        for row in estimated:
            bound = row.estimated_recall or 0.0
            ax_rec.annotate(
                f"≥{percent(bound)}", (row.screened, bound),
                textcoords="offset points", xytext=(0, 6), ha="center", fontsize=7,
                color="#7f3f00",
            )  # fmt: skip
    else:
        ax_rec.text(
            0.5, 0.5, "no stopping estimate yet", transform=ax_rec.transAxes, ha="center",
            va="center", fontsize=8, color="#777777",
        )  # fmt: skip
    if target is not None:
        ax_rec.axhline(target, color="#2e7d32", linestyle="--", linewidth=1,
                       label=f"target {target:.0%}")  # fmt: skip
    ax_rec.set_ylim(0, 1.08)
    ax_rec.set_ylabel("Recall (at least)")
    ax_rec.set_xlabel(f"{wording.capitalize()} screened (cumulative)")
    ax_rec.grid(True, color="#dddddd", linewidth=0.6)
    if estimated or target is not None:
        ax_rec.legend(loc="lower right", fontsize=7, frameon=False)
    levels = sorted({r.confidence for r in estimated if r.confidence is not None})
    level = f"{percent(levels[-1])} confidence" if len(levels) == 1 else "the configured confidence"
    ax_rec.text(
        0.01, 0.04, f"labels: recall is at least this with {level}", transform=ax_rec.transAxes,
        fontsize=6.5, color="#7f3f00",
    )  # fmt: skip
    fig.align_ylabels((ax_inc, ax_rec))
    fig.tight_layout()
    return fig


def _no_rounds_figure(wording: str) -> Figure:
    """What the plot shows before any screening round has come back."""
    fig = Figure(figsize=(6.4, 2.0))
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.text(
        0.5,
        0.5,
        f"No screening round has come back yet: no {wording} screened.\n"
        "The first round's sheets are in results/screen/sheets/.",
        ha="center",
        va="center",
        fontsize=9,
        transform=ax.transAxes,
    )
    return fig


def write_progress_plot(
    rows: Sequence[ProgressRow],
    outputs: dict[str, Path] | Path,
    *,
    total_records: int | None = None,
    recall_target: float | None = None,
    wording: str = "records",
    stem: str = "screening_progress",
    dpi: int = 150,
) -> dict[str, Path]:
    """Write the progress plot as PNG and SVG; returns the paths by format.

    ``outputs`` is a folder (``<stem>.png``, ``<stem>.svg``) or ``{"png": path, "svg": path}``.
    """
    paths = (
        {fmt: Path(p) for fmt, p in outputs.items()}
        if isinstance(outputs, dict)
        else {fmt: Path(outputs) / f"{stem}.{fmt}" for fmt in PLOT_FORMATS}
    )
    unknown = sorted(set(paths) - set(PLOT_FORMATS))
    if unknown:
        raise InputError(f"unknown plot format(s) {', '.join(unknown)}; use png or svg")
    with matplotlib.rc_context(
        {"font.family": FONT_FAMILY, "svg.hashsalt": "realist-review", "font.size": 8}
    ):
        fig = (
            progress_figure(
                rows, total_records=total_records, recall_target=recall_target, wording=wording
            )
            if rows
            else _no_rounds_figure(wording)
        )
        if "png" in paths:
            FigureCanvasAgg(fig)
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
            write_atomic(paths["png"], buffer.getvalue())
        if "svg" in paths:
            FigureCanvasSVG(fig)
            buffer = io.BytesIO()
            fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
            write_atomic(paths["svg"], buffer.getvalue())
    return paths
