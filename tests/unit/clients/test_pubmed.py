"""PubMed through E-utilities: history server, batches, >10,000 splitting, resume, parsing."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st
from support.fake_api import FakeApi, pubmed_xml
from support.topic_works import spread_works, works

from realist_review.clients import pubmed
from realist_review.clients.http import make_session
from realist_review.clients.markup import parse_xml
from realist_review.config import Limits
from realist_review.errors import SourceError
from realist_review.raw import RawStore
from realist_review.records import clean_text

from .conftest import SECRETS, run_search, settings_for, spec_for


def _pmids(records: list[Any]) -> list[str]:
    return sorted(r.pmid for r in records)


def test_search_uses_history_server_batches_and_etiquette(
    tmp_path: Path, fake_api: FakeApi, settings: dict[str, Any], session: requests.Session
) -> None:
    settings["pubmed"]["batch_size"] = 7
    store, records = run_search(tmp_path, spec_for("pubmed"), settings, session)
    assert len(records) == 30
    assert _pmids(records) == sorted(w.pmid for w in works(30))
    assert store.manifest.complete and store.manifest.hits_reported == 30
    names = [p["file"] for p in store.manifest.pages]
    assert names == ["esearch-0001.xml"] + [f"efetch-{i:04d}.xml" for i in range(1, 6)]
    assert [p["records"] for p in store.manifest.pages] == [0, 7, 7, 7, 7, 2]
    (search,) = fake_api.seen("esearch")
    assert search.params["usehistory"] == "y"
    assert search.params["db"] == "pubmed"
    assert search.params["tool"] == "realist-review"
    assert search.params["email"] == SECRETS["RR_TEST_EMAIL"]
    assert search.params["api_key"] == SECRETS["RR_TEST_NCBI_KEY"]
    webenv = json.loads((store.folder / "manifest.json").read_text())["state"]["slices"][0]
    fetches = fake_api.seen("efetch")
    assert [int(f.params["retstart"]) for f in fetches] == [0, 7, 14, 21, 28]
    assert {f.params["WebEnv"] for f in fetches} == {webenv["webenv"]}
    assert all(f.params["retmax"] == "7" and f.params["retmode"] == "xml" for f in fetches)
    assert all(f.params["api_key"] == SECRETS["RR_TEST_NCBI_KEY"] for f in fetches)


def test_records_carry_every_field(
    tmp_path: Path, fake_api: FakeApi, settings: dict[str, Any], session: requests.Session
) -> None:
    _, records = run_search(tmp_path, spec_for("pubmed"), settings, session)
    by_pmid = {r.pmid: r for r in records}
    first = by_pmid["38000001"]
    assert first.source_id == "38000001"
    assert first.doi == "10.5555/tic.2001"
    assert first.pmcid == "PMC10500001"
    assert (
        first.title == "Trauma-informed care in residential children's homes: a realist synthesis"
    )
    assert first.abstract.startswith("BACKGROUND: Children in residential care in England")
    assert "METHODS: We synthesised 41 reports" in first.abstract
    assert "©" not in first.abstract  # copyright line is not abstract text
    assert first.authors == ("Okafor, Adaeze", "Whitfield, James R")
    assert (first.journal, first.volume, first.issue, first.pages) == (
        "Child Abuse Review", "30", "2", "101-118",
    )  # fmt: skip
    assert first.year == 2021
    assert first.language == "eng"
    assert first.publication_type == ("Journal Article",)
    assert first.mesh_terms == (
        "Residential Treatment", "Child, Institutionalized", "Psychological Trauma",
    )  # fmt: skip
    assert first.keywords == ("trauma-informed care", "residential child care", "realist review")
    assert first.url == "https://pubmed.ncbi.nlm.nih.gov/38000001/"
    assert first.origin == ("pubmed-tic:38000001",)
    markup = by_pmid["38000002"]
    assert markup.title.startswith("Reflective supervision for residential care workers")
    assert markup.abstract.endswith("(n = 48, 2).")
    collective = by_pmid["38000003"]
    assert collective.authors == ("MacLeod, Fiona", "Residential Care Research Collaborative")
    no_doi = by_pmid["38000004"]
    assert no_doi.doi == ""  # the reference list's DOI is not the article's
    book = by_pmid["38000005"]
    assert book.publisher == "National Children's Bureau"
    assert book.authors == ("National Children's Bureau",)
    assert book.publication_type == ("Review",)
    assert book.year == 2023
    assert by_pmid["38000007"].language == "ger"


def test_limits_go_into_the_term_and_unapplied_ones_are_logged(
    settings: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    limits = Limits(year_from=2010, year_to=2024, languages=("en", "fr"),
                    publication_types=("Journal Article",))  # fmt: skip
    with caplog.at_level(logging.WARNING):
        manifest = pubmed.plan(spec_for("pubmed"), limits, settings)
    assert manifest.query == '"trauma-informed care" AND "residential care"'
    assert manifest.query_as_run == (
        '("trauma-informed care" AND "residential care") AND (english[la] OR french[la]) '
        'AND ("2010"[dp] : "2024"[dp])'
    )
    assert manifest.parameters == {
        "db": "pubmed",
        "term": manifest.query_as_run,
        "limits_not_in_query": ["publication_types"],
    }
    assert manifest.endpoint.endswith("/eutils/esearch.fcgi")
    assert "publication types limit" in caplog.text


def test_reserved_filters_are_refused(settings: dict[str, Any]) -> None:
    with pytest.raises(Exception, match="filters may not set api_key"):
        pubmed.plan(spec_for("pubmed", filters={"api_key": "x"}), Limits(), settings)


@pytest.mark.slow
def test_more_than_ten_thousand_hits_are_split_by_publication_date(
    tmp_path: Path, secrets_env: dict[str, str]
) -> None:
    big = spread_works(10_500, date(2019, 1, 1), date(2020, 12, 31))
    with FakeApi(pubmed_works=big) as api:
        settings = settings_for(api.url, pubmed={"batch_size": 5000})
        with make_session(settings) as session:
            store, records = run_search(tmp_path, spec_for("pubmed"), settings, session,
                                        Limits(year_from=2019, year_to=2020))  # fmt: skip
    assert len(records) == 10_500
    assert len({r.pmid for r in records}) == 10_500
    assert store.manifest.hits_reported == 10_500
    slices = store.manifest.state["slices"]
    assert len(slices) >= 2
    assert all(s["count"] <= 9999 for s in slices)
    assert sum(s["count"] for s in slices) == 10_500
    assert slices[0]["mindate"] == "2019/01/01" and slices[-1]["maxdate"] == "2020/12/31"
    dated = [r for r in api.seen("esearch") if "mindate" in r.params]
    assert dated and all(r.params["datetype"] == "pdat" for r in dated)
    assert all(int(r.params["retstart"]) < 9999 for r in api.seen("efetch"))


def test_small_split_matches_the_unsplit_search(
    tmp_path: Path, fake_api: FakeApi, settings: dict[str, Any], session: requests.Session
) -> None:
    _, whole = run_search(tmp_path / "whole", spec_for("pubmed"), settings, session)
    settings["pubmed"].update(max_esearch=6, batch_size=4)
    store, split = run_search(tmp_path / "split", spec_for("pubmed"), settings, session)
    assert store.manifest.state["phase"] == "fetch"
    assert len(store.manifest.state["slices"]) >= 5
    assert all(s["count"] <= 6 for s in store.manifest.state["slices"])
    assert _pmids(split) == _pmids(whole)


def test_one_day_with_too_many_records_stops_clearly(
    tmp_path: Path, secrets_env: dict[str, str]
) -> None:
    same_day = spread_works(12, date(2021, 5, 4), date(2021, 5, 4))
    with FakeApi(pubmed_works=same_day) as api:
        settings = settings_for(api.url, pubmed={"max_esearch": 5})
        with make_session(settings) as session, pytest.raises(SourceError) as caught:
            run_search(tmp_path, spec_for("pubmed"), settings, session)
    assert "12 records published on 2021/05/04 alone" in str(caught.value)
    assert "Narrow the query" in str(caught.value)


def test_zero_hits(
    tmp_path: Path, fake_api: FakeApi, settings: dict[str, Any], session: requests.Session
) -> None:
    store, records = run_search(tmp_path, spec_for("pubmed", query="nothing"), settings, session)
    assert records == []
    assert store.manifest.complete and store.manifest.hits_reported == 0
    assert [p["file"] for p in store.manifest.pages] == ["esearch-0001.xml"]
    assert fake_api.seen("efetch") == []


def _interrupt(
    root: Path, api: FakeApi, settings: dict[str, Any], session: requests.Session
) -> RawStore:
    """Run a search that fails for good after two efetch pages; return its incomplete store."""
    spec = spec_for("pubmed")
    store = RawStore.open(root, pubmed.plan(spec, Limits(), settings))
    api.fail("efetch", "status", status=503, after=2, times=None)
    with pytest.raises(SourceError, match=r"efetch\.fcgi"):
        pubmed.fetch(store, spec=spec, limits=Limits(), settings=settings, session=session)
    api.clear_faults()
    return store


def test_resume_after_expired_webenv_continues_at_the_same_retstart(
    tmp_path: Path,
    fake_api: FakeApi,
    settings: dict[str, Any],
    session: requests.Session,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings["pubmed"]["batch_size"] = 8
    _, reference = run_search(tmp_path / "reference", spec_for("pubmed"), settings, session)
    store = _interrupt(tmp_path / "resumed", fake_api, settings, session)
    assert not store.manifest.complete
    assert [p["file"] for p in store.manifest.pages][-1] == "efetch-0002.xml"
    assert store.manifest.state["slices"][0]["retstart"] == 16
    fake_api.expire_webenvs()
    before = len(fake_api.requests)
    spec = spec_for("pubmed")
    with caplog.at_level(logging.INFO):
        reopened = RawStore.open(tmp_path / "resumed", pubmed.plan(spec, Limits(), settings))
        pubmed.fetch(reopened, spec=spec, limits=Limits(), settings=settings, session=session)
    assert "same count, 30" in caplog.text and "continuing at record 16" in caplog.text
    after = [(r.path.rsplit("/", 1)[-1], r.params.get("retstart"), r.status)
             for r in fake_api.requests[before:]]  # fmt: skip
    assert after == [
        ("efetch.fcgi", "16", 400),
        ("esearch.fcgi", None, 200),
        ("efetch.fcgi", "16", 200),
        ("efetch.fcgi", "24", 200),
    ]
    records = pubmed.parse(reopened.page_paths(), search_id=spec.id)
    assert records == reference
    assert reopened.manifest.complete


def test_resume_when_the_count_changed_restarts_the_range(
    tmp_path: Path,
    fake_api: FakeApi,
    settings: dict[str, Any],
    session: requests.Session,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings["pubmed"]["batch_size"] = 8
    store = _interrupt(tmp_path, fake_api, settings, session)
    fake_api.pubmed_works = works(31)  # a record was added meanwhile
    fake_api.expire_webenvs()
    spec = spec_for("pubmed")
    with caplog.at_level(logging.WARNING):
        pubmed.fetch(store, spec=spec, limits=Limits(), settings=settings, session=session)
    assert "count changed from 30 to 31" in caplog.text
    starts = [r.params["retstart"] for r in fake_api.seen("efetch") if r.status == 200]
    assert starts[-4:] == ["0", "8", "16", "24"]
    records = pubmed.parse(store.page_paths(), search_id=spec.id)
    assert _pmids(records) == sorted(w.pmid for w in works(31))


def test_history_error_in_a_200_body_renews_the_webenv(
    tmp_path: Path, fake_api: FakeApi, settings: dict[str, Any], session: requests.Session
) -> None:
    settings["pubmed"]["batch_size"] = 10
    fake_api.fail("efetch", "fetch_error", after=1)
    store, records = run_search(tmp_path, spec_for("pubmed"), settings, session)
    assert len(records) == 30
    assert [p["file"] for p in store.manifest.pages].count("esearch-0002.xml") == 1


def test_efetch_retries_cut_off_xml(
    tmp_path: Path, fake_api: FakeApi, settings: dict[str, Any], session: requests.Session
) -> None:
    fake_api.fail("efetch", "cut_body")
    fake_api.fail("esearch", "cut_length")
    store, records = run_search(tmp_path, spec_for("pubmed"), settings, session)
    assert len(records) == 30
    for path in store.page_paths():  # only whole bodies were kept
        assert path.read_bytes().rstrip().endswith((b"</PubmedArticleSet>", b"</eSearchResult>"))


def test_parse_keeps_a_record_seen_on_two_pages_once(tmp_path: Path) -> None:
    page = tmp_path / "efetch-0001.xml"
    page.write_bytes(pubmed_xml(works(3)))
    again = tmp_path / "efetch-0002.xml"
    again.write_bytes(pubmed_xml(works(4)[2:]))
    records = pubmed.parse([page, again], search_id="s")
    assert [r.pmid for r in records] == ["38000001", "38000002", "38000003", "38000004"]


# --------------------------------------------------------------------------------------------
# Real recorded responses (../shared/data/api-samples)
# --------------------------------------------------------------------------------------------
@pytest.mark.shared
def test_parses_recorded_efetch_bodies(shared_data: Path) -> None:
    base = shared_data / "api-samples" / "ncbi_eutils"
    two = pubmed.parse_xml_file(base / "biopython" / "pubmed2.xml", search_id="s")
    assert [r.pmid for r in two] == ["11748933", "11700088"]
    assert two[0].doi == "10.1006/cryo.2001.2328"
    assert two[0].title.startswith("Is cryopreservation a homogeneous process?")
    assert two[0].authors[:2] == ("Taddei, A R", "Barbato, F")
    assert (two[0].journal, two[0].volume, two[0].issue, two[0].pages, two[0].year) == (
        "Cryobiology", "42", "4", "244-255", 2001,
    )  # fmt: skip
    assert "Cryopreservation" in two[0].mesh_terms
    assert two[1].title == "Proton MRI of (13)C distribution by J and chemical shift editing."

    (gut,) = pubmed.parse_xml_file(base / "biopython" / "pubmed4.xml", search_id="s")
    assert gut.title == (
        "Leucocyte telomere length, genetic variants at the TERT gene region and risk of "
        "pancreatic cancer."
    )
    assert gut.pmcid == "PMC5442267" and gut.doi == "10.1136/gutjnl-2016-312510"
    assert gut.abstract.startswith("OBJECTIVE: Telomere shortening occurs")
    assert "CONCLUSIONS: Prediagnostic leucocyte telomere length" in gut.abstract
    assert "<" not in gut.abstract.replace("r2<0.25", "")

    (lung,) = pubmed.parse_xml_file(base / "biopython" / "pubmed7.xml", search_id="s")
    assert lung.doi == "10.1117/1.jmi.5.2.026002"
    assert "inhaled He 3 / Xe 129 MRI ventilation" in lung.abstract  # MathML flattened
    assert "mml" not in lung.abstract

    decoded = base / "hawc_vcr" / "decoded_bodies" / "efetch_pubmed_21813367.xml"
    (ehp,) = pubmed.parse_xml_file(decoded, search_id="s")
    assert ehp.pmid == "21813367" and ehp.pmcid == "PMC3261988"
    assert ehp.abstract.startswith("BACKGROUND: People living or working in eastern Ohio")
    assert "OBJECTIVES: Our objective was" in ehp.abstract
    assert ehp.authors[:2] == ("Shin, Hyeong-Moo", "Vieira, Verónica M")


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="<>&"),
    min_size=1,
    max_size=60,
).filter(lambda s: s.strip())


@given(title=_TEXT, abstract=_TEXT, family=_TEXT, given_name=_TEXT)
def test_parse_recovers_what_was_written(
    title: str, abstract: str, family: str, given_name: str
) -> None:
    work = replace(works(1)[0], title=title, abstract=(("", abstract),),
                   authors=((family.replace(",", " "), given_name),))  # fmt: skip
    root = parse_xml(pubmed_xml([work]))
    (record,) = pubmed.parse_article_set(root, search_id="s")
    assert record.title == clean_text(title)
    assert record.abstract == clean_text(abstract)
    assert record.pmid == work.pmid and record.doi == work.doi
    assert len(record.authors) <= 1
