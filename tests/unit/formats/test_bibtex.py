"""BibTeX: the project's own parser, LaTeX to text, and bad entries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from realist_review.errors import InputError
from realist_review.formats import parse_text
from realist_review.formats.bibtex import latex_to_text, parse, read_entries, split_names
from realist_review.records import Record, Source

Load = Callable[..., list[Record]]

# fmt: off
FIELD_CASES: list[tuple[str, int, str, Any, str]] = [
    ("key-is-source-id", 0, "source_id", "Whitlock2021", "entry key"),
    ("accent-in-name", 0, "authors", ("Whitlock, Hannah J.", "Okafor, Daniel", "Brennan, Siobhán"),
     "{\\'a} -> á"),
    ("braces-dropped", 0, "title",
     "Staff training and trauma-informed practice in children's homes: a qualitative "
     "follow-up study", "{trauma-informed} keeps its case, loses its braces"),
    ("string-macro-escape", 0, "journal", "Child & Family Social Work", "@string with \\&"),
    ("bare-number-year", 0, "year", 2021, "year = 2021"),
    ("double-dash-pages", 0, "pages", "112-119", "112--119"),
    ("semicolon-keywords", 0, "keywords",
     ("trauma-informed care", "residential child care", "staff training"), "keywords"),
    ("multi-line-abstract", 0, "abstract",
     "Residential children's homes in England increasingly adopt trauma-informed care, yet "
     "little is known about how staff training changes practice.", "line break in braces"),
    ("wos-key-with-space", 1, "source_id", "WOS:000999000000003", "'{ WOS:...,'"),
    ("umlaut-and-slashed-o", 1, "authors",
     ("Müller, Jörg", "Østergaard, Søren", "Bureau, National Children's"),
     "{\\\"u}, \\\"{o}, {\\O}, {\\o}; the braced group name is one author (records.py "
     "reorders it)"),
    ("quoted-title", 1, "title",
     "Trauma-aware night care in children's homes: lessons from Denmark and England",
     "a quoted value with braces inside"),
    ("booktitle-as-journal", 1, "journal",
     "Proceedings of the European Conference on Residential Child Care",
     "inproceedings: where it appeared"),
    ("isbn", 1, "isbn", "9780000000002", "ISBN"),
    ("concatenation", 2, "journal", "Journal of Children's Residential Care (Online)",
     "macro # {text}"),
    ("scopus-author-keywords", 2, "keywords", ("out-of-home care", "organisational change"),
     "author_keywords"),
    ("scopus-index-keywords", 2, "mesh_terms", ("Child Welfare", "Organizational Culture"),
     "Scopus 'keywords' are index terms when author_keywords exist"),
    ("document-type", 2, "publication_type", ("article", "Article"), "entry type + type"),
    ("book-title", 3, "title", "Residential Child Care: Theory and Practice",
     "@book with only booktitle"),
    ("book-editor-not-author", 3, "authors", (), "editor is not an author"),
]
# fmt: on


@pytest.mark.parametrize(
    ("index", "field", "expected"), [pytest.param(i, k, v, id=c) for c, i, k, v, _ in FIELD_CASES]
)
def test_fields(load: Load, index: int, field: str, expected: Any) -> None:
    assert getattr(load("bibtex/library.bib")[index], field) == expected


def test_comments_strings_and_count(load: Load) -> None:
    records = load("bibtex/library.bib")
    assert len(records) == 4  # @string and @comment are not records; 'user@example.org' neither
    assert {r.source for r in records} == {Source.BIBTEX}


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        pytest.param('Schr{\\"o}dinger', "Schrödinger", id="braced-umlaut"),
        pytest.param("\\'{E}cole", "École", id="acute-braced-letter"),
        pytest.param("Fran\\c{c}ois", "François", id="cedilla"),
        pytest.param("Dvo\\v{r}\\'ak", "Dvořák", id="caron-acute"),
        pytest.param("Stra{\\ss}e", "Straße", id="eszett"),
        pytest.param("Ca\\~{n}on", "Cañon", id="tilde"),
        pytest.param("50\\% of {\\&} \\_x", "50% of & _x", id="escapes"),
        pytest.param("\\emph{very} important", "very important", id="command-dropped"),
        pytest.param("1990--2000 --- a decade", "1990–2000 — a decade", id="dashes"),
        pytest.param("Smith~J", "Smith J", id="tie"),
    ],
)
def test_latex_to_text(latex: str, text: str) -> None:
    assert latex_to_text(latex) == text


def test_split_names_keeps_braced_and() -> None:
    assert split_names("{Barnes and Noble} and Smith, J") == ["Barnes and Noble", "Smith, J"]


def test_parentheses_entries_and_month_macros() -> None:
    entries = read_entries("@article(k1, title = {T}, month = jan)", file_name="x.bib")
    assert entries[0].key == "k1"
    assert entries[0].fields == {"title": "T", "month": "1"}


def test_entry_without_key_gets_place_id() -> None:
    records = parse("@misc{title = {No key here}}", search_id="s", file_name="x.bib")
    assert records[0].source_id == "x.bib#1"
    assert records[0].title == "No key here"


# fmt: off
BAD_CASES = [
    ("unclosed-brace", "@article{k,\n  title = {Open brace never closed,\n  year = 2020,\n}\n",
     ["x.bib: line 2", "field 'title'", "never closed", "(line 1)"],
     "everything after the brace would be swallowed"),
    ("missing-comma", "@article{k,\n  title = {A}\n  year = {2020}\n}\n",
     ["x.bib: line 3", "expected ',' or '}' after field 'title'"],
     "the next field would be lost"),
    ("field-without-equals", "@article{k,\n  title {A},\n}\n",
     ["line 2", "field 'title' has no '='"], "not a field"),
    ("undefined-macro", "@article{k,\n  journal = jcyc,\n}\n",
     ["line 2", "'jcyc' is not a number or a defined @string", "{jcyc}"],
     "a macro nobody defined"),
    ("file-ends-in-entry", "@article{k,\n  title = {A},\n", ["line 1", "is not closed"],
     "cut-off file"),
    ("no-entries", "Just some notes about references.\n", ["x.bib", "no BibTeX entries"],
     "nothing to import"),
]
# fmt: on


@pytest.mark.parametrize(
    ("text", "fragments"), [pytest.param(t, f, id=i) for i, t, f, _ in BAD_CASES]
)
def test_bad_input_names_file_and_line(text: str, fragments: list[str]) -> None:
    with pytest.raises(InputError) as info:
        parse(text, search_id="s", file_name="x.bib")
    for fragment in fragments:
        assert fragment in str(info.value)


_PIECES = st.sampled_from(
    ["@article{", "@string{", "@comment{", "key,", "title", " = ", "{", "}", '"', "#", ",",
     "\n", "year = 2020", "jan", "\\'", "{\\\"o}", "author = {A and B}", ")", "@book("]
)  # fmt: skip


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=10)), max_size=40))
def test_random_text_raises_nothing_but_input_error(pieces: list[str]) -> None:
    try:
        records = parse_text("".join(pieces), "bibtex", search_id="s", file_name="r.bib")
    except InputError:
        return
    assert len({r.record_id for r in records}) == len(records)
