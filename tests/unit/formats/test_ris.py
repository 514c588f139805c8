"""RIS exports: every flavour the project's fixtures carry, bad input, and properties."""

from __future__ import annotations

import logging
import string
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from realist_review.errors import InputError
from realist_review.formats import parse_text
from realist_review.formats.ris import parse, write_ris
from realist_review.records import Record, Source, make_record

Load = Callable[..., list[Record]]

# (id, file, record index, field, expected value, note)
# fmt: off
FIELD_CASES: list[tuple[str, str, int, str, Any, str]] = [
    ("endnote-pmid-from-an", "ris/endnote.ris", 0, "pmid", "99900001", "AN with DP - NLM"),
    ("endnote-source-id-an", "ris/endnote.ris", 0, "source_id", "99900001", "AN before ID"),
    ("endnote-pmcid", "ris/endnote.ris", 0, "pmcid", "PMC9990001", "C2"),
    ("endnote-continued-keywords", "ris/endnote.ris", 0, "keywords",
     ("Child, Institutionalized/*psychology", "Residential Treatment", "Trauma-informed care",
      "Staff training"), "untagged lines after KW are more keywords"),
    ("endnote-abbreviated-pages", "ris/endnote.ris", 0, "pages", "112-119", "SP 112-19"),
    ("endnote-journal-t2", "ris/endnote.ris", 0, "journal", "Child Fam Soc Work", "T2"),
    ("endnote-title-ti-not-st", "ris/endnote.ris", 0, "title",
     "Staff training and trauma-informed practice in children's homes: a qualitative "
     "follow-up study", "TI wins over the short title"),
    ("endnote-report-type", "ris/endnote.ris", 1, "publication_type", ("Report",), "RPRT"),
    ("endnote-report-first-url", "ris/endnote.ris", 1, "url",
     "https://example.org/reports/trauma-aware-care-2019", "first of two UR lines"),
    ("endnote-report-id", "ris/endnote.ris", 1, "source_id", "18", "ID record number"),
    ("endnote-chapter-isbn", "ris/endnote.ris", 2, "isbn", "9781447300006", "SN of a CHAP"),
    ("endnote-chapter-issn-empty", "ris/endnote.ris", 2, "issn", "", "an ISBN is no ISSN"),
    ("endnote-chapter-book-title", "ris/endnote.ris", 2, "journal",
     "Residential Child Care: Theory and Practice", "BT is where the chapter appeared"),
    ("endnote-chapter-editor-not-author", "ris/endnote.ris", 2, "authors", ("Greaves, Lucy",),
     "A2 (editor) is not an author"),
    ("ovid-doi-link", "ris/ovid.ris", 0, "doi", "10.5555/jcyc.2020.0031", "DO as dx.doi.org"),
    ("ovid-year-y1", "ris/ovid.ris", 0, "year", 2020, "Y1 - 2020//"),
    ("ovid-abstract-n2", "ris/ovid.ris", 0, "abstract",
     "Trauma-informed care is often introduced through training alone. This study examined "
     "how governance arrangements in 14 English children's homes supported or undermined "
     "trauma-informed practice over three years. Homes with board-level ownership sustained "
     "changes in restraint and incident rates.", "N2, PsycInfo notice removed"),
    ("ovid-no-specified-pages", "ris/ovid.ris", 0, "pages", "", "SP No / EP Specified"),
    ("ovid-id", "ris/ovid.ris", 0, "source_id", "2020-99001-001", "Ovid accession in ID"),
    ("ovid-second", "ris/ovid.ris", 1, "pages", "45-60", "second numbered record"),
    ("ebsco-crlf-title", "ris/ebsco.ris", 0, "title",
     "Restraint reduction after trauma-informed training in children's homes: an "
     "interrupted time series", "CRLF line ends"),
    ("ebsco-abstract-clean", "ris/ebsco.ris", 0, "abstract",
     "Physical restraint of children in residential care is a safeguarding concern. We "
     "analysed monthly restraint counts in 22 homes for two years before and after a "
     "trauma-informed training programme. Restraints fell by a third.",
     "[ABSTRACT FROM AUTHOR] and the copyright AB dropped"),
    ("ebsco-doi-l3", "ris/ebsco.ris", 0, "doi", "10.5555/can.2019.0007", "DOI in L3"),
    ("ebsco-issn-8-digits", "ris/ebsco.ris", 0, "issn", "0145-2134", "SN 01452134"),
    ("ebsco-accession-n1", "ris/ebsco.ris", 0, "source_id", "990011223",
     "Accession Number in N1"),
    ("ebsco-m3-type", "ris/ebsco.ris", 0, "publication_type", ("Journal Article", "Article"),
     "M3 Article"),
    ("eppi-authors", "ris/eppi.ris", 0, "authors",
     ("Hargreaves, Eleanor", "Van der Berg, Pieter", "Osei, K A"),
     "Family Given without comma"),
    ("eppi-u1", "ris/eppi.ris", 0, "source_id", "99004101", "U1 is EPPI's item id"),
    ("eppi-doi-in-url-line", "ris/eppi.ris", 0, "doi", "10.5555/cysr.2021.106271",
     "dx.doi.org link after the EBSCO link on one UR line"),
    ("eppi-year-source-info", "ris/eppi.ris", 1, "year", 2020,
     "no PY/Y1/DA: year from N1 'Source Info: Summer2020'"),
    ("eppi-empty-issue", "ris/eppi.ris", 0, "issue", "", "IS with no value"),
    ("zotero-da-year", "ris/zotero_scopus_proquest.ris", 0, "year", 2021, "DA 2021///"),
    ("zotero-no-id", "ris/zotero_scopus_proquest.ris", 0, "source_id",
     "zotero_scopus_proquest.ris#1", "no own id: <file>#<n>"),
    ("zotero-two-issns", "ris/zotero_scopus_proquest.ris", 0, "issn", "0265-0533",
     "first of two ISSNs"),
    ("scopus-eid", "ris/zotero_scopus_proquest.ris", 1, "source_id", "2-s2.0-85999000001",
     "EID from the Scopus link"),
    ("scopus-issn-suffix", "ris/zotero_scopus_proquest.ris", 1, "issn", "0952-9136",
     "SN ... (ISSN) with trailing space"),
    ("proquest-an", "ris/zotero_scopus_proquest.ris", 2, "source_id", "2214000001",
     "'AN - 2214000001; 51887': the part before ';'"),
    ("proquest-not-pmid", "ris/zotero_scopus_proquest.ris", 2, "pmid", "",
     "a ProQuest AN is not a PMID"),
    ("edge-bom-preamble", "ris/edge_cases.ris", 0, "title",
     "Co-regulation in residential child care: a practice framework",
     "BOM, blank lines, Record #/Provider:/Content: and '1.' before TY"),
    ("edge-er-in-text", "ris/edge_cases.ris", 0, "abstract",
     "first line of the abstract, ER then a second line and at the end the last line",
     "continuation lines starting with ER are text"),
    ("edge-loose-kw", "ris/edge_cases.ris", 0, "keywords", ("co-regulation",), "'KW - x'"),
    ("edge-pmid-tag", "ris/edge_cases.ris", 0, "pmid", "99900011", "'PMID  - ' tag"),
    ("edge-repeated-id", "ris/edge_cases.ris", 1, "source_id", "5001#2", "ID 5001 twice"),
    ("edge-untitled-kept", "ris/edge_cases.ris", 2, "title", "", "record with no title kept"),
    ("edge-untitled-id", "ris/edge_cases.ris", 2, "source_id", "edge_cases.ris#3",
     "identified by its place"),
    ("edge-no-er-at-end", "ris/edge_cases.ris", 3, "source_id", "5003",
     "last record without ER"),
]
# fmt: on


