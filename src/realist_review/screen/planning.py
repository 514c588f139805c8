"""Planning a round: which records next (:func:`plan_next_round`: the model's ranking, a
random start, or the stopping rule's random sample) and who screens them
(:func:`assign_reviewers`).

Every choice that involves chance uses :class:`random.Random` seeded with a string built from
``screening.seed``, the round and the purpose, so reruns give the same sheets.
"""

from __future__ import annotations

import itertools
import logging
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from realist_review.errors import InputError
from realist_review.screen.inputs import ScreenRecord
from realist_review.screen.progress import StoppingEstimate
from realist_review.screen.settings import (
    RoundKind,
    ScreeningSettings,
    Status,
)
from realist_review.screen.sheets import (
    PlanRow,
)
from realist_review.screen.status import ScreeningState

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------------
# Planning a round
# --------------------------------------------------------------------------------------------
class Ranker(Protocol):
    """The ranking model (``realist_review.screen.model.rank_unlabelled``, see :func:`load_ranker`).

    ``documents[i]`` is a record's ``(title, abstract)``; ``labels[i]`` is 1 (include),
    0 (exclude) or None (unlabelled). Returns the indices of the unlabelled documents, most
    likely include first (the first ``batch_size`` with the preset's share of uncertain ones).
    """

    def __call__(
        self,
        documents: Sequence[tuple[str, str]],
        labels: Sequence[int | None],
        *,
        preset: str,
        seed: int,
        uncertainty_share: float,
        batch_size: int,
    ) -> Sequence[int]: ...


def rank_with_model(
    documents: Sequence[tuple[str, str]],
    labels: Sequence[int | None],
    *,
    preset: str,
    seed: int,
    uncertainty_share: float,
    batch_size: int,
) -> list[int]:
    """:class:`Ranker` backed by the product's model (:mod:`realist_review.screen.model`)."""
    from realist_review.screen import model

    known = {i: int(label) for i, label in enumerate(labels) if label is not None}
    ranking = model.rank_unlabelled(
        documents,
        known,
        preset=preset,
        seed=seed,
        uncertainty_share=uncertainty_share,
        batch_size=batch_size,
    )
    return list(ranking.order)


def load_ranker() -> Ranker:
    """The product's ranking model."""
    return rank_with_model


def seeded_rng(seed: int, round_: int, purpose: str) -> random.Random:
    return random.Random(f"{seed}:{round_}:{purpose}")


def assign_reviewers(
    record_ids: Sequence[str],
    *,
    team: Sequence[str],
    per_record: int,
    round_: int,
    kind: RoundKind,
    seed: int,
) -> list[PlanRow]:
    """Give each record (in rank order) to ``per_record`` reviewers, balanced over the team.

    Greedy over the reviewer combinations (shuffled with the seed): each record goes to the
    combination whose busiest member has the least work so far, then the least-used pair.
    Every reviewer's load is within ``per_record`` of every other's.
    """
    people = sorted(team)
    if per_record > len(people):
        raise InputError(
            f"screening.reviewers_per_record is {per_record} but the team has {len(people)}"
        )
    combos = list(itertools.combinations(people, per_record))
    seeded_rng(seed, round_, "assign").shuffle(combos)
    load: Counter[str] = Counter()
    used: Counter[tuple[str, ...]] = Counter()
    plan: list[PlanRow] = []
    for rank, record_id in enumerate(record_ids, start=1):
        best = min(
            range(len(combos)),
            key=lambda i: (
                max(load[p] for p in combos[i]),
                sum(load[p] for p in combos[i]),
                used[combos[i]],
                i,
            ),
        )
        chosen = combos[best]
        used[chosen] += 1
        for person in chosen:
            load[person] += 1
            plan.append(PlanRow(round_, record_id, person, kind, rank))
    return plan


@dataclass(frozen=True)
class RoundChoice:
    """The records of the next round, in rank order, and how they were chosen."""

    kind: RoundKind
    record_ids: tuple[str, ...]
    model: str = ""
    why: str = ""


