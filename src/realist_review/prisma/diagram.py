"""Draw the PRISMA 2020 flow diagram: SVG written by our own code, PNG and PDF by matplotlib.

Both renderers draw the same :class:`~realist_review.prisma.layout.Layout`, so the files
agree box for box. Output is deterministic: no timestamps, no software versions, fixed
number formatting (the same counts give the same bytes).

In the SVG each box is a ``<g id="box-<key>" class="box <kind>">`` holding a ``<rect>`` and
its ``<text>`` lines; a line showing a count carries ``data-field`` (e.g.
``data-field="records_screened"`` or ``data-field="database_results:PubMed"``), so the file
can be checked, styled or linked by machine.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import FigureCanvasPdf
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, Polygon, Rectangle

from realist_review.errors import InputError
from realist_review.prisma.counts import PrismaCounts
from realist_review.prisma.labels import Wording
from realist_review.prisma.layout import (
    FONT_FAMILY,
    Arrow,
    Box,
    Layout,
    StoppingEstimate,
    Style,
    build_layout,
)
from realist_review.tables import write_atomic

__all__ = [
    "DIAGRAM_FORMATS",
    "RENDER_SETTINGS",
    "arrow_head",
    "draw_figure",
    "svg_document",
    "write_diagram",
]

DIAGRAM_FORMATS: tuple[str, ...] = ("svg", "png", "pdf")
#: matplotlib settings while drawing: unhinted text, so that drawn widths equal the widths
#: the layout measured (hinting widens small text by up to 8% at 72 dpi); TrueType fonts in
#: the PDF so that it can be edited.
RENDER_SETTINGS = {"text.hinting": "no_hinting", "pdf.fonttype": 42}
_SVG_FONTS = f"'{FONT_FAMILY}', Verdana, Arial, Helvetica, sans-serif"


def _f(value: float) -> str:
    """A coordinate with two decimals and no trailing zeros (stable across platforms)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def arrow_head(arrow: Arrow, size: float) -> tuple[tuple[float, float], ...]:
    """The triangle at the end of ``arrow`` (tip first)."""
    (x0, y0), (x1, y1) = arrow.points[-2], arrow.points[-1]
    length = math.hypot(x1 - x0, y1 - y0) or 1.0
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    bx, by = x1 - ux * size, y1 - uy * size
    half = size * 0.5
    return ((x1, y1), (bx - uy * half, by + ux * half), (bx + uy * half, by - ux * half))


def _shaft(arrow: Arrow, size: float) -> tuple[tuple[float, float], ...]:
    """The arrow's polyline, stopped at the base of its head so the tip stays sharp."""
    (x0, y0), (x1, y1) = arrow.points[-2], arrow.points[-1]
    length = math.hypot(x1 - x0, y1 - y0) or 1.0
    cut = min(size * 0.8, length)
    end = (x1 - (x1 - x0) / length * cut, y1 - (y1 - y0) / length * cut)
    return (*arrow.points[:-1], end)


def _colours(box: Box, st: Style) -> tuple[str, str, str]:
    """(fill, stroke, text colour) of a box."""
    if box.kind == "header_dbr":
        return st.colour_header_dbr, st.colour_line, st.colour_text
    if box.kind == "header_other":
        return st.colour_header_other, st.colour_line, st.colour_text
    if box.kind == "band":
        return st.colour_band, st.colour_line, st.colour_text
    if box.kind == "banner":
        return st.colour_banner, st.colour_banner_line, st.colour_text
    text = st.colour_pending if box.pending else st.colour_text
    return st.colour_box, st.colour_pending if box.pending else st.colour_line, text


def _rounded(box: Box) -> float:
    return 5.0 if box.kind in ("band", "header_dbr", "header_other", "banner") else 0.0


