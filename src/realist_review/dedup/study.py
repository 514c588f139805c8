"""Study linking: groups that are reports of one study share a ``study_id``.

Deduplication decides which records are the *same report*; this step decides which reports
(groups) belong to *one study*, so that PRISMA can count studies and reports. It runs on the
candidate pairs the dedup stage already scored (blocking is shared) and never changes groups.

Two groups are reports of one study when a pair of their members satisfies a study rule:

* ``early_report``: one side is an early report (a preprint, a conference or meeting abstract,
  an item in a supplement of abstracts; see
  :func:`~realist_review.dedup.normalize.is_early_report`), or has no journal while the other
  has one (two records without a journal, such as two trial-registry entries, are not linked
  on that sign alone); the authors agree (the same first author with overlapping lists, or
  lists that agree with one first author in the other list); the years are at most
  ``study_max_year_gap`` apart, and the titles are related: alike as a whole, alike in their
  main title (before ``:``, a spaced dash, ``?`` or ``. `` — a preprint's subtitle often
  changes on publication), or one title starts with the whole of the other (a conference
  abstract under a short title);
* ``series_parts``: the titles name different parts of a series (``Part 1``/``Part 2``) with the
  same main title, by the same authors, at most ``study_max_year_gap`` years apart.

Errata, comments, replies and retraction notices are never reports of the study they concern:
both sides must be ordinary items. Groups are joined into studies strongest link first, and
only when every pair of groups across the two studies is itself linked by a rule (so a study
never chains unrelated groups through a middle one). Pairs of groups that blocking did not
produce are scored on the spot.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz
from rapidfuzz.process import cpdist

from realist_review.dedup.decide import DecideSettings
from realist_review.dedup.normalize import Kind, Prepared
from realist_review.dedup.score import WORKERS, PairScores

BoolArray = npt.NDArray[np.bool_]

#: Study rules: (name, text for the audit trail). Index 0 means no study link.
STUDY_RULES: tuple[tuple[str, str], ...] = (
    ("", ""),
    (
        "early_report",
        "reports of one study: an early report (preprint, conference abstract, supplement) "
        "and another report by the same authors",
    ),
    ("series_parts", "reports of one study: parts of one series by the same authors"),
)
STUDY_RULE_NAMES: tuple[str, ...] = tuple(name for name, _ in STUDY_RULES)
STUDY_RULE_TEXT: dict[str, str] = dict(STUDY_RULES)
#: authors agree: the same first author and at least this author-list similarity (or, in
#: :func:`study_rules`, lists as similar as a fuzzy match needs, with a first author in the other)
FIRST_AUTHOR_SAME = 0.9
AUTHORS_WITH_FIRST = 0.5


@dataclass(frozen=True)
class StudyLinks:
    """Per candidate pair: the study rule that linked it (index into :data:`STUDY_RULES`,
    0 = none) and a strength used to order links (higher first)."""

    rule: npt.NDArray[np.int8]
    strength: npt.NDArray[np.float32]


def _ge(values: npt.NDArray[np.float32], threshold: float) -> BoolArray:
    return np.nan_to_num(values, nan=-1.0) >= threshold


def _ratio(
    left: npt.NDArray[np.object_], right: npt.NDArray[np.object_]
) -> npt.NDArray[np.float32]:
    """Element-wise similarity in [0, 1]; ``nan`` where either side is empty."""
    out = np.full(len(left), np.nan, dtype=np.float32)
    both = (left != "") & (right != "")
    if both.any():
        ratio = cpdist(list(left[both]), list(right[both]), scorer=fuzz.ratio, workers=WORKERS)
        out[both] = np.asarray(ratio, dtype=np.float32) / 100.0
    return out


def _prefix_of(short: npt.NDArray[np.object_], long: npt.NDArray[np.object_]) -> BoolArray:
    """One title starts with the whole of the other (at a word boundary, 3 words or more)."""
    out = np.zeros(len(short), dtype=bool)
    for k, (x, y) in enumerate(zip(short.tolist(), long.tolist(), strict=True)):
        if len(x) > len(y):
            x, y = y, x
        out[k] = bool(x) and len(x.split()) >= 3 and y.startswith(x + " ")
    return out


def study_rules(prep: Prepared, scores: PairScores, cfg: DecideSettings) -> StudyLinks:
    """Which study rule, if any, links each scored pair (vectorised; see the module docstring)."""
    a, b = scores.a, scores.b
    m = len(a)
    ordinary = (prep.kind[a] == Kind.ARTICLE) & (prep.kind[b] == Kind.ARTICLE)
    authors_known = ~np.isnan(scores.authors)
    authors_same = authors_known & (
        (_ge(scores.first_author, FIRST_AUTHOR_SAME) & _ge(scores.authors, AUTHORS_WITH_FIRST))
        | (_ge(scores.authors, cfg.authors) & _ge(scores.first_author_in_other, 1.0))
    )
    gap = scores.year_diff
    years_ok = (gap >= 0) & (gap <= cfg.study_max_year_gap)
    no_journal = prep.journal == ""
    early_side = prep.early[a] | prep.early[b] | (no_journal[a] != no_journal[b])
    # only pairs that can still be linked need their main titles compared
    candidates = ordinary & authors_same & years_ok & (early_side | scores.part_conflict)
    main = np.full(m, np.nan, dtype=np.float32)
    prefix = np.zeros(m, dtype=bool)
    idx = np.nonzero(candidates)[0]
    if len(idx):
        main[idx] = _ratio(prep.main_title[a[idx]], prep.main_title[b[idx]])
        prefix[idx] = _prefix_of(prep.title[a[idx]], prep.title[b[idx]])
    # the plain title ratio: a short title matching the end of a longer one (a disease name
    # ending a review's title) is no sign of one study; a short title starting the other is
    # the prefix relation
    title = scores.title
    main_ok = _ge(main, cfg.study_title)
    related = _ge(title, cfg.study_title) | main_ok | prefix
    early = candidates & early_side & related
    series = candidates & scores.part_conflict & main_ok
    rule = np.zeros(m, dtype=np.int8)
    rule[series] = STUDY_RULE_NAMES.index("series_parts")
    rule[early & ~series] = STUDY_RULE_NAMES.index("early_report")
    strength = np.fmax(np.nan_to_num(title, nan=0.0), np.nan_to_num(main, nan=0.0))
    strength = strength + np.nan_to_num(scores.authors, nan=0.0) * 0.5
    return StudyLinks(rule=rule, strength=strength.astype(np.float32))


#: rule per pair for pairs blocking did not produce: (a, b) -> rule array
StudyJudge = Callable[[npt.NDArray[np.int64], npt.NDArray[np.int64]], npt.NDArray[np.int8]]


@dataclass(frozen=True)
class StudyRefusal:
    """A study link not followed because it would chain unrelated groups."""

    a: int
    b: int
    reason: str


def link_studies(
    labels: npt.NDArray[np.int64],
    pairs_a: npt.NDArray[np.int64],
    pairs_b: npt.NDArray[np.int64],
    links: StudyLinks,
    judge: StudyJudge,
    ids: npt.NDArray[np.object_],
) -> tuple[npt.NDArray[np.int64], tuple[StudyRefusal, ...]]:
    """Study label per group label (groups ``0..k-1``), and the refused study links.

    Groups are joined strongest link first, only when every pair of groups across the two
    studies is linked by a study rule (directly by a member pair, or judged on the spot).
    """
    k = int(labels.max()) + 1 if len(labels) else 0
    members: dict[int, list[int]] = {}
    for i, g in enumerate(labels.tolist()):
        members.setdefault(g, []).append(i)
    ga, gb = labels[pairs_a], labels[pairs_b]
    hit = np.nonzero((links.rule > 0) & (ga != gb))[0]
    hit = hit[np.argsort(-links.strength[hit], kind="stable")]
    linked: set[tuple[int, int]] = set()
    for j in hit.tolist():
        x, y = int(ga[j]), int(gb[j])
        linked.add((min(x, y), max(x, y)))
    judged: dict[tuple[int, int], bool] = {}

    def groups_linked(x: int, y: int) -> bool:
        key = (min(x, y), max(x, y))
        if key in linked:
            return True
        if key not in judged:
            left, right = members[key[0]], members[key[1]]
            xs = np.repeat(np.array(left, dtype=np.int64), len(right))
            ys = np.tile(np.array(right, dtype=np.int64), len(left))
            judged[key] = bool((judge(np.minimum(xs, ys), np.maximum(xs, ys)) > 0).any())
        return judged[key]

    parent = list(range(k))
    studies: dict[int, list[int]] = {g: [g] for g in range(k)}

    def find(g: int) -> int:
        while parent[g] != g:
            parent[g] = parent[parent[g]]
            g = parent[g]
        return g

    refused: list[StudyRefusal] = []
    for j in hit.tolist():
        ra, rb = find(int(ga[j])), find(int(gb[j]))
        if ra == rb:
            continue
        clash = next(
            ((x, y) for x in studies[ra] for y in studies[rb] if not groups_linked(x, y)), None
        )
        if clash is not None:
            x, y = ids[members[clash[0]][0]], ids[members[clash[1]][0]]
            refused.append(
                StudyRefusal(
                    int(pairs_a[j]),
                    int(pairs_b[j]),
                    f"would chain unrelated studies: {x} / {y} are not reports of one study",
                )
            )
            continue
        if len(studies[ra]) < len(studies[rb]):
            ra, rb = rb, ra
        parent[rb] = ra
        studies[ra] += studies.pop(rb)
    study = np.fromiter((find(g) for g in range(k)), dtype=np.int64, count=k)
    return study, tuple(refused)
