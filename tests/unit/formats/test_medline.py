"""PubMed/MEDLINE text (.nbib) and ERIC NBIB."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from realist_review.errors import InputError
from realist_review.formats import detect_format, parse_text
from realist_review.formats.medline import parse
from realist_review.records import Record, Source

Load = Callable[..., list[Record]]

# fmt: off
FIELD_CASES: list[tuple[str, str, int, str, Any, str]] = [
    ("pmid-is-source-id", "medline/pubmed.nbib", 0, "source_id", "99900021", "PMID"),
    ("wrapped-title", "medline/pubmed.nbib", 0, "title",
     "Trauma-informed care in residential children's homes: a systematic review of staff "
     "training interventions.", "6-space continuation joined"),
    ("full-author-names", "medline/pubmed.nbib", 0, "authors",
     ("Adebayo, Folasade", "McAllister, Jean-Luc"), "FAU preferred to AU"),
    ("doi-from-lid", "medline/pubmed.nbib", 0, "doi", "10.5555/chiabu.2022.105401",
     "LID ... [doi], not the [pii]"),
    ("year-from-dp", "medline/pubmed.nbib", 0, "year", 2022, "DP 2022 Feb"),
    ("journal-full", "medline/pubmed.nbib", 0, "journal", "Child abuse & neglect", "JT"),
    ("volume", "medline/pubmed.nbib", 0, "volume", "124", "VI"),
    ("issn-first", "medline/pubmed.nbib", 0, "issn", "1873-7757", "first IS"),
    ("mesh-without-star", "medline/pubmed.nbib", 0, "mesh_terms",
     ("Child", "Child, Institutionalized", "Humans", "Inservice Training",
      "Residential Treatment"), "MH, major-topic star dropped"),
    ("other-terms-keywords", "medline/pubmed.nbib", 0, "keywords",
     ("Residential child care", "Staff training", "Trauma-informed care"), "OT"),
    ("publication-types", "medline/pubmed.nbib", 0, "publication_type",
     ("Journal Article", "Systematic Review"), "PT"),
    ("abbreviated-pages", "medline/pubmed.nbib", 1, "pages", "1201-1209", "PG 1201-9"),
    ("pmcid", "medline/pubmed.nbib", 1, "pmcid", "PMC9990022", "PMC"),
    ("issue", "medline/pubmed.nbib", 1, "issue", "4", "IP after the other tags"),
    ("eric-oid", "medline/eric.nbib", 0, "source_id", "EJ9990002", "no PMID: ERIC's OID"),
    ("eric-no-pmid", "medline/eric.nbib", 0, "pmid", "", "ERIC has none"),
    ("eric-doi-link", "medline/eric.nbib", 0, "doi", "10.5555/jcycw.2019.33.2", "AID link"),
    ("eric-issn-prefix", "medline/eric.nbib", 0, "issn", "0741-9481", "ISSN - ISSN-..."),
    ("eric-url", "medline/eric.nbib", 0, "url", "http://eric.ed.gov/?id=EJ9990002", "LID link"),
]
# fmt: on


@pytest.mark.parametrize(
    ("relative", "index", "field", "expected"),
    [pytest.param(f, i, k, v, id=c) for c, f, i, k, v, _ in FIELD_CASES],
)
def test_fields(load: Load, relative: str, index: int, field: str, expected: Any) -> None:
    assert getattr(load(relative)[index], field) == expected


def test_counts_and_source(load: Load) -> None:
    records = load("medline/pubmed.nbib") + load("medline/eric.nbib")
    assert len(records) == 3
    assert {r.source for r in records} == {Source.NBIB}


def test_group_author_in_file_order_and_as_written(load: Load) -> None:
    # CN is where PubMed lists the group in the byline (here first), kept as written:
    # a group is not a person, so it is never turned into "Group, Residential Care Consensus"
    authors = load("medline/pubmed.nbib")[1].authors
    assert authors == ("Residential Care Consensus Group", "Turner, Beth")


def test_records_without_blank_line_between_them() -> None:
    text = "PMID- 1\nTI  - One\nPMID- 2\nTI  - Two\n"
    records = parse(text, search_id="s", file_name="x.nbib")
    assert [(r.pmid, r.title) for r in records] == [("1", "One"), ("2", "Two")]


def test_nothing_tagged_is_refused() -> None:
    with pytest.raises(InputError, match=r"x\.nbib: no MEDLINE/PubMed records"):
        parse("\n\n   \n", search_id="s", file_name="x.nbib")


def test_untagged_line_is_skipped_with_a_warning_naming_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # one stray line used to refuse the whole file
    text = "Search results\nPMID- 1\nTI  - One\n\nSaved 2020-01-01\n\nPMID- 2\nTI  - Two\n"
    records = parse(text, search_id="s", file_name="x.nbib")
    assert [r.title for r in records] == ["One", "Two"]
    messages = [r.getMessage() for r in caplog.records]
    assert any("x.nbib: line 1" in m and "'Search results'" in m for m in messages)
    assert any("x.nbib: line 5" in m and "skipped" in m for m in messages)


def test_indented_text_after_a_blank_line_continues_the_field(
    caplog: pytest.LogCaptureFixture,
) -> None:
    text = "PMID- 1\nAB  - First part.\n\n      second part.\nPMID- 2\nTI  - Two\n"
    records = parse(text, search_id="s", file_name="x.nbib")
    assert records[0].abstract == "First part. second part."
    assert "line 4" in caplog.text


def test_pmc_first_tags_start_records() -> None:
    # PubMed Central's MEDLINE export: records begin with PMC or PMCR, some without PMID
    text = (
        "PMC - PMC1234567\nPMID- 11\nTI  - One\n"
        "PMC - PMC7654321\nTI  - Two\n\n"
        "PMCR- 2020/01/01\nTI  - Three\n"
    )
    assert detect_format("export.txt", text) == "nbib"
    assert detect_format("export.txt", "PMCR- 2020/01/01\nTI  - Three\n") == "nbib"
    records = parse(text, search_id="s", file_name="x.nbib")
    assert [(r.pmcid, r.title) for r in records] == [
        ("PMC1234567", "One"),
        ("PMC7654321", "Two"),
        ("", "Three"),
    ]


def test_repeated_title_lines_are_joined() -> None:
    text = "PMID- 1\nTI  - A title written\nTI  - on two TI lines.\n"
    assert parse(text, search_id="s", file_name="x.nbib")[0].title == (
        "A title written on two TI lines."
    )


_LINES = st.sampled_from(
    ["PMID- 123", "TI  - Title", "      wrapped", "", "FAU - Smith, John", "AU  - Smith J",
     "LID - 10.5555/x [doi]", "PG  - 45-9", "DP  - 2020 Jan", "OWN - ERIC", "ISSN - x"]
)  # fmt: skip


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_LINES, st.text(max_size=30)), max_size=25))
def test_random_text_raises_nothing_but_input_error(lines: list[str]) -> None:
    try:
        records = parse_text("\n".join(lines), "nbib", search_id="s", file_name="r.nbib")
    except InputError:
        return
    assert len({r.record_id for r in records}) == len(records)
