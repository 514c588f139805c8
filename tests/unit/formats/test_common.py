"""Shared helpers of the export parsers: names, pages, ISSN/ISBN, DOIs in links, record ids."""

from __future__ import annotations

import logging

import pytest

from realist_review.errors import InputError
from realist_review.formats.common import (
    RecordCollector,
    clean_abstract,
    clean_id,
    doi_from_url,
    family_first,
    file_label,
    find_isbn,
    find_issn,
    format_pages,
    split_authors,
    split_issn_isbn,
)
from realist_review.records import Source

# fmt: off
SPLIT_CASES = [
    ("bibtex-and", "Zuber, J and Le Quintrec, M", False, ["Zuber, J", "Le Quintrec, M"],
     "haematology benchmark CSV"),
    ("bibtex-flag-without-and", "Pala A.Schmitz A. L.Knoll A.", True,
     ["Pala A.", "Schmitz A. L.", "Knoll A."],
     "neuroimaging benchmark: ENTRYTYPE column but names run together"),
    ("semicolons", "P. Kogge; J. Shalf", False, ["P. Kogge", "J. Shalf"], "IEEE CSV"),
    ("scopus-comma-list", "Phillips J.C., Braun R., Wang W.", False,
     ["Phillips J.C.", "Braun R.", "Wang W."], "older Scopus CSV"),
    ("pubmed-csv-final-period", "Lim SM, Shiau CWC, Lau Y.", False,
     ["Lim SM", "Shiau CWC", "Lau Y"], "PubMed CSV ends the list with a period"),
    ("single-family-given", "Smith, John", False, ["Smith, John"], "one name, not a list"),
    ("alternating-pairs", "Smith, John, Jones, Mary", False, ["Smith, John", "Jones, Mary"],
     "family and given names alternate"),
    ("scopus-full-names-ids", "Whitlock, Hannah J. (57000000001); Okafor, Daniel (57000000002)",
     False, ["Whitlock, Hannah J.", "Okafor, Daniel"], "Scopus 'Author full names'"),
    ("springer-camel", "Araz R. AlievNigar T. Ismayilova", False,
     ["Araz R. Aliev", "Nigar T. Ismayilova"], "SpringerLink runs names together"),
    ("springer-keeps-mc", "Anna McDonaldJohn Smith", False, ["Anna McDonald", "John Smith"],
     "a 'Mc' join is part of a name"),
    ("titles-dropped", "Prof. Dr. Janusz Kacprzyk", False, ["Janusz Kacprzyk"],
     "academic titles are not names"),
    ("et-al-dropped", "Smith J, Jones K, et al.", False, ["Smith J", "Jones K"], "et al"),
    ("organisation-with-and", "Department of Health and Social Care", False,
     ["Department of Health and Social Care"], "'and' without commas is not a list"),
    ("apostrophe-name", "Costanza A.D'Orta I.", False, ["Costanza A.", "D'Orta I."],
     "run-together split before an O'/D' name"),
    ("empty", "  ", False, [], "nothing"),
]
# fmt: on


@pytest.mark.parametrize(
    ("value", "bibtex", "expected"),
    [pytest.param(v, b, e, id=i) for i, v, b, e, _ in SPLIT_CASES],
)
def test_split_authors(value: str, bibtex: bool, expected: list[str]) -> None:
    assert split_authors(value, bibtex=bibtex) == expected


# fmt: off
FAMILY_CASES = [
    ("trailing-initials", "Waldinger R J", False, "Waldinger, R J", "EPPI/MEDLINE style"),
    ("packed-initials", "Neilen AD", False, "Neilen, A D", "MEDLINE AU: spread like records"),
    ("dotted-initials", "Phillips J.C.", False, "Phillips, J.C.", "Scopus"),
    ("multiword-family", "Le Quintrec M", False, "Le Quintrec, M", "two-word family name"),
    ("all-caps", "LEE J", False, "LEE, J", "first token is always family"),
    ("given-first", "P. Kogge", False, "Kogge, P.", "IEEE: initials first"),
    ("comma-unchanged", "Smith, John", False, "Smith, John", "already Family, Given"),
    ("organisation-unchanged", "Department for Education", True, "Department for Education",
     "organisations are kept as written"),
    ("eppi-full-given", "Gurney-Smith Ben", True, "Gurney-Smith, Ben",
     "EPPI writes Family Given without a comma"),
    ("eppi-particle", "Van der Berg Pieter", True, "Van der Berg, Pieter", "particles"),
    ("not-eppi-full-given", "Gurney-Smith Ben", False, "Ben, Gurney-Smith",
     "outside family-first files whole words are read Given Family"),
]
# fmt: on


@pytest.mark.parametrize(
    ("name", "eppi", "expected"),
    [pytest.param(n, e, x, id=i) for i, n, e, x, _ in FAMILY_CASES],
)
def test_family_first(name: str, eppi: bool, expected: str) -> None:
    assert family_first(name, given_after_family=eppi) == expected


# fmt: off
PAGE_CASES = [
    ("separate", "1781", "1802", "1781-1802", "Scopus start/end"),
    ("medline-abbreviated", "349-69", "", "349-369", "MEDLINE writes 349-69"),
    ("medline-abbreviated-long", "1201-9", "", "1201-1209", "one digit"),
    ("bibtex-double-dash", "45--52", "", "45-52", "BibTeX range"),
    ("en-dash", "45–52", "", "45-52", "typographic dash"),
    ("single", "e0815", "", "e0815", "article number"),
    ("same-page", "4", "4", "4", "one page"),
    ("ovid-placeholder", "No", "Specified", "", "Ovid's 'No Specified'"),
    ("not-abbreviated-when-smaller", "100", "99", "100-199", "99 < 100 is read as 100-199"),
    ("end-only", "", "12", "12", "only an end page"),
    ("letters", "S38", "S43", "S38-S43", "supplement pages"),
]
# fmt: on


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [pytest.param(s, e, x, id=i) for i, s, e, x, _ in PAGE_CASES],
)
def test_format_pages(start: str, end: str, expected: str) -> None:
    assert format_pages(start, end) == expected


