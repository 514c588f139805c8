"""What the web clients share: page names, progress lines, limits, languages, de-duplication."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import requests

from realist_review.clients.http import RetryableBody
from realist_review.config import Limits, SearchSpec
from realist_review.errors import InputError
from realist_review.languages import (  # noqa: F401  (re-exported for the clients)
    LANGUAGES,
    language_key,
    limit_language,
    normalize_language,
)
from realist_review.raw import Manifest, RawStore
from realist_review.records import Record, clean_text, normalize_author

log = logging.getLogger(__name__)


def warn_unapplied(source: str, search_id: str, limits: Limits, applied: set[str]) -> list[str]:
    """Log a warning for every configured limit the source cannot apply; return their names.

    Limits the source cannot apply are applied later, before screening, from the records'
    own fields (``ineligible_automation``); they are never silently dropped.
    """
    configured = {
        "years": limits.year_from is not None or limits.year_to is not None,
        "languages": bool(limits.languages),
        "publication_types": bool(limits.publication_types),
    }
    missing = [name for name, on in configured.items() if on and name not in applied]
    for name in missing:
        log.warning(
            "%s: %s cannot apply the %s limit in its query; the records it returns are "
            "checked against that limit before screening instead",
            search_id, source, name.replace("_", " "),
        )  # fmt: skip
    return missing


def new_manifest(
    spec: SearchSpec,
    limits: Limits,
    *,
    source: str,
    applied: Iterable[str],
    endpoint: str,
    query_as_run: str,
    parameters: Mapping[str, Any],
) -> Manifest:
    """The manifest of a search not yet started.

    ``parameters`` define the result set; the limits the query does not apply (``applied``
    names those it does) are warned about and listed as ``limits_not_in_query``.
    """
    later = warn_unapplied(source, spec.id, limits, set(applied))
    kept: dict[str, Any] = dict(parameters)
    if later:
        kept["limits_not_in_query"] = later
    return Manifest(
        search_id=spec.id,
        source=source,
        endpoint=endpoint,
        query=spec.query,
        query_as_run=query_as_run,
        parameters=kept,
    )


def endpoint(settings: Mapping[str, Any], source: str, path: str) -> str:
    """``<base_url>/<path>`` for a source."""
    return str(settings[source]["base_url"]).rstrip("/") + "/" + path


def query_parameters(manifest: Manifest) -> dict[str, Any]:
    """The manifest's request parameters without the notes kept beside them."""
    return {k: v for k, v in manifest.parameters.items() if k != "limits_not_in_query"}


# --------------------------------------------------------------------------------------------
# Raw pages and progress
# --------------------------------------------------------------------------------------------
def nothing_to_fetch(store: RawStore, logger: logging.Logger) -> bool:
    """True (and said in ``logger``'s log) when the raw folder is complete already."""
    if store.manifest.complete:
        logger.info("%s: the raw folder is complete; nothing to fetch", store.manifest.search_id)
        return True
    return False


def next_page_name(store: RawStore, prefix: str, ext: str) -> str:
    """``<prefix>-NNNN.<ext>``, numbered after the pages with that prefix already stored."""
    count = sum(1 for page in store.manifest.pages if page["file"].startswith(prefix + "-"))
    return f"{prefix}-{count + 1:04d}.{ext}"


def records_fetched(store: RawStore, prefix: str = "") -> int:
    """Records in the pages stored so far (pages whose names start with ``prefix``)."""
    return sum(
        int(page["records"]) for page in store.manifest.pages if page["file"].startswith(prefix)
    )


