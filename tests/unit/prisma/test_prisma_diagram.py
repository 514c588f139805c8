"""The flow diagram: every number in the right box, no text outside its box, no overlaps,
arrows that do not cut through boxes, deterministic files."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text
from prisma_scenario import INCLUDED, Pipeline, build, excluded, typical

from realist_review.errors import InputError
from realist_review.prisma.counts import PrismaCounts
from realist_review.prisma.diagram import (
    RENDER_SETTINGS,
    draw_figure,
    svg_document,
    write_diagram,
)
from realist_review.prisma.export import counts_to_rows
from realist_review.prisma.layout import (
    Layout,
    StoppingEstimate,
    build_layout,
    text_width,
    wrap_text,
)

SVG = "{http://www.w3.org/2000/svg}"
ESTIMATE = StoppingEstimate(round=3, screened=150, includes=22, estimated_recall=0.83,
                            confidence=0.95, recall_target=0.95, p_value=0.22)  # fmt: skip


def _many_reasons() -> Pipeline:
    records = {f"r{i:02d}": ["pubmed"] for i in range(16)}
    reasons = [
        "Not about residential children's homes or comparable group living settings",
        "Wrong population", "Wrong intervention", "Opinion piece without data", "Duplicate report",
        "Not in English", "Conference abstract only", "No outcome of interest",
        "No mechanism described", "Published before 2000", "Not trauma-informed",
        "Protocol only", "Thesis not available",
    ]  # fmt: skip
    fulltext = {f"r{i:02d}": excluded(reason) for i, reason in enumerate(reasons)}
    fulltext.update({"r13": INCLUDED, "r14": INCLUDED, "r15": INCLUDED})
    long_name = "Applied Social Sciences Index and Abstracts (ProQuest, exported 2025-01-12)"
    return build(
        [("pubmed", long_name, "databases", ""),
         ("reg", "A_register_name_without_any_spaces_that_is_longer_than_a_box", "registers", "")],
        {**records, "g1": ["reg"]},
        status={**dict.fromkeys(records, "included"), "g1": "excluded"},
        fulltext=fulltext,
    )  # fmt: skip


SCENARIOS = {
    "typical_finished": (typical, None, "records", "stopping rule used, full text complete"),
    "typical_in_progress": (
        lambda: typical(finished=False), ESTIMATE, "records", "banner with stopping estimate",
    ),
    "documents_wording": (typical, ESTIMATE, "documents", "realist 'documents' wording"),
    "databases_only": (
        lambda: build([("pubmed", "PubMed", "databases", "")], {"a": ["pubmed"]},
                      status={"a": "included"}, fulltext={"a": INCLUDED}),
        None, "records", "no other methods: one column",
    ),
    "only_other_methods": (
        lambda: build([("web", "Websites of charities", "other_methods", "websites")],
                      {"w": ["web"]}),
        None, "records", "no database: screening not started",
    ),
    "many_reasons_long_names": (_many_reasons, None, "records", "long names wrap, box grows"),
    "empty_review": (
        lambda: build([("pubmed", "PubMed", "databases", "")], {}), None, "records",
        "a search that found nothing",
    ),
}  # fmt: skip


@pytest.fixture(params=sorted(SCENARIOS), ids=sorted(SCENARIOS))
def drawn(request: pytest.FixtureRequest) -> tuple[PrismaCounts, Layout, str]:
    make, estimate, wording, _note = SCENARIOS[request.param]
    counts = make().derive()
    layout = build_layout(counts, wording=wording, estimate=estimate)
    return counts, layout, svg_document(layout)


# --------------------------------------------------------------------------------------------
# Reading the SVG back
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rect:
    key: str
    x: float
    y: float
    w: float
    h: float

    def contains(self, x: float, y: float) -> bool:
        return self.x <= x <= self.x + self.w and self.y <= y <= self.y + self.h


@dataclass(frozen=True)
class SvgText:
    text: str
    x: float
    y: float
    size: float
    bold: bool
    field: str
    rotated: bool
    group: str


def parse_svg(svg: str) -> tuple[list[Rect], list[SvgText]]:
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    rects, texts = [], []
    for group in root.iter(f"{SVG}g"):
        key = group.get("id", "")[len("box-") :] if group.get("id", "").startswith("box-") else ""
        for rect in group.findall(f"{SVG}rect"):
            rects.append(
                Rect(key, *(float(rect.get(a, "0")) for a in ("x", "y", "width", "height")))
            )
        for text in group.findall(f"{SVG}text"):
            texts.append(
                SvgText(
                    text.text or "",
                    float(text.get("x", "0")),
                    float(text.get("y", "0")),
                    float(text.get("font-size", "0")),
                    text.get("font-weight") == "bold",
                    text.get("data-field", ""),
                    "rotate" in text.get("transform", ""),
                    key or group.get("class", ""),
                )
            )
    return rects, texts


def expected_box(field: str) -> str:
    """The box a count belongs in, by PRISMA 2020's layout."""
    base = field.partition(":")[0]
    other = base.startswith("other_") and base not in ("other_results",)
    column = "other" if other or base in (
        "website_results", "organisation_results", "citations_results", "other_results",
    ) else "dbr"  # fmt: skip
    name = base.removeprefix("other_").removeprefix("dbr_")
    boxes = {
        "database_results": "identified", "register_results": "identified",
        "website_results": "identified", "organisation_results": "identified",
        "citations_results": "identified", "results": "identified",
        "duplicates": "removed", "excluded_automatic": "removed", "excluded_other": "removed",
        "records_screened": "screened", "records_unscreened": "screened",
        "records_in_conflict": "screened",
        "records_excluded_total": "excluded", "records_excluded": "excluded",
        "records_excluded_automation": "excluded",
        "sought_reports": "sought", "awaiting_fulltext": "sought",
        "notretrieved_reports": "not_retrieved", "assessed": "assessed",
        "excluded": "reports_excluded",
    }  # fmt: skip
    if base in ("new_studies", "new_reports", "total_studies", "total_reports"):
        return "included"
    return f"{column}_{boxes[name]}"


