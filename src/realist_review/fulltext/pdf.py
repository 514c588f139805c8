"""PDF full texts: characters from pypdfium2, the layout work done here.

Steps, each a small pure function over plain tuples:

1. :func:`extract_pages` reads every character with its box, size, font and weight
   (pypdfium2, Apache-2.0/BSD: fast, and it tells encrypted and broken files apart);
2. characters become *spans* (runs on one baseline without a wide gap);
3. running headers and footers (the same text near the top or bottom edge of several pages, page
   numbers) are removed;
4. each page is cut into columns at vertical gutters that narrow spans leave empty, and spans
   crossing a gutter (titles, wide tables) separate the page into bands: bands top to bottom,
   columns left to right within a band (two, three or more columns);
5. lines become blocks: headings (larger or bold type than the body, short, numbered or naming a
   section; also bold run-in headings), captions ("Figure 2", "Table 1" starting a block) and
   paragraphs (a gap, an indent or a short last line ends one), with hyphenation at line ends
   joined when the joined word is used in the document or the hyphenated form is not;
6. headings give sections; reference entries are kept apart.
"""

from __future__ import annotations

import ctypes
import itertools
import math
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from realist_review.fulltext.model import (
    Block,
    Document,
    Kind,
    Section,
    Status,
    assemble,
    failed,
)
from realist_review.fulltext.sections import classify_heading, numbering_depth

#: Fewer characters than this per page on average, with images present: a scan.
MIN_CHARS_PER_PAGE = 80
#: Font weights at or above this are bold.
BOLD_WEIGHT = 600
_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi|-bd\b|\bbd\b|[.,-]b$|medi", re.I)
_CAPTION = re.compile(
    r"^(fig(ure)?s?\.?|table|tab\.|scheme|chart|plate|box)\s*(s?\d+|[ivx]+)[a-z]?\b\s*[.:|)\-–—]?",
    re.I,
)
_REF_START = re.compile(r"^(\[\d{1,3}\]|\d{1,3}\.\s|\(\d{1,3}\)\s)")
_TERMINAL = re.compile(r"[.?!:]['\")\]]?$")
_LETTER = re.compile(r"[A-Za-zÀ-ÿ]")
_PAGE_NUMBER = re.compile(r"^(page\s*)?\d{1,4}(\s*(of|/)\s*\d{1,4})?$", re.I)
_HYPHENS = "-\u2010\u00ad"


