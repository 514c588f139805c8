"""PRISMA 2020 counts, derived from the pipeline's own tables and checked by their equations.

Nothing here is typed by hand: :func:`derive_counts` reads the search log, the record table's
``origin`` column, the dedup groups, the screening status and (later) the full-text table, and
returns a :class:`PrismaCounts` whose names follow the PRISMA2020 R package's template fields
(``database_results``, ``duplicates``, ``records_screened``, ``dbr_excluded``, ...).

Counting rules (also in ``workflow/schemas/README.md``, section *PRISMA counts*):

* **Identified** = hits: the search log's ``records_retrieved`` of every ``complete`` search,
  summed per database / register / other method. A record found by two searches counts once
  per search. The record table must not hold more hits from a search than the log says; fewer
  means the search returned the same record twice and normalisation merged the two rows: those
  hits count as duplicates and a note says so.
* **Columns.** A deduplicated record (a dedup group) belongs to the *databases and registers*
  column when any of its member records came from a database or register search, else to the
  *other methods* column. Hits of other methods that duplicate a database record are counted
  as duplicates in the other-methods column.
* **Duplicates** (per column) = hits identified in the column - groups in the column; in all,
  hits - groups.
* **Removed before screening**: status ``ineligible_automation`` (outside the configured
  limits) is ``excluded_automatic``; nothing in the pipeline removes records "for other
  reasons" yet, so ``excluded_other`` is 0 and kept in every equation.
* **Screened** = every group that entered title/abstract screening: excluded by people
  (``records_excluded``) + excluded by automation under the stopping rule
  (``records_excluded_automation``: status ``excluded_automation``) + passed to full text
  (``included`` and ``maybe``) + still waiting (``unscreened``, ``conflict``).
  The PRISMA2020 template has no field for stopping-rule exclusions; PRISMA 2020's flow diagram
  asks (footnote **) to report how many records were excluded by a human and how many by
  automation tools, so the diagram shows both inside the *Records excluded* box and the
  template CSV carries their sum in ``records_excluded`` with the split in the box text.
* **Full text** (provisional input, see :func:`derive_counts`): reports sought = records that
  passed screening; sought = not retrieved + assessed + awaiting; assessed = excluded (each
  reason) + included. Without the full-text table those boxes are *pending* (``None``).
* **Included**: ``new_reports`` = included reports; ``new_studies`` = distinct study ids among
  them (dedup's ``study_id``; a report is its own study when none is given);
  ``total_* = new_* + previous_*``.

Every equation is checked by :func:`check_counts`; a mismatch raises :class:`CountsError`
naming the numbers that disagree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from realist_review.prisma.counts import (
    Column,
    CountsError,
    FlowColumn,
    OtherMethod,
    PrismaCounts,
    ReasonCount,
    SourceCount,
    StageState,
    check_counts,
)
from realist_review.records import PrismaGroup
from realist_review.screen.settings import Status

__all__ = ["derive_counts", "origins_from_records"]


# --------------------------------------------------------------------------------------------
# Reading the inputs
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Search:
    search_id: str
    name: str
    kind: str
    column: Column
    retrieved: int


def origins_from_records(record_rows: Iterable[Mapping[str, str]]) -> dict[str, tuple[str, ...]]:
    """``record_id`` -> the search ids in its ``origin`` cell (``<search_id>:<source_id>; ...``).

    Search ids are slugs without ``:``, so everything before the first ``:`` of an origin is
    its search id. Each search id is listed once, in order of appearance.
    """
    out: dict[str, tuple[str, ...]] = {}
    for line, row in enumerate(record_rows, start=2):
        record_id = row.get("record_id", "")
        if not record_id:
            raise CountsError(f"record table line {line}: empty record_id")
        if record_id in out:
            raise CountsError(f"record table line {line}: record_id {record_id!r} repeats")
        searches: list[str] = []
        for part in (row.get("origin") or "").split(";"):
            hit = part.strip()
            if not hit:
                continue
            search_id, sep, _ = hit.partition(":")
            if not sep or not search_id:
                raise CountsError(
                    f"record table line {line} ({record_id}): origin {hit!r} is not "
                    "<search_id>:<source_id>"
                )
            if search_id not in searches:
                searches.append(search_id)
        if not searches:
            raise CountsError(
                f"record table line {line} ({record_id}): empty origin; every record must "
                "name the search it came from"
            )
        out[record_id] = tuple(searches)
    return out


def _searches(rows: Iterable[Mapping[str, str]]) -> dict[str, _Search]:
    searches: dict[str, _Search] = {}
    for line, row in enumerate(rows, start=2):
        status = (row.get("status") or "complete").strip()
        if status == "superseded":
            continue
        if status not in ("complete", "incomplete"):  # incomplete: counted, shortfall noted
            raise CountsError(
                f"search log line {line}: status {status!r} is not 'complete', 'incomplete' "
                "or 'superseded'"
            )
        search_id = (row.get("search_id") or "").strip()
        if not search_id:
            raise CountsError(f"search log line {line}: empty search_id")
        if search_id in searches:
            raise CountsError(
                f"search log line {line}: search {search_id!r} has two complete entries; "
                "an earlier query of the same search must be marked 'superseded'"
            )
        retrieved_cell = (row.get("records_retrieved") or "").strip()
        if not retrieved_cell.isdigit():
            raise CountsError(
                f"search log line {line} ({search_id}): records_retrieved {retrieved_cell!r} "
                "is not a whole number"
            )
        group_cell = (row.get("prisma_group") or "").strip()
        try:
            group = PrismaGroup(group_cell)
        except ValueError:
            raise CountsError(
                f"search log line {line} ({search_id}): prisma_group {group_cell!r} is not one "
                f"of {', '.join(g.value for g in PrismaGroup)}"
            ) from None
        if group is PrismaGroup.OTHER_METHODS:
            method_cell = (row.get("other_method") or "").strip() or OtherMethod.OTHER.value
            try:
                kind = OtherMethod(method_cell).value
            except ValueError:
                raise CountsError(
                    f"search log line {line} ({search_id}): other_method {method_cell!r} is not "
                    f"one of {', '.join(m.value for m in OtherMethod)}"
                ) from None
            column = Column.OTHER_METHODS
        else:
            kind = group.value
            column = Column.DATABASES_REGISTERS
        name = (row.get("database") or "").strip() or search_id
        searches[search_id] = _Search(search_id, name, kind, column, int(retrieved_cell))
    return searches


def _group_of(
    groups_rows: Iterable[Mapping[str, str]], records: Mapping[str, object]
) -> dict[str, str]:
    group_of: dict[str, str] = {}
    for line, row in enumerate(groups_rows, start=2):
        record_id = (row.get("record_id") or "").strip()
        group_id = (row.get("group_id") or "").strip()
        if not record_id or not group_id:
            raise CountsError(f"dedup groups line {line}: empty record_id or group_id")
        if record_id in group_of:
            raise CountsError(f"dedup groups line {line}: record {record_id!r} is listed twice")
        if record_id not in records:
            raise CountsError(
                f"dedup groups line {line}: record {record_id!r} is not in the record table; "
                "run deduplication again on the current record table"
            )
        group_of[record_id] = group_id
    missing = [r for r in records if r not in group_of]
    if missing:
        raise CountsError(
            f"the record table has {len(records)} records but the dedup groups list "
            f"{len(group_of)}: {len(missing)} record(s) have no group (first: "
            f"{', '.join(sorted(missing)[:3])}); run deduplication again"
        )
    for record_id, group_id in sorted(group_of.items()):
        if group_of.get(group_id) != group_id:
            raise CountsError(
                f"dedup groups: record {record_id!r} is in group {group_id!r}, but "
                f"{group_id!r} is not a record of its own group (group_id must be the smallest "
                "record_id among the group's members)"
            )
    return group_of


def _statuses(
    status_rows: Iterable[Mapping[str, str]], groups: Mapping[str, object]
) -> dict[str, Status]:
    status_of: dict[str, Status] = {}
    for line, row in enumerate(status_rows, start=2):
        record_id = (row.get("record_id") or "").strip()
        cell = (row.get("status") or "").strip()
        if record_id in status_of:
            raise CountsError(f"screening status line {line}: record {record_id!r} repeats")
        if record_id not in groups:
            raise CountsError(
                f"screening status line {line}: {record_id!r} is not a deduplicated record "
                "(a dedup group_id); the status table is out of date with deduplication"
            )
        try:
            status_of[record_id] = Status(cell)
        except ValueError:
            raise CountsError(
                f"screening status line {line} ({record_id}): status {cell!r} is not one of "
                f"{', '.join(s.value for s in Status)}"
            ) from None
    if len(status_of) != len(groups):
        missing = sorted(g for g in groups if g not in status_of)
        raise CountsError(
            f"deduplication gives {len(groups)} records but the screening status lists "
            f"{len(status_of)}: {len(missing)} have no status (first: "
            f"{', '.join(missing[:3])}); export the screening status again"
        )
    return status_of


_YES_NO = ("yes", "no", "")
_DECISIONS = ("included", "excluded", "")


@dataclass(frozen=True)
class _FullText:
    retrieved: str
    assessed: str
    decision: str
    reason: str


def _fulltext(
    rows: Iterable[Mapping[str, str]], passed: Mapping[str, Status]
) -> dict[str, _FullText]:
    out: dict[str, _FullText] = {}
    for line, row in enumerate(rows, start=2):
        where = f"full-text table line {line}"
        record_id = (row.get("record_id") or "").strip()
        values = {
            key: (row.get(key) or "").strip().lower()
            for key in ("sought", "retrieved", "assessed", "decision")
        }
        reason = " ".join((row.get("reason") or "").split())
        if record_id in out:
            raise CountsError(f"{where}: record {record_id!r} repeats")
        if record_id not in passed:
            raise CountsError(
                f"{where}: record {record_id!r} did not pass title/abstract screening "
                "(or is not a deduplicated record); only included or maybe records go to "
                "full text"
            )
        for key in ("sought", "retrieved", "assessed"):
            if values[key] not in _YES_NO:
                raise CountsError(f"{where} ({record_id}): {key} must be yes, no or empty")
        if values["decision"] not in _DECISIONS:
            raise CountsError(
                f"{where} ({record_id}): decision must be included, excluded or empty"
            )
        if values["sought"] == "no":
            raise CountsError(
                f"{where} ({record_id}): every record that passed screening is sought for "
                "retrieval; exclude it at screening instead of sought = no"
            )
        if values["retrieved"] and values["sought"] != "yes":
            raise CountsError(f"{where} ({record_id}): retrieved is set but sought is not yes")
        if values["assessed"] == "yes" and values["retrieved"] != "yes":
            raise CountsError(f"{where} ({record_id}): assessed = yes needs retrieved = yes")
        if values["decision"] and values["assessed"] != "yes":
            raise CountsError(f"{where} ({record_id}): a decision needs assessed = yes")
        if values["assessed"] == "yes" and not values["decision"]:
            raise CountsError(
                f"{where} ({record_id}): assessed = yes needs a decision (included/excluded)"
            )
        if values["decision"] == "excluded" and not reason:
            raise CountsError(f"{where} ({record_id}): an excluded report needs a reason")
        out[record_id] = _FullText(
            values["retrieved"], values["assessed"], values["decision"], reason
        )
    return out


# --------------------------------------------------------------------------------------------
# Deriving the counts
# --------------------------------------------------------------------------------------------
def derive_counts(
    search_log_rows: Iterable[Mapping[str, str]],
    groups_rows: Iterable[Mapping[str, str]],
    record_origins: Mapping[str, Sequence[str]],
    status_rows: Iterable[Mapping[str, str]] | None,
    fulltext_rows: Iterable[Mapping[str, str]] | None = None,
    *,
    study_of: Mapping[str, str] | None = None,
    previous_studies: int = 0,
    previous_reports: int = 0,
) -> PrismaCounts:
    """Derive every PRISMA 2020 count from the pipeline's tables and check its equations.

    Args:
        search_log_rows: rows of ``results/search/search_log.csv`` (columns read:
            ``search_id, database, prisma_group, other_method, records_retrieved, status``).
        groups_rows: rows of ``results/dedup/groups.csv`` (``record_id, group_id``), one per
            record of the record table.
        record_origins: ``record_id`` -> search ids it came from (see
            :func:`origins_from_records`).
        status_rows: rows of ``results/screen/status.csv`` (``record_id, status``), one per
            deduplicated record; ``None`` before screening has started.
        fulltext_rows: *provisional* full-text table, one row per deduplicated record that
            passed screening: ``record_id, sought, retrieved, assessed, decision, reason``
            (``sought``/``retrieved``/``assessed``: ``yes``/``no``/empty = not yet;
            ``decision``: ``included``/``excluded``/empty; ``reason`` for exclusions). A
            record with no row has not been retrieved yet. ``None``: full text not started,
            and its boxes are pending.
        study_of: deduplicated record -> study id (dedup ``records.csv`` ``study_id``), so that
            several reports of one study count as one study.
        previous_studies, previous_reports: included in a previous version of the review.

    Raises:
        CountsError: the tables do not reconcile (the message names the numbers).
    """
    searches = _searches(search_log_rows)
    notes = _hits_against_log(searches, record_origins)
    group_of = _group_of(groups_rows, record_origins)
    members: dict[str, list[str]] = {}
    for record_id, group_id in group_of.items():
        members.setdefault(group_id, []).append(record_id)
    column_of = _columns_of(members, searches, record_origins)
    if status_rows is None:
        status_of = dict.fromkeys(members, Status.UNSCREENED)
    else:
        status_of = _statuses(status_rows, members)
    passed = {g: s for g, s in status_of.items() if s in (Status.INCLUDED, Status.MAYBE)}
    fulltext = None if fulltext_rows is None else _fulltext(fulltext_rows, passed)

    columns: dict[Column, FlowColumn] = {}
    included_groups: list[str] = []
    for column in Column:
        groups = [g for g in members if column_of[g] is column]
        columns[column], included = _flow_column(
            column, searches, groups, status_of=status_of, passed=passed, fulltext=fulltext
        )
        included_groups += included

    screening = _screening_state(columns, started=status_rows is not None)
    new_studies = new_reports = None
    if fulltext is None:
        fulltext_state = StageState.NOT_STARTED
    else:
        awaiting_ft = sum(c.awaiting_fulltext or 0 for c in columns.values())
        done = not awaiting_ft and screening in (StageState.COMPLETE, StageState.STOPPED)
        fulltext_state = StageState.COMPLETE if done else StageState.IN_PROGRESS
        studies = study_of or {}
        new_reports = len(included_groups)
        new_studies = len({studies.get(g, g) for g in included_groups})

    counts = PrismaCounts(
        dbr=columns[Column.DATABASES_REGISTERS],
        other=columns[Column.OTHER_METHODS],
        records_identified=sum(s.retrieved for s in searches.values()),
        records_in_table=len(record_origins),
        records_deduplicated=len(members),
        screening=screening,
        fulltext=fulltext_state,
        new_studies=new_studies,
        new_reports=new_reports,
        previous_studies=previous_studies,
        previous_reports=previous_reports,
        notes=tuple(notes),
    )
    check_counts(counts)
    return counts


def _hits_against_log(
    searches: Mapping[str, _Search], record_origins: Mapping[str, Sequence[str]]
) -> list[str]:
    """Hits per search in the record table vs. the search log: more is an error, fewer a note
    (the search returned a record twice and normalisation merged the rows)."""
    notes: list[str] = []
    table_hits: Counter[str] = Counter()
    for record_id, origin in record_origins.items():
        for search_id in origin:
            if search_id not in searches:
                raise CountsError(
                    f"record {record_id!r} comes from search {search_id!r}, which has no "
                    "complete entry in the search log; write the search log again"
                )
            table_hits[search_id] += 1
    for search in searches.values():
        in_table = table_hits[search.search_id]
        if in_table > search.retrieved:
            raise CountsError(
                f"search {search.search_id!r}: the search log says {search.retrieved} records "
                f"were retrieved but {in_table} records in the record table come from it; "
                "the search log is out of date with the record table"
            )
        if in_table < search.retrieved:
            notes.append(
                f"search {search.search_id!r}: {search.retrieved} records retrieved, "
                f"{in_table} distinct records: {search.retrieved - in_table} repeated within "
                "the search and were removed as duplicates"
            )
    return notes


def _columns_of(
    members: Mapping[str, Sequence[str]],
    searches: Mapping[str, _Search],
    record_origins: Mapping[str, Sequence[str]],
) -> dict[str, Column]:
    """Group -> its column: databases and registers when any member came from one."""
    column_of: dict[str, Column] = {}
    for group_id, recs in members.items():
        dbr = any(
            searches[search_id].column is Column.DATABASES_REGISTERS
            for record_id in recs
            for search_id in record_origins[record_id]
        )
        column_of[group_id] = Column.DATABASES_REGISTERS if dbr else Column.OTHER_METHODS
    return column_of


@dataclass
class _FullTextTally:
    """Full-text boxes of one column (all None while full text has not started)."""

    not_retrieved: int | None = None
    assessed: int | None = None
    included: int | None = None
    awaiting: int | None = None
    excluded_reasons: tuple[ReasonCount, ...] | None = None


def _fulltext_tally(
    passed: Sequence[str], fulltext: Mapping[str, _FullText] | None
) -> tuple[_FullTextTally, list[str]]:
    """The full-text boxes of a column's groups that passed screening, and the included ones."""
    if fulltext is None:
        return _FullTextTally(), []
    not_retrieved = assessed = awaiting = 0
    included: list[str] = []
    reasons: Counter[str] = Counter()
    for group_id in passed:
        ft = fulltext.get(group_id)
        if ft is None or not ft.retrieved:
            awaiting += 1
        elif ft.retrieved == "no":
            not_retrieved += 1
        elif ft.assessed != "yes":
            awaiting += 1
        else:
            assessed += 1
            if ft.decision == "included":
                included.append(group_id)
            else:
                reasons[ft.reason] += 1
    excluded_reasons = tuple(
        ReasonCount(reason, n)
        for reason, n in sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
    )
    tally = _FullTextTally(not_retrieved, assessed, len(included), awaiting, excluded_reasons)
    return tally, included


