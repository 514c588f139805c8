"""Web of Science plain-text exports (FN/VR, two-letter tags, ER/EF)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from realist_review.errors import InputError
from realist_review.formats import parse_text
from realist_review.formats.wos import parse
from realist_review.records import Record, Source

Load = Callable[..., list[Record]]

# fmt: off
FIELD_CASES: list[tuple[str, int, str, Any, str]] = [
    ("ut-is-source-id", 0, "source_id", "WOS:000999000000001", "UT"),
    ("full-names", 0, "authors", ("Fairbairn, Morag", "Adeyemi, Tolu"),
     "AF over AU; continuation lines are more names"),
    ("wrapped-title", 0, "title",
     "Organisational governance and the sustainability of trauma-informed care in "
     "residential children's homes", "TI over two lines"),
    ("keywords-across-lines", 0, "keywords",
     ("trauma-informed care", "organisational governance", "residential child care",
      "restraint", "CHILDREN", "OUTCOMES", "YOUNG-PEOPLE"),
     "DE continued on the next line, then ID (Keywords Plus)"),
    ("pages", 0, "pages", "201-219", "BP/EP"),
    ("doi", 0, "doi", "10.5555/jcyc.2020.0031", "DI"),
    ("issn", 0, "issn", "1750-0000", "SN before EI"),
    ("publisher", 0, "publisher", "EXAMPLE ACADEMIC PRESS", "PU"),
    ("doc-types", 1, "publication_type", ("Article", "Early Access"), "DT split on ';'"),
    ("article-number", 1, "pages", "e1234", "AR, 'UNSP' dropped"),
    ("medline-ut", 1, "source_id", "MEDLINE:99900031", "UT from the MEDLINE collection"),
    ("pmid", 1, "pmid", "99900031", "PM"),
]
# fmt: on


@pytest.mark.parametrize(
    ("index", "field", "expected"), [pytest.param(i, k, v, id=c) for c, i, k, v, _ in FIELD_CASES]
)
def test_fields(load: Load, index: int, field: str, expected: Any) -> None:
    assert getattr(load("wos/savedrecs.txt")[index], field) == expected


def test_source_and_count(load: Load) -> None:
    records = load("wos/savedrecs.txt")
    assert len(records) == 2
    assert {r.source for r in records} == {Source.WOS}


def test_missing_er_is_lenient(caplog: pytest.LogCaptureFixture) -> None:
    text = "FN Clarivate\nVR 1.0\nPT J\nTI One\nPT J\nTI Two\nUT WOS:2\n"
    with caplog.at_level(logging.WARNING):
        records = parse(text, search_id="s", file_name="x.txt")
    assert [r.title for r in records] == ["One", "Two"]
    assert "no 'ER' line before the next 'PT' (line(s) 3)" in caplog.text
    assert "the last record (line 5) has no 'ER' line" in caplog.text


# fmt: off
BAD_CASES = [
    ("field-outside-record", "FN x\nVR 1.0\nPT J\nTI One\nER\nTI Lost title\nER\nEF\n",
     ["x.txt: line 6", "field TI", "outside a record", "PT J"], "a record lost its PT line"),
    ("continuation-outside", "PT J\nTI One\nER\n   stray\n",
     ["line 4", "outside a record"], "indented text after ER"),
    ("no-records", "FN x\nVR 1.0\nEF\n", ["no Web of Science records"], "header only"),
]
# fmt: on


@pytest.mark.parametrize(
    ("text", "fragments"), [pytest.param(t, f, id=i) for i, t, f, _ in BAD_CASES]
)
def test_bad_input_names_file_and_line(text: str, fragments: list[str]) -> None:
    with pytest.raises(InputError) as info:
        parse(text, search_id="s", file_name="x.txt")
    for fragment in fragments:
        assert fragment in str(info.value)


_LINES = st.sampled_from(
    ["FN Clarivate", "VR 1.0", "PT J", "AU Smith, J", "   Jones, K", "TI Title", "ER", "EF",
     "UT WOS:1", "", "DE a; b;", "   c"]
)  # fmt: skip


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_LINES, st.text(max_size=30)), max_size=25))
def test_random_text_raises_nothing_but_input_error(lines: list[str]) -> None:
    try:
        records = parse_text("\n".join(lines), "wos", search_id="s", file_name="r.txt")
    except InputError:
        return
    assert len({r.record_id for r in records}) == len(records)
