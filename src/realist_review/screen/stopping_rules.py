"""Stopping rules side by side: where each would stop a ranked screening, and what it promises.

:mod:`.stopping` holds the statistics of Callaghan & Müller-Hansen (2020) used by the
screening rounds. This module names every rule that was measured (``benchmarks/
screening.py``), so that a simulation can report each on the same ranked order:

Statistically grounded rules (each states "recall >= target with the given confidence"):

- ``buscar``: Callaghan & Müller-Hansen (2020), two phases: ranked screening until the
  ranked quasi-sampling test rejects "recall < target", then a simple random sample of the
  records left until the random-sample test rejects it (:mod:`.stopping`). The promise rests
  on the random sample alone.
- ``buscar_ranked``: the same hypothesis test on ranked screening alone (buscar's
  ``calculate_h0``): the last ``j`` ranked records are taken as if they were a random sample
  of themselves and everything unscreened, for every ``j``. Its promise holds when the
  ranking finds includes at least as fast as random screening would, which is what active
  learning does; Callaghan & Müller-Hansen's own evaluation stops this way.
- ``buscar_steps`` (the default): the same test on tails of whole steps of 25 records
  only (the last 25, 50, 75... records). Every look at the tails is a test; taking the
  minimum over every tail, sheet after sheet, made ``buscar_ranked`` miss the target on a
  review where ranking barely beat random screening, and whole steps keep that in check.
- ``target``: the target method of Cormack & Grossman (2016) with the quantile binomial
  coverage bound of Lewis, Yang & Frieder (2021): a simple random sample drawn first, until
  it holds ``r`` includes, then ranked screening until ``j`` of them are found, ``j`` the
  binomial quantile. At 95% recall and 95% confidence it needs ``r >= 59`` sampled includes
  (0.95**59 < 0.05): on a review with fewer includes it screens everything.
- ``poisson``: the counting-process rule of Sneyd & Stevenson (2021): an inhomogeneous
  Poisson process with a power-law rate ``a * x**-b`` (x = rank) is fitted to the includes
  found so far; stop when recall would still reach the target with the upper
  ``confidence`` quantile of the includes predicted in the unscreened records. Its promise
  rests on the fitted rate.

Heuristics (advice only: they promise nothing):

- ``consecutive_100``: stop after 100 excludes in a row (checked at the end of a sheet).
- ``safe``: the stopping heuristic of the SAFE procedure (Boetje & van de Schoot 2024):
  screen a random 1% first to estimate the number of includes, then rank, and stop once at
  least twice that estimate and 10% of the records have been screened and the last 50 were
  excludes (SAFE's later phases, another model and a quality check, are left to the team).

:func:`evaluate` runs one rule on a simulated order (the labels of every record in the
order the ranking would screen them, the random-sample rules drawing from the positions
not yet screened, seeded); the simulation reports the default rule's outcome as its
``stopping`` result and every rule's outcome beside it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import minimize
from scipy.stats import binom, poisson

from realist_review.errors import InputError
from realist_review.screen import stopping

#: Rules that make a statistical promise ("recall >= target with the given confidence").
STATISTICAL_RULES = ("buscar", "buscar_ranked", "buscar_steps", "target", "poisson")
#: Heuristics, reported as advice only.
HEURISTICS = ("consecutive_100", "safe")
RULES = STATISTICAL_RULES + HEURISTICS
#: The rule ``simulate`` reports as its ``stopping`` result (see benchmarks/screening.py).
DEFAULT_RULE = "buscar_steps"
#: random streams per rule (fixed, so adding a rule never changes another's draws)
_STREAMS = {
    "buscar": 0,
    "buscar_ranked": 1,
    "target": 2,
    "poisson": 3,
    "consecutive_100": 4,
    "safe": 5,
    "buscar_steps": 6,
}

#: One line per rule: what stopping by it means (for progress tables and PRISMA wording).
MEANINGS: dict[str, str] = {
    "buscar": (
        "ranked screening, then a random sample of the records left showed with the stated "
        "confidence that recall reached the target (Callaghan & Müller-Hansen 2020)"
    ),
    "buscar_ranked": (
        "the last records screened by rank, taken as a random sample of themselves and the "
        "records left, showed with the stated confidence that recall reached the target "
        "(Callaghan & Müller-Hansen 2020; valid when the ranking finds includes at least as "
        "fast as random screening)"
    ),
    "buscar_steps": (
        "the last 25, 50, 75... records screened by rank, taken as a random sample of "
        "themselves and the records left, showed with the stated confidence that recall "
        "reached the target (Callaghan & Müller-Hansen's test on whole steps of records; "
        "valid when the ranking finds includes at least as fast as random screening)"
    ),
    "target": (
        "a random sample screened first held includes that ranked screening then found, "
        "enough of them to show recall reached the target with the stated confidence "
        "(target method, quantile binomial bound: Lewis, Yang & Frieder 2021)"
    ),
    "poisson": (
        "a counting-process model of where includes are found predicted, at the stated "
        "confidence, too few includes among the records left to miss the target "
        "(Sneyd & Stevenson 2021)"
    ),
    "consecutive_100": "100 excludes in a row (a heuristic: no statistical promise)",
    "safe": (
        "SAFE's heuristic: at least twice the includes a 1% random sample suggests, 10% of the "
        "records and 50 excludes in a row screened (no statistical promise)"
    ),
}


@dataclass(frozen=True)
class RuleOutcome:
    """Where one rule stopped a simulated screening.

    ``stopped_at``: records screened in all (ranked and random); ``recall``: true recall
    there; ``ranked_until``: records screened by rank (the first ``ranked_until`` of the
    order); ``random_sampled``: records screened in a random sample and not by rank (the
    rest of ``stopped_at``).
    """

    rule: str
    statistical: bool
    stopped_at: int
    ranked_until: int
    random_sampled: int
    includes_found: int
    recall: float
    recall_target: float
    confidence: float
    target_reached: bool
    work_saved: float


def check_rule(rule: str) -> str:
    """``rule`` if it is known; else an :class:`InputError` listing the rules."""
    if rule not in RULES:
        raise InputError(f"unknown stopping rule {rule!r}; choose one of {', '.join(RULES)}.")
    return rule


def checkpoints(
    n: int, check_every: int, round_ends: Sequence[int] | None = None, start: int = 2
) -> list[int]:
    """Sheet ends: ``round_ends`` as given (increasing), then every ``check_every`` records
    after the last of them (after the ``start`` priors when none is given); the last is n."""
    if check_every < 1:
        raise InputError(f"records per sheet must be at least 1, got {check_every}")
    ends = [int(e) for e in round_ends or () if 0 < e < n]
    if any(b <= a for a, b in itertools.pairwise(ends)):
        raise InputError("round ends must increase")
    last = ends[-1] if ends else start
    ends += list(range(last + check_every, n, check_every))
    return [*ends, n]


def _outcome(
    rule: str,
    labels: NDArray[np.int_],
    screened: NDArray[np.bool_],
    ranked_until: int,
    recall_target: float,
    confidence: float,
) -> RuleOutcome:
    n = len(labels)
    total = int(labels.sum())
    found = int(labels[screened].sum())
    count = int(screened.sum())
    recall = found / total if total else 1.0
    return RuleOutcome(
        rule=rule,
        statistical=rule in STATISTICAL_RULES,
        stopped_at=count,
        ranked_until=ranked_until,
        random_sampled=count - ranked_until,
        includes_found=found,
        recall=recall,
        recall_target=recall_target,
        confidence=confidence,
        target_reached=recall >= recall_target - 1e-12,
        work_saved=1.0 - count / n,
    )


def _prefix(n: int, stop: int) -> NDArray[np.bool_]:
    mask = np.zeros(n, dtype=bool)
    mask[: min(stop, n)] = True
    return mask


def _first_stop(ends: Sequence[int], stops_at: Callable[[int], bool]) -> int:
    """First sheet end at which ``stops_at(records screened)`` holds; the last end if none."""
    for end in ends[:-1]:
        if stops_at(end):
            return end
    return ends[-1]


# --------------------------------------------------------------------------------------------
# Ranked-only rules: a decision from the labels screened so far
# --------------------------------------------------------------------------------------------
def buscar_ranked_stops(
    labels: ArrayLike,
    n_total: int,
    *,
    recall_target: float = 0.95,
    confidence: float = 0.95,
    tail_step: int | None = None,
) -> bool:
    """Whether ranked quasi-sampling rejects "recall < target" after ``labels`` (in order);
    with ``tail_step``, on tails of whole steps of that many records only."""
    p = stopping.quasi_sampling_pvalue(labels, n_total, recall_target, tail_step=tail_step)
    return p < stopping.significance(confidence)


def _fit_power_rate(labels: NDArray[np.int_]) -> tuple[float, float]:
    """Maximum-likelihood ``(a, b)`` of a Poisson process with rate ``a * x**-b``, x = 1..n."""
    x = np.arange(1, len(labels) + 1, dtype=np.float64)
    log_x = np.log(x)
    hits = labels.astype(bool)
    found = float(labels.sum())

    def negative_log_likelihood(params: NDArray[np.float64]) -> float:
        log_a, b = float(params[0]), float(params[1])
        rate = np.exp(log_a - b * log_x)
        return float(rate.sum() - (log_a * found - b * log_x[hits].sum()))

    start = np.array([math.log(max(found, 0.5) / len(labels)), 0.5])
    fitted = minimize(
        negative_log_likelihood, start, method="L-BFGS-B", bounds=[(-30.0, 5.0), (0.0, 5.0)]
    )
    return float(math.exp(fitted.x[0])), float(fitted.x[1])


def poisson_stops(
    labels: ArrayLike,
    n_total: int,
    *,
    recall_target: float = 0.95,
    confidence: float = 0.95,
    min_includes: int = 3,
) -> bool:
    """Sneyd & Stevenson's counting-process rule after ``labels`` (ranked, in order)."""
    arr = np.asarray(labels, dtype=np.int64)
    found = int(arr.sum())
    if found < min_includes or len(arr) >= n_total:
        return len(arr) >= n_total
    a, b = _fit_power_rate(arr)
    rest = np.arange(len(arr) + 1, n_total + 1, dtype=np.float64)
    expected_missed = float(np.sum(a * rest**-b))
    missed_upper = float(poisson.ppf(confidence, expected_missed))
    return found >= recall_target * (found + missed_upper) - 1e-12


