"""Field normalisation for matching: one pass over the records, arrays out.

Every record is reduced to comparison keys (lower-case ASCII title, author surnames, journal
name and its abbreviation signature, first page, volume, year) and to flags that make two
records *different* whatever their similarity: the kind of item (erratum, comment or reply,
retraction notice), the part of a series, numbers in the title, conference abstracts and
preprints. The result is a :class:`Prepared` table of parallel NumPy arrays so that blocking
and scoring work on whole columns.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import numpy.typing as npt

from realist_review.dedup.load import fix_mojibake
from realist_review.records import Record


class Kind(IntEnum):
    """What a record is, as far as matching is concerned. Different kinds never merge."""

    ARTICLE = 0
    ERRATUM = 1
    COMMENT = 2
    RETRACTION = 3


_GREEK = str.maketrans(
    {
        "α": " alpha ", "β": " beta ", "γ": " gamma ", "δ": " delta ", "ε": " epsilon ",
        "κ": " kappa ", "λ": " lambda ", "μ": " mu ", "π": " pi ", "σ": " sigma ",
        "τ": " tau ", "ω": " omega ", "θ": " theta ", "Δ": " delta ", "ß": "ss",
        "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d",
    }
)  # fmt: skip
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_TITLE_NOTES = re.compile(
    r"\[(?:article in|in process|see comment|comment|erratum|published erratum|"
    r"retracted|retraction)[^\]]*(?:\]|$)|\((?:article in|author'?s? transl)[^)]*\)"
    r"|\[(?:review|\d+ refs?|english abstract|[^\W\d_]+)\]"
    r"|\s*(?:\.\.\.|…)\s.*\b(?:19|20)\d\d\b.*$",
    re.IGNORECASE,
)
_ERRATUM_RE = re.compile(
    r"^(?:erratum|errata|correction|corrigendum|corrigenda|addendum|published erratum)\b"
    r"|\b(?:erratum|corrigendum) (?:to|for|in|on)\b|\bcorrection to\b",
)
#: Web of Science titles a correction notice ``<title> (vol 360, pg 542, 2009)``.
_WOS_CORRECTION_RE = re.compile(r"\(\s*vol\.? ?\w+,? pg\.? ?\w+,? (?:19|20)\d\d\s*\)", re.I)
#: Embase titles a correction notice ``<title> (Journal Name (2009) 360 (542-544))``.
_EMBASE_CORRECTION_RE = re.compile(
    r"\([^()]*\(\s*(?:19|20)\d\d\s*\)\s*\d+\s*(?:\([^()]*\))?\s*\)\s*\.?\s*$"
)
#: Embase indexes a letter and the replies printed with it as one item titled
#: ``<title> (multiple letters)``; MEDLINE and others index each letter separately.
_COMPILATION_RE = re.compile(r"\(\s*multiple letters\s*\)", re.IGNORECASE)
#: Bracketed notes; a bracket glued to a word (``H(mox-1)``, ``Ca(2+)``, ``(1)H``, ``[11C]PIB``)
#: is part of the word.
_BRACKETED_RE = re.compile(r"(?<![A-Za-z0-9])(?:\[[^\[\]]*\]|\([^()]*\))(?![A-Za-z0-9])")
_RETRACTION_RE = re.compile(
    r"^(?:retraction|retracted|notice of retraction|withdrawn|expression of concern)\b"
    r"|\bretraction (?:of|note|notice)\b",
)
_COMMENT_RE = re.compile(
    r"^(?:reply|in reply|authors? reply|author s reply|"
    r"authors reply|comment|comments|commentary|letter|letters|editorial comment)\b"
    r"(?! (?:to|of) (?:treatment|therapy|the treatment))",
)
_RE_COLON_RE = re.compile(r"\s*re\s*:", re.IGNORECASE)
_COMMENT_ANY_RE = re.compile(
    r"\b(?:comment on|commentary on|reply to|in reply to|response to the letter|"
    r"letter to the editor|author s reply|authors reply)\b|\b(?:reply|response)$",
)
_PART_RE = re.compile(
    r"\bpart\s+([0-9]+|[ivx]{1,5}|one|two|three|four|five|six|a|b|c)\b"
    r"|\b(?:section|series|paper|study|phase|trial|chapter)\s+([0-9]+|[ivx]{1,5}|one|two|three)\b"
)
_TRAILING_ROMAN_RE = re.compile(r"\b(i|ii|iii|iv|v|vi|vii|viii|ix|x)$")
_DIGITS_RE = re.compile(r"\d+")
_CONFERENCE_RE = re.compile(
    r"\b(?:conference|congress|meeting|symposium|proceedings|abstracts?|annual scientific|"
    r"workshop|colloquium|poster)\b",
    re.IGNORECASE,
)
_CONFERENCE_TYPES = frozenset(
    {"inproceedings", "conference", "conference abstract", "conference paper",
     "meeting abstract", "congresses", "conference proceeding", "proceedings"}
)  # fmt: skip
_PREPRINT_DOI_PREFIXES = ("10.1101/", "10.48550/", "10.2139/", "10.21203/", "10.20944/")
_PREPRINT_JOURNAL_RE = re.compile(
    r"\b(?:biorxiv|medrxiv|arxiv|ssrn|research square|preprints?|psyarxiv|osf preprints)\b",
    re.IGNORECASE,
)
#: Signs of an early report of a study (a preprint, a conference or meeting abstract, a
#: supplement of abstracts): publication types, journal names, issue or volume labels.
_EARLY_TYPES_RE = re.compile(
    r"\b(?:preprint|posted[- ]content|abstracts?|proceedings?|conference|congress|meeting|"
    r"inproceedings|poster)\b",
    re.IGNORECASE,
)
_EARLY_JOURNAL_RE = re.compile(
    r"\b(?:supplement|suppl|abstracts?|conference|congress|meeting|symposium|proceedings)\b",
    re.IGNORECASE,
)
_SUPPLEMENT_RE = re.compile(r"\bsuppl(?:ement)?\b|\bsupp\b", re.IGNORECASE)
#: Words of recurring section titles (editorials, columns, notices, book reviews): a title
#: made only of these words (and at most :data:`GENERIC_MAX_WORDS` words) names no paper by
#: itself, so it is matched only within one issue (see :func:`is_generic_title`).
_GENERIC_WORDS = frozenset(
    {
        *("a", "an", "the", "of", "to", "and", "for", "from", "in", "on", "our", "this", "s"),
        *("editor", "editors", "editorial", "editorials", "guest", "chair", "chairs"),
        *("chairman", "president", "presidents", "director", "directors", "publisher"),
        *("comment", "comments", "commentary", "note", "notes", "message", "messages"),
        *("letter", "letters", "reply", "replies", "response", "responses", "author"),
        *("authors", "erratum", "errata", "correction", "corrections", "corrigendum"),
        *("book", "books", "review", "reviews", "reviewed", "received", "news", "issue"),
        *("abstracts", "introduction", "preface", "foreword", "acknowledgement"),
        *("acknowledgements", "acknowledgment", "acknowledgments", "reviewers", "contents"),
        *("index", "announcement", "announcements", "obituary", "highlights", "calendar"),
        *("events", "correspondence", "discussion", "corner", "column", "page", "desk"),
        *("update", "updates", "report", "reports", "briefs", "brief", "digest", "welcome"),
        *("viewpoint", "perspective", "perspectives", "overview", "summary", "notice"),
        *("notices", "in", "memoriam", "thanks", "thank", "you", "retraction", "retracted"),
        *("withdrawn", "expression", "concern", "miscellany", "selected", "abstract"),
        *("case", "cases", "quiz", "image", "images", "answer", "answers", "question"),
        *("questions", "reader", "readers", "forum", "opinion", "opinions", "round", "up"),
        *("what", "new", "notable", "noteworthy", "research", "roundup", "literature"),
        *("masthead", "cover", "front", "back", "matter", "information", "instructions"),
        *("guidelines", "guide", "board", "call", "papers", "upcoming", "session", "oral"),
        *("presentations", "presentation", "posters", "poster", "table", "subject", "current"),
        *("awareness", "journal", "journals", "watch", "products", "views", "award", "awards"),
        *("prize", "lecture", "address", "presidential", "keynote", "society", "members"),
        *("membership", "minutes", "business", "annual", "general", "meeting", "program"),
        *("programme", "schedule", "officers", "committee", "contributors", "addendum"),
        *("clarification", "apology", "reviewer", "referees", "by", "with", "at", "your"),
        *("continuing", "education", "test", "self", "assessment", "month", "year", "week"),
        *("editoriale", "leitartikel", "buchbesprechungen", "buchbesprechung", "rezension"),
        *("rezensionen", "mitteilungen", "nachrichten", "resumen", "resumenes", "cartas"),
        *("carta", "al", "director", "lettre", "lettres", "courrier", "nouvelles", "varia"),
    }
)
#: Section numbers ("Book reviews 3", "Session II") do not make a title specific.
_SECTION_NUMBER_RE = re.compile(r"^(?:\d+|[ivx]{1,5})$")
#: A title of at most this many words, all of them from the recurring-section vocabulary.
GENERIC_MAX_WORDS = 6
#: Titles that announce an abstract, a demonstration or a poster of work reported elsewhere.
_TITLE_EARLY_RE = re.compile(
    r"^(?:demo|demonstration|poster|abstract|extended abstract|late breaking abstract|"
    r"short abstract|work in progress|wip)\b(?: paper| abstract| presentation)?\s*[:.\-]",
    re.IGNORECASE,
)
#: Technical reports, working papers and their revisions (publication type or container).
_REPORT_TYPES = frozenset(
    {"techreport", "report", "technical report", "working paper", "reports", "rprt"}
)
_REPORT_TEXT_RE = re.compile(
    r"\b(?:technical report|tech\.? rep(?:ort)?|working paper|discussion paper|white paper|"
    r"research report|report series)\b",
    re.IGNORECASE,
)
#: Where a title's main part ends: a colon, a spaced dash, a question mark or a full stop.
_MAIN_TITLE_END_RE = re.compile(r":|\s[-\u2013\u2014]+\s|\?\s|\.\s")
_PART_START_RE = re.compile(r"\bpart\s+(?:[0-9]+|[ivx]{1,5}|one|two|three|four|five|six|a|b|c)\b")
#: A main title shorter than this (in words) is too generic to name a study by itself.
MAIN_TITLE_MIN_WORDS = 3
_JOURNAL_STOP = frozenset(
    {"the", "of", "and", "for", "in", "on", "de", "la", "le", "et", "und", "der", "die",
     "a", "an", "y", "del", "des", "du", "to"}
)  # fmt: skip
_MONTHS = {
    "jan": "1", "feb": "2", "mar": "3", "apr": "4", "may": "5", "jun": "6",
    "jul": "7", "aug": "8", "sep": "9", "oct": "10", "nov": "11", "dec": "12",
}  # fmt: skip
_PAGE_TOKEN_RE = re.compile(r"[A-Za-z]*\d+[A-Za-z]?|\b[A-Za-z]{3}\b")
_RANGE_SPLIT_RE = re.compile(r"[,;+]|\band\b")


def ascii_fold(text: str) -> str:
    """Lower-case ASCII letters and digits separated by single spaces (accents folded)."""
    text = text.lower()
    if not text.isascii():
        text = fix_mojibake(text).translate(_GREEK)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", text).strip()


def title_core(title: str) -> str:
    """The title without bracketed or parenthesised notes (``[Review]``, ``(vol 3, pg 5,
    2009)``, ``[Erratum appears in ...]``), unless the brackets hold most of the title
    (``[A translated title].``), in which case only the bracket characters go."""
    text = _TITLE_NOTES.sub(" ", title)
    stripped, previous = text, ""
    while stripped != previous:  # nested brackets: innermost first
        previous, stripped = stripped, _BRACKETED_RE.sub(" ", stripped)
    if len(stripped.strip(" .:;,")) >= 0.5 * len(text.strip(" .:;,")):
        return stripped
    return text


def main_title(title: str) -> str:
    """The main part of a title, normalised: the text before a subtitle (``:``, a spaced
    dash, ``?`` or ``. ``) and before a series part (``Part 2``); ``""`` when that part has fewer
    than :data:`MAIN_TITLE_MIN_WORDS` words (too generic to name a study).

    ``Holding the holders: reflective practice groups`` -> ``holding the holders``;
    ``Leadership in children's homes. Part 2: the provider's role`` ->
    ``leadership in children s homes``.
    """
    core = title_core(title).strip()
    head = _MAIN_TITLE_END_RE.split(core, maxsplit=1)[0]
    text = ascii_fold(head)
    part = _PART_START_RE.search(text)
    if part:
        text = text[: part.start()].strip()
    return text if len(text.split()) >= MAIN_TITLE_MIN_WORDS else ""


def is_generic_title(title_norm: str) -> bool:
    """A recurring section title (``Editor's comments``, ``Book reviews``, ``Reply``,
    ``Erratum``, ``Chair's message``): one that many items of a journal carry, so the title
    alone never says two records are one item."""
    words = title_norm.split()
    return 0 < len(words) <= GENERIC_MAX_WORDS and all(
        w in _GENERIC_WORDS or _SECTION_NUMBER_RE.match(w) for w in words
    )


def is_report(record: Record) -> bool:
    """A technical report or working paper (its versions are reports of one study)."""
    if any(t.lower() in _REPORT_TYPES for t in record.publication_type):
        return True
    return bool(_REPORT_TEXT_RE.search(record.journal) or _REPORT_TEXT_RE.search(record.publisher))


def is_marked_early(title: str) -> bool:
    """A title announcing an abstract, demo or poster (``Demo: ...``, ``Poster: ...``)."""
    return bool(_TITLE_EARLY_RE.match(title.strip()))


def may_be_translated(record: Record) -> bool:
    """Whether the title may be a translation or in another language than the other record's:
    bracketed (``[Title in English].``, MEDLINE's mark), holding non-ASCII letters, or the
    record's language is not (only) English."""
    title = record.title.strip()
    if title.startswith("[") or title.endswith(("]", "].")):
        return True
    if not title.isascii():
        return True
    language = record.language.strip().lower()
    return bool(language) and language not in ("eng", "en", "english")


def is_early_report(record: Record) -> bool:
    """A preprint, a conference or meeting abstract, or an item in a supplement of abstracts
    (from publication types, journal name, issue or volume): the kinds of report that usually
    precede a study's full publication. (A record with no journal is a weaker sign, which
    :mod:`.study` uses only against a record that has one.)"""
    if _is_preprint(record) or _is_conference(record) or is_marked_early(record.title):
        return True
    if is_report(record):
        return True
    if any(_EARLY_TYPES_RE.search(t) for t in record.publication_type):
        return True
    if _EARLY_JOURNAL_RE.search(record.journal):
        return True
    return bool(_SUPPLEMENT_RE.search(record.issue) or _SUPPLEMENT_RE.search(record.volume))


#: A character an export wrote as its code point (``<U+0391>``, R's way of writing what it
#: could not encode).
_CODE_POINT_RE = re.compile(r"<U\+([0-9A-Fa-f]{4,6})>")


def normalize_title(title: str) -> str:
    """Title for comparison: code points written out (``<U+0391>``) read back, bracketed
    database notes removed, ASCII-folded."""
    if "<U+" in title:
        title = _CODE_POINT_RE.sub(lambda m: chr(int(m.group(1), 16)), title)
    return ascii_fold(title_core(title))


def title_kind(title_norm: str, publication_types: Sequence[str] = (), raw_title: str = "") -> Kind:
    """Erratum, retraction notice, comment/reply or ordinary article, from title and type."""
    types = " ".join(publication_types).lower()
    if (
        "erratum" in types
        or _ERRATUM_RE.search(title_norm)
        or _WOS_CORRECTION_RE.search(raw_title)
        or _EMBASE_CORRECTION_RE.search(raw_title)
    ):
        return Kind.ERRATUM
    if "retraction of publication" in types or _RETRACTION_RE.search(title_norm):
        return Kind.RETRACTION
    if (
        ("comment" in types and "letter" in types)
        or _RE_COLON_RE.match(raw_title)
        or _COMMENT_RE.search(title_norm)
        or _COMMENT_ANY_RE.search(title_norm)
    ):
        return Kind.COMMENT
    return Kind.ARTICLE


_WORD_NUMBERS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6"}
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7",
          "viii": "8", "ix": "9", "x": "10", "a": "a", "b": "b", "c": "c"}  # fmt: skip


def series_part(title_norm: str) -> str:
    """The part of a series a title names (``part 2``, ``II``), as a canonical token, or ``""``."""
    parts: list[str] = []
    for match in _PART_RE.finditer(title_norm):
        token = match.group(1) or match.group(2)
        parts.append(_WORD_NUMBERS.get(token, _ROMAN.get(token, token)))
    trailing = _TRAILING_ROMAN_RE.search(title_norm)
    if trailing:
        parts.append(_ROMAN[trailing.group(1)])
    return " ".join(parts)


_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "fifteen": "15",
    "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "hundred": "100",
    "first": "1", "second": "2", "third": "3", "fourth": "4", "fifth": "5",
}  # fmt: skip
_NUMBER_TOKEN_RE = re.compile(r"\d+|\b(?:" + "|".join(_NUMBER_WORDS) + r")\b")