# --------------------------------------------------------------------------------------------
# SVG
# --------------------------------------------------------------------------------------------
def svg_document(layout: Layout, *, title: str = "PRISMA 2020 flow diagram") -> str:
    """The layout as a standalone SVG document (points as user units)."""
    st = layout.style
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_f(layout.width)}pt" '
        f'height="{_f(layout.height)}pt" viewBox="0 0 {_f(layout.width)} {_f(layout.height)}" '
        f"font-family={quoteattr(_SVG_FONTS)}>",
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="0" width="{_f(layout.width)}" height="{_f(layout.height)}" '
        'fill="#ffffff"/>',
    ]
    for box in layout.boxes:
        fill, stroke, colour = _colours(box, st)
        dash = ' stroke-dasharray="4 3"' if box.pending else ""
        radius = _rounded(box)
        rx = f' rx="{_f(radius)}"' if radius else ""
        out.append(f'<g id="box-{escape(box.key)}" class="box {box.kind}">')
        out.append(
            f'<rect x="{_f(box.x)}" y="{_f(box.y)}" width="{_f(box.w)}" height="{_f(box.h)}"'
            f'{rx} fill="{fill}" stroke="{stroke}" stroke-width="0.9"{dash}/>'
        )
        for line in box.lines:
            weight = ' font-weight="bold"' if line.bold else ""
            data = f" data-field={quoteattr(line.field)}" if line.field else ""
            if line.rotated:
                # rotate about the centre; the baseline sits right of centre so that the
                # glyphs are centred on the band
                base = line.x + 0.36 * line.size
                out.append(
                    f'<text x="{_f(line.x)}" y="{_f(line.y)}" font-size="{_f(line.size)}"'
                    f'{weight} fill="{colour}" text-anchor="middle" '
                    f'transform="rotate(-90 {_f(line.x)} {_f(line.y)}) '
                    f'translate(0 {_f(base - line.x)})">{escape(line.text)}</text>'
                )
            else:
                out.append(
                    f'<text x="{_f(line.x)}" y="{_f(line.y)}" font-size="{_f(line.size)}"'
                    f'{weight} fill="{colour}"{data}>{escape(line.text)}</text>'
                )
        out.append("</g>")
    for arrow in layout.arrows:
        shaft = " ".join(f"{_f(x)},{_f(y)}" for x, y in _shaft(arrow, st.arrow_head))
        head = " ".join(f"{_f(x)},{_f(y)}" for x, y in arrow_head(arrow, st.arrow_head))
        out.append(
            f'<g class="arrow"><polyline points="{shaft}" fill="none" stroke="{st.colour_line}" '
            f'stroke-width="1"/><polygon points="{head}" fill="{st.colour_line}"/></g>'
        )
    if layout.footnotes:
        out.append('<g class="footnotes">')
        for line in layout.footnotes:
            out.append(
                f'<text x="{_f(line.x)}" y="{_f(line.y)}" font-size="{_f(line.size)}" '
                f'fill="{st.colour_text}">{escape(line.text)}</text>'
            )
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------
# matplotlib (PNG, PDF)
# --------------------------------------------------------------------------------------------
def draw_figure(layout: Layout) -> Figure:
    """Draw the layout on a matplotlib figure: 1 data unit = 1 point, y downwards."""
    st = layout.style
    fig = Figure(figsize=(layout.width / 72, layout.height / 72), dpi=72, facecolor="white")
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, layout.width)
    ax.set_ylim(layout.height, 0)
    ax.set_axis_off()
    for box in layout.boxes:
        fill, stroke, colour = _colours(box, st)
        style = (0, (4, 3)) if box.pending else "solid"
        radius = _rounded(box)
        patch: Rectangle | FancyBboxPatch
        if radius:
            patch = FancyBboxPatch(
                (box.x, box.y), box.w, box.h,
                boxstyle=f"round,pad=0,rounding_size={radius}",
                facecolor=fill, edgecolor=stroke, linewidth=0.9, linestyle=style,
            )  # fmt: skip
        else:
            patch = Rectangle(
                (box.x, box.y), box.w, box.h,
                facecolor=fill, edgecolor=stroke, linewidth=0.9, linestyle=style,
            )  # fmt: skip
        ax.add_patch(patch)
        for line in box.lines:
            weight = "bold" if line.bold else "normal"
            if line.rotated:
                ax.text(
                    line.x, line.y, line.text, rotation=90, ha="center", va="center",
                    fontsize=line.size, family=FONT_FAMILY, weight=weight, color=colour,
                )  # fmt: skip
            else:
                ax.text(
                    line.x, line.y, line.text, ha="left", va="baseline",
                    fontsize=line.size, family=FONT_FAMILY, weight=weight, color=colour,
                )  # fmt: skip
    for arrow in layout.arrows:
        xs, ys = zip(*_shaft(arrow, st.arrow_head), strict=True)
        ax.plot(xs, ys, color=st.colour_line, linewidth=1.0, solid_capstyle="butt")
        ax.add_patch(Polygon(arrow_head(arrow, st.arrow_head), closed=True, color=st.colour_line))
    for line in layout.footnotes:
        ax.text(
            line.x, line.y, line.text, ha="left", va="baseline",
            fontsize=line.size, family=FONT_FAMILY, color=st.colour_text,
        )  # fmt: skip
    return fig


