"""Helpers every export parser shares: names, pages, ISSNs, abstracts, and record ids.

Parsers turn one file into raw values and hand them to a :class:`RecordCollector`, which
chooses each record's ``source_id`` (the export's own id, else ``<file name>#<n>``), makes
repeated ids unique, builds the record with :func:`realist_review.records.make_record`, and
logs what a reviewer should know (repeated ids, records without a title).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, cast
from urllib.parse import unquote

from realist_review.errors import InputError
from realist_review.records import (
    Record,
    Source,
    clean_text,
    make_record,
    normalize_doi,
    normalize_pmid,
)

log = logging.getLogger(__name__)

#: Longest own id used as a ``source_id``; longer values fall back to ``<file>#<n>``.
MAX_ID_CHARS = 200


# --------------------------------------------------------------------------------------------
# Text and line handling
# --------------------------------------------------------------------------------------------
def split_lines(text: str) -> list[str]:
    """Lines of ``text`` with any line-end convention and a leading BOM removed."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


def numbered_lines(text: str) -> Iterator[tuple[int, str]]:
    """``(line number, line without trailing white space)`` for each line of ``text``."""
    for number, line in enumerate(split_lines(text), start=1):
        yield number, line.rstrip()


# --------------------------------------------------------------------------------------------
# Tagged-line exports (RIS, MEDLINE, Web of Science, EndNote tagged text)
# --------------------------------------------------------------------------------------------
@dataclass
class RawRecord:
    """The tagged values of one record of a tagged-line export, in file order, and the line
    it starts on."""

    line: int
    tags: dict[str, list[str]] = field(default_factory=dict)

    def add(self, tag: str, value: str) -> None:
        """Add one field value."""
        self.tags.setdefault(tag, []).append(value)

    def continue_field(self, tag: str, text: str, *, new_item: bool) -> None:
        """An untagged line after field ``tag``: another item of it, or more of its text."""
        values = self.tags[tag]
        if new_item:
            values.append(text)
        else:
            values[-1] = f"{values[-1]} {text}".strip()


def keep_unclosed(
    records: list[RawRecord],
    last: RawRecord | None,
    unclosed: Sequence[int],
    *,
    file_name: str,
    logger: logging.Logger,
    last_message: str,
    unclosed_message: str,
) -> list[RawRecord]:
    """Keep the record the end of the file left open and warn about records never closed.

    For exports whose records end with a closing tag (RIS, Web of Science). ``last_message``
    takes the file name and the open record's line; ``unclosed_message`` the file name, the
    count of records closed only by the next one, and (up to ten of) their lines.
    """
    if last is not None:
        logger.warning(last_message, file_name, last.line)
        records.append(last)
    if unclosed:
        logger.warning(
            unclosed_message, file_name, len(unclosed), ", ".join(map(str, unclosed[:10]))
        )
    return records


def first(values: Sequence[str] | None) -> str:
    """First non-blank value of a list, or ``""``."""
    for value in values or ():
        if value and value.strip():
            return value.strip()
    return ""


def preview(line: str, limit: int = 60) -> str:
    """A short quoted excerpt of a line for an error message."""
    line = line.strip()
    return repr(line if len(line) <= limit else line[: limit - 1] + "…")


# --------------------------------------------------------------------------------------------
# Authors
# --------------------------------------------------------------------------------------------
_INITIALS_RE = re.compile(r"^(?:[A-Z]\.?-?){1,4}$")
_SPREAD_RE = re.compile(r"^[A-Z]{2,3}$")
_ORG_WORDS = frozenset(
    """of and for the & inc ltd llc plc dept department council association
    institute institution university college clearinghouse committee agency office centre
    center board ministry service services government network foundation trust
    organization organisation commission cmssn group society league associates authority
    consortium collaboration collaborative project team coalition alliance partnership
    unit""".split()  # noqa: SIM905
)
_PARTICLES = frozenset(
    """van von de der den del della da das dos du di la le ten ter op st st. mac""".split()  # noqa: SIM905
)
_TITLES_RE = re.compile(r"\b(?:Prof|Dr|Mr|Mrs|Ms|PhD|MD)\.\s*")
_SCOPUS_ID_RE = re.compile(r"\s*\(\d{5,}\)\s*$")


_ORG_RE = re.compile(
    r"\d|(?<![\w'-])(?:" + "|".join(re.escape(w) for w in sorted(_ORG_WORDS)) + r")(?![\w'-])",
    re.IGNORECASE,
)


def is_organisation(name: str) -> bool:
    """True when a name reads as an organisation (a word such as 'of', 'Inc', 'Council')."""
    return _ORG_RE.search(name) is not None


