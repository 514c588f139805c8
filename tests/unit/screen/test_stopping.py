"""The stopping rule (Callaghan & Müller-Hansen 2020) against hand-computed values."""

from __future__ import annotations

from math import comb
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from realist_review.errors import InputError
from realist_review.screen.stopping import (
    Action,
    Phase,
    assess,
    draw_random_sample,
    estimates_by_round,
    min_missed_under_h0,
    plan_random_sample,
    plot_progress,
    quasi_sampling_pvalue,
    random_sample_pvalue,
)


def hypergeom_cdf(k: int, urn: int, successes: int, draws: int) -> float:
    """P(X <= k) for X ~ Hypergeom(urn, successes, draws), by counting."""
    total = comb(urn, draws)
    return sum(comb(successes, i) * comb(urn - successes, draws - i) for i in range(k + 1)) / total


@pytest.mark.parametrize(
    ("seen", "target", "expected"),
    [
        # 19 / 0.95 = 20 exactly: 20 in all gives recall 0.95, not below; 21 (2 missed) does
        pytest.param(19, 0.95, 2, id="19-at-95"),
        # 20 / 0.95 = 21.05: 22 in all (2 missed) gives recall 0.909 < 0.95
        pytest.param(20, 0.95, 2, id="20-at-95"),
        # 43 / 0.95 = 45.26: 46 in all, 3 missed
        pytest.param(43, 0.95, 3, id="43-at-95"),
        # nothing found: one include anywhere means recall 0
        pytest.param(0, 0.95, 1, id="none-found"),
        # a 100% target fails with a single missed include
        pytest.param(10, 1.0, 1, id="target-100"),
        # 441 / 0.95 = 464.2: 465 in all, 24 missed
        pytest.param(441, 0.95, 24, id="441-at-95"),
    ],
)
def test_min_missed_under_h0(seen: int, target: float, expected: int) -> None:
    assert min_missed_under_h0(seen, target) == expected
    total = seen + expected
    assert seen / total < target  # H0 holds with that many missed
    assert total - 1 == 0 or seen / (total - 1) >= target  # and not with one fewer
    if seen == 0:
        assert expected == 1


@pytest.mark.parametrize(
    ("urn", "before", "n", "k", "target", "expected"),
    [
        # 19 includes before, none in 50 of 100: K = 2, p = C(98,50)/C(100,50) = 50*49/(100*99)
        pytest.param(100, 19, 50, 0, 0.95, 50 * 49 / (100 * 99), id="paper-k0"),
        # 20 before, 1 in 100 of 200: r_seen 21, K = floor(22.1) + 1 - 20 = 3
        pytest.param(200, 20, 100, 1, 0.95, hypergeom_cdf(1, 200, 3, 100), id="one-found"),
        # 441 before, 0 in 300 of 1000: K = 24
        pytest.param(1000, 441, 300, 0, 0.95, comb(976, 300) / comb(1000, 300), id="k24"),
        # the whole urn screened: H0 impossible
        pytest.param(30, 5, 30, 0, 0.95, 0.0, id="urn-exhausted"),
    ],
)
def test_random_sample_pvalue_hand_values(
    urn: int, before: int, n: int, k: int, target: float, expected: float
) -> None:
    p = random_sample_pvalue(
        urn_size=urn,
        includes_before=before,
        sample_size=n,
        sample_includes=k,
        recall_target=target,
    )
    assert p == pytest.approx(expected, rel=1e-9, abs=1e-15)


def test_quasi_sampling_hand_value() -> None:
    # 10 includes then 40 excludes of 100 records; target 95%: H0 needs >= 1 missed.
    # Tail of j excludes: urn 50 + j, one include, P(none drawn) = 50 / (50 + j), least at
    # j = 40 (5/9); tails reaching back into the includes give larger p-values.
    labels = [1] * 10 + [0] * 40
    assert quasi_sampling_pvalue(labels, 100, 0.95) == pytest.approx(5 / 9)
    estimate = assess(labels, 100)
    assert estimate.p_value == pytest.approx(5 / 9)
    assert estimate.phase is Phase.RANKED
    assert estimate.action is Action.SCREEN_RANKED


