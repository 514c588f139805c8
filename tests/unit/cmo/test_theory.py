"""Programme-theory areas from the config: tags and relevance."""

from __future__ import annotations

import pytest

from realist_review.cmo.theory import TheoryArea, parse_theory_areas, relevance, tag_areas
from realist_review.errors import InputError

AREAS = [
    TheoryArea(
        "supervision", "Trauma-informed supervision", ("supervision", "reflective practice")
    ),
    TheoryArea("training", "Staff training", ("staff training", "course")),
]


def test_tags_with_endings_best_first() -> None:
    text = "Supervisors met weekly; supervision and reflective practices grew after the course."
    assert tag_areas(text, AREAS) == [("supervision", 3), ("training", 1)]
    assert tag_areas("Nothing relevant here.", AREAS) == []
    assert tag_areas("Staff-training days", AREAS) == [("training", 1)]


def test_parse_from_config() -> None:
    config = {"cmo": {"theory_areas": [{"id": "a", "label": "A", "seed_terms": ["x y", " "]}]}}
    (area,) = parse_theory_areas(config)
    assert area.seed_terms == ("x y",)
    assert parse_theory_areas({}) == []
    with pytest.raises(InputError, match="item 1"):
        parse_theory_areas({"cmo": {"theory_areas": [{"label": "no id"}]}})


def test_relevance() -> None:
    assert relevance(0.8, 0, have_areas=False) == 0.8
    assert relevance(0.8, 3, have_areas=True) > relevance(0.8, 1, have_areas=True)
    assert 0.0 <= relevance(0.0, 0, have_areas=True) <= relevance(1.0, 5, have_areas=True) <= 1.0
