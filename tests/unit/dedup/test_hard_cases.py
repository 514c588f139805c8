"""Data-driven hard cases: pairs that must be merged and pairs that must stay apart.

Each case is two records written by the project (not taken from any data set), an id, the
expected decision, and a note saying why. Decisions are read from the full stage
(:func:`deduplicate`), so blocking, scoring, rules and clustering all take part.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pytest

from realist_review.dedup import deduplicate
from realist_review.records import Record, Source, make_record


def rec(record_id: str, **fields: Any) -> Record:
    """A normalised record with a chosen id (fields as for ``make_record``)."""
    fields.setdefault("source", Source.PUBMED)
    record = make_record(source_id=record_id, search_id=fields.pop("search_id", "s1"), **fields)
    return replace(record, record_id=record_id)


BASE: dict[str, Any] = {
    "title": "Trauma-informed supervision for residential child care staff: a realist evaluation",
    "authors": ["Smith, Jane A.", "Okafor, Chidi", "Lindqvist, Maria"],
    "year": 2019,
    "journal": "Children and Youth Services Review",
    "volume": "101",
    "issue": "4",
    "pages": "123-129",
}


@dataclass(frozen=True)
class Case:
    id: str
    note: str
    a: dict[str, Any]
    b: dict[str, Any]
    same: bool


def v(**changes: Any) -> dict[str, Any]:
    """The base record with some fields changed."""
    return {**BASE, **changes}


CASES = [
    Case("identical", "the same record from two databases", v(), v(source=Source.RIS), True),
    Case(
        "doi-missing-one-side",
        "a DOI in PubMed, none in the RIS export: matched on title, authors, year, journal",
        v(doi="10.1016/j.childyouth.2019.04.001"),
        v(source=Source.RIS),
        True,
    ),
    Case(
        "author-formats",
        "MEDLINE initials vs full given names vs family-first with initials",
        v(authors=["Smith JA", "Okafor C", "Lindqvist M"]),
        v(authors=["Jane A. Smith", "Chidi Okafor", "Maria Lindqvist"]),
        True,
    ),
    Case(
        "case-and-punctuation",
        "title case, trailing period and a dash variant",
        v(title=BASE["title"].upper() + "."),
        v(title=BASE["title"].replace(":", " -")),
        True,
    ),
    Case(
        "one-letter-typo",
        "a one-letter difference in the title (supervison)",
        v(),
        v(title=BASE["title"].replace("supervision", "supervison")),
        True,
    ),
    Case(
        "journal-abbreviation",
        "ISO abbreviation vs full journal name",
        v(),
        v(journal="Child Youth Serv Rev"),
        True,
    ),
    Case(
        "page-formats",
        "123-9 vs 123-129",
        v(pages="123-9"),
        v(pages="123-129"),
        True,
    ),
    Case(
        "epub-year",
        "online-first year one before the print year",
        v(year=2018),
        v(),
        True,
    ),
    Case(
        "non-english-title",
        "original-language title vs bracketed English translation: same authors, journal, "
        "volume and pages",
        v(
            title="Supervision traumasensible dans les foyers pour enfants",
            journal="Revue francaise de pediatrie",
            pages="45-52",
        ),
        v(
            title="[Trauma-sensitive supervision in children's homes].",
            journal="Rev Fr Pediatr",
            pages="45-52",
        ),
        True,
    ),
    Case(
        "fields-shifted",
        "a conference record exported one field to the right: no volume, the volume in the "
        "issue field, the issue as its only page",
        v(journal="Child Abuse Review: Conference Abstracts", volume="", issue="101", pages="4"),
        v(journal="Child Abuse Review: Conference Abstracts", pages="1746"),
        True,
    ),
    Case(
        "fields-not-shifted",
        "no volume and a one-number page that is not the other's issue: pages contradict",
        v(journal="Child Abuse Review: Conference Abstracts", volume="", issue="101", pages="7"),
        v(journal="Child Abuse Review: Conference Abstracts", pages="1746"),
        False,
    ),
    Case(
        "different-dois",
        "two different DOIs and pages that differ: never merged",
        v(doi="10.1000/one"),
        v(doi="10.1000/two", pages="123-130"),
        False,
    ),
    Case(
        "erratum",
        "an erratum notice and the article it corrects",
        v(),
        v(title="Erratum: " + BASE["title"], pages="400"),
        False,
    ),
    Case(
        "erratum-same-doi",
        "an erratum carrying the article's DOI is still an erratum",
        v(doi="10.1000/x1"),
        v(title="Correction to: " + BASE["title"], doi="10.1000/x1", pages="400"),
        False,
    ),
    Case(
        "wos-correction",
        "Web of Science's correction title form (vol N, pg N, YEAR)",
        v(),
        v(title=BASE["title"] + " (vol 101, pg 123, 2019)", pages="812"),
        False,
    ),
    Case(
        "comment",
        "a comment on the article",
        v(),
        v(title="Comment on: " + BASE["title"], authors=["Brown, T."], pages="300-301"),
        False,
    ),
    Case(
        "reply",
        "the authors' reply, same authors, title ending in Reply",
        v(pages="123-124"),
        v(title=BASE["title"] + " - Reply", pages="125"),
        False,
    ),
    Case(
        "series-part",
        "Part 1 and Part 2 of a series",
        v(title="Trauma-informed care in children's homes. Part 1: principles"),
        v(title="Trauma-informed care in children's homes. Part 2: principles", pages="130-139"),
        False,
    ),
    Case(
        "series-roman",
        "I and II of a series",
        v(title="Trauma-informed care in children's homes I"),
        v(title="Trauma-informed care in children's homes II", pages="130-139"),
        False,
    ),
    Case(
        "conference-years",
        "the same conference abstract title in two years",
        v(
            journal="Annual Meeting of the Society for Social Work Research: Abstracts",
            year=2018,
            volume="",
            pages="",
        ),
        v(
            journal="Annual Meeting of the Society for Social Work Research: Abstracts",
            year=2019,
            volume="",
            pages="",
        ),
        False,
    ),
    Case(
        "same-title-other-authors",
        "a generic title used by two different teams",
        v(title="Trauma-informed care: a systematic review"),
        v(
            title="Trauma-informed care: a systematic review",
            authors=["Nakamura, H.", "Petrov, I."],
            pages="300-310",
        ),
        False,
    ),
    Case(
        "years-apart",
        "same title three years apart (an update)",
        v(year=2016),
        v(year=2019),
        False,
    ),
    Case(
        "numbers-differ",
        "follow-up reports: five-year vs ten-year",
        v(title="Five-year outcomes of trauma-informed care in children's homes"),
        v(title="Ten-year outcomes of trauma-informed care in children's homes"),
        False,
    ),
]


def _grouped(case: Case) -> tuple[bool, Any]:
    a = rec("rec-a", **case.a)
    b = rec("rec-b", **case.b)
    result = deduplicate([a, b])
    return result.group_of["rec-a"] == result.group_of["rec-b"], result


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hard_case(case: Case) -> None:
    together, result = _grouped(case)
    assert together == case.same, f"{case.id}: {case.note}; audit: {result.audit}"


def test_conference_abstract_and_article_are_one_study_two_reports() -> None:
    abstract = rec(
        "rec-abs",
        **v(
            journal="Annual Congress of the European Society for Child Protection: Abstracts",
            volume="",
            pages="",
            year=2018,
        ),
    )
    article = rec("rec-art", **v())
    result = deduplicate([abstract, article])
    assert result.group_of["rec-abs"] != result.group_of["rec-art"]
    assert result.study_of["rec-abs"] == result.study_of["rec-art"] == "rec-abs"


def test_preprint_and_published_version_are_one_study() -> None:
    preprint = rec("rec-pre", **v(doi="10.1101/2019.01.01.123456", journal="medRxiv", volume=""))
    published = rec("rec-pub", **v(doi="10.1016/j.childyouth.2019.04.001"))
    result = deduplicate([preprint, published])
    assert result.group_of["rec-pre"] != result.group_of["rec-pub"]
    assert result.study_of["rec-pre"] == result.study_of["rec-pub"]


def test_no_chaining_through_a_record_without_title() -> None:
    """A bare record (no title) matching two look-alike articles must not join them."""
    first = rec("rec-1", **v(doi="10.1000/p1"))
    second = rec("rec-2", **v(doi="10.1000/p2", issue="5"))
    bare = rec("rec-3", **v(title="", issue=""))
    result = deduplicate([first, second, bare])
    assert result.group_of["rec-1"] != result.group_of["rec-2"]


def test_no_chaining_of_drifting_titles() -> None:
    """A~B and B~C by title, but A and C are different works: C must not join A."""
    titles = [
        "Trauma-informed supervision in residential care: staff outcomes",
        "Trauma-informed supervision in residential care: staff outcome",
        "Trauma-informed supervision in residential homes: staff outcomes",
    ]
    records = [
        rec(f"rec-{k}", **v(title=t, pages="", volume="", journal="J Child Care"))
        for k, t in enumerate(titles)
    ]
    records.append(
        rec("rec-9", **v(title="Trauma-informed supervision: a different paper on nurses"))
    )
    result = deduplicate(records)
    assert result.group_of["rec-9"] == "rec-9"


LETTER = v(title="Restraint in children's homes", pages="943-944", volume="19", issue="8")
REPLY = v(
    title="Restraint in children's homes - Reply",
    authors=["Shepherd, Amy B.", "Palmer, April L."],
    pages="945",
    volume="19",
    issue="8",
)
COMPILATION = v(
    title="Restraint in children's homes (multiple letters) [1]",
    authors=[*BASE["authors"], "Shepherd, A. B.", "Palmer, A. L."],
    pages="943-945",
    volume="19",
    issue="8",
    source=Source.RIS,
)


def test_letters_compilation_joins_the_letter_and_its_reply() -> None:
    """Embase's "(multiple letters)" record stands for a letter and the reply printed with
    it; MEDLINE has one record for each. All of them are one item."""
    records = [
        rec("rec-comp", **COMPILATION),
        rec("rec-letter", **LETTER),
        rec("rec-reply", **REPLY),
        rec("rec-reply2", **{**REPLY, "source": Source.WOS}),
    ]
    result = deduplicate(records)
    assert {result.group_of[r.record_id] for r in records} == {"rec-comp"}
    rules = {(row["record_id_a"], row["record_id_b"]): row for row in result.audit}
    assert rules[("rec-comp", "rec-reply")]["rule"] == "letters_compilation"
    letter_reply = rules[("rec-letter", "rec-reply")]
    assert letter_reply["decision"] == "same"
    assert "letters printed together" in letter_reply["note"]


def test_compilation_keeps_a_letter_record_without_pages() -> None:
    """The letter's own duplicates link to the compilation by the usual rules, pages or not."""
    records = [
        rec("rec-comp", **COMPILATION),
        rec("rec-letter", **LETTER),
        rec("rec-letter2", **{**LETTER, "pages": "", "source": Source.WOS}),
        rec("rec-reply", **REPLY),
    ]
    result = deduplicate(records)
    assert {result.group_of[r.record_id] for r in records} == {"rec-comp"}