def finish_search(store: RawStore, *, fetched: int, source: str, hits: int | None = None) -> None:
    """Mark a search finished, with its records counted against what the source reported.

    ``hits_reported`` is the largest total any page reported (``hits`` when given), so a total
    that grew between pages never hides records; a total that moved is noted. When the
    records fetched fall short of it the shortfall is recorded in the manifest (and from
    there in the search log, its Markdown and the run's messages) and said loudly here.
    """
    manifest = store.manifest
    totals = [int(page["hits"]) for page in manifest.pages if page.get("hits") is not None]
    if hits is None:
        hits = max(totals) if totals else manifest.state.get("hits")
    notes: list[str] = []
    distinct = list(dict.fromkeys(totals))
    if len(distinct) > 1:
        notes.append(
            "hits reported changed between pages: " + " → ".join(f"{n:,}" for n in distinct)
        )
    shortfall = max(0, int(hits) - fetched) if hits is not None else 0
    if shortfall and hits is not None:
        notes.append(
            f"incomplete: {shortfall:,} of the {int(hits):,} records reported were not received"
        )
        log.error(
            "%s: INCOMPLETE: %s reported %d records but delivered %d after retries; the "
            "shortfall (%d) is recorded in the search log",
            manifest.search_id, source, hits, fetched, shortfall,
        )  # fmt: skip
    elif hits is not None and fetched > hits:
        log.warning(
            "%s: %s reported %d hits but its pages held %d records",
            manifest.search_id, source, hits, fetched,
        )  # fmt: skip
    for note in notes[:-1] if shortfall else notes:
        log.warning("%s: %s", manifest.search_id, note)
    store.finish(hits_reported=hits, shortfall=shortfall, notes=notes)


def log_progress(search_id: str, fetched: int, total: int | None) -> None:
    """The progress line: ``<search_id>: fetched N / TOTAL records``."""
    shown = "?" if total is None else f"{total:,}"
    log.info("%s: fetched %s / %s records", search_id, f"{fetched:,}", shown)


def json_validator(*required: str) -> Callable[[requests.Response], None]:
    """A ``validate`` function for :func:`http.get`: the body is JSON with these top-level keys.

    A body that is not JSON (cut off mid-way, an HTML error page) asks for a retry.
    """

    def validate(response: requests.Response) -> None:
        try:
            data = json.loads(response.content)
        except ValueError as exc:
            raise RetryableBody(f"not valid JSON: {exc}") from None
        if isinstance(data, dict) and "error" in data and not all(k in data for k in required):
            raise RetryableBody(f"the reply is an API error: {str(data['error'])[:200]}")
        if required and not (isinstance(data, dict) and all(k in data for k in required)):
            raise RetryableBody(f"JSON without the expected keys {', '.join(required)}")

    return validate


def parse_json_pages(
    pages: Sequence[Path],
    *,
    search_id: str,
    source: str,
    items: Callable[[Any], Iterable[Mapping[str, Any]]],
    parse_item: Callable[..., Record | None],
) -> list[Record]:
    """Records from saved JSON pages: ``items(page)`` through ``parse_item``, each id once."""
    records = []
    for path in pages:
        for item in items(read_json_page(path)):
            record = parse_item(item, search_id=search_id)
            if record is not None:
                records.append(record)
    return unique_records(records, search_id=search_id, source=source)


def read_json_page(path: Path) -> Any:
    """A stored JSON page; a clear error when it does not parse."""
    try:
        return json.loads(Path(path).read_bytes())
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read this raw page as JSON: {exc}") from None


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------
def with_authors(record: Record, authors: Sequence[tuple[str, bool]]) -> Record:
    """Set authors from ``(name, is_person)`` pairs: people normalised, organisations verbatim.

    (:func:`records.normalize_author` would turn a three-word group name around.)
    """
    names: list[str] = []
    for name, is_person in authors:
        text = normalize_author(name) if is_person else clean_text(name)
        if text and text not in names:
            names.append(text)
    return replace(record, authors=tuple(names))


def person(family: object, given: object) -> str:
    """``Family, Given`` from parts (either may be empty)."""
    family_text, given_text = clean_text(family), clean_text(given)
    if family_text and given_text:
        return f"{family_text}, {given_text}"
    return family_text or given_text


def unique_records(records: Iterable[Record], *, search_id: str, source: str) -> list[Record]:
    """Drop repeated ``source_id``s (a resumed or split search may save a record twice)."""
    out: dict[str, Record] = {}
    repeats = 0
    for record in records:
        if record.source_id in out:
            repeats += 1
            continue
        out[record.source_id] = record
    if repeats:
        log.info(
            "%s: %d %s record(s) appeared on more than one page and were kept once",
            search_id, repeats, source,
        )  # fmt: skip
    return list(out.values())


def first(values: object) -> str:
    """The first item of a list (or the value itself), as text."""
    if isinstance(values, list | tuple):
        return clean_text(values[0]) if values else ""
    return clean_text(values)


def as_list(value: object) -> list[Any]:
    """``value`` as a list (None -> [], a scalar -> [value])."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]
