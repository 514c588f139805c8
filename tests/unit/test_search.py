"""Search orchestration: live fetch once, reuse, resume, snapshot replay and its checks.

The source clients have their own tests against a real local HTTP server; here a small client
that writes JSON pages stands in for them, so that only the orchestration is under test.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from realist_review.config import Limits, SearchSpec
from realist_review.errors import InputError, SourceError
from realist_review.raw import Manifest, RawStore
from realist_review.records import Record, Source, make_record
from realist_review.search import run_api_search


class PagedClient:
    """Three pages of two records; can be told to fail after a number of pages."""

    def __init__(self, fail_after: int | None = None) -> None:
        self.fail_after = fail_after
        self.fetch_calls = 0
        self.pages_sent = 0

    def plan(self, spec: SearchSpec, limits: Limits, settings: Mapping[str, Any]) -> Manifest:
        return Manifest(
            search_id=spec.id,
            source=str(spec.source),
            endpoint="http://127.0.0.1/search",
            query=spec.query,
            query_as_run=f"{spec.query} AND PUB_YEAR:[{limits.year_from} TO {limits.year_to}]",
            parameters={"pageSize": 2},
        )

    def fetch(self, store: RawStore, **_: Any) -> None:
        self.fetch_calls += 1
        start = int(store.manifest.state.get("next_page", 1))
        for page in range(start, 4):
            if self.fail_after is not None and self.pages_sent >= self.fail_after:
                raise SourceError("europepmc: 503 after 5 retries")
            ids = [f"MED:{page}{n}" for n in (1, 2)]
            body = json.dumps({"ids": ids}).encode()
            store.manifest.state["next_page"] = page + 1
            store.add_page(f"page-{page:04d}.json", body, records=len(ids))
            self.pages_sent += 1
        store.finish(hits_reported=6)

    def parse(self, pages: Sequence[Path], *, search_id: str) -> list[Record]:
        return [
            make_record(source=Source.EUROPEPMC, source_id=i, search_id=search_id, title=i)
            for p in pages
            for i in json.loads(p.read_text())["ids"]
        ]


SPEC = SearchSpec(id="europepmc", source=Source.EUROPEPMC, database="Europe PMC", query="tic")
LIMITS = Limits(year_from=2000, year_to=2026)


def _run(
    client: PagedClient,
    raw: Path,
    *,
    mode: str = "live",
    spec: SearchSpec = SPEC,
    snapshot: Path | None = None,
    limits: Limits = LIMITS,
):  # type: ignore[no-untyped-def]
    return run_api_search(
        spec,
        limits=limits,
        settings={},
        mode=mode,
        raw_root=raw,
        snapshot_dir=snapshot,
        session_factory=lambda settings: None,  # type: ignore[arg-type,return-value]
        client=client,
    )


def test_live_search_runs_once_then_reuses_raw(tmp_path: Path) -> None:
    client = PagedClient()
    first = _run(client, tmp_path)
    assert len(first.records) == 6 and client.fetch_calls == 1
    assert first.log_row["hits_reported"] == "6" and first.log_row["mode"] == "live"
    second = _run(client, tmp_path)
    assert client.fetch_calls == 1, "a complete search is never fetched again"
    assert second.records == first.records
    assert second.log_row["raw_sha256"] == first.log_row["raw_sha256"]


def test_changed_query_or_limits_is_a_new_search(tmp_path: Path) -> None:
    client = PagedClient()
    first = _run(client, tmp_path)
    changed = _run(client, tmp_path, spec=SearchSpec(**{**SPEC.__dict__, "query": "tic care"}))
    narrower = _run(client, tmp_path, limits=Limits(year_from=2010, year_to=2026))
    assert client.fetch_calls == 3
    folders = {r.log_row["raw_path"] for r in (first, changed, narrower)}
    assert len(folders) == 3


def test_interrupted_search_resumes_without_duplicates(tmp_path: Path) -> None:
    broken = PagedClient(fail_after=2)
    with pytest.raises(SourceError):
        _run(broken, tmp_path)
    resumed = PagedClient()
    outcome = _run(resumed, tmp_path)
    assert resumed.pages_sent == 1, "only the missing page is fetched"
    ids = [r.source_id for r in outcome.records]
    assert len(ids) == len(set(ids)) == 6
    assert outcome.records == _run(PagedClient(), tmp_path / "clean").records


def test_snapshot_replay_and_mismatch(tmp_path: Path) -> None:
    saved = _run(PagedClient(), tmp_path / "saved")
    replay_client = PagedClient()
    replayed = _run(replay_client, tmp_path / "raw", mode="snapshot", snapshot=tmp_path / "saved")
    assert replay_client.fetch_calls == 0
    assert replayed.records == saved.records
    assert replayed.log_row["mode"] == "snapshot"
    other = SearchSpec(**{**SPEC.__dict__, "query": "something else"})
    with pytest.raises(InputError, match="A changed query is a new search"):
        _run(
            PagedClient(),
            tmp_path / "raw2",
            mode="snapshot",
            snapshot=tmp_path / "saved",
            spec=other,
        )
    with pytest.raises(InputError, match="Limits changed"):
        _run(
            PagedClient(),
            tmp_path / "raw3",
            mode="snapshot",
            snapshot=tmp_path / "saved",
            limits=Limits(year_from=1990, year_to=2026),
        )


def test_live_search_without_the_contact_email_fails_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 9, item 5: say what to export before any request is sent."""
    monkeypatch.delenv("RR_UNSET_CONTACT", raising=False)
    client = PagedClient()
    with pytest.raises(InputError, match="export RR_UNSET_CONTACT="):
        run_api_search(
            SPEC,
            limits=LIMITS,
            settings={"contact_email_env": "RR_UNSET_CONTACT"},
            mode="live",
            raw_root=tmp_path,
            session_factory=lambda settings: None,  # type: ignore[arg-type,return-value]
            client=client,
        )
    assert client.fetch_calls == 0


