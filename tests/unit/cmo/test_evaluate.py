"""Benchmark measures: alignment, precision/recall/F1, configuration coverage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from realist_review.cmo.evaluate import (
    align,
    configuration_coverage,
    jaccard,
    load_gold,
    prf,
    role_scores,
)
from realist_review.errors import InputError


def test_align_by_overlap() -> None:
    assert align([(0, 10), (11, 20), (30, 40)], [(0, 12), (12, 25)]) == [0, 1, None]


def test_prf_and_macro() -> None:
    score = prf([1, 1, 0, 0], [1, 0, 1, 0])
    assert (score.precision, score.recall, score.f1, score.support) == (0.5, 0.5, 0.5, 2)
    assert prf([0, 0], [0, 0]).f1 == 0.0
    scores = role_scores([(1, 0, 1), (0, 1, 1)], [(1, 0, 1), (0, 0, 1)])
    assert scores["context"].f1 == 1.0 and scores["mechanism"].f1 == 0.0
    assert scores["macro"].f1 == pytest.approx(2 / 3)


def test_coverage() -> None:
    assert jaccard({1, 2}, {2, 3}) == pytest.approx(1 / 3)
    gold = {"a": [frozenset({0, 1, 2}), frozenset({5})], "b": []}
    cands = {"a": [frozenset({0, 1})], "b": [frozenset({1})]}
    assert configuration_coverage(gold, cands) == (1, 2, 2)


def test_load_gold(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    record = {
        "source_id": "1",
        "sentences": [{"start": 0, "end": 5, "context": 1, "mechanism": 0, "outcome": 0}],
        "configurations": [{"evidence": [0], "explicit": False}],
    }
    path.write_text(json.dumps(record) + "\n\n", encoding="utf-8")
    (gold,) = load_gold(path)
    assert gold.sentences[0].roles == (1, 0, 0)
    assert gold.configurations == (frozenset({0}),)
    path.write_text('{"source_id": "1"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="line 1"):
        load_gold(path)
