"""Normalize: hits of several searches become one sorted record table with origins."""

from __future__ import annotations

import json
from pathlib import Path

from realist_review.normalize import normalize_records
from realist_review.records import make_record, record_to_row
from realist_review.tables import read_table, sha256_file, write_table


def _hits(path: Path, search_id: str, pmids: list[str], title: str) -> Path:
    records = [
        make_record(source="pubmed", source_id=p, search_id=search_id, title=f"{title} {p}")
        for p in pmids
    ]
    write_table(path, (record_to_row(r) for r in records), "record")
    return path


def test_same_record_from_two_searches_is_one_row(tmp_path: Path) -> None:
    first = _hits(tmp_path / "a.csv", "pubmed-main", ["3", "1"], "Main")
    second = _hits(tmp_path / "b.csv", "pubmed-supervision", ["1", "2"], "Extra")
    out, meta = tmp_path / "records.csv", tmp_path / "records.meta.json"
    records = normalize_records(hits=[first, second], output=out, meta=meta)
    assert len(records) == 3
    rows = read_table(out, "record")
    assert [r["record_id"] for r in rows] == sorted(r["record_id"] for r in rows)
    shared = next(r for r in rows if r["source_id"] == "1")
    assert shared["origin"] == "pubmed-main:1; pubmed-supervision:1"
    assert shared["title"] == "Main 1", "the earlier search's value is kept"
    info = json.loads(meta.read_text())
    assert info == {
        "schema": "record",
        "schema_version": "1.0",
        "rows": 3,
        "hits": 4,
        "sha256": sha256_file(out),
        "inputs": [str(first), str(second)],
    }
    again = normalize_records(hits=[first, second], output=tmp_path / "again.csv", meta=meta)
    assert again == records
    assert (tmp_path / "again.csv").read_bytes() == out.read_bytes()
