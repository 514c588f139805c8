"""Interrupted searches resume from the saved state without duplicating or losing records."""

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

from .conftest import run_search, spec_for

ROUTES = {
    "europepmc": ("/europepmc/", "page_size"),
    "openalex": ("/openalex/", "per_page"),
    "crossref": ("/crossref/", "rows"),
    "zotero": ("/zotero/", "page_size"),
}


@pytest.mark.parametrize("source", sorted(ROUTES))
@pytest.mark.parametrize(
    ("kind", "options"),
    [
        pytest.param("status", {"status": 503}, id="permanent-503"),
        pytest.param("close", {}, id="server-gone"),
    ],
)
def test_resume_after_an_interruption_matches_an_uninterrupted_run(
    tmp_path: Path,
    fake_api: FakeApi,
    settings: dict[str, Any],
    session: requests.Session,
    source: str,
    kind: str,
    options: dict[str, Any],
) -> None:
    route, size_key = ROUTES[source]
    settings[source][size_key] = 7
    spec = spec_for(source)
    client = get_client(source)
    _, reference = run_search(tmp_path / "reference", spec, settings, session)

    folder = tmp_path / "interrupted"
    store = RawStore.open(folder, client.plan(spec, Limits(), settings))
    fake_api.fail(route, kind, after=2, times=None, **options)
    with pytest.raises(SourceError, match=f"^{source}: GET "):
        client.fetch(store, spec=spec, limits=Limits(), settings=settings, session=session)
    assert not store.manifest.complete
    assert [p["file"] for p in store.manifest.pages] == ["page-0001.json", "page-0002.json"]
    saved_state = dict(store.manifest.state)

    fake_api.clear_faults()
    first_new_request = len(fake_api.requests)
    resumed = RawStore.open(folder, client.plan(spec, Limits(), settings))
    assert resumed.manifest.state == saved_state  # read back from manifest.json
    client.fetch(resumed, spec=spec, limits=Limits(), settings=settings, session=session)
    records = client.parse(resumed.page_paths(), search_id=spec.id)

    assert records == reference
    assert resumed.manifest.complete
    assert sum(p["records"] for p in resumed.manifest.pages) == resumed.manifest.hits_reported
    request = fake_api.requests[first_new_request]
    if source == "zotero":
        assert request.params["start"] == "14"
    else:
        cursor_param = "cursorMark" if source == "europepmc" else "cursor"
        assert request.params[cursor_param] == saved_state["cursor"] != "*"


def test_a_complete_store_is_not_fetched_again(
    tmp_path: Path, fake_api: FakeApi, settings: dict[str, Any], session: requests.Session
) -> None:
    spec = spec_for("openalex")
    run_search(tmp_path, spec, settings, session)
    count = len(fake_api.requests)
    _, records = run_search(tmp_path, spec, settings, session)
    assert len(fake_api.requests) == count
    assert len(records) == 30