def expected_value(counts: PrismaCounts, field: str) -> str:
    """What ``(n = ...)`` must say for a data-field, from counts.csv's rows."""
    base, _, item = field.partition(":")
    if base.endswith("records_excluded_total"):
        col = counts.other if base.startswith("other_") else counts.dbr
        return f"{col.excluded_screening:,}"
    rows = {(r["field"], r["item"]): r["n"] for r in counts_to_rows(counts)}
    value = rows[(base, item)]
    return "pending" if value == "" else f"{int(value):,}"


_COUNT = re.compile(r"\(n = ([\d,]+)\)|\((pending)\)")


# --------------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------------
def test_every_number_sits_in_its_box(drawn: tuple[PrismaCounts, Layout, str]) -> None:
    counts, _, svg = drawn
    rects, texts = parse_svg(svg)
    counted = [t for t in texts if t.field]
    assert counted, "no counts found in the SVG"
    for text in counted:
        inside = [r.key for r in rects if r.key and r.contains(text.x, text.y)]
        assert inside == [expected_box(text.field)], (text.field, text.text, inside)
        found = _COUNT.findall(text.text)
        assert len(found) == 1, text.text
        shown = found[0][0] or found[0][1]
        assert shown == expected_value(counts, text.field), (text.field, text.text)


def test_every_count_of_the_flow_is_shown(drawn: tuple[PrismaCounts, Layout, str]) -> None:
    counts, _, svg = drawn
    fields = {t.field for t in parse_svg(svg)[1] if t.field}
    needed = {"database_results", "duplicates", "excluded_automatic", "excluded_other",
              "records_screened", "dbr_sought_reports", "dbr_notretrieved_reports",
              "dbr_assessed", "dbr_excluded", "new_studies", "new_reports"}  # fmt: skip
    needed |= {f"database_results:{s.name}" for s in counts.database_specific_results}
    needed |= {f"dbr_excluded:{r.reason}" for r in counts.dbr_excluded or ()}
    needed.add(
        "records_excluded_automation" if counts.dbr.excluded_automation else "records_excluded"
    )
    if counts.has_other_methods:
        needed |= {"other_duplicates", "other_records_screened", "other_sought_reports",
                   "other_assessed", "other_excluded"}  # fmt: skip
    assert needed <= fields, sorted(needed - fields)


def test_text_stays_inside_its_box(drawn: tuple[PrismaCounts, Layout, str]) -> None:
    _, layout, svg = drawn
    rects, texts = parse_svg(svg)
    by_key = {r.key: r for r in rects if r.key}
    for text in texts:
        if text.group == "footnotes":
            assert text.x + text_width(text.text, text.size) <= layout.width - 4
            assert text.y <= layout.height
            continue
        rect = by_key[text.group]
        width = text_width(text.text, text.size, text.bold)
        if text.rotated:
            assert width <= rect.h - 4, text.text
            continue
        assert rect.x + 2 <= text.x, text.text
        assert text.x + width <= rect.x + rect.w - 2, (text.text, text.x + width, rect)
        assert rect.y + 1 <= text.y - 0.8 * text.size, text.text
        assert text.y + 0.25 * text.size <= rect.y + rect.h - 1, text.text


