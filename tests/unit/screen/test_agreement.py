"""Cohen's kappa, agreement tables and conflicts, against hand-computed values and sklearn."""

from __future__ import annotations

import math
import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from realist_review.screen.agreement import (
    PairTable,
    agreement_rows,
    cohen_kappa,
    describe_decisions,
    find_conflicts,
)
from realist_review.screen.decisions import LogEntry, current_decisions
from realist_review.screen.settings import Decision, RoundKind
from realist_review.screen.sheets import PlanRow
from realist_review.tables import table_spec, validate_rows

KAPPA_CASES = [
    pytest.param(
        [1] * 20 + [1] * 5 + [0] * 10 + [0] * 15,
        [1] * 20 + [0] * 5 + [1] * 10 + [0] * 15,
        0.4,
        id="textbook-2x2",  # po = 0.70, pe = 0.5*0.6 + 0.5*0.4 = 0.50 -> (0.7-0.5)/0.5
    ),
    pytest.param([1, 0, 1, 0], [1, 0, 1, 0], 1.0, id="perfect"),
    pytest.param([1, 0], [0, 1], -1.0, id="perfect-disagreement"),  # po 0, pe 0.5
    pytest.param(
        ["i", "i", "e", "e", "m", "m"],
        ["i", "e", "e", "e", "m", "i"],
        0.5,
        id="three-categories",  # po = 4/6, pe = (2*2 + 2*3 + 2*1)/36 = 1/3 -> (2/3-1/3)/(2/3)
    ),
    pytest.param([1, 1, 1], [1, 1, 0], 0.0, id="chance-only"),  # po 2/3, pe 2/3
    pytest.param([1, 1, 1], [1, 1, 1], None, id="undefined-one-label"),
    pytest.param([], [], None, id="undefined-empty"),
]


@pytest.mark.parametrize(("first", "second", "expected"), KAPPA_CASES)
def test_kappa_by_hand(first: list[object], second: list[object], expected: float | None) -> None:
    got = cohen_kappa(first, second)
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected, abs=1e-12)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["include", "exclude", "maybe"]),
            st.sampled_from(["include", "exclude", "maybe"]),
        ),
        min_size=1,
        max_size=60,
    )
)
def test_kappa_matches_sklearn(pairs: list[tuple[str, str]]) -> None:
    first = [a for a, _ in pairs]
    second = [b for _, b in pairs]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        oracle = float(cohen_kappa_score(first, second))
    ours = cohen_kappa(first, second)
    if math.isnan(oracle):
        assert ours is None
    else:
        assert ours == pytest.approx(oracle, abs=1e-9)


def test_kappa_needs_the_same_items() -> None:
    with pytest.raises(ValueError, match="same items"):
        cohen_kappa([1], [1, 0])


def _entry(record: str, reviewer: str, round_: int, decision: str, **kw: object) -> LogEntry:
    kind = kw.pop("kind", RoundKind.RANKED)
    return LogEntry(
        record_id=record,
        reviewer=reviewer,
        round=round_,
        decision=Decision(decision),
        reason=str(kw.pop("reason", "")),
        note=str(kw.pop("note", "")),
        timestamp="",
        source_file=f"round-{round_:02d}/{reviewer}.xlsx",
        source_sha256="0" * 64,
        kind=RoundKind(kind),
        version=int(kw.pop("version", 1)),
        source_row=2,
    )


def _plan(round_: int, assignments: dict[str, tuple[str, ...]]) -> tuple[PlanRow, ...]:
    return tuple(
        PlanRow(round_, record, reviewer, RoundKind.RANKED, rank)
        for rank, (record, reviewers) in enumerate(assignments.items(), start=1)
        for reviewer in reviewers
    )


# Round 1: alice+bob screen r1-r4, alice+carol r5-r6. Round 2: bob+carol r7-r9.
PLANS = {
    1: _plan(
        1,
        {
            "r1": ("alice", "bob"),
            "r2": ("alice", "bob"),
            "r3": ("alice", "bob"),
            "r4": ("alice", "bob"),
            "r5": ("alice", "carol"),
            "r6": ("alice", "carol"),
        },
    ),
    2: _plan(2, {"r7": ("bob", "carol"), "r8": ("bob", "carol"), "r9": ("bob", "carol")}),
}
DECISIONS = {
    ("r1", "alice"): "include",
    ("r1", "bob"): "maybe",  # include + maybe: both forward, agreement
    ("r2", "alice"): "exclude",
    ("r2", "bob"): "exclude",
    ("r3", "alice"): "include",
    ("r3", "bob"): "exclude",  # conflict
    ("r4", "alice"): "exclude",
    ("r4", "bob"): "exclude",
    ("r5", "alice"): "maybe",
    ("r5", "carol"): "exclude",  # conflict
    ("r6", "alice"): "include",
    ("r6", "carol"): "include",
    ("r7", "bob"): "exclude",
    ("r7", "carol"): "exclude",
    ("r8", "bob"): "include",
    ("r8", "carol"): "include",
    ("r9", "bob"): "exclude",  # carol has not decided r9 yet
}


def _current() -> dict:
    entries = [
        _entry(record, reviewer, 1 if record <= "r6" else 2, decision)
        for (record, reviewer), decision in DECISIONS.items()
    ]
    return current_decisions(entries)


