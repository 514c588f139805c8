"""Progress per round and the stopping rule: :func:`progress_rows`, :func:`check_stop`, and
:func:`write_status` (what the ``summarize_screening`` rule calls)."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from realist_review.config import Limits
from realist_review.errors import InputError
from realist_review.screen.agreement import (
    agreement_rows,
)
from realist_review.screen.decisions import (
    LogEntry,
)
from realist_review.screen.inputs import ScreenRecord
from realist_review.screen.settings import (
    STOPPED_EARLY,
    RoundKind,
    ScreeningSettings,
    Status,
    percent,
    recall_bound_text,
    reviewer_list,
)
from realist_review.screen.sheets import (
    PlanRow,
)
from realist_review.screen.status import (
    ScreeningState,
    as_settings,
    limits_from,
    load_screening,
    screening_status,
)
from realist_review.tables import write_table

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------------
# Stopping estimate (the statistics live in realist_review.screen.stopping)
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StoppingEstimate:
    """What the stopping rule says after a round.

    ``estimated_recall`` is the recall the team has reached with the configured confidence (a
    lower bound: "recall is at least X% with 95% confidence"). ``action`` is the rule's advice
    (``screen_ranked``, ``screen_random`` or ``stop``; empty when the estimator gives none)
    and ``random_records_needed`` the size of random sample it asks for.
    """

    estimated_recall: float | None = None
    p_value: float | None = None
    target_reached: bool | None = None
    note: str = ""
    action: str = ""
    random_records_needed: int | None = None

    @property
    def may_stop(self) -> bool:
        """True when the stopping rule says the team may stop."""
        if self.action:
            return self.action == "stop"
        return bool(self.target_reached)


class StoppingEstimator(Protocol):
    """Adapter to the stopping statistics.

    ``labels`` are the final outcomes (1 = include or maybe, 0 = exclude) in the order the
    records were screened (rounds in order, each round in rank order); ``random_from`` is
    the index in ``labels`` where the stopping rule's random sample starts (None when there
    is none); ``n_total`` the number of eligible records.
    """

    def __call__(
        self,
        labels: Sequence[int],
        *,
        n_total: int,
        random_from: int | None,
        target: float,
        confidence: float,
    ) -> StoppingEstimate: ...


def stopping_estimator(
    labels: Sequence[int],
    *,
    n_total: int,
    random_from: int | None,
    target: float,
    confidence: float,
) -> StoppingEstimate:
    """:class:`StoppingEstimator` backed by :mod:`realist_review.screen.stopping` (buscar).

    ``estimated_recall`` is the recall lower bound at ``confidence``; the note states it as
    "recall is at least X% with 95% confidence", gives the p-value of "recall is below the
    target", the random sample's point estimate when there is one, and what to do next
    (naming the config key that does it).
    """
    from realist_review.screen.stopping import Action, assess

    result = assess(
        labels, n_total, random_start=random_from, recall_target=target, confidence=confidence
    )
    needed = result.random_records_needed
    advice = {
        Action.SCREEN_RANKED: (
            "keep screening in ranked order (to draw the stopping rule's random sample now "
            f"instead, set screening.start_random_sample: true; {needed} random records "
            "without an include would show the target reached)"
        ),
        Action.SCREEN_RANDOM: (
            f"the stopping rule calls for a random sample of {needed} records: the next export "
            "draws it (screening.random_sample_size sets another size)"
        ),
        Action.STOP: "the recall target is reached: the team may stop (screening.stop: true)",
    }[result.action]
    parts = [
        f"{recall_bound_text(result.recall_lower_bound, confidence)} "
        f"(p = {result.p_value:.3g} for recall below {percent(target)}); at most "
        f"{result.missed_upper} includes missed"
    ]
    if result.recall_estimate is not None:
        parts.append(f"point estimate from the random sample {percent(result.recall_estimate)}")
    parts.append(advice)
    return StoppingEstimate(
        estimated_recall=result.recall_lower_bound,
        p_value=result.p_value,
        target_reached=result.target_reached,
        note="; ".join(parts),
        action=str(result.action),
        random_records_needed=needed,
    )


NO_ESTIMATOR_NOTE = (
    "stopping estimate not computed: no stopping estimator was given "
    "(realist_review.screen.stopping is wired in by the pipeline)"
)


def labels_in_order(state: ScreeningState, up_to: int) -> tuple[list[int], int | None]:
    by_id = state.by_id()
    index_of: dict[str, int] = {}
    labels: list[int] = []
    random_from: int | None = None
    for round_, plan in state.plans.items():
        if round_ > up_to:
            break
        for row in sorted(plan, key=lambda p: p.rank):
            if row.record_id in index_of:
                continue
            status = by_id.get(row.record_id)
            if status is None or status.status not in (
                Status.INCLUDED,
                Status.MAYBE,
                Status.EXCLUDED,
            ):
                continue
            if row.kind is RoundKind.RANDOM_SAMPLE and random_from is None:
                random_from = len(labels)
            index_of[row.record_id] = len(labels)
            labels.append(int(status.status is not Status.EXCLUDED))
    return labels, random_from


def _fraction(value: float | None) -> str:
    return "" if value is None else f"{min(max(value, 0.0), 1.0):.4f}"


def progress_rows(
    records: Sequence[ScreenRecord],
    *,
    plans: Mapping[int, Sequence[PlanRow]],
    entries: Sequence[LogEntry],
    settings: ScreeningSettings,
    limits: Limits,
    estimator: StoppingEstimator | None = None,
) -> list[dict[str, str]]:
    """Rows of ``progress.csv``: cumulative counts at the end of each round, and the estimate.

    "At the end of round r" means with the plans and decisions of rounds 1 to r. With
    ``screening.stop`` the last row says how screening ended (column ``stopped``; see
    :func:`check_stop`), which raises when the team stops before the rule's target without
    ``screening.stop_reason``.
    """
    rows, last = _progress(
        records, plans=plans, entries=entries, settings=settings, limits=limits, estimator=estimator
    )
    stop = check_stop(settings, last, max(plans) if plans else None)
    if rows and stop.stopped:
        rows[-1]["stopped"] = stop.stopped
        rows[-1]["note"] = "; ".join(part for part in (stop.note, rows[-1]["note"]) if part)
    return rows


@dataclass(frozen=True)
class StopCheck:
    """How screening ended: ``stopped`` is ``""`` (it goes on), ``target_reached`` or
    ``before_target``; ``text`` says it in words (progress note, status reason)."""

    stopped: str
    text: str

    @property
    def note(self) -> str:
        """What the progress table's last note starts with (the bound follows there)."""
        if self.stopped == "target_reached":
            return "the team stopped: the stopping rule's target is reached"
        return self.text