def family_first(name: str, *, given_after_family: bool = False) -> str:
    """Put a comma after the family name of a comma-less ``Family Initials`` name.

    ``Waldinger R J`` -> ``Waldinger, R J``; ``Neilen AD`` -> ``Neilen, A D``;
    ``Le Quintrec M`` -> ``Le Quintrec, M``. With ``given_after_family`` (EPPI-Reviewer
    exports, which write ``Family Given``) ``Gurney-Smith Ben`` -> ``Gurney-Smith, Ben``.
    Names with a comma, organisations and ``Given Family`` names are returned unchanged.
    """
    name = " ".join(name.split())
    if not name or "," in name or is_organisation(name):
        return name
    tokens = name.split(" ")
    if len(tokens) < 2:
        return name
    # trailing run of initials, leaving at least one token for the family name
    k = len(tokens)
    while k > 1 and _INITIALS_RE.match(tokens[k - 1]):
        k -= 1
    if k < len(tokens):
        family, initials = tokens[:k], tokens[k:]
        spread = [" ".join(t) if _SPREAD_RE.match(t) else t for t in initials]
        return f"{' '.join(family)}, {' '.join(spread)}"
    if given_after_family and len(tokens) <= 5:
        k = 1
        while k < len(tokens) - 1 and tokens[k - 1].lower() in _PARTICLES:
            k += 1
        return f"{' '.join(tokens[:k])}, {' '.join(tokens[k:])}"
    return name


def _looks_like_family_initials(part: str) -> bool:
    tokens = part.split()
    return len(tokens) >= 2 and bool(_INITIALS_RE.match(tokens[-1])) and not is_organisation(part)


_RUN_TOGETHER_DOT_RE = re.compile(r"(?<=\.)(?=[^\W\d_](?:[^\W\d_]|'))")
_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])")
_CAMEL_KEEP = ("Mc", "Mac", "De", "Di", "Le", "La", "Van", "Von", "Du", "Da", "O'", "D'", "St")


def _split_camel(value: str) -> list[str]:
    """Split ``Araz R. AlievNigar T. Ismayilova`` (SpringerLink) at lower->upper joins."""
    pieces: list[str] = []
    start = 0
    for match in _CAMEL_RE.finditer(value):
        cut = match.start()
        word_start = value.rfind(" ", start, cut) + 1
        prefix = value[max(word_start, start) : cut]
        if prefix in _CAMEL_KEEP or (prefix.endswith(_CAMEL_KEEP) and len(prefix) <= 3):
            continue
        pieces.append(value[start:cut])
        start = cut
    pieces.append(value[start:])
    return pieces


def split_authors(value: str, *, bibtex: bool = False) -> list[str]:
    """Split one cell of author names into names, whatever the export's convention.

    Handles ``A and B`` (BibTeX), ``A; B``, ``Smith J, Jones K`` (Scopus, Embase, PubMed
    CSV), a single ``Smith, John``, ``Pala A.Schmitz A. L.`` (run together after initials)
    and ``Araz R. AlievNigar T. Ismayilova`` (SpringerLink). Scopus author ids in brackets
    and titles such as ``Prof.`` are dropped.
    """
    value = " ".join(value.split())
    if not value:
        return []
    if value.endswith(".") and "." not in value[:-1]:
        value = value[:-1]  # PubMed CSV ends its list with a period: "Lim SM, Lau Y."
    and_parts = re.split(r"\s+and\s+", value)
    if (bibtex and len(and_parts) > 1) or (
        len(and_parts) > 1
        and "," in value
        and ";" not in value
        and all(p.count(",") <= 1 for p in and_parts)
    ):
        parts = and_parts
    elif ";" in value:
        parts = value.split(";")
    elif "," in value:
        pieces = [p.strip() for p in value.split(",") if p.strip()]
        if len(pieces) >= 2 and all(
            _looks_like_family_initials(p) or p.lower().rstrip(".") == "et al" for p in pieces
        ):
            parts = pieces
        elif len(pieces) >= 4 and len(pieces) % 2 == 0 and all(" " not in p for p in pieces):
            parts = [f"{pieces[i]}, {pieces[i + 1]}" for i in range(0, len(pieces), 2)]
        else:
            parts = [value]
    elif _RUN_TOGETHER_DOT_RE.search(value):
        parts = _RUN_TOGETHER_DOT_RE.split(value)
    elif _CAMEL_RE.search(value):
        parts = _split_camel(value)
    else:
        parts = [value]
    out: list[str] = []
    for part in parts:
        part = _SCOPUS_ID_RE.sub("", _TITLES_RE.sub("", part)).strip(" ;,")
        if part and part.lower().rstrip(".") != "et al":
            out.append(part)
    return out


