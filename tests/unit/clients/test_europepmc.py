"""Europe PMC REST search: core JSON, cursorMark paging, both end-of-results signs."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
import requests
from support.fake_api import FakeApi

from realist_review.clients import europepmc
from realist_review.config import Limits

from .conftest import SECRETS, run_search, spec_for


@pytest.mark.parametrize(
    "end_sign",
    [
        pytest.param("same", id="cursor-repeated-with-empty-page"),
        pytest.param("missing", id="no-next-cursor"),
    ],
)
def test_cursor_paging_stops_at_either_end_sign(
    tmp_path: Path,
    fake_api: FakeApi,
    settings: dict[str, Any],
    session: requests.Session,
    end_sign: str,
) -> None:
    fake_api.europepmc_end = end_sign
    settings["europepmc"]["page_size"] = 8
    store, records = run_search(tmp_path, spec_for("europepmc"), settings, session)
    assert len(records) == 30
    seen = fake_api.seen("/europepmc/search")
    assert len(seen) == 5  # 8 + 8 + 8 + 6, then the empty page that ends it
    assert seen[0].params["cursorMark"] == "*"
    assert [r.params["cursorMark"] for r in seen[1:]] == [
        p["cursor"] for p in store.manifest.pages[1:]
    ]
    assert all(r.params["resultType"] == "core" and r.params["format"] == "json" for r in seen)
    assert all(r.params["pageSize"] == "8" for r in seen)
    assert seen[0].params["email"] == SECRETS["RR_TEST_EMAIL"]
    assert store.manifest.complete and store.manifest.hits_reported == 30
    assert [p["records"] for p in store.manifest.pages] == [8, 8, 8, 6, 0]


def test_a_full_last_page_without_next_cursor_ends_the_search(
    tmp_path: Path, fake_api: FakeApi, settings: dict[str, Any], session: requests.Session
) -> None:
    fake_api.europepmc_end = "missing"
    settings["europepmc"]["page_size"] = 30
    store, records = run_search(tmp_path, spec_for("europepmc"), settings, session)
    assert len(records) == 30
    assert len(store.manifest.pages) == 2


def test_records_carry_every_field(
    tmp_path: Path, fake_api: FakeApi, settings: dict[str, Any], session: requests.Session
) -> None:
    _, records = run_search(tmp_path, spec_for("europepmc"), settings, session)
    by_id = {r.source_id: r for r in records}
    first = by_id["MED:38000001"]
    assert (first.pmid, first.pmcid, first.doi) == ("38000001", "PMC10500001", "10.5555/tic.2001")
    assert first.abstract.startswith("Background: Children in residential care")
    assert "Methods: We synthesised" in first.abstract
    assert first.authors == ("Okafor, Adaeze", "Whitfield, James R")
    assert (first.journal, first.volume, first.issue, first.pages, first.year) == (
        "Child Abuse Review", "30", "2", "101-118", 2021,
    )  # fmt: skip
    assert first.mesh_terms[0] == "Residential Treatment"
    assert first.keywords[0] == "trauma-informed care"
    assert first.url == "https://europepmc.org/article/MED/38000001"
    assert by_id["MED:38000003"].authors[-1] == "Residential Care Research Collaborative"
    assert by_id["MED:38000007"].language == "ger"


def test_limits_and_filters_go_into_the_query(
    settings: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    spec = spec_for("europepmc", filters={"SRC": "MED", "HAS_ABSTRACT": True})
    with caplog.at_level(logging.WARNING):
        manifest = europepmc.plan(spec, Limits(year_from=2010, languages=("en", "deu")), settings)
    assert manifest.query_as_run == (
        '("trauma-informed care" AND "residential care") AND (PUB_YEAR:[2010 TO 3000]) '
        'AND (LANG:"eng" OR LANG:"ger") AND (HAS_ABSTRACT:true) AND (SRC:MED)'
    )
    assert manifest.parameters == {
        "query": manifest.query_as_run, "resultType": "core", "format": "json",
    }  # fmt: skip
    assert caplog.text == ""


def test_unknown_language_code_is_a_clear_error(settings: dict[str, Any]) -> None:
    with pytest.raises(Exception, match=r"limits.languages: 'xx' is not a language code"):
        europepmc.plan(spec_for("europepmc"), Limits(languages=("xx",)), settings)


def test_no_results(
    tmp_path: Path, fake_api: FakeApi, settings: dict[str, Any], session: requests.Session
) -> None:
    fake_api.europepmc_end = "missing"
    store, records = run_search(tmp_path, spec_for("europepmc", query="nothing"), settings, session)
    assert records == [] and store.manifest.hits_reported == 0
    assert len(store.manifest.pages) == 1


@pytest.mark.shared
def test_parses_recorded_core_results(shared_data: Path) -> None:
    folder = shared_data / "api-samples" / "europepmc"
    records = europepmc.parse([folder / "search_cancer_core.json"], search_id="s")
    assert len(records) == 25
    assert sum(1 for r in records if r.abstract) == 21
    first = records[0]
    assert first.source_id == "MED:39709209" and first.pmid == "39709209"
    assert first.doi == "10.1016/s0140-6736(24)02600-x"
    assert first.title.startswith("Abscopal response in a patient with fibrolamellar")
    assert first.authors == ("Schoenfeld, Jonathan D", "Haas-Kogan, Daphne A", "O'Neill, Allison F")
    assert (first.journal, first.volume, first.issue, first.pages) == (
        "Lancet (London, England)", "404", "10471", "2603-2604",
    )  # fmt: skip
    flex = {r.source_id: r for r in records}["MED:40468710"]
    assert flex.abstract.startswith("Objective: This study investigated whether psychological")
    assert flex.mesh_terms[:2] == ("Humans", "Neoplasms")
    assert europepmc.parse([folder / "search_no_results.json"], search_id="s") == []
