"""Agreement between reviewers and the disagreements a third reviewer resolves.

Agreement is measured on the screening *outcome*: ``include`` and ``maybe`` both send a record
to full text ("forward"), ``exclude`` does not. Two reviewers who pick include and maybe
agree; include against exclude, or maybe against exclude, is a conflict.

:func:`cohen_kappa` is Cohen's kappa; :func:`agreement_rows` gives, for every round, one row
per reviewer pair and one pooled row, over that round (scope ``round``) and over rounds 1 to
it (scope ``cumulative``). The pooled kappa is Cohen's kappa of all pairs' decisions stacked,
with the reviewer whose id sorts first as rater 1 in every pair.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from realist_review.screen.decisions import LogEntry
from realist_review.screen.settings import RoundKind
from realist_review.screen.sheets import PlanRow

Key = tuple[str, str, int, RoundKind]


def cohen_kappa(rater_1: Sequence[Hashable], rater_2: Sequence[Hashable]) -> float | None:
    """Cohen's kappa of two raters' labels for the same items; None when undefined.

    Undefined means no items, or chance agreement of 1 (both raters used one and the same
    label throughout), where the formula divides by zero.
    """
    if len(rater_1) != len(rater_2):
        raise ValueError("both raters must label the same items")
    n = len(rater_1)
    if n == 0:
        return None
    observed = sum(a == b for a, b in zip(rater_1, rater_2, strict=True)) / n
    counts_1, counts_2 = Counter(rater_1), Counter(rater_2)
    expected = sum(counts_1[label] * counts_2[label] for label in counts_1) / (n * n)
    if expected >= 1:
        return None
    return (observed - expected) / (1 - expected)


@dataclass(frozen=True)
class PairTable:
    """A 2x2 table of two reviewers' outcomes (forward = include or maybe)."""

    both_forward: int = 0
    both_exclude: int = 0
    only_1_forwards: int = 0
    only_2_forwards: int = 0

    @property
    def records(self) -> int:
        """Records both reviewers decided."""
        return self.both_forward + self.both_exclude + self.only_1_forwards + self.only_2_forwards

    def __add__(self, other: PairTable) -> PairTable:
        return PairTable(
            self.both_forward + other.both_forward,
            self.both_exclude + other.both_exclude,
            self.only_1_forwards + other.only_1_forwards,
            self.only_2_forwards + other.only_2_forwards,
        )

    def raw_agreement(self) -> float | None:
        """Share of records with the same outcome; None without records."""
        if not self.records:
            return None
        return (self.both_forward + self.both_exclude) / self.records

    def kappa(self) -> float | None:
        """Cohen's kappa of the table (see :func:`cohen_kappa`)."""
        first = [1] * self.both_forward + [0] * self.both_exclude
        first += [1] * self.only_1_forwards + [0] * self.only_2_forwards
        second = [1] * self.both_forward + [0] * self.both_exclude
        second += [0] * self.only_1_forwards + [1] * self.only_2_forwards
        return cohen_kappa(first, second)


def _screening_decisions(
    plans: Mapping[int, Sequence[PlanRow]], current: Mapping[Key, LogEntry]
) -> dict[int, dict[str, dict[str, LogEntry]]]:
    """round -> record -> reviewer -> current screening decision (plan order kept)."""
    out: dict[int, dict[str, dict[str, LogEntry]]] = {}
    for round_, plan in sorted(plans.items()):
        by_record: dict[str, dict[str, LogEntry]] = defaultdict(dict)
        for row in plan:
            entry = current.get((row.record_id, row.reviewer, round_, row.kind))
            if entry is not None:
                by_record[row.record_id][row.reviewer] = entry
        out[round_] = dict(by_record)
    return out


def pair_tables(
    plans: Mapping[int, Sequence[PlanRow]], current: Mapping[Key, LogEntry]
) -> dict[int, dict[tuple[str, str], PairTable]]:
    """round -> (reviewer_1, reviewer_2) -> 2x2 table over the records both decided."""
    out: dict[int, dict[tuple[str, str], PairTable]] = {}
    for round_, by_record in _screening_decisions(plans, current).items():
        tables: dict[tuple[str, str], PairTable] = defaultdict(PairTable)
        for decisions in by_record.values():
            for first, second in combinations(sorted(decisions), 2):
                a = decisions[first].decision.forwards
                b = decisions[second].decision.forwards
                cell = PairTable(
                    int(a and b), int(not a and not b), int(a and not b), int(b and not a)
                )
                tables[(first, second)] = tables[(first, second)] + cell
        out[round_] = dict(tables)
    return out


