"""The simulated demo team: deterministic, realistic disagreements, whole rounds to a stop."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from realist_review.screen.decisions import read_decision_log
from realist_review.screen.settings import RoundKind, Status
from realist_review.screen.sheets import read_sheet
from realist_review.tables import read_table
from tools.demo.team import is_relevant, play_demo, simulate_demo_team

from .conftest import ReviewDirs

DEMO_TEAM = {
    "team": ["reviewer-a", "reviewer-b"],
    "resolvers": ["reviewer-c"],
    "batch_size": 10,
    "seed": 11,
    "criteria": {
        "exclusion": [
            {"code": "E1", "label": "Not residential care"},
            {"code": "E2", "label": "Not trauma-informed"},
        ]
    },
}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("1", True, id="one"),
        pytest.param("0", False, id="zero"),
        pytest.param("True", True, id="true-text"),
        pytest.param(" relevant ", True, id="word"),
        pytest.param("", False, id="empty"),
        pytest.param(1, True, id="int"),
        pytest.param(False, False, id="bool"),
    ],
)
def test_truth_cells(value: object, expected: bool) -> None:
    assert is_relevant(value) is expected


def test_the_team_fills_sheets_deterministically(
    tmp_path: Path, review: ReviewDirs, truth: dict[str, bool]
) -> None:
    review.export()
    first = simulate_demo_team(
        review.sheets, truth, screening_dir=tmp_path / "one", seed=5, error_rate=0.25
    )
    second = simulate_demo_team(
        review.sheets, truth, screening_dir=tmp_path / "two", seed=5, error_rate=0.25
    )
    assert [p.relative_to(tmp_path / "one") for p in first] == [
        p.relative_to(tmp_path / "two") for p in second
    ]
    assert [p.name for p in first] == ["alice.xlsx", "bob.xlsx", "carol.xlsx"]
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes()
    # a sheet already returned is left alone
    assert simulate_demo_team(review.sheets, truth, screening_dir=tmp_path / "one", seed=5) == []
    rows = [row for path in first for row in read_sheet(path).rows]
    wrong = sum((row.get("decision") == "exclude") == truth[row.get("record_id")] for row in rows)
    assert 0 < wrong < len(rows) / 2  # mistakes, but mostly right
    assert read_sheet(first[0]).timestamp == "2025-03-03T09:00:00Z"
    assert all(
        row.get("reason").startswith("E") for row in rows if row.get("decision") == "exclude"
    )


@pytest.mark.slow
def test_a_demo_review_to_the_stop(
    tmp_path: Path, records_csv: Path, truth: dict[str, bool], ranker: Any
) -> None:
    review = ReviewDirs(
        root=tmp_path / "demo", records=records_csv, screening=dict(DEMO_TEAM), ranker=ranker
    )
    written = play_demo(
        records=records_csv,
        truth=truth,
        screening=review.screening,
        limits={},
        screening_dir=review.screening_dir,
        work_dir=tmp_path / "work",
        rounds=3,
        seed=3,
        ranker=ranker,
        random_sample_size=8,
        error_rate=0.15,
    )
    names = {p.relative_to(review.screening_dir).as_posix() for p in written}
    assert {f"round-0{r}/reviewer-{x}.xlsx" for r in (1, 2, 3, 4) for x in "ab"} <= names
    assert any("/conflicts/reviewer-c.xlsx" in name for name in names)
    state = review.status()
    entries = read_decision_log(review.log_path)
    assert [len(state.plans[r]) // 2 for r in (1, 2, 3, 4)] == [10, 10, 10, 8]
    kinds = [state.plans[r][0].kind for r in (1, 2, 3, 4)]
    assert kinds[-1] is RoundKind.RANDOM_SAMPLE and RoundKind.RANKED in kinds
    assert any(e.kind is RoundKind.CONFLICT_RESOLUTION for e in entries)
    counts = Counter(row.status for row in state.status)
    assert counts[Status.CONFLICT] == 0  # every disagreement was resolved
    assert counts[Status.INCLUDED] + counts[Status.MAYBE] > 0
    agreement = read_table(review.out / "agreement.csv", "agreement")
    # one pair screened every round, so its rows are the only ones (no pooled copy of them)
    assert all(r["reviewer_1"] for r in agreement)
    assert len({(r["round"], r["scope"]) for r in agreement}) == len(agreement)
    pooled = [r for r in agreement if r["scope"] == "cumulative"]
    assert pooled[-1]["records"] == "38" and pooled[-1]["kappa"] not in ("", "1.0000")
    # the team stops (an 8-record sample is too small for the rule's target, so the team
    # says why): what was never screened is excluded by automation
    review.screening["stop"] = True
    review.screening["stop_reason"] = "a small demo"
    assert review.export().action == "stopped"
    state = review.status()
    counts = Counter(row.status for row in state.status)
    assert counts[Status.EXCLUDED_AUTOMATION] == 60 - 38
    assert counts[Status.UNSCREENED] == 0
    progress = read_table(review.out / "progress.csv", "screen_progress")
    assert [p["kind"] for p in progress][-1] == "random_sample"
    assert [int(p["screened"]) for p in progress] == [10, 20, 30, 38]
    assert [p["stopped"] for p in progress] == ["", "", "", "before_target"]
