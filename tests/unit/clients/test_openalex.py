"""OpenAlex works: cursor paging, per_page capping, API key and mailto, inverted-index abstracts."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st
from support.fake_api import FakeApi, inverted_index

from realist_review.clients import openalex
from realist_review.config import Limits

from .conftest import SECRETS, run_search, spec_for


def test_cursor_paging_with_key_and_mailto(
    tmp_path: Path, fake_api: FakeApi, settings: dict[str, Any], session: requests.Session
) -> None:
    settings["openalex"]["per_page"] = 9
    store, records = run_search(tmp_path, spec_for("openalex"), settings, session)
    assert len(records) == 30
    seen = fake_api.seen("/openalex/works")
    assert seen[0].params["cursor"] == "*"
    assert len(seen) == 5  # 9 + 9 + 9 + 3 + the empty page
    assert all(r.params["per_page"] == "9" for r in seen)
    assert all(r.params["api_key"] == SECRETS["RR_TEST_OPENALEX_KEY"] for r in seen)
    assert all(r.params["mailto"] == SECRETS["RR_TEST_EMAIL"] for r in seen)
    assert seen[0].params["search"] == '"trauma-informed care" AND "residential care"'
    assert store.manifest.hits_reported == 30


def test_per_page_is_capped_at_100(
    tmp_path: Path,
    fake_api: FakeApi,
    settings: dict[str, Any],
    session: requests.Session,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings["openalex"]["per_page"] = 500
    with caplog.at_level(logging.WARNING):
        _, records = run_search(tmp_path, spec_for("openalex"), settings, session)
    assert len(records) == 30
    assert {r.params["per_page"] for r in fake_api.seen("/openalex/")} == {"100"}
    assert "per_page 500 is above the API's maximum" in caplog.text


def test_records_carry_every_field(
    tmp_path: Path, fake_api: FakeApi, settings: dict[str, Any], session: requests.Session
) -> None:
    _, records = run_search(tmp_path, spec_for("openalex"), settings, session)
    first = {r.source_id: r for r in records}["W4300000001"]
    assert (first.doi, first.pmid, first.pmcid) == ("10.5555/tic.2001", "38000001", "PMC10500001")
    assert first.abstract.startswith("BACKGROUND: Children in residential care in England")
    assert first.authors == ("Okafor, Adaeze", "Whitfield, James R")
    assert (first.journal, first.volume, first.issue, first.pages, first.year) == (
        "Child Abuse Review", "30", "2", "101-118", 2021,
    )  # fmt: skip
    assert first.language == "eng" and first.publication_type == ("article",)
    assert first.keywords == ("trauma-informed care", "residential child care", "realist review")
    assert first.publisher == "Wiley"


def test_filters_and_limits(settings: dict[str, Any], caplog: pytest.LogCaptureFixture) -> None:
    spec = spec_for("openalex", filters={"type": "article", "is_retracted": False})
    limits = Limits(year_from=2005, year_to=2024, languages=("en",),
                    publication_types=("article",))  # fmt: skip
    with caplog.at_level(logging.WARNING):
        manifest = openalex.plan(spec, limits, settings)
    assert manifest.parameters["filter"] == (
        "is_retracted:false,type:article,from_publication_date:2005-01-01,"
        "to_publication_date:2024-12-31,language:en"
    )
    assert manifest.parameters["limits_not_in_query"] == ["publication_types"]
    assert manifest.query_as_run.startswith('search="trauma-informed care"')
    assert "publication types limit" in caplog.text
    as_filter = openalex.plan(
        spec_for("openalex", query="filter=title_and_abstract.search:trauma informed"),
        Limits(),
        settings,
    )
    assert as_filter.parameters == {"filter": "title_and_abstract.search:trauma informed"}


@given(st.lists(st.text(alphabet="abcdefgh.,;", min_size=1, max_size=8), max_size=40))
def test_inverted_index_round_trip(words: list[str]) -> None:
    text = " ".join(words)
    assert openalex.rebuild_abstract(inverted_index(text)) == " ".join(text.split())


def test_missing_and_unknown_keys_are_tolerated() -> None:
    record = openalex.parse_work(
        {"id": "https://openalex.org/W1", "title": "Bare", "brand_new_key": {"x": 1},
         "abstract_inverted_index": None, "authorships": None, "primary_location": None},
        search_id="s",
    )  # fmt: skip
    assert record is not None and record.title == "Bare" and record.abstract == ""


@pytest.mark.shared
def test_parses_recorded_work_objects(tmp_path: Path, shared_data: Path) -> None:
    sample = shared_data / "api-samples" / "openalex" / "synergy_Sep_2021_works_0_25.json"
    page = tmp_path / "page-0001.json"
    page.write_text(json.dumps({"meta": {"count": 25}, "results": json.loads(sample.read_text())}))
    records = openalex.parse([page], search_id="s")
    assert len(records) == 25
    assert all(r.abstract for r in records)
    first = records[0]
    assert first.source_id == "W1979978981"
    assert first.doi == "10.1037/0097-7403.9.3.248" and first.pmid == "6886630"
    assert first.title.startswith("Contextual control of the extinction of conditioned fear")
    assert first.abstract.startswith("Four conditioned suppression experiments examined")
    assert first.authors[0] == "Bouton, Mark E."
    assert (first.journal, first.volume, first.issue, first.pages, first.year) == (
        "Journal of experimental psychology", "9", "3", "248-265", 1983,
    )  # fmt: skip
    assert first.publisher == "American Psychological Association"
    assert "Association Learning" in first.mesh_terms
