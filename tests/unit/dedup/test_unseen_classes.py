"""Hard cases for the error classes seen on data the stage was never tuned on.

Every case is written by the project as a general rule (no record of any data set): an id, two
(or three) records, the expected outcome and a note saying why. Classes: identifiers written
in unusual ways, the DOI veto, numbers in titles, recurring section titles, the same locator
under different titles, and reports of one study that are not duplicates. Decisions are read
from the full stage (:func:`deduplicate`): blocking, scoring, rules, clustering and study
linking all take part.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from realist_review.cli import main
from realist_review.dedup import deduplicate
from realist_review.dedup.review import PairDecision
from realist_review.formats.common import doi_from_url
from realist_review.records import Record, Source, make_record, normalize_doi, record_to_row
from realist_review.tables import write_table


def rec(record_id: str, **fields: Any) -> Record:
    """A normalised record with a chosen id (fields as for ``make_record``)."""
    fields.setdefault("source", Source.PUBMED)
    record = make_record(source_id=record_id, search_id=fields.pop("search_id", "s1"), **fields)
    return replace(record, record_id=record_id)


BASE: dict[str, Any] = {
    "title": "Peer mentoring for newly qualified nurses in rural hospitals: a mixed-methods study",
    "authors": ["Adeyemi, Folake", "Brennan, Sean P.", "Castillo, Rosa", "Dahl, Ingrid"],
    "year": 2017,
    "journal": "Journal of Nursing Management",
    "volume": "25",
    "issue": "6",
    "pages": "441-449",
}


def v(**changes: Any) -> dict[str, Any]:
    """The base record with some fields changed."""
    return {**BASE, **changes}


# --------------------------------------------------------------------------------------------
# Identifiers
# --------------------------------------------------------------------------------------------
DOI_CASES = [
    # (id, raw, expected, note)
    (
        "percent-encoded-url",
        "http://dx.doi.org/10.1016/0024-3205%2896%2900096-3",
        "10.1016/0024-3205(96)00096-3",
        "Ovid/Embase links percent-encode the brackets of a DOI",
    ),
    (
        "percent-encoded-slash",
        "https://doi.org/10.1111%2Fjan.12345",
        "10.1111/jan.12345",
        "an encoded slash",
    ),
    (
        "percent-sign-itself-kept",
        "10.1000/abc%25def",
        "10.1000/abc%25def",
        "an encoded percent sign is not decoded (decoding once is decoding for good)",
    ),
    (
        "cochrane-central",
        "https://www.cochranelibrary.com/central/doi/10.1002/central/CN-01234567/full",
        "",
        "a CENTRAL register address is not an article DOI",
    ),
    (
        "cochrane-review-doi",
        "10.1002/14651858.CD012345.pub2",
        "10.1002/14651858.cd012345.pub2",
        "a Cochrane review's own DOI is a DOI",
    ),
    (
        "sici-broken-at-space",
        "10.1002/(SICI)1097-0258(19980715)17:13 <1495::AID-SIM863>3.0.CO;2-I",
        "10.1002/(sici)1097-0258(19980715)17:13<1495::aid-sim863>3.0.co;2-i",
        "a SICI DOI an export broke at a space: kept whole, the space dropped",
    ),
    (
        "space-inside-brackets",
        "10.1016/S0140-6736( 02)11234-5",
        "10.1016/s0140-6736(02)11234-5",
        "a space inside an open bracket does not end the DOI",
    ),
    (
        "tag-after-doi",
        "10.1016/j.nedt.2017.01.002 [doi]",
        "10.1016/j.nedt.2017.01.002",
        "MEDLINE's [doi] tag is not part of the DOI",
    ),
    (
        "second-doi-after-space",
        "10.1000/first 10.1000/second",
        "10.1000/first",
        "two DOIs in one cell: the first",
    ),
    (
        "typographic-dash",
        "10.1016/S0022\u20132828(02)92072\u20139",
        "10.1016/s0022-2828(02)92072-9",
        "an en dash a word processor put in place of a hyphen",
    ),
    (
        "balanced-closing-bracket",
        "10.1016/S0022-2828(02)92072-9.",
        "10.1016/s0022-2828(02)92072-9",
        "the sentence's full stop goes, the DOI's own bracket stays",
    ),
]


@pytest.mark.parametrize(
    ("raw", "expected"), [c[1:3] for c in DOI_CASES], ids=[c[0] for c in DOI_CASES]
)
def test_normalize_doi_hard_cases(raw: str, expected: str) -> None:
    assert normalize_doi(raw) == expected
    assert normalize_doi(normalize_doi(raw)) == normalize_doi(raw)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param(
            "https://www.cochranelibrary.com/central/doi/10.1002/central/CN-00987654/full",
            "",
            id="central-address",
        ),
        pytest.param(
            "https://onlinelibrary.wiley.com/doi/10.1111/jonm.12345/full",
            "10.1111/jonm.12345",
            id="publisher-page-tail",
        ),
        pytest.param(
            "http://dx.doi.org/10.1016/0024-3205%2896%2900096-3",
            "10.1016/0024-3205(96)00096-3",
            id="percent-encoded",
        ),
        pytest.param(
            "https://example.org/record?eid=2&doi=10.1177/1971400900130%26partnerID=40"
            "http://journals.example.org/doi/pdf/10.1177/1971400900130",
            "10.1177/1971400900130",
            id="links-run-together",
        ),
        pytest.param(
            "https://example.org/record?doi=10.1002%2f%28SICI%291522-2594%28199904%2941%3a4"
            "%26lt%3b676%3a%3aAID-MRM5%26gt%3b3.0.CO%3b2-D&partnerID=40",
            "10.1002/(sici)1522-2594(199904)41:4<676::aid-mrm5>3.0.co;2-d",
            id="sici-escaped-and-encoded",
        ),
        pytest.param(
            "http://dx.doi.org/10.1002/(SICI)1096-8628(19970221)74:1%3C73::AID-X16%3E3.0.CO;2-O",
            "10.1002/(sici)1096-8628(19970221)74:1<73::aid-x16>3.0.co;2-o",
            id="sici-in-link",
        ),
    ],
)
def test_doi_from_url_hard_cases(url: str, expected: str) -> None:
    assert doi_from_url(url) == expected


# --------------------------------------------------------------------------------------------
# Pairs: merged or kept apart
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    id: str
    note: str
    a: dict[str, Any]
    b: dict[str, Any]
    same: bool


EDITORIAL = {"authors": ["Okonkwo, Adaeze"], "pages": "", "volume": "", "issue": ""}

CASES = [
    # identifiers
    Case(
        "doi-as-encoded-url",
        "the same DOI, once as a percent-encoded link: not a DOI conflict",
        v(doi="http://dx.doi.org/10.1111/jonm.12345%28x%29"),
        v(doi="10.1111/jonm.12345(x)", source=Source.RIS, pages="441-9"),
        True,
    ),
    Case(
        "central-address-is-no-doi",
        "a CENTRAL register address in the DOI field does not veto the article's DOI",
        v(doi="https://www.cochranelibrary.com/central/doi/10.1002/central/CN-01234567/full"),
        v(doi="10.1111/jonm.12345", source=Source.RIS, pages="441-9"),
        True,
    ),
    # the DOI veto
    Case(
        "legacy-and-current-doi",
        "a journal that moved publisher: two DOIs, everything else exactly alike",
        v(doi="10.1006/jnm.2017.0441"),
        v(doi="10.1016/S0966-0429(17)90441-2", source=Source.RIS),
        True,
    ),
    Case(
        "doi-typo",
        "one digit wrong in a DOI, everything else exactly alike",
        v(doi="10.1111/jonm.12345"),
        v(doi="10.1111/jonm.12354", source=Source.RIS),
        True,
    ),
    Case(
        "supplement-doi",
        "one database gives the DOI of the article's supplement: not a different DOI",
        v(doi="10.1371/journal.pone.0123456"),
        v(doi="10.1371/journal.pone.0123456.s001", source=Source.RIS, issue=""),
        True,
    ),
    Case(
        "doi-extended-by-other-text",
        "a DOI that only starts with the other's is another DOI (12345 vs 123456)",
        v(doi="10.1371/journal.pone.012345"),
        v(doi="10.1371/journal.pone.0123456", issue=""),
        False,
    ),
    Case(
        "doi-differs-pages-differ",
        "two DOIs and different pages: two items",
        v(doi="10.1111/jonm.12345"),
        v(doi="10.1111/jonm.12346", pages="450-458"),
        False,
    ),
    Case(
        "doi-differs-author-missing",
        "two DOIs and one author list shorter: not exactly alike, so the DOIs decide",
        v(doi="10.1111/jonm.12345"),
        v(doi="10.1111/jonm.12346", authors=BASE["authors"][:3]),
        False,
    ),
    Case(
        "doi-differs-issue-differs",
        "two DOIs and different issues: two items",
        v(doi="10.1111/jonm.12345"),
        v(doi="10.1111/jonm.12346", issue="7"),
        False,
    ),
    Case(
        "doi-differs-title-edited",
        "two DOIs and a title that differs by a word: the DOIs decide",
        v(doi="10.1111/jonm.12345"),
        v(doi="10.1111/jonm.12346", title=BASE["title"].replace("rural", "remote")),
        False,
    ),
    # numbers in titles
    Case(
        "glued-bracket-number",
        "a gene name with its number in glued brackets, H(mox-1) vs Hmox-1",
        v(title="Induction of H(mox-1) by 15d-PGJ2 protects cardiomyocytes from hypoxia"),
        v(title="Induction of Hmox-1 by 15d-PGJ2 protects cardiomyocytes from hypoxia"),
        True,
    ),
    Case(
        "glued-bracket-ion",
        "an ion written Ca(2+) and Ca2+",
        v(title="Ca(2+) signalling in ventricular myocytes after 12 weeks of training"),
        v(title="Ca2+ signalling in ventricular myocytes after 12 weeks of training"),
        True,
    ),
    Case(
        "bracket-glued-on-the-right",
        "an isotope written (1)H and 1H, a tracer [11C]PIB and 11C-PIB",
        v(title="(1)H spectroscopy and [11C]PIB uptake in 40 nurses with shift work disorder"),
        v(title="1H spectroscopy and 11C-PIB uptake in 40 nurses with shift work disorder"),
        True,
    ),
    Case(
        "code-point-written-out",
        "an export that wrote a Greek letter as <U+03B1>: no number of the title",
        v(title="Serum TNF-<U+03B1> in 40 nurses with shift work disorder"),
        v(title="Serum TNF-\u03b1 in 40 nurses with shift work disorder"),
        True,
    ),
    Case(
        "spaced-bracket-note",
        "a spaced bracketed note is still dropped before numbers are compared",
        v(title="Peer mentoring for newly qualified nurses (2 sites) in rural hospitals"),
        v(title="Peer mentoring for newly qualified nurses in rural hospitals"),
        True,
    ),
    Case(
        "different-interleukins",
        "IL-6 and IL-8: different numbers are different works",
        v(title="IL-6 levels in newly qualified nurses under shift work stress"),
        v(title="IL-8 levels in newly qualified nurses under shift work stress"),
        False,
    ),
    # recurring section titles
    Case(
        "editors-comments-other-volume",
        "'Editor's comments' of one journal in two volumes",
        v(title="Editor's comments", **{**EDITORIAL, "volume": "25"}),
        v(title="Editor's Comments", **{**EDITORIAL, "volume": "26"}),
        False,
    ),
    Case(
        "editors-notes-nothing-but-journal",
        "'Editor's notes', same journal and year, no volume, issue or pages: journal alone "
        "is not enough",
        v(title="Editor's notes", **EDITORIAL),
        v(title="Editor's notes", **EDITORIAL, source=Source.RIS),
        False,
    ),
    Case(
        "chairs-message-other-year",
        "'Chair's message' in two years of one journal",
        v(title="Chair's message", **EDITORIAL),
        v(title="Chair's message", **EDITORIAL, year=2018),
        False,
    ),
    Case(
        "book-reviews-other-issue",
        "'Book reviews' in two issues of one volume",
        v(title="Book reviews", **{**EDITORIAL, "volume": "25", "issue": "2"}),
        v(title="Book reviews", **{**EDITORIAL, "volume": "25", "issue": "3"}),
        False,
    ),
    Case(
        "reply-other-year",
        "'Reply' by the same author in the same journal a year later",
        v(title="Reply", **EDITORIAL),
        v(title="Reply", **EDITORIAL, year=2018),
        False,
    ),
    Case(
        "erratum-other-volume",
        "'Erratum' notices of one journal in two volumes",
        v(title="Erratum", **{**EDITORIAL, "volume": "25", "pages": "12"}),
        v(title="Erratum", **{**EDITORIAL, "volume": "26", "pages": "12"}),
        False,
    ),
    Case(
        "editors-comments-one-issue",
        "'Editor's comments' from two databases, same year, volume, issue and page: one item",
        v(title="Editor's comments", **{**EDITORIAL, "volume": "25", "issue": "6", "pages": "401"}),
        v(
            title="Editors' comments",
            **{**EDITORIAL, "volume": "25", "issue": "6", "pages": "401"},
            source=Source.RIS,
        ),
        True,
    ),
    Case(
        "numbered-section-other-issue",
        "'Book reviews 3' and 'Book reviews 3' of one journal in two issues: a section number "
        "does not make the title specific",
        v(title="Book reviews 3", **{**EDITORIAL, "volume": "25", "issue": "2"}),
        v(title="Book reviews 3", **{**EDITORIAL, "volume": "25", "issue": "4"}),
        False,
    ),
    Case(
        "issue-information-nothing-but-journal",
        "'Issue information' pages of one journal and year, no volume: not one item",
        v(title="Issue information", **EDITORIAL),
        v(title="Issue Information", **EDITORIAL, source=Source.RIS),
        False,
    ),
    # same locator, different paper
    Case(
        "same-locator-different-title",
        "same authors, journal, volume and first page, clearly different English titles: an "
        "indexing error, two papers",
        v(),
        v(title="Burnout among ward managers during hospital mergers: a cohort study"),
        False,
    ),
]


def _together(case: Case) -> tuple[bool, Any]:
    result = deduplicate([rec("rec-a", **case.a), rec("rec-b", **case.b)])
    return result.group_of["rec-a"] == result.group_of["rec-b"], result


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_unseen_class(case: Case) -> None:
    together, result = _together(case)
    assert together == case.same, f"{case.id}: {case.note}; audit: {result.audit}"


# --------------------------------------------------------------------------------------------
# Reports of one study: two records (two groups), one study
# --------------------------------------------------------------------------------------------
STUDY_CASES = [
    (
        "conference-abstract-then-article",
        "a conference abstract ('Conference:' in the journal field) and the article a year "
        "later in the same journal",
        v(
            journal="Journal of Nursing Management.Conference: 12th International Nursing "
            "Leadership Congress",
            year=2016,
            volume="24",
            issue="",
            pages="",
        ),
        v(),
    ),
    (
        "abstract-in-two-supplements",
        "one abstract printed in the supplements of two meetings",
        v(journal="International Journal of Nursing Studies", volume="60", issue="Suppl 1",
          pages="S12"),
        v(journal="Nurse Education Today", volume="44", issue="Suppl 2", pages="S88"),
    ),
    (
        "demo-abstract-and-paper",
        "a demo abstract and the full paper in one proceedings volume",
        v(title="Demo: " + BASE["title"], journal="Proceedings of the Nursing Informatics "
          "Conference", volume="", issue="", pages=""),
        v(journal="Proceedings of the Nursing Informatics Conference", volume="", issue="",
          pages=""),
    ),
    (
        "technical-report-and-revision",
        "a technical report and its revision a year later",
        v(journal="Centre for Workforce Studies Technical Report", volume="17", issue="",
          pages="", publication_type=["Report"]),
        v(journal="Centre for Workforce Studies Technical Report", volume="17", issue="",
          pages="", publication_type=["Report"], year=2018),
    ),
]  # fmt: skip


@pytest.mark.parametrize(("a", "b"), [c[2:] for c in STUDY_CASES], ids=[c[0] for c in STUDY_CASES])
def test_reports_of_one_study_are_two_records(a: dict[str, Any], b: dict[str, Any]) -> None:
    result = deduplicate([rec("rec-a", **a), rec("rec-b", **b)])
    assert result.group_of["rec-a"] != result.group_of["rec-b"], result.audit
    assert result.study_of[result.group_of["rec-a"]] == result.study_of[result.group_of["rec-b"]]


def test_abstract_never_joins_the_article_through_a_copy_without_marker() -> None:
    """The abstract's copy from another database (no conference marker, no pages) must not
    carry the abstract into the article's group."""
    marked = v(journal="Journal of Nursing Management.Conference: 12th Congress", year=2016,
               volume="24", issue="", pages="")  # fmt: skip
    copy = v(journal="Journal of Nursing Management", year=2016, volume="24", issue="",
             pages="")  # fmt: skip
    result = deduplicate([rec("rec-abs", **marked), rec("rec-copy", **copy), rec("rec-art", **v())])
    assert result.group_of["rec-abs"] != result.group_of["rec-art"], result.audit


