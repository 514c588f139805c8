"""Sentence splitting: offsets into the text as given, section labels, abbreviations."""

from __future__ import annotations

import pytest

from realist_review.cmo.sentences import body_end, split_sentences


def test_offsets_are_into_the_text_as_given(structured: str) -> None:
    sentences = split_sentences(structured)
    assert sentences
    for s in sentences:
        assert structured[s.start : s.end] == s.text
        assert s.text == s.text.strip()
    assert [s.index for s in sentences] == list(range(len(sentences)))


def test_section_labels_are_sentences_of_their_own(structured: str) -> None:
    sentences = split_sentences(structured)
    labels = [s for s in sentences if s.is_label]
    assert [s.text for s in labels] == ["Background:", "Methods:", "Results:", "Conclusions:"]
    by_text = {s.text[:12]: s.section for s in sentences if not s.is_label}
    assert by_text["Children in "] == "background"
    assert by_text["We evaluated"] == "methods"
    assert by_text["Placement br"] == "results"
    assert by_text["Training imp"] == "conclusions"


def test_abbreviations_initials_and_boilerplate(plain: str) -> None:
    sentences = split_sentences(plain)
    assert len(sentences) == 3
    assert "J. Smith et al. in 2019." in sentences[0].text
    assert sentences[-1].text.endswith("decreased.")
    assert "PsycINFO" not in sentences[-1].text
    assert body_end(plain) == sentences[-1].end


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("", 0),
        ("One sentence without a full stop", 1),
        ("Rates rose vs. the year before. Then 12 homes joined.", 2),
        ("It worked. 45 carers took part!", 2),
        ("A decimal 0.5 stays. So does i.e. this.", 2),
    ],
    ids=["empty", "no-stop", "vs", "digit-start", "decimal-and-ie"],
)
def test_sentence_counts(text: str, count: int) -> None:
    assert len(split_sentences(text)) == count
