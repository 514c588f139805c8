"""BibTeX: the project's own parser, LaTeX to text, and bad entries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from realist_review.errors import InputError
from realist_review.formats import parse_text
from realist_review.formats.bibtex import (
    latex_to_text,
    parse,
    read_entries,
    read_file,
    split_names,
)
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
     ("Müller, Jörg", "Østergaard, Søren", "National Children's Bureau"),
     "{\\\"u}, \\\"{o}, {\\O}, {\\o}; the braced group name is one author, kept as "
     "written)"),
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


GOOD = "@article{good,\n  title = {A sound entry},\n  year = 2021,\n}\n"

# fmt: off
SKIPPED_CASES = [
    ("unclosed-quote-last-field", '@article{k,\n  title = {A},\n  note = "never closed\n}\n',
     ["line 1 skipped", "line 3", "field 'note'", "never closed"],
     "no field line follows to end the value at: nothing to repair with"),
    ("field-without-equals", "@article{k,\n  title {A},\n}\n",
     ["line 1 skipped", "line 2", "field 'title' has no '='"], "not a field"),
    ("no-value", "@article{k,\n  title = ,\n}\n",
     ["line 1 skipped", "field 'title' has no value"], "a field without its value"),
]
REPAIRED_CASES = [
    ("missing-comma", "@article{k,\n  title = {A}\n  year = {2020}\n}\n",
     ["line 3", "no comma after field 'title'"], ("A", 2020)),
    ("undefined-macro", "@article{k,\n  title = {A},\n  year = 2020,\n  journal = jcyc,\n}\n",
     ["line 4", "'jcyc' is not a number or a defined @string", "{jcyc}"], ("A", 2020)),
    ("key-with-space", "@article{Smith 2020,\n  title = {A},\n  year = 2020,\n}\n",
     ["line 1", "citation key 'Smith 2020' has a space"], ("A", 2020)),
    ("unclosed-brace", "@article{k,\n  title = {A,\n  year = 2020,\n}\n",
     ["line 2", "the '{' of field 'title' is not closed on its line"], ("A", 2020)),
    ("unclosed-brace-ebsco", "@article{k,\n  title = {A {with one open,\n  year = {2020},\n}\n",
     ["line 2", "field 'title' is not closed on its line"], ("A with one open", 2020)),
    ("extra-closing-brace", "@article{k,\n  title = {A}},\n  year = {2020},\n}\n",
     ["line 2", "an extra '}' closed entry @article{k before its last fields"], ("A", 2020)),
]
# fmt: on


@pytest.mark.parametrize(
    ("bad", "fragments"), [pytest.param(t, f, id=i) for i, t, f, _ in SKIPPED_CASES]
)
def test_one_bad_entry_is_skipped_and_reported(
    bad: str, fragments: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    # the bad entry first, then a sound one: the file is imported, the bad entry reported
    records = parse(bad + "\n" + GOOD, search_id="s", file_name="x.bib")
    assert [r.source_id for r in records] == ["good"]
    warning = next(r.getMessage() for r in caplog.records if "skipped" in r.getMessage())
    assert warning.startswith("x.bib: 1 BibTeX entry skipped")
    for fragment in fragments:
        assert fragment in warning


@pytest.mark.parametrize(
    ("bad", "fragments"), [pytest.param(t, f, id=i) for i, t, f, _ in SKIPPED_CASES]
)
def test_a_file_of_only_bad_entries_is_refused_naming_them(bad: str, fragments: list[str]) -> None:
    with pytest.raises(InputError) as info:
        parse(bad, search_id="s", file_name="x.bib")
    assert str(info.value).startswith("x.bib: no BibTeX entries could be read")
    for fragment in fragments:
        assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("bad", "fragments", "expected"),
    [pytest.param(t, f, x, id=i) for i, t, f, x in REPAIRED_CASES],
)
def test_repairable_entry_is_read_and_reported(
    bad: str, fragments: list[str], expected: tuple[str, int], caplog: pytest.LogCaptureFixture
) -> None:
    records = parse(bad + GOOD, search_id="s", file_name="x.bib")
    assert len(records) == 2
    assert (records[0].title, records[0].year) == expected
    warning = next(r.getMessage() for r in caplog.records if "repaired" in r.getMessage())
    assert warning.startswith("x.bib: 1 BibTeX entry repaired: entry at line 1: ")
    for fragment in fragments:
        assert fragment in warning


def test_counts_of_skipped_and_repaired_entries() -> None:
    text = (
        SKIPPED_CASES[0][1]
        + SKIPPED_CASES[2][1]
        + REPAIRED_CASES[0][1]
        + REPAIRED_CASES[1][1]
        + GOOD
    )
    result = read_file(text, file_name="x.bib")
    assert [e.key for e in result.entries] == ["k", "k", "good"]
    assert len(result.skipped) == 2
    assert len(result.repaired) == 2


def test_several_repairs_of_one_entry_count_as_one_entry() -> None:
    text = "@article{Smith 2021,\n  title = {Sound}\n  journal = jcyc,\n  year = 2021,\n}\n"
    result = read_file(text, file_name="x.bib")
    assert len(result.repaired) == 1
    note = result.repaired[0]
    assert note.startswith("entry at line 1: line 1: citation key 'Smith 2021' has a space")
    assert "no comma after field 'title'" in note and "'jcyc'" in note


def test_a_multi_line_value_with_an_equals_sign_is_not_cut() -> None:
    text = "@article{k,\n  title = {A},\n  abstract = {Results\n  p = 0.05 in all},\n}\n"
    assert parse(text, search_id="s", file_name="x.bib")[0].abstract == "Results p = 0.05 in all"


def test_unclosed_brace_does_not_swallow_the_next_entry() -> None:
    text = "@article{a,\n  title = {Open,\n  year = 2020\n}\n\n@article{b,\n  title = {B},\n}\n"
    records = parse(text, search_id="s", file_name="x.bib")
    assert [(r.source_id, r.title, r.year) for r in records] == [
        ("a", "Open", 2020),
        ("b", "B", None),
    ]


def test_undefined_macro_keeps_its_name_as_text() -> None:
    text = "@article{k,\n  title = {A},\n  journal = jcyc,\n}\n"
    assert parse(text, search_id="s", file_name="x.bib")[0].journal == "jcyc"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("@article{k,\n  title = {A},\n", id="file-ends-in-entry"),
        pytest.param("Just some notes about references.\n", id="no-entries"),
    ],
)
def test_nothing_readable_is_refused(text: str) -> None:
    with pytest.raises(InputError, match=r"^x\.bib: no BibTeX entries could be read"):
        parse(text, search_id="s", file_name="x.bib")


def test_nested_string_macros_are_refused_before_expanding() -> None:
    # 1 KB that would expand to 10^9 characters: each macro is ten copies of the one before
    lines = ['@string{m0 = "xxxxxxxxxx"}']
    lines += [f"@string{{m{i} = " + " # ".join([f"m{i - 1}"] * 10) + "}" for i in range(1, 9)]
    lines.append("@article{k, title = m8}")
    text = "\n".join(lines)
    assert len(text) < 1500
    with pytest.raises(InputError) as info:
        parse(text, search_id="s", file_name="bomb.bib")
    message = str(info.value)
    assert message.startswith("bomb.bib: line ")
    assert "expands to more than 1,000,000 characters" in message or "macros hold" in message


def test_macros_within_the_limits_expand() -> None:
    text = '@string{a = "ab"}\n@string{b = a # a # "c"}\n@article{k, title = b # { end}}'
    assert parse(text, search_id="s", file_name="x.bib")[0].title == "ababc end"


def test_upper_case_and_separates_authors() -> None:
    text = (
        "@article{k, title = {T}, "
        "author = {Smith, John AND Jones, Mary and {World Health Organization}}}"
    )
    assert parse(text, search_id="s", file_name="x.bib")[0].authors == (
        "Smith, John",
        "Jones, Mary",
        "World Health Organization",
    )


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


def test_doi_and_url_are_read_verbatim() -> None:
    text = (
        "@article{k, title = {T}, doi = {10.5555/abc--def~1\\_x},"
        " url = {https://example.org/a~b--c}}"
    )
    record = parse(text, search_id="s", file_name="x.bib")[0]
    assert record.doi == "10.5555/abc--def~1_x"
    assert record.url == "https://example.org/a~b--c"