def plan_next_round(
    state: ScreeningState,
    records: Sequence[ScreenRecord],
    *,
    round_: int,
    settings: ScreeningSettings,
    ranker: Ranker | None = None,
    random_sample_size: int | None = None,
    rule: StoppingEstimate | None = None,
) -> RoundChoice:
    """Choose the next round's records among the eligible ones never handed out.

    - the stopping rule's random sample (kind ``random_sample``), never in round 1, when
      the rule calls for it (``rule.action`` is ``screen_random``: after ranked screening
      showed the target reached, or while the sample drawn is still too small), or when the
      team asks: ``random_sample_size`` here (``screen export --random-sample N``) or
      ``screening.start_random_sample`` before any random sample was drawn. Its size is
      ``random_sample_size``, else ``screening.random_sample_size``, else what the rule asks
      for (``rule.random_records_needed``), else ``batch_size``; all remaining records when
      fewer. ``screening.random_sample_size`` alone is a size, never a switch;
    - no include *and* exclude decided yet: a seeded random batch, kind ``random_start``;
    - else the model's ranking (``ranker``; default :func:`load_ranker`), kind ``ranked``.
    """
    by_id = state.by_id()
    candidates = [rid for rid in state.eligible if by_id[rid].status is Status.UNSCREENED]
    candidates = [rid for rid in candidates if by_id[rid].round is None]
    if not candidates:
        return RoundChoice(RoundKind.RANKED, ())
    drawn = any(
        row.kind is RoundKind.RANDOM_SAMPLE for plan in state.plans.values() for row in plan
    )
    asked = random_sample_size is not None or (settings.start_random_sample and not drawn)
    called = rule is not None and rule.action == "screen_random"
    if state.plans and (asked or called):
        size = (
            random_sample_size
            or settings.random_sample_size
            or (rule.random_records_needed if rule is not None else None)
            or settings.batch_size
        )
        chosen = seeded_rng(settings.seed, round_, "random-sample").sample(
            candidates, min(size, len(candidates))
        )
        why = "asked for by the team" if asked else "called for by the stopping rule"
        return RoundChoice(RoundKind.RANDOM_SAMPLE, tuple(chosen), why=why)
    labels: list[int | None] = []
    for rid in state.eligible:
        status = by_id[rid].status
        if status in (Status.INCLUDED, Status.MAYBE):
            labels.append(1)
        elif status is Status.EXCLUDED:
            labels.append(0)
        else:
            labels.append(None)
    batch = min(settings.batch_size, len(candidates))
    if not ({0, 1} <= set(labels)):
        chosen = seeded_rng(settings.seed, round_, "random-start").sample(candidates, batch)
        return RoundChoice(RoundKind.RANDOM_START, tuple(chosen))
    rank_fn = ranker if ranker is not None else load_ranker()
    document_of = {r.record_id: (r.title, r.abstract) for r in records}
    documents = [document_of[rid] for rid in state.eligible]
    order = list(
        rank_fn(
            documents,
            labels,
            preset=settings.preset,
            seed=settings.seed,
            uncertainty_share=settings.uncertainty_share,
            batch_size=batch,
        )
    )
    unlabelled = {i for i, label in enumerate(labels) if label is None}
    if len(set(order)) != len(order) or not set(order) <= unlabelled:
        raise RuntimeError(
            "the ranking model returned indices that are repeated or not unlabelled records"
        )
    candidate_set = set(candidates)
    ranked = [state.eligible[i] for i in order if state.eligible[i] in candidate_set]
    if len(ranked) != len(candidates):
        raise RuntimeError(
            f"the ranking model ranked {len(ranked)} of the {len(candidates)} records "
            "not yet screened; it must rank every unlabelled record"
        )
    return RoundChoice(RoundKind.RANKED, tuple(ranked[:batch]), model=ranker_name(rank_fn))


def ranker_name(rank_fn: Ranker) -> str:
    """``module.function`` of a ranker, as recorded with a ranked round's sheets."""
    name = getattr(rank_fn, "__module__", "") + "." + getattr(rank_fn, "__name__", "ranker")
    return name.strip(".")
