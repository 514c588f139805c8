"""Europe PMC REST search (``resultType=core``, JSON, cursorMark paging).

Limits go into the query: ``PUB_YEAR:[a TO b]`` and ``LANG:"eng"``; ``filters`` from the config
are added as ``KEY:value`` clauses (e.g. ``SRC: MED``, ``OPEN_ACCESS: y``). The search ends at
either of Europe PMC's end-of-results signs: no ``nextCursorMark``, or the same cursor back
(with an empty result list).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from realist_review.clients.common import (
    as_list,
    endpoint,
    json_validator,
    limit_language,
    new_manifest,
    normalize_language,
    parse_json_pages,
    person,
    with_authors,
)
from realist_review.clients.markup import flatten_markup
from realist_review.clients.paging import CursorApi, Page
from realist_review.config import Limits, SearchSpec
from realist_review.raw import Manifest
from realist_review.records import Record, Source, make_record

log = logging.getLogger(__name__)

SOURCE = Source.EUROPEPMC
PATH = "search"


def build_query(query: str, limits: Limits, filters: Mapping[str, Any]) -> tuple[str, list[str]]:
    """The query as sent (limits and filters added) and the limits it applies."""
    clauses = [f"({query.strip()})"]
    applied: list[str] = []
    if limits.year_from is not None or limits.year_to is not None:
        low = limits.year_from if limits.year_from is not None else 1000
        high = limits.year_to if limits.year_to is not None else 3000
        clauses.append(f"(PUB_YEAR:[{low} TO {high}])")
        applied.append("years")
    if limits.languages:
        codes = [limit_language(code)[1] for code in limits.languages]
        clauses.append("(" + " OR ".join(f'LANG:"{code}"' for code in codes) + ")")
        applied.append("languages")
    for key, value in sorted(filters.items()):
        clauses.append(f"({key}:{_value(value)})")
    return " AND ".join(clauses), applied


def _value(value: object) -> str:
    text = str(value).lower() if isinstance(value, bool) else str(value)
    return f'"{text}"' if " " in text else text


def plan(spec: SearchSpec, limits: Limits, settings: Mapping[str, Any]) -> Manifest:
    """The manifest of a Europe PMC search that has not started yet."""
    query_as_run, applied = build_query(spec.query, limits, spec.filters)
    return new_manifest(
        spec,
        limits,
        source=str(SOURCE),
        applied=applied,
        endpoint=endpoint(settings, str(SOURCE), PATH),
        query_as_run=query_as_run,
        parameters={"query": query_as_run, "resultType": "core", "format": "json"},
    )


def _results(data: Any) -> list[Any]:
    return data.get("resultList", {}).get("result", []) or []


def _read(data: Any) -> Page:
    return Page(
        records=len(_results(data)),
        total=int(data["hitCount"]) if data.get("hitCount") is not None else None,
        next_cursor=data.get("nextCursorMark"),
    )


API = CursorApi(
    source=str(SOURCE),
    cursor_param="cursorMark",
    size_param="pageSize",
    read=_read,
    validate=json_validator("hitCount"),
    same_cursor_ends=True,
    email_param="email",
    page_size=lambda settings: int(settings[str(SOURCE)].get("page_size", 1000)),
)


#: Fetch every page not yet stored (resuming from the saved cursor), then finish.
fetch = API.fetch


def parse(pages: Sequence[Path], *, search_id: str) -> list[Record]:
    """Records from saved Europe PMC JSON pages (``resultType=core``)."""
    return parse_json_pages(
        pages, search_id=search_id, source=str(SOURCE), items=_results, parse_item=parse_result
    )


def parse_result(item: Mapping[str, Any], *, search_id: str) -> Record | None:
    """One Europe PMC ``result`` object as a record (None when it has no id)."""
    ident, src = str(item.get("id") or ""), str(item.get("source") or "")
    if not ident or not src:
        log.warning("%s: a Europe PMC result without id/source was skipped", search_id)
        return None
    journal_info = item.get("journalInfo") or {}
    journal = journal_info.get("journal") or {}
    book = item.get("bookOrReportDetails") or {}
    authors: list[tuple[str, bool]] = []
    for author in as_list((item.get("authorList") or {}).get("author")):
        if author.get("collectiveName"):
            authors.append((author["collectiveName"], False))
        elif author.get("lastName"):
            given = author.get("firstName") or author.get("initials") or ""
            authors.append((person(author["lastName"], given), True))
        elif author.get("fullName"):
            authors.append((author["fullName"], True))
    if not authors and item.get("authorString"):
        authors = [(name, True) for name in str(item["authorString"]).rstrip(".").split(", ")]
    mesh = [
        heading.get("descriptorName")
        for heading in as_list((item.get("meshHeadingList") or {}).get("meshHeading"))
    ]
    record = make_record(
        source=SOURCE,
        source_id=f"{src}:{ident}",
        search_id=search_id,
        pmid=item.get("pmid") or "",
        pmcid=item.get("pmcid") or "",
        doi=item.get("doi") or "",
        title=flatten_markup(item.get("title") or book.get("title") or ""),
        abstract=flatten_markup(item.get("abstractText") or ""),
        journal=journal.get("title") or journal.get("medlineAbbreviation") or "",
        volume=journal_info.get("volume") or "",
        issue=journal_info.get("issue") or "",
        pages=item.get("pageInfo") or "",
        year=item.get("pubYear") or journal_info.get("yearOfPublication"),
        language=normalize_language(as_list(item.get("language"))),
        publication_type=as_list((item.get("pubTypeList") or {}).get("pubType")),
        keywords=as_list((item.get("keywordList") or {}).get("keyword")),
        mesh_terms=[m for m in mesh if m],
        issn=journal.get("issn") or journal.get("essn") or "",
        isbn=book.get("isbn13") or book.get("isbn10") or "",
        publisher=book.get("publisher") or "",
        url=f"https://europepmc.org/article/{src}/{ident}",
    )
    return with_authors(record, authors)
