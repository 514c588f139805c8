"""The trained role model learns from confirmed labels, deterministically."""

from __future__ import annotations

from realist_review.cmo.model import RoleModel, document_inputs
from realist_review.cmo.sentences import split_sentences

DOC = (
    "Carers of young children in Norway took part. The programme offered weekly coaching "
    "sessions at home. Children's behaviour problems fell significantly. "
)


def test_learns_and_is_deterministic() -> None:
    items = document_inputs(split_sentences(DOC * 1)) * 10
    labels = [(1, 0, 0), (0, 1, 0), (0, 0, 1)] * 10
    model = RoleModel(seed=3, prior_strength=0).fit(items, labels)
    scores = model.predict(items[:3])
    assert scores[0].context > 0.5 > scores[0].outcome
    assert scores[1].mechanism > 0.5 and scores[2].outcome > 0.5
    assert RoleModel(seed=3, prior_strength=0).fit(items, labels).predict(items[:3]) == scores


def test_few_labels_stay_close_to_the_lexicon() -> None:
    items = document_inputs(split_sentences(DOC)) * 10
    labels = [(0, 0, 0)] * 30  # a reviewer says: no roles at all
    lexicon = [i.lexicon().outcome for i in items[:3]]
    few = RoleModel(prior_strength=1000).fit(items, labels).predict(items[:3])
    many = RoleModel(prior_strength=1).fit(items, labels).predict(items[:3])
    for lex, f, m in zip(lexicon, few, many, strict=True):
        assert abs(f.outcome - lex) < abs(m.outcome - lex)
        assert m.outcome < 0.1


def test_one_class_role_and_labels() -> None:
    items = document_inputs(split_sentences("Results: " + DOC))
    model = RoleModel(prior_strength=0).fit(items, [(0, 0, 1)] * len(items))
    (label, *rest) = model.predict(items)
    assert label.as_dict() == {"context": 0.0, "mechanism": 0.0, "outcome": 0.0}
    assert all(s.outcome == 1.0 and s.context == 0.0 for s in rest)
    assert model.predict([]) == []
