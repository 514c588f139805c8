"""Helpers every export parser shares: names, pages, ISSNs, abstracts, and record ids.

Parsers turn one file into raw values and hand them to a :class:`RecordCollector`, which
chooses each record's ``source_id`` (the export's own id, else ``<file name>#<n>``), makes
repeated ids unique, builds the record with :func:`realist_review.records.make_record`, and
logs what a reviewer should know (repeated ids, records without a title), and refuses a
field the record table could not hold (longer than ``tables.MAX_FIELD_CHARS``).

Every parser builds its author list with :func:`author_list`: one set of rules for the
conventions exports use (``Family, Given``, ``Family Initials`` in any script, suffixes,
``Given Family``, organisations and group authors kept as written, placeholders such as
``[No author name available]`` dropped, a doubled list read once).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from operator import attrgetter
from pathlib import PurePath
from typing import Any, cast
from urllib.parse import unquote

from realist_review.errors import InputError
from realist_review.records import (
    LIST_COLUMNS,
    RECORD_COLUMNS,
    Record,
    Source,
    clean_text,
    make_record,
    normalize_author,
    normalize_doi,
    normalize_pmid,
    record_to_row,
)
from realist_review.tables import MAX_FIELD_CHARS

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
    it starts on.

    Continuation lines are kept as pieces and joined once, when :attr:`tags` is read, so a
    field continued over a million lines costs linear time (joining a growing string per
    line was quadratic: 10^6 continuation lines did not finish in 300 s).
    """

    line: int
    _pieces: dict[str, list[list[str]]] = field(default_factory=dict, repr=False)
    _joined: dict[str, list[str]] | None = field(default=None, repr=False)
    _order: list[str] = field(default_factory=list, repr=False)

    @property
    def tags(self) -> dict[str, list[str]]:
        """Field values by tag, in file order (continuation text joined with spaces)."""
        if self._joined is None:
            self._joined = {
                tag: [" ".join(parts).strip() if len(parts) > 1 else parts[0] for parts in values]
                for tag, values in self._pieces.items()
            }
        return self._joined

    def add(self, tag: str, value: str) -> None:
        """Add one field value."""
        values = self._pieces.get(tag)
        if values is None:
            self._pieces[tag] = [[value]]
        else:
            values.append([value])
        self._order.append(tag)
        if self._joined is not None:
            self._joined = None

    def continue_field(self, tag: str, text: str, *, new_item: bool) -> None:
        """An untagged line after field ``tag``: another item of it, or more of its text."""
        values = self._pieces[tag]
        if new_item:
            values.append([text])
            self._order.append(tag)
        else:
            values[-1].append(text)
        self._joined = None

    def has(self, tag: str) -> bool:
        """True when the record has a value for ``tag`` (cheap while parsing)."""
        return tag in self._pieces

    @property
    def first_tag(self) -> str:
        """The tag of the record's first line."""
        return self._order[0] if self._order else ""

    def tags_in_order(self, *tags: str) -> list[str]:
        """The tag of each value :meth:`in_order` gives, in the same order."""
        return [tag for tag in self._order if tag in tags]

    def in_order(self, *tags: str) -> list[str]:
        """The values of several tags interleaved as they appear in the file (RIS ``A1`` and
        ``AU``, MEDLINE ``FAU`` and ``CN``)."""
        joined = self.tags
        seen = dict.fromkeys(tags, 0)
        out: list[str] = []
        for tag in self._order:
            if tag in seen:
                out.append(joined[tag][seen[tag]])
                seen[tag] += 1
        return out


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
class Group(str):
    """An author that is a group or an organisation (Web of Science ``CA``, MEDLINE ``CN``, a
    braced BibTeX name): written to the record as it is, never turned into ``Family, Given``."""

    __slots__ = ()


_ORG_WORDS = frozenset(
    """of and for the & inc ltd llc plc dept department council association
    institute institution university college clearinghouse committee agency office centre
    center board ministry service services government network foundation trust
    organization organisation commission cmssn group society league associates authority
    consortium collaboration collaborative project team coalition alliance partnership
    unit comm members investigators writing study soc assoc natl inst univ grp ctr""".split()  # noqa: SIM905
)
_PARTICLES = frozenset(
    """van von de der den del della da das dos du di la le ten ter op st st. mac""".split()  # noqa: SIM905
)
#: Name suffixes (``Pope III C.A.``, ``Smith J Jr``): not initials, not a family name.
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "2nd", "3rd"})
_TITLES_RE = re.compile(r"\b(?:Prof|Dr|Mr|Mrs|Ms|PhD|MD)\.\s*")
_SCOPUS_ID_RE = re.compile(r"\s*\(\d{5,}\)\s*$")
#: What exports write where a record has no author (Scopus, PsycINFO, EBSCO).
_NO_AUTHOR_RE = re.compile(
    r"^\[?\s*(?:no author(?: name)?(?: available| given| listed)?|anonymous|anon\.?"
    r"|no authorship indicated|not available|and others|et al)\s*\]?\.?$",
    re.IGNORECASE,
)
_WORD_SPLIT_RE = re.compile(r"[^\w'-]+")
_DIGIT_RE = re.compile(r"\d")


