"""BibTeX exports (Scopus, Web of Science, Zotero, JabRef, Google Scholar).

The project's own parser, so that a broken file is reported with its line: entries are
``@type{key, field = {value}, ...}`` (or with parentheses), values are braced, quoted,
numbers or ``@string`` macros joined with ``#``. Text outside entries is a comment, as in
BibTeX itself; ``@comment`` and ``@preamble`` are skipped. LaTeX accents and escapes
(``{\\"o}``, ``\\'e``, ``\\&``, ``--``) become Unicode text; braces are dropped.

One bad entry never refuses the file (BibTeX itself warns and goes on): what is sound is
imported, and each entry that was skipped or repaired is reported in one warning with its
line, and counted (:attr:`ReadResult.skipped`, :attr:`ReadResult.repaired`):

- repaired: a citation key with a space (kept as written), an undefined ``@string`` macro
  (its name is kept as the text, as for an undefined journal abbreviation), a missing comma
  between two fields, a field whose ``{`` or ``"`` is not closed (EBSCO; the value ends at
  its line, before the next field line), an extra ``}`` that closed the entry before its
  last fields;
- skipped: an entry that still cannot be read (a value that never closes with no field
  after it, a field without ``=`` or value, other text where a field should be); reading
  resumes at the next entry;
- refused (:class:`~realist_review.errors.InputError`): a file without a readable entry, and
  ``@string`` macros that expand beyond :data:`MAX_VALUE_CHARS` in one value or
  :data:`MAX_MACRO_CHARS` in all (a 1 KB file of nested macros can ask for 10^9 characters).
"""

from __future__ import annotations

import bisect
import logging
import re
import unicodedata
from dataclasses import dataclass, field

from realist_review.errors import InputError
from realist_review.formats.common import (
    Group,
    RecordCollector,
    author_list,
    clean_abstract,
    doi_from_url,
    format_pages,
    preview,
    split_issn_isbn,
)
from realist_review.records import Record, Source
from realist_review.tables import MAX_FIELD_CHARS

log = logging.getLogger(__name__)

#: Longest value (after ``@string`` expansion) and most characters all macros may hold.
MAX_VALUE_CHARS = MAX_FIELD_CHARS
MAX_MACRO_CHARS = 10 * MAX_FIELD_CHARS

_ENTRY_RE = re.compile(r"@\s*([A-Za-z][\w-]*)\s*([{(])")
_NAME_RE = re.compile(r"[^\s=,{}\"#()]+(?:[^\S\n]+[^\s=,{}\"#()]+)*")
_BARE_RE = re.compile(r"[\w.:+/-]+")
_KEY_RE = re.compile(r"([^,{}()=\n]*?)\s*,")
#: An entry starting on its own line: where reading resumes after a broken entry.
_ENTRY_START_RE = re.compile(r"^[ \t]*@\s*[A-Za-z][\w-]*\s*[{(]", re.MULTILINE)
_MONTHS = {
    m: str(i)
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}


class _BadEntry(Exception):
    """One entry cannot be read (the message starts with its line)."""


class _TooLong(Exception):
    """A value expands beyond the limits (refuses the file)."""


@dataclass
class Entry:
    """One BibTeX entry: type, key, fields (names lower-cased, raw LaTeX values), line."""

    line: int
    entry_type: str
    key: str
    fields: dict[str, str] = field(default_factory=dict)