# --------------------------------------------------------------------------------------------
# People's decisions against each other and against a shared DOI (issue 9, item 4)
# --------------------------------------------------------------------------------------------
def _decision(a: str, b: str, decision: str, line: int) -> PairDecision:
    return PairDecision(a, b, decision, "AB", "", f"config/dedup/decisions.csv:{line}")


def _three() -> list[Record]:
    """b and c share a DOI; a is the same article from a database without DOIs."""
    return [
        rec("rec-a", **v(source=Source.RIS)),
        rec("rec-b", **v(doi="10.1111/jonm.12345")),
        rec("rec-c", **v(doi="10.1111/jonm.12345", source=Source.CSV, pages="441-9")),
    ]


def test_decisions_contradicting_a_shared_doi_are_reported_not_applied() -> None:
    records = _three()
    auto = deduplicate(records)
    people = [_decision("rec-a", "rec-b", "different", 2), _decision("rec-a", "rec-c", "same", 3)]
    result = deduplicate(records, decisions=people)
    assert result.group_of["rec-b"] == result.group_of["rec-c"], "a shared DOI is not split"
    assert result.group_of == auto.group_of, "contradicting decisions reshape no group"
    reported = {(d.record_id_a, d.record_id_b): m for d, m in result.contradicting}
    assert set(reported) == {("rec-a", "rec-b"), ("rec-a", "rec-c")}
    message = reported[("rec-a", "rec-b")]
    assert "10.1111/jonm.12345" in message and "rec-b" in message and "rec-c" in message
    assert "decisions.csv:3" in message and "Change or remove" in message
    notes = {(r["record_id_a"], r["record_id_b"]): r["note"] for r in result.audit}
    assert "NOT applied" in notes[("rec-a", "rec-c")]