class Char(NamedTuple):
    """One character: text, box (top-down y: ``top`` < ``bottom``), size, font id, bold."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str
    bold: bool


@dataclass(slots=True)
class Span:
    """Characters on one baseline without a wide gap (a word run), on one page."""

    page: int
    chars: list[Char] = field(default_factory=list)
    text: str = ""

    @property
    def x0(self) -> float:
        return self.chars[0].x0

    @property
    def x1(self) -> float:
        return max(c.x1 for c in self.chars)

    @property
    def top(self) -> float:
        return min(c.top for c in self.chars)

    @property
    def bottom(self) -> float:
        return max(c.bottom for c in self.chars)


@dataclass(slots=True)
class Line:
    """Spans on one line of one column, left to right."""

    page: int
    spans: list[Span]
    column: tuple[float, float]
    break_before: bool = False
    #: across the columns of a page that has columns, below column text (tables, figures)
    floating: bool = False

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.spans).strip()

    @property
    def x0(self) -> float:
        return self.spans[0].x0

    @property
    def x1(self) -> float:
        return max(s.x1 for s in self.spans)

    @property
    def top(self) -> float:
        return min(s.top for s in self.spans)

    @property
    def bottom(self) -> float:
        return max(s.bottom for s in self.spans)

    def chars(self) -> list[Char]:
        return [c for s in self.spans for c in s.chars if c.text.strip()]


@dataclass(frozen=True, slots=True)
class PageText:
    """Characters of one page (in content order) and whether it holds images."""

    number: int
    chars: tuple[Char, ...]
    images: int
    height: float


# --------------------------------------------------------------------------------------------
# 1. characters
# --------------------------------------------------------------------------------------------
def _is_bold(name: str, weight: int, flags: int) -> bool:
    return weight >= BOLD_WEIGHT or bool(_BOLD_NAME.search(name)) or bool(flags & 0x40000)


def _rotate(box: tuple[float, float, float, float], quarter: int) -> tuple[float, ...]:
    """A box (left, right, bottom, top; y up) turned back by ``quarter`` x 90 degrees."""
    left, right, bottom, top = box
    if quarter == 1:
        return (bottom, top, -right, -left)
    if quarter == 2:
        return (-right, -left, -top, -bottom)
    if quarter == 3:
        return (-top, -bottom, left, right)
    return box


def _page_chars(page: pdfium.PdfPage) -> tuple[Char, ...]:
    """Characters of a page in content order, turned so the main text direction runs across.

    Text in other directions than the page's main one (axis labels, margin notes) is dropped.
    """
    textpage = page.get_textpage()
    handle = textpage.raw
    count = pdfium_c.FPDFText_CountChars(handle)
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    rect = pdfium_c.FS_RECTF()
    matrix = pdfium_c.FS_MATRIX()
    name_buf = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    objects: dict[int, tuple[int, float, str, bool]] = {}
    raw: list[tuple[str, tuple[float, float, float, float], int, float, str, bool] | None] = []
    directions: Counter[int] = Counter()
    units = (ctypes.c_ushort * (count + 1))()
    pdfium_c.FPDFText_GetText(handle, 0, count, units)
    for index in range(count):
        code = units[index]
        if code == 0xFFFE and pdfium_c.FPDFText_IsHyphen(handle, index) == 1:
            code = 2  # pdfium's mark for a hyphen at a line end
        if code in (0, 0xFFFE, 0xFFFF, 10, 13) or 0xDC00 <= code <= 0xDFFF:
            continue
        if 0xD800 <= code <= 0xDBFF:
            low = units[index + 1]
            if not 0xDC00 <= low <= 0xDFFF:
                continue
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        text = chr(code)
        if text.isspace():
            raw.append(None)
            continue
        if code in (2, 0x2D) and (code == 2 or pdfium_c.FPDFText_IsHyphen(handle, index) == 1):
            text = "-"  # a hyphen at a line end: _join decides whether to keep it
        pdfium_c.FPDFText_GetLooseCharBox(handle, index, rect)
        # Font, size and direction belong to the text object: look them up once per object.
        obj = ctypes.cast(pdfium_c.FPDFText_GetTextObject(handle, index), ctypes.c_void_p).value
        style = objects.get(obj) if obj else None
        if style is None:
            pdfium_c.FPDFText_GetMatrix(handle, index, matrix)
            angle = math.degrees(math.atan2(matrix.b, matrix.a)) % 360
            quarter = round(angle / 90) % 4 if abs(angle - 90 * round(angle / 90)) < 10 else -1
            size = pdfium_c.FPDFText_GetFontSize(handle, index) * math.hypot(matrix.c, matrix.d)
            length = pdfium_c.FPDFText_GetFontInfo(handle, index, name_buf, 128, flags)
            weight = pdfium_c.FPDFText_GetFontWeight(handle, index)
            name = name_buf.value.decode("latin-1", "replace") if length else ""
            style = (quarter, round(size, 1), name, _is_bold(name, weight, flags.value))
            if obj:
                objects[obj] = style
        quarter, size, font_name, bold = style
        if size <= 0:
            size = round(max(1.0, rect.top - rect.bottom), 1)
        box = (rect.left, rect.right, rect.bottom, rect.top)
        if quarter == 0:
            # Tight horizontal extent (ligatures share one loose box), loose vertical extent.
            pdfium_c.FPDFText_GetCharBox(handle, index, left, right, bottom, top)
            if right.value > left.value:
                box = (left.value, right.value, rect.bottom, rect.top)
        directions[quarter] += 1
        raw.append((text, box, quarter, size, font_name, bold))
    textpage.close()
    if not directions:
        return ()
    main = directions.most_common(1)[0][0]
    chars: list[Char] = []
    seen: set[tuple[str, int, int]] = set()
    for entry in raw:
        if entry is None:
            if chars and chars[-1].text != " ":
                last = chars[-1]
                chars.append(
                    Char(" ", last.x1, last.x1, last.top, last.bottom, last.size, "", False)
                )
            continue
        text, box, quarter, size, font_name, bold = entry
        if quarter != main:
            continue
        x0, x1, y0, y1 = _rotate(box, main)
        place = (text, round(x0 * 2), round(y0 * 2))
        if place in seen:
            continue  # the same glyph drawn twice (fake bold, overprint)
        seen.add(place)
        chars.append(Char(text, x0, x1, -y1, -y0, size, font_name, bold))
    return tuple(chars)


def _image_count(page: pdfium.PdfPage) -> int:
    return sum(1 for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def extract_pages(pdf: pdfium.PdfDocument) -> list[PageText]:
    """Characters and image counts of every page of an opened PDF."""
    pages: list[PageText] = []
    for number in range(len(pdf)):
        page = pdf[number]
        try:
            chars = _page_chars(page)
            images = _image_count(page) if len(chars) < MIN_CHARS_PER_PAGE else 0
            height = page.get_height()
        finally:
            page.close()
        pages.append(PageText(number=number + 1, chars=chars, images=images, height=height))
    return pages


# --------------------------------------------------------------------------------------------
# 2. spans
# --------------------------------------------------------------------------------------------
def make_spans(page: PageText) -> list[Span]:
    """Group a page's characters (content order) into spans."""
    spans: list[Span] = []
    current: Span | None = None
    pending_space = False
    for char in page.chars:
        if char.text == " ":
            pending_space = True
            continue
        if current is not None:
            last = current.chars[-1]
            size = max(last.size, char.size, 1.0)
            same_line = abs(char.bottom - last.bottom) < 0.4 * size or (
                char.top >= last.top - 0.2 * size and char.bottom <= last.bottom + 0.2 * size
            )
            gap = char.x0 - last.x1
            backward = gap < -1.0 * size and char.x0 < last.x0 - 0.1
            if not same_line or backward or gap > 0.9 * size:
                spans.append(current)
                current = None
            elif pending_space or gap > 0.2 * size:
                current.text += " "
        if current is None:
            current = Span(page=page.number)
        current.chars.append(char)
        current.text += char.text
        pending_space = False
    if current is not None:
        spans.append(current)
    for span in spans:
        span.text = span.text.strip()
    return [s for s in spans if s.text]


