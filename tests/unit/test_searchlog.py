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


def _write(tmp_path: Path, entry: Path, raw: Path) -> tuple[list[dict[str, str]], str]:
    rows = write_search_log(
        entries=[entry],
        raw_root=raw,
        csv_out=tmp_path / "log.csv",
        markdown_out=tmp_path / "log.md",
        title="TIC review",
    )
    return rows, (tmp_path / "log.md").read_text(encoding="utf-8")


def test_an_incomplete_search_is_shown_in_the_csv_and_the_markdown(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Issue 10, item 1: a shortfall is never logged as complete, and is said where read."""
    raw = tmp_path / "raw"
    current = _store(raw, "trauma-informed care", 60)
    entry = _entry(tmp_path, current, 60)
    row = json.loads(entry.read_text())
    row.update(
        status="incomplete",
        hits_reported="400",
        note="incomplete: 340 of the 400 records reported were not received",
    )
    entry.write_text(json.dumps(row))
    rows, markdown = _write(tmp_path, entry, raw)
    assert read_search_log(tmp_path / "log.csv") == rows
    assert rows[0]["status"] == "incomplete" and "340 of the 400" in rows[0]["note"]
    assert "incomplete (340 of the 400 records reported were not received)" in markdown
    assert "**1 search is incomplete**" in markdown
    assert "Records retrieved by the 1 current searches: 60." in markdown
    assert any("INCOMPLETE" in r.getMessage() for r in caplog.records if r.levelname == "WARNING")


def test_markdown_shows_limits_not_the_query_again(tmp_path: Path) -> None:
    """Issue 9, item 7: the limits column is not the query repeated as JSON."""
    raw = tmp_path / "raw"
    current = _store(raw, "trauma-informed care", 3)
    entry = _entry(tmp_path, current, 3)
    row = json.loads(entry.read_text())
    query = "(trauma-informed care) AND (PUB_YEAR:[2000 TO 2026])"
    row.update(
        query_as_run=query,
        parameters=json.dumps(
            {
                "query": query,
                "resultType": "core",
                "format": "json",
                "limits_not_in_query": ["publication_types"],
            }
        ),
    )
    entry.write_text(json.dumps(row))
    _, markdown = _write(tmp_path, entry, raw)
    line = next(x for x in markdown.splitlines() if x.startswith("| Europe PMC"))
    assert line.count("trauma-informed care") == 1, "the query appears once, as run"
    assert "{" not in line and '"' not in line
    assert "publication types applied to the records before screening" in line
    assert "resultType: core" in line