class _Scanner:
    def __init__(self, text: str, file_name: str) -> None:
        self.text = text
        self.file_name = file_name
        self.pos = 0
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_at(self, pos: int) -> int:
        return bisect.bisect_right(self._line_starts, pos)

    def fail(self, pos: int, message: str) -> _BadEntry:
        return _BadEntry(f"line {self.line_at(pos)}: {message}")

    def skip_space(self) -> None:
        text, pos = self.text, self.pos
        while pos < len(text) and text[pos].isspace():
            pos += 1
        self.pos = pos

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def _inside(self, closer: str) -> str | None:
        """The inside of the group opened at ``pos``, which ends at ``closer`` outside any
        inner braces (``pos`` moves past it); None when it is never closed."""
        text, start = self.text, self.pos
        depth, pos = (1 if closer == "}" else 0), start + 1
        while pos < len(text):
            char = text[pos]
            if char == "\\":
                pos += 2
                continue
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if closer == "}" and depth == 0:
                    break
            elif char == closer and depth == 0:
                break
            pos += 1
        else:
            return None
        self.pos = pos + 1
        return text[start + 1 : pos]

    def braced(self, entry_line: int, name: str = "") -> str:
        """Read a ``{...}`` group starting at ``pos``; return its inside."""
        start = self.pos
        inside = self._inside("}")
        if inside is None:
            raise self.fail(
                start,
                (f"field {name!r}: " if name else "")
                + f"a '{{' opened here (entry starting at line {entry_line}) is never closed. "
                "Check the braces of this field: every '{' needs a matching '}'.",
            )
        return inside

    def quoted(self, entry_line: int, name: str = "") -> str:
        """Read a ``"..."`` value (a quote inside braces does not end it)."""
        start = self.pos
        inside = self._inside('"')
        if inside is None:
            raise self.fail(
                start,
                (f"field {name!r}: " if name else "")
                + f"a '\"' opened here (entry starting at line {entry_line}) is never closed.",
            )
        return inside


@dataclass
class _Reading:
    """What reading one file has found so far: macros, and entries repaired or skipped."""

    strings: dict[str, str] = field(default_factory=dict)
    macro_chars: int = 0
    repaired: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _value(scanner: _Scanner, reading: _Reading, entry_line: int, name: str) -> str:
    parts: list[str] = []
    size = 0
    while True:
        scanner.skip_space()
        char = scanner.peek()
        if char == "{":
            parts.append(scanner.braced(entry_line, name))
        elif char == '"':
            parts.append(scanner.quoted(entry_line, name))
        else:
            match = _BARE_RE.match(scanner.text, scanner.pos)
            if not match:
                found = preview(scanner.text[scanner.pos : scanner.pos + 30])
                raise scanner.fail(
                    scanner.pos,
                    f'field {name!r} has no value (expected {{...}}, "...", a number or a '
                    f"@string name, found {found}).",
                )
            word = match.group(0)
            scanner.pos = match.end()
            if word.isdigit():
                parts.append(word)
            elif word.lower() in reading.strings:
                parts.append(reading.strings[word.lower()])
            elif word.lower() in _MONTHS:
                parts.append(_MONTHS[word.lower()])
            else:
                reading.repaired.append(
                    f"line {scanner.line_at(match.start())}: field {name!r}: {word!r} is not "
                    "a number or a defined @string; kept as the text (put text values in "
                    "braces, e.g. {" + word + "})"
                )
                parts.append(word)
        size += len(parts[-1])
        if size > MAX_VALUE_CHARS:
            raise _TooLong(
                f"line {entry_line}: field {name!r} expands to more than {MAX_VALUE_CHARS:,} "
                "characters through @string macros (macros nested to repeat themselves). "
                "This is not a bibliography export; check the @string definitions."
            )
        scanner.skip_space()
        if scanner.peek() == "#":
            scanner.pos += 1
            continue
        return "".join(parts)


def _skip_group(scanner: _Scanner, opener: str, line: int) -> None:
    if opener == "{":
        scanner.braced(line)
    else:
        end = scanner.text.find(")", scanner.pos)
        scanner.pos = len(scanner.text) if end < 0 else end + 1


def _read_key(scanner: _Scanner, reading: _Reading, line: int) -> str:
    scanner.skip_space()
    key_match = _KEY_RE.match(scanner.text, scanner.pos)
    if not key_match:
        return ""
    key = key_match.group(1).strip()
    scanner.pos = key_match.end()
    if any(c.isspace() for c in key):
        reading.repaired.append(f"line {line}: citation key {key!r} has a space; kept as written")
    return key


_FIELD_LINE_RE = re.compile(r"\n[ \t]*[A-Za-z][\w-]*[ \t]*=")


