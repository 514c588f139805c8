"""A Zotero group or user library (optionally one collection) through pyzotero.

pyzotero (>= 1.16) talks HTTP through an ``httpx2.Client``; we hand it one whose transport sends
every request through :func:`realist_review.clients.http.get`, so Zotero requests get the same
session, rate limit, retries and redaction as the other sources. The base URL is pyzotero's
``endpoint`` attribute (``settings["zotero"]["base_url"]``). The key (``ZOTERO_API_KEY`` or the
variable ``api_key_env`` names) travels in pyzotero's ``Authorization`` header, never in a URL.

Items are read in pages (``limit``/``start``) and every page is kept as the Web API's JSON item
array (``page-NNNN.json``). Notes, annotations and child attachments are skipped (with a
count in the log); a standalone attachment is kept as a record with its file title. ``filters``
from the config are sent as item parameters (e.g. ``tag``, ``itemType``, ``q``).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx2
import requests
from pyzotero import Zotero

from realist_review.clients.common import (
    as_list,
    endpoint,
    finish_search,
    log_progress,
    new_manifest,
    next_page_name,
    normalize_language,
    nothing_to_fetch,
    person,
    read_json_page,
    records_fetched,
    unique_records,
)
from realist_review.clients.common import (
    with_authors as _with_authors,
)
from realist_review.clients.http import IncompletePage, RetryableBody, get
from realist_review.config import Limits, SearchSpec
from realist_review.errors import InputError
from realist_review.logutil import secret_from_env
from realist_review.raw import Manifest, RawStore
from realist_review.records import Record, Source, make_record

log = logging.getLogger(__name__)

SOURCE = Source.ZOTERO
SKIPPED_TYPES = frozenset({"note", "annotation"})
_EXTRA_ID = re.compile(r"(?im)^\s*(DOI|PMID|PMCID)\s*:\s*(\S+)\s*$")
#: Headers pyzotero sets that our session sets itself (or that describe pyzotero's encoding).
_DROP_HEADERS = {"user-agent", "accept-encoding", "host", "connection", "content-length"}
#: Fields holding the container (journal, website, book...) in Zotero's item types.
_CONTAINER_FIELDS = (
    "publicationTitle", "websiteTitle", "bookTitle", "proceedingsTitle", "blogTitle",
    "forumTitle", "encyclopediaTitle", "dictionaryTitle", "programTitle", "seriesTitle",
)  # fmt: skip
_PUBLISHER_FIELDS = ("publisher", "institution", "university", "company", "label", "network")
_RESERVED = {"limit", "start", "format", "content", "key"}


class RequestsTransport(httpx2.BaseTransport):
    """An httpx2 transport that sends pyzotero's requests through :func:`http.get`."""

    def __init__(self, session: requests.Session, settings: Mapping[str, Any]) -> None:
        self.session = session
        self.settings = settings

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        if request.method != "GET":
            raise InputError(f"zotero: the review only reads libraries (got {request.method})")
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _DROP_HEADERS}
        response = get(
            self.session,
            str(request.url),
            None,
            settings=self.settings,
            source=str(SOURCE),
            headers=headers,
            validate=validate_items,
        )
        kept = {
            k: v
            for k, v in response.headers.items()
            if k.lower() not in {"content-encoding", "content-length", "transfer-encoding"}
        }
        return httpx2.Response(
            response.status_code, headers=kept, content=response.content, request=request
        )


def validate_items(response: requests.Response) -> None:
    """A Zotero reply is JSON; an item listing is an array, and not empty before its end.

    An object with ``error`` (an API error with status 200) asks for a retry and, if it
    persists, fails the search: it is never stored as a page. An empty page while
    ``Total-Results`` says more items follow is an :class:`IncompletePage`.
    """
    try:
        data = json.loads(response.content)
    except ValueError as exc:
        raise RetryableBody(f"not valid JSON: {exc}") from None
    if isinstance(data, dict) and "error" in data:
        raise RetryableBody(f"the reply is an API error: {str(data['error'])[:200]}")
    url = httpx2.URL(response.url or "")
    if not url.path.endswith("/items"):
        return
    if not isinstance(data, list):
        raise RetryableBody(f"expected a JSON array of items, got {type(data).__name__}")
    total = response.headers.get("Total-Results")
    start = int(url.params.get("start") or 0)
    if not data and total is not None and total.isdigit() and start < int(total):
        raise IncompletePage(f"an empty page at item {start:,} of {int(total):,}")