def consecutive_stops(labels: ArrayLike, run: int = 100) -> bool:
    """Whether the last ``run`` records screened were all excludes."""
    arr = np.asarray(labels, dtype=np.int64)
    return len(arr) >= run and not arr[-run:].any()


# --------------------------------------------------------------------------------------------
# Rules on a simulated order
# --------------------------------------------------------------------------------------------
def target_sample_includes(recall_target: float, confidence: float) -> int:
    """Fewest sampled includes with which the quantile binomial bound can certify the target:
    the smallest r with ``recall_target**r < 1 - confidence``."""
    return math.ceil(math.log(stopping.significance(confidence)) / math.log(recall_target) + 1e-9)


def target_quantile(sample_includes: int, recall_target: float, confidence: float) -> int | None:
    """Lewis, Yang & Frieder's j: how many of ``sample_includes`` sampled includes ranked
    screening must find (the smallest j with P(Binomial(r, target) >= j) <= 1 - confidence);
    ``None`` when no j certifies the target."""
    alpha = stopping.significance(confidence)
    for j in range(1, sample_includes + 1):
        if binom.sf(j - 1, sample_includes, recall_target) <= alpha:
            return j
    return None


def evaluate(
    rule: str,
    labels_in_order: ArrayLike,
    *,
    check_every: int = 50,
    round_ends: Sequence[int] | None = None,
    recall_target: float = 0.95,
    confidence: float = 0.95,
    seed: int = 0,
) -> RuleOutcome:
    """Where ``rule`` stops a simulated screening.

    ``labels_in_order``: the label of every record of the review in the order ranked
    screening would take them (priors first). Decisions are taken at sheet ends
    (:func:`checkpoints`: ``round_ends``, then every ``check_every`` records); random samples
    are drawn, seeded, from the positions not yet screened, in sheets of ``check_every``.
    """
    check_rule(rule)
    stopping.check_settings(recall_target, confidence)
    labels = np.asarray(labels_in_order, dtype=np.int64)
    n = len(labels)
    if n == 0:
        raise InputError("a stopping rule needs at least one record")
    rng = np.random.default_rng([int(seed), 11, _STREAMS[rule]])
    ends = checkpoints(n, check_every, round_ends)

    def done(stop: int) -> RuleOutcome:
        return _outcome(rule, labels, _prefix(n, stop), min(stop, n), recall_target, confidence)

    if rule == "buscar_ranked":
        return done(
            _first_stop(
                ends,
                lambda end: buscar_ranked_stops(
                    labels[:end], n, recall_target=recall_target, confidence=confidence
                ),
            )
        )
    if rule == "buscar_steps":
        return done(
            _first_stop(
                ends,
                lambda end: buscar_ranked_stops(
                    labels[:end],
                    n,
                    recall_target=recall_target,
                    confidence=confidence,
                    tail_step=stopping.TAIL_STEP,
                ),
            )
        )
    if rule == "poisson":
        return done(
            _first_stop(
                ends,
                lambda end: poisson_stops(
                    labels[:end], n, recall_target=recall_target, confidence=confidence
                ),
            )
        )
    if rule == "consecutive_100":
        return done(_first_stop(ends, lambda end: consecutive_stops(labels[:end], 100)))
    if rule == "buscar":
        return _buscar(labels, ends, check_every, recall_target, confidence, rng)
    if rule == "target":
        return _target(labels, ends, check_every, recall_target, confidence, rng)
    return _safe(labels, ends, recall_target, confidence, rng)