def _cut_at_field_line(scanner: _Scanner, value_start: int) -> int | None:
    """Where a value whose brace or quote never closes should end: before the first line
    that starts a field (``  year = ...``) ahead of the next entry; None if there is none."""
    text = scanner.text
    if value_start >= len(text) or text[value_start] not in '{"':
        return None
    next_entry = _ENTRY_START_RE.search(text, value_start + 1)
    limit = next_entry.start() if next_entry else len(text)
    inner = _FIELD_LINE_RE.search(text, value_start, limit)
    return inner.start() if inner else None


def _repair_cut(
    scanner: _Scanner, reading: _Reading, entry: Entry, name: str, value_start: int, cut: int
) -> str:
    """End a runaway value at its line (EBSCO writes one '{' too many), note the repair, and
    go on reading fields from there."""
    reading.repaired.append(
        f"line {scanner.line_at(value_start)}: in entry @{entry.entry_type}{{{entry.key}: the "
        f"'{scanner.text[value_start]}' of field {name!r} is not closed on its line; the "
        "value was ended there"
    )
    scanner.pos = cut
    return scanner.text[value_start + 1 : cut].rstrip().rstrip(",").rstrip()


def _after_value(
    scanner: _Scanner, reading: _Reading, entry: Entry, name: str, closer: str, value_start: int
) -> None:
    """Check what follows a value: ',' or the closer; a missing comma before the next field
    is repaired (noted), anything else breaks the entry."""
    text = scanner.text
    if scanner.peek() in (",", closer):
        return
    after = _NAME_RE.match(text, scanner.pos)
    if after and text[after.end() : after.end() + 40].lstrip().startswith("="):
        reading.repaired.append(
            f"line {scanner.line_at(scanner.pos)}: in entry @{entry.entry_type}{{{entry.key}: "
            f"no comma after field {name!r}; read as if it had one"
        )
        return
    if _FIELD_LINE_RE.search(text, value_start, scanner.pos):
        raise scanner.fail(
            value_start,
            f"the value of field {name!r} starting here runs on over the next fields: a "
            "'{' without its '}' (or an odd '\"'). Check the braces of this field.",
        )
    raise scanner.fail(
        scanner.pos,
        f"in entry @{entry.entry_type}{{{entry.key}: expected ',' or '{closer}' after field "
        f"{name!r}, found {preview(text[scanner.pos : scanner.pos + 30])}. Check "
        "for a missing comma or an unbalanced brace or quote.",
    )