def title_numbers(title_norm: str) -> str:
    """The numbers in a title (digits and number words), sorted and joined (``"2 2010"``)."""
    found = (
        _NUMBER_WORDS.get(tok) or (tok.lstrip("0") or "0")
        for tok in _NUMBER_TOKEN_RE.findall(title_norm)
    )
    return " ".join(sorted(found))


def author_surnames(authors: Sequence[str], *, limit: int = 12) -> tuple[str, str]:
    """(first author's surname, the first ``limit`` surnames joined), ASCII-folded, no spaces.

    ``Le Quintrec, M`` -> ``lequintrec``; a name without a comma (an organisation, or a name
    we could not split) keeps its first word.
    """
    surnames: list[str] = []
    for name in authors[:limit]:
        family = name.partition(",")[0] if "," in name else name.split(" ")[0]
        folded = ascii_fold(family).replace(" ", "")
        if folded:
            surnames.append(folded)
    return (surnames[0] if surnames else "", " ".join(surnames))


def normalize_journal(journal: str) -> tuple[str, str]:
    """(journal name for comparison, abbreviation signature).

    The name drops translations after ``=``, a ``.Conference: ...`` tail, a parenthesised
    place, and stop words. The signature keeps the first three letters of each word, so
    ``Nat Rev Nephrol`` and ``Nature Reviews Nephrology`` both give ``nat rev nep``.
    """
    text = fix_mojibake(journal)
    text = text.split("=")[0]
    text = re.split(r"\.\s*conference\s*:", text, flags=re.IGNORECASE)[0]
    text = re.sub(r"\([^)]*\)", " ", text).replace("&", " and ")
    words = [w for w in ascii_fold(text).split() if w not in _JOURNAL_STOP]
    return " ".join(words), " ".join(w[:3] for w in words)


