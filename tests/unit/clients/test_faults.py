"""Faults that change what a well-formed page says: no record is lost without it being said.

Each case reproduces a finding of the fault-injection runs (issue 10): an empty page in the
middle of a search, PubMed's "Search Backend failed" with status 200, a short efetch batch, an
API error as a 200 JSON body, a corrupt gzip body, and totals that move between pages. A
transient fault is retried until the page is what the search expects; a fault that persists is
either an error (the search stays incomplete and resumable) or, when the source insists its
results end there, a shortfall recorded in the manifest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests
from support.fake_api import FakeApi

from realist_review.clients import get_client
from realist_review.config import Limits
from realist_review.errors import SourceError
from realist_review.raw import RawStore

from .conftest import run_search, settings_for, spec_for

#: Small pages so that 30 works take several requests.
SMALL = {
    "europepmc": {"page_size": 10},
    "crossref": {"rows": 10},
    "openalex": {"per_page": 10},
    "zotero": {"page_size": 10},
    "pubmed": {"batch_size": 10},
}
#: The route of the requests that carry records.
PAGES = {
    "europepmc": "/europepmc/",
    "crossref": "/crossref/",
    "openalex": "/openalex/",
    "zotero": "/zotero/",
    "pubmed": "/efetch",
}


@pytest.fixture
def small(fake_api: FakeApi, secrets_env: dict[str, str]) -> dict[str, Any]:
    return settings_for(fake_api.url, **SMALL)


def _clean_count(tmp_path: Path, source: str, small: dict[str, Any], session: Any) -> int:
    """Records of the search without faults (Zotero: items, notes and attachments included)."""
    store, _records = run_search(tmp_path / "clean", spec_for(source), small, session)
    assert store.manifest.complete and store.manifest.shortfall == 0
    assert store.manifest.hits_reported == _received(store)
    return _received(store)


def _received(store: RawStore) -> int:
    return sum(int(p["records"]) for p in store.manifest.pages if not p["file"].startswith("es"))


@pytest.mark.parametrize("source", sorted(PAGES))
def test_empty_page_mid_search_is_retried(
    tmp_path: Path,
    fake_api: FakeApi,
    small: dict[str, Any],
    session: requests.Session,
    source: str,
) -> None:
    expected = _clean_count(tmp_path, source, small, session)
    fake_api.fail(PAGES[source], "empty_page", after=1)
    store, records = run_search(tmp_path / "faulty", spec_for(source), small, session)
    assert _received(store) == expected, "the empty page was retried, not taken as the end"
    assert len(records) == (30 if source != "crossref" else 25)
    assert store.manifest.complete and store.manifest.shortfall == 0


@pytest.mark.parametrize("source", sorted(PAGES))
def test_persistent_empty_page_is_a_recorded_shortfall(
    tmp_path: Path,
    fake_api: FakeApi,
    small: dict[str, Any],
    session: requests.Session,
    source: str,
) -> None:
    expected = _clean_count(tmp_path, source, small, session)
    fake_api.fail(PAGES[source], "empty_page", after=1, times=None)
    store, _records = run_search(tmp_path / "faulty", spec_for(source), small, session)
    assert _received(store) < expected
    assert store.manifest.shortfall == expected - _received(store), "the loss is recorded"
    assert store.manifest.hits_reported == expected


def test_pubmed_backend_failure_with_status_200_is_an_error(
    tmp_path: Path, fake_api: FakeApi, small: dict[str, Any], session: requests.Session
) -> None:
    spec = spec_for("pubmed")
    fake_api.fail("/esearch", "backend_error")  # once: retried
    store, records = run_search(tmp_path / "once", spec, small, session)
    assert len(records) == 30 and store.manifest.hits_reported == 30
    fake_api.fail("/esearch", "backend_error", times=None)
    failing = RawStore.open(tmp_path / "always", get_client("pubmed").plan(spec, Limits(), small))
    with pytest.raises(SourceError, match="Search Backend failed"):
        get_client("pubmed").fetch(failing, spec=spec, limits=Limits(), settings=small,
                                   session=session)  # fmt: skip
    assert not failing.manifest.complete and not failing.manifest.pages


def test_short_efetch_batch_is_retried_then_recorded(
    tmp_path: Path, fake_api: FakeApi, small: dict[str, Any], session: requests.Session
) -> None:
    spec = spec_for("pubmed")
    fake_api.fail("/efetch", "short_batch", after=1)
    store, records = run_search(tmp_path / "once", spec, small, session)
    assert len(records) == 30 and store.manifest.shortfall == 0
    fake_api.fail("/efetch", "short_batch", after=1, times=None)
    store, records = run_search(tmp_path / "always", spec, small, session)
    assert len(records) == 28, "batches 2 and 3 each kept one record short"
    assert store.manifest.shortfall == 2
    assert [p.get("expected") for p in store.manifest.pages if p["file"].startswith("efetch")] == [
        10,
        10,
        10,
    ]


def test_zotero_error_in_a_200_body_is_never_stored(
    tmp_path: Path, fake_api: FakeApi, small: dict[str, Any], session: requests.Session
) -> None:
    spec = spec_for("zotero")
    fake_api.fail("/zotero/", "json_error", after=1)
    store, records = run_search(tmp_path / "once", spec, small, session)
    assert store.manifest.complete and store.manifest.shortfall == 0 and records
    fake_api.fail("/zotero/", "json_error", times=None)
    failing = RawStore.open(tmp_path / "always", get_client("zotero").plan(spec, Limits(), small))
    with pytest.raises(SourceError, match="error"):
        get_client("zotero").fetch(failing, spec=spec, limits=Limits(), settings=small,
                                   session=session)  # fmt: skip
    assert not failing.manifest.complete and not failing.manifest.pages


@pytest.mark.parametrize("source", ["europepmc", "openalex"])
def test_json_error_reply_is_an_error(
    tmp_path: Path,
    fake_api: FakeApi,
    small: dict[str, Any],
    session: requests.Session,
    source: str,
) -> None:
    spec = spec_for(source)
    fake_api.fail(PAGES[source], "json_error", times=None)
    failing = RawStore.open(tmp_path, get_client(source).plan(spec, Limits(), small))
    with pytest.raises(SourceError):
        get_client(source).fetch(failing, spec=spec, limits=Limits(), settings=small,
                                 session=session)  # fmt: skip
    assert not failing.manifest.complete and not failing.manifest.pages


def test_corrupt_gzip_body_is_retried_then_a_clear_error(
    tmp_path: Path, fake_api: FakeApi, small: dict[str, Any], session: requests.Session
) -> None:
    spec = spec_for("crossref")
    fake_api.fail("/crossref/", "corrupt_gzip", after=1)
    store, records = run_search(tmp_path / "once", spec, small, session)
    assert store.manifest.complete and store.manifest.shortfall == 0 and records
    fake_api.fail("/crossref/", "corrupt_gzip", times=None)
    failing = RawStore.open(tmp_path / "always", get_client("crossref").plan(spec, Limits(), small))
    with pytest.raises(SourceError, match="decompress"):
        get_client("crossref").fetch(failing, spec=spec, limits=Limits(), settings=small,
                                     session=session)  # fmt: skip


@pytest.mark.parametrize("source", ["europepmc", "crossref", "openalex", "zotero"])
def test_totals_that_move_between_pages_are_recorded_per_page(
    tmp_path: Path,
    fake_api: FakeApi,
    small: dict[str, Any],
    session: requests.Session,
    source: str,
) -> None:
    expected = _clean_count(tmp_path, source, small, session)
    fake_api.fail(PAGES[source], "total_changes", after=1, times=None, delta=2)
    store, _records = run_search(tmp_path / "moved", spec_for(source), small, session)
    totals = [page["hits"] for page in store.manifest.pages]
    assert totals[0] == expected and set(totals[1:]) == {expected + 2}
    assert store.manifest.hits_reported == expected + 2, "the largest total, never hidden"
    assert any("changed between pages" in note for note in store.manifest.notes)
    assert store.manifest.shortfall == 2 and _received(store) == expected
