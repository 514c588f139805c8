"""The deduplicated record table as screening reads it.

``results/dedup/records.csv`` (schema ``merged_record``: one row per group, ``record_id`` = the
group id, ``members`` = the member record ids). :class:`RecordIndex` lets a decision made under
a member's id follow the record into its group when a later deduplication run merges it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from realist_review.records import split_list
from realist_review.screen.sheets import SheetRecord, record_link
from realist_review.tables import escape_formula, read_table


@dataclass(frozen=True)
class ScreenRecord:
    """What screening needs of a deduplicated record."""

    record_id: str
    title: str = ""
    abstract: str = ""
    year: str = ""
    journal: str = ""
    doi: str = ""
    url: str = ""
    language: str = ""
    publication_type: tuple[str, ...] = ()
    members: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """Title and abstract, as the ranking model reads them."""
        return f"{self.title}\n{self.abstract}".strip()

    def sheet_record(self, context: str = "") -> SheetRecord:
        """The row a sheet shows for this record."""
        return SheetRecord(
            record_id=self.record_id,
            title=self.title,
            abstract=self.abstract,
            year=self.year,
            journal=self.journal,
            link=record_link(self.doi, self.url),
            context=context,
        )


SCREEN_COLUMNS = (
    "record_id", "title", "abstract", "year", "journal", "doi", "url", "language",
    "publication_type", "members",
)  # fmt: skip


def load_records(path: Path) -> list[ScreenRecord]:
    """Read the deduplicated record table (schema ``merged_record``), sorted by ``record_id``.

    Its ``members`` column lets a decision made under a member's id follow the record into
    its group.
    """
    rows = read_table(Path(path), "merged_record", columns=SCREEN_COLUMNS)
    out = [
        ScreenRecord(
            record_id=row["record_id"],
            title=row["title"],
            abstract=row["abstract"],
            year=row["year"],
            journal=row["journal"],
            doi=row["doi"],
            url=row["url"],
            language=row["language"],
            publication_type=split_list(row["publication_type"]),
            members=split_list(row["members"]),
        )
        for row in rows
    ]
    return sorted(out, key=lambda r: r.record_id)


def record_index(records: Sequence[ScreenRecord]) -> RecordIndex:
    """Titles by id, and member ids pointing at their group's id."""
    titles = {r.record_id: r.title for r in records}
    aliases = {m: r.record_id for r in records for m in r.members if m not in titles}
    shown = {r.record_id: _shown_texts(r) for r in records}
    return RecordIndex(titles=titles, aliases=aliases, shown=shown)


def _shown_texts(record: ScreenRecord) -> frozenset[str]:
    """What a sheet shows of a record (whitespace collapsed): a copy of it is not typed text."""
    sheet = record.sheet_record()
    texts = (sheet.title, sheet.abstract, sheet.year, sheet.journal, sheet.link)
    return frozenset(_squash(escape_formula(t)) for t in texts if t) | frozenset(
        _squash(t) for t in texts if t
    )


def _squash(text: str) -> str:
    return " ".join(str(text).split())


@dataclass(frozen=True)
class RecordIndex:
    """What validation needs to know about the review's records."""

    titles: Mapping[str, str]
    aliases: Mapping[str, str] = field(default_factory=dict)
    #: Texts a sheet shows of each record (title, abstract, year, journal, link).
    shown: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def is_shown(self, record_id: str, text: str) -> bool:
        """True when ``text`` is what a sheet shows of the record (a copied or renamed
        display column), not something a reviewer typed."""
        group = self.current_id(record_id) or record_id
        return _squash(text) in self.shown.get(group, frozenset())

    def current_id(self, record_id: str) -> str | None:
        """The deduplicated id a sheet's id stands for (itself, or its group), else None."""
        if record_id in self.titles:
            return record_id
        return self.aliases.get(record_id)