class ShortClient(PagedClient):
    """Reports 8 hits but delivers the 6 of its three pages."""

    def fetch(self, store: RawStore, **kwargs: Any) -> None:
        super().fetch(store, **kwargs)
        store.finish(hits_reported=8, shortfall=2, notes=["incomplete: 2 of the 8 records"])


def test_a_shortfall_makes_the_search_incomplete_in_its_log_row(tmp_path: Path) -> None:
    """Issue 10, item 1: a search whose records do not add up is never logged as complete."""
    outcome = _run(ShortClient(), tmp_path)
    assert outcome.log_row["status"] == "incomplete"
    assert outcome.log_row["hits_reported"] == "8" and outcome.log_row["records_retrieved"] == "6"
    assert "2 of the 8" in outcome.log_row["note"]
    assert _run(PagedClient(), tmp_path / "ok").log_row["status"] == "complete"


def test_a_search_folder_in_use_is_refused(tmp_path: Path) -> None:
    """Issue 10, item 12: a rerun beside an orphaned job stops instead of writing along."""
    planned = PagedClient().plan(SPEC, LIMITS, {})
    holder = RawStore.open(tmp_path, planned)
    with holder.locked(), pytest.raises(SourceError, match="another run"):
        _run(PagedClient(), tmp_path)


class LegacyShortClient(PagedClient):
    """A folder finished by an earlier version: 8 hits reported, 6 received, no shortfall."""

    def fetch(self, store: RawStore, **kwargs: Any) -> None:
        super().fetch(store, **kwargs)
        store.finish(hits_reported=8)


def test_a_folder_marked_complete_with_records_missing_is_logged_incomplete(
    tmp_path: Path,
) -> None:
    """Issue 10, item 1: folders the old code marked complete are not trusted blindly."""
    outcome = _run(LegacyShortClient(), tmp_path)
    assert outcome.log_row["status"] == "incomplete"
    assert "2 of the 8 records reported were not received" in outcome.log_row["note"]