def _read_entry(scanner: _Scanner, match: re.Match[str], reading: _Reading) -> Entry:
    """Read the entry (or @string) whose opening ``match`` found; raise _BadEntry if broken."""
    text = scanner.text
    entry_type, opener = match.group(1).lower(), match.group(2)
    closer = "}" if opener == "{" else ")"
    line = scanner.line_at(match.start())
    scanner.pos = match.end()
    key = "" if entry_type == "string" else _read_key(scanner, reading, line)
    entry = Entry(line=line, entry_type=entry_type, key=key)
    while True:
        scanner.skip_space()
        char = scanner.peek()
        if char == closer:
            scanner.pos += 1
            after = re.compile(r"[\s,]*").match(text, scanner.pos)
            rest = after.end() if after else scanner.pos
            field_after = _NAME_RE.match(text, rest)
            if (
                closer == "}"
                and field_after is not None
                and text[field_after.end() : field_after.end() + 40].lstrip().startswith("=")
            ):
                reading.repaired.append(
                    f"line {scanner.line_at(scanner.pos - 1)}: an extra '}}' closed entry "
                    f"@{entry_type}{{{key} before its last fields; they were read too"
                )
                scanner.pos = rest
                continue
            return entry
        if char == ",":
            scanner.pos += 1
            continue
        if not char:
            raise scanner.fail(
                match.start(),
                f"entry @{entry_type}{{{key} is not closed: the file ends before its "
                f"closing '{closer}'.",
            )
        name_match = _NAME_RE.match(text, scanner.pos)
        if not name_match:
            raise scanner.fail(
                scanner.pos,
                f"in entry @{entry_type}{{{key}: expected a field name or '{closer}', found "
                f"{preview(text[scanner.pos : scanner.pos + 30])}.",
            )
        name = name_match.group(0).lower()
        scanner.pos = name_match.end()
        scanner.skip_space()
        if scanner.peek() != "=":
            raise scanner.fail(
                scanner.pos,
                f"in entry @{entry_type}{{{key}: field {name!r} has no '=' (found "
                f"{preview(text[scanner.pos : scanner.pos + 30])}). A missing comma after "
                "the previous field, or an unbalanced brace, often causes this.",
            )
        scanner.pos += 1
        scanner.skip_space()
        value_start = scanner.pos
        try:
            value = _value(scanner, reading, line, name)
        except _BadEntry:
            cut = _cut_at_field_line(scanner, value_start)
            if cut is None:
                raise
            value = _repair_cut(scanner, reading, entry, name, value_start, cut)
        else:
            scanner.skip_space()
            inner = _FIELD_LINE_RE.search(value)
            if (
                inner is not None
                and scanner.peek() not in (",", closer)  # "closed" where no value can end
                and text[value_start : value_start + 1] in ("{", '"')
                and text.startswith(value, value_start + 1)  # one braced or quoted part
            ):
                cut = value_start + 1 + inner.start()
                value = _repair_cut(scanner, reading, entry, name, value_start, cut)
        swallowed = _ENTRY_START_RE.search(value)
        if swallowed:
            raise scanner.fail(
                value_start,
                f"the value of field {name!r} starting here runs on into the next entry "
                f"(line {scanner.line_at(value_start + 1 + swallowed.start()) + 1}): a '{{' "
                "without its '}' (or an odd '\"'). Check the braces of this field.",
            )
        if entry_type == "string":
            reading.macro_chars += len(value)
            if reading.macro_chars > MAX_MACRO_CHARS:
                raise _TooLong(
                    f"line {line}: the @string macros hold more than {MAX_MACRO_CHARS:,} "
                    "characters. This is not a bibliography export; check the @string "
                    "definitions."
                )
            reading.strings[name] = value
        elif name not in entry.fields:
            entry.fields[name] = value
        scanner.skip_space()
        if not scanner.peek():
            raise scanner.fail(
                value_start,
                f"the value of field {name!r} starting here is never closed: entry "
                f"@{entry_type}{{{key} (line {line}) runs to the end of the file. Check "
                "this value for a '{' without its '}' (or an odd '\"').",
            )
        _after_value(scanner, reading, entry, name, closer, value_start)


@dataclass(frozen=True)
class ReadResult:
    """The entries of one file, and one note per entry repaired or skipped (with its line;
    a repaired entry's note lists its repairs)."""

    entries: list[Entry]
    repaired: list[str]
    skipped: list[str]


def read_file(text: str, *, file_name: str) -> ReadResult:
    """All sound entries of a BibTeX file, in order (``@string`` macros applied); broken
    entries are skipped and repairable ones repaired, each noted with its line."""
    scanner = _Scanner(text, file_name)
    reading = _Reading()
    entries: list[Entry] = []
    while True:
        match = _ENTRY_RE.search(text, scanner.pos)
        if not match:
            break
        entry_type = match.group(1).lower()
        line = scanner.line_at(match.start())
        repairs_before = len(reading.repaired)
        try:
            if entry_type in ("comment", "preamble"):
                scanner.pos = match.end() - 1
                _skip_group(scanner, match.group(2), line)
                continue
            entry = _read_entry(scanner, match, reading)
        except _BadEntry as exc:
            del reading.repaired[repairs_before:]  # a skipped entry is not also repaired
            reading.skipped.append(f"entry at line {line} skipped: {exc}")
            resume = _ENTRY_START_RE.search(text, match.end())
            scanner.pos = resume.start() if resume else len(text)
            continue
        except _TooLong as exc:
            raise InputError(f"{file_name}: {exc}") from None
        if len(reading.repaired) > repairs_before:  # one note per entry, its repairs in it
            notes = reading.repaired[repairs_before:]
            reading.repaired[repairs_before:] = [f"entry at line {line}: " + "; ".join(notes)]
        if entry_type != "string":
            entries.append(entry)
    return ReadResult(entries=entries, repaired=reading.repaired, skipped=reading.skipped)