def _fmt(value: float | None) -> str:
    if value is None:
        return ""
    text = f"{value:.4f}"
    return "0.0000" if text == "-0.0000" else text


def _row(round_: int, scope: str, pair: tuple[str, str], table: PairTable) -> dict[str, str]:
    return {
        "round": str(round_),
        "scope": scope,
        "reviewer_1": pair[0],
        "reviewer_2": pair[1],
        "records": str(table.records),
        "both_forward": str(table.both_forward),
        "both_exclude": str(table.both_exclude),
        "only_reviewer_1_forwards": str(table.only_1_forwards),
        "only_reviewer_2_forwards": str(table.only_2_forwards),
        "raw_agreement": _fmt(table.raw_agreement()),
        "kappa": _fmt(table.kappa()),
    }


def agreement_rows(
    plans: Mapping[int, Sequence[PlanRow]], current: Mapping[Key, LogEntry]
) -> list[dict[str, str]]:
    """Rows of ``agreement.csv`` (schema ``agreement``), sorted as the schema says."""
    per_round = pair_tables(plans, current)
    rows: list[dict[str, str]] = []
    cumulative: dict[tuple[str, str], PairTable] = defaultdict(PairTable)
    for round_, tables in sorted(per_round.items()):
        for pair, table in tables.items():
            cumulative[pair] = cumulative[pair] + table
        for scope, source in (("round", tables), ("cumulative", dict(cumulative))):
            if len(source) > 1:  # all pairs pooled; with one pair it would repeat that pair's row
                rows.append(_row(round_, scope, ("", ""), sum(source.values(), PairTable())))
            rows += [_row(round_, scope, pair, source[pair]) for pair in sorted(source)]
    return rows


@dataclass(frozen=True)
class Conflict:
    """A record whose reviewers disagree in a round, and its resolution if there is one."""

    record_id: str
    round: int
    decisions: tuple[LogEntry, ...]
    resolutions: tuple[LogEntry, ...]

    @property
    def resolved(self) -> bool:
        """True when resolutions exist and agree on the outcome."""
        outcomes = {entry.decision.forwards for entry in self.resolutions}
        return len(outcomes) == 1


def resolutions_by_record(
    current: Mapping[Key, LogEntry],
) -> dict[tuple[str, int], tuple[LogEntry, ...]]:
    """(record, round) -> current conflict-resolution entries (sorted by reviewer)."""
    found: dict[tuple[str, int], list[LogEntry]] = defaultdict(list)
    for entry in current.values():
        if entry.kind is RoundKind.CONFLICT_RESOLUTION:
            found[(entry.record_id, entry.round)].append(entry)
    return {key: tuple(sorted(v, key=lambda e: e.reviewer)) for key, v in found.items()}


def find_conflicts(
    plans: Mapping[int, Sequence[PlanRow]], current: Mapping[Key, LogEntry]
) -> list[Conflict]:
    """Every record-round whose reviewers (all of whom decided) disagree on the outcome.

    A record still waiting for one of its reviewers is not a conflict yet.
    """
    resolutions = resolutions_by_record(current)
    conflicts: list[Conflict] = []
    for round_, by_record in _screening_decisions(plans, current).items():
        expected: dict[str, int] = Counter(row.record_id for row in plans[round_])
        for record_id in sorted(by_record):
            decisions = by_record[record_id]
            if len(decisions) < expected[record_id]:
                continue
            if len({entry.decision.forwards for entry in decisions.values()}) > 1:
                conflicts.append(
                    Conflict(
                        record_id=record_id,
                        round=round_,
                        decisions=tuple(decisions[r] for r in sorted(decisions)),
                        resolutions=resolutions.get((record_id, round_), ()),
                    )
                )
    return conflicts


def describe_decisions(entries: Iterable[LogEntry]) -> str:
    """``alice: exclude (E2) - off topic; bob: include`` for a conflict sheet."""
    parts = []
    for entry in entries:
        text = f"{entry.reviewer}: {entry.decision}"
        if entry.reason:
            text += f" ({entry.reason})"
        if entry.note:
            text += f" - {entry.note}"
        parts.append(text)
    return "; ".join(parts)
