"""Issue 19 classes 3, 5, 7 and 8: DOIs kept whole, MEDLINE from PubMed Central, PubMed XML,
Ovid text, CSV with RIS tag headers, Refer's translator tag, RIS dates."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from realist_review.errors import InputError
from realist_review.formats import detect_format, load_export, parse_text
from realist_review.languages import normalize_language
from realist_review.records import Record, Source, normalize_doi

Load = Callable[..., list[Record]]


# -- class 3: a DOI's raw value reaches normalize_doi whole ---------------------------------
@pytest.mark.parametrize(
    ("fmt", "template"),
    [
        ("ris", "TY  - JOUR\nTI  - T\nDO  - {doi}\nER  - \n"),
        ("csv", 'Title,DOI\nT,"{doi}"\n'),
        ("bibtex", "@article{{k, title = {{T}}, doi = {{{doi}}}}}"),
        ("refer", "%0 Journal Article\n%T T\n%R {doi}\n"),
        ("wos", "PT J\nTI T\nDI {doi}\nUT WOS:1\nER\n"),
    ],
)
@pytest.mark.parametrize(
    "doi",
    [
        "10.5555/(SICI)1099-0000(199801)12:1<37::AID-RCC1>3.0.CO;2-T",
        "10.5555/(SICI)1099-0000(199801)12:1 <37::AID-RCC1>3.0.CO;2-T",
        "10.5555/[bracketed]-2020",
    ],
    ids=["sici", "sici-with-space", "brackets"],
)
def test_doi_is_not_cut_by_the_parser(fmt: str, template: str, doi: str) -> None:
    # the parsers hand the whole value to records.normalize_doi (which owns DOI cleaning);
    # none cuts it at a space, a bracket or a ';' first
    record = parse_text(template.format(doi=doi), fmt, search_id="s", file_name=f"x.{fmt}")[0]
    assert record.doi == normalize_doi(doi)


# -- class 8: RIS dates -------------------------------------------------------------------
def test_ris_da_wins_over_deprecated_y1(load: Load) -> None:
    assert load("ris/authors_dates.ris")[0].year == 2017


def test_ris_py_with_a_compact_start_date(load: Load) -> None:
    assert load("ris/authors_dates.ris")[1].year == 2017


# -- class 5: MEDLINE from PubMed Central ----------------------------------------------------
def test_medline_pmc_file(load: Load, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        records = load("medline/pmc.nbib")
    assert [(r.pmid, r.pmcid) for r in records] == [("99900101", "PMC9990101"), ("", "PMC9990102")]
    assert records[0].title == (
        "Sleep in residential children's homes: a study whose title is long enough to be "
        "written on two TI lines"
    )
    assert "pmc.nbib: line 16" in caplog.text and "skipped" in caplog.text


# -- class 7: PubMed XML ------------------------------------------------------------------
def test_pubmed_xml_is_detected_and_read(formats_data: Path) -> None:
    parsed = load_export(formats_data / "pubmed_xml/pubmed.xml", search_id="s")
    assert parsed.format == "pubmed_xml"
    first, second = parsed.records
    assert first.source is Source.NBIB
    assert (first.source_id, first.pmid, first.pmcid) == ("99900201", "99900201", "PMC9990201")
    assert first.title == "Café culture: relational practice in Ærø's children's homes."
    assert first.authors == (
        "Øvergaard, Sigrid",
        "Residential Care Consensus Group",
        "Mensah, Kofi",
    )
    assert first.doi == "10.5555/jrccs.2019.12.4.45"
    assert (first.year, first.volume, first.issue, first.pages) == (2019, "12", "4", "45-53")
    assert (
        first.abstract
        == "BACKGROUND: Staff in residential care. RESULTS: Relational practice helped."
    )
    assert first.mesh_terms == ("Residential Treatment",)
    assert (second.year, second.authors) == (2020, ("Quinlan, R",))


def test_pubmed_xml_and_endnote_xml_are_told_apart(formats_data: Path) -> None:
    assert detect_format("a.xml", (formats_data / "pubmed_xml/pubmed.xml").read_text()) == (
        "pubmed_xml"
    )
    endnote = (formats_data / "endnote_xml/library.xml").read_text(encoding="utf-8")
    assert detect_format("a.xml", endnote) == "endnote_xml"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("<PubmedArticleSet><PubmedArticle>", "line 1, column"),
        ('<!DOCTYPE x [<!ENTITY a "b">]><PubmedArticleSet/>', "declares entities"),
    ],
    ids=["cut-short", "entities"],
)
def test_bad_pubmed_xml_is_refused_clearly(text: str, fragment: str) -> None:
    with pytest.raises(InputError, match=r"^p\.xml: ") as info:
        parse_text(text, "pubmed_xml", search_id="s", file_name="p.xml")
    assert fragment in str(info.value)


def test_pubmed_xml_without_articles_is_refused() -> None:
    with pytest.raises(InputError, match=r"p\.xml: no records found"):
        parse_text("<PubmedArticleSet></PubmedArticleSet>", "pubmed_xml", search_id="s",
                   file_name="p.xml")  # fmt: skip


# -- class 7: Ovid text exports ---------------------------------------------------------------
def test_ovid_tagged_export(formats_data: Path) -> None:
    parsed = load_export(formats_data / "ovid/tagged.txt", search_id="s")
    assert parsed.format == "ovid"
    first, second = parsed.records
    assert (
        first.title == "Restraint reduction in residential children's homes: a service evaluation."
    )
    assert first.authors == ("Thornbury, Eleanor", "Aziz, Omar")
    assert first.pmid == "99900301"  # UI in Ovid MEDLINE
    assert (first.journal, first.volume, first.issue, first.pages) == (
        "Journal of Residential Child Care Studies",
        "14",
        "2",
        "101-109",
    )
    assert first.abstract.endswith("ran for two years in four homes.")
    assert (first.doi, first.year, first.issn) == ("10.5555/jrccs.2021.14.2.101", 2021, "0000-0019")
    assert (second.source_id, second.pmid, second.keywords) == (
        "2021000000302",
        "",
        ("sensory room", "residential care"),
    )


def test_ovid_labelled_export(formats_data: Path) -> None:
    parsed = load_export(formats_data / "ovid/labelled.txt", search_id="s")
    assert parsed.format == "ovid"
    first, second = parsed.records
    assert first.source_id == "2021-00000-001"
    assert first.authors == ("Varga, Zsofia", "Olumide, Tayo")
    assert first.title == "Keyworking and belonging in residential children's homes"
    assert first.abstract == "Young people described belonging as being known by a keyworker."
    assert (first.doi, first.year, first.journal) == (
        "10.5555/cfsw.2021.26.1.12",
        2021,
        "Child and Family Social Work",
    )
    assert first.language == normalize_language(["English"])
    assert (second.title, second.year) == ("A second labelled record", 2020)


def test_ovid_is_not_taken_for_endnote_xml() -> None:
    assert detect_format("export.txt", "<1. >\nVN  - Ovid Technologies\nTI  - x\n") == "ovid"
    assert detect_format("export.xml", "\n<12>\nTitle\n  x\n") == "ovid"


def test_ovid_without_records_is_refused() -> None:
    with pytest.raises(InputError, match=r"o\.txt: no Ovid records"):
        parse_text("Title\n  x\n", "ovid", search_id="s", file_name="o.txt")


# -- class 7: CSV/TSV with RIS tag headers, Refer's %? ------------------------------------------
def test_tsv_with_ris_tag_headers(load: Load) -> None:
    first, second = load("csv/ris_tags.tsv")
    assert first.source_id == "RIS-001"
    assert first.title == "Sensory rooms in children's homes"
    assert first.authors == ("Holt, Jasmine", "Adeyemi, Kunle")
    assert (first.year, first.journal, first.volume, first.issue, first.pages) == (
        2021,
        "Child Care in Practice",
        "27",
        "3",
        "201-215",
    )
    assert first.doi == "10.5555/ccp.2021.27.3"
    assert first.keywords == ("sensory", "trauma")
    assert (second.title, second.year) == ("Inspection themes 2020", 2020)


def test_refer_translator_and_corporate_author(load: Load) -> None:
    first, second = load("refer/translator.enw")
    # %? is the translator: read (not a stray line), not an author; %Q a corporate author
    assert first.authors == ("Okonkwo, Adaeze", "National Children's Bureau")
    assert (first.isbn, first.year) == ("9781447300006", 2017)
    assert second.title == "A second record after a translator line"


_OVID_LINES = st.sampled_from(
    ["<1. >", "<2>", "VN  - Ovid Technologies", "TI  - A title", "AU  - Smith, J [Author]",
     "Title", "  indented value", "Authors", "SO  - J. 1(2):3-4, 2020.", "", "YR  - 2020",
     "UI  - 123", "DB  - Ovid MEDLINE(R)", "Source", "  Journal. 12(3)"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_OVID_LINES, st.text(max_size=20)), max_size=30))
def test_random_ovid_text_raises_nothing_but_input_error(lines: list[str]) -> None:
    try:
        records = parse_text("\n".join(lines), "ovid", search_id="s", file_name="o.txt")
    except InputError:
        return
    assert len({r.record_id for r in records}) == len(records)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_random_text_in_any_detected_format_raises_nothing_but_input_error(text: str) -> None:
    try:
        fmt = detect_format("x.txt", text)
        parse_text(text, fmt, search_id="s", file_name="x.txt")
    except InputError:
        return


def test_ovid_tagged_without_record_numbers() -> None:
    text = (
        "VN  - Ovid Technologies\nDB  - Embase\nAN  - 1\nTI  - First\n\n"
        "VN  - Ovid Technologies\nDB  - Embase\nAN  - 2\nTI  - Second\n"
    )
    assert detect_format("export.txt", text) == "ovid"
    records = parse_text(text, "ovid", search_id="s", file_name="o.txt")
    assert [(r.source_id, r.title) for r in records] == [("1", "First"), ("2", "Second")]
