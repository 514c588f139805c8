"""Where every record stands: the config's limits and each record's screening status.

- :func:`ineligibility` applies the config's limits (years, languages, publication types):
  records outside them are ``ineligible_automation`` and never reach a sheet.
- :func:`screening_status` derives each record's status from the round plans and the current
  decisions.
- :func:`load_screening` reads what every screening rule starts from (the record table, the
  decision log and the round plans), once.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from realist_review.config import Limits
from realist_review.languages import language_key
from realist_review.screen.agreement import (
    Conflict,
    describe_decisions,
    find_conflicts,
    resolutions_by_record,
)
from realist_review.screen.decisions import (
    LogEntry,
    current_decisions,
    missing_decisions,
    read_decision_log,
    read_plans,
)
from realist_review.screen.inputs import ScreenRecord, load_records, record_index
from realist_review.screen.settings import (
    DecidedBy,
    Decision,
    RoundKind,
    ScreeningSettings,
    Status,
    reviewer_list,
    screening_settings,
)
from realist_review.screen.sheets import (
    PlanRow,
)

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
        rows.append(
            _status_of_handed_out(
                record.record_id, handed_out, resolved_by_group.get(record.record_id, []), current
            )
        )
    return ScreeningState(
        status=tuple(rows),
        plans=frozen,
        current=current,
        conflicts=tuple(conflicts),
        waiting=waiting,
        eligible=tuple(eligible),
    )


def _status_of_handed_out(
    record_id: str,
    handed_out: Sequence[tuple[int, PlanRow]],
    resolved: Sequence[LogEntry],
    current: Mapping[Key, LogEntry],
) -> StatusRow:
    """The status of a record that has been handed out: settled by a resolver, waiting for a
    reviewer, in conflict, or decided by everyone assigned."""
    last_round = max(round_ for round_, _ in handed_out)
    if resolved:
        outcomes = {e.decision.forwards for e in resolved}
        if len(outcomes) == 1:
            status, reason = _outcome(resolved)
            return StatusRow(
                record_id,
                status,
                reason,
                max(e.round for e in resolved),
                DecidedBy.CONSENSUS,
            )
        else:
            who = reviewer_list(sorted({e.reviewer for e in resolved}))
            return StatusRow(
                record_id,
                Status.CONFLICT,
                f"the resolvers disagree ({who})",
                last_round,
            )
    decisions = []
    pending = []
    for round_, row in handed_out:
        entry = current.get((row.record_id, row.reviewer, round_, row.kind))
        if entry is None:
            pending.append(row.reviewer)
        else:
            decisions.append(entry)
    if pending:
        return StatusRow(
            record_id,
            Status.UNSCREENED,
            f"waiting for {reviewer_list(sorted(set(pending)))}",
            last_round,
        )
    elif len({entry.decision.forwards for entry in decisions}) > 1:
        return StatusRow(record_id, Status.CONFLICT, describe_decisions(decisions), last_round)
    else:
        status, reason = _outcome(decisions)
        return StatusRow(record_id, status, reason, last_round, DecidedBy.HUMAN)


def as_settings(screening: Mapping[str, Any] | ScreeningSettings) -> ScreeningSettings:
    """The screening settings, parsed from the config's section unless already parsed."""
    if isinstance(screening, ScreeningSettings):
        return screening
    return screening_settings(screening)


@dataclass(frozen=True)
class ScreeningInputs:
    """What every screening rule starts from, read once: the deduplicated records, the
    decision log and the round plans."""

    records: tuple[ScreenRecord, ...]
    entries: tuple[LogEntry, ...]
    plans: Mapping[int, Sequence[PlanRow]]

    def state(
        self, settings: ScreeningSettings, limits: Limits, *, stop_text: str = ""
    ) -> ScreeningState:
        """Each record's status (see :func:`screening_status`)."""
        return screening_status(
            self.records,
            plans=self.plans,
            entries=self.entries,
            settings=settings,
            limits=limits,
            stop_text=stop_text,
        )


def load_screening(*, records: Path, log_path: Path, plans_path: Path) -> ScreeningInputs:
    """Read the record table, the decision log and the plans (each file once)."""
    return ScreeningInputs(
        records=tuple(load_records(records)),
        entries=tuple(read_decision_log(log_path)),
        plans=read_plans(plans_path),
    )
