"""EndNote's tagged text export (Refer/BibIX: ``%0 Journal Article``, ``%T``, ``%A`` ...).

EndNote writes it with its "Refer/BibIX" output style, often saved with a ``.enl`` or
``.txt`` name (a real ``.enl`` library is a binary database and cannot be read: export it
as XML or RIS). Each line is ``%`` + one character + a space + the value; a blank line ends
a record; a line without ``%`` continues the field above (for ``%A``, ``%E``, ``%K``, ``%U``
it is another item). ``%Q`` is a corporate author (kept as written), ``%?`` a translator
(read, not an author). The records are tagged ``source = refer``, the record table's
kind for EndNote exports.

Strict: text outside a record (an untagged line after a blank line) and a file without
records stop with :class:`~realist_review.errors.InputError` naming the line.
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
    first,
    format_pages,
    numbered_lines,
    preview,
    split_issn_isbn,
)
from realist_review.records import Record, Source

#: ``%`` and one character: letters, digits and EndNote's symbols, among them ``%?`` (the
#: translator, a subsidiary author), ``%@`` (ISBN/ISSN), ``%~`` (database), ``%>`` (file).
_TAG_RE = re.compile(r"^%([0-9A-Z@~!#$\]^&()*+?<>=|\[])(?: (.*))?$")
_LIST_TAGS = frozenset({"A", "E", "K", "U"})
_BOOK_TYPES = frozenset({"Book", "Book Section", "Edited Book", "Electronic Book"})


def read_raw(text: str, *, file_name: str) -> list[RawRecord]:
    """Split Refer text into raw records."""
    records: list[RawRecord] = []
    current: RawRecord | None = None
    last_tag = ""
    for number, line in numbered_lines(text):
        if not line.strip():
            current = None
            continue
        match = _TAG_RE.match(line.lstrip("\ufeff"))
        if match:
            if current is None:
                current = RawRecord(line=number)
                records.append(current)
            last_tag = match.group(1)
            current.add(last_tag, (match.group(2) or "").strip())
            continue
        if current is None:
            raise InputError(
                f"{file_name}: line {number}: text {preview(line)} is outside a record. In "
                "EndNote tagged text every line starts with '%' and a letter (e.g. '%T '), "
                "or continues the line above; a blank line ends a record."
            )
        current.continue_field(last_tag, line.strip(), new_item=last_tag in _LIST_TAGS)
    if not records:
        raise InputError(f"{file_name}: no EndNote tagged records (lines such as '%T title').")
    return records


def record_fields(raw: RawRecord) -> dict[str, object]:
    """Record fields (as :func:`make_record` takes them) from one Refer record."""
    tags = raw.tags
    ref_type = first(tags.get("0"))
    issn, isbn = split_issn_isbn(tags.get("@", []), is_book=ref_type in _BOOK_TYPES)
    urls = tags.get("U", [])
    return {
        "title": first(tags.get("T")),
        "abstract": clean_abstract(" ".join(tags.get("X", []))),
        # %A people; %Q a corporate author, kept as written (%E editors, %? translators and
        # %Y/%S series editors are not authors of the work)
        "authors": author_list(tags.get("A", []), groups=tags.get("Q", [])),
        "year": first(tags.get("D")) or first(tags.get("8")),
        "journal": first(tags.get("J")) or first(tags.get("B")),
        "volume": first(tags.get("V")),
        "issue": first(tags.get("N")),
        "pages": format_pages(first(tags.get("P"))),
        "doi": first(tags.get("R")) or doi_from_url(*urls),
        "issn": issn,
        "isbn": isbn,
        "language": first(tags.get("G")),
        "publication_type": [ref_type] if ref_type else [],
        "keywords": tags.get("K", []),
        "publisher": first(tags.get("I")),
        "url": first(urls),
    }


def parse(text: str, *, search_id: str, file_name: str) -> list[Record]:
    """Parse EndNote tagged text (``source = refer``; ``source_id`` = ``%M``, ``%F``)."""
    collector = RecordCollector(source=Source.REFER, search_id=search_id, file_name=file_name)
    for raw in read_raw(text, file_name=file_name):
        own_id = first(raw.tags.get("M")) or first(raw.tags.get("F"))
        collector.add(own_id, where=f"line {raw.line}", **record_fields(raw))
    return collector.finish()