# --------------------------------------------------------------------------------------------
# Pages, ISSN/ISBN, DOI
# --------------------------------------------------------------------------------------------
_RANGE_RE = re.compile(r"^\s*([A-Za-z]*\d+[A-Za-z]*)\s*(?:-+|–|—|to)\s*([A-Za-z]*\d+[A-Za-z]*)\s*$")


def format_pages(start: str = "", end: str = "") -> str:
    """``start-end`` from separate or combined page fields.

    MEDLINE-style abbreviated ranges are written out (``349-69`` -> ``349-369``); a range
    whose ends are equal is one page; Ovid's ``No``/``Specified`` placeholder is dropped.
    """
    start, end = " ".join((start or "").split()), " ".join((end or "").split())
    if start.lower() == "no" and end.lower().startswith("specified"):
        return ""
    if start and not end:
        match = _RANGE_RE.match(start)
        if match:
            start, end = match.groups()
    if not start:
        return end
    if not end or end == start:
        return start
    if start.isdigit() and end.isdigit() and len(end) < len(start):
        expanded = start[: len(start) - len(end)] + end
        if int(expanded) >= int(start):
            end = expanded
    return f"{start}-{end}"


_ISSN_RE = re.compile(r"(?<!\d)(?<!\d-)(\d{4})-?(\d{3}[\dXx])(?![\dXx]|-\d)")
_ISBN_RE = re.compile(
    r"(?<![\dXx])(?<![\dXx][- ])(?:97[89][- ]?)?(?:\d[- ]?){9}[\dXx](?![- ]?[\dXx])"
)


def find_issn(*values: str) -> str:
    """First ISSN (``NNNN-NNNX``) in the values, or ``""``."""
    for value in values:
        if not value:
            continue
        for match in _ISSN_RE.finditer(value):
            return f"{match.group(1)}-{match.group(2).upper()}"
    return ""


def find_isbn(*values: str) -> str:
    """First ISBN-10/13 in the values (digits only), or ``""``."""
    for value in values:
        if not value:
            continue
        for match in _ISBN_RE.finditer(value):
            digits = re.sub(r"[- ]", "", match.group(0)).upper()
            if len(digits) in (10, 13):
                return digits
    return ""


def split_issn_isbn(values: Iterable[str], *, is_book: bool = False) -> tuple[str, str]:
    """(ISSN, ISBN) from a field that may hold either (RIS ``SN``, EndNote ``isbn``)."""
    issn = isbn = ""
    for value in values:
        if not value:
            continue
        digits = re.sub(r"[^\dXx]", "", value)
        candidate_isbn = find_isbn(value) if len(digits) >= 10 else ""
        if candidate_isbn and not isbn:
            isbn = candidate_isbn
            continue
        if not issn:
            issn = find_issn(value)
    if is_book and issn and not isbn:
        return "", issn  # an 8-digit book number is not an ISSN; keep it visible as written
    return issn, isbn


#: a DOI in a link ends at a query separator, a space, a quote, or where the next link of
#: links run together begins (``.../10.1177/1971400http://journals...``)
_DOI_IN_URL_RE = re.compile(
    r"(?i)(?:doi(?:\.org)?[:=/]|dx\.doi\.org/)\s*"
    r"(10\.\d{4,9}/[^&\s#?\"]+?)(?=https?:|[&\s#?\"]|$)"
)
#: Page names a publisher's site appends to a DOI in its links (``/doi/10.1002/x/full``).
_URL_PAGE_TAIL_RE = re.compile(
    r"/(?:full|abstract|pdf|epdf|pdfdirect|fulltext|full-text|summary|references|citedby|"
    r"suppinfo|meta|html|figures|info)/?$",
    re.IGNORECASE,
)


def doi_from_url(*values: str) -> str:
    """A DOI written inside a link (``https://doi.org/…``, ``…&id=doi:10.…&…``), or ``""``.

    Percent-encoding and escaped SICI brackets (``&lt;``, ``&gt;``) are decoded; a publisher
    page name after the DOI (``/full``, ``/abstract``) is dropped; a Cochrane CENTRAL address
    (``.../central/doi/10.1002/central/CN-...``) gives ``""``: it names a register entry, not an
    article (see :func:`normalize_doi`).
    """
    for value in values:
        if not value or "10." not in unquote(value):
            continue
        # SICI brackets arrive HTML-escaped, sometimes percent-encoded on top (%26lt%3b)
        text = unquote(value).replace("&lt;", "<").replace("&gt;", ">")
        match = _DOI_IN_URL_RE.search(text)
        if match:
            doi = _URL_PAGE_TAIL_RE.sub("", match.group(1))
            return normalize_doi(doi)
    return ""


