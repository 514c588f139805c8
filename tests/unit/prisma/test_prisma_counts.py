"""PRISMA counts on scenarios with known answers, and scenarios that must not reconcile."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from prisma_scenario import (
    AWAITING,
    INCLUDED,
    NOT_RETRIEVED,
    Pipeline,
    build,
    excluded,
    typical,
)

from realist_review.prisma.counts import (
    CountsError,
    ReasonCount,
    SourceCount,
    StageState,
    check_counts,
)
from realist_review.prisma.derive import origins_from_records

DB = ("pubmed", "PubMed", "databases", "")
EPMC = ("europepmc", "Europe PMC", "databases", "")
ZOTERO = ("zotero", "Zotero: grey literature", "other_methods", "other")
WEB = ("web", "Charity websites", "other_methods", "websites")


def test_typical_review_known_answers() -> None:
    """Hand-counted: 28 records, 29 hits (PubMed returned one record twice), duplicates across
    databases and between Zotero and PubMed, stopping rule, full text with two reasons."""
    counts = typical().derive()
    assert counts.records_identified == 29
    assert counts.database_results == 21
    assert counts.database_specific_results == (
        SourceCount("PubMed", "databases", 11),
        SourceCount("Europe PMC", "databases", 6),
        SourceCount("OpenAlex", "databases", 4),
    )
    assert counts.register_results == 1
    assert (counts.website_results, counts.organisation_results) == (2, 0)
    assert (counts.citations_results, counts.other_results) == (0, 5)
    assert counts.records_deduplicated == 23
    # databases and registers column
    assert counts.duplicates == 4
    assert counts.excluded_automatic == 1
    assert counts.excluded_other == 0
    assert counts.records_screened == 17
    assert counts.records_excluded == 9
    assert counts.records_excluded_automation == 2
    assert counts.dbr_sought_reports == 6
    assert counts.dbr_notretrieved_reports == 1
    assert counts.dbr_assessed == 5
    assert counts.dbr_excluded == (
        ReasonCount("Not residential children's care", 2),
        ReasonCount("No trauma-informed approach", 1),
    )
    # other methods column: zo00 duplicates a PubMed record, zo01 a website record
    assert counts.other.duplicates == 2
    assert counts.other.excluded_automatic == 1
    assert counts.other.screened == 4
    assert counts.other.excluded_human == 2
    assert counts.other_sought_reports == 2
    assert counts.other_notretrieved_reports == 0
    assert counts.other_assessed == 2
    assert counts.other_excluded == (ReasonCount("No trauma-informed approach", 1),)
    # included: ep00 and ep01 are two reports of one study
    assert (counts.new_reports, counts.new_studies) == (3, 2)
    assert (counts.total_reports, counts.total_studies) == (3, 2)
    assert counts.screening is StageState.STOPPED
    assert counts.fulltext is StageState.COMPLETE
    assert counts.duplicates_total == 29 - 23
    assert any("'pubmed'" in note and "11" in note for note in counts.notes)


def test_zero_records_from_one_source() -> None:
    """A database search that found nothing is still listed, with n = 0."""
    pipeline = build(
        [DB, EPMC], {"a": ["pubmed"], "b": ["pubmed"]}, status={"a": "excluded", "b": "included"}
    )
    counts = pipeline.derive()
    assert counts.database_specific_results == (
        SourceCount("PubMed", "databases", 2),
        SourceCount("Europe PMC", "databases", 0),
    )
    assert counts.database_results == 2
    assert counts.records_screened == 2


def test_single_exclusion_reason() -> None:
    """The PRISMA2020 R package once failed on one reason; we keep it as one (reason, n)."""
    pipeline = build(
        [DB],
        {"a": ["pubmed"], "b": ["pubmed"], "c": ["pubmed"]},
        status=dict.fromkeys("abc", "included"),
        fulltext={"a": excluded("Not a realist design"), "b": excluded("Not a realist design"),
                  "c": INCLUDED},
    )  # fmt: skip
    counts = pipeline.derive()
    assert counts.dbr_excluded == (ReasonCount("Not a realist design", 2),)
    assert counts.dbr_assessed == 3
    assert counts.new_studies == 1


def test_only_other_methods() -> None:
    """No database at all: the databases column is empty, the other-methods column flows."""
    pipeline = build(
        [ZOTERO, WEB],
        {"z1": ["zotero"], "z2": ["zotero"], "w1": ["web"], "w2": ["web", "zotero"]},
        groups={"z1": "w1", "w1": "w1", "z2": "z2", "w2": "w2"},
        status={"w1": "included", "z2": "excluded", "w2": "excluded"},
        fulltext={"w1": INCLUDED},
    )
    counts = pipeline.derive()
    assert counts.database_results == 0
    assert counts.records_screened == 0
    assert not counts.has_registers
    assert counts.has_other_methods
    assert counts.website_results == 2
    assert counts.other_results == 3  # w2 was found by Zotero too: one hit per search
    assert counts.other.duplicates == 5 - 3
    assert counts.other.screened == 3
    assert counts.other.excluded_human == 2
    assert counts.other_sought_reports == 1
    assert counts.new_studies == 1


def test_automation_ineligible_records_are_removed_before_screening() -> None:
    pipeline = build(
        [DB],
        {r: ["pubmed"] for r in "abcde"},
        status={"a": "ineligible_automation", "b": "ineligible_automation", "c": "excluded",
                "d": "included", "e": "excluded"},
    )  # fmt: skip
    counts = pipeline.derive()
    assert counts.excluded_automatic == 2
    assert counts.records_screened == 3
    assert counts.records_excluded == 2
    assert counts.screening is StageState.COMPLETE


def test_stopping_rule_exclusions_are_kept_apart_from_human_exclusions() -> None:
    pipeline = build(
        [DB],
        {r: ["pubmed"] for r in "abcdef"},
        status={"a": "included", "b": "excluded", "c": "excluded",
                "d": "excluded_automation", "e": "excluded_automation",
                "f": "excluded_automation"},
    )  # fmt: skip
    counts = pipeline.derive()
    assert counts.records_excluded == 2
    assert counts.records_excluded_automation == 3
    assert counts.dbr.excluded_screening == 5
    assert counts.records_screened == 6
    assert counts.screening is StageState.STOPPED
    assert not counts.screening_in_progress


@pytest.mark.parametrize(
    ("statuses", "state", "note"),
    [
        ({"a": "unscreened", "b": "unscreened"}, StageState.NOT_STARTED, "nothing decided"),
        ({"a": "excluded", "b": "unscreened"}, StageState.IN_PROGRESS, "one still to screen"),
        ({"a": "excluded", "b": "conflict"}, StageState.IN_PROGRESS, "a conflict is pending"),
        ({"a": "excluded_automation", "b": "conflict"}, StageState.IN_PROGRESS,
         "stopped, but a conflict still waits for the third reviewer"),
        ({"a": "excluded", "b": "maybe"}, StageState.COMPLETE, "maybe goes on to full text"),
    ],
)  # fmt: skip
def test_screening_state(statuses: dict[str, str], state: StageState, note: str) -> None:
    counts = build([DB], {"a": ["pubmed"], "b": ["pubmed"]}, status=statuses).derive()
    assert counts.screening is state, note


def test_no_status_table_means_screening_not_started() -> None:
    counts = build([DB], {"a": ["pubmed"], "b": ["pubmed"]}).derive()
    assert counts.screening is StageState.NOT_STARTED
    assert counts.dbr.unscreened == 2
    assert counts.fulltext is StageState.NOT_STARTED
    assert counts.dbr_assessed is None
    assert counts.new_studies is None and counts.total_studies is None


def test_fulltext_in_progress() -> None:
    pipeline = build(
        [DB],
        {r: ["pubmed"] for r in "abcd"},
        status=dict.fromkeys("abcd", "included"),
        fulltext={"a": INCLUDED, "b": NOT_RETRIEVED, "c": AWAITING},
    )
    counts = pipeline.derive()
    assert counts.dbr_sought_reports == 4
    assert counts.dbr_notretrieved_reports == 1
    assert counts.dbr_assessed == 1
    assert counts.dbr.awaiting_fulltext == 2  # c has an empty row, d has none
    assert counts.fulltext is StageState.IN_PROGRESS


def test_previous_version_of_the_review() -> None:
    pipeline = build([DB], {"a": ["pubmed"]}, status={"a": "included"}, fulltext={"a": INCLUDED})
    counts = pipeline.derive(previous_studies=4, previous_reports=6)
    assert (counts.total_studies, counts.total_reports) == (5, 7)


def test_superseded_searches_are_ignored() -> None:
    pipeline = build([DB], {"a": ["pubmed"]}, status={"a": "excluded"})
    old = {**pipeline.search_log[0], "records_retrieved": "40", "status": "superseded"}
    pipeline.search_log.insert(0, old)
    assert pipeline.derive().database_results == 1


def test_origins_from_records() -> None:
    rows = [
        {"record_id": "rec-1", "origin": "pubmed-main:123; pubmed-update:123"},
        {"record_id": "rec-2", "origin": "ris-assia:file.ris#2"},
    ]
    assert origins_from_records(rows) == {
        "rec-1": ("pubmed-main", "pubmed-update"),
        "rec-2": ("ris-assia",),
    }


# --------------------------------------------------------------------------------------------
# Tables that cannot reconcile: the error names the numbers
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("case", "make", "expected", "note"),
    [
        (
            "log_behind_table",
            lambda: build([DB], {"a": ["pubmed"], "b": ["pubmed"], "c": ["pubmed"]},
                          retrieved={"pubmed": 2}),
            ["'pubmed'", "2 records", "3 records"],
            "the search log says 2 hits but 3 records come from the search",
        ),
        (
            "group_missing",
            lambda: _drop(build([DB], {"a": ["pubmed"], "b": ["pubmed"]}), "groups"),
            ["2 records", "list 1"],
            "a record of the record table has no dedup group",
        ),
        (
            "status_missing",
            lambda: _drop(build([DB], {"a": ["pubmed"], "b": ["pubmed"]},
                                status={"a": "excluded", "b": "excluded"}), "status"),
            ["2 records", "lists 1"],
            "a deduplicated record has no screening status",
        ),
        (
            "unknown_search",
            lambda: build([DB], {"a": ["pubmed"], "b": ["embase"]}),
            ["'b'", "'embase'"],
            "a record names a search the log does not have",
        ),
        (
            "status_for_unknown_group",
            lambda: build([DB], {"a": ["pubmed"], "b": ["pubmed"]}, groups={"a": "a", "b": "a"},
                          status={"a": "excluded", "b": "excluded"}),
            ["'b'", "dedup group"],
            "the status table still lists a record that deduplication merged away",
        ),
        (
            "fulltext_for_excluded",
            lambda: build([DB], {"a": ["pubmed"]}, status={"a": "excluded"},
                          fulltext={"a": INCLUDED}),
            ["'a'", "did not pass"],
            "a full-text row for a record excluded at screening",
        ),
        (
            "group_id_not_a_member",
            lambda: build([DB], {"a": ["pubmed"], "b": ["pubmed"]}, groups={"a": "z", "b": "z"}),
            ["'z'"],
            "group ids must be member record ids",
        ),
        (
            "bad_status",
            lambda: build([DB], {"a": ["pubmed"]}, status={"a": "include"}),
            ["'include'"],
            "a status outside the vocabulary",
        ),
        (
            "excluded_without_reason",
            lambda: build([DB], {"a": ["pubmed"]}, status={"a": "included"},
                          fulltext={"a": ("yes", "yes", "excluded", "")}),
            ["reason"],
            "full-text exclusions need a reason",
        ),
    ],
)  # fmt: skip
def test_tables_that_do_not_reconcile(
    case: str, make: Callable[[], Pipeline], expected: list[str], note: str
) -> None:
    with pytest.raises(CountsError) as info:
        make().derive()
    for text in expected:
        assert text in str(info.value), f"{case}: {note}: {info.value}"


def _drop(pipeline: Pipeline, table: str) -> Pipeline:
    rows = getattr(pipeline, table)
    setattr(pipeline, table, rows[:-1])
    return pipeline


def test_check_counts_names_the_numbers_of_a_broken_equation() -> None:
    counts = typical().derive()
    broken = dataclasses.replace(counts, dbr=dataclasses.replace(counts.dbr, duplicates=5))
    with pytest.raises(CountsError) as info:
        check_counts(broken)
    message = str(info.value)
    assert "records identified (22) != duplicates (5)" in message
    assert "screened (17) = 23" in message
    assert "deduplicated records (23)" in message  # the whole-flow equation breaks too


def test_check_counts_on_full_text() -> None:
    counts = typical().derive()
    broken = dataclasses.replace(counts, other=dataclasses.replace(counts.other, assessed=3))
    with pytest.raises(CountsError, match=r"reports assessed \(3\) != .* = 2"):
        check_counts(broken)


def test_check_counts_rejects_negative_counts() -> None:
    counts = typical().derive()
    broken = dataclasses.replace(counts, dbr=dataclasses.replace(counts.dbr, in_conflict=-1))
    with pytest.raises(CountsError, match="negative count"):
        check_counts(broken)
