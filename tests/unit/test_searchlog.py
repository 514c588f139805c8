"""PRISMA-S search log: rows from entries, superseded searches, Markdown for methods."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from realist_review.errors import InputError
from realist_review.raw import Manifest, RawStore
from realist_review.searchlog import read_search_log, write_search_log


def _entry(tmp_path: Path, store: RawStore, retrieved: int) -> Path:
    row = {
        "search_id": "europepmc",
        "source": "europepmc",
        "database": "Europe PMC",
        "prisma_group": "databases",
        "other_method": "",
        "platform": "Europe PMC REST API",
        "endpoint": store.manifest.endpoint,
        "query": store.manifest.query,
        "query_as_run": store.manifest.query_as_run,
        "parameters": json.dumps(store.manifest.parameters),
        "executed_at": "2026-11-02T09:15:00Z",
        "mode": "live",
        "software": "realist-review 0.1.0",
        "hits_reported": "3",
        "records_retrieved": str(retrieved),
        "raw_path": str(store.folder),
        "raw_sha256": "a" * 64,
        "status": "complete",
    }
    path = tmp_path / "log.json"
    path.write_text(json.dumps(row), encoding="utf-8")
    return path


def _store(root: Path, query: str, records: int) -> RawStore:
    store = RawStore.open(
        root,
        Manifest(
            search_id="europepmc",
            source="europepmc",
            endpoint="https://www.ebi.ac.uk/europepmc/webservices/rest/search",
            query=query,
            query_as_run=query,
            parameters={"pageSize": 1000},
        ),
    )
    store.add_page("page-0001.json", b"{}", records=records)
    store.finish(hits_reported=records)
    return store


def test_current_and_superseded_searches_are_logged(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    _store(raw, "trauma-informed care", 5)
    current = _store(raw, "trauma-informed care AND residential", 3)
    entry = _entry(tmp_path, current, 3)
    rows = write_search_log(
        entries=[entry],
        raw_root=raw,
        csv_out=tmp_path / "log.csv",
        markdown_out=tmp_path / "log.md",
        title="TIC review",
    )
    assert [r["status"] for r in rows] == ["complete", "superseded"]
    assert rows[1]["query"] == "trauma-informed care" and rows[1]["records_retrieved"] == "5"
    assert read_search_log(tmp_path / "log.csv") == rows
    markdown = (tmp_path / "log.md").read_text(encoding="utf-8")
    assert "| Europe PMC |" in markdown
    assert "`trauma-informed care AND residential`" in markdown
    assert "Records retrieved by the 1 current searches: 3." in markdown


def test_broken_entry_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "log.json"
    path.write_text('{"search_id": "x"}', encoding="utf-8")
    with pytest.raises(InputError, match="lacks"):
        write_search_log(
            entries=[path],
            raw_root=tmp_path,
            csv_out=tmp_path / "o.csv",
            markdown_out=tmp_path / "o.md",
            title="t",
        )
