"""The trained role model: scikit-learn, learnt from sentences reviewers have confirmed.

Features of a sentence: TF-IDF of its words, the cue-group counts and
role logits of the lexicon (:mod:`realist_review.cmo.lexicon`), its section, relative
position, and two document-level cues (does the document describe a resource at all; how much
of it reads as results), since a study with no intervention gives associations context only.
One logistic regression per role, class-weighted. Its probabilities are shrunk towards the
lexicon's by the amount of training data: ``w * model + (1 - w) * lexicon`` with
``w = n / (n + prior_strength)`` for ``n`` training sentences, so a team's first few
confirmed sentences refine the lexicon instead of replacing it (on the development labels the
model alone trained on 10% of them was worse than the lexicon). Seeds are passed in, never
set globally.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from realist_review.cmo.lexicon import (
    CUE_PATTERNS,
    ROLES,
    SECTION_PRIORS,
    RoleScores,
    cue_counts,
    score_sentence,
)
from realist_review.cmo.sentences import Sentence

_SECTIONS = tuple(sorted(SECTION_PRIORS))
_GROUPS = tuple(CUE_PATTERNS)


@dataclass(frozen=True, slots=True)
class SentenceInput:
    """What the scorers see of one sentence: its text, place and document cues."""

    text: str
    section: str
    position: float
    is_label: bool
    doc_resource: float
    doc_results: float
    neighbours: tuple[float, ...] = (0.0,) * 6

    def lexicon(self) -> RoleScores:
        """The label-free scores of this sentence."""
        return score_sentence(
            self.text, section=self.section, position=self.position, is_label=self.is_label
        )


def document_inputs(sentences: Sequence[Sentence]) -> list[SentenceInput]:
    """The :class:`SentenceInput` of every sentence of one document."""
    n = len(sentences)
    counts = [cue_counts(s.text) for s in sentences]
    resource = sum(1 for c in counts if c["content"] + c["caregiving"] >= 1 and c["intervention"])
    results = sum(1 for c in counts if c["change"] and (c["effect"] or c["result_verb"]))
    doc_resource = min(resource, 3) / 3
    doc_results = results / n if n else 0.0
    lexicon = [
        score_sentence(
            s.text,
            section=s.section,
            position=s.index / (n - 1) if n > 1 else 0.0,
            is_label=s.is_label,
            counts=c,
        ).as_dict()
        for s, c in zip(sentences, counts, strict=True)
    ]
    empty = {role: 0.0 for role in ROLES}

    def around(k: int) -> tuple[float, ...]:
        before = lexicon[k - 1] if k > 0 else empty
        after = lexicon[k + 1] if k + 1 < n else empty
        return tuple(before[r] for r in ROLES) + tuple(after[r] for r in ROLES)

    return [
        SentenceInput(
            text=s.text,
            section=s.section,
            position=s.index / (n - 1) if n > 1 else 0.0,
            is_label=s.is_label,
            doc_resource=doc_resource,
            doc_results=doc_results,
            neighbours=around(k),
        )
        for k, s in enumerate(sentences)
    ]


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def dense_features(item: SentenceInput) -> list[float]:
    """Cue, lexicon, section, position and document features of one sentence."""
    counts = cue_counts(item.text)
    lex = item.lexicon().as_dict()
    row = [min(counts[g], 2) / 2 for g in _GROUPS]
    row += [_logit(lex[r]) / 4 if not item.is_label else -2.0 for r in ROLES]
    row += [1.0 if item.section == s else 0.0 for s in _SECTIONS]
    row += [item.position, float(item.is_label), item.doc_resource, item.doc_results]
    row += [min(len(item.text.split()), 60) / 60]
    row += list(item.neighbours)
    return row


class RoleModel:
    """Three class-weighted logistic regressions over text and cue features."""

    def __init__(
        self, *, c: float = 1.0, seed: int = 15, min_df: int = 2, prior_strength: float = 100.0
    ) -> None:
        self.c = c
        self.seed = seed
        self.min_df = min_df
        self.prior_strength = prior_strength
        self._n = 0
        self._vectorizer: TfidfVectorizer | None = None
        self._models: dict[str, LogisticRegression | float] = {}

    def _matrix(self, items: Sequence[SentenceInput], *, fit: bool) -> sparse.csr_matrix:
        texts = [item.text for item in items]
        if fit:
            self._vectorizer = TfidfVectorizer(
                ngram_range=(1, 1), min_df=self.min_df, sublinear_tf=True, lowercase=True
            )
            words = self._vectorizer.fit_transform(texts)
        else:
            assert self._vectorizer is not None, "fit the model first"
            words = self._vectorizer.transform(texts)
        dense = sparse.csr_matrix(np.array([dense_features(i) for i in items], dtype=float))
        return sparse.hstack([words, dense]).tocsr()

    def fit(self, items: Sequence[SentenceInput], labels: Sequence[Sequence[int]]) -> RoleModel:
        """Learn from sentences and their confirmed 0/1 roles (context, mechanism, outcome)."""
        if len(items) != len(labels):
            raise ValueError("one label triple per sentence")
        x = self._matrix(items, fit=True)
        self._n = len(items)
        for i, role in enumerate(ROLES):
            y = np.array([int(lab[i]) for lab in labels])
            if y.min() == y.max():  # one class only: predict its rate
                self._models[role] = float(y[0])
                continue
            model = LogisticRegression(
                C=self.c, class_weight="balanced", max_iter=2000, random_state=self.seed
            )
            model.fit(x, y)
            self._models[role] = model
        return self

    def predict(self, items: Sequence[SentenceInput]) -> list[RoleScores]:
        """Role probabilities of each sentence (0 for section labels)."""
        if not items:
            return []
        x = self._matrix(items, fit=False)
        columns: dict[str, np.ndarray] = {}
        for role in ROLES:
            model = self._models[role]
            if isinstance(model, float):
                columns[role] = np.full(len(items), model)
            else:
                columns[role] = model.predict_proba(x)[:, 1]
        weight = self._n / (self._n + self.prior_strength) if self._n else 0.0
        out: list[RoleScores] = []
        for k, item in enumerate(items):
            if item.is_label:
                out.append(RoleScores(0.0, 0.0, 0.0))
                continue
            lexicon = item.lexicon().as_dict()
            values = {
                role: weight * float(columns[role][k]) + (1 - weight) * lexicon[role]
                for role in ROLES
            }
            out.append(RoleScores(**values))
        return out