def read_entries(text: str, *, file_name: str) -> list[Entry]:
    """The sound entries of a BibTeX file (see :func:`read_file`)."""
    return read_file(text, file_name=file_name).entries


# --------------------------------------------------------------------------------------------
# LaTeX to text
# --------------------------------------------------------------------------------------------
_ACCENTS = {
    "`": "\u0300",
    "'": "\u0301",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    "u": "\u0306",
    ".": "\u0307",
    '"': "\u0308",
    "r": "\u030a",
    "H": "\u030b",
    "v": "\u030c",
    "d": "\u0323",
    "c": "\u0327",
    "k": "\u0328",
    "b": "\u0331",
}
_SYMBOL_ACCENT_RE = re.compile(r"\\([`'^~=.\"])\s*(?:\{\s*(\\?[A-Za-z])\s*\}|(\\?[A-Za-z]))")
_LETTER_ACCENT_RE = re.compile(r"\\([uvHckrbd])(?:\s*\{\s*(\\?[A-Za-z])\s*\}|\s+([A-Za-z]))")
_LETTERS = {
    "ss": "ß",
    "o": "ø",
    "O": "Ø",
    "aa": "å",
    "AA": "Å",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
}
_LETTER_RE = re.compile(r"\\(ss|aa|AA|ae|AE|oe|OE|o|O|l|L|i|j)(?![A-Za-z])(?:\{\})?\s?")
_ESCAPE_RE = re.compile(r"\\([&%$#_{}])")
_COMMAND_RE = re.compile(r"\\[A-Za-z]+\*?\s*")


def _accent(match: re.Match[str]) -> str:
    letter = match.group(2) or match.group(3)
    if letter.startswith("\\"):
        letter = {"\\i": "i", "\\j": "j"}.get(letter, letter[1:])
    return unicodedata.normalize("NFC", letter + _ACCENTS[match.group(1)])


def latex_to_text(value: str) -> str:
    """Turn a BibTeX value into plain Unicode text."""
    if "\\" in value:
        value = _SYMBOL_ACCENT_RE.sub(_accent, value)
        value = _LETTER_ACCENT_RE.sub(_accent, value)
        value = _LETTER_RE.sub(lambda m: _LETTERS[m.group(1)], value)
        value = _ESCAPE_RE.sub(lambda m: "\x00" + m.group(1), value)
        value = _COMMAND_RE.sub("", value)
    value = value.replace("---", "—").replace("--", "–")
    value = re.sub(r"(?<!\x00)[{}$]", "", value).replace("~", " ")
    return value.replace("\x00", "")


def split_names(value: str) -> list[str]:
    """Split an ``author`` value on ``and`` (any case, as BibTeX does) outside braces; a
    fully braced name (``{World Health Organization}``) stays whole, as a :class:`Group`."""
    names: list[str] = []
    depth, start = 0, 0
    for match in re.finditer(r"[{}]|\s+and\s+", value, flags=re.IGNORECASE):
        piece = match.group(0)
        if piece == "{":
            depth += 1
        elif piece == "}":
            depth -= 1
        elif depth == 0:
            names.append(value[start : match.start()])
            start = match.end()
    names.append(value[start:])
    out: list[str] = []
    for name in names:
        name = name.strip()
        if name.startswith("{") and name.endswith("}") and name.count("{") == 1:
            out.append(Group(latex_to_text(name[1:-1]).strip()))
        elif name:
            out.append(latex_to_text(name).strip())
    return [n for n in out if n]


def _list(value: str) -> list[str]:
    text = latex_to_text(value)
    sep = ";" if ";" in text else ","
    return [part.strip() for part in text.split(sep) if part.strip()]


