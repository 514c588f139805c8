"""PubMed/MEDLINE text (``.nbib``, "Format: PubMed"), also as written by ERIC.

Each line is a tag padded to four characters, ``-`` and a space (``PMID- 123``,
``TI  - ...``, ``FAU - ...``); continuation lines are indented (six spaces); a blank line
ends a record. The parser is its own (Biopython's ``Bio.Medline`` does the same job but
cannot say on which line a file went wrong).

Lenient: a BOM, leading blank lines, old tags (``DA``, ``PUBM``), a record that starts with
``PMID-`` without a blank line before it, continuation lines that lost their indentation.
Strict (:class:`~realist_review.errors.InputError` with the line): text outside a record
(an indented line after a blank line, or untagged text before the first record) and a file
with no tagged records.
"""

from __future__ import annotations

import re

from realist_review.errors import InputError
from realist_review.formats.common import (
    RawRecord,
    RecordCollector,
    clean_abstract,
    family_first,
    find_isbn,
    find_issn,
    first,
    format_pages,
    numbered_lines,
    preview,
)
from realist_review.records import Record, Source, normalize_doi

_TAG_RE = re.compile(r"^([A-Z][A-Z0-9]{1,4}) *- ?(.*)$")
_DOI_MARK_RE = re.compile(r"\[doi\]\s*$", re.IGNORECASE)
#: Tags that, seen again inside a record, start a new record (files without blank lines).
_RECORD_START = "PMID"


def read_raw(text: str, *, file_name: str) -> list[RawRecord]:
    """Split MEDLINE text into raw records."""
    records: list[RawRecord] = []
    current: RawRecord | None = None
    last_tag = ""
    for number, line in numbered_lines(text):
        if not line.strip():
            current = None
            continue
        indented = line[:1].isspace()
        match = None if indented else _TAG_RE.match(line.lstrip("\ufeff"))
        if match:
            tag, value = match.group(1), match.group(2).strip()
            if current is None or (tag == _RECORD_START and _RECORD_START in current.tags):
                current = RawRecord(line=number)
                records.append(current)
            current.add(tag, value)
            last_tag = tag
            continue
        if current is None:
            what = "an indented continuation line" if indented else "untagged text"
            raise InputError(
                f"{file_name}: line {number}: {what} {preview(line)} is outside a record. "
                "In MEDLINE/PubMed format every line is a tag such as 'TI  - ' or continues "
                "the line above, and a blank line ends a record: remove the blank line "
                "above this one, or the stray text."
            )
        current.continue_field(last_tag, line.strip(), new_item=False)
    if not records:
        raise InputError(
            f"{file_name}: no MEDLINE/PubMed records found (no lines such as 'PMID- ' or "
            "'TI  - '). Check the file, or give its format."
        )
    return records


def _doi(tags: dict[str, list[str]]) -> str:
    ids = tags.get("LID", []) + tags.get("AID", [])
    for value in ids:
        if _DOI_MARK_RE.search(value):
            doi = normalize_doi(value)
            if doi:
                return doi
    for value in ids:
        if "doi" in value.lower() or value.strip().startswith("10."):
            doi = normalize_doi(value)
            if doi:
                return doi
    return ""


def record_fields(raw: RawRecord) -> dict[str, object]:
    """Record fields (as :func:`make_record` takes them) from one MEDLINE record."""
    tags = raw.tags
    names = tags.get("FAU") or tags.get("AU") or []
    authors = [family_first(n) for n in names] + tags.get("CN", [])
    urls = [
        v
        for v in tags.get("LID", []) + tags.get("AID", [])
        if v.lower().startswith(("http://", "https://")) and "doi.org" not in v.lower()
    ]
    return {
        "title": first(tags.get("TI")) or first(tags.get("BTI")) or first(tags.get("VTI")),
        "abstract": " ".join(clean_abstract(v) for v in tags.get("AB", [])),
        "authors": authors,
        "year": first(tags.get("DP")) or first(tags.get("DEP")),
        "journal": first(tags.get("JT")) or first(tags.get("TA")),
        "volume": first(tags.get("VI")),
        "issue": first(tags.get("IP")),
        "pages": format_pages(first(tags.get("PG"))),
        "doi": _doi(tags),
        "pmid": first(tags.get("PMID")),
        "pmcid": first(tags.get("PMC")),
        "issn": find_issn(*tags.get("IS", []), *tags.get("ISSN", [])),
        "isbn": find_isbn(*tags.get("ISBN", [])),
        "language": first(tags.get("LA")),
        "publication_type": tags.get("PT", []),
        "keywords": tags.get("OT", []),
        "mesh_terms": [m.lstrip("*") for m in tags.get("MH", [])],
        "publisher": first(tags.get("PB")),
        "url": first(urls),
    }


def parse(text: str, *, search_id: str, file_name: str) -> list[Record]:
    """Parse MEDLINE/PubMed text into records (``source = nbib``).

    ``source_id`` is the PMID, else ERIC's ``OID``, else ``<file name>#<n>``.
    """
    collector = RecordCollector(source=Source.NBIB, search_id=search_id, file_name=file_name)
    for raw in read_raw(text, file_name=file_name):
        own_id = first(raw.tags.get("PMID")) or first(raw.tags.get("OID"))
        collector.add(own_id, where=f"line {raw.line}", **record_fields(raw))
    return collector.finish()
