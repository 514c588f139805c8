"""Issue 19 classes 1 and 2: one author-list builder for every export's conventions.

Each case is the shape a real export writes (Scopus, IEEE, BibTeX, Web of Science, RIS,
EPPI-Reviewer); the names are made up.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from realist_review.formats.common import (
    Group,
    author_list,
    collapse_repeated_list,
    is_initials,
    person_name,
    split_authors,
)
from realist_review.records import Record

Load = Callable[..., list[Record]]

# fmt: off
CELL_CASES = [
    ("scopus-organisation-word-as-family", "Okonjo A., Brennan F., Center M.M., Ward E.",
     ["Okonjo A.", "Brennan F.", "Center M.M.", "Ward E."], "'Center' is a family name here"),
    ("scopus-non-ascii-initial", "Tromsø K., Fluge Ø., Mella O.",
     ["Tromsø K.", "Fluge Ø.", "Mella O."], "an initial outside A-Z"),
    ("scopus-suffix", "Pope III C.A., Burnett R.T.", ["Pope III C.A.", "Burnett R.T."],
     "a suffix between family name and initials"),
    ("no-author-placeholder", "[No author name available]", [], "Scopus placeholder"),
    ("anonymous-placeholder", "Anonymous", [], "PsycINFO placeholder"),
    ("ieee-given-family-list", "Joseph Rottweil, Erran Carmody, Mary Lacombe",
     ["Joseph Rottweil", "Erran Carmody", "Mary Lacombe"], "IEEE: full names, commas"),
    ("bibtex-upper-and", "Smith, John AND Jones, Mary", ["Smith, John", "Jones, Mary"],
     "BibTeX reads 'and' in any case"),
    ("one-family-given", "Lacombe, Mary", ["Lacombe, Mary"], "one person, not a list"),
    ("two-full-names-stay-one", "Garcia Marquez, Gabriel Jose", ["Garcia Marquez, Gabriel Jose"],
     "two pieces of full words: a double family name, not two people"),
    ("family-given-initial-stays-one", "Flores Rivera, Alejandro R",
     ["Flores Rivera, Alejandro R"], "Family, Given Initial: one person"),
]
# fmt: on


@pytest.mark.parametrize(
    ("value", "expected"), [pytest.param(v, e, id=i) for i, v, e, _ in CELL_CASES]
)
def test_split_one_cell(value: str, expected: list[str]) -> None:
    assert split_authors(value, bibtex="AND" in value) == expected


# fmt: off
NAME_CASES = [
    ("family-initials", "Center M.M.", False, "Center, M.M."),
    ("non-ascii-initial", "Fluge Ø.", False, "Fluge, Ø."),
    ("suffix", "Pope III C.A.", False, "Pope, C.A., III"),
    ("suffix-jr-after-given", "John Smith Jr", False, "Smith, John, Jr"),
    ("initials-first", "J.A. Lacombe", False, "Lacombe, J.A."),
    ("initials-then-two-words", "S. J. Ben Yoo", False, "Yoo, S. J. Ben"),
    ("initial-first-in-family-first-file", "S Wey", True, "Wey, S"),
    ("short-upper-family-in-family-first-file", "YAN Ling", True, "YAN, Ling"),
    ("given-family", "Mary Lacombe", False, "Lacombe, Mary"),
    ("given-family-particle", "Ludo van Beek", False, "van Beek, Ludo"),
    ("family-given-file", "Janko Wolfgang", True, "Janko, Wolfgang"),
    ("packed-initials", "Neilen AD", False, "Neilen, A D"),
    ("comma-kept", "Smith, J. A.", False, "Smith, J. A."),
]
# fmt: on


@pytest.mark.parametrize(
    ("name", "family_first", "expected"),
    [pytest.param(n, f, e, id=i) for i, n, f, e in NAME_CASES],
)
def test_person_name(name: str, family_first: bool, expected: str) -> None:
    assert person_name(name, given_after_family=family_first) == expected


@pytest.mark.parametrize(
    ("token", "expected"),
    [("J", True), ("JA", True), ("J.-P.", True), ("Ø.", True), ("III", True), ("Jo", False),
     ("ABCDE", False), ("M.M.", True), ("Smith", False)],
)  # fmt: skip
def test_is_initials(token: str, expected: bool) -> None:
    assert is_initials(token) is expected


def test_a_full_name_among_family_initials_is_family_first() -> None:
    # the cell's own convention tells the order: "Janko Wolfgang" beside "Okonjo A."
    assert split_authors("Okonjo A., Janko Wolfgang, Brennan F.") == [
        "Okonjo A.",
        "Janko, Wolfgang",
        "Brennan F.",
    ]


def test_groups_are_kept_as_written_and_placeholders_dropped() -> None:
    names = author_list(
        ["Abara, Kemi", "[No author name available]", "Department for Education"],
        groups=["Writing Comm Members"],
    )
    assert names == ["Abara, Kemi", "Department for Education", "Writing Comm Members"]
    assert [isinstance(n, Group) for n in names] == [False, True, True]


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["A", "B", "A", "B"], ["A", "B"]),  # EPPI doubling: the whole list twice
        (["Innocenti, M.", "Innocenti, M."], ["Innocenti, M.", "Innocenti, M."]),
        (["A", "A", "B"], ["A", "A", "B"]),  # a name that repeats: two people
        (["A", "B", "C", "A", "B"], ["A", "B", "C"]),  # repeated, one name short
        (["A", "B", "C", "C", "B", "A"], ["A", "B", "C"]),  # repeated in another order
        (["A", "B", "C", "D", "X", "B", "C", "D"], ["A", "B", "C", "D"]),  # one spelt apart
        (["A", "B", "A"], ["A", "B", "A"]),  # one name again is not a list
        (["A", "B", "C", "X", "Y"], ["A", "B", "C", "X", "Y"]),
    ],
)
def test_only_a_whole_repeated_list_is_collapsed(names: list[str], expected: list[str]) -> None:
    assert collapse_repeated_list(names) == expected


def test_scopus_csv_author_family(load: Load) -> None:
    records = load("csv/scopus_authors.csv")
    assert [r.authors for r in records] == [
        ("Okonjo, A.", "Brennan, F.", "Center, M.M.", "Ward, E.", "Forsyth, D."),
        ("Tromsø, K.", "Fluge, Ø.", "Mella, O."),
        ("Pope, C.A., III", "Burnett, R.T.", "Thun, M.J."),
        (),
        ("Innocenti, M.", "Innocenti, M.", "Civinini, R."),
        ("Janko, Wolfgang", "Rausch, S.", "Lind, K."),
    ]


def test_ieee_csv_full_names_in_one_cell(load: Load) -> None:
    records = load("csv/ieee_authors.csv")
    assert records[0].authors == ("Rottweil, Joseph", "Carmody, Erran", "Lacombe, Mary")
    assert records[1].authors == ("Okafor, Lin-Manuel",)


def test_ris_a1_and_au_keep_file_order(load: Load) -> None:
    records = load("ris/authors_dates.ris")
    assert records[0].authors == ("Marwick, Tessa", "Oyelaran, Bisi", "Quennell, Rhys")


def test_ris_two_people_with_one_name_stay_two(load: Load) -> None:
    records = load("ris/authors_dates.ris")
    assert records[1].authors == ("Innocenti, M.", "Innocenti, M.", "Farrant, L.")
    assert records[2].authors == ("Halloran, Siobhan", "Pyke, Dominic")  # list written twice
    assert records[3].authors == ()  # [No author name available]


def test_ris_same_list_in_a1_and_au_is_read_once() -> None:
    from realist_review.formats.ris import parse

    text = (
        "TY  - JOUR\nA1  - Gurney Ben\nAU  - Gurney Ben\nTI  - EPPI writes both\nU1  - 1\nER  - \n"
    )
    assert parse(text, search_id="s", file_name="e.ris")[0].authors == ("Gurney, Ben",)


def test_wos_group_authors_are_not_people(load: Load) -> None:
    record = load("wos/group_authors.txt")[0]
    assert record.authors == (
        "Abara, Kemi",
        "Lindqvist, Per",
        "Writing Comm Members",
        "Residential Care Trial Investigators",
    )


def test_long_author_lists_are_collapsed_in_linear_time() -> None:
    import time

    names = [f"Author{i}, A." for i in range(5_000)]
    start = time.perf_counter()
    assert collapse_repeated_list(names) == names
    assert collapse_repeated_list(names + names) == names
    assert time.perf_counter() - start < 5
