"""RIS exports: EndNote, Zotero, Ovid, EBSCO, EPPI-Reviewer, Scopus, ProQuest, IEEE and more.

A record runs from a ``TY  - `` line to an ``ER  - `` line; each field line is a tag of two
letters or digits, two spaces, a dash and a space. Real exports bend this, and the parser
follows them where no data can end up in the wrong place:

Lenient (accepted, and logged where a reviewer may care):

- a byte-order mark, any line ends (EBSCO and IEEE use CRLF, some files stray CRs), leading
  blank lines, and blank lines inside a record;
- untagged continuation lines (EndNote writes extra keywords, addresses and URLs one per
  line without a tag; abstracts wrap): a continuation of a list field (``AU``, ``KW``,
  ``UR``, ...) is a new item, of any other field more text for it. A line reading ``ER then
  ...`` is text, not the end of the record: only ``ER  -`` ends one;
- one-space or four-letter tags that some tools write (``KW - x``, ``PMID - 123``);
- notes the databases put around records: Ovid's numbered ``1.`` lines and ``Link to the
  Ovid Full Text ...``, ``Record #1 of 2``, ``Provider:``/``Database:``/``Content:`` (and a
  few other known labels) headers, ``%`` comments, and Ovid's ``NL`` line after ``ER``;
- a record without ``ER`` when the next ``TY`` or the end of the file closes it (warned).

Fields (RIS specification): ``AU`` and ``A1`` are one author field, read in file order; a
name both give is one person (EPPI-Reviewer and ERIC write the list under both), a name one
of them repeats is two people, and a whole list written twice is read once. The year is
``PY``, else ``DA`` (the date), else the deprecated ``Y1``; a compact date (``PY  - Start
date: 20170812``) gives its year. DOIs go to :func:`realist_review.records.normalize_doi`
whole (never cut at a space or bracket first).

Strict (stops with :class:`~realist_review.errors.InputError` naming the line), because the
data would be lost or given to the wrong record:

- a file with no ``TY  -`` line at all;
- a field line outside a record (after ``ER``, before the next ``TY``): its record lost its
  ``TY`` line, so its fields cannot be placed;
- free text outside a record that is not one of the database notes above;
- untagged text right after a ``TY`` line (there is no field for it to continue).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from realist_review.errors import InputError
from realist_review.formats.common import (
    RawRecord,
    RecordCollector,
    author_list,
    clean_abstract,
    doi_from_url,
    first,
    format_pages,
    keep_unclosed,
    numbered_lines,
    preview,
    split_issn_isbn,
)
from realist_review.records import Record, Source, normalize_doi, normalize_pmid, parse_year

log = logging.getLogger(__name__)

_TAG_RE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")
_LOOSE_TAG_RE = re.compile(r"^([A-Z][A-Z0-9]{1,3}) {0,3}-(?: +(.*)|\s*)$")
_HAS_TY_RE = re.compile(r"^\ufeff?TY {1,2}-", re.MULTILINE)
#: Notes databases write outside records: Ovid's "1." and "Link to the Ovid Full Text ...",
#: "Record #1 of 2", "Provider:"/"Database:"/"Content:" headers, "%" comments.
_NOTE_RE = re.compile(
    r"^(?:\d{1,7}\.|Record #\s*\d+ of \d+.*|%.*"
    r"|(?:Provider|Database|Content|Link to the [A-Za-z ]{1,60}|Date|Downloaded|Exported"
    r"|Search|Query|Results?|Records?|Platform|Format):(?:\s.*)?)$"
)
#: Tags Ovid writes after ``ER`` (ignored: the journal abbreviation is also in ``JA``/``JF``).
_TRAILER_TAGS = frozenset({"NL"})

KNOWN_TAGS = frozenset(
    """TY A1 A2 A3 A4 AB AD AN AU AV BT C1 C2 C3 C4 C5 C6 C7 C8 CA CN CP CT CY DA DB DI DO DP
    ED EP ER ET ID IS J1 J2 JA JF JO KW L1 L2 L3 L4 LA LB LK M1 M2 M3 N1 N2 NV OP PB PP PY
    RI RN RP SE SN SP ST T1 T2 T3 TA TI TT U1 U2 U3 U4 U5 UR VL VO Y1 Y2 PMID""".split()  # noqa: SIM905
)
#: Tags whose untagged continuation lines are new items rather than more text.
_LIST_TAGS = frozenset({"AU", "A1", "A2", "A3", "A4", "KW", "UR", "L1", "L2", "L3", "L4", "AD"})

#: RIS reference types -> the publication type written in the record table.
RIS_TYPES: dict[str, str] = {
    "ABST": "Abstract",
    "ADVS": "Audiovisual Material",
    "AGGR": "Aggregated Database",
    "ART": "Art Work",
    "BILL": "Bill",
    "BLOG": "Blog",
    "BOOK": "Book",
    "CASE": "Case",
    "CHAP": "Book Chapter",
    "CHART": "Chart",
    "CLSWK": "Classical Work",
    "COMP": "Computer Program",
    "CONF": "Conference Proceedings",
    "CPAPER": "Conference Paper",
    "CTLG": "Catalog",
    "DATA": "Dataset",
    "DBASE": "Online Database",
    "DICT": "Dictionary",
    "EBOOK": "Electronic Book",
    "ECHAP": "Electronic Book Section",
    "EDBOOK": "Edited Book",
    "EJOUR": "Electronic Article",
    "ELEC": "Web Page",
    "ENCYC": "Encyclopedia",
    "EQUA": "Equation",
    "FIGURE": "Figure",
    "GEN": "Generic",
    "GOVDOC": "Government Document",
    "GRANT": "Grant",
    "HEAR": "Hearing",
    "ICOMM": "Internet Communication",
    "INPR": "In Press",
    "JFULL": "Journal (full)",
    "JOUR": "Journal Article",
    "LEGAL": "Legal Rule or Regulation",
    "MANSCPT": "Manuscript",
    "MAP": "Map",
    "MGZN": "Magazine Article",
    "MPCT": "Motion Picture",
    "MULTI": "Online Multimedia",
    "MUSIC": "Music Score",
    "NEWS": "Newspaper Article",
    "PAMP": "Pamphlet",
    "PAT": "Patent",
    "PCOMM": "Personal Communication",
    "RPRT": "Report",
    "SER": "Serial Publication",
    "SLIDE": "Slide",
    "SOUND": "Sound Recording",
    "STAND": "Standard",
    "STAT": "Statute",
    "THES": "Thesis",
    "UNBILL": "Unenacted Bill",
    "UNPB": "Unpublished Work",
    "VIDEO": "Video Recording",
}
_TYPE_CODES = {name.lower(): code for code, name in RIS_TYPES.items()}
_BOOK_TYPES = frozenset({"BOOK", "EBOOK", "EDBOOK", "CHAP", "ECHAP", "CLSWK", "DICT", "ENCYC"})
_PUBMED_DB_RE = re.compile(r"NLM|PubMed|MEDLINE", re.IGNORECASE)
_SCOPUS_EID_RE = re.compile(r"[?&]eid=(2-s2\.0-\d+)")
_ACCESSION_RE = re.compile(r"Accession Number:\s*([A-Za-z0-9._:-]+)")
_SOURCE_INFO_RE = re.compile(r"(?:Source Info|Publication Date):\s*([^;]*)")
_M3_TYPE_RE = re.compile(r"^[A-Za-z][A-Za-z ,&'-]{1,39}$")


def _match_tag(line: str) -> tuple[str, str] | None:
    match = _TAG_RE.match(line)
    if match:
        return match.group(1), (match.group(2) or "").strip()
    match = _LOOSE_TAG_RE.match(line)
    if match and match.group(1) in KNOWN_TAGS:
        return match.group(1), (match.group(2) or "").strip()
    return None


def read_raw(text: str, *, file_name: str) -> list[RawRecord]:
    """Split RIS text into raw records (see the module docstring for what is accepted)."""
    if not _HAS_TY_RE.search(text):
        raise InputError(
            f"{file_name}: no RIS records: no line starts with 'TY  - ' (the line that opens "
            "each record). Check that this is a RIS export; if it is another format, give "
            "its format (--format, or `format:` on this search in config/config.yaml)."
        )
    records: list[RawRecord] = []
    current: RawRecord | None = None
    last_tag = ""
    unclosed: list[int] = []
    for number, line in numbered_lines(text):
        if not line.strip():
            continue
        tagged = _match_tag(line.lstrip("\ufeff"))
        if tagged is not None:
            tag, value = tagged
            if tag == "TY":
                if current is not None:
                    unclosed.append(current.line)
                    records.append(current)
                current = RawRecord(line=number)
                current.add("TY", value)
            elif tag == "ER":
                if current is not None:
                    records.append(current)
                current = None
            elif current is not None:
                current.add(tag, value)
            elif tag not in _TRAILER_TAGS:
                raise InputError(
                    f"{file_name}: line {number}: field {tag} ({preview(line)}) is outside a "
                    "record: the record it belongs to has no 'TY  - ' line. Add the missing "
                    "'TY  - ' line (for example 'TY  - JOUR') before this record's first field, "
                    "or delete the stray lines."
                )
            last_tag = tag
            continue
        if current is None:
            if _NOTE_RE.match(line.strip()):
                continue
            raise InputError(
                f"{file_name}: line {number}: text {preview(line)} is outside a record (after "
                "an 'ER  - ' line and before the next 'TY  - ' line). If it belongs to the "
                "record above, move it before that record's 'ER  - ' line; if it is a note "
                "from the database, delete it."
            )
        if last_tag == "TY":
            raise InputError(
                f"{file_name}: line {number}: untagged text {preview(line)} right after the "
                "'TY  - ' line; text without a tag must continue a field. Give the line its "
                "tag (for example 'TI  - ' for a title)."
            )
        current.continue_field(last_tag, line.strip(), new_item=last_tag in _LIST_TAGS)
    return keep_unclosed(
        records,
        current,
        unclosed,
        file_name=file_name,
        logger=log,
        last_message="%s: the last record (line %d) has no 'ER  - ' line; kept.",
        unclosed_message="%s: %d record(s) have no 'ER  - ' line before the next 'TY  - ' "
        "(line(s) %s); each was closed there and kept.",
    )


# --------------------------------------------------------------------------------------------
# Field mapping
# --------------------------------------------------------------------------------------------
def _author_values(raw: RawRecord) -> list[str]:
    """``AU`` and ``A1`` (the same field, RIS spec) in file order. A name both tags give is
    one person (EPPI-Reviewer and ERIC write the list under both); a name one tag repeats
    is two people (two authors called ``Innocenti, M.``)."""
    au, a1 = raw.tags.get("AU", []), raw.tags.get("A1", [])
    if not (au and a1):
        return au or a1
    seen: dict[str, dict[str, int]] = {"AU": {}, "A1": {}}
    out: list[str] = []
    for tag, value in zip(raw.tags_in_order("AU", "A1"), raw.in_order("AU", "A1"), strict=True):
        key = " ".join(value.split()).lower()
        mine, other = seen[tag], seen["A1" if tag == "AU" else "AU"]
        mine[key] = mine.get(key, 0) + 1
        if other.get(key, 0) < mine[key]:
            out.append(value)
    return out


def _authors(values: Iterable[str], *, given_after_family: bool) -> list[str]:
    return author_list([v for v in values if v.strip()], given_after_family=given_after_family)


#: ``PY  - 20170812`` or ``Start date: 20170812``: a compact date, which has a year.
_COMPACT_DATE_RE = re.compile(
    r"(?<!\d)(1[5-9]\d\d|20\d\d|21\d\d)(?:0[1-9]|1[0-2])(?:[0-2]\d|3[01])(?!\d)"
)


def _year_text(value: str) -> str:
    """The value when it holds a year (``2017``, ``2017/08/12/``, ``Start date: 20170812``)."""
    if parse_year(value) is not None:
        return value
    match = _COMPACT_DATE_RE.search(value)
    return match.group(1) if match else ""


def _first_url(*lists: list[str] | None) -> str:
    for values in lists:
        for value in values or ():
            for token in value.split():
                if token.lower().startswith(("http://", "https://")):
                    return token.rstrip(";,")
    return ""


def _doi(tags: dict[str, list[str]]) -> str:
    for tag in ("DO", "DI"):
        for value in tags.get(tag, ()):
            doi = normalize_doi(value)
            if doi:
                return doi
    for tag in ("L3", "M3", "N1", "C7"):
        for value in tags.get(tag, ()):
            stripped = value.strip()
            if stripped.startswith("10.") or stripped.lower().startswith(("doi", "http")):
                doi = normalize_doi(stripped)
                if doi:
                    return doi
    return normalize_doi(
        doi_from_url(*(v for t in ("UR", "L2", "LK", "L1", "L4") for v in tags.get(t, ())))
    )


def _own_id(tags: dict[str, list[str]]) -> str:
    for tag in ("AN", "U1", "ID"):
        value = first(tags.get(tag))
        if value:
            return value
    for note in tags.get("N1", ()):
        match = _ACCESSION_RE.search(note)
        if match:
            return match.group(1)
    for url in tags.get("UR", ()):
        match = _SCOPUS_EID_RE.search(url)
        if match:
            return match.group(1)
    return ""


def _pmid(tags: dict[str, list[str]]) -> str:
    for tag in ("PMID", "PM"):
        value = normalize_pmid(first(tags.get(tag)))
        if value:
            return value
    origin = " ".join(tags.get("DP", []) + tags.get("DB", []))
    an = first(tags.get("AN"))
    if an and _PUBMED_DB_RE.search(origin) and re.fullmatch(r"\d{1,9}", an):
        return normalize_pmid(an)
    return ""


def record_fields(raw: RawRecord, *, given_after_family: bool = False) -> dict[str, object]:
    """Record fields (as :func:`make_record` takes them) from one raw RIS record."""
    tags = raw.tags
    ty = first(tags.get("TY")).upper()
    is_book = ty in _BOOK_TYPES
    title = first(tags.get("TI")) or first(tags.get("T1")) or first(tags.get("CT"))
    book_title = first(tags.get("BT"))
    if not title and is_book and book_title:
        title, book_title = book_title, ""
    if not title:
        title = first(tags.get("ST"))
    journal = ""
    for tag in ("JF", "JO", "T2", "JA", "J2", "J1"):
        journal = first(tags.get(tag))
        if journal:
            break
    journal = journal or book_title
    abstracts = [clean_abstract(v) for v in tags.get("AB", [])]
    abstract = " ".join(a for a in abstracts if a) or " ".join(
        a for a in (clean_abstract(v) for v in tags.get("N2", [])) if a
    )
    year = ""
    # PY is the year; DA (the date) wins over Y1, the deprecated primary date (RIS spec)
    for tag in ("PY", "DA", "Y1", "Y2", "N1"):
        for value in tags.get(tag, ()):
            if tag == "N1":  # EBSCO notes: "Source Info: Winter2010, Vol. 34 Issue 4, p50"
                match = _SOURCE_INFO_RE.search(value)
                value = match.group(1) if match else ""
            year = _year_text(value)
            if year:
                break
        if year:
            break
    pub_types = [RIS_TYPES.get(ty, first(tags.get("TY")))] if ty else []
    for value in tags.get("M3", ()):
        if _M3_TYPE_RE.match(value.strip()):
            pub_types.append(value.strip())
    keywords = [k for value in tags.get("KW", ()) for k in value.split(";")]
    issn, isbn = split_issn_isbn(tags.get("SN", []), is_book=is_book)
    return {
        "title": title,
        "abstract": abstract,
        "authors": _authors(_author_values(raw), given_after_family=given_after_family),
        "year": year,
        "journal": journal,
        "volume": first(tags.get("VL")) or first(tags.get("VO")),
        "issue": first(tags.get("IS")) or first(tags.get("CP")),
        "pages": format_pages(first(tags.get("SP")), first(tags.get("EP"))),
        "doi": _doi(tags),
        "pmid": _pmid(tags),
        "pmcid": first([v for v in tags.get("C2", []) if "PMC" in v.upper()]),
        "issn": issn,
        "isbn": isbn,
        "language": first(tags.get("LA")),
        "publication_type": pub_types,
        "keywords": keywords,
        "url": _first_url(tags.get("UR"), tags.get("L2"), tags.get("LK"), tags.get("L4")),
        "publisher": first(tags.get("PB")),
    }


def _given_after_family(records: list[RawRecord]) -> bool:
    """EPPI-Reviewer writes ``Family Given`` without a comma; tell such files apart."""
    if not any("U1" in r.tags for r in records):
        return False
    with_comma = without = 0
    for record in records:
        for name in record.tags.get("AU", []) + record.tags.get("A1", []):
            if "," in name:
                with_comma += 1
            elif " " in name.strip():
                without += 1
    return without > with_comma


def parse(text: str, *, search_id: str, file_name: str) -> list[Record]:
    """Parse a RIS export into records (``source = ris``)."""
    raw_records = read_raw(text, file_name=file_name)
    given_after_family = _given_after_family(raw_records)
    collector = RecordCollector(source=Source.RIS, search_id=search_id, file_name=file_name)
    for raw in raw_records:
        collector.add(
            _own_id(raw.tags),
            where=f"line {raw.line}",
            **record_fields(raw, given_after_family=given_after_family),
        )
    return collector.finish()


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------
def write_ris(records: Iterable[Record]) -> str:
    """Write records as RIS text (for reference managers), one ``TY``...``ER`` block each.

    ``ID`` carries the record's ``source_id``; a PubMed id goes in ``AN`` with ``DB  -
    PubMed`` (so reading the text back gives the PMID as the own id). Publication types
    without a RIS code are written as ``M3``. Reading the text back with :func:`parse` gives
    the same field values.
    """
    lines: list[str] = []
    for record in records:
        names = record.publication_type
        code = next((_TYPE_CODES[n.lower()] for n in names if n.lower() in _TYPE_CODES), "GEN")
        lines.append(f"TY  - {code}")
        lines.append(f"ID  - {record.source_id}")
        if record.title:
            lines.append(f"TI  - {record.title}")
        lines.extend(f"AU  - {name}" for name in record.authors)
        if record.year is not None:
            lines.append(f"PY  - {record.year}")
        simple = (
            ("JF", record.journal),
            ("VL", record.volume),
            ("IS", record.issue),
            ("DO", record.doi),
            ("AB", record.abstract),
            ("LA", record.language),
            ("PB", record.publisher),
            ("SN", record.isbn or record.issn),
            ("UR", record.url),
        )
        if record.pages:
            start, _, end = record.pages.partition("-")
            lines.append(f"SP  - {start}")
            if end:
                lines.append(f"EP  - {end}")
        lines.extend(f"{tag}  - {value}" for tag, value in simple if value)
        if record.pmid:
            lines += [f"AN  - {record.pmid}", "DB  - PubMed"]
        lines.extend(f"M3  - {name}" for name in names if name.lower() not in _TYPE_CODES)
        lines.extend(f"KW  - {keyword}" for keyword in record.keywords)
        lines += ["ER  - ", ""]
    return "\n".join(lines)
