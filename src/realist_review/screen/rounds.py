"""Screening rounds: who screens what next, and where every record stands.

- :func:`ineligibility` applies the config's limits (years, languages, publication types):
  records outside them are ``ineligible_automation`` and never reach a sheet.
- :func:`screening_status` derives each record's status from the round plans and the current
  decisions; :func:`progress_rows` the cumulative counts per round with the stopping estimate.
- :func:`plan_next_round` picks the next batch (the model's ranking, a random start, or the
  stopping rule's random sample) and :func:`assign_reviewers` spreads it over the team.
- :func:`write_status` and :func:`export_screening_sheets` are what the pipeline calls.

Every choice that involves chance uses :class:`random.Random` seeded with a string built from
``screening.seed``, the round and the purpose, so reruns give the same sheets.
"""

from __future__ import annotations

import itertools
import logging
import random
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from realist_review import __version__
from realist_review.config import Limits
from realist_review.errors import InputError
from realist_review.languages import language_key
from realist_review.screen.agreement import (
    Conflict,
    agreement_rows,
    describe_decisions,
    find_conflicts,
    resolutions_by_record,
)
from realist_review.screen.decisions import (
    SUMS_FILE,
    LogEntry,
    current_decisions,
    missing_decisions,
    read_decision_log,
    read_plans,
)
from realist_review.screen.inputs import ScreenRecord, load_records, record_index
from realist_review.screen.settings import (
    STOPPED_EARLY,
    DecidedBy,
    Decision,
    RoundKind,
    ScreeningSettings,
    Status,
    percent,
    recall_bound_text,
    reviewer_list,
    screening_settings,
)
from realist_review.screen.sheets import (
    PlanRow,
    SheetRecord,
    round_folder,
    write_plan,
    write_sheet,
)
from realist_review.tables import write_json, write_table

log = logging.getLogger(__name__)

Key = tuple[str, str, int, RoundKind]


# --------------------------------------------------------------------------------------------
# Limits
# --------------------------------------------------------------------------------------------
def _language_codes(text: str) -> list[str | None]:
    """ISO 639-1 code of each language named in ``text``; None for one we cannot tell."""
    return [language_key(t) for t in re.split(r"[;,/|]", text) if t.strip()]


def ineligibility(record: ScreenRecord, limits: Limits) -> str:
    """Why a record is outside the limits (``""`` when it is inside, or we cannot tell).

    A missing year, language or publication type never excludes: only what the record
    clearly says does.
    """
    if record.year.isdigit():
        year = int(record.year)
        if limits.year_from is not None and year < limits.year_from:
            return f"year {year} is before limits.year_from ({limits.year_from})"
        if limits.year_to is not None and year > limits.year_to:
            return f"year {year} is after limits.year_to ({limits.year_to})"
    if limits.languages and record.language:
        allowed = {language_key(lang) or lang.casefold() for lang in limits.languages}
        codes = _language_codes(record.language)
        if codes and None not in codes and not allowed.intersection(c for c in codes if c):
            return (
                f"language {record.language!r} is not in limits.languages "
                f"({', '.join(limits.languages)})"
            )
    if limits.publication_types and record.publication_type:
        allowed_types = {t.casefold() for t in limits.publication_types}
        if not any(t.casefold() in allowed_types for t in record.publication_type):
            return (
                f"publication type {'; '.join(record.publication_type)!r} is not in "
                f"limits.publication_types ({', '.join(limits.publication_types)})"
            )
    return ""


def limits_from(section: Mapping[str, Any] | Limits | None) -> Limits:
    """:class:`Limits` from the config's ``limits:`` section (or pass one through)."""
    if isinstance(section, Limits):
        return section
    raw = section or {}
    return Limits(
        year_from=raw.get("year_from"),
        year_to=raw.get("year_to"),
        languages=tuple(raw.get("languages", ())),
        publication_types=tuple(raw.get("publication_types", ())),
    )


