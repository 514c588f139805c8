"""The stopping rules side by side: sheet ends, hand cases, bounds and outcome bookkeeping."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binom

from realist_review.errors import InputError
from realist_review.screen import stopping
from realist_review.screen import stopping_rules as sr


def ranked_order(n: int, includes: int, spread: int, seed: int = 0) -> list[int]:
    """Labels of a review of ``n`` records whose includes all come within the first
    ``spread`` ranks (positions drawn with ``seed``); the rest are excludes."""
    rng = np.random.default_rng(seed)
    labels = np.zeros(n, dtype=int)
    labels[0] = 1  # the include prior
    labels[1 + rng.choice(spread - 1, size=includes - 1, replace=False)] = 1
    return [int(v) for v in labels]


def test_checkpoints_follow_the_rounds_then_sheets() -> None:
    assert sr.checkpoints(200, 50) == [52, 102, 152, 200]
    assert sr.checkpoints(200, 50, round_ends=[12, 24, 48]) == [12, 24, 48, 98, 148, 198, 200]
    assert sr.checkpoints(30, 50) == [30]
    with pytest.raises(InputError, match="increase"):
        sr.checkpoints(200, 50, round_ends=[20, 10])
    with pytest.raises(InputError, match="at least 1"):
        sr.checkpoints(200, 0)


def test_target_method_needs_59_sampled_includes_at_95_95() -> None:
    assert sr.target_sample_includes(0.95, 0.95) == 59  # 0.95**59 = 0.048 < 0.05 < 0.95**58
    assert sr.target_quantile(58, 0.95, 0.95) is None
    assert sr.target_quantile(59, 0.95, 0.95) == 59
    assert sr.target_quantile(80, 0.95, 0.95) == 80  # P(Binomial(80, 0.95) >= 79) = 0.086
    for r in (150, 400):
        j = sr.target_quantile(r, 0.95, 0.95)
        assert j is not None and j < r
        # j is the binomial quantile: finding j of r certifies the target, j - 1 does not
        assert binom.sf(j - 1, r, 0.95) <= 0.05 < binom.sf(j - 2, r, 0.95)


def test_consecutive_heuristic_stops_at_the_first_sheet_end_after_100_excludes() -> None:
    labels = [1, 0] + [1] * 5 + [0] * 300
    out = sr.evaluate("consecutive_100", labels, check_every=50)
    # excludes from position 7 on: 100 in a row by record 107; the next sheet end is 152
    assert out.stopped_at == 152 and out.recall == 1.0 and not out.statistical
    assert sr.consecutive_stops([0] * 99, 100) is False
    assert sr.consecutive_stops([1] + [0] * 100, 100) is True


def test_ranked_quasi_sampling_stops_early_on_a_steep_ranking_only() -> None:
    steep = ranked_order(2000, 40, 200)
    out = sr.evaluate("buscar_ranked", steep, check_every=50)
    assert out.recall == 1.0 and out.target_reached
    assert out.work_saved > 0.3 and out.random_sampled == 0
    # includes spread evenly over the whole review: no evidence to stop before the end
    flat = [1 if i % 50 == 0 else 0 for i in range(2000)]
    assert sr.evaluate("buscar_ranked", flat, check_every=50).stopped_at == 2000


def test_poisson_rule_stops_on_a_decaying_rate_not_on_a_flat_one() -> None:
    steep = sr.evaluate("poisson", ranked_order(2000, 40, 200), check_every=50)
    assert steep.target_reached and steep.work_saved > 0.05
    flat = [1 if i % 50 == 0 else 0 for i in range(2000)]
    assert sr.evaluate("poisson", flat, check_every=50).work_saved < 0.01
    # the power-law rate is fitted by maximum likelihood: a decaying rate gives b > 0
    a, b = sr._fit_power_rate(np.array(ranked_order(400, 30, 60)))
    assert a > 0 and b > 0.5


@pytest.mark.parametrize("rule", sr.RULES)
def test_every_rule_keeps_its_books(rule: str) -> None:
    labels = ranked_order(600, 30, 250, seed=3)
    out = sr.evaluate(rule, labels, check_every=50, seed=4)
    assert out.rule == rule and out.statistical == (rule in sr.STATISTICAL_RULES)
    assert 0 < out.stopped_at <= 600
    assert out.stopped_at == out.ranked_until + out.random_sampled
    assert out.recall == pytest.approx(out.includes_found / 30)
    assert out.target_reached == (out.recall >= 0.95)
    assert out.work_saved == pytest.approx(1 - out.stopped_at / 600)
    assert out == sr.evaluate(rule, labels, check_every=50, seed=4)  # seeded
    assert rule in sr.MEANINGS


def test_buscar_screens_a_random_sample_after_the_switch() -> None:
    labels = ranked_order(2000, 40, 200)
    two_phase = sr.evaluate("buscar", labels, check_every=50)
    ranked = sr.evaluate("buscar_ranked", labels, check_every=50)
    assert two_phase.ranked_until == ranked.stopped_at
    assert two_phase.random_sampled > 0 and two_phase.stopped_at > ranked.stopped_at


def test_target_rule_on_too_few_includes_screens_everything() -> None:
    labels = ranked_order(500, 20, 100)
    out = sr.evaluate("target", labels, check_every=50)
    assert out.stopped_at == 500 and out.recall == 1.0


def test_unknown_rule_and_bad_settings_are_input_errors() -> None:
    with pytest.raises(InputError, match="unknown stopping rule 'knee'"):
        sr.evaluate("knee", [1, 0])
    with pytest.raises(InputError, match="recall target"):
        sr.evaluate("buscar", [1, 0], recall_target=1.5)


def test_whole_step_tails_are_a_subset_of_all_tails() -> None:
    labels = np.array(ranked_order(3000, 60, 900, seed=5))
    for end in (400, 1000, 1600, 2400):
        seen = labels[:end]
        every = stopping.quasi_sampling_pvalue(seen, 3000, 0.95)
        steps = stopping.quasi_sampling_pvalue(seen, 3000, 0.95, tail_step=25)
        assert steps >= every - 1e-12  # fewer tails: the minimum can only be larger
    # so the step rule never stops before the rule on every tail
    ranked = sr.evaluate("buscar_ranked", labels, check_every=50)
    steps_rule = sr.evaluate("buscar_steps", labels, check_every=50)
    assert steps_rule.stopped_at >= ranked.stopped_at and steps_rule.target_reached


def test_a_tail_shorter_than_one_step_is_no_evidence() -> None:
    assert stopping.quasi_sampling_pvalue([1] * 10 + [0] * 14, 1000, 0.95, tail_step=25) == 1.0