def normalize_pages(pages: str) -> tuple[str, str]:
    """(first page, last page) as digit strings, ``123-9`` expanded to ``123``/``129``.

    Prefixes (``S12``, ``e123``, ``viii108``, ``P63``) are dropped; of several ranges
    (``233-8, 230-5``) the lowest start is taken, whatever their order; spreadsheet-mangled
    ranges (``06-Oct`` for 6-10) are read back; leading zeros dropped.
    """
    if not pages:
        return "", ""
    best: tuple[int, str, str] | None = None
    for piece in _RANGE_SPLIT_RE.split(pages):
        tokens = _PAGE_TOKEN_RE.findall(piece)
        if not tokens:
            continue
        first = _page_number(tokens[0])
        if not first:
            continue
        last = _page_number(tokens[1]) if len(tokens) > 1 else ""
        if last and len(last) < len(first):
            last = first[: len(first) - len(last)] + last
        if best is None or int(first) < best[0]:
            best = (int(first), first, last)
    if best is None:
        return "", ""
    return best[1], best[2]


def _page_number(token: str) -> str:
    token = token.lower()
    token = _MONTHS.get(token, token)
    digits = re.sub(r"\D", "", token)
    return digits.lstrip("0") or ("0" if digits else "")


def normalize_volume(volume: str) -> str:
    """Digits (or the first token) of a volume."""
    digits = _DIGITS_RE.search(volume or "")
    if digits:
        return digits.group(0).lstrip("0") or "0"
    return ascii_fold(volume).split(" ")[0] if volume else ""


