"""A real HTTP server on 127.0.0.1 that answers like the full-text sources, and misbehaves.

Routes (under the server's URL):

- ``/europepmc/{PMCID}/fullTextXML``: JATS with a body (:attr:`FulltextApi.jats`), a
  metadata-only article with status 200 (:attr:`FulltextApi.metadata_only`), else 404;
- ``/unpaywall/{doi}?email=``: Unpaywall's DOI object (422 without ``email``, 404 for an unknown
  DOI) with ``best_oa_location`` and ``oa_locations`` from :attr:`FulltextApi.oa`;
- ``/openalex/works/doi:{doi}``: an OpenAlex work with ``best_oa_location`` and ``locations``;
- ``/files/{name}``: the bodies in :attr:`FulltextApi.files` (a PDF, an HTML challenge with
  status 200, a 403...);
- ``/zotero/{groups|users}/{id}/items/{key}/file``: an imported attachment's file (needs
  ``Authorization: Bearer <zotero_key>`` when a key is set).

Faults (429 with ``Retry-After``, 5xx, delays beyond the timeout, cut-off bodies, closed
connections) are queued with :meth:`fail`, the same machinery as :mod:`support.fake_api`.
:func:`make_pdf` writes a small, valid PDF with a text layer (Helvetica), to be read back by
pypdfium2 (the demo's writer, :func:`tools.demo.fulltext.simple_pdf`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote
from xml.sax.saxutils import escape

from support.fake_api import FakeApi, Reply
from tools.demo.fulltext import simple_pdf

BODY_TEXT = (
    "Staff in residential children's homes described how trauma-informed supervision "
    "changed the way they made sense of young people's behaviour. "
) * 4


@dataclass
class FulltextApi(FakeApi):
    """The full-text routes on top of :class:`support.fake_api.FakeApi`'s server and faults."""

    jats: dict[str, bytes] = field(default_factory=dict)
    metadata_only: set[str] = field(default_factory=set)
    oa: dict[str, list[str]] = field(default_factory=dict)  # doi -> file names under /files/
    closed: set[str] = field(default_factory=set)  # DOIs known but not open access
    files: dict[str, Reply] = field(default_factory=dict)
    zotero_files: dict[str, bytes] = field(default_factory=dict)
    _base: str = ""

    def start(self) -> FulltextApi:
        super().start()
        self._base = self.url  # kept: a delayed reply may be written after stop()
        return self

    def respond(self, path: str, params: dict[str, str], headers: dict[str, str]) -> Reply:
        path = unquote(path)
        if path.startswith("/europepmc/") and path.endswith("/fullTextXML"):
            pmcid = path.split("/")[2]
            if pmcid in self.jats:
                return Reply(200, self.jats[pmcid], "application/xml")
            if pmcid in self.metadata_only:
                return Reply(200, jats_article(pmcid, body=False), "application/xml")
            return Reply(404, b"", "application/xml")
        if path.startswith("/unpaywall/"):
            if not params.get("email"):
                return Reply(
                    422, b'{"error": true, "message": "email required"}', "application/json"
                )
            return self._unpaywall(path.removeprefix("/unpaywall/"))
        if path.startswith("/openalex/works/doi:"):
            return self._openalex(path.removeprefix("/openalex/works/doi:"))
        if path.startswith("/files/"):
            return self.files.get(path.removeprefix("/files/"), Reply(404, b"no", "text/plain"))
        if path.startswith("/zotero/") and path.endswith("/file"):
            if self.zotero_key and headers.get("authorization") != f"Bearer {self.zotero_key}":
                return Reply(403, b"Forbidden", "text/plain")
            key = path.split("/")[-2]
            if key in self.zotero_files:
                return Reply(200, self.zotero_files[key], "application/pdf")
            return Reply(404, b"Not found", "text/plain")
        return Reply(404, b"not found", "text/plain")

    def _urls(self, doi: str) -> list[str]:
        return [f"{self._base}/files/{name}" for name in self.oa.get(doi, [])]

    def _unpaywall(self, doi: str) -> Reply:
        if doi not in self.oa and doi not in self.closed:
            return Reply(404, b'{"error": true, "message": "not found"}', "application/json")
        locations = [
            {
                "url_for_pdf": url,
                "url": url,
                "host_type": "repository",
                "version": "acceptedVersion",
            }
            for url in self._urls(doi)
        ]
        data = {
            "doi": doi,
            "is_oa": bool(locations),
            "best_oa_location": locations[0] if locations else None,
            "oa_locations": locations,
        }
        return Reply(200, json.dumps(data).encode(), "application/json")

    def _openalex(self, doi: str) -> Reply:
        if doi not in self.oa and doi not in self.closed:
            return Reply(404, b'{"error": "Not found"}', "application/json")
        locations = [
            {"is_oa": True, "pdf_url": url, "landing_page_url": url, "source": {"type": "journal"}}
            for url in reversed(self._urls(doi))  # a different order from Unpaywall's
        ]
        data: dict[str, Any] = {
            "id": "https://openalex.org/W1",
            "doi": f"https://doi.org/{doi}",
            "open_access": {"is_oa": bool(locations)},
            "best_oa_location": locations[0] if locations else None,
            "locations": locations,
        }
        return Reply(200, json.dumps(data).encode(), "application/json")


def jats_article(
    pmcid: str, *, title: str = "Trauma-informed care", body: bool = True, doi: str = ""
) -> bytes:
    """A JATS article as Europe PMC serves it; ``body=False``: the metadata-only variant."""
    ids = f'<article-id pub-id-type="pmcid">{escape(pmcid)}</article-id>'
    if doi:
        ids += f'<article-id pub-id-type="doi">{escape(doi)}</article-id>'
    text = (
        f"<body><sec><title>Introduction</title><p>{escape(BODY_TEXT)}</p></sec></body>"
        if body
        else ""
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Archiving and Interchange '
        'DTD v1.2 20190208//EN" "JATS-archivearticle1.dtd">\n'
        '<article xmlns:xlink="http://www.w3.org/1999/xlink" article-type="research-article">'
        f"<front><article-meta>{ids}<title-group><article-title>{escape(title)}"
        "</article-title></title-group></article-meta></front>"
        f"{text}</article>\n"
    ).encode()


def make_pdf(lines: list[str], *, title: str = "") -> bytes:
    """A one-page PDF whose text layer holds ``lines`` (Helvetica 11 pt), optionally a Title."""
    return simple_pdf(lines, title=title)


CHALLENGE_HTML = (
    b"<!DOCTYPE html><html><head><title>Just a moment...</title></head>"
    b"<body>Checking your browser before accessing the site.</body></html>"
)