def test_letter_and_reply_stay_apart_without_a_compilation() -> None:
    result = deduplicate([rec("rec-letter", **LETTER), rec("rec-reply", **REPLY)])
    assert result.group_of["rec-letter"] != result.group_of["rec-reply"]


def test_compilation_does_not_take_a_reply_outside_its_pages() -> None:
    outside = {**REPLY, "pages": "950"}
    result = deduplicate(
        [rec("rec-comp", **COMPILATION), rec("rec-letter", **LETTER), rec("rec-reply", **outside)]
    )
    assert result.group_of["rec-letter"] == "rec-comp"
    assert result.group_of["rec-reply"] == "rec-reply"


def test_compilation_does_not_take_an_erratum_within_its_pages() -> None:
    erratum = {**LETTER, "title": "Erratum: Restraint in children's homes", "pages": "945"}
    result = deduplicate([rec("rec-comp", **COMPILATION), rec("rec-err", **erratum)])
    assert result.group_of["rec-err"] == "rec-err"


def test_compilation_respects_a_persons_different() -> None:
    from realist_review.dedup.review import PairDecision

    people = [
        PairDecision("rec-comp", "rec-reply", "different", "reviewer-a", "", "config/dedup/x.csv")
    ]
    records = [
        rec("rec-comp", **COMPILATION),
        rec("rec-letter", **LETTER),
        rec("rec-reply", **REPLY),
    ]
    result = deduplicate(records, decisions=people)
    assert result.group_of["rec-letter"] == "rec-comp"
    assert result.group_of["rec-reply"] == "rec-reply"


@pytest.mark.parametrize(
    ("authors", "reviewed"),
    [(BASE["authors"], True), (["Smith, Jane A."], False)],
    ids=["three-authors-alike", "one-author"],
)
def test_renamed_title_goes_to_the_review_sheet_not_merged(
    authors: list[str], reviewed: bool
) -> None:
    """Same team (three or more authors), journal and year, no volume/pages on one side, the
    title reworded between databases: possibly one item, so a person decides. One author
    alike is too little to ask."""
    a = rec(
        "rec-a", **v(title="Trauma-informed supervision in severe staff burnout", authors=authors)
    )
    b = rec(
        "rec-b",
        **v(
            title="Reflective Supervision in Severe Staff Burnout",
            authors=authors,
            journal="Child Youth Serv Rev",
            volume="",
            pages="",
        ),
    )
    result = deduplicate([a, b])
    assert result.group_of["rec-a"] != result.group_of["rec-b"]
    pairs = [(r["record_id_a"], r["record_id_b"]) for r in result.review]
    assert pairs == ([("rec-a", "rec-b")] if reviewed else [])