def _library_path(spec: SearchSpec) -> str:
    kind = "users" if spec.library_type == "user" else "groups"
    path = f"{kind}/{spec.library_id}"
    if spec.collection:
        path += f"/collections/{spec.collection.upper()}"
    return path + "/items"


def plan(spec: SearchSpec, limits: Limits, settings: Mapping[str, Any]) -> Manifest:
    """The manifest of a Zotero library read that has not started yet."""
    if not spec.library_id:
        raise InputError(f"search {spec.id}: a zotero search needs library_id")
    bad = sorted(set(spec.filters) & _RESERVED)
    if bad:
        raise InputError(f"search {spec.id}: filters may not set {', '.join(bad)}")
    path = _library_path(spec)
    parameters: dict[str, Any] = {
        "library_type": spec.library_type,
        "library_id": spec.library_id,
        "collection": spec.collection,
        "format": "json",
    }
    parameters.update({key: spec.filters[key] for key in sorted(spec.filters)})
    extra = "".join(f"&{key}={spec.filters[key]}" for key in sorted(spec.filters))
    return new_manifest(
        spec,
        limits,
        source=str(SOURCE),
        applied=(),
        endpoint=endpoint(settings, str(SOURCE), path),
        query_as_run=path + ("?" + extra[1:] if extra else ""),
        parameters=parameters,
    )


def make_client(spec: SearchSpec, settings: Mapping[str, Any], session: requests.Session) -> Zotero:
    """A pyzotero client on the configured base URL that sends through our session."""
    cfg = settings[str(SOURCE)]
    key = secret_from_env(cfg.get("api_key_env", "ZOTERO_API_KEY")) or None
    # Our transport logs every request (redacted); httpx2's own INFO line would repeat it.
    logging.getLogger("httpx2").setLevel(logging.WARNING)
    client = httpx2.Client(transport=RequestsTransport(session, settings))
    zot = Zotero(spec.library_id, spec.library_type, api_key=key, client=client)
    zot.endpoint = str(cfg["base_url"]).rstrip("/")
    return zot


def fetch(
    store: RawStore,
    *,
    spec: SearchSpec,
    limits: Limits,
    settings: Mapping[str, Any],
    session: requests.Session,
) -> None:
    """Read every page of items not yet stored (resuming at the saved ``start``), then finish."""
    manifest = store.manifest
    if nothing_to_fetch(store, log):
        return
    state = manifest.state
    state.setdefault("page_size", min(100, int(settings[str(SOURCE)].get("page_size", 100))))
    state.setdefault("start", 0)
    filters = dict(spec.filters)
    zot = make_client(spec, settings, session)
    while not state.get("done"):
        start, limit = int(state["start"]), int(state["page_size"])
        if spec.collection:
            items = zot.collection_items(spec.collection, limit=limit, start=start, **filters)
        else:
            items = zot.items(limit=limit, start=start, **filters)
        assert zot.request is not None
        body = zot.request.content
        total_header = zot.request.headers.get("Total-Results")
        total = int(total_header) if total_header is not None else state.get("hits")
        count = len(items) if isinstance(items, list) else 0
        state.update(
            start=start + count,
            hits=total,
            done=count == 0 or (total is not None and start + count >= total),
        )
        store.add_page(
            next_page_name(store, "page", "json"), body, records=count, start=start, hits=total
        )
        log_progress(manifest.search_id, records_fetched(store), total)
    finish_search(store, fetched=records_fetched(store), source=str(SOURCE))


