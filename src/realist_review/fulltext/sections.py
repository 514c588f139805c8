"""Section headings: numbering, and which part of an article a heading names."""

from __future__ import annotations

import re

from realist_review.fulltext.model import Section

#: "2.", "2.1", "2.1.3.", "II.", "A." in front of a heading.
_NUMBERING = re.compile(
    r"^\s*(?:(?:\d{1,2}(?:\.\d{1,2}){0,4}\.?)|(?:[IVX]{1,5}\.)|(?:[A-H]\.))\s+(?=\S)"
)

# Checked in order; the first pattern found in the normalised heading wins.
_RULES: tuple[tuple[Section, re.Pattern[str]], ...] = (
    (Section.REFERENCES, re.compile(r"^(references?|bibliography|literature cited|works cited)")),
    (Section.ABSTRACT, re.compile(r"^(abstract|summary$)")),
    (
        Section.OTHER,
        re.compile(
            r"^(acknowledg|competing interest|conflicts? of interest|declaration|disclosure|"
            r"authors?'? contribution|author contribution|contributors|abbreviation|funding|"
            r"financial|trial status|data availability|availability of|supporting information|"
            r"supplementary|additional file|appendix|ethics|consent|endnote|notes?$|"
            r"open peer review|referee)"
        ),
    ),
    (Section.INTRODUCTION, re.compile(r"^(introduction|background|rationale)")),
    (
        Section.RESULTS,
        re.compile(r"^(results?|findings?|case (report|presentation|description)|case$)"),
    ),
    (Section.DISCUSSION, re.compile(r"^(discussion|general discussion|comment$)")),
    (Section.CONCLUSIONS, re.compile(r"^(conclusion|concluding|summary and conclusion)")),
    (
        Section.METHODS,
        re.compile(
            r"^((materials?|patients?|subjects?|participants?|data) and methods?|methods?|"
            r"methodology|experimental|study design|design|computational (details|methods)|"
            r"the study$|materials?$)"
        ),
    ),
)


def strip_numbering(heading: str) -> str:
    """The heading without its leading number.

    >>> strip_numbering("2.1. Study design")
    'Study design'
    """
    return _NUMBERING.sub("", heading, count=1).strip()


def numbering_depth(heading: str) -> int:
    """How deep a numbered heading sits: "2." -> 1, "2.1" -> 2, unnumbered -> 0."""
    match = _NUMBERING.match(heading)
    if not match:
        return 0
    digits = re.findall(r"\d+", match.group(0))
    return max(1, len(digits))


def normalise_heading(heading: str) -> str:
    """Lower-case letters and digits of a heading without its number, for comparing titles."""
    text = strip_numbering(heading).lower().replace("’", "'")
    return re.sub(r"[^a-z0-9']+", " ", text).strip()


def classify_heading(heading: str) -> Section | None:
    """The section a heading names, or ``None`` for a heading the rules do not know.

    >>> classify_heading("3. Materials and Methods")
    <Section.METHODS: 'methods'>
    >>> classify_heading("Results and Discussion")
    <Section.RESULTS: 'results'>
    >>> classify_heading("Study area") is None
    True
    """
    text = normalise_heading(heading).replace("'", "")
    if not text:
        return None
    for section, pattern in _RULES:
        if pattern.search(text):
            return section
    return None