StrArray = npt.NDArray[np.object_]


@dataclass(frozen=True)
class Prepared:
    """Comparison keys of ``n`` records as parallel arrays (index = position in the input)."""

    ids: StrArray
    doi: StrArray
    pmid: StrArray
    title: StrArray
    first_author: StrArray
    authors: StrArray
    year: npt.NDArray[np.int32]
    journal: StrArray
    journal_sig: StrArray
    volume: StrArray
    page_first: StrArray
    page_last: StrArray
    abstract: StrArray
    kind: npt.NDArray[np.int8]
    conference: npt.NDArray[np.bool_]
    preprint: npt.NDArray[np.bool_]
    part: StrArray
    numbers: StrArray
    #: main title (before a subtitle or a series part; ``""`` when too short): :func:`main_title`
    main_title: StrArray
    #: preprint, conference abstract or supplement item; see :func:`is_early_report`
    early: npt.NDArray[np.bool_]
    authors_text: StrArray
    title_len: npt.NDArray[np.int32]
    #: integer code of the journal name (equal names, equal codes)
    journal_code: npt.NDArray[np.int64]
    #: first page as a number (-1 when missing)
    page_number: npt.NDArray[np.int64]
    #: last page as a number (the first page when there is no last page)
    page_last_number: npt.NDArray[np.int64]
    #: issue number (digits), for spotting volume/issue/pages shifted by one field
    issue: StrArray
    #: an Embase record of several letters printed together (see :func:`is_compilation`)
    compilation: npt.NDArray[np.bool_]
    #: number of authors listed
    n_authors: npt.NDArray[np.int32]
    #: a recurring section title (see :func:`is_generic_title`)
    generic: npt.NDArray[np.bool_]
    #: a technical report or working paper (see :func:`is_report`)
    report: npt.NDArray[np.bool_]
    #: the title announces an abstract, demo or poster (see :func:`is_marked_early`)
    marked: npt.NDArray[np.bool_]
    #: the title may be a translation (bracketed as MEDLINE marks them, non-ASCII letters, or
    #: a language other than English): see :func:`may_be_translated`
    translated: npt.NDArray[np.bool_]

    def __len__(self) -> int:
        return len(self.ids)


