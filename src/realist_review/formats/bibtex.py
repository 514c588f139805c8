"""BibTeX exports (Scopus, Web of Science, Zotero, JabRef, Google Scholar).

The project's own parser, so that a broken file is reported with its line: entries are
``@type{key, field = {value}, ...}`` (or with parentheses), values are braced, quoted,
numbers or ``@string`` macros joined with ``#``. Text outside entries is a comment, as in
BibTeX itself; ``@comment`` and ``@preamble`` are skipped. LaTeX accents and escapes
(``{\\"o}``, ``\\'e``, ``\\&``, ``--``) become Unicode text; braces are dropped.

Strict (:class:`~realist_review.errors.InputError` with the line): an entry whose braces
never close, a field without ``=`` or value, anything but ``,`` or the closing brace after
a value, an undefined ``@string`` macro, a file without entries.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field

from realist_review.errors import InputError
from realist_review.formats.common import (
    RecordCollector,
    clean_abstract,
    doi_from_url,
    format_pages,
    preview,
    split_issn_isbn,
)
from realist_review.records import Record, Source

_ENTRY_RE = re.compile(r"@\s*([A-Za-z][\w-]*)\s*([{(])")
_NAME_RE = re.compile(r"[^\s=,{}\"#()]+(?:[^\S\n]+[^\s=,{}\"#()]+)*")
_BARE_RE = re.compile(r"[\w.:+/-]+")
_MONTHS = {
    m: str(i)
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}


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

    def fail(self, pos: int, message: str) -> InputError:
        return InputError(f"{self.file_name}: line {self.line_at(pos)}: {message}")

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

    def braced(self, entry_line: int) -> str:
        """Read a ``{...}`` group starting at ``pos``; return its inside."""
        start = self.pos
        inside = self._inside("}")
        if inside is None:
            raise self.fail(
                start,
                f"a '{{' opened here (entry starting at line {entry_line}) is never closed. "
                "Check the braces of this field: every '{' needs a matching '}'.",
            )
        return inside

    def quoted(self, entry_line: int) -> str:
        """Read a ``"..."`` value (a quote inside braces does not end it)."""
        start = self.pos
        inside = self._inside('"')
        if inside is None:
            raise self.fail(
                start,
                f"a '\"' opened here (entry starting at line {entry_line}) is never closed.",
            )
        return inside


def _value(scanner: _Scanner, strings: dict[str, str], entry_line: int, name: str) -> str:
    parts: list[str] = []
    while True:
        scanner.skip_space()
        char = scanner.peek()
        if char == "{":
            parts.append(scanner.braced(entry_line))
        elif char == '"':
            parts.append(scanner.quoted(entry_line))
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
            elif word.lower() in strings:
                parts.append(strings[word.lower()])
            elif word.lower() in _MONTHS:
                parts.append(_MONTHS[word.lower()])
            else:
                raise scanner.fail(
                    match.start(),
                    f"field {name!r}: {word!r} is not a number or a defined @string; "
                    "put text values in braces, e.g. {" + word + "}.",
                )
        scanner.skip_space()
        if scanner.peek() == "#":
            scanner.pos += 1
            continue
        return "".join(parts)


def read_entries(text: str, *, file_name: str) -> list[Entry]:
    """All entries of a BibTeX file, in order (``@string`` macros applied)."""
    scanner = _Scanner(text, file_name)
    strings: dict[str, str] = {}
    entries: list[Entry] = []
    while True:
        match = _ENTRY_RE.search(text, scanner.pos)
        if not match:
            break
        entry_type, opener = match.group(1).lower(), match.group(2)
        closer = "}" if opener == "{" else ")"
        line = scanner.line_at(match.start())
        scanner.pos = match.end() - 1
        if entry_type in ("comment", "preamble"):
            if opener == "{":
                scanner.braced(line)
            else:
                end = text.find(")", scanner.pos)
                scanner.pos = len(text) if end < 0 else end + 1
            continue
        scanner.pos = match.end()
        key = ""
        if entry_type != "string":
            scanner.skip_space()
            key_match = re.compile(r"([^,\s{}()=]*)\s*,").match(text, scanner.pos)
            if key_match:
                key = key_match.group(1)
                scanner.pos = key_match.end()
        entry = Entry(line=line, entry_type=entry_type, key=key)
        while True:
            scanner.skip_space()
            char = scanner.peek()
            if char == closer:
                scanner.pos += 1
                break
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
            value_start = scanner.pos
            value = _value(scanner, strings, line, name)
            if entry_type == "string":
                strings[name] = value
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
            if scanner.peek() not in (",", closer):
                raise scanner.fail(
                    scanner.pos,
                    f"in entry @{entry_type}{{{key}: expected ',' or '{closer}' after field "
                    f"{name!r}, found {preview(text[scanner.pos : scanner.pos + 30])}. Check "
                    "for a missing comma or an unbalanced brace or quote.",
                )
        if entry_type != "string":
            entries.append(entry)
    return entries


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
    """Split an ``author`` value on ``and`` outside braces; a fully braced name stays whole."""
    names: list[str] = []
    depth, start = 0, 0
    for match in re.finditer(r"[{}]|\s+and\s+", value):
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
            out.append(latex_to_text(name[1:-1]).strip())
        elif name:
            out.append(latex_to_text(name).strip())
    return [n for n in out if n]


def _list(value: str) -> list[str]:
    text = latex_to_text(value)
    sep = ";" if ";" in text else ","
    return [part.strip() for part in text.split(sep) if part.strip()]


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
    url = text("url")
    return {
        "title": title,
        "abstract": clean_abstract(text("abstract")),
        "authors": split_names(f.get("author", "")),
        "year": text("year") or text("date"),
        "journal": journal,
        "volume": text("volume"),
        "issue": text("number", "issue"),
        "pages": format_pages(text("pages")),
        "doi": text("doi") or doi_from_url(url),
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


def parse(text: str, *, search_id: str, file_name: str) -> list[Record]:
    """Parse a BibTeX file into records (``source = bibtex``; ``source_id`` = the key)."""
    entries = read_entries(text, file_name=file_name)
    if not entries:
        raise InputError(
            f"{file_name}: no BibTeX entries (nothing like '@article{{key, ...}}'). Check the "
            "file, or give its format."
        )
    collector = RecordCollector(source=Source.BIBTEX, search_id=search_id, file_name=file_name)
    for entry in entries:
        own_id = entry.key or latex_to_text(entry.fields.get("unique-id", ""))
        collector.add(own_id, where=f"line {entry.line}", **record_fields(entry))
    return collector.finish()