# --------------------------------------------------------------------------------------------
# Parse
# --------------------------------------------------------------------------------------------
def parse(pages: Sequence[Path], *, search_id: str) -> list[Record]:
    """Records from saved item arrays; notes, annotations and child attachments skipped."""
    records: list[Record] = []
    skipped: dict[str, int] = {}
    standalone = 0
    for path in pages:
        data = read_json_page(path)
        if not isinstance(data, list):
            raise InputError(
                f"{path}: expected the Zotero Web API's JSON array of items. This page was "
                "stored by an earlier version that kept error replies; rename its folder "
                f"({Path(path).parent.name}) and run the search again."
            )
        for item in data:
            fields = item.get("data", item) if isinstance(item, Mapping) else {}
            kind = str(fields.get("itemType", ""))
            if kind in SKIPPED_TYPES or (kind == "attachment" and fields.get("parentItem")):
                label = "child attachment" if kind == "attachment" else kind
                skipped[label] = skipped.get(label, 0) + 1
                continue
            if kind == "attachment":
                standalone += 1
            record = parse_item(item, search_id=search_id)
            if record is not None:
                records.append(record)
    if skipped:
        log.info(
            "%s: skipped %s (not bibliographic items)",
            search_id, ", ".join(f"{n} {kind}(s)" for kind, n in sorted(skipped.items())),
        )  # fmt: skip
    if standalone:
        log.warning(
            "%s: %d standalone attachment(s) kept as records with their file title; give them "
            "a parent item in Zotero for full metadata",
            search_id, standalone,
        )  # fmt: skip
    return unique_records(records, search_id=search_id, source=str(SOURCE))


def _first_field(fields: Mapping[str, Any], names: Sequence[str]) -> str:
    for name in names:
        value = fields.get(name)
        if value:
            return str(value)
    return ""


def parse_item(item: Mapping[str, Any], *, search_id: str) -> Record | None:
    """One Zotero item (``{"key", "data": {...}}`` or the bare data) as a record."""
    fields: Mapping[str, Any] = item.get("data", item)
    key = str(fields.get("key") or item.get("key") or "")
    if not key:
        log.warning("%s: a Zotero item without a key was skipped", search_id)
        return None
    extra_ids = {
        m.group(1).upper(): m.group(2) for m in _EXTRA_ID.finditer(fields.get("extra") or "")
    }
    creators = as_list(fields.get("creators"))
    authors_only = [c for c in creators if c.get("creatorType", "author") == "author"]
    authors: list[tuple[str, bool]] = []
    for creator in authors_only or creators:
        if creator.get("lastName"):
            authors.append((person(creator["lastName"], creator.get("firstName", "")), True))
        elif creator.get("name"):
            authors.append((creator["name"], False))
    links = item.get("links") or {}
    alternate = (links.get("alternate") or {}).get("href", "") if isinstance(links, dict) else ""
    record = make_record(
        source=SOURCE,
        source_id=key,
        search_id=search_id,
        doi=fields.get("DOI") or extra_ids.get("DOI", ""),
        pmid=extra_ids.get("PMID", ""),
        pmcid=extra_ids.get("PMCID", ""),
        title=fields.get("title") or fields.get("caseName") or fields.get("nameOfAct") or "",
        abstract=fields.get("abstractNote") or "",
        journal=_first_field(fields, _CONTAINER_FIELDS),
        volume=fields.get("volume") or "",
        issue=fields.get("issue") or "",
        pages=fields.get("pages") or "",
        year=fields.get("date") or "",
        language=normalize_language(as_list(fields.get("language"))),
        publication_type=[fields.get("itemType") or ""],
        keywords=[tag.get("tag", "") for tag in as_list(fields.get("tags"))],
        issn=fields.get("ISSN") or "",
        isbn=fields.get("ISBN") or "",
        publisher=_first_field(fields, _PUBLISHER_FIELDS),
        url=fields.get("url") or alternate,
    )
    return _with_authors(record, authors)
