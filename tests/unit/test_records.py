"""Record model: field normalisation, stable ids, row round trips, merging."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from realist_review.records import (
    RECORD_COLUMNS,
    Record,
    Source,
    clean_text,
    make_record,
    make_record_id,
    merge_same_record,
    normalize_author,
    normalize_doi,
    normalize_pmcid,
    normalize_pmid,
    parse_year,
    record_to_row,
    row_to_record,
)

DOI_CASES = [
    # (id, raw, expected, note)
    ("bare", "10.1016/j.chiabu.2019.104123", "10.1016/j.chiabu.2019.104123", "already bare"),
    ("url", "https://doi.org/10.1111/CFS.12345", "10.1111/cfs.12345", "resolver URL, upper case"),
    ("prefix", "doi: 10.1177/0886260519876543.", "10.1177/0886260519876543", "label + period"),
    ("dx", "http://dx.doi.org/10.1080/0145935X.2020.1", "10.1080/0145935x.2020.1", "old resolver"),
    ("paren", "(10.1002/(SICI)1099-1379)", "10.1002/(sici)1099-1379", "balanced parens kept"),
    ("none", "not a doi", "", "no DOI at all"),
    ("no-suffix", "10.5555/.", "", "a prefix with nothing after it is not a DOI"),
    ("empty", None, "", "missing"),
]


@pytest.mark.parametrize(
    ("raw", "expected"), [c[1:3] for c in DOI_CASES], ids=[c[0] for c in DOI_CASES]
)
def test_normalize_doi(raw: object, expected: str) -> None:
    assert normalize_doi(raw) == expected


@given(st.text(max_size=80))
def test_normalize_doi_is_idempotent(text: str) -> None:
    once = normalize_doi(text)
    assert normalize_doi(once) == once


AUTHOR_CASES = [
    ("family-given", "Smith, John A.", "Smith, John A.", "kept as is"),
    ("given-family", "John A. Smith", "Smith, John A.", "reordered"),
    ("medline", "Smith JA", "Smith, J A", "MEDLINE initials"),
    ("org", "Department for Education Children's Homes Quality Standards Team", None, "org"),
    ("single", "Ofsted", "Ofsted", "one word"),
]


@pytest.mark.parametrize(
    ("raw", "expected"), [c[1:3] for c in AUTHOR_CASES], ids=[c[0] for c in AUTHOR_CASES]
)
def test_normalize_author(raw: str, expected: str | None) -> None:
    assert normalize_author(raw) == (raw if expected is None else expected)


def test_identifiers_and_years() -> None:
    assert normalize_pmid("PMID: 00123456 [Indexed]") == "123456"
    assert normalize_pmid("") == ""
    assert normalize_pmcid("pmc1234567") == "PMC1234567"
    assert parse_year("2019 Spring") == 2019
    assert parse_year("2019//") == 2019
    assert parse_year("n.d.") is None
    assert parse_year(1066) is None


def test_clean_text_keeps_comparisons_and_drops_escaped_tags() -> None:
    assert clean_text("effect P<.001 when n>40") == "effect P<.001 when n>40"
    assert clean_text("&lt;i&gt;Staff&lt;/i&gt; &amp; carers") == "Staff & carers"
    assert clean_text("a &lt; b") == "a < b"


def test_organisation_authors_and_languages() -> None:
    assert normalize_author("Residential Care Research Collaborative") == (
        "Residential Care Research Collaborative"
    )
    record = make_record(source="ris", source_id="1", search_id="s", language="English")
    assert record.language == "eng"
    both = make_record(source="ris", source_id="1", search_id="s", language="en; French")
    assert both.language == "eng; fre"


def test_clean_text_strips_markup_and_entities() -> None:
    assert clean_text("  Trauma-informed&nbsp;care in <i>residential</i>\n homes ") == (
        "Trauma-informed care in residential homes"
    )


def test_record_id_is_stable_and_depends_on_origin_not_content() -> None:
    a = make_record(source="pubmed", source_id="39000001", search_id="q1", title="A")
    b = make_record(source="pubmed", source_id="39000001", search_id="q2", title="B")
    assert a.record_id == b.record_id == make_record_id("pubmed", "39000001")
    ris1 = make_record(source="ris", source_id="file.ris#1", search_id="ovid", title="A")
    ris2 = make_record(source="ris", source_id="file.ris#1", search_id="ebsco", title="A")
    assert ris1.record_id != ris2.record_id, "file ids are only unique within one search"


def test_make_record_rejects_unknown_fields_and_missing_id() -> None:
    with pytest.raises(TypeError, match="unknown fields"):
        make_record(source="ris", source_id="1", search_id="s", titel="typo")
    with pytest.raises(ValueError, match="source_id"):
        make_record(source="ris", source_id="  ", search_id="s")


texts = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)


@given(
    title=texts,
    authors=st.lists(texts, max_size=4),
    keywords=st.lists(texts, max_size=4),
    year=st.one_of(st.none(), st.integers(1500, 2199)),
    source_id=st.text(alphabet="abcdefghij0123456789", min_size=1, max_size=12),
)
def test_row_round_trip(
    title: str, authors: list[str], keywords: list[str], year: int | None, source_id: str
) -> None:
    record = make_record(
        source=Source.OPENALEX,
        source_id=source_id,
        search_id="openalex",
        title=title,
        authors=authors,
        keywords=keywords,
        year=year,
    )
    row = record_to_row(record)
    assert list(row) == list(RECORD_COLUMNS)
    assert row_to_record(row) == record


def test_merge_same_record_fills_gaps_and_unites_origins() -> None:
    first = make_record(source="pubmed", source_id="1", search_id="a", title="T", year=2020)
    second = make_record(
        source="pubmed",
        source_id="1",
        search_id="b",
        title="Other",
        doi="10.1000/x",
        keywords=["k"],
    )
    merged = merge_same_record([first, second])
    assert merged.title == "T", "the first search's value wins"
    assert merged.doi == "10.1000/x"
    assert merged.origin == ("a:1", "b:1")
    assert merged.keywords == ("k",)
    with pytest.raises(ValueError, match="different record ids"):
        merge_same_record([first, make_record(source="pubmed", source_id="2", search_id="a")])


def test_record_is_frozen() -> None:
    record = Record(record_id="rec-1", source=Source.RIS, source_id="1")
    with pytest.raises(AttributeError):
        record.title = "x"  # type: ignore[misc]