# --------------------------------------------------------------------------------------------
# 3. running headers and footers
# --------------------------------------------------------------------------------------------
def _edge_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.lower())).strip()


def remove_running_lines(pages: list[list[Span]], heights: Sequence[float]) -> list[list[Span]]:
    """Drop spans near the top or bottom edge repeated on two or more pages, and page numbers."""
    zones: list[tuple[set[int], set[int]]] = []
    counts: Counter[str] = Counter()
    for spans, height in zip(pages, heights, strict=True):
        if not spans:
            zones.append((set(), set()))
            continue
        top = min(s.top for s in spans)
        bottom = max(s.bottom for s in spans)
        margin = 0.07 * max(height, bottom - top)
        head = {i for i, s in enumerate(spans) if s.top <= top + margin}
        foot = {i for i, s in enumerate(spans) if s.bottom >= bottom - margin}
        zones.append((head, foot))
        counts.update({_edge_key(spans[i].text) for i in head | foot})
    minimum = 2 if len(pages) <= 6 else max(2, len(pages) // 4)
    cleaned: list[list[Span]] = []
    for spans, (head, foot) in zip(pages, zones, strict=True):
        drop = {
            i
            for i in head | foot
            if counts[_edge_key(spans[i].text)] >= minimum
            or _PAGE_NUMBER.match(spans[i].text.strip())
        }
        cleaned.append([s for i, s in enumerate(spans) if i not in drop])
    return cleaned


# --------------------------------------------------------------------------------------------
# 4. columns and reading order
# --------------------------------------------------------------------------------------------
def _edge_gutters(spans: Sequence[Span], width: float) -> list[tuple[float, float]]:
    """Gutters before the left edges that many prose lines share (column starts).

    A column start is an x where at least a tenth of the prose lines begin; the lines of the
    column to its left must (nearly all) end before it. Robust against a few lines (titles,
    author lists, wide tables) that cross the gutter.
    """
    prose = [s for s in spans if len(s.text) >= 12 and (s.x1 - s.x0) < 0.6 * width]
    if len(prose) < 8:
        return []
    bins: Counter[int] = Counter(int(s.x0 // 3) for s in prose)
    need = max(4, int(0.1 * len(prose)))
    starts: list[float] = []
    for key in sorted(bins):
        count = bins[key] + bins.get(key + 1, 0)
        if count >= need and not (starts and key * 3 - starts[-1] < 12):
            starts.append(key * 3.0)
    gutters: list[tuple[float, float]] = []
    column_start = starts[0] if starts else 0.0
    for start in starts[1:]:
        members = [s for s in prose if column_start - 3 <= s.x0 < start - 12]
        beyond = [s for s in prose if s.x0 >= start - 3]
        if len(members) < 4 or len(beyond) < max(5, 0.08 * len(prose)):
            continue
        before = [s.x1 for s in members if s.x1 < start + 1]
        if len(before) < 0.7 * len(members):
            continue  # most lines run on: an indent, not a column start
        end = max(before)
        if start - end >= 4:
            gutters.append((end, start))
            column_start = start
    return gutters


def find_gutters(spans: Sequence[Span], *, min_width: float = 6.0) -> list[tuple[float, float]]:
    """Vertical gutters between columns: from shared column starts, else from empty strips."""
    if len(spans) < 8:
        return []
    left = min(s.x0 for s in spans)
    right = max(s.x1 for s in spans)
    width = right - left
    if width < 100:
        return []
    edges = _edge_gutters(spans, width)
    if edges:
        return edges
    return _empty_strips(spans, left, right, min_width)


def _empty_strips(
    spans: Sequence[Span], left: float, right: float, min_width: float
) -> list[tuple[float, float]]:
    """Vertical strips that narrow spans leave (almost) empty, with text on both sides."""
    width = right - left
    # Prose lines only: table cells and labels are short and would fill the gutters.
    narrow = [s for s in spans if (s.x1 - s.x0) < 0.55 * width and len(s.text) >= 12]
    if len(narrow) < 8:
        return []
    cells = int(width) + 1
    coverage = [0] * cells
    for s in narrow:
        for x in range(int(s.x0 - left), min(cells, int(s.x1 - left) + 1)):
            coverage[x] += 1
    dense = sorted(coverage)[int(0.8 * (cells - 1))]
    limit = max(0, int(0.05 * dense))
    gutters: list[tuple[float, float]] = []
    start: int | None = None
    for x in range(cells + 1):
        empty = x < cells and coverage[x] <= limit
        if empty and start is None:
            start = x
        elif not empty and start is not None:
            if start > 0 and x < cells and x - start >= min_width:
                gutters.append((left + start, left + x))
            start = None
    kept: list[tuple[float, float]] = []
    total = sum(len(s.text) for s in narrow)
    for g0, g1 in gutters:
        west = [s for s in narrow if s.x1 <= g0 + 1]
        east = [s for s in narrow if s.x0 >= g1 - 1]
        # A short last column still counts (the end of an article): a few lines suffice.
        if (
            min(len(west), len(east)) >= 3
            and min(sum(len(s.text) for s in west), sum(len(s.text) for s in east)) >= 0.04 * total
        ):
            kept.append((g0, g1))
    return kept


def _group_lines(spans: list[Span], column: tuple[float, float]) -> list[Line]:
    ordered = sorted(spans, key=lambda s: (s.bottom, s.x0))
    lines: list[Line] = []
    for span in ordered:
        middle = (span.top + span.bottom) / 2
        for line in reversed(lines[-3:]):
            if line.top - 0.5 <= middle <= line.bottom + 0.5:
                line.spans.append(span)
                break
        else:
            lines.append(Line(page=span.page, spans=[span], column=column))
    for line in lines:
        line.spans.sort(key=lambda s: s.x0)
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    return lines


def reading_order(
    spans: list[Span], gutters: Sequence[tuple[float, float]] | None = None
) -> list[Line]:
    """Lines of one page in reading order: bands top to bottom, columns left to right.

    ``gutters`` default to :func:`find_gutters` of the page.
    """
    if not spans:
        return []
    gutters = list(find_gutters(spans) if gutters is None else gutters)
    left = min(s.x0 for s in spans)
    right = max(s.x1 for s in spans)
    bounds = [left, *[x for g in gutters for x in g], right]
    columns = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]

    def crosses(span: Span) -> bool:
        return any(span.x0 < g0 - 1 and span.x1 > g1 + 1 for g0, g1 in gutters)

    ordered = sorted(spans, key=lambda s: (s.top, s.x0))
    lines: list[Line] = []
    band: list[Span] = []
    wide: list[Span] = []

    def flush_band() -> None:
        for col in columns:
            members = [s for s in band if col[0] - 1 <= (s.x0 + s.x1) / 2 <= col[1] + 1]
            column_lines = _group_lines(members, col)
            if column_lines:
                column_lines[0].break_before = True
            lines.extend(column_lines)
        band.clear()

    def flush_wide() -> None:
        wide_lines = _group_lines(list(wide), (left, right))
        if wide_lines:
            wide_lines[0].break_before = True
        if any(line.column != (left, right) for line in lines):
            for line in wide_lines:
                line.floating = True
        lines.extend(wide_lines)
        wide.clear()

    for span in ordered:
        if gutters and crosses(span):
            if band:
                flush_band()
            wide.append(span)
        else:
            if wide:
                flush_wide()
            band.append(span)
    if wide:
        flush_wide()
    if band:
        flush_band()
    return lines


# --------------------------------------------------------------------------------------------
# 5. blocks: headings, captions, paragraphs
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Style:
    """The body text's size and weight, found as the most used among all characters."""

    size: float
    bold: bool
    font: str = ""


def body_style(lines: Sequence[Line]) -> Style:
    """The most common (size, bold) pair, counted by characters."""
    counts: Counter[tuple[float, bool]] = Counter()
    prose = [line for line in lines if len(line.text) >= 25] or list(lines)
    for line in prose:
        for char in line.chars():
            counts[(round(char.size * 2) / 2, char.bold)] += 1
    if not counts:
        return Style(10.0, False)
    (size, bold), _ = counts.most_common(1)[0]
    fonts = Counter(c.font for line in prose for c in line.chars())
    return Style(size, bold, fonts.most_common(1)[0][0])


def _line_font(line: Line) -> str:
    """The font of a line when (nearly) all its characters use it, else ``""``."""
    fonts = Counter(c.font for c in line.chars())
    if not fonts:
        return ""
    font, count = fonts.most_common(1)[0]
    return font if count >= 0.9 * sum(fonts.values()) else ""


def _is_body_line(line: Line | None, body: Style) -> bool:
    if line is None:
        return False
    size, bold = _line_style(line)
    return abs(size - body.size) <= 0.6 and bold == body.bold and _line_font(line) == body.font


def _line_style(line: Line) -> tuple[float, bool]:
    chars = line.chars()
    if not chars:
        return (0.0, False)
    sizes = Counter(round(c.size * 2) / 2 for c in chars)
    bold = sum(c.bold for c in chars) >= 0.8 * len(chars)
    return (sizes.most_common(1)[0][0], bold)


def _is_heading(line: Line, body: Style, following: Line | None = None) -> bool:
    """Whether a line is a section heading (see the module docstring for the cues)."""
    text = line.text
    size, bold = _line_style(line)
    letters = _LETTER.findall(text)
    words = len(text.split())
    if len(letters) < 3 or len(text) > 160 or words > 20:
        return False
    if text[0].islower() or ";" in text or "|" in text or text.endswith(","):
        return False
    digits = sum(ch.isdigit() for ch in text)
    if (
        digits > 0.2 * len(text.replace(" ", ""))
        or len(re.findall(r"\b\d+(?:\.\d+)?\b", text)) >= 3
    ):
        return False
    if _CAPTION.match(text):
        return False
    if (
        following is not None
        and following.text[:1].islower()
        and following.page == line.page
        and 0 < following.top - line.bottom < 2 * body.size
    ):
        # The sentence runs on into the next line: emphasis or a list item, not a heading.
        return False
    numbered = numbering_depth(text) > 0
    width = line.column[1] - line.column[0]
    known = (
        classify_heading(text) is not None
        and words <= 5
        and not text.endswith(_HYPHENS)
        and line.x1 - line.x0 < 0.7 * width
    )
    upper = text.upper() == text and len(letters) >= 4
    if known and (upper or not text.endswith(".")):
        return True
    small = size < body.size - 0.6
    if not small and bold and not body.bold:
        return not (text.endswith(".") and words > 12)
    if size >= body.size + 0.9:
        # Larger type: a heading is short and the line after it is in another style (else
        # this is a paragraph printed larger, such as an abstract or a lead).
        same_next = following is not None and _line_style(following) == (size, bold)
        return line.x1 - line.x0 < 0.8 * width and not (
            same_next and following is not None and len(following.text) > 40
        )
    # A short line in another font than the prose right after it (subheadings in another
    # family or in italics, back-matter headings in small print).
    font = _line_font(line)
    if numbered and font and font != body.font and abs(size - body.size) <= 1.6:
        return words <= 10 and ":" not in text and line.x1 - line.x0 < 0.95 * width
    if following is None or len(following.text) < 30:
        return False
    next_size, next_bold = _line_style(following)
    return (
        bool(font)
        and font != _line_font(following)
        and not next_bold
        and -1.2 <= size - next_size <= 1.6
        and words <= 14
        and (not text.endswith(".") or numbered)
        and (line.x1 - line.x0 < 0.85 * width or numbered)
    )


def _line_chars(line: Line) -> list[Char]:
    """The line's characters with a space between its spans."""
    chars: list[Char] = []
    for span in line.spans:
        if chars:
            last = chars[-1]
            chars.append(Char(" ", last.x1, last.x1, last.top, last.bottom, last.size, "", False))
        chars.extend(span.chars)
    return chars


def _cut_after(text: str, visible: int) -> int:
    """Index in ``text`` just after its first ``visible`` non-space characters."""
    seen = 0
    for index, char in enumerate(text):
        if not char.isspace():
            seen += 1
            if seen == visible:
                return index + 1
    return len(text)


def _run_in_heading(line: Line, body: Style) -> int:
    """Length of a run-in heading at the start of a paragraph line, or 0.

    The heading is bold (body text is not) or in another font (italics), ends with "." or
    ":" or is numbered, and body text follows on the same line: "2.1. Design. We ...".
    """
    chars = _line_chars(line)
    visible = [c for c in chars if c.text != " "]
    if len(visible) < 6:
        return 0
    first = visible[0]
    rest_font = Counter(c.font for c in visible[len(visible) // 2 :]).most_common(1)[0][0]
    by_weight = first.bold and not body.bold
    by_font = first.font != rest_font
    if not (by_weight or by_font):
        return 0
    count = 0
    for char in chars:
        if char.text != " " and (
            (by_weight and not char.bold) or (not by_weight and char.font != first.font)
        ):
            break
        count += 1
    prefix = "".join(c.text for c in chars[:count]).strip()
    rest = "".join(c.text for c in chars[count:]).strip()
    if not rest or len(prefix) < 3 or len(prefix) > 100 or len(_LETTER.findall(prefix)) < 3:
        return 0
    if len(prefix.split()) > 12 or prefix[:1].islower():
        return 0
    if prefix.endswith((".", ":")) or (by_weight and numbering_depth(prefix)):
        return count
    return 0


def _join(left: str, right: str, lexicon: set[str]) -> str:
    if not left:
        return right
    if left[-1] in _HYPHENS and len(left) > 1 and left[-2].isalpha() and right[:1].islower():
        head = re.findall(r"[\w]+$", left[:-1])
        tail = re.findall(r"^[\w]+", right)
        if left[-1] == "\u00ad":
            return left[:-1] + right
        if head and tail:
            joined = (head[0] + tail[0]).lower()
            if joined in lexicon or (head[0] + "-" + tail[0]).lower() not in lexicon:
                return left[:-1] + right
        return left + right
    if left.endswith("\u00ad"):
        return left[:-1] + right
    return left + " " + right


@dataclass
class _Draft:
    kind: str  # "heading", "caption", "para"
    lines: list[Line] = field(default_factory=list)
    text: str = ""
    pages: list[tuple[int, int]] = field(default_factory=list)
    style: tuple[float, bool] = (0.0, False)
    run_in: bool = False

    def add(self, line: Line, text: str, lexicon: set[str]) -> None:
        if not self.pages or self.pages[-1][1] != line.page:
            joined = _join(self.text, text, lexicon)
            offset = len(joined) - len(text)
            self.pages.append((max(0, offset), line.page))
            self.text = joined
        else:
            self.text = _join(self.text, text, lexicon)
        self.lines.append(line)


def _pitch(lines: Sequence[Line], body: Style) -> float:
    steps = [
        b.top - a.top
        for a, b in itertools.pairwise(lines)
        if a.page == b.page and a.column == b.column and 0 < b.top - a.top < 3 * body.size
    ]
    return statistics.median(steps) if steps else 1.2 * body.size


def make_blocks(lines: list[Line]) -> tuple[list[_Draft], Style]:
    """Headings, captions and paragraphs from lines in reading order."""
    body = body_style(lines)
    pitch = _pitch(lines, body)
    lexicon = {w.lower() for ln in lines for w in re.findall(r"[\w][\w-]*[\w]", ln.text)}
    drafts: list[_Draft] = []
    current: _Draft | None = None
    previous: Line | None = None
    for position, line in enumerate(lines):
        text = line.text
        style = _line_style(line)
        following = lines[position + 1] if position + 1 < len(lines) else None
        new_area = previous is None or line.break_before or previous.page != line.page
        gap = 0.0 if previous is None or new_area else line.top - previous.top
        col0, _col1 = line.column
        if line.floating and not _CAPTION.match(text) and not _is_heading(line, body, following):
            # Text across the columns below column text: a table or figure, kept apart.
            if current is None or current.kind != "table" or line.break_before:
                current = _Draft("table", style=style)
                drafts.append(current)
            current.add(line, text, lexicon)
            previous = line
            continue
        if _is_heading(line, body, following):
            if (
                current is not None
                and current.kind == "heading"
                and current.style == style
                and not new_area
                and gap < 2.0 * pitch
                and len(current.lines) < 3
            ):
                current.add(line, text, lexicon)
            else:
                current = _Draft("heading", style=style)
                current.add(line, text, lexicon)
                drafts.append(current)
            previous = line
            continue
        starts_block = (
            current is None
            or current.kind == "heading"
            or (not new_area and gap > 1.45 * pitch)
            or (not new_area and style[0] and abs(style[0] - current.style[0]) > 0.6)
        )
        indented = line.x0 - col0 > 0.8 * body.size and line.x0 - col0 < 6 * body.size
        if current is not None and current.kind != "heading" and not starts_block:
            last = current.lines[-1]
            last_short = last.x1 < last.column[1] - 2.5 * body.size
            ended = bool(_TERMINAL.search(current.text))
            was_flush = last.x0 - last.column[0] < 0.5 * body.size
            if new_area:
                starts_block = indented or (ended and (last_short or text[:1].isupper()))
            else:
                starts_block = (indented and was_flush) or (ended and last_short)
        if current is not None and current.kind == "caption" and not starts_block:
            starts_block = False
        elif _CAPTION.match(text) and (starts_block or style != current_style(current)):
            starts_block = True
            current = _Draft("caption", style=style)
            current.add(line, text, lexicon)
            drafts.append(current)
            previous = line
            continue
        run_in = _run_in_heading(line, body) if starts_block else 0
        if run_in:
            chars = _line_chars(line)
            cut = _cut_after(text, sum(1 for c in chars[:run_in] if c.text != " "))
            heading = text[:cut].strip()
            drafts.append(_Draft("heading", lines=[line], text=heading, style=style, run_in=True))
            drafts[-1].pages.append((0, line.page))
            text = text[cut:].strip()
        if starts_block or current is None:
            current = _Draft("para", style=style)
            drafts.append(current)
        current.add(line, text, lexicon)
        previous = line
    return drafts, body


def current_style(draft: _Draft | None) -> tuple[float, bool]:
    """Style of the block being built (for telling a caption from body text)."""
    return draft.style if draft is not None else (0.0, False)


# --------------------------------------------------------------------------------------------
# 6. sections
# --------------------------------------------------------------------------------------------
def _clean_heading(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().rstrip(".:").strip()


def _is_table_like(draft: _Draft, body: Style) -> bool:
    """Text of a table or figure: mostly short cells in another size than the body."""
    lines = draft.lines
    if not lines:
        return False
    multi = sum(len(ln.spans) >= 3 for ln in lines) / len(lines)
    widths = [ln.x1 - ln.x0 for ln in lines]
    column = max(ln.column[1] - ln.column[0] for ln in lines) or 1.0
    short = statistics.mean(widths) < 0.45 * column
    # Smaller type in cells: rows of several spans, or lines that do not fill the column.
    cells = sum(len(ln.spans) >= 2 for ln in lines) / len(lines)
    smaller = draft.style[0] < body.size - 0.6 and (
        cells >= 0.3 or statistics.mean(widths) < 0.75 * column
    )
    small = abs(draft.style[0] - body.size) > 0.6
    return (
        multi >= 0.4
        or smaller
        or (small and short and len(lines) >= 2)
        or (short and len(lines) >= 4)
    )


def assign_sections(drafts: list[_Draft], body: Style) -> tuple[list[Block], list[str], str]:
    """Blocks with their section and heading, the headings found in order, and the title."""
    headings = [d for d in drafts if d.kind == "heading" and not d.run_in]
    body_sections = {
        Section.INTRODUCTION,
        Section.METHODS,
        Section.RESULTS,
        Section.DISCUSSION,
        Section.CONCLUSIONS,
    }
    # Top-level headings look like the first standalone heading naming a body section.
    top_style: tuple[float, bool] | None = next(
        (d.style for d in headings if classify_heading(d.text) in body_sections), None
    )
    blocks: list[Block] = []
    found: list[str] = []
    section = Section.OTHER
    heading = ""
    seen_body = False
    front = True
    review = False
    carry = ""
    title, title_size = "", 0.0
    for draft in drafts:
        if review or _PEER_REVIEW.match(draft.text):
            # Open peer-review reports printed after the article: not the article's text.
            review = True
            blocks.append(Block(Section.OTHER, "", draft.text, Kind.FRONT, tuple(draft.pages)))
            continue
        if draft.kind == "heading" and draft.run_in and section is Section.REFERENCES:
            carry = draft.text + " "  # a bold author or title at the start of an entry
            continue
        if carry and draft.kind != "heading":
            draft.text = carry + draft.text
            carry = ""
        if (
            draft.kind == "heading"
            and front
            and (classify_heading(draft.text) is None or _ARTICLE_TYPE.match(draft.text.strip()))
        ):
            # Title, authors, article type: front matter, not section headings.
            if not title or draft.style[0] > title_size:
                title, title_size = _clean_heading(draft.text), draft.style[0]
            blocks.append(Block(Section.OTHER, "", draft.text, Kind.FRONT, tuple(draft.pages)))
            continue
        if draft.kind == "heading":
            front = False
            text = _clean_heading(draft.text)
            known = classify_heading(text)
            depth = numbering_depth(text)
            top = depth == 1 or (depth == 0 and not draft.run_in and draft.style == top_style)
            if section is Section.REFERENCES and known is None and depth != 1:
                # Numbered reference entries look like numbered headings.
                blocks.extend(_references(draft, heading))
                continue
            if known is Section.ABSTRACT and not seen_body:
                section = Section.ABSTRACT
                if _KEYWORDS.match(text):
                    heading = text
                    continue
            elif (
                section is Section.ABSTRACT
                and not seen_body
                and (draft.run_in or _KEYWORDS.match(text))
            ):
                heading = text  # "Background:" inside a structured abstract, "Keywords"
                continue
            elif known is not None and (top or known is Section.REFERENCES or not seen_body):
                section = known
                seen_body = seen_body or known is not Section.ABSTRACT
            elif top:
                section = Section.OTHER if seen_body else section
            heading = text
            found.append(text)
            continue
        pages = tuple(draft.pages)
        if draft.kind == "table":
            blocks.append(Block(Section.OTHER, heading, draft.text, Kind.CAPTION, pages))
        elif front and draft.kind == "para" and _looks_like_abstract(draft.text):
            blocks.append(Block(Section.ABSTRACT, "", draft.text, Kind.BODY, pages))
        elif draft.kind == "caption":
            blocks.append(Block(Section.OTHER, heading, draft.text, Kind.CAPTION, pages))
        elif section is Section.REFERENCES:
            blocks.extend(_references(draft, heading))
        elif seen_body and _is_table_like(draft, body):
            blocks.append(Block(Section.OTHER, heading, draft.text, Kind.CAPTION, pages))
        elif front and section is not Section.ABSTRACT:
            blocks.append(Block(Section.OTHER, "", draft.text, Kind.FRONT, pages))
        else:
            blocks.append(Block(section, heading, draft.text, Kind.BODY, pages))
    if not any(b.kind is Kind.BODY and b.section is not Section.ABSTRACT for b in blocks):
        # No body section heading (a corrigendum, an editorial, a feature): its prose is the
        # body, not front matter.
        blocks = [
            Block(Section.OTHER, "", b.text, Kind.BODY, b.pages)
            if b.kind is Kind.FRONT
            and (len(b.text) >= 150 or (len(b.text) >= 40 and re.search(r"[.?!\"”]$", b.text)))
            and not _NOT_ABSTRACT.search(b.text)
            else b
            for b in blocks
        ]
    return blocks, found, title


_ARTICLE_TYPE = re.compile(
    r"^(case (report|study|series)|(research|review|original|short) (article|paper|report)|"
    r"review|editorial|commentary|corrigendum|erratum|letter)$",
    re.I,
)
_KEYWORDS = re.compile(r"^(keywords?|key words|trial registration)\b", re.I)
_PEER_REVIEW = re.compile(r"(open peer review|referee (report|status)|reviewer report)", re.I)
_NOT_ABSTRACT = re.compile(
    r"copyright|licen[cs]e|creative commons|open access|correspond|received|accepted|"
    r"e-?mail|published|citation:|@",
    re.I,
)


def _looks_like_abstract(text: str) -> bool:
    """Front-matter prose long enough to be an abstract printed without an "Abstract" heading."""
    return len(text) >= 300 and text.count(". ") >= 2 and not _NOT_ABSTRACT.search(text[:200])


def _references(draft: _Draft, heading: str) -> list[Block]:
    """Split a references block into entries at numbers or hanging indents."""
    entries: list[_Draft] = []
    lexicon: set[str] = set()
    for line in draft.lines:
        text = line.text
        col0 = line.column[0]
        starts = not entries or bool(_REF_START.match(text))
        if not starts and entries and not _REF_START.match(entries[-1].lines[0].text):
            first = entries[-1].lines[0]
            starts = line.x0 <= first.x0 + 1 and line.x0 - col0 < 2 and len(entries[-1].lines) > 1
            starts = starts and entries[-1].lines[-1].x0 > line.x0 + 3
        if starts:
            entries.append(_Draft("para"))
        entries[-1].add(line, text, lexicon)
    return [
        Block(Section.REFERENCES, heading, e.text, Kind.REFERENCE, tuple(e.pages)) for e in entries
    ]


# --------------------------------------------------------------------------------------------
def read_pdf(data: bytes, name: str) -> Document:
    """Read PDF bytes into a document; encrypted, broken, scanned and empty files say so."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        text = str(exc)
        if "password" in text.lower():
            return failed(
                name,
                Status.ENCRYPTED,
                "the PDF needs a password to open; ask for an unprotected copy",
            )
        return failed(name, Status.CORRUPT, f"the PDF cannot be opened ({text}); download it again")
    try:
        page_count = len(pdf)
        if page_count == 0:
            return failed(name, Status.CORRUPT, "the PDF has no pages; download it again", pages=0)
        try:
            pages = extract_pages(pdf)
        except pdfium.PdfiumError as exc:
            return failed(name, Status.CORRUPT, f"a page cannot be read ({exc})", pages=page_count)
    finally:
        pdf.close()
    return layout_document(name, pages)


def layout_document(name: str, pages: Sequence[PageText]) -> Document:
    """Run the layout steps on extracted pages and assemble the document."""
    page_count = len(pages)
    chars = sum(len(p.chars) for p in pages)
    no_text = [p.number for p in pages if len(p.chars) < MIN_CHARS_PER_PAGE and p.images]
    if chars < MIN_CHARS_PER_PAGE * max(1, page_count) / 4 and no_text:
        return failed(
            name,
            Status.SCANNED,
            f"no text layer on {len(no_text)} of {page_count} page(s) (scanned images); "
            "run OCR (e.g. ocrmypdf) or get a born-digital copy",
            pages=page_count,
        )
    if chars == 0:
        return failed(name, Status.EMPTY, "the PDF has no text and no images", pages=page_count)
    spans = [make_spans(p) for p in pages]
    spans = remove_running_lines(spans, [p.height for p in pages])
    # Columns are a property of the document: where most pages have none, gutters found on a
    # few pages (tables, figure panels, reference lists) are not columns.
    gutters = [find_gutters(page_spans) for page_spans in spans]
    texty = [g for g, page_spans in zip(gutters, spans, strict=True) if len(page_spans) >= 20]
    if texty and sum(1 for g in texty if g) < 0.6 * len(texty):
        gutters = [[] for _ in spans]
    lines = [
        line
        for page_spans, page_gutters in zip(spans, gutters, strict=True)
        for line in reading_order(page_spans, page_gutters)
    ]
    drafts, body = make_blocks(lines)
    blocks, headings, title = assign_sections(drafts, body)
    message = ""
    if no_text:
        listed = ", ".join(str(n) for n in no_text[:10])
        message = f"page(s) {listed} have no text layer (scanned); their text is missing"
    return assemble(
        name,
        blocks,
        pages=page_count,
        reader="pdf",
        title=title,
        headings=headings,
        message=message,
    )
