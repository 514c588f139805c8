"""Merged records: one row per group, each field from its best member, with provenance.

The best value of a field is chosen by a rule per field (the longest abstract, the most
complete author list, a title that is not all capitals, the identifier most members agree on)
and, between equals, by source: curated bibliographic databases before aggregators before
files. ``provenance`` names the record each field came from; list fields (publication types,
keywords, MeSH terms, ``origin``) are the union over members.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from realist_review.records import LIST_COLUMNS, Record, Source, record_to_row

#: Preference between sources when members tie (lower is better).
SOURCE_RANK: dict[Source, int] = {
    Source.PUBMED: 0,
    Source.EUROPEPMC: 1,
    Source.CROSSREF: 2,
    Source.OPENALEX: 3,
    Source.NBIB: 4,
    Source.WOS: 5,
    Source.RIS: 6,
    Source.ENDNOTE_XML: 7,
    Source.BIBTEX: 8,
    Source.CSV: 9,
    Source.ZOTERO: 10,
}
#: Fields copied from the group's own record (the one whose id the group takes).
IDENTITY_FIELDS = ("record_id", "source", "source_id")

Key = Callable[[Record], tuple[Any, ...]]


def _rank(record: Record) -> int:
    return SOURCE_RANK.get(record.source, 99)


def _title_key(record: Record) -> tuple[Any, ...]:
    title = record.title
    shouting = bool(title) and title.upper() == title
    return (not shouting, len(title), -_rank(record))


def _authors_key(record: Record) -> tuple[Any, ...]:
    return (len(record.authors), sum(len(a) for a in record.authors), -_rank(record))


def _long_key(field: str) -> Key:
    return lambda record: (len(getattr(record, field)), -_rank(record))


def _rank_key(record: Record) -> tuple[Any, ...]:
    return (-_rank(record),)


_CHOOSERS: dict[str, Key] = {
    "title": _title_key,
    "abstract": _long_key("abstract"),
    "authors": _authors_key,
    "journal": _long_key("journal"),
}
_VOTED = ("doi", "pmid", "pmcid", "year", "issn", "isbn")


def _pick(members: Sequence[Record], field: str) -> Record | None:
    filled = [m for m in members if getattr(m, field) not in ("", None, ())]
    if not filled:
        return None
    if field in _VOTED:
        votes = Counter(getattr(m, field) for m in filled)
        return max(filled, key=lambda m: (votes[getattr(m, field)], -_rank(m), m.record_id == ""))
    key = _CHOOSERS.get(field, _rank_key)
    # stable: among equal keys, the member listed first (smallest record_id) wins
    best = filled[0]
    for member in filled[1:]:
        if key(member) > key(best):
            best = member
    return best


def merge_group(members: Sequence[Record], group_id: str) -> tuple[Record, dict[str, str]]:
    """The merged record of one group and its provenance (field -> record_id).

    ``members`` must be sorted by ``record_id``; the merged record's id is ``group_id``.
    """
    by_id = {m.record_id: m for m in members}
    own = by_id[group_id]
    updates: dict[str, Any] = {}
    provenance: dict[str, str] = {}
    for field in Record.__dataclass_fields__:
        if field in IDENTITY_FIELDS:
            continue
        if field in LIST_COLUMNS and field != "authors":
            union: dict[str, None] = {}
            for member in members:
                union.update(dict.fromkeys(getattr(member, field)))
            updates[field] = tuple(union)
            continue
        chosen = _pick(members, field)
        if chosen is None:
            continue
        updates[field] = getattr(chosen, field)
        provenance[field] = chosen.record_id
    return replace(own, **updates), provenance


def merged_row(members: Sequence[Record], group_id: str, study_id: str) -> dict[str, str]:
    """The ``merged_record`` table row of one group."""
    record, provenance = merge_group(members, group_id)
    row = record_to_row(record)
    row["members"] = "; ".join(m.record_id for m in members)
    row["study_id"] = study_id
    row["provenance"] = json.dumps(provenance, sort_keys=True, separators=(",", ":"))
    return row