@pytest.mark.parametrize(
    ("values", "is_book", "expected"),
    [
        pytest.param(
            ["1999-7777(Electronic),0222-6666(Print)"],
            False,
            ("1999-7777", ""),
            id="psycinfo-two-issns",
        ),
        pytest.param(["01678809"], False, ("0167-8809", ""), id="ebsco-8-digits"),
        pytest.param(["20964129 (ISSN) "], False, ("2096-4129", ""), id="scopus-trailing"),
        pytest.param(["978-1-4473-0000-6"], True, ("", "9781447300006"), id="isbn-13"),
        pytest.param(["0-19-853453-1"], False, ("", "0198534531"), id="isbn-10"),
        pytest.param(["1895-5770 1895-5770"], False, ("1895-5770", ""), id="two-issns-not-an-isbn"),
        pytest.param(["ISSN-0741-9481"], False, ("0741-9481", ""), id="eric-prefix"),
        pytest.param(
            ["1872-6968 (Electronic) 0303-8467 (Linking)"],
            False,
            ("1872-6968", ""),
            id="benchmark-isbn-column-with-issns",
        ),
    ],
)
def test_split_issn_isbn(values: list[str], is_book: bool, expected: tuple[str, str]) -> None:
    assert split_issn_isbn(values, is_book=is_book) == expected


def test_find_issn_and_isbn_ignore_longer_numbers() -> None:
    assert find_issn("accession 123456789012") == ""
    assert find_isbn("978-0-00-000000-2 and more") == "9780000000002"
    assert find_isbn("999-9-999-99999-9") == ""  # not a 978/979 ISBN-13, not an ISBN-10


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param("https://doi.org/10.1002/cpp.2398", "10.1002/cpp.2398", id="doi-org"),
        pytest.param(
            "http://sfx.example.org/r?sid=EMBASE&id=doi:10.4103%2F2303-9027.138783&atitle=X",
            "10.4103/2303-9027.138783",
            id="embase-openurl-encoded",
        ),
        pytest.param(
            "https://www.scopus.com/inward/record.uri?eid=2-s2.0-1&doi=10.1080%2f2096.2020.1"
            "&partnerID=40",
            "10.1080/2096.2020.1",
            id="scopus-link-stops-at-ampersand",
        ),
        pytest.param("https://example.org/10.1234/not-a-doi-link", "", id="no-doi-marker"),
    ],
)
def test_doi_from_url(url: str, expected: str) -> None:
    assert doi_from_url(url) == expected


def test_clean_abstract_drops_database_boilerplate() -> None:
    text = (
        "Restraints fell by a third. [ABSTRACT FROM AUTHOR] Copyright of Child Abuse & "
        "Neglect is the property of Example Publishing and its content may not be copied."
    )
    assert clean_abstract(text) == "Restraints fell by a third."
    psyc = "Burnout fell. (PsycInfo Database Record (c) 2020 APA, all rights reserved)"
    assert clean_abstract(psyc) == "Burnout fell."
    assert clean_abstract("Copyright holders were consulted.") == (
        "Copyright holders were consulted."
    )


def test_clean_id_and_file_label_keep_the_list_separator_out() -> None:
    assert clean_id("2214991469; 51887") == "2214991469"
    assert clean_id("  WOS:000221807500019\n") == "WOS:000221807500019"
    assert clean_id("x" * 201) == ""
    assert clean_id("<b></b>") == ""  # markup only: make_record would be left with no id
    assert file_label("C:\\exports\\a;b.ris") == "a,b.ris"


def test_collector_makes_repeated_ids_unique_and_warns(caplog: pytest.LogCaptureFixture) -> None:
    collector = RecordCollector(source=Source.RIS, search_id="s", file_name="dir/x.ris")
    collector.add("A1", where="line 1", title="First")
    collector.add("A1", where="line 9", title="Second")
    collector.add("A1#2", where="line 20", title="Third")
    collector.add("", where="line 30")
    with caplog.at_level(logging.WARNING):
        records = collector.finish()
    assert [r.source_id for r in records] == ["A1", "A1#2", "A1#2#2", "x.ris#4"]
    assert len({r.record_id for r in records}) == 4
    assert "'A1' (line 1 and line 9)" in caplog.text
    assert "1 of 4 record(s) have no title" in caplog.text


def test_collector_without_records_is_an_input_error() -> None:
    collector = RecordCollector(source=Source.CSV, search_id="s", file_name="empty.csv")
    with pytest.raises(InputError, match=r"empty\.csv: no records found"):
        collector.finish()


def test_collector_leaves_out_impossible_pubmed_ids(caplog: pytest.LogCaptureFixture) -> None:
    collector = RecordCollector(source=Source.CSV, search_id="s", file_name="x.csv")
    collector.add("1", title="A", pmid="123456789012345")
    collector.add("2", title="B", pmid="99900001")
    with caplog.at_level(logging.WARNING):
        records = collector.finish()
    assert [r.pmid for r in records] == ["", "99900001"]
    assert "1 PubMed id(s) with more than 10 digits were left out (1: '123456789012345')" in (
        caplog.text
    )
