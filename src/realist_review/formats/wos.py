"""Web of Science plain-text ("field tagged") exports: ``savedrecs.txt`` and ``.ciw``.

The file opens with ``FN Clarivate Analytics Web of Science`` and ``VR 1.0``; each record
runs from ``PT`` to a bare ``ER`` line, and ``EF`` ends the file. A field line is a
two-character tag, a space and the value; continuation lines are indented three spaces
(for ``AU``/``AF``/``C1``/``CR`` each continuation is another item). ``CA`` (group author)
and ``GP`` (book group author) name groups: kept as written after the people.

Lenient: a BOM, a missing ``FN``/``VR`` header or ``EF``, a record without ``ER`` at the
end of the file or before the next ``PT`` (warned). Strict (InputError with the line):
field lines or indented text outside a record (a record lost its ``PT`` line), a file
without records. The tab-delimited WoS export (header ``PT<TAB>AU<TAB>...``) is read by
the CSV parser.
"""

from __future__ import annotations

import logging
import re

from realist_review.errors import InputError
from realist_review.formats.common import (
    RawRecord,
    RecordCollector,
    author_list,
    clean_abstract,
    find_isbn,
    find_issn,
    first,
    format_pages,
    keep_unclosed,
    numbered_lines,
    preview,
)
from realist_review.records import Record, Source

log = logging.getLogger(__name__)

_TAG_RE = re.compile(r"^([A-Z][A-Z0-9])(?: (.*))?$")
_HEADER_TAGS = frozenset({"FN", "VR", "EF"})
_LIST_TAGS = frozenset({"AU", "AF", "BA", "BF", "BE", "CA", "GP", "C1", "C3", "CR", "EM"})


def read_raw(text: str, *, file_name: str) -> list[RawRecord]:
    """Split WoS plain text into raw records."""
    records: list[RawRecord] = []
    current: RawRecord | None = None
    last_tag = ""
    unclosed: list[int] = []
    for number, line in numbered_lines(text):
        if not line.strip():
            continue
        indented = line[:1].isspace()
        match = None if indented else _TAG_RE.match(line.lstrip("\ufeff"))
        if match:
            tag, value = match.group(1), (match.group(2) or "").strip()
            if tag == "PT":
                if current is not None:
                    unclosed.append(current.line)
                    records.append(current)
                current = RawRecord(line=number)
            elif tag == "ER":
                if current is not None:
                    records.append(current)
                current = None
                continue
            elif current is None:
                if tag in _HEADER_TAGS:
                    continue
                raise InputError(
                    f"{file_name}: line {number}: field {tag} ({preview(line)}) is outside a "
                    "record: every Web of Science record starts with a 'PT' line and ends "
                    "with 'ER'. Add the missing 'PT J' line before this record, or delete "
                    "the stray lines."
                )
            current.add(tag, value)
            last_tag = tag
            continue
        if current is None:
            raise InputError(
                f"{file_name}: line {number}: text {preview(line)} is outside a record "
                "(after 'ER', before the next 'PT'). Delete it, or move it into its record."
            )
        current.continue_field(last_tag, line.strip(), new_item=last_tag in _LIST_TAGS)
    keep_unclosed(
        records,
        current,
        unclosed,
        file_name=file_name,
        logger=log,
        last_message="%s: the last record (line %d) has no 'ER' line; kept.",
        unclosed_message="%s: %d record(s) have no 'ER' line before the next 'PT' (line(s) %s); "
        "kept.",
    )
    if not records:
        raise InputError(
            f"{file_name}: no Web of Science records (no 'PT' lines). Check the file, or "
            "give its format."
        )
    return records


def _split(values: list[str] | None) -> list[str]:
    return [part.strip() for value in values or () for part in value.split(";") if part.strip()]


def record_fields(raw: RawRecord) -> dict[str, object]:
    """Record fields (as :func:`make_record` takes them) from one WoS record."""
    tags = raw.tags
    # CA (group author) and GP (book group author) name groups, not people (WoS field tags)
    authors = author_list(
        tags.get("AF") or tags.get("AU") or [], groups=tags.get("CA", []) + tags.get("GP", [])
    )
    return {
        "title": first(tags.get("TI")),
        "abstract": clean_abstract(" ".join(tags.get("AB", []))),
        "authors": authors,
        "year": first(tags.get("PY")) or first(tags.get("PD")) or first(tags.get("EA")),
        "journal": first(tags.get("SO")) or first(tags.get("SE")),
        "volume": first(tags.get("VL")),
        "issue": first(tags.get("IS")),
        "pages": format_pages(first(tags.get("BP")), first(tags.get("EP")))
        or first(tags.get("AR")).removeprefix("UNSP ").strip(),
        "doi": first(tags.get("DI")) or first(tags.get("D2")),
        "pmid": first(tags.get("PM")),
        "issn": find_issn(*tags.get("SN", []), *tags.get("EI", [])),
        "isbn": find_isbn(*tags.get("BN", [])),
        "language": first(tags.get("LA")),
        "publication_type": _split(tags.get("DT")),
        "keywords": _split(tags.get("DE")) + _split(tags.get("ID")),
        "publisher": first(tags.get("PU")),
    }


def parse(text: str, *, search_id: str, file_name: str) -> list[Record]:
    """Parse a WoS plain-text export into records (``source = wos``; ``source_id`` = ``UT``)."""
    collector = RecordCollector(source=Source.WOS, search_id=search_id, file_name=file_name)
    for raw in read_raw(text, file_name=file_name):
        collector.add(first(raw.tags.get("UT")), where=f"line {raw.line}", **record_fields(raw))
    return collector.finish()
