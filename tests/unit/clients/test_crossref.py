"""Crossref works: cursor paging to an empty page, mailto, JATS abstracts, unapplied limits."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
import requests
from support.fake_api import FakeApi

from realist_review.clients import crossref
from realist_review.config import Limits

from .conftest import SECRETS, run_search, spec_for


def test_cursor_paging_until_a_page_has_no_items(
    tmp_path: Path, fake_api: FakeApi, settings: dict[str, Any], session: requests.Session
) -> None:
    settings["crossref"]["rows"] = 10
    store, records = run_search(tmp_path, spec_for("crossref"), settings, session)
    assert len(records) == 25  # the works that have a DOI
    seen = fake_api.seen("/crossref/works")
    assert len(seen) == 4 and seen[0].params["cursor"] == "*"
    assert [p["records"] for p in store.manifest.pages] == [10, 10, 5, 0]
    assert all(r.params["rows"] == "10" for r in seen)
    assert all(r.params["mailto"] == SECRETS["RR_TEST_EMAIL"] for r in seen)
    assert all(SECRETS["RR_TEST_EMAIL"] in r.headers["user-agent"] for r in seen)
    assert store.manifest.hits_reported == 25


def test_records_carry_every_field(
    tmp_path: Path, fake_api: FakeApi, settings: dict[str, Any], session: requests.Session
) -> None:
    _, records = run_search(tmp_path, spec_for("crossref"), settings, session)
    by_doi = {r.doi: r for r in records}
    first = by_doi["10.5555/tic.2001"]  # sent upper-case, normalised
    assert first.source_id == "10.5555/tic.2001"
    assert first.abstract == (
        "Background: Children in residential care in England have often lived through abuse "
        "and neglect. Methods: We synthesised 41 reports on trauma-informed care in children's "
        "homes. Results: Staff training worked when supervision helped staff to reflect. "
        "Conclusions: Organisational governance shapes whether training changes care."
    )
    assert first.authors == ("Okafor, Adaeze", "Whitfield, James R")
    assert (first.journal, first.volume, first.issue, first.pages, first.year) == (
        "Child Abuse Review", "30", "2", "101-118", 2021,
    )  # fmt: skip
    assert first.issn == "0952-9136" and first.publisher == "Wiley"
    assert by_doi["10.5555/tic.2003"].authors[-1] == "Residential Care Research Collaborative"


def test_language_limit_is_logged_as_not_applied(
    settings: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        manifest = crossref.plan(
            spec_for("crossref", query="query.bibliographic=trauma informed children's homes"),
            Limits(year_from=2000, year_to=2024, languages=("en",)),
            settings,
        )
    assert manifest.parameters == {
        "query.bibliographic": "trauma informed children's homes",
        "filter": "from-pub-date:2000-01-01,until-pub-date:2024-12-31",
        "limits_not_in_query": ["languages"],
    }
    assert "crossref cannot apply the languages limit" in caplog.text


@pytest.mark.parametrize(
    "empty_page",
    [
        pytest.param(True, id="expired-cursor-reads-as-empty-page"),
        pytest.param(False, id="expired-cursor-refused-with-400"),
    ],
)
def test_resume_with_an_expired_cursor_starts_again_without_duplicates(
    tmp_path: Path,
    fake_api: FakeApi,
    settings: dict[str, Any],
    session: requests.Session,
    caplog: pytest.LogCaptureFixture,
    empty_page: bool,
) -> None:
    fake_api.crossref_empty_on_expired = empty_page
    settings["crossref"]["rows"] = 10
    _, reference = run_search(tmp_path / "ref", spec_for("crossref"), settings, session)
    fake_api.fail("/crossref/", "status", status=500, after=2, times=None)
    with pytest.raises(Exception, match="HTTP 500"):
        run_search(tmp_path / "cut", spec_for("crossref"), settings, session)
    fake_api.clear_faults()
    fake_api.expire_cursors()  # the saved cursor is no longer known
    with caplog.at_level(logging.WARNING):
        store, records = run_search(tmp_path / "cut", spec_for("crossref"), settings, session)
    assert "saved cursor no longer works" in caplog.text
    assert store.manifest.state["restarts"] == 1
    assert records == reference
    assert store.manifest.complete


@pytest.mark.shared
def test_parses_recorded_work_lists(shared_data: Path) -> None:
    folder = shared_data / "api-samples" / "crossref"
    decoded = folder / "habanero_vcr" / "decoded_bodies"
    widgets = crossref.parse([decoded / "works_query-widget_cursor-star.json"], search_id="s")
    assert len(widgets) == 20
    assert widgets[0].doi == "10.1007/978-1-4302-0197-7_9"
    assert widgets[0].title == "Widget Mania: Using a GUI Widget Framework"
    assert widgets[0].publication_type == ("book-chapter",)
    assert widgets[0].year == 2007  # issued is [[null]]: the created date is used
    ecology = crossref.parse([decoded / "works_query-ecology_rows-2.json"], search_id="s")
    assert len(ecology) == 2 and all(r.abstract for r in ecology)
    (tele,) = crossref.parse([folder / "colrev" / "10.2196_22081.json"], search_id="s")
    assert tele.doi == "10.2196/22081"
    assert tele.abstract.startswith("Background: The COVID-19 crisis has drastically changed")
    assert "(indirect effects=0.282; P<.001). Last, quality directly" in tele.abstract
    assert "Conclusions: Teleconsultation is central to care going forward" in tele.abstract
    assert tele.authors[:2] == ("Grenier Ouimet, Antoine", "Wagner, Gerit")
    assert tele.journal == "Journal of Medical Internet Research" and tele.year == 2020


def test_less_than_and_greater_than_in_an_abstract_survive() -> None:
    item = {
        "DOI": "10.5555/x",
        "title": ["T"],
        "abstract": "<jats:p>Staff (n&gt;40) improved (P&lt;.001); "
        "turnover fell (n&gt;12).</jats:p>",
    }
    record = crossref.parse_item(item, search_id="s")
    assert record is not None
    assert record.abstract == "Staff (n>40) improved (P<.001); turnover fell (n>12)."
