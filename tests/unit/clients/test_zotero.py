"""Zotero through pyzotero: library or collection paging, key in the header, item types."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
import requests
from support.fake_api import FakeApi

from realist_review.clients import zotero
from realist_review.config import Limits
from realist_review.errors import SourceError

from .conftest import SECRETS, run_search, spec_for


def test_collection_is_read_in_pages_with_the_key_in_a_header(
    tmp_path: Path,
    fake_api: FakeApi,
    settings: dict[str, Any],
    session: requests.Session,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings["zotero"]["page_size"] = 11
    with caplog.at_level(logging.INFO):
        store, records = run_search(tmp_path, spec_for("zotero"), settings, session)
    assert len(records) == 30
    seen = fake_api.seen("/zotero/")
    assert {r.path for r in seen} == {"/zotero/groups/2400000/collections/TICHOMES/items"}
    assert [r.params["start"] for r in seen] == ["0", "11", "22", "33", "44"]
    assert all(r.params["limit"] == "11" and r.params["format"] == "json" for r in seen)
    assert all(r.headers["authorization"] == f"Bearer {SECRETS['RR_TEST_ZOTERO_KEY']}"
               for r in seen)  # fmt: skip
    assert all(SECRETS["RR_TEST_ZOTERO_KEY"] not in r.raw_url for r in seen)
    assert all(r.headers["user-agent"].startswith("realist-review/") for r in seen)
    assert store.manifest.hits_reported == 55  # 30 items + 15 notes + 10 attachments
    assert [p["file"] for p in store.manifest.pages][-1] == "page-0005.json"
    assert "skipped 10 child attachment(s), 15 note(s)" in caplog.text
    assert store.manifest.endpoint.endswith("/zotero/groups/2400000/collections/TICHOMES/items")


def test_a_user_library_without_collection(
    tmp_path: Path, fake_api: FakeApi, settings: dict[str, Any], session: requests.Session
) -> None:
    spec = spec_for("zotero", library_type="user", collection="", filters={"tag": "inspection"})
    manifest = zotero.plan(spec, Limits(year_from=2015), settings)
    assert manifest.query_as_run == "users/2400000/items?tag=inspection"
    assert manifest.parameters["limits_not_in_query"] == ["years"]
    _, records = run_search(tmp_path, spec, settings, session)
    assert len(records) == 30
    assert {r.path for r in fake_api.seen("/zotero/")} == {"/zotero/users/2400000/items"}
    assert {r.params["tag"] for r in fake_api.seen("/zotero/")} == {"inspection"}


def test_records_carry_every_field(
    tmp_path: Path, fake_api: FakeApi, settings: dict[str, Any], session: requests.Session
) -> None:
    _, records = run_search(tmp_path, spec_for("zotero"), settings, session)
    by_title = {r.title: r for r in records}
    first = by_title["Trauma-informed care in residential children's homes: a realist synthesis"]
    assert first.doi == "10.5555/tic.2001" and first.year == 2021
    assert first.authors == ("Okafor, Adaeze", "Whitfield, James R")
    assert (first.journal, first.volume, first.issue, first.pages) == (
        "Child Abuse Review", "30", "2", "101-118",
    )  # fmt: skip
    assert first.language == "eng"
    assert first.publication_type == ("journalArticle",)
    assert first.url.startswith("https://www.zotero.org/groups/tic/items/")
    extra = by_title["Staff training in trauma-aware care and restraint in children's homes"]
    assert (extra.doi, extra.pmid) == ("10.5555/tic.2003", "38000003")  # from the extra field
    assert extra.authors == ("MacLeod, Fiona", "Residential Care Research Collaborative")
    report = by_title[
        "Trauma-informed care in children's residential homes: Ofsted inspection themes"
    ]
    assert report.publication_type == ("report",)
    assert report.publisher == "National Children's Bureau"
    assert report.authors == ("National Children's Bureau",)
    assert report.url == "https://example.org/reports/tic-ofsted-themes"
    assert report.keywords == ("grey literature", "inspection")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(
            {"itemType": "webpage", "title": "Trauma-informed homes",
             "websiteTitle": "NSPCC Learning", "date": "2022-07-01", "url": "https://example.org/tih",
             "creators": [{"creatorType": "author", "name": "NSPCC"}]},
            {"journal": "NSPCC Learning", "year": 2022, "authors": ("NSPCC",)},
            id="webpage",
        ),
        pytest.param(
            {"itemType": "thesis", "title": "Care staff and trauma",
             "university": "University of Leeds", "date": "2019",
             "creators": [{"creatorType": "author", "firstName": "Ruth", "lastName": "Ellis"}]},
            {"publisher": "University of Leeds", "authors": ("Ellis, Ruth",), "year": 2019},
            id="thesis",
        ),
        pytest.param(
            {"itemType": "bookSection", "title": "Therapeutic residential care",
             "bookTitle": "Residential Care for Children", "publisher": "Jessica Kingsley",
             "ISBN": "978-1-78592-000-0", "date": "2016",
             "creators": [{"creatorType": "editor", "firstName": "Mark", "lastName": "Smith"},
                          {"creatorType": "author", "firstName": "Jo", "lastName": "Lee"}]},
            {"journal": "Residential Care for Children", "publisher": "Jessica Kingsley",
             "isbn": "978-1-78592-000-0", "authors": ("Lee, Jo",)},
            id="book-section-authors-before-editors",
        ),
        pytest.param(
            {"itemType": "document", "title": "Governance framework",
             "publisher": "Local authority", "extra": "PMCID: PMC7000001", "date": "n.d.",
             "creators": [{"creatorType": "contributor", "firstName": "Ann", "lastName": "Byrne"}]},
            {"pmcid": "PMC7000001", "year": None, "authors": ("Byrne, Ann",)},
            id="document-contributors-when-no-author",
        ),
    ],
)  # fmt: skip
def test_item_types(data: dict[str, Any], expected: dict[str, Any]) -> None:
    record = zotero.parse_item({"key": "ABCD2345", "data": {"key": "ABCD2345", **data}},
                               search_id="s")  # fmt: skip
    assert record is not None and record.source_id == "ABCD2345"
    for name, value in expected.items():
        assert getattr(record, name) == value, name


def test_standalone_attachments_are_kept_and_children_skipped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    page = tmp_path / "page-0001.json"
    page.write_text(
        '[{"key": "PDF00001", "data": {"key": "PDF00001", "itemType": "attachment",'
        ' "title": "Home inspection 2021.pdf"}},'
        ' {"key": "PDF00002", "data": {"key": "PDF00002", "itemType": "attachment",'
        ' "parentItem": "X", "title": "Full Text"}},'
        ' {"key": "NOTE0001", "data": {"key": "NOTE0001", "itemType": "note", "note": "n"}}]'
    )
    with caplog.at_level(logging.INFO):
        records = zotero.parse([page], search_id="s")
    assert [r.title for r in records] == ["Home inspection 2021.pdf"]
    assert "1 standalone attachment(s) kept as records" in caplog.text
    assert "skipped 1 child attachment(s), 1 note(s)" in caplog.text


def test_faults_are_retried_through_pyzotero(
    tmp_path: Path, fake_api: FakeApi, settings: dict[str, Any], session: requests.Session
) -> None:
    fake_api.fail("/zotero/", "status", status=429, retry_after="1")
    fake_api.fail("/zotero/", "cut_body", after=1)
    _, records = run_search(tmp_path, spec_for("zotero"), settings, session)
    assert len(records) == 30


def test_a_wrong_key_is_a_clear_error(
    tmp_path: Path, fake_api: FakeApi, settings: dict[str, Any], session: requests.Session
) -> None:
    fake_api.zotero_key = "another-key"
    with pytest.raises(SourceError) as caught:
        run_search(tmp_path, spec_for("zotero"), settings, session)
    assert "zotero: GET" in str(caught.value) and "HTTP 403" in str(caught.value)
    assert SECRETS["RR_TEST_ZOTERO_KEY"] not in str(caught.value)
