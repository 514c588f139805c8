"""The programme-theory diagram: per theory area, contexts -> mechanisms -> outcomes.

One band per theory area; in it one row per statement: the context box, the mechanism box
(resource and response) and the outcome box, linked by arrows labelled with the statement id
and its number of sources. Text is wrapped to the boxes with the PRISMA diagram's measured
wrapping, so nothing spills. Written as SVG, PNG and PDF with no timestamps inside.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from realist_review.prisma.layout import FONT_FAMILY, wrap_text
from realist_review.tables import write_atomic
from realist_review.theory.statements import Statement, Theory

FONT = 8.0
LINE = 10.5
PAD = 6.0
BOX_W = 180.0
GAP = 104.0
LEFT = 20.0
BAND_TITLE = 22.0
ROW_GAP = 12.0
COLOURS = {"context": "#e8f1fb", "mechanism": "#fff4d6", "outcome": "#e9f6ea"}
RENDER: dict[str, object] = {
    "svg.hashsalt": "realist-review",
    "text.hinting": "no_hinting",
    "pdf.fonttype": 42,
}


@dataclass(frozen=True)
class _Row:
    statement: Statement
    columns: tuple[list[str], list[str], list[str]]

    @property
    def height(self) -> float:
        return max(len(c) for c in self.columns) * LINE + 2 * PAD


def _rows(statements: list[Statement]) -> list[_Row]:
    rows = []
    for s in statements:
        texts = (f"If {s.context}", f"because {s.mechanism}", f"then {s.outcome}")
        rows.append(_Row(s, tuple(wrap_text(t, BOX_W - 2 * PAD, FONT) for t in texts)))  # type: ignore[arg-type]
    return rows


def build_figure(theory: Theory, areas: Mapping[str, str] | None = None) -> Figure:
    """The diagram as a matplotlib figure (sizes in points)."""
    labels = dict(areas or theory.areas)
    bands = []
    for area in list(labels) + sorted({s.theory_area for s in theory.statements} - set(labels)):
        members = [s for s in theory.statements if s.theory_area == area]
        if members:
            bands.append((labels.get(area, area), _rows(members)))
    width = LEFT * 2 + 3 * BOX_W + 2 * GAP
    height = 40.0 + sum(BAND_TITLE + sum(r.height + ROW_GAP for r in rows) for _, rows in bands)
    height = max(height, 80.0)
    fig = Figure(figsize=(width / 72, height / 72))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.axis("off")
    heads = ("Context", "Mechanism (resource; response)", "Outcome")
    for index, head in enumerate(heads):
        x = LEFT + index * (BOX_W + GAP)
        ax.text(x, 24, head, fontsize=FONT + 2, weight="bold", family=FONT_FAMILY, va="baseline")
    y = 40.0
    for label, rows in bands:
        ax.text(LEFT, y + 15, label, fontsize=FONT + 1.5, weight="bold", family=FONT_FAMILY)
        y += BAND_TITLE
        for row in rows:
            for index, (kind, lines) in enumerate(zip(COLOURS, row.columns, strict=True)):
                x = LEFT + index * (BOX_W + GAP)
                ax.add_patch(
                    FancyBboxPatch(
                        (x, y),
                        BOX_W,
                        row.height,
                        boxstyle="round,pad=0,rounding_size=4",
                        facecolor=COLOURS[kind],
                        edgecolor="#555555",
                        linewidth=0.8,
                    )
                )
                for n, line in enumerate(lines):
                    ax.text(
                        x + PAD, y + PAD + (n + 0.8) * LINE, line, fontsize=FONT,
                        family=FONT_FAMILY, va="baseline",
                    )  # fmt: skip
            s = row.statement
            counts = [
                f"{n} {word}"
                for n, word in (
                    (s.count("supports"), "supporting"),
                    (s.count("refutes"), "refuting"),
                    (s.count("refines"), "refining"),
                )
                if n
            ]
            tag = f"{s.id}\n{', '.join(counts) or 'no sources'}"
            for index in range(2):
                x0 = LEFT + index * (BOX_W + GAP) + BOX_W
                mid = y + row.height / 2
                ax.add_patch(
                    FancyArrowPatch(
                        (x0 + 2, mid),
                        (x0 + GAP - 2, mid),
                        arrowstyle="-|>",
                        mutation_scale=8,
                        color="#333333",
                        linewidth=0.8,
                    )
                )
                ax.text(
                    x0 + GAP / 2, mid - 3, tag, fontsize=FONT - 1.5, ha="center", va="bottom",
                    family=FONT_FAMILY, color="#333333",
                )  # fmt: skip
            y += row.height + ROW_GAP
    if not bands:
        ax.text(LEFT, 60, "No confirmed CMO configurations yet.", fontsize=FONT + 1)
    return fig


def diagram_bytes(fig: Figure, fmt: str, dpi: int = 200) -> bytes:
    """The figure in ``svg``, ``png`` or ``pdf``, with no dates or software names inside."""
    metadata = {
        "svg": {"Date": None, "Creator": None},
        "png": {"Software": None},
        "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
    }[fmt]
    buffer = io.BytesIO()
    with matplotlib.rc_context(RENDER):  # type: ignore[arg-type]
        fig.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata)
    return buffer.getvalue()


def write_diagram(theory: Theory, outputs: Mapping[str, Path], *, dpi: int = 200) -> None:
    """Write the diagram in every format of ``outputs`` (``{"svg": path, ...}``)."""
    fig = build_figure(theory)
    for fmt, path in outputs.items():
        write_atomic(Path(path), diagram_bytes(fig, fmt, dpi))
