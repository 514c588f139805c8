"""A small synthetic screening corpus written by the tests themselves.

Includes talk about trauma-informed care in children's homes, excludes about other clinical
topics; both share filler words, and a few includes are written in the excludes' words so
that ranking is not trivial.
"""

from __future__ import annotations

import numpy as np

INCLUDE_WORDS = [
    "trauma",
    "informed",
    "care",
    "residential",
    "children",
    "home",
    "staff",
    "training",
    "supervision",
    "foster",
    "looked",
    "after",
    "young",
    "people",
    "attachment",
    "therapeutic",
    "caregiving",
    "placement",
    "stability",
    "organisational",
    "culture",
    "safeguarding",
]
EXCLUDE_WORDS = [
    "cardiac",
    "surgery",
    "randomised",
    "trial",
    "blood",
    "pressure",
    "statin",
    "dose",
    "adults",
    "hospital",
    "mortality",
    "oncology",
    "chemotherapy",
    "tumour",
    "insulin",
    "diabetes",
    "kidney",
    "dialysis",
    "fracture",
    "orthopaedic",
]
FILLER = [
    "study",
    "results",
    "method",
    "analysis",
    "sample",
    "data",
    "outcome",
    "effect",
    "group",
    "report",
]


def make_corpus(
    n: int = 120, n_include: int = 15, seed: int = 0, hard: int = 2
) -> tuple[list[tuple[str, str]], list[int]]:
    """``n`` (title, abstract) pairs and 0/1 labels; ``hard`` includes use exclude words."""
    rng = np.random.default_rng(seed)
    labels = [1] * n_include + [0] * (n - n_include)
    order = rng.permutation(n)
    labels = [labels[i] for i in order]
    documents: list[tuple[str, str]] = []
    hard_left = hard
    for label in labels:
        words = INCLUDE_WORDS if label else EXCLUDE_WORDS
        if label and hard_left > 0 and len(documents) > n // 2:
            words, hard_left = EXCLUDE_WORDS, hard_left - 1
        title = " ".join(rng.choice(words, 5))
        abstract = " ".join(
            [*rng.choice(words, 25), *rng.choice(FILLER, 15), *rng.choice(EXCLUDE_WORDS, 3)]
        )
        documents.append((title.capitalize(), abstract))
    return documents, labels