def _has_org_word(name: str) -> bool:
    """A digit, ``&`` or a word such as 'of', 'Inc', 'Council' (whole words, any case)."""
    if "&" in name or _DIGIT_RE.search(name):
        return True
    return not _ORG_WORDS.isdisjoint(_WORD_SPLIT_RE.split(name.lower()))


def is_initials(token: str) -> bool:
    """True for a token of initials: ``J``, ``JA``, ``J.A.``, ``J.-P.``, ``Ø.`` (any script)."""
    letters = token.replace(".", "").replace("-", "")
    if not 1 <= len(letters) <= 4 or not letters.isalpha() or not letters.isupper():
        return False
    return "." in token or len(letters) <= 3


def _is_suffix(token: str) -> bool:
    return token.lower() in _SUFFIXES


def is_organisation(name: str) -> bool:
    """True when a name reads as an organisation (a word such as 'of', 'Inc', 'Council').

    A name shaped like a person's (``Center M.M.``: a family name and initials) is a person
    even when one of its words is such a word.
    """
    words = " ".join(t for t in name.split() if not _is_suffix(t))  # "Petricoin 3rd"
    return _has_org_word(words) and not _person_shaped(name)


def _person_shaped(name: str) -> bool:
    """``Family Initials`` or ``Initials Family`` with at most four words (suffixes aside)."""
    if "," in name:
        family, _, given = name.partition(",")
        words = given.replace(",", " ").split()
        return (
            bool(words)
            and len(family.split()) <= 3
            and all(is_initials(w) or _is_suffix(w) for w in words)
        )
    tokens = [t for t in name.split() if not _is_suffix(t)]
    if not 2 <= len(tokens) <= 4:
        return False
    return is_initials(tokens[-1]) != is_initials(tokens[0])


def _spread(initials: str) -> str:
    return " ".join(initials) if initials.isalpha() and initials.isupper() else initials


def person_name(name: str, *, given_after_family: bool = False) -> str:
    """A person's name as ``Family, Given`` (``, Suffix``), whatever order it was written in.

    ``Waldinger R J`` -> ``Waldinger, R J``; ``Neilen AD`` -> ``Neilen, A D``; ``Fluge Ø.``
    -> ``Fluge, Ø.``; ``Pope III C.A.`` -> ``Pope, C.A., III``; ``J.A. Smith`` -> ``Smith,
    J.A.``; ``Le Quintrec M`` -> ``Le Quintrec, M``. A comma-less name of whole words is
    ``Given Family`` (``Mary Lacity`` -> ``Lacity, Mary``) unless ``given_after_family``
    (the export writes ``Family Given``: ``Janko Wolfgang`` -> ``Janko, Wolfgang``). A name
    with a comma is kept.
    """
    name = " ".join(name.split()).strip(" ,;")
    if not name or "," in name:
        return name
    tokens = name.split(" ")
    suffix = [t for t in tokens[1:] if _is_suffix(t)]
    tokens = [tokens[0], *(t for t in tokens[1:] if not _is_suffix(t))]
    tail = f", {' '.join(suffix)}" if suffix else ""
    if len(tokens) < 2:
        return f"{tokens[0]}{tail}" if suffix else name
    k = len(tokens)  # trailing run of initials, leaving at least one word for the family
    while k > 1 and is_initials(tokens[k - 1]):
        k -= 1
    if k < len(tokens):
        initials = " ".join(_spread(t) if "." not in t else t for t in tokens[k:])
        return f"{' '.join(tokens[:k])}, {initials}{tail}"
    lead = is_initials(tokens[0]) and ("." in tokens[0] or len(tokens[0].strip("-")) == 1)
    if given_after_family and not lead and len(tokens) <= 5:
        k = 1
        while k < len(tokens) - 1 and tokens[k - 1].lower() in _PARTICLES:
            k += 1
        return f"{' '.join(tokens[:k])}, {' '.join(tokens[k:])}{tail}"
    if len(tokens) > 5:
        return name
    k = len(tokens) - 1  # Given Family ("J.A. Smith" too): the family name with its particles
    while k > 1 and tokens[k - 1].lower() in _PARTICLES:
        k -= 1
    return f"{' '.join(tokens[k:])}, {' '.join(tokens[:k])}{tail}"


