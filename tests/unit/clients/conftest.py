"""Fixtures for the web-client tests: the fake API server, settings pointing at it, helpers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from support.fake_api import FakeApi
from support.topic_works import works

from realist_review.clients import get_client
from realist_review.clients.http import make_session
from realist_review.config import CLIENT_DEFAULTS, Limits, SearchSpec, client_settings
from realist_review.raw import RawStore
from realist_review.records import Record, Source

#: Secrets the tests put in the environment; none may appear in a log, manifest or message.
SECRETS = {
    "RR_TEST_EMAIL": "reviewer.secret@example.org",
    "RR_TEST_NCBI_KEY": "ncbi0secret0key0123456789abcdef",
    "RR_TEST_OPENALEX_KEY": "openalex-secret-key-42",
    "RR_TEST_ZOTERO_KEY": "zoteroSecretKey987",
}


@pytest.fixture
def fake_api() -> Iterator[FakeApi]:
    """A running fake server with 30 works on the review topic."""
    with FakeApi(works=works(30), zotero_key=SECRETS["RR_TEST_ZOTERO_KEY"]) as api:
        yield api


@pytest.fixture
def secrets_env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    return SECRETS


def settings_for(url: str, **overrides: Any) -> dict[str, Any]:
    """Client settings pointing at the fake server, with tiny timeouts and backoff."""
    settings = client_settings({"clients": {}})
    settings.update(
        contact_email_env="RR_TEST_EMAIL",
        timeout_seconds=0.5,
        max_retries=3,
        backoff_seconds=0.01,
        max_wait_seconds=0.05,
    )
    bases = {
        "pubmed": f"{url}/eutils/",
        "europepmc": f"{url}/europepmc/",
        "openalex": f"{url}/openalex/",
        "crossref": f"{url}/crossref/",
        "zotero": f"{url}/zotero",
    }
    for source, base in bases.items():
        settings[source] = {**CLIENT_DEFAULTS[source], "base_url": base,
                            "requests_per_second": 1000}  # fmt: skip
    settings["pubmed"]["api_key_env"] = "RR_TEST_NCBI_KEY"
    settings["openalex"]["api_key_env"] = "RR_TEST_OPENALEX_KEY"
    settings["zotero"]["api_key_env"] = "RR_TEST_ZOTERO_KEY"
    for key, value in overrides.items():
        if isinstance(value, dict):
            settings[key] = {**settings[key], **value}
        else:
            settings[key] = value
    return settings


@pytest.fixture
def settings(fake_api: FakeApi, secrets_env: dict[str, str]) -> dict[str, Any]:
    return settings_for(fake_api.url)


@pytest.fixture
def session(settings: dict[str, Any]) -> Iterator[requests.Session]:
    with make_session(settings) as s:
        yield s


def spec_for(source: str, search_id: str = "", **fields: Any) -> SearchSpec:
    """A search spec on the review topic."""
    defaults: dict[str, Any] = {
        "id": search_id or f"{source}-tic",
        "source": Source(source),
        "database": source,
        "query": '"trauma-informed care" AND "residential care"',
    }
    if source == "zotero":
        defaults.update(query="", library_id="2400000", collection="tichomes")
    defaults.update(fields)
    return SearchSpec(**defaults)


def run_search(
    root: Path,
    spec: SearchSpec,
    settings: dict[str, Any],
    session: requests.Session,
    limits: Limits | None = None,
) -> tuple[RawStore, list[Record]]:
    """plan, open the store, fetch, parse: what the search stage does."""
    client = get_client(spec.source)
    limits = limits or Limits()
    store = RawStore.open(root, client.plan(spec, limits, settings))
    client.fetch(store, spec=spec, limits=limits, settings=settings, session=session)
    return store, client.parse(store.page_paths(), search_id=spec.id)
