"""The label-free lexicon: hard cases from the annotation guidelines, and its invariants."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from realist_review.cmo.lexicon import ROLES, cue_counts, score_sentence

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "hard_cases.yaml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_hard_case(case: dict[str, Any]) -> None:
    scores = score_sentence(
        case["text"], section=case["section"], is_label=case.get("is_label", False)
    ).as_dict()
    for role, expected in case["expect"].items():
        assert (scores[role] >= 0.5) is expected, f"{case['id']}: {role} {scores[role]:.2f}"


def test_hard_cases_have_ids_and_notes() -> None:
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))
    assert all(c.get("note") and set(c["expect"]) <= set(ROLES) for c in CASES)


def test_section_priors_move_scores() -> None:
    text = "Carers reported greater confidence."
    results = score_sentence(text, section="results").outcome
    objective = score_sentence(text, section="objective").outcome
    assert results > objective


def test_scores_are_probabilities_and_cached_counts_agree() -> None:
    text = "The 10-week programme reduced stress (p < .05) among 40 adoptive parents."
    scores = score_sentence(text, section="results", position=1.0).as_dict()
    assert all(0.0 <= v <= 1.0 for v in scores.values())
    assert cue_counts(text) == cue_counts(text)
    assert cue_counts(text)["sample"] >= 1
    assert score_sentence("   ").as_dict() == {r: 0.0 for r in ROLES}