def test_buscar_quasi_sampling_matches_a_plain_loop() -> None:
    labels = [1, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]
    n_total, target = 60, 0.9
    seen = sum(labels)
    best = 1.0
    for j in range(1, len(labels) + 1):
        k = sum(labels[-j:])
        urn = n_total - (len(labels) - j)
        successes = k + min_missed_under_h0(seen, target)
        possible = successes <= urn - (j - k)
        best = min(best, hypergeom_cdf(k, urn, successes, j) if possible else 0.0)
    assert quasi_sampling_pvalue(labels, n_total, target) == pytest.approx(best)


def test_random_phase_estimate_and_stop() -> None:
    ranked = [1] * 19 + [0] * 31
    # urn of 100 at the switch; sample 50 with no include: p = 0.2475 (see above)
    estimate = assess(ranked + [0] * 50, 150, random_start=50)
    assert estimate.phase is Phase.RANDOM
    assert estimate.p_value == pytest.approx(50 * 49 / (100 * 99))
    assert estimate.action is Action.SCREEN_RANDOM
    assert estimate.recall_estimate == 1.0
    assert estimate.random_records_needed > 0
    # screening the planned records without an include rejects H0
    more = estimate.random_records_needed
    done = assess(ranked + [0] * (50 + more), 150, random_start=50)
    assert done.target_reached and done.action is Action.STOP
    assert done.random_records_needed == 0
    one_short = assess(ranked + [0] * (50 + more - 1), 150, random_start=50)
    assert not one_short.target_reached


def test_recall_estimate_from_the_sample() -> None:
    # 20 before; sample of 40 of an urn of 200 holds 2 includes: 2/40 * 160 = 8 left
    labels = [1] * 20 + [0] * 30 + [1, 1] + [0] * 38
    estimate = assess(labels, 250, random_start=50)
    assert estimate.recall_estimate == pytest.approx(22 / 30)
    assert estimate.includes_found == 22
    assert estimate.random_sample_size == 40 and estimate.random_sample_includes == 2


def test_everything_screened_means_stop() -> None:
    estimate = assess([1, 0, 0, 1], 4)
    assert estimate.action is Action.STOP
    assert estimate.p_value == 0.0
    assert estimate.recall_lower_bound == 1.0
    assert estimate.as_row()["target_reached"] == "true"


def test_plan_matches_the_closed_form_for_one_missing() -> None:
    # r = 10 at 95%: H0 needs 1 missed; with no include drawn p(n) = (U - n) / U < 0.05
    # first when n > 0.95 U: n = 96 for U = 101 (p = 5/101; 95 gives 6/101)
    assert plan_random_sample(includes_before=10, urn_size=101) == 96


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param({"labels": [0, 2], "n_total": 5}, "0 .exclude. or 1", id="label-2"),
        pytest.param({"labels": [0, 1, 1], "n_total": 2}, "only 2 in all", id="too-many"),
        pytest.param(
            {"labels": [0, 1], "n_total": 5, "random_start": 3}, "outside", id="bad-start"
        ),
        pytest.param({"labels": [0], "n_total": 5, "recall_target": 1.2}, "recall", id="target"),
        pytest.param({"labels": [0], "n_total": 5, "confidence": 1.0}, "confidence", id="conf"),
    ],
)
def test_bad_input(kwargs: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        assess(**kwargs)


def test_impossible_sample_counts() -> None:
    with pytest.raises(InputError, match="impossible counts"):
        random_sample_pvalue(
            urn_size=10, includes_before=1, sample_size=20, sample_includes=0, recall_target=0.9
        )


screenings = st.integers(min_value=1, max_value=40).flatmap(
    lambda n_ranked: st.tuples(
        st.lists(st.integers(0, 1), min_size=n_ranked, max_size=n_ranked),
        st.lists(st.integers(0, 1), min_size=0, max_size=30),
        st.integers(min_value=0, max_value=60),
    )
)


@settings(max_examples=80, deadline=None)
@given(
    screenings,
    st.sampled_from([0.8, 0.9, 0.95, 1.0]),
    st.sampled_from([0.8, 0.9, 0.95, 0.99]),
)
def test_stop_iff_lower_bound_reaches_target(
    data: tuple[list[int], list[int], int], target: float, confidence: float
) -> None:
    ranked, sample, extra = data
    labels = ranked + sample
    n_total = len(labels) + extra
    for start in (None, len(ranked)):
        estimate = assess(
            labels, n_total, random_start=start, recall_target=target, confidence=confidence
        )
        assert 0.0 <= estimate.p_value <= 1.0
        assert 0.0 <= estimate.recall_lower_bound <= 1.0
        assert estimate.missed_upper <= n_total - len(labels)
        assert estimate.target_reached == (estimate.recall_lower_bound >= target - 1e-12)
        if estimate.target_reached:
            assert estimate.p_value < 1 - confidence


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 50),
    st.integers(1, 300),
    st.sampled_from([0.9, 0.95]),
)
def test_plan_is_the_smallest_sample_that_rejects(before: int, urn: int, target: float) -> None:
    need = plan_random_sample(includes_before=before, urn_size=urn, recall_target=target)
    assert 0 <= need <= urn
    if need == 0:  # the urn is too small to hide enough includes for H0
        assert min_missed_under_h0(before, target) > urn
        return

    def p(n: int) -> float:
        return random_sample_pvalue(
            urn_size=urn,
            includes_before=before,
            sample_size=n,
            sample_includes=0,
            recall_target=target,
        )

    assert p(need) < 0.05 or need == urn
    assert need == 1 or p(need - 1) >= 0.05