def is_compilation(title: str) -> bool:
    """Whether a title marks an Embase record of a letter and its replies indexed together
    (``<title> (multiple letters)``): one record standing for several printed items."""
    return bool(_COMPILATION_RE.search(title))


def _is_conference(record: Record) -> bool:
    types = {t.lower() for t in record.publication_type}
    if types & _CONFERENCE_TYPES:
        return True
    return bool(_CONFERENCE_RE.search(record.journal))


def _is_preprint(record: Record) -> bool:
    if record.doi.startswith(_PREPRINT_DOI_PREFIXES):
        return True
    types = " ".join(record.publication_type).lower()
    return "preprint" in types or bool(_PREPRINT_JOURNAL_RE.search(record.journal))


def prepare(records: Sequence[Record]) -> Prepared:
    """Normalise every record once; see :class:`Prepared`."""
    n = len(records)
    cols: dict[str, list[str]] = {
        name: [""] * n
        for name in (
            "doi", "pmid", "title", "first_author", "authors", "journal", "journal_sig",
            "volume", "page_first", "page_last", "abstract", "part", "numbers",
            "authors_text", "main_title", "issue",
        )
    }  # fmt: skip
    year = np.zeros(n, dtype=np.int32)
    kind = np.zeros(n, dtype=np.int8)
    conference = np.zeros(n, dtype=np.bool_)
    preprint = np.zeros(n, dtype=np.bool_)
    early = np.zeros(n, dtype=np.bool_)
    compilation = np.zeros(n, dtype=np.bool_)
    n_authors = np.zeros(n, dtype=np.int32)
    generic = np.zeros(n, dtype=np.bool_)
    report = np.zeros(n, dtype=np.bool_)
    marked = np.zeros(n, dtype=np.bool_)
    translated = np.zeros(n, dtype=np.bool_)
    journal_cache: dict[str, tuple[str, str]] = {}
    for i, rec in enumerate(records):
        title = normalize_title(rec.title)
        cols["doi"][i] = rec.doi
        cols["pmid"][i] = rec.pmid
        cols["title"][i] = title
        cols["first_author"][i], cols["authors"][i] = author_surnames(rec.authors)
        cols["authors_text"][i] = ascii_fold(" ".join(rec.authors[:12])).replace(" ", "")
        year[i] = rec.year or 0
        jour = journal_cache.get(rec.journal)
        if jour is None:
            jour = journal_cache[rec.journal] = normalize_journal(rec.journal)
        cols["journal"][i], cols["journal_sig"][i] = jour
        cols["volume"][i] = normalize_volume(rec.volume)
        cols["issue"][i] = normalize_volume(rec.issue)
        compilation[i] = is_compilation(rec.title)
        n_authors[i] = len(rec.authors)
        cols["page_first"][i], cols["page_last"][i] = normalize_pages(rec.pages)
        cols["abstract"][i] = ascii_fold(rec.abstract[:600])[:400] if rec.abstract else ""
        kind[i] = title_kind(title, rec.publication_type, rec.title)
        conference[i] = _is_conference(rec)
        preprint[i] = _is_preprint(rec)
        cols["part"][i] = series_part(title)
        cols["numbers"][i] = title_numbers(title)
        cols["main_title"][i] = main_title(rec.title)
        early[i] = is_early_report(rec)
        generic[i] = bool(title) and is_generic_title(title)
        report[i] = is_report(rec)
        marked[i] = is_marked_early(rec.title)
        translated[i] = may_be_translated(rec)
    arrays = {name: np.array(values, dtype=object) for name, values in cols.items()}
    title_len = np.fromiter((len(t) for t in cols["title"]), dtype=np.int32, count=n)
    codes: dict[str, int] = {}
    journal_code = np.fromiter(
        (codes.setdefault(j, len(codes)) for j in cols["journal"]), dtype=np.int64, count=n
    )
    page_number = np.fromiter(
        (int(p[:9]) if p else -1 for p in cols["page_first"]), dtype=np.int64, count=n
    )
    page_last = np.fromiter(
        (int(p[:9]) if p else -1 for p in cols["page_last"]), dtype=np.int64, count=n
    )
    page_last = np.where(page_last >= page_number, page_last, page_number)
    return Prepared(
        ids=np.array([r.record_id for r in records], dtype=object),
        year=year,
        kind=kind,
        conference=conference,
        preprint=preprint,
        early=early,
        title_len=title_len,
        journal_code=journal_code,
        page_number=page_number,
        page_last_number=page_last,
        compilation=compilation,
        n_authors=n_authors,
        generic=generic,
        report=report,
        marked=marked,
        translated=translated,
        **arrays,
    )
