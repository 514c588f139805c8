"""Programme-theory areas: tag a configuration with the review's areas and score relevance.

A review declares its areas in the config (``cmo.theory_areas``), each with an id, a label and
seed terms. A seed term matches as a phrase of whole words, case-insensitive, allowing common
endings ("supervision" matches "supervised", "supervisors").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from realist_review.errors import InputError

_SUFFIXES = ("ations", "ation", "ions", "ion", "ings", "ing", "ed", "es", "al", "s", "e")


def _stem(word: str) -> str:
    """A crude stem: a common ending cut from words longer than six letters."""
    if len(word) > 6:
        for suffix in _SUFFIXES:
            if word.endswith(suffix):
                return word[: -len(suffix)]
    return word


@dataclass(frozen=True, slots=True)
class TheoryArea:
    """One programme-theory area of the review."""

    id: str
    label: str
    seed_terms: tuple[str, ...]

    def pattern(self) -> re.Pattern[str]:
        """One regex matching any seed term (word stems with common endings)."""
        alternatives = []
        for term in self.seed_terms:
            words = [re.escape(w) for w in term.lower().split()]
            if not words:
                continue
            stemmed = [_stem(w) for w in words]
            alternatives.append(r"[\s-]+".join(f"{w}\\w{{0,6}}" for w in stemmed))
        return re.compile(r"\b(?:" + "|".join(alternatives or ["(?!x)x"]) + r")\b", re.I)


def parse_theory_areas(config: Mapping[str, Any] | None) -> list[TheoryArea]:
    """The areas of ``config["cmo"]["theory_areas"]`` (none when absent)."""
    cmo = (config or {}).get("cmo") or {}
    areas: list[TheoryArea] = []
    for number, entry in enumerate(cmo.get("theory_areas") or [], 1):
        try:
            area_id = str(entry["id"]).strip()
            seeds = tuple(str(t).strip() for t in entry["seed_terms"] if str(t).strip())
        except (KeyError, TypeError) as exc:
            raise InputError(
                f"config cmo.theory_areas item {number}: give an id and a list of seed_terms"
            ) from exc
        if not area_id or not seeds:
            raise InputError(
                f"config cmo.theory_areas item {number}: the id and seed_terms must not be empty"
            )
        areas.append(TheoryArea(area_id, str(entry.get("label") or area_id), seeds))
    return areas


def tag_areas(text: str, areas: Sequence[TheoryArea]) -> list[tuple[str, int]]:
    """``(area id, number of seed-term matches)`` for every area matching ``text``, best first."""
    hits = [(area.id, len(area.pattern().findall(text))) for area in areas]
    return sorted(((a, n) for a, n in hits if n), key=lambda x: (-x[1], x[0]))


def relevance(role_confidence: float, area_hits: int, *, have_areas: bool) -> float:
    """Relevance in [0, 1]: role confidence, weighted with theory-area support when declared."""
    if not have_areas:
        return round(role_confidence, 3)
    support = min(area_hits, 3) / 3
    return round(0.6 * role_confidence + 0.4 * support, 3)
