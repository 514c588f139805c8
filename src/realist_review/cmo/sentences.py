"""Split a document's text into sentences with character offsets and section labels.

The unit of CMO extraction is the sentence. An abstract is cut after ``.``, ``?`` or ``!``
followed by whitespace and an upper-case letter or a digit, except after common abbreviations
(e.g., i.e., et al., vs.) and single initials. Publisher boilerplate at the end
("(PsycINFO Database Record ...)", "Copyright ...", "(c) 2019 Elsevier") is left out. A
structured-abstract label ("Objective." / "Results:") becomes a sentence of its own and names
the section of the sentences after it, so section priors work on abstracts too.

Offsets are into the text exactly as given (the record table's ``abstract``): ``text[start:end]``
is the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Structured-abstract labels -> section name used by the role priors.
SECTION_LABELS: dict[str, str] = {
    "abstract": "abstract",
    "summary": "abstract",
    "background": "background",
    "introduction": "background",
    "context": "background",
    "rationale": "background",
    "theoretical background": "background",
    "theoretischer hintergrund": "background",
    "problem": "background",
    "objective": "objective",
    "objectives": "objective",
    "aim": "objective",
    "aims": "objective",
    "purpose": "objective",
    "fragestellung": "objective",
    "research questions": "objective",
    "method": "methods",
    "methods": "methods",
    "methodology": "methods",
    "design": "methods",
    "participants": "methods",
    "setting": "methods",
    "sample": "methods",
    "measures": "methods",
    "procedure": "methods",
    "intervention": "methods",
    "interventions": "methods",
    "methods and materials": "methods",
    "design and methods": "methods",
    "materials and methods": "methods",
    "results": "results",
    "findings": "results",
    "resultados": "results",
    "ergebnisse": "results",
    "outcomes": "results",
    "conclusion": "conclusions",
    "conclusions": "conclusions",
    "conclusiones": "conclusions",
    "schlussfolgerungen": "conclusions",
    "discussion": "conclusions",
    "implications": "conclusions",
    "practice implications": "conclusions",
    "conclusions and implications": "conclusions",
    "implications for practice": "conclusions",
    "trial registration": "other",
}

_ABBREVIATIONS = frozenset(
    {
        "e.g",
        "i.e",
        "al",
        "vs",
        "cf",
        "etc",
        "approx",
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "no",
        "fig",
        "st",
        "jr",
        "sr",
        "inc",
        "ca",
        "viz",
        "resp",
    }
)
_BOILERPLATE = re.compile(
    r"\s*(?:\(PsycINFO Database Record|\(PsycInfo Database Record|PsycINFO Database Record"
    r"|\(c\)\s*\d{4}|©|Copyright\b|\[ABSTRACT FROM|\(Contains \d+ )",
)
_BREAK = re.compile(r"[.?!][\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9])")
_LABEL = re.compile(r"\s*([A-Za-z][A-Za-z ]{1,40}?)\s*[:.]\s+(?=\S)")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: its index in the document, section, offsets and text."""

    index: int
    section: str
    start: int
    end: int
    text: str
    is_label: bool = False


def body_end(text: str) -> int:
    """Where the abstract body ends: before trailing publisher or indexer boilerplate."""
    match = _BOILERPLATE.search(text)
    # Only cut boilerplate in the last part of the text, never a mid-text "(c)" mention.
    if match and match.start() > len(text) * 0.5:
        return len(text[: match.start()].rstrip())
    return len(text.rstrip())


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the ``.`` at ``dot`` ends an abbreviation or a single initial."""
    if text[dot] != ".":
        return False
    word = re.search(r"([A-Za-z][A-Za-z.]*)$", text[:dot])
    if not word:
        return False
    token = word.group(1)
    if token.lower() in _ABBREVIATIONS:
        return True
    return len(token) == 1 and token.isupper()


def _spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans in ``text[start:end]`` (whitespace trimmed)."""
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _BREAK.finditer(text, start, end):
        if _is_abbreviation(text, match.start()):
            continue
        spans.append((cursor, match.end()))
        cursor = match.end()
    spans.append((cursor, end))
    trimmed: list[tuple[int, int]] = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            trimmed.append((a, b))
    return trimmed


def _label_at(text: str, start: int, end: int) -> tuple[int, str] | None:
    """A structured-abstract label at the start of ``text[start:end]``: (label end, section)."""
    match = _LABEL.match(text, start, end)
    if not match:
        return None
    section = SECTION_LABELS.get(match.group(1).strip().lower())
    if section is None:
        return None
    label_end = match.start(1) + len(match.group(1))
    if label_end < end and text[label_end] in ":.":
        label_end += 1
    return label_end, section


def split_sentences(text: str, *, section: str = "abstract") -> list[Sentence]:
    """The sentences of ``text``, numbered from 0, with section labels split off."""
    end = body_end(text)
    sentences: list[Sentence] = []
    current = section
    for a, b in _spans(text, 0, end):
        while True:
            found = _label_at(text, a, b)
            if found is None:
                break
            label_end, current = found
            sentences.append(
                Sentence(len(sentences), current, a, label_end, text[a:label_end], True)
            )
            a = label_end
            while a < b and text[a].isspace():
                a += 1
            if a >= b:
                break
        if a < b:
            sentences.append(Sentence(len(sentences), current, a, b, text[a:b]))
    return sentences
