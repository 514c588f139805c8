"""PubMed/MEDLINE text (.nbib) and ERIC NBIB."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from realist_review.errors import InputError
from realist_review.formats import parse_text
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


def test_group_author_follows_the_people(load: Load) -> None:
    authors = load("medline/pubmed.nbib")[1].authors
    assert authors[0] == "Turner, Beth"
    # CN is kept as one author; records.normalize_author decides how a group name is written
    assert set(authors[1].replace(",", "").split()) == {"Residential", "Care", "Consensus", "Group"}


def test_records_without_blank_line_between_them() -> None:
    text = "PMID- 1\nTI  - One\nPMID- 2\nTI  - Two\n"
    records = parse(text, search_id="s", file_name="x.nbib")
    assert [(r.pmid, r.title) for r in records] == [("1", "One"), ("2", "Two")]


# fmt: off
BAD_CASES = [
    ("indented-after-blank", "PMID- 1\nTI  - One\n\n      stray continuation\n",
     ["x.nbib: line 4", "indented continuation line", "outside a record"],
     "a blank line ended the record; the text would be lost"),
    ("text-before-first-record", "Search results\nPMID- 1\nTI  - One\n",
     ["line 1", "untagged text", "'Search results'"], "no record to put it in"),
    ("nothing-tagged", "\n\n   \n", ["x.nbib", "no MEDLINE/PubMed records"], "blank file"),
]
# fmt: on


@pytest.mark.parametrize(
    ("text", "fragments"), [pytest.param(t, f, id=i) for i, t, f, _ in BAD_CASES]
)
def test_bad_input_names_file_and_line(text: str, fragments: list[str]) -> None:
    with pytest.raises(InputError) as info:
        parse(text, search_id="s", file_name="x.nbib")
    for fragment in fragments:
        assert fragment in str(info.value)


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
