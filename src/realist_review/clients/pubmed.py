"""PubMed through NCBI E-utilities: esearch on the history server, efetch in batches.

``esearch`` (``usehistory=y``) gives the count and a ``WebEnv``/``query_key``; ``efetch`` then
reads the records from the history server in batches of ``batch_size`` (``retmode=xml``).
Every request carries ``tool`` and, when set, ``email`` and ``api_key`` (3 requests/second, or
10 with a key).

PubMed lets esearch reach only the first 10,000 records of a query. A query with more than
``max_esearch`` hits is split automatically by publication date (``datetype=pdat``,
``mindate``/``maxdate``): date ranges are halved until each holds at most ``max_esearch``
records, and each range is fetched from its own history entry. A record found in two ranges
is kept once when the pages are parsed.

Limits go into the term so that the query as run can be pasted into PubMed:
``AND (english[la] OR french[la])`` and ``AND ("2000"[dp] : "2024"[dp])``. Publication-type
limits are not put into the query (``[pt]`` would drop grey literature); they are applied
before screening and said so in the log.

Resume: the manifest state keeps the phase (``split`` / ``fetch``), the date ranges still to
count, and per range its count, ``WebEnv``, ``query_key`` and the next ``retstart``. A
``WebEnv`` expires; when the saved one fails, esearch runs again for that range and the fetch
continues at the same ``retstart`` if the count is unchanged, or restarts the range from 0 (and
says so) if it changed.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import requests

from realist_review.clients.common import (
    finish_search,
    limit_language,
    log_progress,
    next_page_name,
    normalize_language,
    nothing_to_fetch,
    person,
    query_parameters,
    records_fetched,
    unique_records,
    warn_unapplied,
    with_authors,
)
from realist_review.clients.http import (
    HTTPStatusError,
    IncompletePage,
    RetryableBody,
    contact_email,
    get,
    requests_per_second,
)
from realist_review.clients.markup import element_text, parse_xml
from realist_review.config import Limits, SearchSpec
from realist_review.errors import InputError, SourceError
from realist_review.logutil import secret_from_env
from realist_review.raw import Manifest, RawStore
from realist_review.records import Record, Source, make_record

log = logging.getLogger(__name__)

SOURCE = Source.PUBMED
#: Earliest publication date used when a split search has no ``year_from`` limit.
EARLIEST = date(1800, 1, 1)
#: esearch/efetch parameters the client sets itself; ``filters`` may not override them.
_RESERVED = {
    "db", "term", "usehistory", "retmax", "retstart", "retmode", "rettype", "webenv",
    "query_key", "mindate", "maxdate", "api_key", "email", "tool",
}  # fmt: skip


class WebEnvExpired(Exception):
    """The history server no longer knows a ``WebEnv``/``query_key``."""


# --------------------------------------------------------------------------------------------
# Plan
# --------------------------------------------------------------------------------------------
def build_term(query: str, limits: Limits) -> tuple[str, list[str]]:
    """The term as sent (with language and year limits) and the limits it applies."""
    clauses = [f"({query.strip()})"]
    applied: list[str] = []
    if limits.languages:
        names = [limit_language(code)[2] for code in limits.languages]
        clauses.append("(" + " OR ".join(f"{name}[la]" for name in names) + ")")
        applied.append("languages")
    if limits.year_from is not None or limits.year_to is not None:
        low = limits.year_from if limits.year_from is not None else EARLIEST.year
        high = limits.year_to if limits.year_to is not None else 3000
        clauses.append(f'("{low}"[dp] : "{high}"[dp])')
        applied.append("years")
    return " AND ".join(clauses), applied


def plan(spec: SearchSpec, limits: Limits, settings: Mapping[str, Any]) -> Manifest:
    """The manifest of a PubMed search that has not started yet."""
    term, applied = build_term(spec.query, limits)
    later = warn_unapplied(str(SOURCE), spec.id, limits, set(applied))
    bad = sorted(set(map(str.lower, spec.filters)) & _RESERVED)
    if bad:
        raise InputError(
            f"search {spec.id}: filters may not set {', '.join(bad)} "
            "(the PubMed client sets them itself)"
        )
    parameters: dict[str, Any] = {"db": "pubmed", "term": term}
    parameters.update({key: spec.filters[key] for key in sorted(spec.filters)})
    if later:
        parameters["limits_not_in_query"] = later
    return Manifest(
        search_id=spec.id,
        source=str(SOURCE),
        endpoint=_base(settings) + "esearch.fcgi",
        query=spec.query,
        query_as_run=term,
        parameters=parameters,
    )


def _base(settings: Mapping[str, Any]) -> str:
    return str(settings[str(SOURCE)]["base_url"]).rstrip("/") + "/"


# --------------------------------------------------------------------------------------------
# Fetch
# --------------------------------------------------------------------------------------------
class _Eutils:
    """The two E-utilities calls with the etiquette parameters and the right rate."""

    def __init__(self, settings: Mapping[str, Any], session: requests.Session) -> None:
        self.settings = settings
        self.session = session
        cfg = settings[str(SOURCE)]
        self.base = _base(settings)
        key = secret_from_env(cfg.get("api_key_env"))
        email_address = contact_email(settings)
        self.etiquette: dict[str, str] = {"tool": str(cfg.get("tool", "realist-review"))}
        if email_address:
            self.etiquette["email"] = email_address
        if key:
            self.etiquette["api_key"] = key
        self.rate = requests_per_second(settings, str(SOURCE), has_key=bool(key))

    def esearch(self, params: Mapping[str, Any]) -> tuple[bytes, ET.Element]:
        response = get(
            self.session,
            self.base + "esearch.fcgi",
            {**params, "usehistory": "y", "retmax": 0, **self.etiquette},
            settings=self.settings,
            source=str(SOURCE),
            validate=_validate_esearch,
            rate=self.rate,
        )
        return response.content, parse_xml(response.content)

    def efetch(
        self, webenv: str, query_key: str, retstart: int, retmax: int, expected: int
    ) -> tuple[bytes, ET.Element]:
        """One batch from the history server: the body as received and its parsed root.

        A batch with fewer than ``expected`` articles is retried; if it stays short it is
        returned as it is (the caller records the shortfall).
        """
        params = {
            "db": "pubmed",
            "WebEnv": webenv,
            "query_key": query_key,
            "retstart": retstart,
            "retmax": retmax,
            "retmode": "xml",
            **self.etiquette,
        }
        parsed: list[ET.Element] = []

        def validate(response: requests.Response) -> None:
            root = _validate_efetch(response)
            parsed[:] = [root]
            got = _articles(root)
            if root.tag == "PubmedArticleSet" and got < expected:
                raise IncompletePage(
                    f"efetch gave {got} of the {expected} records asked for at retstart {retstart}"
                )

        try:
            response = get(
                self.session,
                self.base + "efetch.fcgi",
                params,
                settings=self.settings,
                source=str(SOURCE),
                validate=validate,
                rate=self.rate,
            )
        except HTTPStatusError as exc:
            if exc.status == 400:  # how E-utilities answers an unknown or expired WebEnv
                raise WebEnvExpired(exc.body) from None
            raise
        root = parsed[0]
        if root.tag != "PubmedArticleSet":
            raise WebEnvExpired(element_text(root.find("ERROR")) or root.tag)
        return response.content, root


def _validate_esearch(response: requests.Response) -> None:
    try:
        root = parse_xml(response.content)
    except ET.ParseError as exc:
        raise RetryableBody(f"esearch XML does not parse: {exc}") from None
    if root.tag != "eSearchResult" or root.find("Count") is None:
        error = element_text(root.find("ERROR")) or f"<{root.tag}> without <Count>"
        raise RetryableBody(f"esearch gave no count: {error}")
    error = element_text(root.find("ERROR"))
    if error:  # e.g. <Count>0</Count><ERROR>Search Backend failed: ...</ERROR>, status 200
        raise RetryableBody(f"esearch reported an error: {error}")


def _articles(root: ET.Element) -> int:
    return len(root.findall("PubmedArticle")) + len(root.findall("PubmedBookArticle"))


def _validate_efetch(response: requests.Response) -> ET.Element:
    try:
        root = parse_xml(response.content)
    except ET.ParseError as exc:
        raise RetryableBody(f"efetch XML does not parse: {exc}") from None
    if root.tag not in {"PubmedArticleSet", "eFetchResult"}:
        raise RetryableBody(f"efetch gave <{root.tag}>, not <PubmedArticleSet>")
    return root


def _history(root: ET.Element) -> tuple[int, str, str]:
    count = int(root.findtext("Count") or 0)
    return count, root.findtext("WebEnv") or "", root.findtext("QueryKey") or ""


def _day(value: int) -> str:
    return date.fromordinal(value).strftime("%Y/%m/%d")


def _date_span(limits: Limits) -> list[int]:
    low = date(limits.year_from, 1, 1) if limits.year_from is not None else EARLIEST
    last_year = limits.year_to if limits.year_to is not None else datetime.now(UTC).year + 1
    return [low.toordinal(), date(last_year, 12, 31).toordinal()]


def _slice_params(manifest: Manifest, rng: Sequence[int] | None) -> dict[str, Any]:
    params = query_parameters(manifest)
    if rng is not None:
        params.update(datetype="pdat", mindate=_day(rng[0]), maxdate=_day(rng[1]))
    return params


def fetch(
    store: RawStore,
    *,
    spec: SearchSpec,
    limits: Limits,
    settings: Mapping[str, Any],
    session: requests.Session,
) -> None:
    """Fetch every page not yet stored (resuming from the saved state), then finish."""
    manifest = store.manifest
    if nothing_to_fetch(store, log):
        return
    cfg = settings[str(SOURCE)]
    eutils = _Eutils(settings, session)
    state = manifest.state
    state.setdefault("batch_size", int(cfg.get("batch_size", 200)))
    max_esearch = int(cfg.get("max_esearch", 9999))
    if "phase" not in state:
        _first_search(store, eutils, limits, max_esearch)
    else:
        log.info(
            "%s: resuming in phase %s after %d stored page(s)",
            manifest.search_id, state["phase"], len(manifest.pages),
        )  # fmt: skip
    if state["phase"] == "split":
        _split(store, eutils, max_esearch)
    for index in range(len(state["slices"])):
        if not state["slices"][index].get("done"):
            _fetch_slice(store, eutils, index)
    finish_search(
        store,
        fetched=records_fetched(store, "efetch"),
        source=str(SOURCE),
        hits=int(state["total"]),
    )


def _first_search(store: RawStore, eutils: _Eutils, limits: Limits, max_esearch: int) -> None:
    manifest = store.manifest
    state = manifest.state
    body, root = eutils.esearch(_slice_params(manifest, None))
    count, webenv, query_key = _history(root)
    state["total"] = count
    if count <= max_esearch:
        state["phase"] = "fetch"
        state["slices"] = [_new_slice(None, count, webenv, query_key)]
    else:
        state["phase"] = "split"
        state["pending"] = [_date_span(limits)]
        state["slices"] = []
        log.info(
            "%s: %d records is more than esearch can page through (%d); "
            "splitting the search by publication date",
            manifest.search_id, count, max_esearch,
        )  # fmt: skip
    store.add_page(next_page_name(store, "esearch", "xml"), body, records=0, count=count)
    log_progress(manifest.search_id, 0, count)


def _new_slice(
    rng: Sequence[int] | None, count: int, webenv: str, query_key: str
) -> dict[str, Any]:
    return {
        "mindate": _day(rng[0]) if rng else None,
        "maxdate": _day(rng[1]) if rng else None,
        "range": list(rng) if rng else None,
        "count": count,
        "webenv": webenv,
        "query_key": query_key,
        "retstart": 0,
        "done": count == 0,
    }


def _split(store: RawStore, eutils: _Eutils, max_esearch: int) -> None:
    manifest = store.manifest
    state = manifest.state
    while state["pending"]:
        low, high = state["pending"][0]
        body, root = eutils.esearch(_slice_params(manifest, (low, high)))
        count, webenv, query_key = _history(root)
        rest = state["pending"][1:]
        if count <= max_esearch:
            if count:
                state["slices"].append(_new_slice((low, high), count, webenv, query_key))
            state["pending"] = rest
        elif low == high:
            raise SourceError(
                f"pubmed: search {manifest.search_id} has {count} records published on "
                f"{_day(low)} alone, more than esearch can page through ({max_esearch}). "
                "Narrow the query (or add a limit) so that no single day holds that many."
            )
        else:
            middle = (low + high) // 2
            state["pending"] = [[low, middle], [middle + 1, high], *rest]
        store.add_page(
            next_page_name(store, "esearch", "xml"),
            body,
            records=0,
            count=count,
            mindate=_day(low),
            maxdate=_day(high),
        )
    state["phase"] = "fetch"
    counted = sum(int(s["count"]) for s in state["slices"])
    log.info(
        "%s: split into %d publication-date range(s) holding %d records (the whole query: %d)",
        manifest.search_id, len(state["slices"]), counted, state["total"],
    )  # fmt: skip
    if counted < int(state["total"]):
        log.warning(
            "%s: the date ranges hold %d records fewer than the whole query; records without "
            "a publication date in %s..%s cannot be reached by splitting",
            manifest.search_id, int(state["total"]) - counted,
            state["slices"][0]["mindate"] if state["slices"] else "?",
            state["slices"][-1]["maxdate"] if state["slices"] else "?",
        )  # fmt: skip
    store.save()


def _renew(store: RawStore, eutils: _Eutils, index: int) -> None:
    """Run esearch again for a slice whose WebEnv expired; keep or reset its retstart."""
    manifest = store.manifest
    piece = manifest.state["slices"][index]
    body, root = eutils.esearch(_slice_params(manifest, piece["range"]))
    count, webenv, query_key = _history(root)
    old = int(piece["count"])
    piece.update(webenv=webenv, query_key=query_key)
    if count == old:
        log.info(
            "%s: the history-server session expired; searched again (same count, %d) and "
            "continuing at record %d",
            manifest.search_id, count, piece["retstart"],
        )  # fmt: skip
    else:
        log.warning(
            "%s: the history-server session expired and the count changed from %d to %d; "
            "fetching this date range again from its first record (records already saved are "
            "kept once when parsed)",
            manifest.search_id, old, count,
        )  # fmt: skip
        if piece["range"] is None:
            manifest.state["total"] = count
        piece.update(count=count, retstart=0)
    store.add_page(next_page_name(store, "esearch", "xml"), body, records=0, count=count)


def _fetch_slice(store: RawStore, eutils: _Eutils, index: int) -> None:
    manifest = store.manifest
    state = manifest.state
    piece = state["slices"][index]
    batch = int(state["batch_size"])
    renewed = False
    while int(piece["retstart"]) < int(piece["count"]):
        retstart = int(piece["retstart"])
        expected = min(batch, int(piece["count"]) - retstart)
        try:
            body, root = eutils.efetch(
                piece["webenv"], piece["query_key"], retstart, batch, expected
            )
        except WebEnvExpired as exc:
            if renewed:
                raise SourceError(
                    f"pubmed: search {manifest.search_id}: efetch failed again right after a "
                    f"new esearch ({exc}); try again later"
                ) from None
            _renew(store, eutils, index)
            renewed = True
            continue
        renewed = False
        articles = _articles(root)
        piece["retstart"] = min(retstart + batch, int(piece["count"]))
        piece["done"] = piece["retstart"] >= int(piece["count"])
        store.add_page(
            next_page_name(store, "efetch", "xml"),
            body,
            records=articles,
            slice=index,
            retstart=retstart,
            expected=expected,
        )
        log_progress(manifest.search_id, records_fetched(store, "efetch"), int(state["total"]))
    piece["done"] = True
    store.save()


# --------------------------------------------------------------------------------------------
# Parse
# --------------------------------------------------------------------------------------------
def parse(pages: Sequence[Path], *, search_id: str) -> list[Record]:
    """Records from saved efetch pages (esearch pages are skipped)."""
    records: list[Record] = []
    for path in pages:
        if Path(path).name.startswith("esearch"):
            continue
        records.extend(parse_xml_file(Path(path), search_id=search_id))
    return unique_records(records, search_id=search_id, source=str(SOURCE))


def parse_xml_file(path: Path, *, search_id: str) -> list[Record]:
    """Every PubmedArticle and PubmedBookArticle in one PubmedArticleSet file."""
    try:
        root = parse_xml(Path(path).read_bytes())
    except (OSError, ET.ParseError) as exc:
        raise InputError(f"{path}: not a readable PubMed XML file: {exc}") from None
    return parse_article_set(root, search_id=search_id)


def parse_article_set(root: ET.Element, *, search_id: str) -> list[Record]:
    """Records from a parsed ``PubmedArticleSet`` element."""
    records = []
    for element in root:
        if element.tag == "PubmedArticle":
            record = parse_article(element, search_id=search_id)
        elif element.tag == "PubmedBookArticle":
            record = parse_book_article(element, search_id=search_id)
        else:
            continue
        if record is not None:
            records.append(record)
    return records


def _abstract(abstract: ET.Element | None) -> str:
    if abstract is None:
        return ""
    parts = []
    for section in abstract.findall("AbstractText"):
        text = element_text(section)
        label = (section.get("Label") or "").strip()
        if label and text:
            parts.append(f"{label}: {text}")
        elif text:
            parts.append(text)
    return " ".join(parts)


def _authors(author_list: ET.Element | None) -> list[tuple[str, bool]]:
    authors: list[tuple[str, bool]] = []
    if author_list is None:
        return authors
    for author in author_list.findall("Author"):
        if author.get("ValidYN", "Y") == "N":
            continue
        collective = element_text(author.find("CollectiveName"))
        if collective:
            authors.append((collective, False))
            continue
        last = element_text(author.find("LastName"))
        given = element_text(author.find("ForeName")) or element_text(author.find("Initials"))
        if last:
            authors.append((person(last, given), True))
    return authors


def _ids(id_list: ET.Element | None) -> dict[str, str]:
    ids: dict[str, str] = {}
    if id_list is None:
        return ids
    for item in id_list.findall("ArticleId"):
        kind = (item.get("IdType") or "").lower()
        if kind and kind not in ids and (item.text or "").strip():
            ids[kind] = item.text.strip() if item.text else ""
    return ids


def _year(pub_date: ET.Element | None, fallback: ET.Element | None = None) -> str:
    for element in (pub_date, fallback):
        if element is None:
            continue
        year = element.findtext("Year") or element.findtext("MedlineDate") or ""
        if year.strip():
            return year
    return ""


def _pages(article: ET.Element) -> str:
    pagination = article.find("Pagination")
    if pagination is None:
        return ""
    medline = element_text(pagination.find("MedlinePgn"))
    if medline:
        return medline
    start = element_text(pagination.find("StartPage"))
    end = element_text(pagination.find("EndPage"))
    return f"{start}-{end}" if start and end else start


def _texts(parent: ET.Element | None, path: str) -> list[str]:
    if parent is None:
        return []
    return [text for text in (element_text(e) for e in parent.findall(path)) if text]


def parse_article(element: ET.Element, *, search_id: str) -> Record | None:
    """One ``PubmedArticle`` as a record (None without a PMID)."""
    citation = element.find("MedlineCitation")
    if citation is None:
        return None
    pmid = element_text(citation.find("PMID"))
    article = citation.find("Article")
    if not pmid or article is None:
        log.warning("%s: a PubmedArticle without PMID or Article was skipped", search_id)
        return None
    ids = _ids(element.find("PubmedData/ArticleIdList"))
    doi = ids.get("doi", "")
    if not doi:
        for location in article.findall("ELocationID"):
            if (location.get("EIdType") or "").lower() == "doi":
                doi = element_text(location)
                break
    journal = article.find("Journal")
    issue = journal.find("JournalIssue") if journal is not None else None
    title = element_text(article.find("ArticleTitle")) or element_text(
        article.find("VernacularTitle")
    )
    keywords = _texts(citation, "KeywordList/Keyword")
    mesh = _texts(citation, "MeshHeadingList/MeshHeading/DescriptorName")
    record = make_record(
        source=SOURCE,
        source_id=pmid,
        search_id=search_id,
        pmid=pmid,
        pmcid=ids.get("pmc", ""),
        doi=doi,
        title=title,
        abstract=_abstract(article.find("Abstract")),
        journal=element_text(journal.find("Title")) if journal is not None else "",
        volume=element_text(issue.find("Volume")) if issue is not None else "",
        issue=element_text(issue.find("Issue")) if issue is not None else "",
        pages=_pages(article),
        year=_year(
            issue.find("PubDate") if issue is not None else None, article.find("ArticleDate")
        ),
        language=normalize_language(_texts(article, "Language")),
        publication_type=_texts(article, "PublicationTypeList/PublicationType"),
        keywords=keywords,
        mesh_terms=mesh,
        issn=element_text(journal.find("ISSN")) if journal is not None else "",
        url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/",
    )
    return with_authors(record, _authors(article.find("AuthorList")))


def parse_book_article(element: ET.Element, *, search_id: str) -> Record | None:
    """One ``PubmedBookArticle`` (a book or chapter on NCBI Bookshelf) as a record."""
    document = element.find("BookDocument")
    if document is None:
        return None
    pmid = element_text(document.find("PMID"))
    if not pmid:
        log.warning("%s: a PubmedBookArticle without PMID was skipped", search_id)
        return None
    book = document.find("Book")
    ids = _ids(element.find("PubmedBookData/ArticleIdList"))
    ids = {**_ids(document.find("ArticleIdList")), **ids}
    book_title = element_text(book.find("BookTitle")) if book is not None else ""
    title = element_text(document.find("ArticleTitle")) or book_title
    authors = _authors(document.find("AuthorList"))
    if not authors and book is not None:
        authors = _authors(book.find("AuthorList"))
    record = make_record(
        source=SOURCE,
        source_id=pmid,
        search_id=search_id,
        pmid=pmid,
        pmcid=ids.get("pmc", ""),
        doi=ids.get("doi", ""),
        title=title,
        abstract=_abstract(document.find("Abstract")),
        journal=book_title if title != book_title else "",
        year=_year(book.find("PubDate") if book is not None else None),
        language=normalize_language(_texts(document, "Language")),
        publication_type=_texts(document, "PublicationType") or ["Book"],
        keywords=_texts(document, "KeywordList/Keyword"),
        isbn=element_text(book.find("Isbn")) if book is not None else "",
        publisher=element_text(book.find("Publisher/PublisherName")) if book is not None else "",
        url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/",
    )
    return with_authors(record, authors)
