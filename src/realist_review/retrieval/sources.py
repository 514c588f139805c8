"""The web sources, tried for one record: Europe PMC JATS, then open-access PDFs by DOI.

Each function returns the attempts it made (one per request that decides something), every
body judged by its bytes (:func:`realist_review.retrieval.content.sniff`). Nothing here raises
for a source's failure: a failed request is an attempt with status ``failed``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from realist_review.clients import europepmc_fulltext, oa_download, openalex_oa, unpaywall
from realist_review.clients.unpaywall import OaLocation
from realist_review.retrieval.archive import Exchange
from realist_review.retrieval.content import MediaType, Verdict, sniff
from realist_review.retrieval.fetch import Fetcher
from realist_review.retrieval.model import Attempt, SourceName, Status, Target

#: Open-access locations tried per lookup before giving up.
MAX_LOCATIONS = 3


def _location_of(exchange: Exchange) -> str:
    return exchange.request.removeprefix("GET ")


def failure(exchange: Exchange, *, target: Target, source: str, what: str) -> Attempt | None:
    """The attempt for an exchange that did not succeed at the HTTP level (None when it did)."""
    where = _location_of(exchange)
    if exchange.ok:
        return None
    if exchange.status == 0:
        status = Status.NO_SNAPSHOT if "snapshot" in exchange.message else Status.FAILED
        return Attempt(target.record_id, source, where, status, f"{what}: {exchange.message}")
    if exchange.status in (404, 410):
        return Attempt(
            target.record_id, source, where, Status.NOT_FOUND,
            f"{what}: HTTP {exchange.status} (the source does not have it)",
        )  # fmt: skip
    return Attempt(
        target.record_id, source, where, Status.REFUSED,
        f"{what}: refused ({exchange.message or f'HTTP {exchange.status}'})",
    )  # fmt: skip


def judged(
    exchange: Exchange, *, target: Target, source: str, verdict: Verdict | None = None
) -> Attempt:
    """The attempt for a file answer: retrieved when its bytes are a PDF or JATS with a body."""
    verdict = verdict or sniff(exchange.body)
    where = _location_of(exchange)
    if verdict.media_type is None:
        status = Status.NOT_OPEN if verdict.metadata_only else Status.REJECTED
        return Attempt(target.record_id, source, where, status, verdict.message)
    return Attempt(
        target.record_id,
        source,
        where,
        Status.RETRIEVED,
        verdict.message,
        body=exchange.body,
        media_type=str(verdict.media_type),
    )


def from_europepmc(target: Target, fetcher: Fetcher, settings: Mapping[str, Any]) -> list[Attempt]:
    """Europe PMC's open-access JATS for a record with a PMCID ([] without one)."""
    if not target.pmcid:
        return []
    request = europepmc_fulltext.fulltext_request(settings, target.pmcid)
    exchange = fetcher.fetch(request, record_id=target.record_id)
    source = str(SourceName.EUROPEPMC)
    failed = failure(exchange, target=target, source=source, what=f"{target.pmcid} full text")
    if failed is not None:
        if failed.status is Status.NOT_FOUND:
            failed = Attempt(
                failed.record_id, source, failed.location, Status.NOT_OPEN,
                f"Europe PMC has no open-access full text for {target.pmcid} (HTTP 404)",
            )  # fmt: skip
        return [failed]
    verdict = sniff(exchange.body)
    if verdict.media_type is MediaType.PDF:  # only JATS is expected here
        verdict = Verdict(MediaType.PDF, "a PDF (not JATS) from the JATS endpoint")
    return [judged(exchange, target=target, source=source, verdict=verdict)]


LocationLookup = Callable[[bytes], tuple[bool, list[OaLocation]]]


def _from_lookup(
    target: Target,
    fetcher: Fetcher,
    *,
    source: str,
    request_for: Callable[[], Any],
    locations: LocationLookup,
    tried: set[str],
) -> list[Attempt]:
    if not target.doi:
        return []
    try:
        request = request_for()
    except ValueError as exc:
        return [Attempt(target.record_id, source, "", Status.SKIPPED, str(exc))]
    exchange = fetcher.fetch(request, record_id=target.record_id)
    failed = failure(exchange, target=target, source=source, what=f"lookup of {target.doi}")
    if failed is not None:
        return [failed]
    is_oa, found = locations(exchange.body)
    if not found:
        why = "an open copy without a PDF link" if is_oa else "no open-access copy known"
        return [
            Attempt(
                target.record_id,
                source,
                _location_of(exchange),
                Status.NOT_OPEN,
                f"{target.doi}: {why}",
            )
        ]
    attempts: list[Attempt] = []
    for location in [loc for loc in found if loc.pdf_url not in tried][:MAX_LOCATIONS]:
        tried.add(location.pdf_url)
        answer = fetcher.fetch(
            oa_download.download_request(location.pdf_url), record_id=target.record_id
        )
        what = f"PDF from {location.host_type or 'an open-access location'}"
        attempt = failure(answer, target=target, source=source, what=what) or judged(
            answer, target=target, source=source
        )
        attempts.append(attempt)
        if attempt.status is Status.RETRIEVED:
            break
    if not attempts:
        attempts.append(
            Attempt(
                target.record_id,
                source,
                _location_of(exchange),
                Status.NOT_OPEN,
                f"{target.doi}: its PDF links were already tried",
            )
        )
    return attempts


def from_unpaywall(
    target: Target, fetcher: Fetcher, settings: Mapping[str, Any], tried: set[str]
) -> list[Attempt]:
    """Unpaywall's open-access PDF for a record with a DOI ([] without one)."""
    return _from_lookup(
        target,
        fetcher,
        source=str(SourceName.UNPAYWALL),
        request_for=lambda: unpaywall.lookup_request(
            settings, target.doi, replay=fetcher.mode == "snapshot"
        ),
        locations=unpaywall.pdf_locations,
        tried=tried,
    )


def from_openalex(
    target: Target, fetcher: Fetcher, settings: Mapping[str, Any], tried: set[str]
) -> list[Attempt]:
    """OpenAlex's ``best_oa_location`` PDF for a record with a DOI ([] without one)."""
    return _from_lookup(
        target,
        fetcher,
        source=str(SourceName.OPENALEX),
        request_for=lambda: openalex_oa.lookup_request(settings, target.doi),
        locations=openalex_oa.pdf_locations,
        tried=tried,
    )