@pytest.mark.parametrize(
    ("relative", "index", "field", "expected"),
    [pytest.param(f, i, k, v, id=c) for c, f, i, k, v, _ in FIELD_CASES],
)
def test_fields(load: Load, relative: str, index: int, field: str, expected: Any) -> None:
    assert getattr(load(relative)[index], field) == expected


@pytest.mark.parametrize(
    ("relative", "count"),
    [
        pytest.param("ris/endnote.ris", 3, id="endnote"),
        pytest.param("ris/ovid.ris", 2, id="ovid"),
        pytest.param("ris/ebsco.ris", 2, id="ebsco"),
        pytest.param("ris/eppi.ris", 2, id="eppi"),
        pytest.param("ris/zotero_scopus_proquest.ris", 3, id="zotero-scopus-proquest"),
        pytest.param("ris/edge_cases.ris", 4, id="edge-cases"),
    ],
)
def test_every_record_is_kept(load: Load, relative: str, count: int) -> None:
    records = load(relative)
    assert len(records) == count
    assert all(r.source is Source.RIS for r in records)
    assert len({r.record_id for r in records}) == count
    assert all(r.origin == (f"fixture:{r.source_id}",) for r in records)


def test_edge_cases_warn_about_what_was_repaired(
    load: Load, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        load("ris/edge_cases.ris")
    assert "no 'ER  - ' line before the next 'TY  - ' (line(s) 30)" in caplog.text
    assert "the last record (line 33) has no 'ER  - ' line; kept" in caplog.text
    assert "'5001' (line 7 and line 23)" in caplog.text
    assert "1 of 4 record(s) have no title" in caplog.text


def test_organisation_author_in_eppi_file_is_not_split_by_the_parser(load: Load) -> None:
    # family_first leaves organisations alone; what records.normalize_author then does with
    # a comma-less organisation name is the record model's business (see the report)
    records = load("ris/eppi.ris")
    assert records[1].authors[0] == "Campbell, Fiona"
    assert "Department" in records[1].authors[1]


# --------------------------------------------------------------------------------------------
# Bad input: (id, text, message fragments, note)
# --------------------------------------------------------------------------------------------
# fmt: off
BAD_CASES = [
    ("no-ty", "TI  - A title\nAU  - Smith, J\nER  - \n", ["bad.ris", "no RIS records", "TY  - "],
     "no record ever opens"),
    ("field-before-first-ty", "T1  - Orphan title\nER  - \n\nTY  - JOUR\nTI  - Kept\nER  - \n",
     ["bad.ris: line 1", "field T1", "outside a record", "TY  - JOUR"],
     "a record lost its TY: its fields cannot be placed"),
    ("field-after-er", "TY  - JOUR\nTI  - One\nER  - \nAU  - Stray, A\nTI  - Two\nER  - \n",
     ["line 4", "field AU", "outside a record"], "fields between ER and the next TY"),
    ("text-after-er", "TY  - JOUR\nTI  - One\nER  - \nThis sentence lost its record\n",
     ["line 4", "outside a record", "This sentence lost its record"],
     "free text between records would be lost"),
    ("labelled-text-after-er", "TY  - JOUR\nTI  - One\nER  - \nAbstract: a lost abstract\n",
     ["line 4", "outside a record", "Abstract: a lost abstract"],
     "only known database notes are skipped between records"),
    ("text-after-ty", "TY  - JOUR\nA title without a tag\nER  - \n",
     ["line 2", "right after the 'TY  - ' line"], "nothing for the text to continue"),
]
# fmt: on


@pytest.mark.parametrize(
    ("text", "fragments"),
    [pytest.param(t, f, id=i) for i, t, f, _ in BAD_CASES],
)
def test_bad_input_names_file_and_line(text: str, fragments: list[str]) -> None:
    with pytest.raises(InputError) as info:
        parse(text, search_id="s", file_name="bad.ris")
    for fragment in fragments:
        assert fragment in str(info.value)


def test_tolerated_notes_between_records() -> None:
    text = (
        "Provider: Example\nDatabase: PsycINFO\nContent: application/x-research-info-systems\n"
        "\n1.\nTY  - JOUR\nTI  - One\nER  -\nNL  - J Abbrev\n\n"
        "Link to the Ovid Full Text or citation: http://example.org\n\n2.\n"
        "TY  - JOUR\nTI  - Two\nER  -\n% exported by a tool\n"
    )
    assert [r.title for r in parse(text, search_id="s", file_name="ok.ris")] == ["One", "Two"]


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------
_TEXT = st.text(
    alphabet=st.characters(
        whitelist_categories=("Lu", "Ll", "Nd", "Zs"), whitelist_characters="-,.:()'?!/"
    ),
    min_size=1,
    max_size=60,
).filter(lambda s: s.strip(" ,.") != "")
_WORD = st.text(alphabet=string.ascii_letters, min_size=2, max_size=12).map(str.capitalize)
_NAME = st.builds(lambda f, g: f"{f}, {g}", _WORD, _WORD)
_KEYWORD = st.text(alphabet=string.ascii_lowercase + " -", min_size=2, max_size=20).filter(
    lambda s: s.strip(" -") != ""
)


@st.composite
def _records(draw: st.DrawFn) -> Record:
    start = draw(st.integers(1, 5000))
    pages = draw(st.sampled_from(["", str(start), f"{start}-{start + draw(st.integers(1, 99))}"]))
    return make_record(
        source=Source.RIS,
        source_id=draw(st.text(alphabet=string.ascii_letters + string.digits, min_size=1)),
        search_id="s",
        title=draw(_TEXT),
        abstract=draw(st.one_of(st.just(""), _TEXT)),
        authors=draw(st.lists(_NAME, max_size=4, unique=True)),
        year=draw(st.one_of(st.none(), st.integers(1500, 2199))),
        journal=draw(st.one_of(st.just(""), _TEXT)),
        volume=draw(st.one_of(st.just(""), st.integers(1, 999).map(str))),
        issue=draw(st.one_of(st.just(""), st.integers(1, 12).map(str))),
        pages=pages,
        doi=draw(
            st.one_of(st.just(""), st.from_regex(r"10\.5555/[a-z0-9.]{1,20}", fullmatch=True))
        ),
        pmid=draw(st.one_of(st.just(""), st.integers(1, 99_999_999).map(str))),
        issn=draw(st.one_of(st.just(""), st.from_regex(r"\d{4}-\d{3}[\dX]", fullmatch=True))),
        language=draw(st.sampled_from(["", "eng", "English", "fr"])),
        publication_type=[draw(st.sampled_from(["Journal Article", "Report", "Thesis"]))],
        keywords=draw(st.lists(_KEYWORD, max_size=4)),
        publisher=draw(st.one_of(st.just(""), _TEXT)),
        url=draw(
            st.one_of(
                st.just(""), st.from_regex(r"https://example\.org/[a-z0-9]{1,12}", fullmatch=True)
            )
        ),
    )


_ROUND_TRIP_FIELDS = (
    "title", "abstract", "authors", "year", "journal", "volume", "issue", "pages", "doi",
    "pmid", "issn", "language", "publication_type", "keywords", "publisher", "url",
)  # fmt: skip


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_records(), min_size=1, max_size=5))
def test_write_then_parse_gives_the_same_fields(records: list[Record]) -> None:
    parsed = parse(write_ris(records), search_id="s", file_name="round.ris")
    assert len(parsed) == len(records)
    for before, after in zip(records, parsed, strict=True):
        for name in _ROUND_TRIP_FIELDS:
            assert getattr(after, name) == getattr(before, name), name
        assert after.source_id.split("#")[0] == (before.pmid or before.source_id)


_RIS_LINES = st.sampled_from(
    ["TY  - JOUR", "ER  - ", "ER  -", "TI  - A title", "AU  - Smith, J", "KW - loose",
     "PMID  - 123", "1.", "Record #1 of 2", "", "  continued", "ER then text", "NL  - X",
     "DO  - 10.5555/x", "SP  - 349-69", "U1  - 7", "AN  - 1; 2", "\ufeffTY  - GEN"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_RIS_LINES, st.text(max_size=30)), max_size=25))
def test_random_text_raises_nothing_but_input_error(lines: list[str]) -> None:
    text = "\n".join(lines)
    try:
        records = parse_text(text, "ris", search_id="s", file_name="random.ris")
    except InputError:
        return
    assert records
    assert len({r.record_id for r in records}) == len(records)