# --------------------------------------------------------------------------------------------
# Status
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StatusRow:
    """One row of ``status.csv``."""

    record_id: str
    status: Status
    reason: str = ""
    round: int | None = None
    decided_by: DecidedBy = DecidedBy.NONE

    def as_row(self) -> dict[str, str]:
        """As a ``screen_status`` table row."""
        return {
            "record_id": self.record_id,
            "status": str(self.status),
            "reason": self.reason,
            "round": "" if self.round is None else str(self.round),
            "decided_by": str(self.decided_by),
        }


def _outcome(decisions: Sequence[LogEntry]) -> tuple[Status, str]:
    """Status and reason when everyone who decided agrees on the outcome."""
    if all(entry.decision is Decision.EXCLUDE for entry in decisions):
        reasons = sorted({e.reason for e in decisions if e.reason})
        return Status.EXCLUDED, "; ".join(reasons)
    if all(entry.decision is Decision.INCLUDE for entry in decisions):
        return Status.INCLUDED, ""
    return Status.MAYBE, ""


@dataclass(frozen=True)
class ScreeningState:
    """Everything derived from the records, plans and decisions, in memory."""

    status: tuple[StatusRow, ...]
    plans: Mapping[int, tuple[PlanRow, ...]]
    current: Mapping[Key, LogEntry]
    conflicts: tuple[Conflict, ...]
    waiting: Mapping[int, Mapping[str, list[str]]]
    eligible: tuple[str, ...]

    def by_id(self) -> dict[str, StatusRow]:
        """Status rows by record id."""
        return {row.record_id: row for row in self.status}


def screening_status(
    records: Sequence[ScreenRecord],
    *,
    plans: Mapping[int, Sequence[PlanRow]],
    entries: Sequence[LogEntry],
    settings: ScreeningSettings,
    limits: Limits,
    stop_text: str = "",
) -> ScreeningState:
    """Each record's status (see ``screen_status.schema.json``) from plans and decisions.

    With ``screening.stop``, records never handed out are ``excluded_automation`` with the
    reason "not screened: " + ``stop_text`` (how screening ended, see :func:`check_stop`).
    """
    index = record_index(records)
    current = current_decisions(entries)
    frozen = {r: tuple(p) for r, p in sorted(plans.items())}
    conflicts = find_conflicts(frozen, current)
    waiting = missing_decisions(frozen, current)
    resolutions = resolutions_by_record(current)

    assigned: dict[str, list[tuple[int, PlanRow]]] = defaultdict(list)
    for round_, plan in frozen.items():
        for row in plan:
            group = index.current_id(row.record_id)
            if group is not None:
                assigned[group].append((round_, row))
    resolved_by_group: dict[str, list[LogEntry]] = defaultdict(list)
    for (record_id, _), found in resolutions.items():
        group = index.current_id(record_id)
        if group is not None:
            resolved_by_group[group].extend(found)

    rows: list[StatusRow] = []
    eligible: list[str] = []
    for record in records:
        why = ineligibility(record, limits)
        if why:
            rows.append(
                StatusRow(
                    record.record_id, Status.INELIGIBLE_AUTOMATION, why, None, DecidedBy.AUTOMATION
                )
            )
            continue
        eligible.append(record.record_id)
        handed_out = assigned.get(record.record_id, [])
        if not handed_out:
            if settings.stop:
                rows.append(
                    StatusRow(
                        record.record_id,
                        Status.EXCLUDED_AUTOMATION,
                        "not screened: " + (stop_text or "the team stopped screening"),
                        None,
                        DecidedBy.AUTOMATION,
                    )
                )
            else:
                rows.append(StatusRow(record.record_id, Status.UNSCREENED))
            continue
        last_round = max(round_ for round_, _ in handed_out)
        resolved = resolved_by_group.get(record.record_id, [])
        if resolved:
            outcomes = {e.decision.forwards for e in resolved}
            if len(outcomes) == 1:
                status, reason = _outcome(resolved)
                rows.append(
                    StatusRow(
                        record.record_id,
                        status,
                        reason,
                        max(e.round for e in resolved),
                        DecidedBy.CONSENSUS,
                    )
                )
            else:
                who = reviewer_list(sorted({e.reviewer for e in resolved}))
                rows.append(
                    StatusRow(
                        record.record_id,
                        Status.CONFLICT,
                        f"the resolvers disagree ({who})",
                        last_round,
                    )
                )
            continue
        decisions = []
        pending = []
        for round_, row in handed_out:
            entry = current.get((row.record_id, row.reviewer, round_, row.kind))
            if entry is None:
                pending.append(row.reviewer)
            else:
                decisions.append(entry)
        if pending:
            rows.append(
                StatusRow(
                    record.record_id,
                    Status.UNSCREENED,
                    f"waiting for {reviewer_list(sorted(set(pending)))}",
                    last_round,
                )
            )
        elif len({entry.decision.forwards for entry in decisions}) > 1:
            rows.append(
                StatusRow(
                    record.record_id, Status.CONFLICT, describe_decisions(decisions), last_round
                )
            )
        else:
            status, reason = _outcome(decisions)
            rows.append(StatusRow(record.record_id, status, reason, last_round, DecidedBy.HUMAN))
    return ScreeningState(
        status=tuple(rows),
        plans=frozen,
        current=current,
        conflicts=tuple(conflicts),
        waiting=waiting,
        eligible=tuple(eligible),
    )


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