_VERBATIM_ESCAPE_RE = re.compile(r"\\([&%$#_{}~])")


def _verbatim(value: str) -> str:
    """A DOI or URL as written: escapes undone and braces dropped, but no LaTeX reading
    (``--`` and ``~`` are part of some DOIs and links)."""
    value = _VERBATIM_ESCAPE_RE.sub(lambda m: "\x00" + m.group(1), value)
    return re.sub(r"(?<!\x00)[{}]", "", value).replace("\x00", "").strip()


def record_fields(entry: Entry) -> dict[str, object]:
    """Record fields (as :func:`make_record` takes them) from one BibTeX entry."""
    f = {name: value for name, value in entry.fields.items()}

    def text(*names: str) -> str:
        for name in names:
            if f.get(name, "").strip():
                return latex_to_text(f[name]).strip()
        return ""

    is_book = entry.entry_type in ("book", "inbook", "incollection", "booklet")
    journal = text("journal", "journaltitle")
    if not journal and entry.entry_type in ("inproceedings", "incollection", "inbook"):
        journal = text("booktitle")
    title = text("title") or (text("booktitle") if entry.entry_type == "book" else "")
    keywords = _list(f.get("author_keywords", "")) + _list(f.get("keywords-plus", ""))
    mesh = _list(f.get("mesh", "") or f.get("mesh_terms", ""))
    if f.get("author_keywords"):
        mesh += _list(f.get("keywords", ""))  # Scopus: index keywords, controlled terms
    else:
        keywords = _list(f.get("keywords", "")) + keywords
    issn, isbn = split_issn_isbn([text("issn"), text("eissn"), text("isbn")], is_book=is_book)
    url = _verbatim(f.get("url", ""))
    return {
        "title": title,
        "abstract": clean_abstract(text("abstract")),
        "authors": author_list(split_names(f.get("author", ""))),
        "year": text("year") or text("date"),
        "journal": journal,
        "volume": text("volume"),
        "issue": text("number", "issue"),
        "pages": format_pages(text("pages")),
        "doi": _verbatim(f.get("doi", "")) or doi_from_url(url),
        "pmid": text("pmid"),
        "pmcid": text("pmcid"),
        "issn": issn,
        "isbn": isbn,
        "language": text("language", "langid"),
        "publication_type": [
            entry.entry_type,
            *_list(f.get("document_type", "") or f.get("type", "")),
        ],
        "keywords": keywords,
        "mesh_terms": mesh,
        "publisher": text("publisher"),
        "url": url,
    }


def _report(file_name: str, result: ReadResult) -> None:
    """One warning per kind (skipped, repaired), with the count and each entry's line."""
    for label, notes in (("skipped", result.skipped), ("repaired", result.repaired)):
        if notes:
            more = f"; … ({len(notes) - 10} more)" if len(notes) > 10 else ""
            log.warning(
                "%s: %d BibTeX entr%s %s: %s%s",
                file_name,
                len(notes),
                "y" if len(notes) == 1 else "ies",
                label,
                "; ".join(notes[:10]),
                more,
            )


def parse(text: str, *, search_id: str, file_name: str) -> list[Record]:
    """Parse a BibTeX file into records (``source = bibtex``; ``source_id`` = the key)."""
    result = read_file(text, file_name=file_name)
    if not result.entries:
        problems = result.skipped[:5]
        found = (
            ": " + "; ".join(p.rstrip(".") for p in problems)
            if problems
            else " (nothing like '@article{key, ...}')"
        )
        raise InputError(
            f"{file_name}: no BibTeX entries could be read{found}. Check the file, or give "
            "its format."
        )
    _report(file_name, result)
    collector = RecordCollector(source=Source.BIBTEX, search_id=search_id, file_name=file_name)
    for entry in result.entries:
        own_id = entry.key or latex_to_text(entry.fields.get("unique-id", ""))
        collector.add(own_id, where=f"line {entry.line}", **record_fields(entry))
    return collector.finish()