def _png_bytes(fig: Figure, dpi: int) -> bytes:
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    with matplotlib.rc_context(RENDER_SETTINGS):  # type: ignore[arg-type]
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def _pdf_bytes(fig: Figure) -> bytes:
    FigureCanvasPdf(fig)
    buffer = io.BytesIO()
    with matplotlib.rc_context(RENDER_SETTINGS):  # type: ignore[arg-type]
        fig.savefig(
            buffer,
            format="pdf",
            metadata={"Creator": None, "Producer": None, "CreationDate": None},
        )
    return buffer.getvalue()


def write_diagram(
    counts: PrismaCounts,
    outputs: dict[str, Path] | Path,
    *,
    wording: Wording | str = "records",
    estimate: StoppingEstimate | None = None,
    formats: Sequence[str] | Iterable[str] = DIAGRAM_FORMATS,
    dpi: int = 200,
    stem: str = "prisma_flow",
) -> dict[str, Path]:
    """Lay out and write the flow diagram; returns the paths written by format.

    Args:
        counts: the derived counts.
        outputs: a folder (files ``<stem>.svg|png|pdf`` are written there, for ``formats``),
            or an explicit mapping ``{"svg": path, "png": path, "pdf": path}`` (as a
            Snakemake rule names its outputs).
        wording: ``records`` or ``documents``.
        estimate: the stopping rule's latest estimate (banner while screening is in
            progress; footnote on automation exclusions).
        formats: which of svg, png, pdf to write when ``outputs`` is a folder.
        dpi: resolution of the PNG.
        stem: file name without extension when ``outputs`` is a folder.
    """
    if isinstance(outputs, dict):
        paths = {fmt: Path(path) for fmt, path in outputs.items()}
    else:
        paths = {fmt: Path(outputs) / f"{stem}.{fmt}" for fmt in formats}
    unknown = sorted(set(paths) - set(DIAGRAM_FORMATS))
    if unknown:
        raise InputError(
            f"unknown diagram format(s) {', '.join(unknown)}; use {', '.join(DIAGRAM_FORMATS)}"
        )
    layout = build_layout(counts, wording=wording, estimate=estimate)
    if "svg" in paths:
        write_atomic(paths["svg"], svg_document(layout).encode("utf-8"))
    if "png" in paths or "pdf" in paths:
        fig = draw_figure(layout)
        if "png" in paths:
            write_atomic(paths["png"], _png_bytes(fig, dpi))
        if "pdf" in paths:
            write_atomic(paths["pdf"], _pdf_bytes(fig))
    return paths
