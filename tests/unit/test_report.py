"""The report's landing page: the review's own tables as reStructuredText that renders."""

from __future__ import annotations

from pathlib import Path

from docutils.core import publish_parts

from realist_review.report import build_overview, list_table, write_overview

COUNTS = [
    {"field": "records_identified", "item": "", "n": "468", "state": "complete"},
    {"field": "database_results", "item": "MEDLINE (PubMed)", "n": "116", "state": "complete"},
    {"field": "total_studies", "item": "", "n": "", "state": "not_started"},
]
PROGRESS = [
    {"round": "1", "kind": "random_start", "screened": "50", "includes": "15",
     "remaining": "198", "note": "recall is at least 16% with 95% confidence"},
]  # fmt: skip
AGREEMENT = [
    {"round": "1", "scope": "cumulative", "reviewer_1": "", "reviewer_2": "", "records": "50",
     "raw_agreement": "0.86", "kappa": "0.68"},
    {"round": "1", "scope": "cumulative", "reviewer_1": "a", "reviewer_2": "b", "records": "50",
     "raw_agreement": "0.86", "kappa": "0.68"},
]  # fmt: skip
LOG = [{"database": "MEDLINE | *PubMed*", "platform": "NCBI", "executed_at": "2026-11-02T09:16Z",
        "hits_reported": "116", "records_retrieved": "116", "status": "complete"}]  # fmt: skip


def _html(rst: str) -> str:
    parts = publish_parts(rst, writer_name="html", settings_overrides={"halt_level": 2})
    return str(parts["html_body"])


def test_overview_renders_every_table_without_docutils_errors() -> None:
    rst = build_overview(
        title="A review",
        question="What works, for whom?",
        prisma_figure=None,
        search_log=LOG,
        counts=COUNTS,
        progress=PROGRESS,
        agreement=AGREEMENT,
    )
    html = _html(rst)  # halt_level 2: any docutils warning fails
    assert "What works, for whom?" in html
    assert "MEDLINE | *PubMed*" in html  # markup characters in data stay literal
    assert "recall is at least 16% with 95% confidence" in html
    assert "not yet (stage not started)" in html


def test_a_pooled_agreement_row_that_repeats_the_only_pair_is_not_shown() -> None:
    rst = build_overview(title="t", question="q", prisma_figure=None, search_log=LOG,
                         counts=[], progress=PROGRESS, agreement=AGREEMENT)  # fmt: skip
    assert "all pairs" not in rst
    two_pairs = [*AGREEMENT, {**AGREEMENT[1], "reviewer_1": "c", "reviewer_2": "d"}]
    rst = build_overview(title="t", question="q", prisma_figure=None, search_log=LOG,
                         counts=[], progress=PROGRESS, agreement=two_pairs)  # fmt: skip
    assert "all pairs" in rst


def test_before_screening_the_page_shows_the_searches_only(tmp_path: Path) -> None:
    log = tmp_path / "search_log.csv"
    log.write_text("database,hits_reported,status\nPubMed,3,complete\n", encoding="utf-8")
    out = tmp_path / "overview.rst"
    write_overview(out, title="t", question="q", search_log=log)
    text = out.read_text(encoding="utf-8")
    assert "PubMed" in text and "PRISMA 2020 flow" not in text and "screening" not in text
    _html(text)


def test_an_empty_table_is_no_table() -> None:
    assert list_table("x", ("a",), []) == ""


def test_the_diagram_travels_inside_the_page(tmp_path: Path) -> None:
    figure = tmp_path / "flow.svg"
    figure.write_text('<svg xmlns="http://www.w3.org/2000/svg"><text>n = 468</text></svg>')
    rst = build_overview(title="t", question="q", prisma_figure=figure, search_log=LOG,
                         counts=COUNTS, progress=[], agreement=[])  # fmt: skip
    html = _html(rst)
    assert 'src="data:image/svg+xml;base64,' in html
    assert max(map(len, rst.splitlines())) < 1000  # docutils refuses lines over 10,000
    assert str(figure) not in html  # no path that breaks once the report is sent on


def test_the_cmo_counts_and_the_programme_theory_are_on_the_page() -> None:
    summary = [
        {"scope": "theory_area", "value": "staff-training", "configurations": "3", "sources": "2"},
        {"scope": "total", "value": "confirmed", "configurations": "3", "sources": "2"},
    ]
    theory = {
        "version": "0.2",
        "theory_areas": [{"id": "staff-training", "label": "Training"}],
        "statements": [
            {
                "id": "pt-1",
                "theory_area": "staff-training",
                "statement": "If coaching follows training, then ... because ...",
                "sources": {"supporting": 2, "refuting": 0, "refining": 1},
            }
        ],
    }
    rst = build_overview(
        title="t",
        question="q",
        prisma_figure=None,
        search_log=LOG,
        counts=[],
        progress=[],
        agreement=[],
        cmo_summary=summary,
        theory=theory,
    )
    html = _html(rst)
    assert "Confirmed CMO configurations per theory area" in html and "staff-training" in html
    assert "Statements of version 0.2" in html and "If coaching follows training" in html
    assert "2 / 0 / 1" in html
