"""EndNote XML exports (``<xml><records><record>...``), as written by EndNote and Zotero.

Field text is often wrapped in ``<style face=... font=...>`` elements; all text inside a
field is joined. XML is parsed with ``defusedxml`` (no entity expansion, no external DTDs),
since export files are untrusted.

Strict: a file that is not well-formed XML (InputError with the line and column the XML
parser gives), XML whose root is not ``<xml>``/``<records>`` holding ``<record>`` elements,
XML with entity declarations. ``source_id`` is the EndNote record number (``rec-number``).
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from realist_review.errors import InputError
from realist_review.formats.common import (
    RecordCollector,
    author_list,
    clean_abstract,
    doi_from_url,
    format_pages,
    split_issn_isbn,
)
from realist_review.records import Record, Source, normalize_doi

_PUBMED_DB_RE = re.compile(r"NLM|PubMed|MEDLINE", re.IGNORECASE)
_BOOK_TYPES = frozenset({"Book", "Book Section", "Edited Book", "Electronic Book"})


def _text(element: Element | None) -> str:
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def _all(record: Element, path: str) -> list[str]:
    return [t for t in (_text(e) for e in record.findall(path)) if t]


def record_fields(record: Element) -> dict[str, object]:
    """Record fields (as :func:`make_record` takes them) from one ``<record>`` element."""

    def get(*paths: str) -> str:
        for path in paths:
            value = _text(record.find(path))
            if value:
                return value
        return ""

    ref_type = record.find("ref-type")
    type_name = ref_type.get("name", "") if ref_type is not None else ""
    provider = get("remote-database-provider") + " " + get("remote-database-name")
    accession = get("accession-num")
    pmid = accession if accession.isdigit() and _PUBMED_DB_RE.search(provider) else ""
    urls = _all(record, "urls/related-urls/url") + _all(record, "urls/web-urls/url")
    doi_text = get("electronic-resource-num")
    issn, isbn = split_issn_isbn([get("isbn")], is_book=type_name in _BOOK_TYPES)
    return {
        "title": get("titles/title"),
        "abstract": clean_abstract(get("abstract")),
        "authors": author_list(_all(record, "contributors/authors/author")),
        "year": get("dates/year", "dates/pub-dates/date"),
        "journal": get(
            "periodical/full-title",
            "titles/secondary-title",
            "alt-periodical/full-title",
            "periodical/abbr-1",
        ),
        "volume": get("volume"),
        "issue": get("number", "issue"),
        "pages": format_pages(get("pages")),
        "doi": normalize_doi(doi_text) or doi_from_url(*urls),
        "pmid": pmid,
        "pmcid": get("custom2") if "PMC" in get("custom2").upper() else "",
        "issn": issn,
        "isbn": isbn,
        "language": get("language"),
        "publication_type": [type_name] if type_name else [],
        "keywords": _all(record, "keywords/keyword"),
        "publisher": get("publisher"),
        "url": next((u for u in urls if u.lower().startswith(("http://", "https://"))), ""),
    }


def parse(text: str, *, search_id: str, file_name: str) -> list[Record]:
    """Parse an EndNote XML export into records (``source = endnote_xml``)."""
    try:
        root = fromstring(text.lstrip("\ufeff \n\t"))
    except ParseError as exc:
        line, column = exc.position
        raise InputError(
            f"{file_name}: line {line}, column {column}: not well-formed XML "
            f"({str(exc).split(':')[0]}). Export the library from EndNote again "
            "(File > Export > XML), or check the file was not cut short."
        ) from None
    except DefusedXmlException as exc:
        raise InputError(
            f"{file_name}: the XML declares entities or a DTD ({type(exc).__name__}), which "
            "an EndNote export never does; refusing to expand them. Export the file again."
        ) from None
    records = root.findall("records/record") if root.tag == "xml" else root.findall("record")
    if root.tag not in ("xml", "records") or not records:
        raise InputError(
            f"{file_name}: XML with root <{root.tag}> and no <record> elements is not an "
            "EndNote XML export (expected <xml><records><record>...). Export from EndNote "
            "with File > Export > XML, or give the file's real format."
        )
    collector = RecordCollector(source=Source.ENDNOTE_XML, search_id=search_id, file_name=file_name)
    for number, record in enumerate(records, start=1):
        collector.add(
            _text(record.find("rec-number")), where=f"record {number}", **record_fields(record)
        )
    return collector.finish()
