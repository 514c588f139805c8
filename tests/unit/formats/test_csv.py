"""CSV and tab-delimited exports, column maps, and the messages for tables we cannot read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from realist_review.errors import InputError
from realist_review.formats import parse_text
from realist_review.formats.csv import parse
from realist_review.records import Record, Source

Load = Callable[..., list[Record]]

# fmt: off
FIELD_CASES: list[tuple[str, str, int, str, Any, str]] = [
    ("scopus-eid", "csv/scopus.csv", 0, "source_id", "2-s2.0-85999000101", "EID column"),
    ("scopus-full-names", "csv/scopus.csv", 0, "authors",
     ("Whitlock, Hannah J.", "Okafor, Daniel"), "'Author full names' before 'Authors'"),
    ("scopus-journal", "csv/scopus.csv", 0, "journal", "Child and Family Social Work",
     "'Source title'; 'Source' (= Scopus) is not the journal"),
    ("scopus-pages", "csv/scopus.csv", 0, "pages", "112-119", "Page start/Page end"),
    ("scopus-pmid", "csv/scopus.csv", 0, "pmid", "99900001", "PubMed ID"),
    ("scopus-index-keywords", "csv/scopus.csv", 0, "mesh_terms",
     ("Child", "Residential Treatment", "Inservice Training"), "Index Keywords"),
    ("scopus-no-abstract", "csv/scopus.csv", 1, "abstract", "", "[No abstract available]"),
    ("scopus-doi-from-link", "csv/scopus.csv", 1, "doi", "10.5555/can.2019.0007",
     "empty DOI column: DOI read from the Scopus link"),
    ("scopus-issn", "csv/scopus.csv", 1, "issn", "0145-2134", "8 digits"),
    ("wos-tab-ut", "csv/wos_savedrecs.txt", 0, "source_id", "WOS:000999000000001", "UT"),
    ("wos-tab-af", "csv/wos_savedrecs.txt", 0, "authors", ("Fairbairn, Morag", "Adeyemi, Tolu"),
     "AF; 'ID' here is Keywords Plus, not an id"),
    ("wos-tab-keywords", "csv/wos_savedrecs.txt", 0, "keywords",
     ("trauma-informed care", "governance", "residential care", "CHILDREN", "OUTCOMES"),
     "DE and ID"),
    ("wos-tab-article-number", "csv/wos_savedrecs.txt", 1, "pages", "e1234", "AR"),
    ("wos-tab-pmid", "csv/wos_savedrecs.txt", 1, "pmid", "99900031", "PM"),
    ("embase-citation", "csv/embase.csv", 0, "journal", "Child Care in Practice",
     "'Source' citation string"),
    ("embase-citation-volume", "csv/embase.csv", 0, "volume", "29", "(2023) 29:1 (15-31)"),
    ("embase-citation-issue", "csv/embase.csv", 0, "issue", "1", "(2023) 29:1 (15-31)"),
    ("embase-citation-pages", "csv/embase.csv", 0, "pages", "15-31", "(2023) 29:1 (15-31)"),
    ("embase-year", "csv/embase.csv", 0, "year", 2023, "from the citation"),
    ("embase-emtree", "csv/embase.csv", 0, "mesh_terms",
     ("child care", "residential home (organization and management, staff)", "supervision",
      "trauma"), "commas inside brackets do not split"),
    ("embase-doi-openurl", "csv/embase.csv", 0, "doi", "10.5555/ccp.2023.0001",
     "URL-encoded DOI in the Open URL link"),
    ("embase-authors", "csv/embase.csv", 0, "authors", ("Hargreaves, E.", "Osei, K.A."),
     "'Hargreaves E., Osei K.A.'"),
    ("pubmed-pmid-id", "csv/pubmed.csv", 0, "source_id", "99900021", "PMID column"),
    ("pubmed-authors", "csv/pubmed.csv", 0, "authors", ("Adebayo, F", "McAllister, J L"),
     "'Adebayo F, McAllister JL.'"),
    ("pubmed-citation-pages", "csv/pubmed.csv", 0, "pages", "45-53",
     "Citation: 2022 Feb;124:45-53"),
    ("pubmed-citation-volume", "csv/pubmed.csv", 0, "volume", "124", "Citation"),
    ("pubmed-pmcid", "csv/pubmed.csv", 1, "pmcid", "PMC9990022", "PMCID column"),
    ("pubmed-citation-issue", "csv/pubmed.csv", 1, "issue", "4", "2020;25(4):1201-1209"),
    ("asreview-record-id", "csv/asreview.csv", 0, "source_id", "1", "record_id column"),
    ("asreview-doi-url", "csv/asreview.csv", 0, "doi", "10.5555/jswp.2021.1901",
     "doi written as a link"),
    ("asreview-untitled-kept", "csv/asreview.csv", 2, "title", "", "kept without a title"),
    ("benchmark-id", "csv/benchmark.csv", 0, "source_id", "id_0000001", "ID column"),
    ("benchmark-and-authors", "csv/benchmark.csv", 0, "authors",
     ("Whitlock, H. J.", "Okafor, D.", "Brennan, S."), "BibTeX-like 'and'"),
    ("benchmark-run-together", "csv/benchmark.csv", 1, "authors",
     ("Whitlock, H. J.", "Okafor, D.", "Brennan, S."), "ASySD 'Whitlock H. J.Okafor D.'"),
    ("benchmark-type", "csv/benchmark.csv", 0, "publication_type", ("article",), "ENTRYTYPE"),
    ("benchmark-issn-in-isbn", "csv/benchmark.csv", 0, "issn", "1356-7500",
     "ISSNs in the isbn column"),
    ("benchmark-pages-expanded", "csv/benchmark.csv", 1, "pages", "112-119", "112-19"),
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
        pytest.param("csv/scopus.csv", 2, id="scopus"),
        pytest.param("csv/wos_savedrecs.txt", 2, id="wos-tab"),
        pytest.param("csv/embase.csv", 1, id="embase"),
        pytest.param("csv/pubmed.csv", 2, id="pubmed"),
        pytest.param("csv/asreview.csv", 3, id="asreview"),
        pytest.param("csv/benchmark.csv", 3, id="benchmark"),
    ],
)
def test_counts(load: Load, relative: str, count: int) -> None:
    records = load(relative)
    assert len(records) == count
    assert {r.source for r in records} == {Source.CSV}


def test_semicolon_file_needs_a_column_map(load: Load) -> None:
    with pytest.raises(InputError) as info:
        load("csv/semicolon.csv")
    message = str(info.value)
    assert "semicolon.csv" in message
    assert "Ref, Article Name, Writers, Published, Periodical, Summary" in message
    assert '--column-map "Article Name=title"' in message
    assert "column_map:" in message
    records = load(
        "csv/semicolon.csv",
        column_map={
            "Ref": "id",
            "article name": "title",  # matched whatever the case
            "Writers": "authors",
            "Published": "year",
            "Periodical": "journal_title",  # an alias of journal
            "Summary": "abstract",
        },
    )
    assert [(r.source_id, r.year, r.authors) for r in records] == [
        ("A1", 2018, ("Greaves, Lucy",)),
        ("A2", 2020, ("Fairbairn, Morag",)),
    ]
    assert records[0].journal == "Residential Child Care Journal"


def test_column_map_overrides_recognised_columns() -> None:
    text = "Title,Original Title,Year\nEnglish title,Titre original,2020\n"
    records = parse(text, search_id="s", file_name="x.csv", column_map={"Original Title": "title"})
    assert records[0].title == "Titre original"


def test_short_rows_and_blank_rows_are_lenient() -> None:
    text = "title,abstract,year\nOne,An abstract,2020\n\n,,\nTwo\n"
    records = parse(text, search_id="s", file_name="x.csv")
    assert [(r.title, r.year) for r in records] == [("One", 2020), ("Two", None)]
    assert records[1].source_id == "x.csv#2"


def test_tab_and_semicolon_delimiters() -> None:
    assert parse("title\tyear\nA\t2001\n", search_id="s", file_name="t.tsv")[0].year == 2001
    assert parse("title;year\nA;2002\n", search_id="s", file_name="t.csv")[0].year == 2002


# fmt: off
BAD_CASES: list[tuple[str, str, dict[str, str] | None, list[str], str]] = [
    ("no-title-column", "Authors,Year,DOI\nSmith J,2020,10.5555/x\n", None,
     ["x.csv: no title column", "Columns found: Authors, Year, DOI", "--column-map",
      "column_map:"], "title is the one column a record cannot do without"),
    ("unknown-columns", "Foo,Bar\n1,2\n", None,
     ["none of the columns is one the importer knows (Foo, Bar)", "column map",
      "Record fields: id, title"], "explains the column map"),
    ("map-to-unknown-field", "Name,Year\nA,2020\n", {"Name": "headline"},
     ["sends 'Name' to 'headline', which is not a record field", "Record fields:"],
     "typo in the field"),
    ("map-missing-column", "title,year\nA,2020\n", {"Heading": "title"},
     ["names column 'Heading', which the file does not have", "Columns found: title, year"],
     "typo in the column"),
    ("row-too-long", "title,year\nA,2020\n\"B, with comma\",2021,extra\nC,2022\n", None,
     ["x.csv: line 3: 3 cells but the header has 2 columns", "unquoted ','"],
     "one misaligned row"),
    ("header-missing-a-column", "title,year\nA,2020,x\nB,2021,y\nC,2022\n", None,
     ["line 2", "2 of 3 rows have more cells than the header", "lacks a column name"],
     "most rows misaligned: the header is short"),
    ("header-only", "title,abstract\n", None, ["x.csv: no records found"], "no rows"),
    ("giant-cell", "title,year\nA,2020\n\"" + "a" * 1_000_001 + "\",2021\n", None,
     ["x.csv: line 3", "not readable as CSV", "field larger than field limit"],
     "a cell over tables.MAX_FIELD_CHARS (a runaway quote often causes this)"),
]
# fmt: on


@pytest.mark.parametrize(
    ("text", "column_map", "fragments"),
    [pytest.param(t, m, f, id=i) for i, t, m, f, _ in BAD_CASES],
)
def test_bad_input(text: str, column_map: dict[str, str] | None, fragments: list[str]) -> None:
    with pytest.raises(InputError) as info:
        parse(text, search_id="s", file_name="x.csv", column_map=column_map)
    for fragment in fragments:
        assert fragment in str(info.value)


_CELLS = st.sampled_from(
    ['"', ",", "\n", "\t", ";", "title", "abstract", "doi", "x", '""', "10.5555/a"]
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_CELLS, st.text(max_size=8)), max_size=40))
def test_random_text_raises_nothing_but_input_error(pieces: list[str]) -> None:
    try:
        records = parse_text("".join(pieces), "csv", search_id="s", file_name="r.csv")
    except InputError:
        return
    assert len({r.record_id for r in records}) == len(records)