def test_agreement_rows_by_hand() -> None:
    rows = agreement_rows(PLANS, _current())
    validate_rows(rows, table_spec("agreement"), path="agreement.csv")
    table = {(r["round"], r["scope"], r["reviewer_1"], r["reviewer_2"]): r for r in rows}
    assert [(r["round"], r["scope"], r["reviewer_1"]) for r in rows] == [
        ("1", "round", ""),
        ("1", "round", "alice"),
        ("1", "round", "alice"),
        ("1", "cumulative", ""),
        ("1", "cumulative", "alice"),
        ("1", "cumulative", "alice"),
        ("2", "round", "bob"),  # one pair in round 2: no pooled row repeating it
        ("2", "cumulative", ""),
        ("2", "cumulative", "alice"),
        ("2", "cumulative", "alice"),
        ("2", "cumulative", "bob"),
    ]
    ab = table[("1", "round", "alice", "bob")]
    # r1 forward/forward, r2 and r4 exclude/exclude, r3 alice forwards only
    assert (ab["records"], ab["both_forward"], ab["both_exclude"]) == ("4", "1", "2")
    assert (ab["only_reviewer_1_forwards"], ab["only_reviewer_2_forwards"]) == ("1", "0")
    assert ab["raw_agreement"] == "0.7500"
    # po = 3/4; alice forwards 2/4, bob 1/4; pe = 2/4*1/4 + 2/4*3/4 = 0.5 -> kappa 0.5
    assert ab["kappa"] == "0.5000"
    ac = table[("1", "round", "alice", "carol")]
    assert (ac["records"], ac["raw_agreement"], ac["kappa"]) == ("2", "0.5000", "0.0000")
    pooled = table[("1", "round", "", "")]
    first = [1, 0, 1, 0, 1, 1]  # alice on r1..r6
    second = [1, 0, 0, 0, 0, 1]  # bob on r1-r4, carol on r5-r6
    assert pooled["records"] == "6"
    assert float(pooled["kappa"]) == pytest.approx(cohen_kappa_score(first, second), abs=5e-5)
    bc = table[("2", "round", "bob", "carol")]
    assert bc["records"] == "2"  # r9 waits for carol
    assert bc["kappa"] == "1.0000"
    cumulative = table[("2", "cumulative", "", "")]
    assert cumulative["records"] == "8"
    assert float(cumulative["kappa"]) == pytest.approx(
        cohen_kappa_score([*first, 0, 1], [*second, 0, 1]), abs=5e-5
    )


def test_undefined_kappa_is_empty() -> None:
    plans = {1: _plan(1, {"r1": ("alice", "bob"), "r2": ("alice", "bob")})}
    current = current_decisions(
        [_entry(r, p, 1, "exclude") for r in ("r1", "r2") for p in ("alice", "bob")]
    )
    rows = agreement_rows(plans, current)
    pooled = rows[0]
    assert (pooled["raw_agreement"], pooled["kappa"]) == ("1.0000", "")
    # one pair: its rows only, no pooled row repeating them
    assert [(r["scope"], r["reviewer_1"]) for r in rows] == [("round", "alice"),
                                                             ("cumulative", "alice")]  # fmt: skip


@given(
    st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=50),
)
def test_pair_table_kappa_matches_sklearn(pairs: list[tuple[bool, bool]]) -> None:
    table = PairTable(
        both_forward=sum(a and b for a, b in pairs),
        both_exclude=sum(not a and not b for a, b in pairs),
        only_1_forwards=sum(a and not b for a, b in pairs),
        only_2_forwards=sum(b and not a for a, b in pairs),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        oracle = float(cohen_kappa_score([a for a, _ in pairs], [b for _, b in pairs]))
    got = table.kappa()
    assert (got is None) if math.isnan(oracle) else got == pytest.approx(oracle, abs=1e-9)
    assert table.records == len(pairs)


def test_conflicts_are_outcome_disagreements() -> None:
    conflicts = find_conflicts(PLANS, _current())
    assert [(c.record_id, c.round) for c in conflicts] == [("r3", 1), ("r5", 1)]
    assert [e.reviewer for e in conflicts[0].decisions] == ["alice", "bob"]
    assert not any(c.resolved for c in conflicts)
    assert describe_decisions(conflicts[1].decisions) == "alice: maybe; carol: exclude"


def test_resolutions() -> None:
    current = _current()
    resolution = _entry("r3", "dana", 1, "exclude", kind="conflict_resolution", reason="E2")
    current[resolution.key] = resolution
    conflicts = {c.record_id: c for c in find_conflicts(PLANS, current)}
    assert conflicts["r3"].resolved and conflicts["r3"].resolutions == (resolution,)
    assert not conflicts["r5"].resolved
    second = _entry("r3", "erin", 1, "include", kind="conflict_resolution")
    current[second.key] = second
    conflicts = {c.record_id: c for c in find_conflicts(PLANS, current)}
    assert not conflicts["r3"].resolved  # two resolvers who disagree settle nothing


def test_describe_decisions_with_reasons_and_notes() -> None:
    entries = [
        _entry("r1", "alice", 1, "exclude", reason="E2", note="adult ward"),
        _entry("r1", "bob", 1, "include"),
    ]
    assert describe_decisions(entries) == "alice: exclude (E2) - adult ward; bob: include"
