"""The shipped gold annotations: ids, offsets and labels only, consistent with the corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from realist_review.cmo.evaluate import load_gold

GOLD = Path(__file__).resolve().parents[3] / "benchmarks" / "data" / "cmo_annotations.jsonl"
RIS = "corpus/vembye_screen_benchmarks_foster_adoptive/included_on_title_abstract.ris"


def test_no_text_in_the_annotations() -> None:
    allowed = {"source_id", "sentences", "configurations"}
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        assert set(data) == allowed
        assert all(
            set(s) == {"start", "end", "context", "mechanism", "outcome"} for s in data["sentences"]
        )
        assert all(set(c) == {"evidence", "explicit"} for c in data["configurations"])


def test_annotations_are_well_formed() -> None:
    gold = load_gold(GOLD)
    assert len(gold) >= 60
    for record in gold:
        spans = [(s.start, s.end) for s in record.sentences]
        assert spans == sorted(spans) and all(a < b for a, b in spans)
        for config in record.configurations:
            assert all(0 <= i < len(spans) for i in config)
            assert any(record.sentences[i].roles[2] for i in config), record.source_id
        assert len(record.configurations) <= 4


@pytest.mark.shared
def test_annotations_match_the_dev_abstracts(shared_data: Path) -> None:
    from realist_review.formats import load_export

    dev = set((shared_data / "cmo" / "dev_records.txt").read_text().split())
    gold = load_gold(GOLD)
    assert {g.source_id for g in gold} <= dev
    wanted = {g.source_id for g in gold}
    abstracts = {
        r.source_id: r.abstract
        for r in load_export(shared_data / RIS, search_id="x").records
        if r.source_id in wanted
    }
    for record in gold:
        text = abstracts[record.source_id]
        for s in record.sentences:
            assert s.end <= len(text)
            piece = text[s.start : s.end]
            assert piece == piece.strip() and piece
