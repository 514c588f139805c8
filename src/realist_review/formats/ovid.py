"""Ovid's own text exports (MEDLINE, Embase, PsycINFO ... on Ovid), "Citation" or "Complete
Reference" saved as text, not as RIS.

Each record opens with a number in angle brackets (``<1. >``, ``<2>``); its fields come in
one of Ovid's two displays:

- tagged (the "Reprint/Medlars" fields): ``VN  - Ovid Technologies``, ``TI  - ...``,
  ``AU  - ...``; a line without a tag continues the field above;
- labelled: a field label alone on a line (``Title``, ``Authors``, ``Unique Identifier``,
  ``Source``, ...) and its value on the indented lines below it, one item per line.

Ovid's tags and labels (ospguides field guides): ``TI``/Title, ``AU``/Authors (person
names; bracketed roles such as ``[Inventor]`` dropped), ``FA``/Authors Full Name, ``AB``/
Abstract, ``SO``/Source (``Journal. 201(2-3):327-334, November 15, 2004.``), ``JN``/``JT``
Journal Name, ``VO``/``VI`` Volume, ``IP`` Issue, ``PG`` Pagination, ``YR``/``YP``/Year of
Publication, ``DO``/``DI`` DOI, ``UI`` Unique Identifier (the PMID in Ovid MEDLINE), ``AN``
Accession Number, ``IS`` ISSN, ``IB`` ISBN, ``LG`` Language, ``PT`` Publication Type,
``KW`` Keywords, ``MH`` MeSH headings, ``XL``/``UR`` links, ``DB`` Database. Records are
tagged ``source = ris`` (Ovid's RIS export of the same records is read as RIS).

A file without the ``<1. >`` lines is read too when it opens with ``VN  - Ovid
Technologies``: each ``VN`` line then starts a record. Strict
(:class:`~realist_review.errors.InputError`): no record at all. Text before the first
record (Ovid's search history) is skipped.
"""

from __future__ import annotations

import re

from realist_review.errors import InputError
from realist_review.formats.common import (
    RawRecord,
    RecordCollector,
    author_list,
    clean_abstract,
    doi_from_url,
    find_isbn,
    find_issn,
    first,
    format_pages,
    numbered_lines,
)
from realist_review.records import Record, Source, normalize_doi, normalize_pmid

_RECORD_RE = re.compile(r"^<\s*(\d{1,7})\s*\.?\s*>\s*$")
_TAG_RE = re.compile(r"^([A-Z][A-Z0-9]{1,3}) {1,2}- ?(.*)$")
#: Ovid's field labels (lower case) -> the tag of the same field.
LABELS: dict[str, str] = {
    "title": "TI",
    "authors": "AU",
    "author": "AU",
    "authors full name": "FA",
    "abstract": "AB",
    "source": "SO",
    "journal name": "JN",
    "journal title": "JN",
    "volume": "VO",
    "issue": "IP",
    "pagination": "PG",
    "page": "PG",
    "year of publication": "YR",
    "publication year": "YR",
    "year": "YR",
    "digital object identifier": "DO",
    "doi": "DO",
    "unique identifier": "UI",
    "pubmed id": "UI",
    "accession number": "AN",
    "issn": "IS",
    "international standard serial number": "IS",
    "isbn": "IB",
    "language": "LG",
    "publication type": "PT",
    "keyword heading": "KW",
    "keywords": "KW",
    "mesh subject headings": "MH",
    "subject headings": "MH",
    "url": "UR",
    "link to the ovid full text or citation": "XL",
    "database": "DB",
    "publisher": "PB",
}
_LIST_TAGS = frozenset({"AU", "FA", "KW", "MH", "PT", "XL", "UR"})
_ROLE_RE = re.compile(r"\s*\[[^\]]*\]\s*$|\s*[0-9,*+]+$")
_SO_RE = re.compile(
    r"^(?P<journal>[^.]+?)\.\s*(?P<volume>[\w-]+)?(?:\((?P<issue>[^)]+)\))?"
    r"(?::\s*(?P<pages>[\w-]+))?"
)
_YEAR_IN_SO_RE = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")


_VN_RE = re.compile(r"^VN {1,2}- Ovid Technologies", re.MULTILINE)


def looks_like_ovid(head: str) -> bool:
    """True when the text has Ovid's ``<1. >`` record lines (in its first 40 lines) or
    opens with ``VN  - Ovid Technologies``, the line every Ovid record starts with."""
    for line in head.split("\n", 40)[:40]:
        if line.strip() and _RECORD_RE.match(line.strip()):
            return True
    return _VN_RE.match(head.lstrip("\ufeff \t\r\n")) is not None


