"""A real HTTP server on 127.0.0.1 that answers like the five web sources, and misbehaves on demand.

Routes (under the server's URL):

- ``/eutils/esearch.fcgi``, ``/eutils/efetch.fcgi``: NCBI E-utilities with a history server
  (``WebEnv``/``query_key``), ``mindate``/``maxdate`` on the works' publication dates;
- ``/europepmc/search``: Europe PMC REST search, ``resultType=core`` JSON, ``cursorMark``;
- ``/openalex/works``: OpenAlex list envelope, ``cursor``/``meta.next_cursor``, ``per_page`` <= 100;
- ``/crossref/works``: Crossref ``work-list`` message, ``cursor``/``next-cursor``, ``rows``;
- ``/zotero/{groups|users}/{id}[/collections/{key}]/items``: Zotero Web API item arrays with
  ``Total-Results`` and ``Link`` headers, notes and attachments among the items.

Response shapes follow the sources' recorded responses. The query text is not interpreted
(every query finds the whole corpus) except ``nothing``, which finds no record.

Every request is recorded (:attr:`FakeApi.requests`). Faults are queued with
:meth:`FakeApi.fail`: an HTTP status (429 with ``Retry-After``, 500, 502, 503, 400...), a delay
longer than the client's timeout, a body cut off below its ``Content-Length``, a body cut
mid-way with a matching ``Content-Length``, or a connection closed without a reply. Faults that
change what a *well-formed* 200 page says:

- ``empty_page``: the page holds no record (and, where the source signals its end that way,
  says the search ended);
- ``backend_error``: PubMed esearch's ``<Count>0</Count><ERROR>Search Backend failed``;
- ``short_batch``: an efetch batch (or a JSON page) one record shorter than asked;
- ``json_error``: ``{"error": ...}`` as a 200 JSON body (as Zotero or OpenAlex may);
- ``corrupt_gzip``: ``Content-Encoding: gzip`` over bytes that do not decompress;
- ``trickle``: the body sent in small pieces spread over ``delay`` seconds;
- ``total_changes``: the reported total moves by ``delta`` (hitCount, total-results,
  meta.count, Total-Results).

Pages from Europe PMC echo the request in ``request.nextPageUrl`` (e-mail included), as the
real service does with the parameters it knows.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit
from xml.sax.saxutils import escape

from support.topic_works import Work

FAULT_KINDS = {
    "status", "delay", "cut_length", "cut_body", "close", "fetch_error",
    "empty_page", "backend_error", "short_batch", "json_error", "corrupt_gzip", "trickle",
    "total_changes",
}  # fmt: skip


@dataclass
class Fault:
    """One injected fault for requests whose path contains ``route``."""

    route: str
    kind: str
    times: int | None = 1  # None: every matching request
    after: int = 0  # let this many matching requests through first
    status: int = 500
    retry_after: str | None = None
    delay: float = 0.0
    delta: int = 1
    seen: int = 0


@dataclass
class Seen:
    """One request the server received."""

    path: str
    params: dict[str, str]
    headers: dict[str, str]
    raw_url: str
    at: float
    status: int = 0


@dataclass
class FakeApi:
    """The server's data and behaviour; start it with :meth:`start` (or as a context manager)."""

    works: Sequence[Work] = ()
    pubmed_works: Sequence[Work] | None = None
    zotero_key: str = ""
    europepmc_end: str = "same"  # "same": cursor repeated at the end; "missing": no cursor
    crossref_empty_on_expired: bool = True
    requests: list[Seen] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    _webenvs: dict[str, list[Work]] = field(default_factory=dict)
    _cursor_generation: int = 0
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # ---- lifecycle ----------------------------------------------------------------------
    def start(self) -> FakeApi:
        handler = type("Handler", (_Handler,), {"api": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeApi:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "start the server first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    # ---- test controls ------------------------------------------------------------------
    def fail(self, route: str, kind: str = "status", **options: Any) -> Fault:
        """Queue a fault for requests whose path contains ``route``."""
        assert kind in FAULT_KINDS, kind
        fault = Fault(route=route, kind=kind, **options)
        with self._lock:
            self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self._lock:
            self.faults.clear()

    def expire_webenvs(self) -> None:
        """Forget every history-server session (as NCBI does after a while)."""
        with self._lock:
            self._webenvs.clear()

    def expire_cursors(self) -> None:
        """Make every cursor handed out so far unknown (as Crossref's expire after minutes)."""
        with self._lock:
            self._cursor_generation += 1

    def seen(self, route: str) -> list[Seen]:
        """Recorded requests whose path contains ``route``."""
        return [r for r in self.requests if route in r.path]

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.route not in path:
                    continue
                fault.seen += 1
                if fault.seen <= fault.after:
                    continue
                if fault.times is not None:
                    if fault.times <= 0:
                        continue
                    fault.times -= 1
                return fault
        return None

    # ---- cursors ------------------------------------------------------------------------
    def cursor_for(self, offset: int) -> str:
        raw = f"{self._cursor_generation}:{offset}".encode()
        return "AoE" + base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def offset_of(self, cursor: str) -> int | None:
        """Offset a cursor stands for; None when it is unknown or from an old generation."""
        if cursor == "*":
            return 0
        try:
            body = cursor[3:] + "=" * (-len(cursor[3:]) % 4)
            generation, offset = base64.urlsafe_b64decode(body).decode().split(":")
        except (ValueError, UnicodeDecodeError):
            return None
        if int(generation) != self._cursor_generation:
            return None
        return int(offset)

    # ---- routing ------------------------------------------------------------------------
    def respond(self, path: str, params: dict[str, str], headers: dict[str, str]) -> Reply:
        found = [] if _is_nothing(params) else list(self.works)
        if path.startswith("/eutils/esearch.fcgi"):
            return self._esearch(params)
        if path.startswith("/eutils/efetch.fcgi"):
            return self._efetch(params)
        if path.startswith("/europepmc/search"):
            return self._europepmc(params, found)
        if path.startswith("/openalex/works"):
            return self._openalex(params, found)
        if path.startswith("/crossref/works"):
            return self._crossref(params, found)
        if path.startswith("/zotero/"):
            return self._zotero(path, params, headers, found)
        return Reply(404, b"not found", "text/plain")

    # PubMed ------------------------------------------------------------------------------
    def _esearch(self, params: dict[str, str]) -> Reply:
        pool = list(self.pubmed_works if self.pubmed_works is not None else self.works)
        if _is_nothing(params):
            pool = []
        if params.get("mindate") or params.get("maxdate"):
            low = _ncbi_date(params.get("mindate", "1000/01/01"))
            high = _ncbi_date(params.get("maxdate", "3000/12/31"))
            pool = [w for w in pool if low <= w.published <= high]
        webenv = "MCID_" + uuid.uuid4().hex[:24]
        with self._lock:
            self._webenvs[webenv] = pool
        retmax = int(params.get("retmax", 20))
        ids = "".join(f"<Id>{w.pmid}</Id>" for w in pool[:retmax])
        body = (
            '<?xml version="1.0" encoding="UTF-8" ?>\n'
            '<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN" '
            '"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">\n'
            f"<eSearchResult><Count>{len(pool)}</Count><RetMax>{min(retmax, len(pool))}</RetMax>"
            f"<RetStart>0</RetStart><QueryKey>1</QueryKey><WebEnv>{webenv}</WebEnv>"
            f"<IdList>{ids}</IdList><TranslationSet/>"
            f"<QueryTranslation>{escape(params.get('term', ''))}</QueryTranslation>"
            "</eSearchResult>\n"
        )
        return Reply(200, body.encode(), "text/xml; charset=UTF-8")

    def _efetch(self, params: dict[str, str]) -> Reply:
        with self._lock:
            pool = self._webenvs.get(params.get("WebEnv", ""))
        if pool is None or params.get("query_key") != "1":
            body = (
                '<?xml version="1.0" encoding="UTF-8" ?>\n<eFetchResult>\n'
                "\t<ERROR>Unable to obtain query #1</ERROR>\n</eFetchResult>\n"
            )
            return Reply(400, body.encode(), "text/xml; charset=UTF-8")
        start, size = int(params.get("retstart", 0)), int(params.get("retmax", 20))
        return Reply(200, pubmed_xml(pool[start : start + size]), "text/xml; charset=UTF-8")

    # Europe PMC --------------------------------------------------------------------------
    def _europepmc(self, params: dict[str, str], found: list[Work]) -> Reply:
        size = int(params.get("pageSize", 25))
        cursor = params.get("cursorMark", "*")
        offset = self.offset_of(cursor)
        if offset is None:
            return _json(400, {"errCode": 400, "errMsg": "Invalid cursorMark"})
        page = found[offset : offset + size]
        data: dict[str, Any] = {
            "version": "6.9",
            "hitCount": len(found),
            "request": {
                "queryString": params.get("query", ""),
                "resultType": params.get("resultType", "lite"),
                "cursorMark": cursor,
                "pageSize": size,
                "sort": "",
                "synonym": False,
                "nextPageUrl": self.url + "/europepmc/search?" + urlencode(params),
            },
            "resultList": {"result": [europepmc_result(w) for w in page]},
        }
        if page:
            data["nextCursorMark"] = self.cursor_for(offset + len(page))
        elif self.europepmc_end == "same":
            data["nextCursorMark"] = cursor
        return _json(200, data)

    # OpenAlex ----------------------------------------------------------------------------
    def _openalex(self, params: dict[str, str], found: list[Work]) -> Reply:
        size = int(params.get("per_page", 25))
        if size > 100:
            return _json(
                400,
                {
                    "error": "Invalid query parameters error.",
                    "message": "per_page must be between 1 and 100",
                },
            )
        offset = self.offset_of(params.get("cursor", "*"))
        if offset is None:
            return _json(400, {"error": "Invalid cursor", "message": "cursor is not valid"})
        page = found[offset : offset + size]
        meta = {
            "count": len(found),
            "db_response_time_ms": 12,
            "page": None,
            "per_page": size,
            "next_cursor": self.cursor_for(offset + len(page)) if page else None,
            "groups_count": None,
        }
        return _json(
            200, {"meta": meta, "results": [openalex_work(w) for w in page], "group_by": []}
        )

    # Crossref ----------------------------------------------------------------------------
    def _crossref(self, params: dict[str, str], found: list[Work]) -> Reply:
        size = int(params.get("rows", 20))
        offset = self.offset_of(params.get("cursor", "*"))
        if offset is None:
            if not self.crossref_empty_on_expired:
                return _json(
                    400,
                    {
                        "status": "failed",
                        "message-type": "validation-failure",
                        "message": [{"type": "cursor", "message": "expired"}],
                    },
                )
            offset = len(found)  # an expired cursor reads as an empty page
        items = [w for w in found if w.has_doi]
        page = items[offset : offset + size]
        message = {
            "facets": {},
            "next-cursor": self.cursor_for(offset + len(page)),
            "total-results": len(items),
            "items": [crossref_item(w) for w in page],
            "items-per-page": size,
            "query": {"start-index": 0, "search-terms": params.get("query")},
        }
        return _json(
            200,
            {
                "status": "ok",
                "message-type": "work-list",
                "message-version": "1.0.0",
                "message": message,
            },
        )

    # Zotero ------------------------------------------------------------------------------
    def _zotero(
        self, path: str, params: dict[str, str], headers: dict[str, str], found: list[Work]
    ) -> Reply:
        if self.zotero_key:
            given = headers.get("authorization", "").removeprefix("Bearer ").strip()
            given = given or headers.get("zotero-api-key", "")
            if given != self.zotero_key:
                return Reply(403, b"Forbidden", "text/plain")
        items = zotero_items(found)
        start, limit = int(params.get("start", 0)), int(params.get("limit", 25))
        page = items[start : start + limit]
        base = self.url + path
        links = [f'<{base}?limit={limit}&start={start + limit}>; rel="next"']
        if start + limit >= len(items):
            links = []
        links.append(f'<{base}?limit={limit}&start={max(0, len(items) - limit)}>; rel="last"')
        body = json.dumps(page, ensure_ascii=False, indent=2).encode()
        return Reply(
            200,
            body,
            "application/json",
            {
                "Total-Results": str(len(items)),
                "Link": ", ".join(links),
                "Last-Modified-Version": "1234",
                "Zotero-API-Version": "3",
            },
        )


def _is_nothing(params: dict[str, str]) -> bool:
    text = params.get("query") or params.get("term") or params.get("search") or ""
    return "nothing" in text


@dataclass
class Reply:
    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)


def _json(status: int, data: Any) -> Reply:
    return Reply(status, json.dumps(data, ensure_ascii=False).encode(), "application/json")


ESEARCH_BACKEND_FAILED = (
    b'<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE eSearchResult PUBLIC '
    b'"-//NLM//DTD esearch 20060628//EN" '
    b'"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">\n'
    b"<eSearchResult><Count>0</Count><RetMax>0</RetMax><RetStart>0</RetStart><IdList/>"
    b"<TranslationSet/><ERROR>Search Backend failed: read request has timed out. "
    b"getMore: 1</ERROR></eSearchResult>\n"
)


def _rewrite_json(reply: Reply, change: Any) -> Reply:
    if reply.status != 200 or "json" not in reply.content_type:
        return reply
    data = json.loads(reply.body)
    data = change(data)
    return Reply(reply.status, json.dumps(data, ensure_ascii=False).encode(), reply.content_type,
                 dict(reply.headers))  # fmt: skip


def _empty_page(reply: Reply, fault: Fault, params: dict[str, str]) -> Reply:
    """The same page with no record in it (an end-of-results sign where the source has one)."""
    if b"<PubmedArticleSet>" in reply.body:
        head = reply.body.split(b"<PubmedArticleSet>")[0]
        return Reply(reply.status, head + b"<PubmedArticleSet></PubmedArticleSet>\n",
                     reply.content_type)  # fmt: skip

    def change(data: Any) -> Any:
        if isinstance(data, list):  # Zotero
            return []
        if "resultList" in data:  # Europe PMC: no results, the cursor back
            data["resultList"]["result"] = []
            data["nextCursorMark"] = params.get("cursorMark", "*")
        elif "meta" in data:  # OpenAlex: no results, no next cursor
            data["results"] = []
            data["meta"]["next_cursor"] = None
        elif "message" in data:  # Crossref
            data["message"]["items"] = []
        return data

    return _rewrite_json(reply, change)


def _short_batch(reply: Reply, fault: Fault, params: dict[str, str]) -> Reply:
    """The same page without its last record."""
    body = reply.body
    if b"<PubmedArticleSet>" in body:
        last = max(body.rfind(b"<PubmedArticle>"), body.rfind(b"<PubmedBookArticle>"))
        if last > 0:
            body = body[:last] + b"</PubmedArticleSet>\n"
        return Reply(reply.status, body, reply.content_type)

    def change(data: Any) -> Any:
        if isinstance(data, list):
            return data[:-1]
        if "resultList" in data:
            data["resultList"]["result"] = data["resultList"]["result"][:-1]
        elif "meta" in data:
            data["results"] = data["results"][:-1]
        elif "message" in data:
            data["message"]["items"] = data["message"]["items"][:-1]
        return data

    return _rewrite_json(reply, change)


def _total_changes(reply: Reply, fault: Fault, params: dict[str, str]) -> Reply:
    """The same page reporting a total moved by ``fault.delta``."""
    if "Total-Results" in reply.headers:
        headers = dict(reply.headers)
        headers["Total-Results"] = str(int(headers["Total-Results"]) + fault.delta)
        return Reply(reply.status, reply.body, reply.content_type, headers)

    def change(data: Any) -> Any:
        if "hitCount" in data:
            data["hitCount"] += fault.delta
        elif "meta" in data:
            data["meta"]["count"] += fault.delta
        elif "message" in data:
            data["message"]["total-results"] += fault.delta
        return data

    return _rewrite_json(reply, change)


_REWRITES = {
    "empty_page": _empty_page,
    "short_batch": _short_batch,
    "total_changes": _total_changes,
}


def _ncbi_date(text: str) -> date:
    parts = [int(p) for p in text.replace("-", "/").split("/")]
    year, month, day = [*parts, 1, 1][:3]
    return date(year, month, day)


class _Handler(BaseHTTPRequestHandler):
    api: FakeApi
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        split = urlsplit(self.path)
        params = dict(parse_qsl(split.query, keep_blank_values=True))
        headers = {k.lower(): v for k, v in self.headers.items()}
        seen = Seen(split.path, params, headers, self.path, time.monotonic())
        with self.api._lock:
            self.api.requests.append(seen)
        fault = self.api._take_fault(split.path)
        if fault is not None and fault.kind == "close":
            seen.status = -1
            self.close_connection = True
            return
        if fault is not None and fault.kind == "status":
            seen.status = fault.status
            extra = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            self._send(Reply(fault.status, b'{"error": "injected"}', "application/json", extra))
            return
        if fault is not None and fault.kind == "delay":
            time.sleep(fault.delay)
        if fault is not None and fault.kind == "backend_error":
            seen.status = 200
            self._send(Reply(200, ESEARCH_BACKEND_FAILED, "text/xml; charset=UTF-8"))
            return
        if fault is not None and fault.kind == "json_error":
            seen.status = 200
            self._send(_json(200, {"error": "Invalid request: the library is not available"}))
            return
        reply = self.api.respond(split.path, params, headers)
        seen.status = reply.status
        if fault is not None and fault.kind in _REWRITES:
            reply = _REWRITES[fault.kind](reply, fault, params)
        if fault is not None and fault.kind == "corrupt_gzip":
            reply.headers["Content-Encoding"] = "gzip"
            reply = Reply(reply.status, b"\x1f\x8b\x08\x00" + b"\x07" * 64, reply.content_type,
                          reply.headers)  # fmt: skip
        if fault is not None and fault.kind == "trickle":
            self._trickle(reply, fault.delay)
            return
        if fault is not None and fault.kind == "fetch_error":
            body = b"<eFetchResult><ERROR>Unable to obtain query #1</ERROR></eFetchResult>"
            reply = Reply(200, body, "text/xml")
        if fault is not None and fault.kind == "cut_length":
            self._send(reply, cut=len(reply.body) // 2, claim=len(reply.body))
            return
        if fault is not None and fault.kind == "cut_body":
            reply = Reply(reply.status, reply.body[: len(reply.body) // 2], reply.content_type)
        self._send(reply)

    def _trickle(self, reply: Reply, seconds: float) -> None:
        """Send the body in 20 pieces spread over ``seconds`` (each piece well within a timeout)."""
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            step = max(1, len(reply.body) // 20 + 1)
            for start in range(0, len(reply.body), step):
                self.wfile.write(reply.body[start : start + step])
                self.wfile.flush()
                time.sleep(seconds / 20)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send(self, reply: Reply, *, cut: int | None = None, claim: int | None = None) -> None:
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(claim if claim is not None else len(reply.body)))
            for key, value in reply.headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(reply.body if cut is None else reply.body[:cut])
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        if cut is not None:
            self.close_connection = True


# --------------------------------------------------------------------------------------------
# Renderers: one work in each source's format
# --------------------------------------------------------------------------------------------
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _pubmed_title(work: Work) -> str:
    title = escape(work.title)
    if work.extra_markup:  # inline markup as PubMed keeps it
        title = title.replace("supervision", "<i>supervision</i>", 1)
    return title


def _pubmed_slim(work: Work) -> str:
    return (
        f'<PubmedArticle><MedlineCitation><PMID Version="1">{work.pmid}</PMID><Article>'
        f"<Journal><JournalIssue><PubDate><Year>{work.published.year}</Year></PubDate>"
        f"</JournalIssue><Title>{escape(work.journal)}</Title></Journal>"
        f"<ArticleTitle>{escape(work.title)}</ArticleTitle></Article></MedlineCitation>"
        f'<PubmedData><ArticleIdList><ArticleId IdType="pubmed">{work.pmid}</ArticleId>'
        "</ArticleIdList></PubmedData></PubmedArticle>"
    )


def _pubmed_article(work: Work) -> str:
    if work.slim:
        return _pubmed_slim(work)
    abstract = "".join(
        f'<AbstractText Label="{escape(label)}" NlmCategory="{escape(label)}">'
        f"{escape(text)}</AbstractText>"
        if label
        else f"<AbstractText>{escape(text)}"
        + (
            " Staff rated it 4.2 on a 5-point scale (<i>n</i> = 48, <sup>2</sup>)."
            if work.extra_markup
            else ""
        )
        + "</AbstractText>"
        for label, text in work.abstract
    )
    authors = "".join(
        f'<Author ValidYN="Y"><LastName>{escape(f)}</LastName><ForeName>{escape(g)}</ForeName>'
        f"<Initials>{''.join(p[0] for p in g.split())}</Initials></Author>"
        for f, g in work.authors
    )
    if work.collective:
        authors += (
            f'<Author ValidYN="Y"><CollectiveName>{escape(work.collective)}</CollectiveName>'
            "</Author>"
        )
    ptypes = "".join(
        f'<PublicationType UI="D016428">{escape(t)}</PublicationType>'
        for t in work.publication_types
    )
    mesh = "".join(
        f'<MeshHeading><DescriptorName UI="D{i:06d}" MajorTopicYN="N">{escape(m)}'
        "</DescriptorName></MeshHeading>"
        for i, m in enumerate(work.mesh)
    )
    keywords = "".join(f'<Keyword MajorTopicYN="N">{escape(k)}</Keyword>' for k in work.keywords)
    ids = f'<ArticleId IdType="pubmed">{work.pmid}</ArticleId>'
    if work.doi:
        ids += f'<ArticleId IdType="doi">{work.doi}</ArticleId>'
    if work.pmcid:
        ids += f'<ArticleId IdType="pmc">{work.pmcid}</ArticleId>'
    eloc = f'<ELocationID EIdType="doi" ValidYN="Y">{work.doi}</ELocationID>' if work.doi else ""
    start, _, end = work.pages.partition("-")
    pagination = (
        f"<Pagination><StartPage>{start}</StartPage>"
        + (f"<EndPage>{end}</EndPage>" if end else "")
        + f"<MedlinePgn>{work.pages}</MedlinePgn></Pagination>"
        if work.pages
        else ""
    )
    pub = work.published
    return (
        '<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM" IndexingMethod="Automated">'
        f'<PMID Version="1">{work.pmid}</PMID>'
        f"<DateCompleted><Year>{pub.year}</Year><Month>{pub.month:02d}</Month><Day>01</Day>"
        "</DateCompleted>"
        '<Article PubModel="Print-Electronic"><Journal>'
        '<ISSN IssnType="Electronic">1099-0852</ISSN><JournalIssue CitedMedium="Internet">'
        + (f"<Volume>{work.volume}</Volume>" if work.volume else "")
        + (f"<Issue>{work.issue}</Issue>" if work.issue else "")
        + f"<PubDate><Year>{pub.year}</Year><Month>{_MONTHS[pub.month - 1]}</Month></PubDate>"
        f"</JournalIssue><Title>{escape(work.journal)}</Title>"
        f"<ISOAbbreviation>{escape(work.journal[:20])}</ISOAbbreviation></Journal>"
        f"<ArticleTitle>{_pubmed_title(work)}</ArticleTitle>{pagination}{eloc}"
        f"<Abstract>{abstract}<CopyrightInformation>© {pub.year} The Authors."
        "</CopyrightInformation></Abstract>"
        f'<AuthorList CompleteYN="Y">{authors}</AuthorList>'
        f"<Language>{work.language}</Language>"
        f"<PublicationTypeList>{ptypes}</PublicationTypeList>"
        f'<ArticleDate DateType="Electronic"><Year>{pub.year}</Year><Month>{pub.month:02d}</Month>'
        f"<Day>{pub.day:02d}</Day></ArticleDate></Article>"
        "<MedlineJournalInfo><Country>England</Country><MedlineTA>Child Abuse Rev</MedlineTA>"
        "</MedlineJournalInfo>"
        + (f"<MeshHeadingList>{mesh}</MeshHeadingList>" if mesh else "")
        + (f'<KeywordList Owner="NOTNLM">{keywords}</KeywordList>' if keywords else "")
        + "</MedlineCitation><PubmedData><History>"
        f'<PubMedPubDate PubStatus="pubmed"><Year>{pub.year}</Year><Month>{pub.month}</Month>'
        "<Day>1</Day></PubMedPubDate></History><PublicationStatus>ppublish</PublicationStatus>"
        f"<ArticleIdList>{ids}</ArticleIdList>"
        # references carry other works' identifiers, which must not be taken as this one's
        "<ReferenceList><Reference><Citation>An earlier study.</Citation><ArticleIdList>"
        '<ArticleId IdType="doi">10.5555/cited.reference</ArticleId>'
        '<ArticleId IdType="pubmed">11111111</ArticleId></ArticleIdList></Reference>'
        "</ReferenceList></PubmedData></PubmedArticle>"
    )


def _pubmed_book(work: Work) -> str:
    return (
        "<PubmedBookArticle><BookDocument>"
        f'<PMID Version="1">{work.pmid}</PMID>'
        f'<ArticleIdList><ArticleId IdType="bookaccession">NBK{work.index}</ArticleId>'
        "</ArticleIdList><Book><Publisher><PublisherName>"
        f"{escape(work.institution or work.collective)}</PublisherName>"
        "<PublisherLocation>London</PublisherLocation></Publisher>"
        f'<BookTitle book="tic{work.index}">{escape(work.title)}</BookTitle>'
        f"<PubDate><Year>{work.published.year}</Year></PubDate></Book>"
        f"<Language>{work.language}</Language>"
        f'<AuthorList Type="authors"><Author><CollectiveName>{escape(work.collective)}'
        "</CollectiveName></Author></AuthorList>"
        '<PublicationType UI="D000072300">Review</PublicationType>'
        f"<Abstract><AbstractText>{escape(work.abstract_text)}</AbstractText></Abstract>"
        "</BookDocument><PubmedBookData><History/><PublicationStatus>ppublish"
        "</PublicationStatus><ArticleIdList>"
        f'<ArticleId IdType="pubmed">{work.pmid}</ArticleId></ArticleIdList>'
        "</PubmedBookData></PubmedBookArticle>"
    )


def pubmed_xml(works: Sequence[Work]) -> bytes:
    """A ``PubmedArticleSet`` efetch body; reports come as ``PubmedBookArticle``."""
    articles = "".join(
        _pubmed_book(w) if w.item_type == "report" else _pubmed_article(w) for w in works
    )
    return (
        '<?xml version="1.0" ?>\n'
        '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
        '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
        f"<PubmedArticleSet>{articles}</PubmedArticleSet>\n"
    ).encode()


def europepmc_result(work: Work) -> dict[str, Any]:
    """A ``resultType=core`` result."""
    abstract = "".join(
        f"<h4>{label.title()}</h4>{text}" if label else text for label, text in work.abstract
    )
    result: dict[str, Any] = {
        "id": work.pmid,
        "source": "MED",
        "pmid": work.pmid,
        "title": work.title + ".",
        "authorString": ", ".join(
            f"{f} {''.join(p[0] for p in g.split())}" for f, g in work.authors
        )
        + ".",
        "authorList": {
            "author": [
                {
                    "fullName": f"{f} {''.join(p[0] for p in g.split())}",
                    "firstName": g,
                    "lastName": f,
                    "initials": "".join(p[0] for p in g.split()),
                }
                for f, g in work.authors
            ]
            + ([{"collectiveName": work.collective}] if work.collective else [])
        },
        "journalInfo": {
            "issue": work.issue,
            "volume": work.volume,
            "yearOfPublication": work.published.year,
            "printPublicationDate": work.published.isoformat(),
            "journal": {"title": work.journal, "issn": "0952-9136"},
        },
        "pubYear": str(work.published.year),
        "pageInfo": work.pages,
        "language": work.language,
        "pubTypeList": {"pubType": list(work.publication_types)},
        "abstractText": abstract,
        "isOpenAccess": "N",
        "citedByCount": 3,
        "firstPublicationDate": work.published.isoformat(),
    }
    if work.doi:
        result["doi"] = work.doi
    if work.pmcid:
        result["pmcid"] = work.pmcid
    if work.keywords:
        result["keywordList"] = {"keyword": list(work.keywords)}
    if work.mesh:
        result["meshHeadingList"] = {
            "meshHeading": [{"majorTopic_YN": "N", "descriptorName": m} for m in work.mesh]
        }
    return result


def inverted_index(text: str) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for position, word in enumerate(text.split()):
        index.setdefault(word, []).append(position)
    return index


def openalex_work(work: Work) -> dict[str, Any]:
    """An OpenAlex Work object (current schema, with some newer keys the client ignores)."""
    first, _, last = work.pages.partition("-")
    ids: dict[str, str] = {
        "openalex": f"https://openalex.org/{work.openalex_id}",
        "pmid": f"https://pubmed.ncbi.nlm.nih.gov/{work.pmid}",
    }
    if work.doi:
        ids["doi"] = f"https://doi.org/{work.doi}"
    if work.pmcid:
        ids["pmcid"] = f"https://www.ncbi.nlm.nih.gov/pmc/articles/{work.pmcid[3:]}"
    return {
        "id": f"https://openalex.org/{work.openalex_id}",
        "doi": f"https://doi.org/{work.doi}" if work.doi else None,
        "title": work.title,
        "display_name": work.title,
        "publication_year": work.published.year,
        "publication_date": work.published.isoformat(),
        "ids": ids,
        "language": {"eng": "en", "ger": "de"}.get(work.language, work.language),
        "primary_location": {
            "is_oa": False,
            "landing_page_url": f"https://doi.org/{work.doi}" if work.doi else None,
            "source": {
                "id": "https://openalex.org/S1",
                "display_name": work.journal,
                "issn_l": "0952-9136",
                "host_organization_name": "Wiley",
                "type": "journal",
            }
            if work.journal
            else None,
        },
        "type": "article",
        "authorships": [
            {
                "author_position": "first" if i == 0 else "middle",
                "author": {"id": f"https://openalex.org/A{i}", "display_name": f"{g} {f}"},
                "institutions": [],
                "raw_author_name": f"{g} {f}",
            }
            for i, (f, g) in enumerate(work.authors)
        ],
        "biblio": {
            "volume": work.volume or None,
            "issue": work.issue or None,
            "first_page": first or None,
            "last_page": last or None,
        },
        "keywords": [
            {"id": "https://openalex.org/keywords/k", "display_name": k, "score": 0.5}
            for k in work.keywords
        ],
        "primary_topic": {"id": "https://openalex.org/T1", "display_name": "Child welfare"},
        "fwci": 1.2,
        "abstract_inverted_index": inverted_index(work.abstract_text) if work.abstract else None,
        "cited_by_count": 4,
        "updated_date": "2025-01-01T00:00:00",
    }


def crossref_item(work: Work) -> dict[str, Any]:
    """A Crossref work (``items`` member) with a JATS abstract."""
    jats = "".join(
        f"<jats:sec><jats:title>{escape(label.title())}</jats:title>"
        f"<jats:p>{escape(text)}</jats:p></jats:sec>"
        if label
        else f"<jats:p>{escape(text)}</jats:p>"
        for label, text in work.abstract
    )
    pub = work.published
    item: dict[str, Any] = {
        "DOI": work.doi.upper() if work.index % 2 else work.doi,
        "type": "journal-article" if work.item_type == "journalArticle" else "report",
        "title": [work.title],
        "author": [
            {
                "given": g,
                "family": f,
                "sequence": "first" if i == 0 else "additional",
                "affiliation": [],
            }
            for i, (f, g) in enumerate(work.authors)
        ]
        + (
            [{"name": work.collective, "sequence": "additional", "affiliation": []}]
            if work.collective
            else []
        ),
        "container-title": [work.journal] if work.journal else [],
        "publisher": "Wiley",
        "issued": {"date-parts": [[pub.year, pub.month, pub.day]]},
        "published-print": {"date-parts": [[pub.year, pub.month]]},
        "abstract": jats,
        "language": {"eng": "en", "ger": "de"}.get(work.language, work.language),
        "ISSN": ["0952-9136", "1099-0852"],
        "URL": f"https://doi.org/{work.doi}",
        "score": 12.5,
        "reference-count": 40,
    }
    for key, value in (("volume", work.volume), ("issue", work.issue), ("page", work.pages)):
        if value:
            item[key] = value
    return item


def zotero_item(work: Work) -> dict[str, Any]:
    """A Zotero Web API item (``format=json``)."""
    creators: list[dict[str, str]] = [
        {"creatorType": "author", "firstName": g, "lastName": f} for f, g in work.authors
    ]
    if work.collective:
        creators.append({"creatorType": "author", "name": work.collective})
    data: dict[str, Any] = {
        "key": work.zotero_key,
        "version": 1200 + work.index,
        "itemType": work.item_type,
        "title": work.title,
        "creators": creators,
        "abstractNote": work.abstract_text,
        "date": f"{_MONTHS[work.published.month - 1]} {work.published.year}",
        "language": "en-GB" if work.language == "eng" else work.language,
        "url": work.url,
        "accessDate": "2025-03-01T10:00:00Z",
        "extra": "",
        "tags": [{"tag": t} for t in (*work.keywords, *work.tags)],
        "collections": ["TICHOMES"],
        "relations": {},
        "dateAdded": "2025-03-01T10:00:00Z",
        "dateModified": "2025-03-01T10:00:00Z",
    }
    if work.item_type == "journalArticle":
        data.update(
            publicationTitle=work.journal,
            volume=work.volume,
            issue=work.issue,
            pages=work.pages,
            ISSN="0952-9136",
        )
        if work.doi and work.index % 3:
            data["DOI"] = work.doi
        elif work.doi:
            data["extra"] = f"DOI: {work.doi}\nPMID: {work.pmid}"
    else:
        data.update(institution=work.institution, reportType="Research report", place="London")
    return {
        "key": work.zotero_key,
        "version": 1200 + work.index,
        "library": {"type": "group", "id": 2400000, "name": "TIC review grey literature"},
        "links": {
            "self": {
                "href": f"https://api.zotero.org/groups/2400000/items/{work.zotero_key}",
                "type": "application/json",
            },
            "alternate": {
                "href": f"https://www.zotero.org/groups/tic/items/{work.zotero_key}",
                "type": "text/html",
            },
        },
        "meta": {
            "creatorSummary": work.authors[0][0] if work.authors else work.collective,
            "parsedDate": work.published.isoformat(),
            "numChildren": 1,
        },
        "data": data,
    }


def zotero_items(found: Sequence[Work]) -> list[dict[str, Any]]:
    """Items as a collection listing returns them: each work, then its note and PDF."""
    items: list[dict[str, Any]] = []
    for work in found:
        parent = zotero_item(work)
        items.append(parent)
        if work.index % 2 == 0:
            items.append(_child(work, "note", note=f"<p>Screened by AO on {date(2025, 3, 2)}</p>"))
        if work.index % 3 == 0:
            items.append(
                _child(
                    work,
                    "attachment",
                    title="Full Text PDF",
                    contentType="application/pdf",
                    linkMode="imported_url",
                )
            )
    return items


def _child(work: Work, kind: str, **fields: str) -> dict[str, Any]:
    key = "C" + work.zotero_key[1:] if kind == "note" else "P" + work.zotero_key[1:]
    return {
        "key": key,
        "version": 1300 + work.index,
        "library": {"type": "group", "id": 2400000, "name": "TIC review grey literature"},
        "links": {},
        "meta": {},
        "data": {
            "key": key,
            "version": 1300 + work.index,
            "itemType": kind,
            "parentItem": work.zotero_key,
            "tags": [],
            "relations": {},
            **fields,
        },
    }
