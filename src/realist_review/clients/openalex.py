"""OpenAlex ``/works`` (cursor paging, ``per_page`` <= 100, API key and ``mailto``).

The configured query is sent as ``search=``; a query written ``filter=<expression>`` is sent as
an OpenAlex filter instead (e.g. ``filter=title_and_abstract.search:trauma informed care``).
``filters`` from the config and the limits are added to ``filter=``:
``from_publication_date:``, ``to_publication_date:``, ``language:en|fr``. Abstracts are rebuilt
from ``abstract_inverted_index``; keys OpenAlex adds later are ignored.
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
    with_authors,
)
from realist_review.clients.markup import flatten_markup
from realist_review.clients.paging import CursorApi, Page
from realist_review.config import Limits, SearchSpec
from realist_review.raw import Manifest
from realist_review.records import Record, Source, make_record

log = logging.getLogger(__name__)

SOURCE = Source.OPENALEX
PATH = "works"
MAX_PER_PAGE = 100


def build_params(
    query: str, limits: Limits, filters: Mapping[str, Any]
) -> tuple[dict[str, str], list[str]]:
    """The request parameters that define the result set, and the limits they apply."""
    params: dict[str, str] = {}
    parts: list[str] = []
    text = query.strip()
    if text.lower().startswith("filter="):
        parts.append(text[len("filter=") :].strip())
    else:
        params["search"] = text
    for key, value in sorted(filters.items()):
        parts.append(f"{key}:{str(value).lower() if isinstance(value, bool) else value}")
    applied: list[str] = []
    if limits.year_from is not None:
        parts.append(f"from_publication_date:{limits.year_from}-01-01")
    if limits.year_to is not None:
        parts.append(f"to_publication_date:{limits.year_to}-12-31")
    if limits.year_from is not None or limits.year_to is not None:
        applied.append("years")
    if limits.languages:
        parts.append("language:" + "|".join(limit_language(c)[0] for c in limits.languages))
        applied.append("languages")
    if parts:
        params["filter"] = ",".join(parts)
    return params, applied


def plan(spec: SearchSpec, limits: Limits, settings: Mapping[str, Any]) -> Manifest:
    """The manifest of an OpenAlex search that has not started yet."""
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


def _results(data: Any) -> list[Any]:
    return data.get("results") or []


def _read(data: Any) -> Page:
    meta = data.get("meta") or {}
    return Page(
        records=len(_results(data)),
        total=int(meta["count"]) if meta.get("count") is not None else None,
        next_cursor=meta.get("next_cursor"),
    )


def per_page(settings: Mapping[str, Any]) -> int:
    """``per_page`` from the settings, capped at OpenAlex's maximum of 100."""
    wanted = int(settings[str(SOURCE)].get("per_page", MAX_PER_PAGE))
    if wanted > MAX_PER_PAGE:
        log.warning("openalex: per_page %d is above the API's maximum; using 100", wanted)
    return max(1, min(wanted, MAX_PER_PAGE))


API = CursorApi(
    source=str(SOURCE),
    cursor_param="cursor",
    size_param="per_page",
    read=_read,
    validate=json_validator("meta", "results"),
    same_cursor_ends=True,
    email_param="mailto",
    page_size=per_page,
    key_param="api_key",
)


#: Fetch every page not yet stored (resuming from the saved cursor), then finish.
fetch = API.fetch


def parse(pages: Sequence[Path], *, search_id: str) -> list[Record]:
    """Records from saved OpenAlex ``/works`` list pages."""
    return parse_json_pages(
        pages, search_id=search_id, source=str(SOURCE), items=_results, parse_item=parse_work
    )


def rebuild_abstract(index: Mapping[str, Sequence[int]] | None) -> str:
    """The abstract text from OpenAlex's ``abstract_inverted_index`` (word -> positions)."""
    if not index:
        return ""
    slots: dict[int, str] = {}
    for word, positions in index.items():
        for position in positions or ():
            slots[int(position)] = word
    return " ".join(slots[i] for i in sorted(slots))


def _tail(url: object) -> str:
    """The last path segment of an OpenAlex/PubMed/PMC URL (``.../W123`` -> ``W123``)."""
    text = str(url or "").rstrip("/")
    return text.rsplit("/", 1)[-1] if text else ""


def parse_work(work: Mapping[str, Any], *, search_id: str) -> Record | None:
    """One OpenAlex Work object as a record (None when it has no id)."""
    ident = _tail(work.get("id"))
    if not ident:
        log.warning("%s: an OpenAlex work without an id was skipped", search_id)
        return None
    ids = work.get("ids") or {}
    location = work.get("primary_location") or {}
    venue = location.get("source") or {}
    legacy = work.get("host_venue") or {}
    biblio = work.get("biblio") or {}
    first_page, last_page = biblio.get("first_page") or "", biblio.get("last_page") or ""
    pages = f"{first_page}-{last_page}" if first_page and last_page else first_page or last_page
    pmcid = _tail(ids.get("pmcid"))
    authors: list[tuple[str, bool]] = []
    for authorship in as_list(work.get("authorships")):
        author = authorship.get("author") or {}
        name = author.get("display_name") or authorship.get("raw_author_name")
        if name:
            authors.append((name, True))
    keywords = [
        k.get("display_name") or k.get("keyword") if isinstance(k, Mapping) else k
        for k in as_list(work.get("keywords"))
    ]
    mesh = [m.get("descriptor_name") for m in as_list(work.get("mesh")) if isinstance(m, Mapping)]
    record = make_record(
        source=SOURCE,
        source_id=ident,
        search_id=search_id,
        doi=work.get("doi") or ids.get("doi") or "",
        pmid=_tail(ids.get("pmid")),
        pmcid=pmcid if pmcid.upper().startswith("PMC") else (f"PMC{pmcid}" if pmcid else ""),
        title=flatten_markup(work.get("title") or work.get("display_name") or ""),
        abstract=rebuild_abstract(work.get("abstract_inverted_index")),
        journal=venue.get("display_name") or legacy.get("display_name") or "",
        volume=biblio.get("volume") or "",
        issue=biblio.get("issue") or "",
        pages=pages,
        year=work.get("publication_year") or work.get("publication_date"),
        language=normalize_language(as_list(work.get("language"))),
        publication_type=[t for t in (work.get("type"), work.get("type_crossref")) if t][:1],
        keywords=[k for k in keywords if k],
        mesh_terms=[m for m in mesh if m],
        issn=venue.get("issn_l") or legacy.get("issn_l") or "",
        publisher=venue.get("host_organization_name") or legacy.get("publisher") or "",
        url=location.get("landing_page_url") or work.get("doi") or str(work.get("id") or ""),
    )
    return with_authors(record, authors)