def _flow_column(
    column: Column,
    searches: Mapping[str, _Search],
    groups: Sequence[str],
    *,
    status_of: Mapping[str, Status],
    passed: Mapping[str, Status],
    fulltext: Mapping[str, _FullText] | None,
) -> tuple[FlowColumn, list[str]]:
    """One column of the diagram from its groups, and the groups included at full text."""
    identified: dict[tuple[str, str], int] = {}
    for search in searches.values():
        if search.column is column:
            key = (search.kind, search.name)
            identified[key] = identified.get(key, 0) + search.retrieved
    sources = tuple(SourceCount(name, kind, n) for (kind, name), n in identified.items())
    tally = Counter(status_of[g] for g in groups)
    col_passed = [g for g in groups if g in passed]
    removed = tally[Status.INELIGIBLE_AUTOMATION]
    ft, included = _fulltext_tally(col_passed, fulltext)
    flow = FlowColumn(
        column=column,
        identified=sources,
        duplicates=sum(identified.values()) - len(groups),
        excluded_automatic=removed,
        excluded_other=0,
        screened=len(groups) - removed,
        excluded_human=tally[Status.EXCLUDED],
        excluded_automation=tally[Status.EXCLUDED_AUTOMATION],
        unscreened=tally[Status.UNSCREENED],
        in_conflict=tally[Status.CONFLICT],
        sought=len(col_passed),
        not_retrieved=ft.not_retrieved,
        assessed=ft.assessed,
        excluded_reasons=ft.excluded_reasons,
        included_reports=ft.included,
        awaiting_fulltext=ft.awaiting,
    )
    return flow, included


def _screening_state(columns: Mapping[Column, FlowColumn], *, started: bool) -> StageState:
    """Where title/abstract screening stands (not started until anyone has decided)."""
    awaiting_screening = sum(c.awaiting_screening for c in columns.values())
    decided = sum(c.excluded_screening + c.sought for c in columns.values())
    stopped = any(c.excluded_automation for c in columns.values())
    if not started or (awaiting_screening and not decided):
        return StageState.NOT_STARTED
    if awaiting_screening:
        return StageState.IN_PROGRESS
    return StageState.STOPPED if stopped else StageState.COMPLETE