# --------------------------------------------------------------------------------------------
# Abstracts
# --------------------------------------------------------------------------------------------
#: (a cheap marker that must be present, the pattern to remove)
_ABSTRACT_NOISE = [
    ("[ABSTRACT", re.compile(r"\s*\[ABSTRACT FROM (?:AUTHOR|PUBLISHER)\]", re.IGNORECASE)),
    ("Copyright of ", re.compile(r"\s*Copyright of .{1,500}? is the property of .*$", re.DOTALL)),
    (
        "Database Record",
        re.compile(
            r"\s*\((?:PsycINFO|PsycInfo) Database Record \(c\) \d{4} APA,? all rights reserved\)"
        ),
    ),
]


def clean_abstract(value: str) -> str:
    """Drop database boilerplate from an abstract (EBSCO, PsycINFO copyright notices)."""
    for marker, pattern in _ABSTRACT_NOISE:
        if marker in value or marker.lower() in value:
            value = pattern.sub("", value)
    return value.strip()


# --------------------------------------------------------------------------------------------
# Record ids and collection
# --------------------------------------------------------------------------------------------
def file_label(file_name: str) -> str:
    """The file name as used in ``<file name>#<n>`` ids (base name; no ``;``)."""
    name = PurePath(str(file_name).replace("\\", "/")).name or "export"
    return name.replace(";", ",")


def clean_id(value: object) -> str:
    """An export's own id as a ``source_id``: cleaned as ``make_record`` will clean it, one
    line, no ``;`` (the table's list separator); ``""`` when nothing usable is left."""
    text = clean_text(value)
    if ";" in text:
        text = text.split(";", 1)[0].strip()
    return text if len(text) <= MAX_ID_CHARS else ""


@dataclass
class RecordCollector:
    """Collects one file's records, choosing and de-duplicating ``source_id`` values."""

    source: Source
    search_id: str
    file_name: str
    records: list[Record] = field(default_factory=list, init=False)
    _seen: dict[str, int] = field(default_factory=dict, init=False)
    _seen_where: dict[str, str] = field(default_factory=dict, init=False)
    _repeats: list[str] = field(default_factory=list, init=False)
    _untitled: list[str] = field(default_factory=list, init=False)
    _bad_pmids: list[str] = field(default_factory=list, init=False)

    @property
    def label(self) -> str:
        """Base name of the file, for ``<file>#<n>`` ids."""
        return file_label(self.file_name)

    def add(self, own_id: object = "", *, where: str = "", **fields: object) -> Record:
        """Build and keep one record (``fields`` as :func:`make_record` takes them).

        ``own_id`` is the export's id for the record, if it has one; ``where`` (e.g.
        ``line 12``) is used in the warning when that id repeats.
        """
        n = len(self.records) + 1
        source_id = clean_id(own_id) or f"{self.label}#{n}"
        if source_id in self._seen:
            k = 2
            while f"{source_id}#{k}" in self._seen:
                k += 1
            first_where = self._seen_where.get(source_id, "")
            self._repeats.append(f"{source_id!r} ({first_where} and {where or f'record {n}'})")
            source_id = f"{source_id}#{k}"
        self._seen[source_id] = n
        self._seen_where.setdefault(source_id, where or f"record {n}")
        values = cast("dict[str, Any]", fields)
        if len(normalize_pmid(values.get("pmid", ""))) > 10:  # not a PubMed id: say so, drop it
            self._bad_pmids.append(f"{source_id}: {str(values['pmid'])[:30]!r}")
            values = {**values, "pmid": ""}
        record = make_record(
            source=self.source, source_id=source_id, search_id=self.search_id, **values
        )
        if not record.title:
            self._untitled.append(source_id)
        self.records.append(record)
        return record

    def finish(self) -> list[Record]:
        """Log what a reviewer should know and return the records in file order."""
        if self._repeats:
            shown = "; ".join(self._repeats[:5]) + (" …" if len(self._repeats) > 5 else "")
            log.warning(
                "%s: %d record(s) repeat an id already used in this file: %s. Each was kept "
                "under '<id>#2', '<id>#3', ... Check the export if these are not duplicates.",
                self.file_name,
                len(self._repeats),
                shown,
            )
        if self._bad_pmids:
            log.warning(
                "%s: %d PubMed id(s) with more than 10 digits were left out (%s)",
                self.file_name,
                len(self._bad_pmids),
                "; ".join(self._bad_pmids[:5]),
            )
        if self._untitled:
            shown = ", ".join(self._untitled[:5]) + (" …" if len(self._untitled) > 5 else "")
            log.warning(
                "%s: %d of %d record(s) have no title (kept; ids %s)",
                self.file_name,
                len(self._untitled),
                len(self.records),
                shown,
            )
        if not self.records:
            raise InputError(f"{self.file_name}: no records found in the file.")
        return self.records