def check_stop(
    settings: ScreeningSettings, estimate: StoppingEstimate | None, round_: int | None
) -> StopCheck:
    """Whether ``screening.stop`` is honest: the rule's target reached, or a ``stop_reason``.

    Raises :class:`InputError` when the team stops before the stopping rule's target and
    gives no ``screening.stop_reason``: the unscreened records would otherwise be credited
    to the statistical rule.
    """
    if not settings.stop:
        return StopCheck("", "")
    bound = (
        recall_bound_text(estimate.estimated_recall, settings.stop_confidence)
        if estimate is not None and estimate.estimated_recall is not None
        else "no stopping estimate yet"
    )
    after = f"after round {round_}" if round_ else "before any round"
    if estimate is not None and estimate.may_stop:
        return StopCheck(
            "target_reached",
            f"screening stopped {after}: the stopping rule's target is reached ({bound})",
        )
    target = (
        f"recall at least {percent(settings.stop_target)} with "
        f"{percent(settings.stop_confidence)} confidence"
    )
    if not settings.stop_reason:
        raise InputError(
            f"screening.stop is true, but the stopping rule's target ({target}) is not reached: "
            f"{after}, {bound}. Either set screening.stop: false and screen on (the note in "
            "results/screen/progress.csv says what to do next), or keep stop: true and say why "
            "in screening.stop_reason; PRISMA, the report and the progress table will then say "
            f"that screening was {STOPPED_EARLY}, with the recall bound reached."
        )
    return StopCheck(
        "before_target",
        f"{STOPPED_EARLY} ({target}) {after}, when {bound}: {settings.stop_reason}",
    )


