"""Accuracy floors on the smallest labelled set in ../shared/data/dedup (skipped when absent).

The floors sit a little below what the stage reaches today (precision 0.985, recall 0.834,
one false merge: the gold's known miss of the title-less ``id_0000002``, which bib-dedupe
merges too), so that a regression in normalisation, blocking or the rules fails here.
"""

from __future__ import annotations

import csv
from itertools import combinations
from pathlib import Path

import pytest

from realist_review.dedup import run_dedup


def _pairs(clusters: list[list[str]]) -> set[tuple[str, str]]:
    return {pair for ids in clusters for pair in combinations(sorted(ids), 2)}


@pytest.mark.shared
def test_haematology_precision_recall_floors(shared_data: Path, tmp_path: Path) -> None:
    folder = shared_data / "dedup" / "haematology"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    result = run_dedup(records=folder / "records_pre_merged.csv", groups=tmp_path / "g.csv")
    with (folder / "merged_record_ids.csv").open(encoding="utf-8") as handle:
        gold = [row["merged_ids"].split(";") for row in csv.DictReader(handle)]
    predicted = [[m.record_id for m in members] for members in result.groups.values()]
    gold_pairs, pred_pairs = _pairs(gold), _pairs(predicted)
    true = len(gold_pairs & pred_pairs)
    precision, recall = true / len(pred_pairs), true / len(gold_pairs)
    work = {rid: k for k, ids in enumerate(gold) for rid in ids}
    false_merges = sum(1 for ids in predicted if len({work.get(r, r) for r in ids}) > 1)
    assert len(result.group_of) == 1415
    assert precision >= 0.98, precision
    assert recall >= 0.83, recall
    assert false_merges <= 1


@pytest.mark.shared
@pytest.mark.slow
@pytest.mark.parametrize(("name", "recall_floor"), [("respiratory", 0.975), ("neuroimaging", 0.99)])
def test_no_false_merge_and_recall_floor(
    shared_data: Path, tmp_path: Path, name: str, recall_floor: float
) -> None:
    """No record in a falsely merged cluster on the larger sets, recall a little below today's
    (respiratory 0.980, neuroimaging 0.994), so a regression in any error class fails here."""
    folder = shared_data / "dedup" / name
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    result = run_dedup(records=folder / "records_pre_merged.csv", groups=tmp_path / "g.csv")
    with (folder / "merged_record_ids.csv").open(encoding="utf-8") as handle:
        gold = [row["merged_ids"].split(";") for row in csv.DictReader(handle)]
    predicted = [[m.record_id for m in members] for members in result.groups.values()]
    work = {rid: k for k, ids in enumerate(gold) for rid in ids}
    falsely_merged = [ids for ids in predicted if len({work.get(r, r) for r in ids}) > 1]
    gold_pairs, pred_pairs = _pairs(gold), _pairs(predicted)
    assert sum(len(ids) for ids in falsely_merged) == 0, falsely_merged
    assert len(gold_pairs & pred_pairs) / len(gold_pairs) >= recall_floor
