"""The full-text flow PRISMA counts: every forwarded record sought, retrieved unless listed."""

from __future__ import annotations

from pathlib import Path

from realist_review.prisma.inputs import read_fulltext_rows
from realist_review.retrieval.stage import prisma_fulltext_rows, write_prisma_fulltext
from realist_review.tables import write_table


def test_forwarded_records_are_sought_and_retrieved_unless_not_retrieved(tmp_path: Path) -> None:
    status = [
        {"record_id": "a", "status": "included", "reason": "", "round": "1", "decided_by": "human"},
        {"record_id": "b", "status": "maybe", "reason": "", "round": "1", "decided_by": "human"},
        {"record_id": "c", "status": "excluded", "reason": "E1", "round": "1",
         "decided_by": "human"},
    ]  # fmt: skip
    rows = prisma_fulltext_rows(status, [{"record_id": "b"}])
    assert [(r["record_id"], r["sought"], r["retrieved"]) for r in rows] == [
        ("a", "yes", "yes"), ("b", "yes", "no")]  # fmt: skip
    assert all(r["assessed"] == "" and r["decision"] == "" for r in rows)
    status_csv = tmp_path / "status.csv"
    write_table(status_csv, status, "screen_status")
    missing = tmp_path / "not_retrieved.csv"
    write_table(missing, [{"record_id": "b", "screening": "maybe", "title": "t",
                           "first_author": "", "year": "", "doi": "", "pmid": "", "pmcid": "",
                           "reason": "no open copy"}], "fulltext_not_retrieved")  # fmt: skip
    out = tmp_path / "prisma.csv"
    assert write_prisma_fulltext(status=status_csv, not_retrieved=missing, output=out) == 2
    assert read_fulltext_rows(out) == rows