def _labels_in_order(state: ScreeningState, up_to: int) -> tuple[list[int], int | None]:
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
            labels, random_from = _labels_in_order(state, round_)
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
    settings = _settings(screening)
    limit = limits_from(limits)
    table = load_records(records)
    entries = read_decision_log(log_path)
    plans = read_plans(plans_path)
    progress, last = _progress(
        table, plans=plans, entries=entries, settings=settings, limits=limit, estimator=estimator
    )
    stop = check_stop(settings, last, max(plans) if plans else None)
    if progress and stop.stopped:
        progress[-1]["stopped"] = stop.stopped
        progress[-1]["note"] = "; ".join(p for p in (stop.note, progress[-1]["note"]) if p)
    state = screening_status(
        table, plans=plans, entries=entries, settings=settings, limits=limit, stop_text=stop.text
    )
    write_table(status_path, [row.as_row() for row in state.status], "screen_status")
    write_table(progress_path, progress, "screen_progress")
    write_table(agreement_path, agreement_rows(state.plans, state.current), "agreement")
    counts = Counter(str(row.status) for row in state.status)
    log.info("screening status: %s", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return state


def _settings(screening: Mapping[str, Any] | ScreeningSettings) -> ScreeningSettings:
    if isinstance(screening, ScreeningSettings):
        return screening
    return screening_settings(screening)


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


def _rng(seed: int, round_: int, purpose: str) -> random.Random:
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
    _rng(seed, round_, "assign").shuffle(combos)
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
        chosen = _rng(settings.seed, round_, "random-sample").sample(
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
        chosen = _rng(settings.seed, round_, "random-start").sample(candidates, batch)
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


# --------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ExportResult:
    """What an export did.

    ``action`` is ``new`` (a new round was planned), ``open`` (the latest round is still
    waiting for sheets: its sheets were written again), ``stopped`` (``screening.stop``) or
    ``done`` (no eligible record is left unscreened).
    """

    action: str
    round: int | None
    kind: RoundKind | None
    sheets: tuple[Path, ...] = ()
    conflict_sheets: tuple[Path, ...] = ()
    waiting_for: Mapping[str, int] = field(default_factory=dict)
    message: str = ""


def _about(settings: ScreeningSettings, choice_model: str) -> dict[str, str]:
    return {
        "software": f"realist-review {__version__}",
        "seed": str(settings.seed),
        "preset": settings.preset,
        "uncertainty_share": str(settings.uncertainty_share),
        "batch_size": str(settings.batch_size),
        "reviewers_per_record": str(settings.reviewers_per_record),
        "model": choice_model,
    }


def _clear(folder: Path, patterns: Sequence[str]) -> None:
    """Remove what an earlier export left in ``folder`` (only files of the given patterns)."""
    if (folder / SUMS_FILE).exists() or (folder.parent / SUMS_FILE).exists():
        raise InputError(
            f"{folder}: this looks like the folder of returned sheets (it has {SUMS_FILE}); "
            "exports go to results/screen/sheets/"
        )
    for pattern in patterns:
        for stale in sorted(folder.glob(pattern)):
            if stale.is_file():
                stale.unlink()


def _write_round(
    out_dir: Path,
    plan: Sequence[PlanRow],
    records_by_id: Mapping[str, ScreenRecord],
    *,
    settings: ScreeningSettings,
    model: str,
    review: Mapping[str, Any],
) -> tuple[Path, ...]:
    round_ = plan[0].round
    kind = plan[0].kind
    folder = Path(out_dir) / round_folder(round_)
    _clear(folder, ("*.xlsx", "*.csv", "round.json"))
    digest = write_plan(folder / "plan.csv", plan)
    about = _about(settings, model)
    written: list[Path] = []
    for reviewer in sorted({p.reviewer for p in plan}):
        ids = [p.record_id for p in plan if p.reviewer == reviewer]
        _rng(settings.seed, round_, f"order:{reviewer}").shuffle(ids)
        sheet_records = [_sheet_record(records_by_id, rid) for rid in ids]
        written += write_sheet(
            folder,
            sheet_records,
            round_=round_,
            reviewer=reviewer,
            kind=kind,
            settings=settings,
            plan=plan,
            about=about,
            review_title=str(review.get("title", "")),
            question=str(review.get("question", "")),
        )
    write_json(
        folder / "round.json",
        {
            "round": round_,
            "kind": str(kind),
            "records": len({p.record_id for p in plan}),
            "reviewers": {
                r: sum(p.reviewer == r for p in plan) for r in sorted({p.reviewer for p in plan})
            },
            "plan_sha256": digest,
            **about,
        },
    )
    return tuple(written)


def _freeze_plan(screening_dir: Path, plan: Sequence[PlanRow]) -> Path:
    """Write a new round's plan beside the returned sheets: the round is out with people."""
    path = screening_dir / round_folder(plan[0].round) / "plan.csv"
    if path.exists():
        raise InputError(
            f"{path}: a plan for round {plan[0].round} is already there, yet the round was "
            "planned again; restore config/screening/ from version control"
        )
    write_plan(path, plan)
    log.info("round %d is out: its plan is kept in %s", plan[0].round, path)
    return path


def _latest_estimate(
    state: ScreeningState, settings: ScreeningSettings, estimator: StoppingEstimator | None
) -> StoppingEstimate | None:
    """The stopping rule's estimate with every round so far (None before any, or without an
    estimator)."""
    if estimator is None or not state.plans:
        return None
    labels, random_from = _labels_in_order(state, max(state.plans))
    return estimator(
        labels,
        n_total=len(state.eligible),
        random_from=random_from,
        target=settings.stop_target,
        confidence=settings.stop_confidence,
    )


def _records_by_id(table: Sequence[ScreenRecord]) -> dict[str, ScreenRecord]:
    """Records by id, and by their members' ids (a plan may name a record merged since)."""
    out = {r.record_id: r for r in table}
    for record in table:
        for member in record.members:
            out.setdefault(member, record)
    return out


def _sheet_record(
    records_by_id: Mapping[str, ScreenRecord], record_id: str, context: str = ""
) -> SheetRecord:
    record = records_by_id.get(record_id)
    if record is None:  # no longer in the record table: show the id only
        return SheetRecord(record_id=record_id, context=context)
    return replace(record.sheet_record(context), record_id=record_id)


def assign_resolvers(
    conflicts: Sequence[Conflict], *, settings: ScreeningSettings
) -> dict[tuple[int, str], list[Conflict]]:
    """(round, resolver) -> conflicts to resolve, balanced and deterministic.

    Resolvers are ``screening.resolvers`` when given, else team members who did not screen
    the record; with a team of two, the first of the pair (they settle it together).
    """
    load: Counter[str] = Counter()
    out: dict[tuple[int, str], list[Conflict]] = defaultdict(list)
    for conflict in sorted(conflicts, key=lambda c: (c.round, c.record_id)):
        involved = {entry.reviewer for entry in conflict.decisions}
        pool = list(settings.resolvers) or [p for p in settings.team if p not in involved]
        if not pool:
            pool = sorted(involved)[:1]
        order = sorted(pool)
        _rng(settings.seed, conflict.round, f"resolve:{conflict.record_id}").shuffle(order)
        resolver = min(order, key=lambda p: (load[p], order.index(p)))
        load[resolver] += 1
        out[(conflict.round, resolver)].append(conflict)
    return dict(out)


def write_conflict_sheets(
    conflicts: Sequence[Conflict],
    records_by_id: Mapping[str, ScreenRecord],
    *,
    settings: ScreeningSettings,
    out_dir: Path,
    review: Mapping[str, Any] | None = None,
) -> tuple[Path, ...]:
    """Write ``round-NN/conflicts/<resolver>.{xlsx,csv}`` for the given (unresolved) conflicts."""
    review = dict(review or {})
    _clear(Path(out_dir), ("round-*/conflicts/*.xlsx", "round-*/conflicts/*.csv"))
    written: list[Path] = []
    for (round_, resolver), items in sorted(assign_resolvers(conflicts, settings=settings).items()):
        folder = Path(out_dir) / round_folder(round_) / "conflicts"
        sheet_records = [
            _sheet_record(records_by_id, c.record_id, describe_decisions(c.decisions))
            for c in items
        ]
        written += write_sheet(
            folder,
            sheet_records,
            round_=round_,
            reviewer=resolver,
            kind=RoundKind.CONFLICT_RESOLUTION,
            settings=settings,
            about=_about(settings, ""),
            review_title=str(review.get("title", "")),
            question=str(review.get("question", "")),
        )
    return tuple(written)


def export_conflict_sheets(
    *,
    records: Path,
    log_path: Path,
    plans_path: Path,
    screening: Mapping[str, Any] | ScreeningSettings,
    limits: Mapping[str, Any] | Limits | None,
    out_dir: Path,
    review: Mapping[str, Any] | None = None,
) -> tuple[tuple[Conflict, ...], tuple[Path, ...]]:
    """Write only the conflict sheets (see :func:`export_screening_sheets`).

    Returns the unresolved conflicts and the sheet files written.
    """
    settings = _settings(screening)
    table = load_records(records)
    state = screening_status(
        table,
        plans=read_plans(plans_path),
        entries=read_decision_log(log_path),
        settings=settings,
        limits=limits_from(limits),
    )
    open_conflicts = tuple(c for c in state.conflicts if not c.resolved)
    written = write_conflict_sheets(
        open_conflicts,
        _records_by_id(table),
        settings=settings,
        out_dir=out_dir,
        review=review,
    )
    return open_conflicts, written


def export_screening_sheets(
    *,
    records: Path,
    log_path: Path,
    plans_path: Path,
    screening: Mapping[str, Any] | ScreeningSettings,
    limits: Mapping[str, Any] | Limits | None,
    out_dir: Path,
    review: Mapping[str, Any] | None = None,
    ranker: Ranker | None = None,
    random_sample_size: int | None = None,
    screening_dir: Path | None = None,
    estimator: StoppingEstimator | None = stopping_estimator,
) -> ExportResult:
    """Write the next round's sheets (or the open round's again) and the conflict sheets.

    Reads the record table, the decision log and the plans written by
    :func:`~realist_review.screen.decisions.import_decisions`. Writes under ``out_dir``:
    ``round-NN/{<reviewer>.xlsx,<reviewer>.csv,plan.csv,round.json}``,
    ``round-NN/conflicts/<resolver>.{xlsx,csv}`` for every round with unresolved conflicts,
    and ``export.json`` saying what was done.

    A new round's plan is also written to ``screening_dir/round-NN/plan.csv`` (the folder of
    returned sheets, when given): from then on the round is open, and every later export,
    whatever corrections come back for earlier rounds, writes the same sheets again instead
    of planning new ones; people may already hold them. The stopping rule's latest estimate
    (``estimator``) decides when the random sample is drawn, and ``screening.stop`` is
    checked by :func:`check_stop`.
    """
    settings = _settings(screening)
    limit = limits_from(limits)
    table = load_records(records)
    records_by_id = _records_by_id(table)
    entries = read_decision_log(log_path)
    plans = read_plans(plans_path)
    state = screening_status(table, plans=plans, entries=entries, settings=settings, limits=limit)
    out_dir = Path(out_dir)
    review = dict(review or {})

    open_conflicts = [c for c in state.conflicts if not c.resolved]
    conflict_sheets = write_conflict_sheets(
        open_conflicts, records_by_id, settings=settings, out_dir=out_dir, review=review
    )

    result: ExportResult
    latest = max(plans) if plans else 0
    if latest and latest in state.waiting:
        open_plan = state.plans[latest]
        model = ""
        if open_plan[0].kind is RoundKind.RANKED:  # the same sheets as when it was planned
            model = ranker_name(ranker if ranker is not None else load_ranker())
        sheets = _write_round(
            out_dir, open_plan, records_by_id, settings=settings, model=model, review=review
        )
        waiting = {r: len(ids) for r, ids in state.waiting[latest].items()}
        result = ExportResult(
            action="open",
            round=latest,
            kind=open_plan[0].kind,
            sheets=sheets,
            waiting_for=waiting,
            message=(
                f"round {latest} is still open: waiting for "
                + reviewer_list([f"{r} ({n} records)" for r, n in waiting.items()])
                + "; its sheets were written again, no new round was started"
            ),
        )
    elif settings.stop:
        stop = check_stop(settings, _latest_estimate(state, settings, estimator), latest or None)
        result = ExportResult(
            action="stopped",
            round=None,
            kind=None,
            message=f"screening.stop is true ({stop.text}): no new round; unscreened records "
            "are excluded by automation",
        )
    else:
        round_ = latest + 1
        choice = plan_next_round(
            state,
            table,
            round_=round_,
            settings=settings,
            ranker=ranker,
            random_sample_size=random_sample_size,
            rule=_latest_estimate(state, settings, estimator),
        )
        if not choice.record_ids:
            result = ExportResult(
                action="done",
                round=None,
                kind=None,
                message="every eligible record has been handed out; nothing left to screen",
            )
        else:
            plan = assign_reviewers(
                choice.record_ids,
                team=settings.team,
                per_record=settings.reviewers_per_record,
                round_=round_,
                kind=choice.kind,
                seed=settings.seed,
            )
            sheets = _write_round(
                out_dir, plan, records_by_id, settings=settings, model=choice.model, review=review
            )
            if screening_dir is not None:
                _freeze_plan(Path(screening_dir), plan)
            why = f", {choice.why}" if choice.why else ""
            result = ExportResult(
                action="new",
                round=round_,
                kind=choice.kind,
                sheets=sheets,
                message=f"round {round_} ({choice.kind}{why}): {len(choice.record_ids)} records",
            )
    result = ExportResult(
        action=result.action,
        round=result.round,
        kind=result.kind,
        sheets=result.sheets,
        conflict_sheets=tuple(conflict_sheets),
        waiting_for=result.waiting_for,
        message=result.message
        + (f"; {len(open_conflicts)} conflict(s) to resolve" if open_conflicts else ""),
    )
    write_json(
        out_dir / "export.json",
        {
            "action": result.action,
            "round": result.round,
            "kind": None if result.kind is None else str(result.kind),
            "sheets": [p.relative_to(out_dir).as_posix() for p in result.sheets],
            "conflict_sheets": [p.relative_to(out_dir).as_posix() for p in result.conflict_sheets],
            "waiting_for": dict(result.waiting_for),
            "message": result.message,
        },
    )
    log.info("%s", result.message)
    return result
