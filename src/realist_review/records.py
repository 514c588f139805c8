"""The normalised record: one bibliographic record as every stage sees it.

A *hit* is one result of one executed search; a *record* is one work as one source knows it
(one PubMed PMID, one OpenAlex work, one row of one export file). Parsers turn raw responses
and files into records with :func:`make_record`, which normalises every field the same way
whatever the source. The record table (``results/normalize/records.csv``) holds one row per
record; ``origin`` lists every hit (``<search_id>:<source_id>``) the record came from.
Deduplication never deletes rows: it assigns groups (see ``dedup``).

The column list, order and meaning are documented in ``workflow/schemas/README.md`` and
checked against ``workflow/schemas/record.schema.json``.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from typing import Any

from realist_review.languages import normalize_language

LIST_SEPARATOR = "; "


class Source(StrEnum):
    """Where a record came from: a web API, a file export, or a Zotero library."""

    PUBMED = "pubmed"
    EUROPEPMC = "europepmc"
    OPENALEX = "openalex"
    CROSSREF = "crossref"
    ZOTERO = "zotero"
    RIS = "ris"
    NBIB = "nbib"
    CSV = "csv"
    BIBTEX = "bibtex"
    ENDNOTE_XML = "endnote_xml"
    WOS = "wos"
    REFER = "refer"

    @property
    def is_api(self) -> bool:
        """True for sources queried over HTTP (their ids are global, not per file)."""
        return self in API_SOURCES


API_SOURCES = frozenset(
    {Source.PUBMED, Source.EUROPEPMC, Source.OPENALEX, Source.CROSSREF, Source.ZOTERO}
)
FILE_SOURCES = frozenset(set(Source) - API_SOURCES)


class PrismaGroup(StrEnum):
    """The PRISMA 2020 identification column a search feeds."""

    DATABASES = "databases"
    REGISTERS = "registers"
    OTHER_METHODS = "other_methods"


@dataclass(frozen=True, slots=True)
class Record:
    """One normalised bibliographic record. Lists are tuples; missing values are ``""``/None."""

    record_id: str
    source: Source
    source_id: str
    pmid: str = ""
    pmcid: str = ""
    doi: str = ""
    title: str = ""
    abstract: str = ""
    authors: tuple[str, ...] = ()
    year: int | None = None
    journal: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    language: str = ""
    publication_type: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    mesh_terms: tuple[str, ...] = ()
    issn: str = ""
    isbn: str = ""
    publisher: str = ""
    url: str = ""
    origin: tuple[str, ...] = field(default_factory=tuple)


RECORD_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Record))
LIST_COLUMNS: frozenset[str] = frozenset(
    {"authors", "publication_type", "keywords", "mesh_terms", "origin"}
)


# --------------------------------------------------------------------------------------------
# Field normalisation
# --------------------------------------------------------------------------------------------
_DOI_RE = re.compile(r"10\.\d{4,9}/\S+", re.IGNORECASE)
#: Markup as it appears in raw text: a tag starts with a letter (so "P<.001 and n>40" is text).
_TAG_RE = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]{0,200})?/?>")
#: Inline tags that some sources send HTML-escaped (``&lt;i&gt;``), removed after unescaping.
_ESCAPED_TAG_RE = re.compile(
    r"</?(?:i|b|u|em|strong|sup|sub|sc|p|br|span|scp|italic|bold|jats:[a-z-]+|mml:[a-z]+)"
    r"(?:\s[^<>]{0,200})?/?>",
    re.IGNORECASE,
)
_ORG_WORDS = re.compile(
    r"\b(?:department|ministry|council|association|collaborative|collaboration|institute|"
    r"group|team|centre|center|university|agency|office|society|foundation|trust|network|"
    r"committee|commission|board|services?|nhs|consortium|alliance|partnership|coalition|"
    r"organi[sz]ation|government|unit|programme|program|project|initiative|authority|"
    r"inspectorate|college|school|charity|forum|working|investigators|study)\b",
    re.IGNORECASE,
)
_WS_RE = re.compile(r"\s+")
_YEAR_RE = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d|21\d\d)(?!\d)")
_PMCID_RE = re.compile(r"PMC\d+", re.IGNORECASE)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: object) -> str:
    """Collapse whitespace, unescape HTML entities, drop inline markup and control characters."""
    if value is None:
        return ""
    text = str(value)
    if not text:
        return ""
    if "<" in text:
        text = _TAG_RE.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
        if "<" in text:
            text = _ESCAPED_TAG_RE.sub(" ", text)
    text = _CONTROL_RE.sub("", text)
    text = unicodedata.normalize("NFC", text)
    return _WS_RE.sub(" ", text).strip()


#: Where a DOI starts (``10.<registrant>/``).
_DOI_START_RE = re.compile(r"10\.\d{4,9}/", re.IGNORECASE)
#: Percent-encoded punctuation in DOIs written as links (``%28`` for ``(``, ``%2F`` for ``/``).
#: ``%25`` (``%`` itself), letters, digits and spaces are never decoded, so decoding once is
#: decoding for good (the normaliser stays idempotent).
_DOI_PERCENT_RE = re.compile(r"%(2[1-46-9A-Fa-f]|3[A-Fa-f]|40|5[B-Fb-f]|60|7[B-Eb-e])")
#: Addresses that carry the DOI form but name no article: Cochrane CENTRAL record addresses
#: (``10.1002/central/CN-01234567``) identify a register entry, shared by nothing else.
_NOT_ARTICLE_DOI_RE = re.compile(r"^10\.1002/central/cn-", re.IGNORECASE)
#: After a space, a DOI written SICI-style goes on (``17:13 <1495::AID-SIM863>3.0.CO;2-I``).
_SICI_GOES_ON_RE = re.compile(r"^<|::|^\d\.\d\.co;\d", re.IGNORECASE)
#: A tag after a DOI (MEDLINE ``[doi]``, ``[pii]``) or a new DOI: never part of this one.
_DOI_STOP_TOKEN_RE = re.compile(r"^(?:\[\w+\]|10\.\d{4,9}/|doi\b|https?:)", re.IGNORECASE)
_DOI_PAIRS = {")": "(", "]": "[", ">": "<"}
#: typographic dashes a word processor put into a DOI's hyphens
_DOI_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"))


def _doi_depth(text: str) -> int:
    """How many brackets of ``text`` are still open (never below zero)."""
    depth = 0
    for ch in text:
        if ch in "([<":
            depth += 1
        elif ch in ")]>" and depth:
            depth -= 1
    return depth


def _strip_doi_tail(doi: str) -> str:
    """Drop punctuation that ends a sentence or closes a bracket opened before the DOI."""
    while doi:
        last = doi[-1]
        unbalanced = last in _DOI_PAIRS and doi.count(_DOI_PAIRS[last]) < doi.count(last)
        if not (unbalanced or last in ".,;:'\"}"):
            break
        doi = doi[:-1]
    return doi


def normalize_doi(value: object) -> str:
    """Return the bare, lower-case DOI (``10.xxxx/...``) found in ``value``, or ``""``.

    Accepts ``https://doi.org/...``, ``doi:...``, ``DOI 10...`` and trailing punctuation;
    decodes percent-encoded punctuation of DOIs written as links
    (``http://dx.doi.org/10.1016/0024-3205%2896%2900096-3`` -> ``10.1016/0024-3205(96)00096-3``);
    keeps SICI-style DOIs whole when an export broke them at a space or inside brackets
    (``10.1002/(SICI)1097-0258(19980715)17:13 <1495::AID-SIM863>3.0.CO;2-I``, spaces dropped);
    returns ``""`` for Cochrane CENTRAL register addresses (``10.1002/central/CN-...``), which
    are not article DOIs.
    """
    text = clean_text(value)
    if not text:
        return ""
    if "%" in text:
        text = _DOI_PERCENT_RE.sub(lambda m: chr(int(m.group(1), 16)), text)
    text = text.translate(_DOI_DASHES)
    match = _DOI_START_RE.search(text)
    if not match:
        return ""
    tokens = text[match.start() :].split(" ")
    doi = tokens[0]
    for token in tokens[1:]:
        if not token or _DOI_STOP_TOKEN_RE.match(token):
            break
        if _doi_depth(doi) == 0 and not _SICI_GOES_ON_RE.search(token):
            break
        doi += token
    doi = _strip_doi_tail(doi)
    if not doi.partition("/")[2] or _NOT_ARTICLE_DOI_RE.match(doi):
        return ""
    return doi.lower()


def normalize_pmid(value: object) -> str:
    """Return the digits of a PubMed id, or ``""``."""
    match = re.search(r"\d+", clean_text(value))
    digits = match.group(0).lstrip("0") if match else ""
    return digits


def normalize_pmcid(value: object) -> str:
    """Return ``PMC<digits>`` or ``""``."""
    match = _PMCID_RE.search(clean_text(value))
    return match.group(0).upper() if match else ""


_PAGE_RANGE_RE = re.compile(r"^(\w*?)(\d+)\s*[-\u2010-\u2015]+\s*(\w*?)(\d+)$")


def normalize_pages(value: object) -> str:
    """Pages as ``start-end``: dashes unified, MEDLINE's ``349-69`` written out as ``349-369``."""
    text = clean_text(value)
    match = _PAGE_RANGE_RE.match(text)
    if not match:
        return text
    prefix, start, end_prefix, end = match.groups()
    if end_prefix and end_prefix != prefix:
        return text
    if len(end) < len(start):
        expanded = start[: len(start) - len(end)] + end
        if int(expanded) >= int(start):
            end = expanded
    if end == start:
        return f"{prefix}{start}"
    return f"{prefix}{start}-{prefix}{end}"


def parse_year(value: object) -> int | None:
    """First plausible year (1500-2199) in ``value``; None when there is none."""
    if isinstance(value, int):
        return value if 1500 <= value <= 2199 else None
    match = _YEAR_RE.search(clean_text(value))
    return int(match.group(1)) if match else None


def normalize_author(value: object) -> str:
    """Write a person's name as ``Family, Given`` where the input lets us tell them apart.

    ``Smith, John A.`` stays; ``John A. Smith`` becomes ``Smith, John A.``; ``Smith JA``
    (MEDLINE style) becomes ``Smith, J A``. Organisations (a name with a word such as
    *Department*, *Council*, *Collaborative*, or more than five words) are kept as written.
    """
    name = clean_text(value).replace(";", ",").strip(" ,")
    if not name:
        return ""
    if _ORG_WORDS.search(name):
        return name
    if "," in name:
        family, _, given = name.partition(",")
        return f"{family.strip()}, {given.strip()}".strip(", ")
    parts = name.split(" ")
    if len(parts) == 1:
        return name
    last = parts[-1]
    if len(parts) == 2 and last.isupper() and len(last) <= 3 and last.isalpha():
        return f"{parts[0]}, {' '.join(last)}"
    if len(parts) > 5:  # organisation or collaboration name: keep as written
        return name
    return f"{last}, {' '.join(parts[:-1])}"


def clean_list(values: Iterable[object] | None, *, split: bool = False) -> tuple[str, ...]:
    """Clean each value, drop empties and exact repeats (keeping order).

    With ``split=True`` each value is also split on ``;``. A ``;`` inside a value is written
    as ``,`` because ``;`` separates list items in the CSV tables.
    """
    out: list[str] = []
    seen: set[str] = set()
    for value in values or ():
        pieces = str(value).split(";") if split else [str(value)]
        for piece in pieces:
            text = clean_text(piece).replace(";", ",")
            if text and text not in seen:
                seen.add(text)
                out.append(text)
    return tuple(out)


def make_record_id(source_key: str, source_id: str) -> str:
    """Stable id of a record: a hash of where it came from, never of its content.

    ``source_key`` is the source for API records (a PMID is the same record whatever query
    found it) and the search id for file exports (row ids are only unique within a file).
    """
    digest = hashlib.sha256(f"{source_key}\x1f{source_id}".encode()).hexdigest()
    return f"rec-{digest[:12]}"


def make_record(
    *,
    source: Source | str,
    source_id: str,
    search_id: str,
    authors: Iterable[object] | None = None,
    publication_type: Iterable[object] | None = None,
    keywords: Iterable[object] | None = None,
    mesh_terms: Iterable[object] | None = None,
    year: object = None,
    doi: object = "",
    pmid: object = "",
    pmcid: object = "",
    **text_fields: object,
) -> Record:
    """Build a normalised :class:`Record` from raw parsed values.

    ``text_fields`` may hold ``title, abstract, journal, volume, issue, pages, language,
    issn, isbn, publisher, url``; anything else is a programming error and raises.
    """
    src = Source(source)
    source_id = clean_text(source_id)
    if not source_id:
        raise ValueError(f"{src}: a record needs a source_id (search {search_id})")
    allowed = {
        "title", "abstract", "journal", "volume", "issue", "pages",
        "language", "issn", "isbn", "publisher", "url",
    }  # fmt: skip
    unknown = set(text_fields) - allowed
    if unknown:
        raise TypeError(f"make_record got unknown fields: {sorted(unknown)}")
    texts = {key: clean_text(value) for key, value in text_fields.items()}
    if texts.get("pages"):
        texts["pages"] = normalize_pages(texts["pages"])
    if texts.get("language"):
        texts["language"] = normalize_language(re.split(r"[;,]", texts["language"]))
    source_key = str(src) if src.is_api else search_id
    return Record(
        record_id=make_record_id(source_key, source_id),
        source=src,
        source_id=source_id,
        pmid=normalize_pmid(pmid),
        pmcid=normalize_pmcid(pmcid),
        doi=normalize_doi(doi),
        authors=tuple(a for a in (normalize_author(x) for x in authors or ()) if a),
        year=parse_year(year),
        publication_type=clean_list(publication_type),
        keywords=clean_list(keywords),
        mesh_terms=clean_list(mesh_terms),
        origin=(f"{search_id}:{source_id}",),
        **texts,
    )


def merge_same_record(records: Sequence[Record]) -> Record:
    """Merge rows that are the same record (same ``record_id``) found by several searches.

    The first non-empty value of each field wins (rows are taken in the order given); list
    fields and ``origin`` are united in order. Rows with different ids are a programming error.
    """
    if not records:
        raise ValueError("nothing to merge")
    ids = {r.record_id for r in records}
    if len(ids) != 1:
        raise ValueError(f"merge_same_record got different record ids: {sorted(ids)}")
    merged = records[0]
    for other in records[1:]:
        updates: dict[str, Any] = {}
        for name in RECORD_COLUMNS:
            mine, theirs = getattr(merged, name), getattr(other, name)
            if name in LIST_COLUMNS:
                union = tuple(dict.fromkeys((*mine, *theirs)))
                if union != mine:
                    updates[name] = union
            elif mine in ("", None) and theirs not in ("", None):
                updates[name] = theirs
        if updates:
            merged = replace(merged, **updates)
    return merged


# --------------------------------------------------------------------------------------------
# Table rows
# --------------------------------------------------------------------------------------------
def record_to_row(record: Record) -> dict[str, str]:
    """The CSV row of a record: lists joined by ``"; "``, a missing year as ``""``."""
    row: dict[str, str] = {}
    for name in RECORD_COLUMNS:
        value = getattr(record, name)
        if name in LIST_COLUMNS:
            row[name] = LIST_SEPARATOR.join(value)
        elif value is None:
            row[name] = ""
        else:
            row[name] = str(value)
    return row


def split_list(cell: str) -> tuple[str, ...]:
    """Inverse of the list encoding used in the tables."""
    if not cell:
        return ()
    return tuple(part.strip() for part in cell.split(";") if part.strip())


def row_to_record(row: Mapping[str, str]) -> Record:
    """Rebuild a record from a validated CSV row (see :func:`record_to_row`)."""
    values: dict[str, Any] = {}
    for name in RECORD_COLUMNS:
        cell = row.get(name, "") or ""
        if name in LIST_COLUMNS:
            values[name] = split_list(cell)
        elif name == "year":
            values[name] = int(cell) if cell else None
        elif name == "source":
            values[name] = Source(cell)
        else:
            values[name] = cell
    return Record(**values)
