"""Data-driven study-linking cases: reports of one study share a study_id, other pairs do not.

Each case is two fictional records written by the project, an id, whether the two must be
linked as one study, and a note saying why. Every case runs through the full stage
(:func:`deduplicate`), and in every case the two records stay *separate groups*: study links
never merge records.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from realist_review.dedup import deduplicate, run_dedup
from realist_review.dedup.normalize import is_early_report, main_title
from realist_review.records import Record, Source, make_record, record_to_row
from realist_review.tables import read_table, write_table


def rec(record_id: str, **fields: Any) -> Record:
    """A normalised record with a chosen id (fields as for ``make_record``)."""
    fields.setdefault("source", Source.PUBMED)
    record = make_record(source_id=record_id, search_id=fields.pop("search_id", "s1"), **fields)
    return replace(record, record_id=record_id)


AUTHORS = ["Fenwick, Jonah", "Lockwood, Ruth E.", "Achterberg, Emma"]
INITIALS = ["Fenwick J", "Lockwood RE", "Achterberg E"]
OTHERS = ["Nakamura, Hiro", "Petrov, Ivan"]
TITLE = "Trauma-informed care training for social care workers in residential centres"


def article(**changes: Any) -> dict[str, Any]:
    """A journal article (changes applied)."""
    base: dict[str, Any] = {
        "title": f"{TITLE}: a mixed-methods evaluation",
        "authors": AUTHORS,
        "year": 2025,
        "journal": "Child and Adolescent Mental Health",
        "volume": "48",
        "issue": "8",
        "pages": "1796-1803",
        "doi": "10.5555/camh.2025.001",
        "publication_type": ["Journal Article"],
    }
    return {**base, **changes}


def abstract(**changes: Any) -> dict[str, Any]:
    """A conference abstract printed in a journal supplement (changes applied)."""
    base: dict[str, Any] = {
        "title": f"{TITLE}: a mixed-methods evaluation",
        "authors": AUTHORS,
        "year": 2024,
        "journal": "Archives of Disease in Childhood",
        "volume": "36",
        "issue": "Suppl 2",
        "pages": "A193",
        "doi": "10.5555/adc.2024.002",
        "publication_type": ["journal-article"],
    }
    return {**base, **changes}


@dataclass(frozen=True)
class Case:
    id: str
    note: str
    a: dict[str, Any]
    b: dict[str, Any]
    one_study: bool
    rule: str = ""


CASES = [
    Case(
        "preprint-new-subtitle",
        "a posted-content preprint without journal and its article: subtitle changed on "
        "publication, initials vs full names",
        article(),
        article(
            title=f"{TITLE.title()}: Preliminary Findings",
            authors=INITIALS,
            year=2024,
            journal="",
            volume="",
            issue="",
            pages="",
            doi="10.5555/psyarxiv.003",
            publication_type=["posted-content"],
        ),
        True,
        "early_report",
    ),
    Case(
        "preprint-server",
        "a preprint on a preprint server, published two years later",
        article(year=2026),
        article(
            title=f"{TITLE}: preliminary findings",
            journal="SocArXiv",
            year=2024,
            volume="",
            issue="",
            pages="",
            doi="10.5555/socarxiv.004",
            publication_type=["preprint"],
        ),
        True,
        "early_report",
    ),
    Case(
        "abstract-in-supplement",
        "a conference abstract in another journal's supplement (issue 'Suppl 2', page A193), "
        "same title, one author, the article a year later",
        article(authors=["Mackie, Adebayo"], year=2020),
        abstract(
            authors=["Mackie, A."], title=f"{TITLE.upper()}: A MIXED-METHODS EVALUATION", year=2019
        ),
        True,
        "early_report",
    ),
    Case(
        "abstract-short-title",
        "a conference abstract under the article's main title only",
        article(title="From knowledge to practice: a mixed methods evaluation of training"),
        abstract(title="From knowledge to practice"),
        True,
        "early_report",
    ),
    Case(
        "meeting-abstract-type",
        "publication type 'Meeting Abstract' in an ordinary journal issue",
        article(),
        abstract(issue="3", pages="112", publication_type=["Meeting Abstract"]),
        True,
        "early_report",
    ),
    Case(
        "abstract-two-years",
        "the same conference abstract title in 2019 and 2021 by the same authors: two records "
        "(different years), one study",
        abstract(year=2019, issue="10 Suppl", pages="S309"),
        abstract(year=2021, issue="10 Suppl", pages="S295", doi="10.5555/adc.2021.005"),
        True,
        "early_report",
    ),
    Case(
        "series-parts",
        "Part 1 and Part 2 of a series by the same authors: two records, one study",
        article(title="Trauma-informed leadership in children's homes. Part 1: the manager"),
        article(
            title="Trauma-informed leadership in children's homes. Part 2: the provider",
            pages="1804-1812",
            doi="10.5555/camh.2025.006",
        ),
        True,
        "series_parts",
    ),
    Case(
        "no-journal-record",
        "a report without a journal (a grey-literature export) and the journal article",
        article(),
        article(
            title=TITLE,
            journal="",
            volume="",
            issue="",
            pages="",
            doi="",
            year=2024,
            publication_type=[],
        ),
        True,
        "early_report",
    ),
    Case(
        "two-records-without-journal",
        "two trial-registry entries (no journal, one sponsor) for adults and adolescents: no "
        "early report, two studies",
        article(
            title="Open label trial of a training programme in adult residential care staff",
            authors=["Carewell Trust"],
            journal="",
            volume="",
            issue="",
            pages="",
            doi="",
        ),
        article(
            title="Open label trial of a training programme in adolescent residential care staff",
            authors=["Carewell Trust"],
            journal="",
            volume="",
            issue="",
            pages="",
            doi="",
        ),
        False,
    ),
    Case(
        "different-main-title",
        "same first author, early report, but a different main title: two studies",
        article(title="Trauma-informed training for residential care staff: a trial"),
        abstract(title="Trauma-informed supervision for residential care staff: a pilot"),
        False,
    ),
    Case(
        "erratum",
        "an erratum of the article (no journal, so 'early' by that sign) is no report of it",
        article(),
        article(
            title=f"Erratum: {TITLE}: a mixed-methods evaluation",
            journal="",
            volume="",
            issue="",
            pages="",
            doi="10.5555/camh.2025.007",
        ),
        False,
    ),
    Case(
        "comment-reply",
        "the authors' reply to a comment, printed as an abstract-like item: not a report",
        article(),
        abstract(title=f"{TITLE}: a mixed-methods evaluation - Reply", year=2025),
        False,
    ),
    Case(
        "comment-on",
        "a comment on the article by another team",
        article(),
        abstract(title=f"Comment on: {TITLE}", authors=OTHERS, year=2025),
        False,
    ),
    Case(
        "other-authors-short-title",
        "a conference abstract with the same short title by different authors",
        article(title="From knowledge to practice: a mixed methods evaluation of training"),
        abstract(title="From knowledge to practice", authors=OTHERS),
        False,
    ),
    Case(
        "years-too-far",
        "a conference abstract four years before the article",
        article(year=2024),
        abstract(year=2020),
        False,
    ),
    Case(
        "two-articles-new-subtitle",
        "two journal articles by one team under one main title: neither is an early report",
        article(title=f"{TITLE}: staff views"),
        article(
            title=f"{TITLE}: young people's views",
            pages="1810-1820",
            doi="10.5555/camh.2025.008",
        ),
        False,
    ),
    Case(
        "series-other-authors",
        "Part 1 and Part 2 under one main title by different authors",
        article(title="Trauma-informed leadership in children's homes. Part 1: the manager"),
        article(
            title="Trauma-informed leadership in children's homes. Part 2: the provider",
            authors=OTHERS,
            pages="1804-1812",
            doi="10.5555/camh.2025.009",
        ),
        False,
    ),
    Case(
        "generic-main-title",
        "a two-word main title ('Care homes:') is too generic to name a study",
        article(title="Care homes: outcomes for staff after training"),
        abstract(title="Care homes: what young people told us"),
        False,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_study_link(case: Case) -> None:
    result = deduplicate([rec("rec-a", **case.a), rec("rec-b", **case.b)])
    assert result.group_of["rec-a"] == "rec-a", f"{case.id}: records must stay separate groups"
    assert result.group_of["rec-b"] == "rec-b", f"{case.id}: records must stay separate groups"
    linked = result.study_of["rec-a"] == result.study_of["rec-b"]
    assert linked == case.one_study, f"{case.id}: {case.note}; audit: {result.audit}"
    rows = [r for r in result.audit if r["decision"] == "study"]
    if case.one_study:
        assert result.study_of["rec-b"] == "rec-a"  # the smallest group id of the study
        assert [(r["record_id_a"], r["record_id_b"], r["rule"]) for r in rows] == [
            ("rec-a", "rec-b", case.rule)
        ], case.id
        assert "reports of one study" in rows[0]["note"]
    else:
        assert rows == [], case.id


def test_study_links_never_chain_unrelated_groups() -> None:
    """A short-titled abstract fits two articles that are not one study: it joins one only."""
    first = rec("rec-1", **article(title="From knowledge to practice: a mixed methods evaluation"))
    second = rec(
        "rec-2",
        **article(
            title="From knowledge to practice in foster care: a national survey",
            pages="1900-1910",
            doi="10.5555/camh.2025.010",
        ),
    )
    short = rec("rec-3", **abstract(title="From knowledge to practice"))
    result = deduplicate([first, second, short])
    assert len(set(result.group_of.values())) == 3
    assert result.study_of["rec-1"] != result.study_of["rec-2"]
    assert result.study_of["rec-3"] in {result.study_of["rec-1"], result.study_of["rec-2"]}
    notes = [r["note"] for r in result.audit if "would chain unrelated studies" in r["note"]]
    assert len(notes) == 1, result.audit


def test_three_reports_of_one_study_share_one_study_id() -> None:
    """Preprint, conference abstract and article: all pairs are linked, one study."""
    records = [
        rec("rec-3", **article(year=2026)),
        rec(
            "rec-1",
            **article(
                title=f"{TITLE}: preliminary findings",
                journal="PsyArXiv",
                year=2024,
                volume="",
                issue="",
                pages="",
                doi="10.5555/psyarxiv.011",
                publication_type=["preprint"],
            ),
        ),
        rec("rec-2", **abstract(year=2025)),
    ]
    result = deduplicate(records)
    assert len(set(result.group_of.values())) == 3
    assert {result.study_of[g] for g in ("rec-1", "rec-2", "rec-3")} == {"rec-1"}


def test_study_rows_fit_the_audit_schema(tmp_path: Path) -> None:
    """The audit written by the stage (schema-checked) names the study rule and why."""
    records = [rec("rec-a", **article()), rec("rec-b", **abstract())]
    source = tmp_path / "records.csv"
    write_table(source, [record_to_row(r) for r in records], "record")
    run_dedup(
        records=source,
        groups=tmp_path / "groups.csv",
        merged=tmp_path / "merged.csv",
        audit=tmp_path / "audit.csv",
    )
    audit = read_table(tmp_path / "audit.csv", "dedup_audit")
    study = [r for r in audit if r["decision"] == "study"]
    assert [(r["rule"], r["by"]) for r in study] == [("early_report", "rule")]
    assert "year gap<=2" in study[0]["threshold"]
    with (tmp_path / "merged.csv").open(encoding="utf-8") as handle:
        merged = {row["record_id"]: row["study_id"] for row in csv.DictReader(handle)}
    assert merged == {"rec-a": "rec-a", "rec-b": "rec-a"}


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Holding the holders: reflective practice groups", "holding the holders"),
        ("Leadership in children's homes. Part 2: the provider", "leadership in children s homes"),
        ("Leadership in children's homes, part II", "leadership in children s homes"),
        ("From knowledge to practice", "from knowledge to practice"),
        ("Does training work? A pre-post study", "does training work"),
        ("Care homes - what staff said", ""),
        ("Care homes: staff outcomes", ""),
    ],
    ids=["colon", "part-after-full-stop", "roman-part", "no-subtitle", "question", "dash-2-words",
         "colon-2-words"],
)  # fmt: skip
def test_main_title(title: str, expected: str) -> None:
    assert main_title(title) == expected


@pytest.mark.parametrize(
    ("fields", "early"),
    [
        ({"publication_type": ["posted-content"]}, True),
        ({"publication_type": ["Meeting Abstract"]}, True),
        ({"journal": "Annual Congress Abstracts"}, True),
        ({"journal": "Child Abuse Review Supplement"}, True),
        ({"issue": "Suppl 2"}, True),
        ({"volume": "36 Suppl"}, True),
        ({"journal": ""}, False),
        ({"journal": "medRxiv"}, True),
        ({}, False),
        ({"issue": "4", "publication_type": ["Journal Article", "Review"]}, False),
    ],
    ids=["posted-content", "meeting-abstract", "congress-journal", "supplement-journal",
         "suppl-issue", "suppl-volume", "no-journal", "preprint-server", "article",
         "review-article"],
)  # fmt: skip
def test_is_early_report(fields: dict[str, Any], early: bool) -> None:
    assert is_early_report(rec("rec-x", **article(**fields))) is early