def family_first(name: str, *, given_after_family: bool = False) -> str:
    """``Family, Given`` for a person (see :func:`person_name`); organisations as written."""
    name = " ".join(name.split())
    if not name or "," in name or is_organisation(name):
        return name
    return person_name(name, given_after_family=given_after_family)


def _looks_like_family_initials(part: str) -> bool:
    tokens = [t for t in part.split() if not _is_suffix(t)]
    return 2 <= len(tokens) <= 5 and is_initials(tokens[-1]) and not is_initials(tokens[0])


def _looks_like_full_name(part: str) -> bool:
    """``Joseph Rottman``, ``Mary C. Lacity``: two to four capitalised words, not initials
    only, no organisation word."""
    tokens = part.split()
    return (
        2 <= len(tokens) <= 4
        and not all(is_initials(t) for t in tokens)
        and all(t[:1].isupper() or t.lower() in _PARTICLES for t in tokens)
        and not _has_org_word(part)
    )


_RUN_TOGETHER_DOT_RE = re.compile(r"(?<=\.)(?=[^\W\d_](?:[^\W\d_]|'))")
_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])")
_CAMEL_KEEP = ("Mc", "Mac", "De", "Di", "Le", "La", "Van", "Von", "Du", "Da", "O'", "D'", "St")
_ET_AL_RE = re.compile(r"^(?:et al\.?|\.\.\.|…)$", re.IGNORECASE)


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

    Handles ``A and B`` (BibTeX, any case), ``A; B``, ``Smith J, Jones K`` and ``Jemal A.,
    Bray F., Center M.M.`` (Scopus, Embase, PubMed CSV; initials in any script), IEEE's
    ``Joseph Rottman, Erran Carmel, Mary Lacity``, a single ``Smith, John``, ``Smith, J.,
    Jones, K.`` pairs, ``Pala A.Schmitz A. L.`` (run together after initials) and ``Araz R.
    AlievNigar T. Ismayilova`` (SpringerLink). Scopus author ids in brackets, titles such
    as ``Prof.``, ``et al.`` and ``[No author name available]`` are dropped.
    """
    value = " ".join(value.split())
    if not value or _NO_AUTHOR_RE.match(value):
        return []
    if value.endswith(".") and "." not in value[:-1]:
        value = value[:-1]  # PubMed CSV ends its list with a period: "Lim SM, Lau Y."
    and_parts = re.split(r"\s+and\s+", value, flags=re.IGNORECASE if bibtex else 0)
    pieces = [p.strip() for p in value.split(",") if p.strip()]
    names = [p for p in pieces if not _ET_AL_RE.match(p)]
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
        family_initials = [_looks_like_family_initials(p) for p in names]
        # Scopus: every piece "Family Initials", or a few full names among pieces that end
        # with dotted initials ("Jemal A., Janko Wolfgang"; not "Flores Rivera, Alejandro R")
        initials_list = len(pieces) >= 2 and all(family_initials)
        if not initials_list and sum(family_initials) * 2 >= len(names) >= 3:
            initials_list = all(
                ("." in p.split()[-1]) if f else _looks_like_full_name(p)
                for f, p in zip(family_initials, names, strict=True)
            )
        full_names = len(names) >= 3 and all(_looks_like_full_name(p) for p in names)
        if names and initials_list:
            # a full name among "Family Initials" names is written family first too
            parts = [
                p if f else person_name(p, given_after_family=True)
                for f, p in zip(family_initials, names, strict=True)
            ]
        elif names and full_names:
            parts = names
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
        if part and not _ET_AL_RE.match(part) and not _NO_AUTHOR_RE.match(part):
            out.append(part)
    return out


def collapse_repeated_list(names: Sequence[str]) -> list[str]:
    """A list written twice in a row (EPPI-Reviewer's doubling: ``A, B, C, A, B, C``, also
    reordered or with one name spelt differently in a longer repeat) once; a name that
    merely repeats (two people called ``Innocenti, M.``) is kept twice.

    The repeat is a tail of at least two names, no longer than the rest, whose names all
    (all but one, from four names on) are among the names before it.
    """
    n = len(names)
    repeats = n - len(set(names))
    if repeats < 1:
        return list(names)  # all names differ: the common case, in linear time
    # a tail of t names repeats at least t - 1 of them, so only short tails need a look
    for k in range(max((n + 1) // 2, n - repeats - 1), n - 1):
        head, tail = names[:k], names[k:]
        missing = sum((Counter(tail) - Counter(head)).values())
        if missing == 0 or (missing == 1 and len(tail) >= 4):
            return list(head)
    return list(names)


def author_list(
    values: Iterable[str],
    *,
    groups: Iterable[str] = (),
    given_after_family: bool = False,
    split: bool = False,
    bibtex: bool = False,
) -> list[str]:
    """The one author list every parser builds: people as ``Family, Given``, organisations
    and ``groups`` (WoS ``CA``, MEDLINE ``CN``) as :class:`Group` (kept as written),
    placeholders (``[No author name available]``) dropped, a doubled list collapsed.

    ``split`` splits each value as a cell of several names (:func:`split_authors`).
    """
    out: list[str] = []
    for value in values:
        if isinstance(value, Group):
            out.append(value)
            continue
        for name in split_authors(value, bibtex=bibtex) if split else [value]:
            name = " ".join(name.split()).strip(" ;,")
            if not name or _NO_AUTHOR_RE.match(name):
                continue
            if is_organisation(name):
                out.append(Group(name))
            else:
                out.append(person_name(name, given_after_family=given_after_family))
    out = collapse_repeated_list(out)
    out += [Group(g) for g in (" ".join(g.split()) for g in groups) if g]
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


_TEXT_COLUMNS = attrgetter(
    *(c for c in RECORD_COLUMNS if c not in LIST_COLUMNS and c not in ("year", "source"))
)
_LIST_COLUMNS = attrgetter(*sorted(LIST_COLUMNS))


@dataclass
class RecordCollector:
    """Collects one file's records, choosing and de-duplicating ``source_id`` values."""

    source: Source
    search_id: str
    file_name: str
    records: list[Record] = field(default_factory=list, init=False)
    _seen: dict[str, int] = field(default_factory=dict, init=False)
    _seen_where: dict[str, str] = field(default_factory=dict, init=False)
    _next_suffix: dict[str, int] = field(default_factory=dict, init=False)
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
        ``line 12``) is used in the warning when that id repeats. Authors given as
        :class:`Group` are kept as written. A field longer than the record table's cell
        limit stops with an :class:`InputError` naming the file, the record and the field.
        """
        n = len(self.records) + 1
        where = where or f"record {n}"
        source_id = clean_id(own_id) or f"{self.label}#{n}"
        if source_id in self._seen:
            # the next free '#k' for this id: kept per id, so many repeats stay linear
            k = self._next_suffix.get(source_id, 2)
            while f"{source_id}#{k}" in self._seen:
                k += 1
            self._next_suffix[source_id] = k + 1
            first_where = self._seen_where.get(source_id, "")
            self._repeats.append(f"{source_id!r} ({first_where} and {where})")
            source_id = f"{source_id}#{k}"
        self._seen[source_id] = n
        self._seen_where.setdefault(source_id, where)
        values = cast("dict[str, Any]", fields)
        if len(normalize_pmid(values.get("pmid", ""))) > 10:  # not a PubMed id: say so, drop it
            self._bad_pmids.append(f"{source_id}: {str(values['pmid'])[:30]!r}")
            values = {**values, "pmid": ""}
        authors = values.get("authors") or ()
        groups = any(isinstance(a, Group) for a in authors)
        if groups:
            values = {**values, "authors": ()}
        record = make_record(
            source=self.source, source_id=source_id, search_id=self.search_id, **values
        )
        if groups:  # make_record would turn a group's name round like a person's
            names = [
                clean_text(a).replace(";", ",") if isinstance(a, Group) else normalize_author(a)
                for a in authors
            ]
            record = replace(record, authors=tuple(a for a in names if a))
        self._check_sizes(record, where)
        if not record.title:
            self._untitled.append(source_id)
        self.records.append(record)
        return record

    def _check_sizes(self, record: Record, where: str) -> None:
        """Refuse a field the record table could not be read back with (``csv`` field limit)."""
        total = sum(map(len, _TEXT_COLUMNS(record))) + sum(
            len(item) + 2 for items in _LIST_COLUMNS(record) for item in items
        )
        if total <= MAX_FIELD_CHARS:
            return  # no cell can be longer than the whole row
        for column, cell in record_to_row(record).items():
            if len(cell) > MAX_FIELD_CHARS:
                raise InputError(
                    f"{self.file_name}: {where} (record {record.source_id!r}): the {column} "
                    f"field has {len(cell):,} characters, more than the limit of "
                    f"{MAX_FIELD_CHARS:,} for one field. This is usually a broken export (an "
                    "unclosed field that ran on through later records): check that record, "
                    "or export the file again."
                )

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
