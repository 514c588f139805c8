"""Sentence splitting and section headings: data-driven cases, each with an id."""

from __future__ import annotations

import pytest

from realist_review.fulltext import Section
from realist_review.fulltext.sections import classify_heading, numbering_depth, strip_numbering
from realist_review.fulltext.sentences import split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Smith et al. found it. Then it stopped.",
            ["Smith et al. found it.", "Then it stopped."],
            id="et-al",
        ),
        pytest.param(
            "Some groups, e.g. nurses, agreed. Others did not.",
            ["Some groups, e.g. nurses, agreed.", "Others did not."],
            id="eg",
        ),
        pytest.param(
            "Group A vs. group B differed. It was clear.",
            ["Group A vs. group B differed.", "It was clear."],
            id="vs",
        ),
        pytest.param(
            "The mean was 2.5 mg (SD 0.3). It rose.",
            ["The mean was 2.5 mg (SD 0.3).", "It rose."],
            id="decimals",
        ),
        pytest.param(
            "Trust matters [12, 13]. Staff said so (Pawson, 2006).",
            ["Trust matters [12, 13].", "Staff said so (Pawson, 2006)."],
            id="citations",
        ),
        pytest.param("No full stop at the end", ["No full stop at the end"], id="no-stop"),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == expected


@pytest.mark.parametrize(
    ("heading", "section"),
    [
        pytest.param("1. Introduction", Section.INTRODUCTION, id="numbered"),
        pytest.param("BACKGROUND", Section.INTRODUCTION, id="capitals"),
        pytest.param("Methods/Design", Section.METHODS, id="bmc-protocol"),
        pytest.param("2. Materials and Methods", Section.METHODS, id="materials"),
        pytest.param("Experimental Section", Section.METHODS, id="mdpi-experimental"),
        pytest.param("3. Result", Section.RESULTS, id="singular"),
        pytest.param("Case Presentation", Section.RESULTS, id="case-report"),
        pytest.param("Results and Discussion", Section.RESULTS, id="combined"),
        pytest.param("4. Discussion", Section.DISCUSSION, id="discussion"),
        pytest.param("Conclusions and Perspectives", Section.CONCLUSIONS, id="conclusions"),
        pytest.param("References", Section.REFERENCES, id="references"),
        pytest.param("Authors’ contributions", Section.OTHER, id="curly-apostrophe"),
        pytest.param("Competing interests", Section.OTHER, id="back-matter"),
        pytest.param("Abstract", Section.ABSTRACT, id="abstract"),
        pytest.param("2.1. Study area", None, id="unknown-subsection"),
    ],
)
def test_classify_heading(heading: str, section: Section | None) -> None:
    assert classify_heading(heading) == section


def test_numbering() -> None:
    assert strip_numbering("2.1. Study design") == "Study design"
    assert numbering_depth("2.1. Study design") == 2
    assert numbering_depth("3 Results") == 1
    assert numbering_depth("Results") == 0