@pytest.mark.parametrize("dpi", [72, 200])
def test_rendered_text_stays_inside_its_box(
    drawn: tuple[PrismaCounts, Layout, str], dpi: int
) -> None:
    """The same check on what matplotlib actually draws (the PNG and PDF), at screen and
    print resolutions."""
    _, layout, _ = drawn
    fig = draw_figure(layout)
    fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)
    with matplotlib.rc_context(RENDER_SETTINGS):  # type: ignore[arg-type]
        canvas.draw()
        renderer = canvas.get_renderer()
        ax = fig.axes[0]
        patches = [p.get_window_extent(renderer) for p in ax.patches]
        fig_box = fig.bbox
        for artist in ax.texts:
            assert isinstance(artist, Text)
            box = artist.get_window_extent(renderer)
            assert fig_box.x0 <= box.x0 and box.x1 <= fig_box.x1, artist.get_text()
            assert fig_box.y0 <= box.y0 and box.y1 <= fig_box.y1, artist.get_text()
            cx, cy = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
            holders = [p for p in patches if p.contains(cx, cy) and p.width > 20]
            if not holders:  # a footnote: below every box
                assert all(box.y1 <= p.y0 for p in patches), artist.get_text()
                continue
            holder = min(holders, key=lambda p: p.width * p.height)
            tol = 0.5
            assert holder.x0 - tol <= box.x0 and box.x1 <= holder.x1 + tol, artist.get_text()
            assert holder.y0 - tol <= box.y0 and box.y1 <= holder.y1 + tol, artist.get_text()


def test_boxes_do_not_overlap(drawn: tuple[PrismaCounts, Layout, str]) -> None:
    _, layout, _ = drawn
    boxes = layout.boxes
    for i, a in enumerate(boxes):
        assert a.x >= 0 and a.right <= layout.width and a.y >= 0 and a.bottom <= layout.height
        for b in boxes[i + 1 :]:
            gap_x = max(b.x - a.right, a.x - b.right)
            gap_y = max(b.y - a.bottom, a.y - b.bottom)
            assert max(gap_x, gap_y) >= 8, f"{a.key} and {b.key} overlap or touch"


def test_arrows_join_boxes_without_crossing_others(
    drawn: tuple[PrismaCounts, Layout, str],
) -> None:
    _, layout, _ = drawn
    boxes = layout.boxes

    def on_edge(x: float, y: float) -> set[str]:
        return {
            b.key for b in boxes
            if (b.x - 0.01 <= x <= b.right + 0.01 and b.y - 0.01 <= y <= b.bottom + 0.01)
        }  # fmt: skip

    for arrow in layout.arrows:
        start, end = arrow.points[0], arrow.points[-1]
        assert on_edge(*start) and on_edge(*end), arrow
        for (x0, y0), (x1, y1) in zip(arrow.points, arrow.points[1:], strict=False):
            for step in range(1, 20):
                t = step / 20
                x, y = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
                inside = [b.key for b in boxes if b.x < x < b.right and b.y < y < b.bottom]
                assert not inside, (arrow, inside)


def test_banner_while_screening_is_in_progress() -> None:
    counts = typical(finished=False).derive()
    svg = svg_document(build_layout(counts, estimate=ESTIMATE))
    banner = [t.text for t in parse_svg(svg)[1] if t.group == "banner"]
    text = " ".join(banner)
    assert banner[0] == "Screening in progress"
    assert "recall is at least 83% with 95% confidence" in text
    assert "round 3" in text and "not reached" in text
    finished = svg_document(build_layout(typical().derive(), estimate=ESTIMATE))
    assert not [t for t in parse_svg(finished)[1] if t.group == "banner"]
    assert "Callaghan" in finished  # the stopping rule is explained in a footnote


def test_documents_wording() -> None:
    svg = svg_document(build_layout(typical().derive(), wording="documents"))
    texts = " ".join(t.text for t in parse_svg(svg)[1] if t.group not in ("footnotes",))
    assert "Documents screened" in texts and "Documents sought for retrieval" in texts
    assert "Records" not in texts and "Reports" not in texts


def test_pending_boxes_are_marked() -> None:
    counts = typical(finished=False).derive()
    layout = build_layout(counts)
    assert layout.box("dbr_assessed").pending and layout.box("included").pending
    assert not layout.box("dbr_screened").pending
    assert 'stroke-dasharray="4 3"' in svg_document(layout)


