"""EndNote XML (and EndNote's tagged text, which carries the same source kind)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from realist_review.errors import InputError
from realist_review.formats import parse_text
from realist_review.formats.endnote_xml import parse
from realist_review.formats.refer import parse as parse_refer
from realist_review.records import Record, Source

Load = Callable[..., list[Record]]

# fmt: off
FIELD_CASES: list[tuple[str, int, str, Any, str]] = [
    ("rec-number", 0, "source_id", "101", "rec-number"),
    ("styled-title-joined", 0, "title",
     "Trauma-informed care in residential children's homes: a systematic review of staff "
     "training interventions", "three <style> runs, &apos; entity"),
    ("periodical-full-title", 0, "journal", "Child Abuse & Neglect",
     "periodical/full-title over the abbreviation"),
    ("pmid-from-accession", 0, "pmid", "99900021", "accession-num with provider NLM"),
    ("pmcid-custom2", 0, "pmcid", "PMC9990021", "custom2"),
    ("doi", 0, "doi", "10.5555/chiabu.2022.105401", "electronic-resource-num"),
    ("issn-from-isbn-field", 0, "issn", "1873-7757", "EndNote keeps ISSNs in <isbn>"),
    ("keywords", 0, "keywords", ("Residential Treatment", "Inservice Training"), "keyword"),
    ("url", 0, "url", "https://example.org/articles/adebayo-2022", "related-urls"),
    ("book-section-type", 1, "publication_type", ("Book Section",), "ref-type name"),
    ("book-title-as-journal", 1, "journal", "Residential Child Care: Theory and Practice",
     "secondary-title"),
    ("isbn", 1, "isbn", "9781447300006", "ISBN of a book section"),
    ("editors-not-authors", 1, "authors", ("Greaves, Lucy",), "secondary-authors"),
    ("untitled-kept", 2, "title", "", "a report with no title"),
    ("doi-from-url", 2, "doi", "10.5555/ocrs.2019.01", "doi.org link"),
]
# fmt: on


@pytest.mark.parametrize(
    ("index", "field", "expected"), [pytest.param(i, k, v, id=c) for c, i, k, v, _ in FIELD_CASES]
)
def test_fields(load: Load, index: int, field: str, expected: Any) -> None:
    assert getattr(load("endnote_xml/library.xml")[index], field) == expected


def test_count_and_source(load: Load) -> None:
    records = load("endnote_xml/library.xml")
    assert len(records) == 3
    assert {r.source for r in records} == {Source.ENDNOTE_XML}


# fmt: off
BAD_CASES = [
    ("cut-off", "<?xml version='1.0'?>\n<xml><records><record><rec-number>1</rec-number>\n",
     ["x.xml: line 3", "not well-formed XML", "Export the library from EndNote again"],
     "a truncated export"),
    ("not-endnote", "<?xml version='1.0'?><html><body>Hello</body></html>",
     ["root <html>", "not an EndNote XML export"], "some other XML"),
    ("no-records", "<xml><records></records></xml>", ["no <record> elements"], "empty library"),
    ("entity-bomb",
     '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
     "<xml><records><record><title>&b;</title></record></records></xml>",
     ["declares entities or a DTD", "refusing"], "untrusted XML must not expand entities"),
]
# fmt: on


@pytest.mark.parametrize(
    ("text", "fragments"), [pytest.param(t, f, id=i) for i, t, f, _ in BAD_CASES]
)
def test_bad_input(text: str, fragments: list[str]) -> None:
    with pytest.raises(InputError) as info:
        parse(text, search_id="s", file_name="x.xml")
    for fragment in fragments:
        assert fragment in str(info.value)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                ["<xml>", "<records>", "<record>", "</record>", "</records>", "</xml>",
                 "<title>", "</title>", "<style>", "</style>", "&amp;", "&bogus;", "<rec-number>"]
            ),
            st.text(max_size=10),
        ),
        max_size=30,
    )
)  # fmt: skip
def test_random_text_raises_nothing_but_input_error(pieces: list[str]) -> None:
    try:
        records = parse_text("".join(pieces), "endnote_xml", search_id="s", file_name="r.xml")
    except InputError:
        return
    assert len({r.record_id for r in records}) == len(records)


# --------------------------------------------------------------------------------------------
# EndNote tagged text (Refer/BibIX)
# --------------------------------------------------------------------------------------------
def test_refer_fields(load: Load) -> None:
    first, second = load("refer/library.enw")
    assert first.source is Source.REFER
    assert first.source_id == "990011224"
    assert first.authors == ("Patel, Anjali", "Brennan, Siobhan")
    assert first.keywords == ("residential care", "looked-after children")
    assert first.abstract == (
        "Young people in children's homes described keyworkers who stayed as the basis of "
        "feeling safe."
    )
    assert (first.doi, first.pages, first.year) == ("10.5555/af.2022.0046", "150-166", 2022)
    assert second.source_id == "library.enw#2"
    assert second.publication_type == ("Report",)


def test_refer_text_outside_record_is_an_error() -> None:
    with pytest.raises(InputError, match=r"x\.enw: line 3: text 'stray' is outside a record"):
        parse_refer("%T One\n\nstray\n", search_id="s", file_name="x.enw")
