"""Crossref ``/works`` (``cursor=*`` / ``next-cursor`` paging, ``rows``, ``mailto``).

The configured query is sent as ``query=``; a query written ``query.<field>=<text>`` (e.g.
``query.bibliographic=...``) uses that field query instead. Year limits become
``filter=from-pub-date:,until-pub-date:``; ``filters`` from the config are added to ``filter=``.
Crossref has no language filter: a language limit is logged as applied later, never dropped
silently. Crossref repeats its scroll id on every page, so only an empty page ends a search.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from realist_review.clients.common import (
    as_list,
    endpoint,
    first,
    json_validator,
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
from realist_review.records import Record, Source, make_record, normalize_doi

log = logging.getLogger(__name__)

SOURCE = Source.CROSSREF
PATH = "works"
_FIELD_QUERY = re.compile(r"^(query(?:\.[a-z-]+)?)=(.*)$", re.DOTALL)


def build_params(
    query: str, limits: Limits, filters: Mapping[str, Any]
) -> tuple[dict[str, str], list[str]]:
    """The request parameters that define the result set, and the limits they apply."""
    text = query.strip()
    match = _FIELD_QUERY.match(text)
    params = {match.group(1): match.group(2).strip()} if match else {"query": text}
    parts = [
        f"{key}:{str(value).lower() if isinstance(value, bool) else value}"
        for key, value in sorted(filters.items())
    ]
    applied: list[str] = []
    if limits.year_from is not None:
        parts.append(f"from-pub-date:{limits.year_from}-01-01")
    if limits.year_to is not None:
        parts.append(f"until-pub-date:{limits.year_to}-12-31")
    if limits.year_from is not None or limits.year_to is not None:
        applied.append("years")
    if parts:
        params["filter"] = ",".join(parts)
    return params, applied


def plan(spec: SearchSpec, limits: Limits, settings: Mapping[str, Any]) -> Manifest:
    """The manifest of a Crossref search that has not started yet."""
    params, applied = build_params(spec.query, limits, spec.filters)
    return new_manifest(
        spec,
        limits,
        source=str(SOURCE),
        applied=applied,
        endpoint=endpoint(settings, str(SOURCE), PATH),
        query_as_run="&".join(f"{key}={value}" for key, value in params.items()),
        parameters=params,
    )


def _read(data: Any) -> Page:
    message = data.get("message") or {}
    total = message.get("total-results")
    return Page(
        records=len(message.get("items") or []),
        total=int(total) if total is not None else None,
        next_cursor=message.get("next-cursor"),
    )


API = CursorApi(
    source=str(SOURCE),
    cursor_param="cursor",
    size_param="rows",
    read=_read,
    validate=json_validator("message"),
    same_cursor_ends=False,
    email_param="mailto",
    page_size=lambda settings: int(settings[str(SOURCE)].get("rows", 1000)),
)


#: Fetch every page not yet stored (resuming from the saved cursor), then finish.
fetch = API.fetch


def parse(pages: Sequence[Path], *, search_id: str) -> list[Record]:
    """Records from saved Crossref ``work-list`` pages."""
    return parse_json_pages(
        pages, search_id=search_id, source=str(SOURCE), items=_items, parse_item=parse_item
    )


def _items(data: Any) -> list[Any]:
    message = data.get("message") or {}
    items = message.get("items") if "items" in message else None
    if items is None and message.get("DOI"):  # a single-work response
        items = [message]
    return items or []


def _year(item: Mapping[str, Any]) -> int | None:
    for key in ("issued", "published", "published-print", "published-online", "created"):
        parts = (item.get(key) or {}).get("date-parts") or []
        if parts and parts[0] and parts[0][0]:
            return int(parts[0][0])
    return None


def parse_item(item: Mapping[str, Any], *, search_id: str) -> Record | None:
    """One Crossref work as a record (``source_id`` = its DOI; None without a DOI)."""
    doi = normalize_doi(item.get("DOI"))
    if not doi:
        log.warning("%s: a Crossref item without a DOI was skipped", search_id)
        return None
    authors: list[tuple[str, bool]] = []
    for author in as_list(item.get("author")):
        if author.get("family"):
            authors.append((person(author["family"], author.get("given", "")), True))
        elif author.get("name"):
            authors.append((author["name"], False))
    title = first(item.get("title"))
    subtitle = first(item.get("subtitle"))
    if subtitle and subtitle.lower() not in title.lower():
        title = f"{title}: {subtitle}"
    record = make_record(
        source=SOURCE,
        source_id=doi,
        search_id=search_id,
        doi=doi,
        title=flatten_markup(title),
        abstract=flatten_markup(item.get("abstract") or ""),
        journal=first(item.get("container-title")),
        volume=item.get("volume") or "",
        issue=item.get("issue") or "",
        pages=item.get("page") or "",
        year=_year(item),
        language=normalize_language(as_list(item.get("language"))),
        publication_type=as_list(item.get("type")),
        keywords=as_list(item.get("subject")),
        issn=first(item.get("ISSN")),
        isbn=first(item.get("ISBN")),
        publisher=item.get("publisher") or "",
        url=item.get("URL") or f"https://doi.org/{doi}",
    )
    return with_authors(record, authors)
