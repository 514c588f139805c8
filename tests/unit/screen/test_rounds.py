"""Rounds: limits, assignment, status, planning the next batch, export, progress."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from realist_review.config import Limits
from realist_review.errors import InputError
from realist_review.screen.decisions import LogEntry, read_decision_log, read_plans
from realist_review.screen.inputs import ScreenRecord, load_records, record_index
from realist_review.screen.planning import assign_reviewers
from realist_review.screen.progress import StoppingEstimate
from realist_review.screen.settings import (
    DecidedBy,
    Decision,
    RoundKind,
    ScreeningSettings,
    Status,
)
from realist_review.screen.sheets import PlanRow, read_sheet
from realist_review.screen.status import ineligibility, screening_status
from realist_review.tables import read_table

from .conftest import ReviewDirs, by_truth, fill_like_a_person

LIMITS = Limits(year_from=2000, year_to=2020, languages=("en", "fre"), publication_types=())

LIMIT_CASES = [
    pytest.param(ScreenRecord("r", year="1999"), "year 1999 is before", id="too-old"),
    pytest.param(ScreenRecord("r", year="2021"), "year 2021 is after", id="too-new"),
    pytest.param(ScreenRecord("r", year="2000"), "", id="first-year-is-in"),
    pytest.param(ScreenRecord("r", year=""), "", id="no-year-is-kept"),
    pytest.param(ScreenRecord("r", language="eng"), "", id="iso-639-2-matches-639-1"),
    pytest.param(ScreenRecord("r", language="English"), "", id="language-name"),
    pytest.param(ScreenRecord("r", language="fr"), "", id="639-1-matches-639-2"),
    pytest.param(ScreenRecord("r", language="ger"), "language 'ger' is not in", id="german-out"),
    pytest.param(ScreenRecord("r", language="ger; eng"), "", id="one-allowed-language-is-enough"),
    pytest.param(ScreenRecord("r", language="Klingon"), "", id="unknown-language-kept"),
    pytest.param(ScreenRecord("r", language=""), "", id="no-language-kept"),
]


@pytest.mark.parametrize(("record", "why"), LIMIT_CASES)
def test_limits(record: ScreenRecord, why: str) -> None:
    got = ineligibility(record, LIMITS)
    assert (why in got and bool(got)) if why else got == ""


@pytest.mark.parametrize(
    ("types", "why"),
    [
        pytest.param(("Journal Article", "Review"), "", id="one-allowed-type-is-enough"),
        pytest.param(("journal article",), "", id="any-case"),
        pytest.param(("Comment",), "publication type 'Comment' is not in", id="comment-out"),
        pytest.param((), "", id="no-type-kept"),
    ],
)
def test_publication_type_limits(types: tuple[str, ...], why: str) -> None:
    limits = Limits(publication_types=("Journal Article", "Report"))
    got = ineligibility(ScreenRecord("r", publication_type=types), limits)
    assert (why in got) if why else got == ""


@given(
    team_size=st.integers(2, 6),
    per_record=st.integers(1, 3),
    n=st.integers(0, 80),
    seed=st.integers(0, 1000),
)
def test_assignment_is_balanced_and_complete(
    team_size: int, per_record: int, n: int, seed: int
) -> None:
    per_record = min(per_record, team_size)
    team = [f"p{i}" for i in range(team_size)]
    ids = [f"rec-{i:012x}" for i in range(n)]
    plan = assign_reviewers(
        ids, team=team, per_record=per_record, round_=1, kind=RoundKind.RANKED, seed=seed
    )
    by_record: dict[str, list[str]] = {}
    for row in plan:
        by_record.setdefault(row.record_id, []).append(row.reviewer)
    assert list(by_record) == ids
    assert all(len(set(v)) == len(v) == per_record for v in by_record.values())
    load = Counter(row.reviewer for row in plan)
    loads = [load[p] for p in team]
    assert max(loads) - min(loads) <= 1
    again = assign_reviewers(
        ids,
        team=list(reversed(team)),
        per_record=per_record,
        round_=1,
        kind=RoundKind.RANKED,
        seed=seed,
    )
    assert again == plan  # deterministic, whatever order the team is listed in


def _entry(record: str, reviewer: str, decision: str, **kw: Any) -> LogEntry:
    return LogEntry(
        record_id=record,
        reviewer=reviewer,
        round=int(kw.get("round", 1)),
        decision=Decision(decision),
        reason=str(kw.get("reason", "")),
        note="",
        timestamp="",
        source_file="x",
        source_sha256="0" * 64,
        kind=RoundKind(kw.get("kind", "ranked")),
        version=1,
        source_row=2,
    )


STATUS_CASES = [
    pytest.param(
        [("alice", "include"), ("bob", "include")],
        Status.INCLUDED,
        "",
        DecidedBy.HUMAN,
        id="both-include",
    ),
    pytest.param(
        [("alice", "include"), ("bob", "maybe")],
        Status.MAYBE,
        "",
        DecidedBy.HUMAN,
        id="include-and-maybe-go-on-as-maybe",
    ),
    pytest.param(
        [("alice", "exclude", "E2"), ("bob", "exclude", "E1")],
        Status.EXCLUDED,
        "E1; E2",
        DecidedBy.HUMAN,
        id="both-exclude-reasons-joined",
    ),
    pytest.param(
        [("alice", "include"), ("bob", "exclude", "E1")],
        Status.CONFLICT,
        "alice: include; bob: exclude (E1)",
        DecidedBy.NONE,
        id="conflict",
    ),
    pytest.param(
        [("alice", "include"), ("bob", "exclude"), ("dana", "exclude", "E3", "resolve")],
        Status.EXCLUDED,
        "E3",
        DecidedBy.CONSENSUS,
        id="resolved-by-a-third-reviewer",
    ),
    pytest.param(
        [("alice", "include")],
        Status.UNSCREENED,
        "waiting for bob",
        DecidedBy.NONE,
        id="waiting-for-the-second-reviewer",
    ),
]


@pytest.mark.parametrize(("decisions", "status", "reason", "by"), STATUS_CASES)
def test_status_of_a_screened_record(
    settings: ScreeningSettings,
    decisions: Sequence[tuple[str, ...]],
    status: Status,
    reason: str,
    by: DecidedBy,
) -> None:
    records = [ScreenRecord("rec-1", year="2010"), ScreenRecord("rec-2", year="2010")]
    plans = {
        1: (
            PlanRow(1, "rec-1", "alice", RoundKind.RANKED, 1),
            PlanRow(1, "rec-1", "bob", RoundKind.RANKED, 1),
        )
    }
    entries = []
    for who, decision, *rest in decisions:
        kind = "conflict_resolution" if rest[1:] == ["resolve"] else "ranked"
        entries.append(_entry("rec-1", who, decision, reason=rest[0] if rest else "", kind=kind))
    state = screening_status(
        records, plans=plans, entries=entries, settings=settings, limits=Limits()
    )
    row = state.by_id()["rec-1"]
    assert (row.status, row.reason, row.round, row.decided_by) == (status, reason, 1, by)
    assert state.by_id()["rec-2"].status is Status.UNSCREENED
    assert state.by_id()["rec-2"].round is None


def test_status_of_unscreened_and_ineligible_records(settings: ScreeningSettings) -> None:
    records = [ScreenRecord("old", year="1990"), ScreenRecord("new", year="2010")]
    limits = Limits(year_from=2000)
    state = screening_status(records, plans={}, entries=[], settings=settings, limits=limits)
    old, new = state.by_id()["old"], state.by_id()["new"]
    assert (old.status, old.decided_by) == (Status.INELIGIBLE_AUTOMATION, DecidedBy.AUTOMATION)
    assert "before limits.year_from (2000)" in old.reason
    assert new.status is Status.UNSCREENED and state.eligible == ("new",)
    stopped = ScreeningSettings(team=settings.team, stop=True)
    state = screening_status(records, plans={}, entries=[], settings=stopped, limits=limits)
    new = state.by_id()["new"]
    assert (new.status, new.decided_by) == (Status.EXCLUDED_AUTOMATION, DecidedBy.AUTOMATION)
    assert state.by_id()["old"].status is Status.INELIGIBLE_AUTOMATION


# --------------------------------------------------------------------------------------------
# Whole rounds through the files
# --------------------------------------------------------------------------------------------
def test_rounds_from_random_start_to_ranked(
    review: ReviewDirs, truth: dict[str, bool], settings: ScreeningSettings
) -> None:
    first = review.export()
    assert (first.action, first.round, first.kind) == ("new", 1, RoundKind.RANDOM_START)
    assert sorted(p.name for p in first.sheets) == [
        "alice.csv",
        "alice.xlsx",
        "bob.csv",
        "bob.xlsx",
        "carol.csv",
        "carol.xlsx",
    ]
    plan = review.plan(1)
    assert len({row["record_id"] for row in plan}) == 12
    assert Counter(row["reviewer"] for row in plan) == {"alice": 8, "bob": 8, "carol": 8}
    about = json.loads((review.sheets / "round-01" / "round.json").read_text())
    assert about["seed"] == "7" and about["kind"] == "random_start"
    review.return_round(1, by_truth(truth))
    second = review.export()
    assert (second.action, second.round, second.kind) == ("new", 2, RoundKind.RANKED)
    round_two = {row["record_id"] for row in review.plan(2)}
    assert not round_two & {row["record_id"] for row in plan}  # never handed out twice
    assert sum(truth[r] for r in round_two) >= 9  # the ranking puts the includes first
    assert json.loads((review.sheets / "round-02" / "round.json").read_text())["model"].endswith(
        "tfidf_logistic_ranker_for_tests"
    )


def test_no_include_yet_means_another_random_round(review: ReviewDirs) -> None:
    review.export()
    review.return_round(1, lambda v: ("exclude", "E1", ""))
    assert review.export().kind is RoundKind.RANDOM_START


def test_a_random_sample_round(review: ReviewDirs, truth: dict[str, bool]) -> None:
    review.export()
    review.return_round(1, by_truth(truth))
    result = review.export(random_sample_size=20)
    assert (result.round, result.kind) == (2, RoundKind.RANDOM_SAMPLE)
    assert len({row["record_id"] for row in review.plan(2)}) == 20  # more than a batch
    sheet = load_workbook(review.exported(2, "alice"))
    assert "RANDOM SAMPLE" in str(sheet["Instructions"]["A3"].value)
    review.return_round(2, by_truth(truth))
    review.import_()
    entries = read_decision_log(review.log_path)
    assert {e.kind for e in entries if e.round == 2} == {RoundKind.RANDOM_SAMPLE}


def test_an_open_round_is_written_again_not_a_new_one(
    review: ReviewDirs, truth: dict[str, bool]
) -> None:
    review.export()
    original = {p.name: p.read_bytes() for p in (review.sheets / "round-01").iterdir()}
    fill_like_a_person(
        review.exported(1, "alice"), review.returned(1, "alice.xlsx"), by_truth(truth)
    )
    shutil.rmtree(review.sheets)
    result = review.export()
    assert (result.action, result.round) == ("open", 1)
    assert result.waiting_for == {"bob": 8, "carol": 8}
    assert "waiting for bob (8 records) and carol (8 records)" in result.message
    again = {p.name: p.read_bytes() for p in (review.sheets / "round-01").iterdir()}
    assert again == original  # the frozen plan gives the same sheets, byte for byte


@pytest.mark.slow
def test_stop_and_done(review: ReviewDirs, truth: dict[str, bool]) -> None:
    review.export()
    review.return_round(1, by_truth(truth))
    review.screening["stop"] = True
    # after one round the rule's target is far off: stopping needs the team's reason
    for attempt in (review.export, review.status):
        with pytest.raises(InputError) as info:
            attempt()
        message = str(info.value)
        assert "screening.stop is true, but the stopping rule's target" in message
        assert re.search(r"after round 1, recall is at least [0-9.]+% with 95% confidence", message)
        assert "screening.stop_reason" in message
    review.screening["stop_reason"] = "the funder's deadline"
    result = review.export()
    assert result.action == "stopped" and not result.sheets
    assert "stopped by the team before the stopping rule's target" in result.message
    state = review.status()
    counts = Counter(row.status for row in state.status)
    assert counts[Status.EXCLUDED_AUTOMATION] == 48
    assert counts[Status.UNSCREENED] == 0
    reasons = {row.reason for row in state.status if row.status is Status.EXCLUDED_AUTOMATION}
    (reason,) = reasons
    assert reason.startswith("not screened: stopped by the team before the stopping rule's ")
    assert reason.endswith(": the funder's deadline")
    progress = read_table(review.out / "progress.csv", "screen_progress")
    assert progress[-1]["stopped"] == "before_target"
    bound = float(progress[-1]["estimated_recall"])
    assert bound < 0.95
    assert f"recall is at least {bound:.1%}"[:-3] in progress[-1]["note"]
    assert progress[-1]["note"].startswith(
        "stopped by the team before the stopping rule's target (recall at least 95% with 95% "
        "confidence) after round 1, when recall is at least"
    )
    del review.screening["stop_reason"]
    review.screening["stop"] = False
    review.screening["batch_size"] = 100
    assert review.export().round == 2
    review.return_round(2, by_truth(truth))
    assert review.export().action == "done"


@pytest.mark.slow
def test_conflicts_go_to_the_resolver_and_become_consensus(
    review: ReviewDirs, truth: dict[str, bool]
) -> None:
    review.export()
    plan = review.plan(1)
    flipped = frozenset({plan[0]["record_id"], plan[2]["record_id"]})
    for reviewer in review.reviewers(1):
        fill_like_a_person(
            review.exported(1, reviewer),
            review.returned(1, f"{reviewer}.xlsx"),
            by_truth(truth, flipped if reviewer == plan[0]["reviewer"] else frozenset()),
        )
    result = review.export()
    conflict_xlsx = review.sheets / "round-01" / "conflicts" / "dana.xlsx"
    assert conflict_xlsx in result.conflict_sheets
    shown = read_sheet(conflict_xlsx)
    assert {r.get("record_id") for r in shown.rows} <= flipped
    assert all(r.get("decisions_so_far").count(":") == 2 for r in shown.rows)
    state = review.status()
    conflicts = [r for r in state.status if r.status is Status.CONFLICT]
    assert {r.record_id for r in conflicts} == {r.get("record_id") for r in shown.rows}
    resolved = review.screening_dir / "round-01" / "conflicts" / "dana.xlsx"
    fill_like_a_person(conflict_xlsx, resolved, by_truth(truth))
    state = review.status()
    for row in conflicts:
        settled = state.by_id()[row.record_id]
        assert settled.decided_by is DecidedBy.CONSENSUS
        assert settled.status is (Status.INCLUDED if truth[row.record_id] else Status.EXCLUDED)
    agreement = read_table(review.out / "agreement.csv", "agreement")
    pooled = agreement[0]
    assert pooled["records"] == "12"
    assert float(pooled["raw_agreement"]) == pytest.approx(1 - len(conflicts) / 12, abs=1e-4)
    # the next export has no conflict sheets left
    assert review.export().conflict_sheets == ()


def test_status_and_progress_tables(review: ReviewDirs, truth: dict[str, bool]) -> None:
    review.limits = {"year_from": 2008}
    review.export()
    review.return_round(1, by_truth(truth))
    review.export()
    review.return_round(2, by_truth(truth))
    calls: list[dict[str, Any]] = []

    def estimator(
        labels: Sequence[int],
        *,
        n_total: int,
        random_from: int | None,
        target: float,
        confidence: float,
    ) -> StoppingEstimate:
        calls.append({"labels": list(labels), "n_total": n_total, "random_from": random_from})
        found = sum(labels)
        # includes expected among the unscreened at the rate of the last 12 screened
        rate = sum(labels[-12:]) / 12
        recall = found / (found + rate * (n_total - len(labels)))
        return StoppingEstimate(recall, None, recall >= target, "test estimator")

    state = review.status(estimator=estimator)
    status = read_table(review.out / "status.csv", "screen_status")
    assert [r["record_id"] for r in status] == sorted(r["record_id"] for r in status)
    counts = Counter(r["status"] for r in status)
    assert counts["ineligible_automation"] == 60 - len(state.eligible) > 0
    assert counts["included"] + counts["excluded"] == 24
    progress = read_table(review.out / "progress.csv", "screen_progress")
    assert [(p["round"], p["kind"], p["assigned"], p["screened"]) for p in progress] == [
        ("1", "random_start", "12", "12"),
        ("2", "ranked", "12", "24"),
    ]
    includes = [int(p["includes"]) for p in progress]
    assert includes[1] > includes[0]
    assert int(progress[1]["remaining"]) == len(state.eligible) - 24
    assert [len(c["labels"]) for c in calls] == [12, 24]
    assert calls[1]["labels"][:12] == calls[0]["labels"]  # screening order is kept
    assert calls[1]["n_total"] == len(state.eligible) and calls[1]["random_from"] is None
    assert progress[1]["note"] == "test estimator"
    assert progress[1]["estimated_recall"] != "" and progress[1]["target_reached"] in ("yes", "no")
    review.status(estimator=None)
    progress = read_table(review.out / "progress.csv", "screen_progress")
    assert progress[0]["estimated_recall"] == "" and "not computed" in progress[0]["note"]
    review.status()  # by default, the buscar stopping rule of realist_review.screen.stopping
    progress = read_table(review.out / "progress.csv", "screen_progress")
    assert progress[1]["p_value"] != ""
    assert re.search(r"recall is at least [0-9.]+% with 95% confidence \(p = ", progress[1]["note"])


def test_export_is_deterministic(
    tmp_path: Path, review: ReviewDirs, truth: dict[str, bool]
) -> None:
    review.export()
    review.return_round(1, by_truth(truth))
    copy = ReviewDirs(
        root=tmp_path / "copy",
        records=review.records,
        screening=review.screening,
        ranker=review.ranker,
    )
    shutil.copytree(review.screening_dir, copy.screening_dir)  # the same human input
    for each in (review, copy):
        shutil.rmtree(each.out, ignore_errors=True)
        each.export()
        each.status()
    files = sorted(p.relative_to(review.out) for p in review.out.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(copy.out) for p in copy.out.rglob("*") if p.is_file())
    assert Path("sheets/round-02/alice.xlsx") in files
    for name in files:
        assert (review.out / name).read_bytes() == (copy.out / name).read_bytes(), name


def test_a_ranker_that_skips_records_is_an_error(
    review: ReviewDirs, truth: dict[str, bool]
) -> None:
    review.export()
    review.return_round(1, by_truth(truth))
    review.ranker = lambda texts, labels, **kw: [i for i, lab in enumerate(labels) if lab is None][
        1:
    ]
    with pytest.raises(RuntimeError, match="ranked 47 of the 48 records"):
        review.export()
    review.ranker = lambda texts, labels, **kw: [0, 0]
    with pytest.raises(RuntimeError, match="repeated or not unlabelled"):
        review.export()


def test_ranked_rounds_use_the_product_model_by_default(
    review: ReviewDirs, truth: dict[str, bool]
) -> None:
    from realist_review.screen.planning import load_ranker, rank_with_model

    assert load_ranker() is rank_with_model
    review.export()
    review.return_round(1, by_truth(truth))
    review.ranker = None  # the real model, not the test stand-in
    result = review.export()
    assert (result.action, result.round, str(result.kind)) == ("new", 2, "ranked")
    about = json.loads((review.sheets / "round-02" / "round.json").read_text(encoding="utf-8"))
    assert about["model"].endswith("rank_with_model")


def test_load_records_reads_members(tmp_path: Path) -> None:
    from realist_review.records import RECORD_COLUMNS
    from realist_review.tables import write_table

    row = dict.fromkeys(RECORD_COLUMNS, "")
    row.update(
        record_id="rec-000000000001",
        source="ris",
        source_id="1",
        origin="s:1",
        title="T",
        members="rec-000000000001; rec-000000000009",
        publication_type="A; B",
        study_id="rec-000000000001",
        provenance="{}",
    )
    write_table(tmp_path / "m.csv", [row], "merged_record")
    (record,) = load_records(tmp_path / "m.csv")
    assert record.members == ("rec-000000000001", "rec-000000000009")
    assert record.publication_type == ("A", "B")
    assert record_index([record]).current_id("rec-000000000009") == "rec-000000000001"


def test_plans_round_trip(review: ReviewDirs) -> None:
    review.export()
    fill_like_a_person(
        review.exported(1, "alice"), review.returned(1, "alice.xlsx"), lambda v: ("maybe", "", "")
    )
    review.import_()
    plans = read_plans(review.out / "plans.csv")
    assert list(plans) == [1] and len(plans[1]) == 24
    assert (review.out / "plans.csv").read_bytes() == (
        review.sheets / "round-01" / "plan.csv"
    ).read_bytes()
    state = review.status()
    assert state.waiting[1].keys() == {"bob", "carol"}


def test_exports_replace_stale_sheets_and_never_write_into_config(
    review: ReviewDirs, truth: dict[str, bool]
) -> None:
    review.export()
    stale = review.sheets / "round-01" / "erin.xlsx"
    stale.write_bytes(b"left over from a team that had erin")
    old_conflict = review.sheets / "round-01" / "conflicts" / "dana.xlsx"
    old_conflict.parent.mkdir()
    old_conflict.write_bytes(b"a conflict resolved long ago")
    review.export()
    assert not stale.exists() and not old_conflict.exists()
    assert review.exported(1, "alice").exists()
    review.return_round(1, by_truth(truth))
    review.import_(update_sums=True)
    from realist_review.screen.export import export_screening_sheets

    with pytest.raises(InputError, match="looks like the folder of returned sheets"):
        export_screening_sheets(
            records=review.records,
            log_path=review.log_path,
            plans_path=review.out / "plans.csv",
            screening=review.screening,
            limits={},
            out_dir=review.screening_dir,
            ranker=review.ranker,
        )


def test_an_open_round_after_a_merge_still_shows_the_record(
    review: ReviewDirs, truth: dict[str, bool]
) -> None:
    from realist_review.tables import write_table

    from .conftest import record_rows

    review.export()
    fill_like_a_person(
        review.exported(1, "alice"), review.returned(1, "alice.xlsx"), by_truth(truth)
    )
    bob_ids = [r["record_id"] for r in review.plan(1) if r["reviewer"] == "bob"]
    rows = record_rows()
    handed_out = {r["record_id"] for r in review.plan(1)}
    absorbed = bob_ids[0]
    group = next(r["record_id"] for r in rows if r["record_id"] not in handed_out)
    merged = [
        dict(
            r,
            members=f"{group}; {absorbed}" if r["record_id"] == group else r["record_id"],
            study_id=r["record_id"],
            provenance="{}",
        )
        for r in rows
        if r["record_id"] != absorbed
    ]
    write_table(review.records, merged, "merged_record")
    assert review.export().action == "open"
    shown = {r.get("record_id"): r for r in read_sheet(review.exported(1, "bob")).rows}
    group_title = next(r["title"] for r in rows if r["record_id"] == group)
    assert shown[absorbed].get("title") == group_title