def test_random_sample_is_seeded_and_from_the_pool() -> None:
    ids = [f"rec-{i:03d}" for i in range(50)]
    first = draw_random_sample(ids, 10, seed=3, round_number=4)
    assert len(first) == len(set(first)) == 10 and set(first) <= set(ids)
    # the same set of ids in another order gives the same draw
    assert draw_random_sample(list(reversed(ids)), 10, seed=3, round_number=4) == first
    assert draw_random_sample(ids, 10, seed=3, round_number=5) != first
    assert sorted(draw_random_sample(ids, 80, seed=0, round_number=1)) == sorted(ids)
    with pytest.raises(InputError, match="at least 0"):
        draw_random_sample(ids, -1, seed=0, round_number=1)


def test_estimates_by_round_switch_phase_at_the_random_start() -> None:
    labels = [1] * 10 + [0] * 40 + [0] * 30
    estimates = estimates_by_round(labels, [20, 50, 80], 200, random_start=50)
    assert [e.phase for e in estimates] == [Phase.RANKED, Phase.RANKED, Phase.RANDOM]
    assert estimates[1].p_value == pytest.approx(assess(labels[:50], 200).p_value)
    assert estimates[2].random_sample_size == 30
    with pytest.raises(InputError, match="increase"):
        estimates_by_round(labels, [20, 10], 200)


def test_progress_plot_is_written(tmp_path: Path) -> None:
    labels = [1, 1, 0, 1, 0, 0, 0, 0] * 5 + [0] * 20
    estimates = estimates_by_round(labels, list(range(10, 61, 10)), 120, random_start=40)
    path = plot_progress(tmp_path / "plots" / "progress.png", labels, estimates)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert path.stat().st_size > 5000


def test_nothing_screened_yet_is_not_an_error() -> None:
    """A round planned but not yet returned: the estimate says keep screening."""
    from realist_review.screen.stopping import Action, assess

    result = assess([], 120)
    assert result.action is Action.SCREEN_RANKED
    assert not result.target_reached
    assert result.records_screened == 0


def test_ranked_rule_stops_where_the_two_phase_rule_switches() -> None:
    labels = [1] * 40 + [0] * 1500
    two_phase = assess(labels, 1600)
    ranked = assess(labels, 1600, rule="buscar_ranked")
    assert two_phase.target_reached and ranked.target_reached
    assert two_phase.action is Action.SCREEN_RANDOM and ranked.action is Action.STOP
    assert ranked.random_records_needed == 0
    early = assess(labels[:60], 1600, rule="buscar_ranked")
    assert early.action is Action.SCREEN_RANKED
    steps = assess(labels, 1600, rule="buscar_steps")
    assert steps.action is Action.STOP and steps.random_records_needed == 0
    with pytest.raises(InputError, match="assess knows"):
        assess(labels, 1600, rule="target")