def test_decisions_contradicting_each_other_are_reported() -> None:
    records = [
        rec("rec-a", **v()),
        rec("rec-b", **v(pages="500-509")),
        rec("rec-c", **v(pages="600-609")),
    ]
    people = [
        _decision("rec-a", "rec-b", "same", 2),
        _decision("rec-b", "rec-c", "same", 3),
        _decision("rec-a", "rec-c", "different", 4),
    ]
    result = deduplicate(records, decisions=people)
    assert len(result.contradicting) == 3
    assert len(set(result.group_of.values())) == len(set(deduplicate(records).group_of.values()))


def test_a_different_for_the_doi_pair_itself_is_applied() -> None:
    """A person who says two records with one DOI are different items is followed: that is
    not silent, and it is the only way to undo a wrong DOI."""
    records = _three()
    result = deduplicate(records, decisions=[_decision("rec-b", "rec-c", "different", 2)])
    assert result.group_of["rec-b"] != result.group_of["rec-c"]
    assert not result.contradicting


def test_a_record_against_a_group_is_one_row_on_the_review_sheet() -> None:
    """A record close to a group of three (but not linked) is asked about once, not once per
    member of the group; after a person's decision on one member it is not asked again."""
    group = [rec(f"rec-g{k}", **v(doi="10.1111/jonm.12345", pages=p, source=s))
             for k, (p, s) in enumerate([("441-449", Source.PUBMED), ("441-9", Source.RIS),
                                         ("441", Source.CSV)])]  # fmt: skip
    lookalike = rec(
        "rec-x", **v(title=BASE["title"].replace("mixed-methods study", "qualitative study"),
                     volume="", issue="", pages="")
    )  # fmt: skip
    result = deduplicate([*group, lookalike])
    rows = [r for r in result.review if "rec-x" in (r["record_id_a"], r["record_id_b"])]
    assert len(rows) == 1, result.review
    other = rows[0]["record_id_a"] if rows[0]["record_id_b"] == "rec-x" else rows[0]["record_id_b"]
    decided = deduplicate(
        [*group, lookalike], decisions=[_decision(other, "rec-x", "different", 2)]
    )
    assert not [r for r in decided.review if "rec-x" in (r["record_id_a"], r["record_id_b"])]


def test_cli_says_contradicting_decisions_were_not_applied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """End to end: a decisions file with the contradiction; the command line and the log say
    which decisions were not applied, naming both records and the shared DOI."""
    records = tmp_path / "records.csv"
    write_table(records, [record_to_row(r) for r in _three()], "record")
    decisions = tmp_path / "decisions.csv"
    decisions.write_text(
        "record_id_a,record_id_b,decision,reviewer,note\n"
        "rec-a,rec-b,different,AB,\n"
        "rec-a,rec-c,same,AB,\n",
        encoding="utf-8",
    )
    with caplog.at_level(logging.WARNING):
        code = main(
            ["dedup", str(records), "--output", str(tmp_path / "g.csv"),
             "--decisions", str(decisions)]
        )  # fmt: skip
    assert code == 0
    assert "2 contradicting decision(s) NOT applied" in capsys.readouterr().out
    assert "rec-c / rec-b have the same DOI 10.1111/jonm.12345" in caplog.text
    assert f"rec-a / rec-b 'different' ({decisions}, line 2)" in caplog.text
    assert f"rec-a / rec-c 'same' ({decisions}, line 3)" in caplog.text