def _buscar(
    labels: NDArray[np.int_],
    ends: Sequence[int],
    check_every: int,
    recall_target: float,
    confidence: float,
    rng: np.random.Generator,
) -> RuleOutcome:
    n = len(labels)
    switch = _first_stop(
        ends,
        lambda end: buscar_ranked_stops(
            labels[:end], n, recall_target=recall_target, confidence=confidence
        ),
    )
    screened = _prefix(n, switch)
    if switch >= n:
        return _outcome("buscar", labels, screened, n, recall_target, confidence)
    draw = switch + rng.permutation(n - switch)
    seen = list(labels[:switch])
    sampled = 0
    while sampled < len(draw):
        current = stopping.assess(
            seen, n, random_start=switch, recall_target=recall_target, confidence=confidence
        )
        if current.action is stopping.Action.STOP:
            break
        take = max(1, min(current.random_records_needed, check_every))
        batch = draw[sampled : sampled + take]
        seen.extend(int(v) for v in labels[batch])
        screened[batch] = True
        sampled += len(batch)
    return _outcome("buscar", labels, screened, switch, recall_target, confidence)


def _target(
    labels: NDArray[np.int_],
    ends: Sequence[int],
    check_every: int,
    recall_target: float,
    confidence: float,
    rng: np.random.Generator,
) -> RuleOutcome:
    n = len(labels)
    needed = target_sample_includes(recall_target, confidence)
    draw = rng.permutation(n)
    hits = np.cumsum(labels[draw])
    size = int(np.searchsorted(hits, needed) + 1) if hits[-1] >= needed else n
    size = min(n, math.ceil(size / check_every) * check_every)  # whole sheets
    sample = draw[:size]
    screened = np.zeros(n, dtype=bool)
    screened[sample] = True
    sample_includes = np.sort(sample[labels[sample] == 1])
    j = target_quantile(len(sample_includes), recall_target, confidence)
    if j is None or size >= n:
        screened[:] = True
        return _outcome("target", labels, screened, n, recall_target, confidence)
    # ranked screening until the j-th sampled include is reached, at a sheet end
    reach = int(sample_includes[j - 1]) + 1
    stop = _first_stop(ends, lambda end: end >= reach)
    screened[:stop] = True
    return _outcome("target", labels, screened, stop, recall_target, confidence)


def _safe(
    labels: NDArray[np.int_],
    ends: Sequence[int],
    recall_target: float,
    confidence: float,
    rng: np.random.Generator,
) -> RuleOutcome:
    n = len(labels)
    size = max(1, math.ceil(0.01 * n))
    sample = rng.choice(n, size=size, replace=False)
    estimate = float(labels[sample].sum()) / size * n
    screened = np.zeros(n, dtype=bool)
    screened[sample] = True

    def stops_at(end: int) -> bool:
        count = int((screened | _prefix(n, end)).sum())
        return count >= max(2.0 * estimate, 0.1 * n) and consecutive_stops(labels[:end], 50)

    stop = _first_stop(ends, stops_at)
    screened[:stop] = True
    return _outcome("safe", labels, screened, stop, recall_target, confidence)