def read_raw(text: str, *, file_name: str) -> list[RawRecord]:
    """Split an Ovid text export into raw records (tags, labels mapped to tags)."""
    records: list[RawRecord] = []
    current: RawRecord | None = None
    last_tag = ""
    tagged_display = False
    numbered = any(_RECORD_RE.match(line.strip()) for line in text.split("\n"))
    for number, line in numbered_lines(text):
        stripped = line.strip().lstrip("\ufeff")
        if not stripped:
            continue
        if _RECORD_RE.match(stripped):
            current = RawRecord(line=number)
            records.append(current)
            last_tag, tagged_display = "", False
            continue
        indented = line[:1].isspace()
        tagged = None if indented else _TAG_RE.match(stripped)
        if not numbered and tagged and tagged.group(1) == "VN":
            # a file without "<1. >" lines: each record starts with its VN line
            current = RawRecord(line=number)
            records.append(current)
            last_tag, tagged_display = "", False
        if current is None:
            continue  # search history, headers
        if tagged:
            last_tag, tagged_display = tagged.group(1), True
            current.add(last_tag, tagged.group(2).strip())
        elif not indented and not tagged_display:
            # labelled display: a line at the margin is a label, its value indented below
            label = LABELS.get(" ".join(stripped.lower().split()))
            last_tag = label or "_" + stripped  # an unknown label: its values kept apart
            current.add(last_tag, "")
        elif last_tag:
            current.continue_field(last_tag, stripped, new_item=last_tag in _LIST_TAGS)
    if not records:
        raise InputError(
            f"{file_name}: no Ovid records (lines such as '<1. >' that open each record). "
            "Check the file, or give its format."
        )
    return records


def _values(tags: dict[str, list[str]], tag: str) -> list[str]:
    return [v.strip() for v in tags.get(tag, []) if v.strip()]


def record_fields(raw: RawRecord) -> dict[str, object]:
    """Record fields (as :func:`make_record` takes them) from one Ovid record."""
    tags = raw.tags
    source = first(tags.get("SO"))
    cited = _SO_RE.match(source)
    parts = {k: v for k, v in cited.groupdict().items() if v} if cited else {}
    year = first(tags.get("YR")) or first(tags.get("YP"))
    if not year:
        match = _YEAR_IN_SO_RE.search(source)
        year = match.group(1) if match else ""
    names = _values(tags, "FA") or _values(tags, "AU")
    ids = _values(tags, "DO") + _values(tags, "DI")
    links = _values(tags, "XL") + _values(tags, "UR")
    database = first(tags.get("DB")) + " " + first(tags.get("VN"))
    pmid = first(tags.get("UI")) if "medline" in database.lower() or "PMID" in tags else ""
    return {
        "title": re.sub(r"\s*\[(?:Article|Report|Review)\]\s*$", "", first(tags.get("TI"))),
        "abstract": clean_abstract(" ".join(_values(tags, "AB"))),
        "authors": author_list(_ROLE_RE.sub("", n) for n in names),
        "year": year,
        "journal": first(tags.get("JN")) or first(tags.get("JT")) or parts.get("journal", ""),
        "volume": first(tags.get("VO")) or first(tags.get("VI")) or parts.get("volume", ""),
        "issue": first(tags.get("IP")) or parts.get("issue", ""),
        "pages": format_pages(first(tags.get("PG")) or parts.get("pages", "")),
        "doi": next((d for d in (normalize_doi(v) for v in ids) if d), "") or doi_from_url(*links),
        "pmid": normalize_pmid(first(tags.get("PMID")) or pmid),
        "issn": find_issn(*tags.get("IS", [])),
        "isbn": find_isbn(*tags.get("IB", [])),
        "language": first(tags.get("LG")) or first(tags.get("LA")),
        "publication_type": _values(tags, "PT"),
        "keywords": [k.strip() for v in _values(tags, "KW") for k in v.split(";") if k.strip()],
        "mesh_terms": _values(tags, "MH"),
        "publisher": first(tags.get("PB")),
        "url": next((u for u in links if u.lower().startswith(("http://", "https://"))), ""),
    }


def parse(text: str, *, search_id: str, file_name: str) -> list[Record]:
    """Parse an Ovid text export (``source = ris``; ``source_id`` = ``AN``, else ``UI``)."""
    collector = RecordCollector(source=Source.RIS, search_id=search_id, file_name=file_name)
    for raw in read_raw(text, file_name=file_name):
        own_id = first(raw.tags.get("AN")) or first(raw.tags.get("UI"))
        collector.add(own_id, where=f"line {raw.line}", **record_fields(raw))
    return collector.finish()