def test_wrap_keeps_counts_whole_and_cuts_long_words() -> None:
    lines = wrap_text("Records marked as ineligible by automation tools (n = 1,234)", 120, 9)
    assert lines[-1].endswith("(n = 1,234)") and all("(n =" not in ln[:-1] or ln.endswith(")")
                                                       for ln in lines)  # fmt: skip
    assert all(text_width(line, 9) <= 120 for line in lines)
    cut = wrap_text("x" * 200, 50, 9)
    assert len(cut) > 1 and all(text_width(line, 9) <= 50 for line in cut)


@pytest.mark.slow
def test_files_are_written_and_deterministic(tmp_path: Path) -> None:
    counts = typical().derive()
    first = write_diagram(counts, tmp_path / "a", estimate=ESTIMATE)
    second = write_diagram(counts, tmp_path / "b", estimate=ESTIMATE)
    assert sorted(first) == ["pdf", "png", "svg"]
    for fmt in first:
        assert first[fmt].read_bytes() == second[fmt].read_bytes(), fmt
    assert first["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert first["pdf"].read_bytes()[:5] == b"%PDF-"
    pdf = first["pdf"].read_bytes()
    assert b"CreationDate" not in pdf and b"Matplotlib" not in pdf
    ET.fromstring(first["svg"].read_text(encoding="utf-8"))  # noqa: S314 - our own output


def test_explicit_output_paths_and_bad_format(tmp_path: Path) -> None:
    counts = typical().derive()
    out = write_diagram(counts, {"svg": tmp_path / "flow.svg"})
    assert out == {"svg": tmp_path / "flow.svg"} and (tmp_path / "flow.svg").is_file()
    with pytest.raises(InputError, match="jpeg"):
        write_diagram(counts, tmp_path, formats=["jpeg"])


def test_a_stop_by_the_team_before_the_target_is_not_credited_to_the_rule() -> None:
    counts = typical().derive()
    assert counts.dbr.excluded_automation > 0
    rule = StoppingEstimate(
        round=4, screened=150, includes=22, estimated_recall=0.971, confidence=0.95,
        recall_target=0.95, stopped="target_reached",
    )  # fmt: skip
    early = StoppingEstimate(
        round=1, screened=50, includes=9, estimated_recall=0.029, confidence=0.95,
        recall_target=0.95, stopped="before_target",
    )  # fmt: skip
    by_rule = " ".join(
        t.text for t in parse_svg(svg_document(build_layout(counts, estimate=rule)))[1]
    )
    by_team = " ".join(
        t.text for t in parse_svg(svg_document(build_layout(counts, estimate=early)))[1]
    )
    assert "under the statistical stopping rule" in by_rule
    assert "recall is at least 97.1% with 95% confidence" in by_rule
    assert "stopped by the team before the stopping rule's target" not in by_rule
    assert "under the statistical stopping rule" not in by_team
    assert "stopping rule)" not in by_team  # the automation box does not credit the rule
    assert by_team.count("stopped by the team before the stopping rule's target") >= 2  # box, note
    assert "after round 1: recall is at least 2.9% with 95% confidence" in by_team


def test_before_any_screening_the_box_says_what_waits() -> None:
    counts = build(
        [("pubmed", "PubMed", "databases", "")], {"a": ["pubmed"], "b": ["pubmed"]}
    ).derive()
    texts = " ".join(t.text for t in parse_svg(svg_document(build_layout(counts)))[1])
    assert "Records to be screened (n = 2)" in texts
    assert "still to be screened" not in texts and "Records screened" not in texts
    started = typical(finished=False).derive()
    texts = " ".join(t.text for t in parse_svg(svg_document(build_layout(started)))[1])
    assert "Records screened" in texts and "Records to be screened" not in texts


def test_the_automation_box_is_explained() -> None:
    counts = typical().derive()
    assert counts.dbr.excluded_automatic or counts.other.excluded_automatic, "scenario changed"
    svg = svg_document(build_layout(counts))
    notes = " ".join(t.text for t in parse_svg(svg)[1] if t.group == "footnotes")
    assert "Marked as ineligible by automation tools" in notes and "limits" in notes
    none = build([("pubmed", "PubMed", "databases", "")], {"a": ["pubmed"]}).derive()
    notes = " ".join(t.text for t in parse_svg(svg_document(build_layout(none)))[1])
    assert "Marked as ineligible" not in notes


def test_no_stopping_estimate_before_anyone_screened() -> None:
    counts = build([("pubmed", "PubMed", "databases", "")], {"a": ["pubmed"]}).derive()
    nothing = dataclasses.replace(ESTIMATE, round=1, screened=0, includes=0, estimated_recall=0.0)
    svg = svg_document(build_layout(counts, estimate=nothing))
    banner = " ".join(t.text for t in parse_svg(svg)[1] if t.group == "banner")
    assert "Screening not started" in banner and "Stopping estimate" not in banner
