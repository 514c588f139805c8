"""When to stop screening: the statistical stopping rule of Callaghan & Müller-Hansen (2020).

Callaghan M.W., Müller-Hansen F. (2020). Statistical stopping criteria for automated
screening in systematic reviews. *Systematic Reviews* 9:273. doi:10.1186/s13643-020-01521-4
(method also in the authors' packages *buscar* / *buscarR*).

The null hypothesis H0 is "recall is below the target τ" (e.g. 95%). Say ``N`` records in
all; the team screened ``n_seen`` and found ``r_seen`` includes. H0 holds exactly when the
review holds at least ``floor(r_seen / τ) + 1`` includes, that is when at least
``m = floor(r_seen / τ) + 1 - r_seen`` includes are still unscreened.

**Random-sample test (the stopping decision).** After ranked screening found ``r_al``
includes, the ``U`` unscreened records form an urn; the team screens a simple random sample
of ``n`` of them and finds ``k`` includes. Under H0 the urn held at least
``K = k + m = floor(r_seen / τ) + 1 - r_al`` includes, and the chance of seeing ``k`` or
fewer in the sample is the hypergeometric ``P(X <= k)`` with ``X ~ Hypergeom(U, K, n)``
(largest at the smallest ``K`` compatible with H0). That is the p-value; the team may stop
when ``p < 1 - confidence``. The test rests on nothing but the random draw.

**Ranked quasi-sampling (the estimate during ranked screening).** Before any random sample
exists, the last ``j`` ranked records are treated *as if* they were a random sample from
themselves plus everything unscreened, for every ``j``, and the smallest p-value is kept
(buscar's ``calculate_h0``). This is conservative only if the ranking finds includes at
least as fast as random screening would, which active learning does; it is used to report
the estimate after every ranked round and to decide when to switch to random sampling.

**Workflow.** (1) screen ranked batches; after each, :func:`assess` reports the p-value,
the recall lower bound (at the confidence level) and, when the quasi-sampling test rejects
H0, says to switch; (2) draw the random sample planned by :func:`assess`
(``random_records_needed``: how many more random records, if none of them is an include,
would reject H0), screen it in sheets, :func:`assess` after each; (3) stop when the
random-sample test rejects H0. The unscreened records are then "excluded by automation".
:func:`draw_random_sample` draws a round's random records (seeded), :func:`estimates_by_round`
gives the estimate after every round and :func:`plot_progress` draws cumulative includes
against records screened with the recall lower bound.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum
from fractions import Fraction
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.stats import hypergeom

from realist_review.errors import InputError

#: ``buscar_steps``: the ranked quasi-sampling test looks only at the last 25, 50, 75...
#: records (chosen on the 27 development set/label rows: see benchmarks/screening.py).
TAIL_STEP = 25


class Phase(StrEnum):
    """Where the team is in the screening workflow."""

    RANKED = "ranked"
    RANDOM = "random"


class Action(StrEnum):
    """What the team should do next."""

    SCREEN_RANKED = "screen_ranked"
    SCREEN_RANDOM = "screen_random"
    STOP = "stop"


def check_settings(recall_target: float, confidence: float) -> None:
    """Raise :class:`InputError` unless ``0 < recall_target <= 1`` and ``0 < confidence < 1``."""
    if not 0.0 < recall_target <= 1.0:
        raise InputError(f"recall target must be in (0, 1], got {recall_target}")
    if not 0.0 < confidence < 1.0:
        raise InputError(f"confidence must be in (0, 1), got {confidence}")


def significance(confidence: float) -> float:
    """``1 - confidence``, rounded so that 0.95 gives 0.05 and not 0.05000000000000004."""
    return round(1.0 - confidence, 12)


def min_missed_under_h0(includes_seen: int, recall_target: float) -> int:
    """Smallest number of still-unscreened includes for which recall < ``recall_target``.

    ``floor(r_seen / τ) + 1 - r_seen``; always at least 1. τ is taken as the decimal it
    prints as (0.95 is 19/20 exactly), so float rounding never moves the floor.
    """
    check_settings(recall_target, 0.5)
    ratio = Fraction(includes_seen) / Fraction(repr(float(recall_target)))
    return math.floor(ratio) + 1 - includes_seen


def random_sample_pvalue(
    *,
    urn_size: int,
    includes_before: int,
    sample_size: int,
    sample_includes: int,
    recall_target: float,
) -> float:
    """p-value for H0 "recall < target" from a simple random sample of the urn (the paper's test).

    ``urn_size``: records unscreened when random sampling began; ``includes_before``:
    includes found before it (``r_al``); the sample of ``sample_size`` records held
    ``sample_includes`` includes.
    """
    _check_counts(urn_size, sample_size, sample_includes)
    seen = includes_before + sample_includes
    missed = min_missed_under_h0(seen, recall_target)
    return _pvalues_for_missed(
        np.array([sample_includes]), np.array([urn_size]), np.array([sample_size]), missed
    )


def _check_counts(urn_size: int, sample_size: int, sample_includes: int) -> None:
    if not 0 <= sample_includes <= sample_size <= urn_size:
        raise InputError(
            f"impossible counts: {sample_includes} includes in a sample of {sample_size} "
            f"from {urn_size} records"
        )


def _pvalues_for_missed(
    k: NDArray[np.int_], urn: NDArray[np.int_], draws: NDArray[np.int_], missed: int
) -> float:
    """min over urns of P(X <= k), X ~ Hypergeom(urn, k + missed, draws).

    An urn that cannot hold ``k + missed`` includes besides its screened excludes makes H0
    impossible there (p = 0).
    """
    successes = k + missed
    possible = successes <= urn - (draws - k)
    if not possible.any():
        return 0.0
    p = hypergeom.cdf(k[possible], urn[possible], successes[possible], draws[possible])
    return float(np.min(p))


def quasi_sampling_pvalue(
    labels: ArrayLike, n_total: int, recall_target: float, *, tail_step: int | None = None
) -> float:
    """p-value for H0 by ranked quasi-sampling (buscar's ``calculate_h0``), without the rest
    of :func:`assess`: the cheap check to run after every ranked round. ``tail_step``: test
    only tails of whole steps of that many records (see :func:`_tails`)."""
    arr = np.asarray(labels, dtype=np.int64)
    if arr.size == 0:
        return 1.0
    missed = min_missed_under_h0(int(arr.sum()), recall_target)
    if missed > n_total - arr.size:
        return 0.0
    k, urn, draws = _tails(arr, n_total, tail_step)
    if len(draws) == 0:
        return 1.0
    return _pvalues_for_missed(k, urn, draws, missed)


def _tails(
    labels: NDArray[np.int_], n_total: int, tail_step: int | None = None
) -> tuple[NDArray[np.int_], NDArray[np.int_], NDArray[np.int_]]:
    """Quasi-sampling urns: for tails of j of the last screened records, the includes in
    them, the urn size (those j plus all unscreened) and j.

    Only the longest tail of each run of excludes is kept (j = n_seen, or the record just
    before the tail is an include): lengthening a tail by an exclude lowers its p-value, so
    the minimum over all tails is among these (checked against every tail in the tests).
    """
    n_seen = len(labels)
    if n_seen == 0:  # nothing screened yet: no tail to test
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    backwards = labels[::-1]
    if tail_step is not None:
        # only tails of whole steps: the minimum runs over far fewer tails, which keeps the
        # many looks at the same records from making the test anti-conservative
        step_draws = np.arange(tail_step, n_seen + 1, tail_step)
        step_k = np.cumsum(backwards)[step_draws - 1]
        return step_k, n_total - n_seen + step_draws, step_draws
    draws = np.arange(1, n_seen + 1)
    k = np.cumsum(backwards)
    before_is_include = np.append(backwards[1:] == 1, True)
    keep = before_is_include
    urn = n_total - n_seen + draws
    return k[keep], urn[keep], draws[keep]


@dataclass(frozen=True)
class StoppingEstimate:
    """The stopping rule's verdict after a round (all counts in records).

    ``p_value``: for H0 "recall < recall_target" (quasi-sampling in the ranked phase, the
    random-sample test in the random phase). ``recall_lower_bound``: with ``confidence``,
    recall is at least this; ``missed_upper``: with ``confidence``, at most this many
    includes are still unscreened. ``recall_estimate``: point estimate from the random sample
    (empty before it exists). ``random_records_needed``: random records still to screen to
    reject H0 if none of them is an include (when H0 is already rejected in the ranked
    phase: the size of the random sample to draw).
    """

    phase: Phase
    action: Action
    records_total: int
    records_screened: int
    includes_found: int
    random_sample_size: int
    random_sample_includes: int
    recall_target: float
    confidence: float
    p_value: float
    target_reached: bool
    recall_lower_bound: float
    missed_upper: int
    recall_estimate: float | None
    random_records_needed: int

    def as_row(self) -> dict[str, str]:
        """The estimate as strings for a CSV row (floats to 6 significant digits)."""
        row: dict[str, str] = {}
        for key, value in asdict(self).items():
            if value is None:
                row[key] = ""
            elif isinstance(value, bool):
                row[key] = "true" if value else "false"
            elif isinstance(value, float):
                row[key] = f"{value:.6g}"
            else:
                row[key] = str(value)
        return row


def _smallest_rejected(pvalue: Callable[[int], float], alpha: float, low: int, high: int) -> int:
    """Smallest m in [low, high] with pvalue(m) < alpha (pvalue decreasing in m); high if none."""
    while low < high:
        mid = (low + high) // 2
        if pvalue(mid) < alpha:
            high = mid
        else:
            low = mid + 1
    return low


def assess(
    labels: ArrayLike,
    n_total: int,
    *,
    random_start: int | None = None,
    recall_target: float = 0.95,
    confidence: float = 0.95,
    rule: str = "buscar",
) -> StoppingEstimate:
    """Assess the stopping rule after a round.

    ``labels``: every screened record's label (1 include, 0 exclude) in the order screened;
    ``n_total``: records in the review (screened or not); ``random_start``: position in
    ``labels`` where the random sample began (``None`` while still screening by rank). The
    random sample must be a simple random sample of the records unscreened at
    ``random_start``.

    ``rule``: ``buscar`` (two phases: when the ranked quasi-sampling test rejects H0, the
    action is to screen a random sample, and only the random-sample test stops) or
    ``buscar_ranked`` (the ranked test alone stops: the action is ``stop`` as soon as it
    rejects H0) or ``buscar_steps`` (the same with tails of whole steps of
    :data:`TAIL_STEP` records only); see :mod:`.stopping_rules` for what each promises.
    """
    check_settings(recall_target, confidence)
    if rule not in ("buscar", "buscar_ranked", "buscar_steps"):
        raise InputError(
            f"stopping rule {rule!r}: assess knows buscar, buscar_ranked and buscar_steps"
        )
    arr = np.asarray(labels, dtype=np.int64)
    if arr.size and not np.isin(arr, (0, 1)).all():
        raise InputError("stopping rule: labels must be 0 (exclude) or 1 (include)")
    n_seen = int(arr.size)
    if n_seen > n_total:
        raise InputError(f"stopping rule: {n_seen} records screened but only {n_total} in all")
    if random_start is not None and not 0 <= random_start <= n_seen:
        raise InputError(f"stopping rule: random sample start {random_start} outside 0..{n_seen}")
    alpha = significance(confidence)
    found = int(arr.sum())
    unscreened = n_total - n_seen
    phase = Phase.RANKED if random_start is None else Phase.RANDOM
    start = n_seen if random_start is None else random_start
    includes_before = int(arr[:start].sum())
    sample = arr[start:]
    urn_size = n_total - start

    if phase is Phase.RANDOM:
        k_arr = np.array([int(sample.sum())])
        urn_arr = np.array([urn_size])
        draws_arr = np.array([len(sample)])
    else:
        k_arr, urn_arr, draws_arr = _tails(
            arr, n_total, TAIL_STEP if rule == "buscar_steps" else None
        )

    def p_for(missed: int) -> float:
        if missed > unscreened:
            return 0.0
        if len(draws_arr) == 0 or draws_arr.max() == 0:
            return 1.0
        return _pvalues_for_missed(k_arr, urn_arr, draws_arr, missed)

    missed_h0 = min_missed_under_h0(found, recall_target)
    p_value = p_for(missed_h0)
    target_reached = p_value < alpha
    m_star = _smallest_rejected(p_for, alpha, 1, unscreened + 1)
    missed_upper = m_star - 1
    lower = 1.0 if found + missed_upper == 0 else found / (found + missed_upper)

    estimate: float | None = None
    if phase is Phase.RANDOM and len(sample):
        remaining = float(sample.sum()) / len(sample) * (urn_size - len(sample))
        estimate = found / (found + remaining) if found + remaining > 0 else 1.0

    needed = plan_random_sample(
        includes_before=includes_before if phase is Phase.RANDOM else found,
        urn_size=urn_size if phase is Phase.RANDOM else unscreened,
        sample_size=len(sample) if phase is Phase.RANDOM else 0,
        sample_includes=int(sample.sum()) if phase is Phase.RANDOM else 0,
        recall_target=recall_target,
        confidence=confidence,
    )
    if unscreened == 0 or (target_reached and (phase is Phase.RANDOM or rule != "buscar")):
        action = Action.STOP
        needed = 0
    elif phase is Phase.RANDOM or target_reached:
        action = Action.SCREEN_RANDOM
    else:
        action = Action.SCREEN_RANKED
    return StoppingEstimate(
        phase=phase,
        action=action,
        records_total=n_total,
        records_screened=n_seen,
        includes_found=found,
        random_sample_size=len(sample) if phase is Phase.RANDOM else 0,
        random_sample_includes=int(sample.sum()) if phase is Phase.RANDOM else 0,
        recall_target=recall_target,
        confidence=confidence,
        p_value=p_value,
        target_reached=target_reached,
        recall_lower_bound=lower,
        missed_upper=missed_upper,
        recall_estimate=estimate,
        random_records_needed=needed,
    )


def plan_random_sample(
    *,
    includes_before: int,
    urn_size: int,
    sample_size: int = 0,
    sample_includes: int = 0,
    recall_target: float = 0.95,
    confidence: float = 0.95,
) -> int:
    """How many more random records to screen so that, if none is an include, H0 is rejected.

    The urn is the ``urn_size`` records unscreened when random sampling began (or begins
    now, with ``sample_size = 0``). When even screening every remaining record of the urn
    would not reject H0 by the test, the answer is all of them (screening everything gives
    recall 1 with certainty). 0 when H0 is already rejected.
    """
    check_settings(recall_target, confidence)
    _check_counts(urn_size, sample_size, sample_includes)
    alpha = significance(confidence)
    remaining = urn_size - sample_size
    seen = includes_before + sample_includes
    successes = sample_includes + min_missed_under_h0(seen, recall_target)

    def p_after(extra: int) -> float:
        draws = sample_size + extra
        if successes > urn_size - (draws - sample_includes):
            return 0.0
        if draws == 0:
            return 1.0
        return float(hypergeom.cdf(sample_includes, urn_size, successes, draws))

    if p_after(0) < alpha:
        return 0
    return _smallest_rejected(p_after, alpha, 1, remaining)


def draw_random_sample(
    unscreened: Sequence[str], size: int, *, seed: int, round_number: int
) -> list[str]:
    """A simple random sample of ``size`` record ids from ``unscreened`` for a random round.

    The ids are sorted first, so the draw depends only on the set of ids, the seed and the
    round number (record all three next to the sheets).
    """
    if size < 0:
        raise InputError(f"random sample size must be at least 0, got {size}")
    pool = sorted(set(unscreened))
    rng = np.random.default_rng([int(seed), int(round_number)])
    chosen = rng.choice(len(pool), size=min(size, len(pool)), replace=False)
    return [pool[i] for i in chosen]


def estimates_by_round(
    labels: ArrayLike,
    round_ends: Sequence[int],
    n_total: int,
    *,
    random_start: int | None = None,
    recall_target: float = 0.95,
    confidence: float = 0.95,
) -> list[StoppingEstimate]:
    """:func:`assess` after each round: ``round_ends`` are the numbers of records screened at
    the end of each round (increasing); rounds ending before ``random_start`` are ranked."""
    arr = np.asarray(labels, dtype=np.int64)
    out: list[StoppingEstimate] = []
    previous = -1
    for end in round_ends:
        if end <= previous or end > len(arr):
            raise InputError(f"round ends must increase within 1..{len(arr)}, got {end}")
        previous = end
        start = random_start if random_start is not None and random_start < end else None
        out.append(
            assess(
                arr[:end],
                n_total,
                random_start=start,
                recall_target=recall_target,
                confidence=confidence,
            )
        )
    return out


def plot_progress(
    path: Path,
    labels: ArrayLike,
    estimates: Sequence[StoppingEstimate],
    *,
    title: str = "Screening progress",
) -> Path:
    """PNG/SVG/PDF (by suffix) of cumulative includes against records screened, with the
    recall lower bound after each round and where random sampling began."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    arr = np.asarray(labels, dtype=np.int64)
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 6), sharex=True, height_ratios=(3, 2))
    try:
        top.step(np.arange(1, len(arr) + 1), np.cumsum(arr), where="post", color="#1f77b4")
        top.set_ylabel("includes found")
        top.set_title(title)
        starts = {
            e.records_screened - e.random_sample_size for e in estimates if e.phase == "random"
        }
        for start in starts:
            for axis in (top, bottom):
                axis.axvline(start, color="grey", linestyle="--", linewidth=1)
            top.annotate(
                "random sample from here",
                (start, 0),
                xytext=(-4, 4),
                textcoords="offset points",
                ha="right",
            )
        if estimates:
            xs = [e.records_screened for e in estimates]
            bottom.plot(xs, [e.recall_lower_bound for e in estimates], "o-", color="#d62728")
            target = estimates[-1].recall_target
            bottom.axhline(target, color="black", linewidth=0.8)
            bottom.set_ylabel(f"recall ≥ (at {estimates[-1].confidence:.0%})")
            bottom.set_ylim(0, 1.02)
        bottom.set_xlabel("records screened")
        fig.tight_layout()
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=120, metadata={"Software": None} if path.suffix == ".png" else None)
    finally:
        plt.close(fig)
    return path
