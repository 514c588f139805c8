"""Geometry of the PRISMA 2020 flow diagram: boxes, wrapped lines and arrows, in points.

:func:`build_layout` turns :class:`~realist_review.prisma.counts.PrismaCounts` into a
:class:`Layout` that both renderers draw (our own SVG writer and matplotlib for PNG/PDF), so
the three files show the same picture. Text is measured with the font matplotlib ships
(DejaVu Sans) and wrapped inside its box; a count ``(n = 1,234)`` never breaks across lines.

The layout follows the PRISMA 2020 flow diagram (Page et al., BMJ 2021;372:n71): bands
*Identification*, *Screening* and *Included* on the left; a *databases and registers* column
with its exclusion boxes on the right of each box; an *other methods* column when other
methods were used. Because this pipeline de-duplicates and screens other-methods records too,
that column has the same boxes as the first (see ``counts.py`` for the column rule).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from realist_review.prisma.counts import (
    FlowColumn,
    OtherMethod,
    PrismaCounts,
    StageState,
)
from realist_review.prisma.labels import Wording, format_n, get_wording
from realist_review.records import PrismaGroup
from realist_review.screen.settings import STOPPED_EARLY, percent, recall_bound_text

__all__ = [
    "FONT_FAMILY",
    "Arrow",
    "Box",
    "Layout",
    "Line",
    "StoppingEstimate",
    "Style",
    "build_layout",
    "text_width",
    "wrap_text",
]

#: Font used to measure and draw text (ships with matplotlib, so measuring is exact).
FONT_FAMILY = "DejaVu Sans"

_T2P = TextToPath()
_TOKEN = re.compile(r"\(n = [^)]*\)\S*|\(pending\)\S*|\S+")


@lru_cache(maxsize=16384)
def text_width(text: str, size: float, bold: bool = False) -> float:
    """Advance width of ``text`` in points, in :data:`FONT_FAMILY` at ``size`` points."""
    if not text:
        return 0.0
    prop = FontProperties(family=FONT_FAMILY, size=size, weight="bold" if bold else "normal")
    width, _, _ = _T2P.get_text_width_height_descent(text, prop, ismath=False)
    return float(width)


def _split_long(token: str, width: float, size: float, bold: bool) -> list[str]:
    """Cut a token wider than ``width`` into pieces that fit (long names without spaces)."""
    pieces: list[str] = []
    current = ""
    for char in token:
        if current and text_width(current + char, size, bold) > width:
            pieces.append(current)
            current = char
        else:
            current += char
    if current:
        pieces.append(current)
    return pieces


def wrap_text(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Greedy word wrap of ``text`` into lines no wider than ``width`` points.

    ``(n = ...)`` and ``(pending)`` stay whole; a word wider than a line is cut.
    """
    lines: list[str] = []
    current = ""
    for token in _TOKEN.findall(text):
        candidate = f"{current} {token}" if current else token
        if text_width(candidate, size, bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        if text_width(token, size, bold) <= width:
            current = token
        else:
            *full, current = _split_long(token, width, size, bold)
            lines.extend(full)
    if current or not lines:
        lines.append(current)
    return lines


@dataclass(frozen=True)
class Style:
    """Sizes (points) and colours of the diagram."""

    font_size: float = 9.0
    header_size: float = 9.5
    band_size: float = 10.0
    footnote_size: float = 7.5
    line_height: float = 12.0
    pad_x: float = 8.0
    pad_y: float = 7.0
    indent: float = 10.0
    hang: float = 8.0  # extra indent of a wrapped paragraph's continuation lines
    min_lines: int = 2  # boxes are at least this many lines high
    margin: float = 14.0
    band_width: float = 26.0
    band_gap: float = 12.0
    main_width: float = 232.0
    side_width: float = 216.0
    other_main_width: float = 216.0
    other_side_width: float = 200.0
    side_gap: float = 40.0
    column_gap: float = 30.0
    row_gap: float = 26.0
    arrow_head: float = 6.0
    colour_line: str = "#1f1f1f"
    colour_text: str = "#111111"
    colour_pending: str = "#6b6b6b"
    colour_header_dbr: str = "#ffd966"
    colour_header_other: str = "#d9d9d9"
    colour_band: str = "#9dc3e6"
    colour_banner: str = "#fde9c9"
    colour_banner_line: str = "#c55a11"
    colour_box: str = "#ffffff"


@dataclass(frozen=True)
class StoppingEstimate:
    """The screening stopping rule's latest estimate (``results/screen/progress.csv``)."""

    round: int
    screened: int
    includes: int
    estimated_recall: float  # a lower bound: recall is at least this with ``confidence``
    confidence: float
    recall_target: float | None = None
    p_value: float | None = None
    #: How screening ended: "" (it goes on), ``target_reached`` or ``before_target``.
    stopped: str = ""

    @property
    def bound_text(self) -> str:
        """``recall is at least 95% with 95% confidence``."""
        return recall_bound_text(self.estimated_recall, self.confidence)


@dataclass(frozen=True)
class Line:
    """One line of text; ``x``/``y`` is the start of its baseline (the centre if rotated)."""

    text: str
    x: float
    y: float
    size: float
    bold: bool = False
    field: str = ""  # the count this line shows, e.g. "records_screened"
    rotated: bool = False  # band labels read bottom to top

    @property
    def width(self) -> float:
        """Advance width of the text."""
        return text_width(self.text, self.size, self.bold)


@dataclass(frozen=True)
class Box:
    """A rectangle with its lines; ``kind`` picks the colours."""

    key: str
    kind: str  # box | header_dbr | header_other | band | banner
    x: float
    y: float
    w: float
    h: float
    lines: tuple[Line, ...]
    pending: bool = False

    @property
    def right(self) -> float:
        """x of the right edge."""
        return self.x + self.w

    @property
    def bottom(self) -> float:
        """y of the bottom edge."""
        return self.y + self.h

    @property
    def cx(self) -> float:
        """x of the centre."""
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        """y of the centre."""
        return self.y + self.h / 2


@dataclass(frozen=True)
class Arrow:
    """A polyline ending in an arrow head at its last point."""

    points: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Layout:
    """Everything the renderers draw, in points (y grows downwards)."""

    width: float
    height: float
    boxes: tuple[Box, ...]
    arrows: tuple[Arrow, ...]
    footnotes: tuple[Line, ...] = ()
    style: Style = field(default_factory=Style)

    def box(self, key: str) -> Box:
        """The box called ``key``."""
        for box in self.boxes:
            if box.key == key:
                return box
        raise KeyError(key)


# --------------------------------------------------------------------------------------------
# Box contents
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Para:
    text: str
    level: int = 0
    field: str = ""
    bold: bool = False


@dataclass(frozen=True)
class _Content:
    key: str
    paras: tuple[_Para, ...]
    pending: bool = False
    centred: bool = False


def _many(n: int, w: Wording) -> str:
    """``1 record``, ``2 records``."""
    return f"{n:,} {w.record if n == 1 else w.records}"


def _counted(label: str, n: int | None) -> str:
    return f"{label} {format_n(n)}"


def _identified_dbr(counts: PrismaCounts, w: Wording) -> _Content:
    paras = [_Para(w.label("identified_from"))]
    groups = [(PrismaGroup.DATABASES.value, "database_results")]
    if counts.has_registers:
        groups.append((PrismaGroup.REGISTERS.value, "register_results"))
    for kind, name in groups:
        sources = counts.dbr.sources_of(kind)
        paras.append(_Para(_counted(w.label(kind), counts.dbr.identified_of(kind)), 1, name))
        paras += [_Para(_counted(s.name, s.n), 2, f"{name}:{s.name}") for s in sources]
        if not sources:
            paras.append(_Para("none searched", 2))
    return _Content("dbr_identified", tuple(paras))


_OTHER_FIELDS = {
    OtherMethod.WEBSITES.value: "website_results",
    OtherMethod.ORGANISATIONS.value: "organisation_results",
    OtherMethod.CITATION_SEARCHING.value: "citations_results",
    OtherMethod.OTHER.value: "other_results",
}


def _identified_other(counts: PrismaCounts, w: Wording) -> _Content:
    paras = [_Para(w.label("identified_from"))]
    for kind, name in _OTHER_FIELDS.items():
        sources = counts.other.sources_of(kind)
        if not sources:
            continue
        paras.append(_Para(_counted(w.label(kind), counts.other.identified_of(kind)), 1, name))
        paras += [_Para(_counted(s.name, s.n), 2, f"{name}:{s.name}") for s in sources]
    return _Content("other_identified", tuple(paras))


def _column_contents(
    col: FlowColumn, prefix: str, counts: PrismaCounts, w: Wording
) -> dict[str, _Content]:
    """The boxes of one column below identification, keyed by row name."""
    other = prefix == "other_"
    key = "other" if other else "dbr"
    removed = _Content(
        f"{key}_removed",
        (
            _Para(w.label("removed_before")),
            _Para(_counted(w.label("duplicates"), col.duplicates), 1, f"{prefix}duplicates"),
            _Para(
                _counted(w.label("excluded_automatic"), col.excluded_automatic),
                1,
                f"{prefix}excluded_automatic",
            ),
            _Para(
                _counted(w.label("excluded_other"), col.excluded_other),
                1,
                f"{prefix}excluded_other",
            ),
        ),
    )
    # before anyone has screened, the box says what waits, not "screened" and "still to be
    # screened" with the same number
    waiting = bool(col.screened) and col.unscreened == col.screened
    screened_label = f"{w.records_cap} to be screened" if waiting else w.label("screened")
    screened = [_Para(_counted(screened_label, col.screened), 0, f"{prefix}records_screened")]
    if col.unscreened and not waiting:
        screened.append(
            _Para(
                _counted("still to be screened", col.unscreened), 1, f"{prefix}records_unscreened"
            )
        )
    if col.in_conflict:
        screened.append(
            _Para(
                _counted("in conflict, awaiting a third reviewer", col.in_conflict),
                1,
                f"{prefix}records_in_conflict",
            )
        )
    excluded: tuple[_Para, ...]
    if col.excluded_automation:
        excluded = (
            _Para(
                _counted(w.label("excluded") + "**", col.excluded_screening),
                0,
                f"{prefix}records_excluded_total",
            ),
            _Para(
                _counted(w.label("excluded_human"), col.excluded_human),
                1,
                f"{prefix}records_excluded",
            ),
            _Para(
                _counted(w.label("excluded_automation"), col.excluded_automation),
                1,
                f"{prefix}records_excluded_automation",
            ),
        )
    else:
        excluded = (
            _Para(
                _counted(w.label("excluded"), col.excluded_human), 0, f"{prefix}records_excluded"
            ),
        )
    sought_field = "other_sought_reports" if other else "dbr_sought_reports"
    sought = [_Para(_counted(w.label("sought"), col.sought), 0, sought_field)]
    if col.awaiting_fulltext:
        sought.append(
            _Para(
                _counted("still to be retrieved or assessed", col.awaiting_fulltext),
                1,
                f"{key}_awaiting_fulltext",
            )
        )
    not_retrieved_field = "other_notretrieved_reports" if other else "dbr_notretrieved_reports"
    assessed_field = "other_assessed" if other else "dbr_assessed"
    excluded_field = "other_excluded" if other else "dbr_excluded"
    reports_excluded: list[_Para]
    if col.excluded_reasons:
        reports_excluded = [
            _Para(
                _counted(w.label("reports_excluded"), col.excluded_reports) + ":", 0, excluded_field
            )
        ]
        reports_excluded += [
            _Para(_counted(r.reason, r.n), 1, f"{excluded_field}:{r.reason}")
            for r in col.excluded_reasons
        ]
    else:
        reports_excluded = [
            _Para(_counted(w.label("reports_excluded"), col.excluded_reports), 0, excluded_field)
        ]
    return {
        "removed": removed,
        "screened": _Content(f"{key}_screened", tuple(screened)),
        "excluded": _Content(f"{key}_excluded", excluded),
        "sought": _Content(f"{key}_sought", tuple(sought)),
        "not_retrieved": _Content(
            f"{key}_not_retrieved",
            (_Para(_counted(w.label("not_retrieved"), col.not_retrieved), 0, not_retrieved_field),),
            pending=col.not_retrieved is None,
        ),
        "assessed": _Content(
            f"{key}_assessed",
            (_Para(_counted(w.label("assessed"), col.assessed), 0, assessed_field),),
            pending=col.assessed is None,
        ),
        "reports_excluded": _Content(
            f"{key}_reports_excluded", tuple(reports_excluded), pending=col.excluded_reasons is None
        ),
    }


def _included(counts: PrismaCounts, w: Wording) -> _Content:
    paras: tuple[_Para, ...]
    if counts.previous_studies or counts.previous_reports:
        new_reports = f"{w.reports_cap} of new included studies"
        paras = (
            _Para(_counted("New studies included in review", counts.new_studies), 0, "new_studies"),
            _Para(_counted(new_reports, counts.new_reports), 0, "new_reports"),
            _Para(_counted(w.label("total_studies"), counts.total_studies), 0, "total_studies"),
            _Para(_counted(w.label("total_reports"), counts.total_reports), 0, "total_reports"),
        )
    else:
        paras = (
            _Para(_counted(w.label("new_studies"), counts.new_studies), 0, "new_studies"),
            _Para(_counted(w.label("new_reports"), counts.new_reports), 0, "new_reports"),
        )
    return _Content("included", paras, pending=counts.new_studies is None)


def _percent(value: float) -> str:
    return f"{value:.0%}" if value * 100 == round(value * 100) else f"{value:.1%}"


def _banner_text(
    counts: PrismaCounts, w: Wording, estimate: StoppingEstimate | None
) -> list[_Para]:
    if not counts.screening_in_progress:
        return []
    screened = counts.dbr.screened + counts.other.screened
    awaiting = counts.dbr.unscreened + counts.other.unscreened
    conflict = counts.dbr.in_conflict + counts.other.in_conflict
    if counts.screening is StageState.NOT_STARTED:
        paras = [
            _Para("Screening not started", bold=True),
            _Para(
                f"{_many(screened, w)} {'waits' if screened == 1 else 'wait'} for title and "
                "abstract screening; the counts after identification are provisional."
            ),
        ]
    else:
        detail = f"{awaiting:,} of {_many(screened, w)} still to be screened"
        if conflict:
            detail += f" and {conflict:,} in conflict awaiting a third reviewer"
        paras = [
            _Para("Screening in progress", bold=True),
            _Para(detail + "; the counts below are provisional."),
        ]
    if estimate is not None and estimate.screened:  # no estimate before anyone screened
        text = (
            f"Stopping estimate after round {estimate.round} ({estimate.screened:,} screened, "
            f"{estimate.includes:,} included): {estimate.bound_text}"
        )
        if estimate.recall_target is not None:
            reached = estimate.estimated_recall >= estimate.recall_target
            text += f"; target {_percent(estimate.recall_target)} " + (
                "reached" if reached else "not reached yet"
            )
        paras.append(_Para(text + "."))
    return paras


def _footnotes(counts: PrismaCounts, w: Wording, estimate: StoppingEstimate | None) -> list[str]:
    notes = []
    automation = counts.dbr.excluded_automation + counts.other.excluded_automation
    if automation:
        if estimate is not None and estimate.stopped == "before_target":
            target = (
                f" (recall at least {percent(estimate.recall_target)})"
                if estimate.recall_target is not None
                else ""
            )
            text = (
                f"** Excluded by automation tools: the {_many(automation, w)} still unscreened "
                f"when screening was {STOPPED_EARLY}{target} of Callaghan & Müller-Hansen "
                f"(2020), after round {estimate.round}: {estimate.bound_text}"
            )
        else:
            text = (
                f"** Excluded by automation tools: the {_many(automation, w)} still unscreened "
                "when the team stopped screening under the statistical stopping rule "
                "(Callaghan & Müller-Hansen 2020)"
            )
            if estimate is not None:
                text += f", after round {estimate.round}: {estimate.bound_text}"
        notes.append(text + ".")
    flagged = counts.dbr.excluded_automatic + counts.other.excluded_automatic
    if flagged:
        notes.append(
            f"Marked as ineligible by automation tools: {_many(flagged, w)} outside the review's "
            "limits (publication years, languages, publication types: config/config.yaml, "
            "limits), found after import because the source could not apply a limit in its "
            "query, e.g. a year outside the range; no person screened them."
        )
    if counts.has_other_methods:
        notes.append(
            f"Other methods: {w.records} also found in a database or register are counted as "
            f"duplicates in the other-methods column; the other {w.records} were de-duplicated "
            "and screened with those from databases and registers."
        )
    if counts.fulltext is StageState.NOT_STARTED:
        notes.append(
            "Full-text retrieval and eligibility assessment have not started: their boxes are "
            "pending."
        )
    notes.append(
        f"A {w.record} found by several searches is counted once for each search. Counts "
        "derived by realist-review from the search log, deduplication and screening tables."
    )
    return notes


# --------------------------------------------------------------------------------------------
# Geometry
# --------------------------------------------------------------------------------------------
def _wrap_paras(
    paras: Sequence[_Para], width: float, style: Style, size: float
) -> list[tuple[str, float, bool, str]]:
    """(text, x offset, bold, field) per line; a count's field goes on its paragraph's last
    line, where ``(n = ...)`` ends up."""
    out: list[tuple[str, float, bool, str]] = []
    for para in paras:
        offset = para.level * style.indent
        first, *rest = wrap_text(para.text, width - offset, size, para.bold)
        # continuation lines hang under the first (rewrapped to the narrower width)
        hang = offset + style.hang
        rest = wrap_text(" ".join(rest), width - hang, size, para.bold) if rest else []
        out.append((first, offset, para.bold, "" if rest else para.field))
        for index, text in enumerate(rest):
            out.append((text, hang, para.bold, para.field if index == len(rest) - 1 else ""))
    return out


def _content_height(
    content: _Content,
    width: float,
    style: Style,
    size: float | None = None,
    min_lines: int | None = None,
) -> float:
    lines = _wrap_paras(content.paras, width - 2 * style.pad_x, style, size or style.font_size)
    floor = style.min_lines if min_lines is None else min_lines
    return max(len(lines), floor) * style.line_height + 2 * style.pad_y


def _place(
    content: _Content,
    kind: str,
    x: float,
    y: float,
    w: float,
    h: float,
    style: Style,
    size: float | None = None,
) -> Box:
    size = size or style.font_size
    wrapped = _wrap_paras(content.paras, w - 2 * style.pad_x, style, size)
    block = len(wrapped) * style.line_height
    top = y + (h - block) / 2
    lines = []
    for index, (text, offset, bold, field_name) in enumerate(wrapped):
        baseline = top + index * style.line_height + style.line_height / 2 + 0.36 * size
        if content.centred:
            lx = x + (w - text_width(text, size, bold)) / 2
        else:
            lx = x + style.pad_x + offset
        lines.append(Line(text, lx, baseline, size, bold, field_name))
    return Box(content.key, kind, x, y, w, h, tuple(lines), content.pending)


def _band(key: str, label: str, x: float, y: float, h: float, style: Style) -> Box:
    line = Line(label, x + style.band_width / 2, y + h / 2, style.band_size, True, rotated=True)
    return Box(key, "band", x, y, style.band_width, h, (line,))


def _arrow_h(a: Box, b: Box) -> Arrow:
    y = a.cy
    return Arrow(((a.right, y), (b.x, y)))


def _arrow_v(a: Box, b: Box) -> Arrow:
    return Arrow(((a.cx, a.bottom), (a.cx, b.y)))


_ROWS = ("identified", "screened", "sought", "assessed", "included")
_SIDE = {
    "identified": "removed",
    "screened": "excluded",
    "sought": "not_retrieved",
    "assessed": "reports_excluded",
}


def build_layout(
    counts: PrismaCounts,
    *,
    wording: Wording | str = "records",
    estimate: StoppingEstimate | None = None,
    style: Style | None = None,
) -> Layout:
    """Lay out the PRISMA 2020 flow diagram of ``counts``.

    Args:
        counts: the derived counts.
        wording: ``records`` (PRISMA's records/reports) or ``documents``.
        estimate: the screening stopping rule's latest estimate, shown while screening is in
            progress and in the footnote on automation exclusions.
        style: sizes and colours.
    """
    st = style or Style()
    w = get_wording(wording) if isinstance(wording, str) else wording
    if estimate is not None and estimate.stopped == "before_target":
        w = replace(w, stopped_early=True)
    with_other = counts.has_other_methods

    # columns (x positions)
    x_band = st.margin
    x_main = x_band + st.band_width + st.band_gap
    x_side = x_main + st.main_width + st.side_gap
    right = x_side + st.side_width
    x_other = x_other_side = 0.0
    if with_other:
        x_other = right + st.column_gap
        x_other_side = x_other + st.other_main_width + st.side_gap
        right = x_other_side + st.other_side_width
    width = right + st.margin

    # contents per row and column
    dbr = _column_contents(counts.dbr, "", counts, w)
    dbr["identified"] = _identified_dbr(counts, w)
    cells: dict[tuple[str, str], tuple[_Content, float, float]] = {}
    for row in _ROWS[:-1]:
        cells[(row, "main")] = (dbr[row], x_main, st.main_width)
        cells[(row, "side")] = (dbr[_SIDE[row]], x_side, st.side_width)
    cells[("included", "main")] = (_included(counts, w), x_main, st.main_width)
    if with_other:
        oth = _column_contents(counts.other, "other_", counts, w)
        oth["identified"] = _identified_other(counts, w)
        for row in _ROWS[:-1]:
            cells[(row, "other")] = (oth[row], x_other, st.other_main_width)
            cells[(row, "other_side")] = (oth[_SIDE[row]], x_other_side, st.other_side_width)

    row_height: dict[str, float] = {}
    for row in _ROWS:
        heights = [
            _content_height(content, cw, st)
            for (r, _), (content, _, cw) in cells.items()
            if r == row
        ]
        row_height[row] = max(heights)
    # the band labels must fit along their bands
    ident_min = text_width(w.label("identification"), st.band_size, True) + 2 * st.pad_y
    incl_min = text_width(w.label("included"), st.band_size, True) + 2 * st.pad_y
    row_height["identified"] = max(row_height["identified"], ident_min)
    row_height["included"] = max(row_height["included"], incl_min)

    boxes: list[Box] = []
    y = st.margin
    banner_paras = _banner_text(counts, w, estimate)
    if banner_paras:
        banner = _Content("banner", tuple(banner_paras))
        bh = _content_height(banner, right - x_band, st, min_lines=1)
        boxes.append(_place(banner, "banner", x_band, y, right - x_band, bh, st))
        y += bh + st.row_gap * 0.6

    # headers
    header_dbr = _Content("header_dbr", (_Para(w.label("header_dbr"), bold=True),), centred=True)
    header_w = x_side + st.side_width - x_main
    hh = _content_height(header_dbr, header_w, st, st.header_size, 1)
    header_other = None
    if with_other:
        header_other = _Content(
            "header_other", (_Para(w.label("header_other"), bold=True),), centred=True
        )
        hh = max(hh, _content_height(header_other, right - x_other, st, st.header_size, 1))
    boxes.append(_place(header_dbr, "header_dbr", x_main, y, header_w, hh, st, st.header_size))
    if header_other is not None:
        boxes.append(
            _place(
                header_other, "header_other", x_other, y, right - x_other, hh, st, st.header_size
            )
        )
    y += hh + st.row_gap * 0.6

    row_top: dict[str, float] = {}
    placed: dict[tuple[str, str], Box] = {}
    for row in _ROWS:
        row_top[row] = y
        for (r, col), (content, cx, cw) in cells.items():
            if r == row:
                placed[(r, col)] = _place(content, "box", cx, y, cw, row_height[row], st)
        y += row_height[row] + st.row_gap
    height = y - st.row_gap

    # bands
    boxes.append(
        _band("band_identification", w.label("identification"), x_band, row_top["identified"],
              row_height["identified"], st)
    )  # fmt: skip
    screening_top = row_top["screened"]
    screening_h = row_top["assessed"] + row_height["assessed"] - screening_top
    boxes.append(
        _band("band_screening", w.label("screening"), x_band, screening_top, screening_h, st)
    )
    boxes.append(
        _band("band_included", w.label("included"), x_band, row_top["included"],
              row_height["included"], st)
    )  # fmt: skip
    boxes += placed.values()

    # arrows
    arrows: list[Arrow] = []
    columns = [("main", "side")] + ([("other", "other_side")] if with_other else [])
    for main, side in columns:
        for index, row in enumerate(_ROWS[:-1]):
            arrows.append(_arrow_h(placed[(row, main)], placed[(row, side)]))
            nxt = _ROWS[index + 1]
            if (nxt, main) in placed:
                arrows.append(_arrow_v(placed[(row, main)], placed[(nxt, main)]))
    if with_other:
        src, dst = placed[("assessed", "other")], placed[("included", "main")]
        arrows.append(Arrow(((src.cx, src.bottom), (src.cx, dst.cy), (dst.right, dst.cy))))

    # footnotes
    footnotes: list[Line] = []
    y = height + st.row_gap * 0.8
    note_width = right - x_band
    for index, note in enumerate(_footnotes(counts, w, estimate)):
        y += st.footnote_size * 0.4 if index else 0.0
        for text in wrap_text(note, note_width, st.footnote_size):
            y += st.footnote_size * 1.35
            footnotes.append(Line(text, x_band, y, st.footnote_size))
    height = y + st.margin

    return Layout(width, height, tuple(boxes), tuple(arrows), tuple(footnotes), st)
