"""Candidate programme-theory statements from the confirmed CMO table.

Within each theory area (the reviewers' tags are hard constraints: statements never mix
areas), configurations whose context, mechanism and outcome read alike are clustered
(TF-IDF on the three texts, cosine distance, average-linkage agglomerative clustering; no
randomness, rows in ``cmoc_id`` order, so the same table always gives the same statements).
Each cluster becomes one "If <context>, then <outcome>, because <mechanism>" statement worded
from its most central configuration, with the sources and quotes behind it and how many
sources support, refute or refine it. Demi-regularities are context-outcome patterns that
recur in two or more sources, found the same way on the context and outcome texts alone.

Statement ids are stable: a cluster that shares most of its configurations with a statement of
the previous version keeps that statement's id (Jaccard >= :data:`KEEP_ID_JACCARD`); a new one
gets ``pt-`` + 8 hex of the SHA-256 of its area and first configuration id.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

#: Clusters join configurations closer than this cosine distance (0 = the same words).
CLUSTER_DISTANCE = 0.85
#: A new cluster keeps a previous statement's id when their configurations overlap this much.
KEEP_ID_JACCARD = 0.5
#: A context-outcome pattern is a demi-regularity when this many sources show it.
DEMI_REGULARITY_SOURCES = 2

_LEADING = re.compile(r"^(?:where|when|whenever|if|once|as|while)\s+", re.I)
_TRAILING = re.compile(r"[\s.;:,!?]+$")


@dataclass(frozen=True, slots=True)
class Configuration:
    """One confirmed CMO configuration (a row of ``cmo_confirmed``)."""

    cmoc_id: str
    record_id: str
    citation: str
    theory_area: str
    context: str
    mechanism_resource: str
    mechanism_response: str
    outcome: str
    direction: str
    quote: str

    @classmethod
    def from_row(cls, row: Mapping[str, str]) -> Configuration:
        """From a ``cmo_confirmed`` table row."""
        return cls(**{name: row.get(name, "") for name in cls.__slots__})

    @property
    def mechanism(self) -> str:
        """Resource and response as one phrase."""
        return "; ".join(p for p in (self.mechanism_resource, self.mechanism_response) if p)


@dataclass(frozen=True, slots=True)
class Evidence:
    """A source behind a statement: the configuration, its document and its quote."""

    cmoc_id: str
    record_id: str
    citation: str
    direction: str
    quote: str


@dataclass(frozen=True, slots=True)
class Statement:
    """One "If-then-because" statement of the programme theory."""

    id: str
    theory_area: str
    text: str
    context: str
    mechanism: str
    outcome: str
    evidence: tuple[Evidence, ...]
    demi_regularities: tuple[str, ...] = ()
    edited: bool = False
    notes: str = ""

    @property
    def cmoc_ids(self) -> tuple[str, ...]:
        """The configurations behind the statement, sorted."""
        return tuple(sorted({e.cmoc_id for e in self.evidence}))

    @property
    def sources(self) -> tuple[str, ...]:
        """The distinct documents behind the statement, sorted."""
        return tuple(sorted({e.record_id for e in self.evidence}))

    def count(self, direction: str) -> int:
        """Number of distinct sources whose configurations ``direction`` (supports ...)."""
        return len({e.record_id for e in self.evidence if e.direction == direction})


@dataclass(frozen=True, slots=True)
class DemiRegularity:
    """A context-outcome pattern recurring in several sources."""

    id: str
    theory_areas: tuple[str, ...]
    pattern: str
    cmoc_ids: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Theory:
    """A version of the programme theory: its statements and demi-regularities."""

    statements: tuple[Statement, ...]
    demi_regularities: tuple[DemiRegularity, ...] = ()
    areas: Mapping[str, str] = field(default_factory=dict)

    def by_id(self) -> dict[str, Statement]:
        """Statements by id."""
        return {s.id: s for s in self.statements}


def phrase(text: str) -> str:
    """A configuration's text as a clause: one line, no trailing stop, no leading 'where'.

    >>> phrase("Where managers protected time for supervision.")
    'managers protected time for supervision'
    """
    clause = _TRAILING.sub("", " ".join(text.split()))
    clause = _LEADING.sub("", clause)
    if clause[:1].isupper() and not clause[1:2].isupper():
        clause = clause[0].lower() + clause[1:]
    return clause


#: what a statement says while none of its configurations names the mechanism
NO_MECHANISM = "[the mechanism is still to be stated]"


def wording(context: str, outcome: str, mechanism: str) -> str:
    """``If <context>, then <outcome>, because <mechanism>.``"""
    because = phrase(mechanism) or NO_MECHANISM
    return f"If {phrase(context)}, then {phrase(outcome)}, because {because}."


def _clusters(texts: Sequence[str], distance: float) -> list[list[int]]:
    """Indices grouped by agglomerative clustering of the texts (in first-index order)."""
    if len(texts) < 2:
        return [list(range(len(texts)))] if texts else []
    matrix = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words="english")
    try:
        vectors = matrix.fit_transform(texts).toarray()
    except ValueError:  # nothing but stop words
        return [[i] for i in range(len(texts))]
    empty = ~vectors.any(axis=1)
    vectors[empty] = 1.0  # a text without content words clusters only with its likes
    labels = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=distance
    ).fit_predict(vectors)
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        groups.setdefault(int(label), []).append(index)
    return sorted(groups.values(), key=lambda g: g[0])


def _central(texts: Sequence[str], members: Sequence[int]) -> int:
    """The member whose text is closest to the others (the first on ties)."""
    if len(members) < 3:
        return members[0]
    vectors = TfidfVectorizer(sublinear_tf=True).fit_transform([texts[i] for i in members])
    similarity = (vectors @ vectors.T).toarray()
    scores = similarity.sum(axis=1)
    return members[int(np.argmax(scores))]


def _new_id(prefix: str, area: str, first: str, taken: set[str]) -> str:
    digest = hashlib.sha256(f"{area}\n{first}".encode()).hexdigest()
    for length in range(8, len(digest) + 1):
        candidate = f"{prefix}-{digest[:length]}"
        if candidate not in taken:
            return candidate
    raise ValueError(f"no free id for {first}")  # pragma: no cover (64 hex digits)


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _keep_ids(
    clusters: list[tuple[str, list[Configuration]]], previous: Theory | None
) -> list[str | None]:
    """For each cluster, the previous statement id it continues (best overlap first)."""
    kept: list[str | None] = [None] * len(clusters)
    if previous is None:
        return kept
    pairs = []
    for index, (area, members) in enumerate(clusters):
        ids = {c.cmoc_id for c in members}
        for old in previous.statements:
            if old.theory_area == area:
                score = _jaccard(ids, set(old.cmoc_ids))
                if score >= KEEP_ID_JACCARD:
                    pairs.append((-score, index, old.id))
    used: set[str] = set()
    for _, index, old_id in sorted(pairs):
        if kept[index] is None and old_id not in used:
            kept[index] = old_id
            used.add(old_id)
    return kept


def demi_regularities(configurations: Sequence[Configuration]) -> tuple[DemiRegularity, ...]:
    """Context-outcome patterns shown by at least :data:`DEMI_REGULARITY_SOURCES` sources."""
    ordered = sorted(configurations, key=lambda c: c.cmoc_id)
    texts = [f"{c.context} {c.outcome}" for c in ordered]
    found = []
    taken: set[str] = set()
    for members in _clusters(texts, CLUSTER_DISTANCE):
        group = [ordered[i] for i in members]
        sources = tuple(sorted({c.record_id for c in group}))
        if len(sources) < DEMI_REGULARITY_SOURCES:
            continue
        centre = ordered[_central(texts, members)]
        ident = _new_id("dr", "", centre.cmoc_id, taken)
        taken.add(ident)
        found.append(
            DemiRegularity(
                id=ident,
                theory_areas=tuple(sorted({c.theory_area for c in group})),
                pattern=f"In {phrase(centre.context)}, {phrase(centre.outcome)}",
                cmoc_ids=tuple(sorted(c.cmoc_id for c in group)),
                sources=sources,
            )
        )
    return tuple(sorted(found, key=lambda d: d.id))


def build_theory(
    configurations: Sequence[Configuration],
    *,
    areas: Mapping[str, str],
    previous: Theory | None = None,
) -> Theory:
    """Candidate statements per theory area, with stable ids and their evidence.

    ``areas`` maps theory-area ids to labels, in the order the review declares them;
    configurations tagged with an area the config does not declare are kept under that id.
    """
    by_area: dict[str, list[Configuration]] = {}
    for config in sorted(configurations, key=lambda c: c.cmoc_id):
        by_area.setdefault(config.theory_area, []).append(config)
    clusters: list[tuple[str, list[Configuration]]] = []
    for area, members in by_area.items():
        texts = [f"{c.context} {c.mechanism} {c.outcome}" for c in members]
        for group in _clusters(texts, CLUSTER_DISTANCE):
            clusters.append((area, [members[i] for i in group]))
    kept = _keep_ids(clusters, previous)
    taken = {k for k in kept if k}
    patterns = demi_regularities(configurations)
    statements = []
    for (area, members), old_id in zip(clusters, kept, strict=True):
        texts = [f"{c.context} {c.mechanism} {c.outcome}" for c in members]
        # the most central configuration that names a mechanism words the statement
        candidates = [i for i, c in enumerate(members) if c.mechanism] or list(range(len(members)))
        centre = members[_central(texts, candidates)]
        ident = old_id or _new_id("pt", area, members[0].cmoc_id, taken)
        taken.add(ident)
        ids = {c.cmoc_id for c in members}
        statements.append(
            Statement(
                id=ident,
                theory_area=area,
                text=wording(centre.context, centre.outcome, centre.mechanism),
                context=phrase(centre.context),
                mechanism=phrase(centre.mechanism) or NO_MECHANISM,
                outcome=phrase(centre.outcome),
                evidence=tuple(
                    Evidence(c.cmoc_id, c.record_id, c.citation, c.direction, c.quote)
                    for c in members
                ),
                demi_regularities=tuple(d.id for d in patterns if ids & set(d.cmoc_ids)),
            )
        )
    order = {area: index for index, area in enumerate(areas)}
    statements.sort(key=lambda s: (order.get(s.theory_area, len(order)), s.theory_area, s.id))
    labels = {**{a: a for a in by_area}, **dict(areas)}
    return Theory(tuple(statements), patterns, labels)
