"""Writing a round's sheets: :func:`export_screening_sheets` (what the
``export_screening_sheets`` rule calls) and the conflict sheets."""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from realist_review import __version__
from realist_review.config import Limits
from realist_review.errors import InputError
from realist_review.screen.agreement import (
    Conflict,
    describe_decisions,
)
from realist_review.screen.decisions import (
    SUMS_FILE,
)
from realist_review.screen.inputs import ScreenRecord
from realist_review.screen.planning import (
    Ranker,
    assign_reviewers,
    load_ranker,
    plan_next_round,
    ranker_name,
    seeded_rng,
)
from realist_review.screen.progress import (
    StoppingEstimate,
    StoppingEstimator,
    check_stop,
    labels_in_order,
    stopping_estimator,
)
from realist_review.screen.settings import (
    RoundKind,
    ScreeningSettings,
    reviewer_list,
)
from realist_review.screen.sheets import (
    PlanRow,
    SheetRecord,
    round_folder,
    write_plan,
    write_sheet,
)
from realist_review.screen.status import ScreeningState, as_settings, limits_from, load_screening
from realist_review.tables import write_json

log = logging.getLogger(__name__)


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
        seeded_rng(settings.seed, round_, f"order:{reviewer}").shuffle(ids)
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
    labels, random_from = labels_in_order(state, max(state.plans))
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
        seeded_rng(settings.seed, conflict.round, f"resolve:{conflict.record_id}").shuffle(order)
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
    settings = as_settings(screening)
    inputs = load_screening(records=records, log_path=log_path, plans_path=plans_path)
    table = inputs.records
    state = inputs.state(settings, limits_from(limits))
    open_conflicts = tuple(c for c in state.conflicts if not c.resolved)
    written = write_conflict_sheets(
        open_conflicts,
        _records_by_id(table),
        settings=settings,
        out_dir=out_dir,
        review=review,
    )
    return open_conflicts, written


def _write_open_round(
    state: ScreeningState,
    latest: int,
    records_by_id: Mapping[str, ScreenRecord],
    *,
    settings: ScreeningSettings,
    out_dir: Path,
    review: Mapping[str, Any],
    ranker: Ranker | None,
) -> ExportResult:
    """The open round's sheets again (people may already hold them): no new round."""
    open_plan = state.plans[latest]
    model = ""
    if open_plan[0].kind is RoundKind.RANKED:  # the same sheets as when it was planned
        model = ranker_name(ranker if ranker is not None else load_ranker())
    sheets = _write_round(
        out_dir, open_plan, records_by_id, settings=settings, model=model, review=review
    )
    waiting = {r: len(ids) for r, ids in state.waiting[latest].items()}
    return ExportResult(
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


def _write_new_round(
    state: ScreeningState,
    table: Sequence[ScreenRecord],
    round_: int,
    *,
    settings: ScreeningSettings,
    out_dir: Path,
    review: Mapping[str, Any],
    ranker: Ranker | None,
    random_sample_size: int | None,
    rule: StoppingEstimate | None,
    screening_dir: Path | None,
) -> ExportResult:
    """Plan round ``round_``, write its sheets and freeze its plan (``done`` when nothing is
    left to hand out)."""
    choice = plan_next_round(
        state,
        table,
        round_=round_,
        settings=settings,
        ranker=ranker,
        random_sample_size=random_sample_size,
        rule=rule,
    )
    if not choice.record_ids:
        return ExportResult(
            action="done",
            round=None,
            kind=None,
            message="every eligible record has been handed out; nothing left to screen",
        )
    plan = assign_reviewers(
        choice.record_ids,
        team=settings.team,
        per_record=settings.reviewers_per_record,
        round_=round_,
        kind=choice.kind,
        seed=settings.seed,
    )
    records_by_id = _records_by_id(table)
    sheets = _write_round(
        out_dir, plan, records_by_id, settings=settings, model=choice.model, review=review
    )
    if screening_dir is not None:
        _freeze_plan(Path(screening_dir), plan)
    why = f", {choice.why}" if choice.why else ""
    return ExportResult(
        action="new",
        round=round_,
        kind=choice.kind,
        sheets=sheets,
        message=f"round {round_} ({choice.kind}{why}): {len(choice.record_ids)} records",
    )


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
    settings = as_settings(screening)
    limit = limits_from(limits)
    inputs = load_screening(records=records, log_path=log_path, plans_path=plans_path)
    table, plans = inputs.records, inputs.plans
    records_by_id = _records_by_id(table)
    state = inputs.state(settings, limit)
    out_dir = Path(out_dir)
    review = dict(review or {})

    open_conflicts = [c for c in state.conflicts if not c.resolved]
    conflict_sheets = write_conflict_sheets(
        open_conflicts, records_by_id, settings=settings, out_dir=out_dir, review=review
    )

    result: ExportResult
    latest = max(plans) if plans else 0
    if latest and latest in state.waiting:
        result = _write_open_round(
            state,
            latest,
            records_by_id,
            settings=settings,
            out_dir=out_dir,
            review=review,
            ranker=ranker,
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
        result = _write_new_round(
            state,
            table,
            latest + 1,
            settings=settings,
            out_dir=out_dir,
            review=review,
            ranker=ranker,
            random_sample_size=random_sample_size,
            rule=_latest_estimate(state, settings, estimator),
            screening_dir=screening_dir,
        )
    result = replace(
        result,
        conflict_sheets=tuple(conflict_sheets),
        message=result.message
        + (f"; {len(open_conflicts)} conflict(s) to resolve" if open_conflicts else ""),
    )
    _write_export_json(out_dir, result)
    log.info("%s", result.message)
    return result


def _write_export_json(out_dir: Path, result: ExportResult) -> None:
    """``export.json``: what an export did, paths relative to ``out_dir``."""
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
