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
from dataclasses import dataclass, field
from enum import StrEnum

from realist_review.errors import InputError
from realist_review.records import PrismaGroup
from realist_review.screen.settings import Status

__all__ = [
    "Column",
    "CountsError",
    "FlowColumn",
    "OtherMethod",
    "PrismaCounts",
    "ReasonCount",
    "SourceCount",
    "StageState",
    "Status",
    "check_counts",
    "derive_counts",
    "origins_from_records",
]


class CountsError(InputError):
    """The pipeline's tables do not reconcile; the message names the numbers that disagree."""


class StageState(StrEnum):
    """Where a stage of the flow stands."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    STOPPED = "stopped"  # screening ended under the stopping rule
    COMPLETE = "complete"


class Column(StrEnum):
    """The two identification columns of the PRISMA 2020 diagram."""

    DATABASES_REGISTERS = "databases_registers"
    OTHER_METHODS = "other_methods"


class OtherMethod(StrEnum):
    """How a record was found outside databases and registers (search log ``other_method``)."""

    WEBSITES = "websites"
    ORGANISATIONS = "organisations"
    CITATION_SEARCHING = "citation_searching"
    OTHER = "other"


#: A source's kind: ``databases`` / ``registers`` or an :class:`OtherMethod` value.
SOURCE_KINDS: tuple[str, ...] = (
    PrismaGroup.DATABASES.value,
    PrismaGroup.REGISTERS.value,
    *(m.value for m in OtherMethod),
)


@dataclass(frozen=True)
class SourceCount:
    """Hits identified from one named source (the search log's ``database``)."""

    name: str
    kind: str  # one of SOURCE_KINDS
    n: int


@dataclass(frozen=True)
class ReasonCount:
    """Reports excluded at full text for one reason."""

    reason: str
    n: int


@dataclass(frozen=True)
class FlowColumn:
    """The counts of one column of the diagram (databases and registers, or other methods).

    Full-text fields are ``None`` while full text has not started.
    """

    column: Column
    identified: tuple[SourceCount, ...]
    duplicates: int
    excluded_automatic: int
    excluded_other: int
    screened: int
    excluded_human: int
    excluded_automation: int
    unscreened: int
    in_conflict: int
    sought: int
    not_retrieved: int | None = None
    assessed: int | None = None
    excluded_reasons: tuple[ReasonCount, ...] | None = None
    included_reports: int | None = None
    awaiting_fulltext: int | None = None

    @property
    def identified_total(self) -> int:
        """All hits identified in this column."""
        return sum(s.n for s in self.identified)

    def identified_of(self, *kinds: str) -> int:
        """Hits from sources of the given kinds."""
        return sum(s.n for s in self.identified if s.kind in kinds)

    def sources_of(self, *kinds: str) -> tuple[SourceCount, ...]:
        """The sources of the given kinds, in search-log order."""
        return tuple(s for s in self.identified if s.kind in kinds)

    @property
    def removed_before_screening(self) -> int:
        """Duplicates + marked ineligible by automation + removed for other reasons."""
        return self.duplicates + self.excluded_automatic + self.excluded_other

    @property
    def awaiting_screening(self) -> int:
        """Records not yet decided at title/abstract (unscreened or in conflict)."""
        return self.unscreened + self.in_conflict

    @property
    def excluded_screening(self) -> int:
        """Records excluded at title/abstract, by people and by automation."""
        return self.excluded_human + self.excluded_automation

    @property
    def excluded_reports(self) -> int | None:
        """Reports excluded at full text (all reasons), or None while pending."""
        if self.excluded_reasons is None:
            return None
        return sum(r.n for r in self.excluded_reasons)

    @property
    def groups(self) -> int:
        """Deduplicated records in this column."""
        return self.screened + self.excluded_automatic + self.excluded_other

    @property
    def is_empty(self) -> bool:
        """True when no search feeds this column."""
        return not self.identified


@dataclass(frozen=True)
class PrismaCounts:
    """Every count of the PRISMA 2020 flow diagram, with the template's field names.

    The two columns hold the flow; the properties give the PRISMA2020 template's fields
    (``database_results`` ... ``total_reports``) verbatim, the databases-and-registers column
    under the template's own names and the other-methods column under ``other_*``.
    """

    dbr: FlowColumn
    other: FlowColumn
    records_identified: int  # hits: sum of records_retrieved over complete searches
    records_in_table: int  # rows of the record table
    records_deduplicated: int  # dedup groups
    screening: StageState
    fulltext: StageState
    new_studies: int | None = None
    new_reports: int | None = None
    previous_studies: int = 0
    previous_reports: int = 0
    notes: tuple[str, ...] = field(default=())

    # ---- identification (template names) -------------------------------------------------
    @property
    def database_results(self) -> int:
        """Records identified from databases."""
        return self.dbr.identified_of(PrismaGroup.DATABASES)

    @property
    def database_specific_results(self) -> tuple[SourceCount, ...]:
        """Records identified from each database."""
        return self.dbr.sources_of(PrismaGroup.DATABASES)

    @property
    def register_results(self) -> int:
        """Records identified from registers."""
        return self.dbr.identified_of(PrismaGroup.REGISTERS)

    @property
    def register_specific_results(self) -> tuple[SourceCount, ...]:
        """Records identified from each register."""
        return self.dbr.sources_of(PrismaGroup.REGISTERS)

    @property
    def website_results(self) -> int:
        """Records identified from websites."""
        return self.other.identified_of(OtherMethod.WEBSITES)

    @property
    def organisation_results(self) -> int:
        """Records identified from organisations."""
        return self.other.identified_of(OtherMethod.ORGANISATIONS)

    @property
    def citations_results(self) -> int:
        """Records identified by citation searching."""
        return self.other.identified_of(OtherMethod.CITATION_SEARCHING)

    @property
    def other_results(self) -> int:
        """Records identified by other methods not named by the template (e.g. hand-searching
        collected in Zotero). Not a template field."""
        return self.other.identified_of(OtherMethod.OTHER)

    # ---- databases and registers column ---------------------------------------------------
    @property
    def duplicates(self) -> int:
        """Duplicate records removed (databases and registers)."""
        return self.dbr.duplicates

    @property
    def excluded_automatic(self) -> int:
        """Records marked as ineligible by automation tools (databases and registers)."""
        return self.dbr.excluded_automatic

    @property
    def excluded_other(self) -> int:
        """Records removed for other reasons (databases and registers)."""
        return self.dbr.excluded_other

    @property
    def records_screened(self) -> int:
        """Records screened (databases and registers)."""
        return self.dbr.screened

    @property
    def records_excluded(self) -> int:
        """Records excluded by people at title/abstract (databases and registers)."""
        return self.dbr.excluded_human

    @property
    def records_excluded_automation(self) -> int:
        """Records excluded by automation tools: left unscreened when screening stopped under
        the stopping rule (databases and registers). Not a template field."""
        return self.dbr.excluded_automation

    @property
    def dbr_sought_reports(self) -> int:
        """Reports sought for retrieval (databases and registers)."""
        return self.dbr.sought

    @property
    def dbr_notretrieved_reports(self) -> int | None:
        """Reports not retrieved (databases and registers)."""
        return self.dbr.not_retrieved

    @property
    def dbr_assessed(self) -> int | None:
        """Reports assessed for eligibility (databases and registers)."""
        return self.dbr.assessed

    @property
    def dbr_excluded(self) -> tuple[ReasonCount, ...] | None:
        """Reports excluded, with each reason (databases and registers)."""
        return self.dbr.excluded_reasons

    # ---- other methods column -------------------------------------------------------------
    @property
    def other_sought_reports(self) -> int:
        """Reports sought for retrieval (other methods)."""
        return self.other.sought

    @property
    def other_notretrieved_reports(self) -> int | None:
        """Reports not retrieved (other methods)."""
        return self.other.not_retrieved

    @property
    def other_assessed(self) -> int | None:
        """Reports assessed for eligibility (other methods)."""
        return self.other.assessed

    @property
    def other_excluded(self) -> tuple[ReasonCount, ...] | None:
        """Reports excluded, with each reason (other methods)."""
        return self.other.excluded_reasons

    # ---- included ---------------------------------------------------------------------------
    @property
    def total_studies(self) -> int | None:
        """Studies included in the review, with those of a previous version."""
        return None if self.new_studies is None else self.new_studies + self.previous_studies

    @property
    def total_reports(self) -> int | None:
        """Reports of the included studies, with those of a previous version."""
        return None if self.new_reports is None else self.new_reports + self.previous_reports

    # ---- state ------------------------------------------------------------------------------
    @property
    def has_registers(self) -> bool:
        """True when at least one register was searched."""
        return bool(self.register_specific_results)

    @property
    def has_other_methods(self) -> bool:
        """True when at least one search is an other-methods search."""
        return not self.other.is_empty

    @property
    def screening_in_progress(self) -> bool:
        """True while records still wait for a title/abstract decision."""
        return self.screening in (StageState.NOT_STARTED, StageState.IN_PROGRESS)

    @property
    def duplicates_total(self) -> int:
        """All duplicates removed: hits - deduplicated records."""
        return self.dbr.duplicates + self.other.duplicates


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
    notes: list[str] = []

    # hits per search in the record table vs. the search log
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

    group_of = _group_of(groups_rows, record_origins)
    members: dict[str, list[str]] = {}
    for record_id, group_id in group_of.items():
        members.setdefault(group_id, []).append(record_id)
    column_of: dict[str, Column] = {}
    for group_id, recs in members.items():
        dbr = any(
            searches[search_id].column is Column.DATABASES_REGISTERS
            for record_id in recs
            for search_id in record_origins[record_id]
        )
        column_of[group_id] = Column.DATABASES_REGISTERS if dbr else Column.OTHER_METHODS

    if status_rows is None:
        status_of = dict.fromkeys(members, Status.UNSCREENED)
    else:
        status_of = _statuses(status_rows, members)
    passed = {g: s for g, s in status_of.items() if s in (Status.INCLUDED, Status.MAYBE)}
    fulltext = None if fulltext_rows is None else _fulltext(fulltext_rows, passed)

    columns: dict[Column, FlowColumn] = {}
    included_groups: list[str] = []
    for column in Column:
        identified: dict[tuple[str, str], int] = {}
        for search in searches.values():
            if search.column is column:
                key = (search.kind, search.name)
                identified[key] = identified.get(key, 0) + search.retrieved
        sources = tuple(SourceCount(name, kind, n) for (kind, name), n in identified.items())
        groups = [g for g in members if column_of[g] is column]
        tally = Counter(status_of[g] for g in groups)
        col_passed = [g for g in groups if g in passed]
        hits = sum(identified.values())
        removed = tally[Status.INELIGIBLE_AUTOMATION]
        not_retrieved: int | None = None
        assessed: int | None = None
        included: int | None = None
        awaiting: int | None = None
        excluded_reasons: tuple[ReasonCount, ...] | None = None
        if fulltext is not None:
            not_retrieved = assessed = included = awaiting = 0
            reasons: Counter[str] = Counter()
            for group_id in col_passed:
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
                        included += 1
                        included_groups.append(group_id)
                    else:
                        reasons[ft.reason] += 1
            excluded_reasons = tuple(
                ReasonCount(reason, n)
                for reason, n in sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
            )
        columns[column] = FlowColumn(
            column=column,
            identified=sources,
            duplicates=hits - len(groups),
            excluded_automatic=removed,
            excluded_other=0,
            screened=len(groups) - removed,
            excluded_human=tally[Status.EXCLUDED],
            excluded_automation=tally[Status.EXCLUDED_AUTOMATION],
            unscreened=tally[Status.UNSCREENED],
            in_conflict=tally[Status.CONFLICT],
            sought=len(col_passed),
            not_retrieved=not_retrieved,
            assessed=assessed,
            excluded_reasons=excluded_reasons,
            included_reports=included,
            awaiting_fulltext=awaiting,
        )

    awaiting_screening = sum(c.awaiting_screening for c in columns.values())
    decided = sum(c.excluded_screening + c.sought for c in columns.values())
    stopped = any(c.excluded_automation for c in columns.values())
    if status_rows is None or (awaiting_screening and not decided):
        screening = StageState.NOT_STARTED
    elif awaiting_screening:
        screening = StageState.IN_PROGRESS
    else:
        screening = StageState.STOPPED if stopped else StageState.COMPLETE

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


# --------------------------------------------------------------------------------------------
# Conservation equations
# --------------------------------------------------------------------------------------------
_COLUMN_NAMES = {
    Column.DATABASES_REGISTERS: "databases and registers",
    Column.OTHER_METHODS: "other methods",
}


def _equation(
    problems: list[str], where: str, left: tuple[str, int], *right: tuple[str, int]
) -> None:
    total = sum(n for _, n in right)
    if left[1] != total:
        terms = " + ".join(f"{name} ({n})" for name, n in right)
        problems.append(f"{where}: {left[0]} ({left[1]}) != {terms} = {total}")


def check_counts(counts: PrismaCounts) -> None:
    """Check every conservation equation of the flow; raise :class:`CountsError` naming the
    numbers of each equation that does not hold."""
    problems: list[str] = []
    for col in (counts.dbr, counts.other):
        where = f"{_COLUMN_NAMES[col.column]} column"
        negative = [
            name
            for name in (
                "duplicates",
                "excluded_automatic",
                "excluded_other",
                "screened",
                "excluded_human",
                "excluded_automation",
                "unscreened",
                "in_conflict",
                "sought",
                "not_retrieved",
                "assessed",
                "included_reports",
                "awaiting_fulltext",
            )
            if (getattr(col, name) or 0) < 0
        ]
        negative += [f"source {s.name!r}" for s in col.identified if s.n < 0]
        negative += [f"reason {r.reason!r}" for r in col.excluded_reasons or () if r.n < 0]
        if negative:
            problems.append(f"{where}: negative count(s): {', '.join(negative)}")
        unknown = sorted({s.kind for s in col.identified} - set(SOURCE_KINDS))
        if unknown:
            problems.append(f"{where}: unknown source kind(s) {', '.join(unknown)}")
        _equation(
            problems,
            where,
            ("records identified", col.identified_total),
            ("duplicates", col.duplicates),
            ("marked ineligible by automation", col.excluded_automatic),
            ("removed for other reasons", col.excluded_other),
            ("screened", col.screened),
        )
        _equation(
            problems,
            where,
            ("records screened", col.screened),
            ("excluded by people", col.excluded_human),
            ("excluded by automation", col.excluded_automation),
            ("sought for retrieval", col.sought),
            ("unscreened", col.unscreened),
            ("in conflict", col.in_conflict),
        )
        fulltext = (col.not_retrieved, col.assessed, col.excluded_reasons, col.included_reports)
        if any(v is None for v in fulltext) and any(v is not None for v in fulltext):
            problems.append(f"{where}: full-text counts are partly missing")
        elif col.not_retrieved is not None and col.assessed is not None:
            _equation(
                problems,
                where,
                ("reports sought", col.sought),
                ("not retrieved", col.not_retrieved),
                ("assessed", col.assessed),
                ("awaiting retrieval or assessment", col.awaiting_fulltext or 0),
            )
            _equation(
                problems,
                where,
                ("reports assessed", col.assessed),
                *((f"excluded: {r.reason}", r.n) for r in col.excluded_reasons or ()),
                ("included", col.included_reports or 0),
            )
    where = "whole flow"
    _equation(
        problems,
        where,
        ("records identified in the search log", counts.records_identified),
        ("databases and registers", counts.dbr.identified_total),
        ("other methods", counts.other.identified_total),
    )
    _equation(
        problems,
        where,
        ("deduplicated records", counts.records_deduplicated),
        ("databases and registers", counts.dbr.groups),
        ("other methods", counts.other.groups),
    )
    _equation(
        problems,
        where,
        ("records identified", counts.records_identified),
        ("duplicates", counts.duplicates_total),
        ("deduplicated records", counts.records_deduplicated),
    )
    if counts.records_in_table > counts.records_identified:
        problems.append(
            f"{where}: the record table has {counts.records_in_table} records, more than the "
            f"{counts.records_identified} the search log says were retrieved"
        )
    if counts.records_deduplicated > counts.records_in_table:
        problems.append(
            f"{where}: {counts.records_deduplicated} deduplicated records from only "
            f"{counts.records_in_table} records"
        )
    if counts.new_reports is not None:
        _equation(
            problems,
            where,
            ("new reports", counts.new_reports),
            ("included (databases and registers)", counts.dbr.included_reports or 0),
            ("included (other methods)", counts.other.included_reports or 0),
        )
        if counts.new_studies is None or not 0 <= counts.new_studies <= counts.new_reports:
            problems.append(
                f"{where}: new studies ({counts.new_studies}) must be between 0 and the "
                f"number of new reports ({counts.new_reports})"
            )
        if counts.new_studies == 0 and counts.new_reports:
            problems.append(f"{where}: {counts.new_reports} new reports but no new study")
    elif counts.new_studies is not None:
        problems.append(f"{where}: new studies ({counts.new_studies}) without new reports")
    if counts.previous_studies < 0 or counts.previous_reports < 0:
        problems.append(f"{where}: previous studies/reports cannot be negative")
    if problems:
        raise CountsError("PRISMA counts do not add up:\n  " + "\n  ".join(problems))
