"""PRISMA 2020 counts: the figures of the flow diagram, named after the PRISMA2020 R package's
template fields (``database_results``, ``duplicates``, ``records_screened``, ``dbr_excluded``,
...), and their conservation equations (:func:`check_counts`; a mismatch raises
:class:`CountsError` naming the numbers that disagree).

How the counts are derived from the pipeline's tables is in :mod:`realist_review.prisma.derive`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from realist_review.errors import InputError
from realist_review.records import PrismaGroup

__all__ = [
    "Column",
    "CountsError",
    "FlowColumn",
    "OtherMethod",
    "PrismaCounts",
    "ReasonCount",
    "SourceCount",
    "StageState",
    "check_counts",
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
    problems = [*_column_problems(counts.dbr), *_column_problems(counts.other)]
    problems += _flow_problems(counts)
    if problems:
        raise CountsError("PRISMA counts do not add up:\n  " + "\n  ".join(problems))


def _column_problems(col: FlowColumn) -> list[str]:
    """What does not add up within one column of the flow."""
    problems: list[str] = []
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
    return problems


def _flow_problems(counts: PrismaCounts) -> list[str]:
    """What does not add up across the columns (identification, deduplication, inclusion)."""
    problems: list[str] = []
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
    return problems