def _progress(
    records: Sequence[ScreenRecord],
    *,
    plans: Mapping[int, Sequence[PlanRow]],
    entries: Sequence[LogEntry],
    settings: ScreeningSettings,
    limits: Limits,
    estimator: StoppingEstimator | None = None,
) -> tuple[list[dict[str, str]], StoppingEstimate | None]:
    """Progress rows without the stop check, and the latest round's estimate."""
    last: StoppingEstimate | None = None
    rows: list[dict[str, str]] = []
    for round_ in sorted(plans):
        upto_plans = {r: p for r, p in plans.items() if r <= round_}
        upto_entries = [e for e in entries if e.round <= round_]
        state = screening_status(
            records,
            plans=upto_plans,
            entries=upto_entries,
            settings=replace(settings, stop=False),
            limits=limits,
        )
        counts = Counter(row.status for row in state.status)
        screened = counts[Status.INCLUDED] + counts[Status.MAYBE] + counts[Status.EXCLUDED]
        includes = counts[Status.INCLUDED] + counts[Status.MAYBE]
        estimate = StoppingEstimate(note=NO_ESTIMATOR_NOTE)
        if estimator is not None:
            labels, random_from = labels_in_order(state, round_)
            estimate = estimator(
                labels,
                n_total=len(state.eligible),
                random_from=random_from,
                target=settings.stop_target,
                confidence=settings.stop_confidence,
            )
        notes = [estimate.note] if estimate.note else []
        if state.waiting.get(round_):
            notes.insert(0, f"round open: waiting for {reviewer_list(list(state.waiting[round_]))}")
        reached = estimate.target_reached
        rows.append(
            {
                "round": str(round_),
                "kind": str(plans[round_][0].kind),
                "assigned": str(len({p.record_id for p in plans[round_]})),
                "screened": str(screened),
                "includes": str(includes),
                "conflicts": str(counts[Status.CONFLICT]),
                "remaining": str(counts[Status.UNSCREENED] - _in_progress(state)),
                "estimated_recall": _fraction(estimate.estimated_recall),
                "p_value": _fraction(estimate.p_value),
                "stop_target": _fraction(settings.stop_target),
                "stop_confidence": _fraction(settings.stop_confidence),
                "target_reached": "" if reached is None else ("yes" if reached else "no"),
                "note": "; ".join(notes),
                "stopped": "",
            }
        )
        last = estimate if estimator is not None else None
    return rows, last


def _in_progress(state: ScreeningState) -> int:
    """Unscreened records that are out with a reviewer (assigned, not yet decided)."""
    return sum(
        1 for row in state.status if row.status is Status.UNSCREENED and row.round is not None
    )


def write_status(
    *,
    records: Path,
    log_path: Path,
    plans_path: Path,
    screening: Mapping[str, Any] | ScreeningSettings,
    limits: Mapping[str, Any] | Limits | None,
    status_path: Path,
    progress_path: Path,
    agreement_path: Path,
    estimator: StoppingEstimator | None = stopping_estimator,
) -> ScreeningState:
    """Write ``status.csv``, ``progress.csv`` and ``agreement.csv`` from the decision log.

    ``screening`` and ``limits`` are the config's sections; ``estimator`` adapts the stopping
    statistics (without it the estimate columns stay empty with a note saying so).
    """
    settings = as_settings(screening)
    limit = limits_from(limits)
    inputs = load_screening(records=records, log_path=log_path, plans_path=plans_path)
    plans = inputs.plans
    progress, last = _progress(
        inputs.records,
        plans=plans,
        entries=inputs.entries,
        settings=settings,
        limits=limit,
        estimator=estimator,
    )
    stop = check_stop(settings, last, max(plans) if plans else None)
    if progress and stop.stopped:
        progress[-1]["stopped"] = stop.stopped
        progress[-1]["note"] = "; ".join(p for p in (stop.note, progress[-1]["note"]) if p)
    state = inputs.state(settings, limit, stop_text=stop.text)
    write_table(status_path, [row.as_row() for row in state.status], "screen_status")
    write_table(progress_path, progress, "screen_progress")
    write_table(agreement_path, agreement_rows(state.plans, state.current), "agreement")
    counts = Counter(str(row.status) for row in state.status)
    log.info("screening status: %s", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return state
