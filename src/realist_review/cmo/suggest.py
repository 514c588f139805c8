"""``cmo suggest``: role scores for every sentence and candidate configurations per document.

Roles come from the label-free lexicon (:mod:`realist_review.cmo.lexicon`) unless confirmed
sentence tables are given, in which case a :class:`~realist_review.cmo.model.RoleModel` is
trained on them and scores every sentence. A role is decided (1) when its score reaches the
threshold. Configurations are linked by :mod:`realist_review.cmo.configurations` and tagged
with the review's programme-theory areas (:mod:`realist_review.cmo.theory`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from realist_review.cmo.configurations import Candidate, RoledSentence, link_configurations
from realist_review.cmo.documents import Document
from realist_review.cmo.lexicon import ROLES, RoleScores, cue_counts
from realist_review.cmo.model import RoleModel, SentenceInput, document_inputs
from realist_review.cmo.sentences import SECTION_LABELS, Sentence
from realist_review.cmo.theory import TheoryArea, relevance, tag_areas
from realist_review.errors import InputError
from realist_review.records import row_to_record
from realist_review.screen.settings import FORWARDED
from realist_review.tables import read_table, write_table

_LABEL_RE = re.compile(r"^\s*([A-Za-z][A-Za-z ]{1,40}?)\s*[:.]?\s*$")
_CONFIRMED = {"1", "yes"}


@dataclass(frozen=True, slots=True)
class ScoredDocument:
    """A document with its role scores and decided roles."""

    document: Document
    scores: tuple[RoleScores, ...]
    roles: tuple[tuple[int, int, int], ...]


def decide(scores: RoleScores, threshold: float) -> tuple[int, int, int]:
    """0/1 roles from scores."""
    values = scores.as_dict()
    return tuple(int(values[r] >= threshold) for r in ROLES)  # type: ignore[return-value]


def score_documents(
    documents: Sequence[Document], *, model: RoleModel | None = None, threshold: float = 0.5
) -> list[ScoredDocument]:
    """Score every sentence with the model when given, else with the lexicon."""
    out: list[ScoredDocument] = []
    for doc in documents:
        items = document_inputs(doc.sentences)
        scores = model.predict(items) if model is not None else [i.lexicon() for i in items]
        out.append(ScoredDocument(doc, tuple(scores), tuple(decide(s, threshold) for s in scores)))
    return out


def cmoc_id(record_id: str, evidence: Iterable[int]) -> str:
    """Stable id of a candidate: its record and evidence sentences."""
    key = f"{record_id}:{';'.join(str(i) for i in sorted(evidence))}"
    return "cmoc-" + hashlib.sha256(key.encode()).hexdigest()[:10]


#: candidates are linked at the decision threshold and at this much below it: a chain whose
#: resource or outcome sentence scores just under the cut-off is still proposed.
LOOSER_BY = 0.1


@dataclass(frozen=True, slots=True)
class LinkedCandidate:
    """A candidate with the roles it was linked from and the cut-off that gave them."""

    candidate: Candidate
    roles: tuple[tuple[int, int, int], ...]
    threshold: float


def link_scored(
    sentences: Sequence[Sentence],
    paragraphs: Sequence[int],
    scores: Sequence[RoleScores],
    *,
    threshold: float = 0.5,
) -> list[LinkedCandidate]:
    """Candidates of one document at ``threshold`` and ``threshold - LOOSER_BY``.

    A candidate found at both cut-offs is kept once, from the stricter one.
    """
    out: list[LinkedCandidate] = []
    seen: set[tuple[int, ...]] = set()
    for cut in (threshold, max(threshold - LOOSER_BY, 0.05)):
        roles = tuple(decide(sc, cut) for sc in scores)
        roled = [
            RoledSentence(
                index=s.index,
                paragraph=paragraphs[s.index],
                text=s.text,
                context=bool(r[0]),
                mechanism=bool(r[1]),
                outcome=bool(r[2]),
                p_mechanism=sc.mechanism,
            )
            for s, sc, r in zip(sentences, scores, roles, strict=True)
            if not s.is_label
        ]
        for candidate in link_configurations(roled):
            if candidate.evidence not in seen:
                seen.add(candidate.evidence)
                out.append(LinkedCandidate(candidate, roles, cut))
    return out


def candidates_of(scored: ScoredDocument, *, threshold: float = 0.5) -> list[LinkedCandidate]:
    """Candidate configurations of one scored document."""
    doc = scored.document
    return link_scored(doc.sentences, doc.paragraphs, scored.scores, threshold=threshold)


def _join(texts: Iterable[str]) -> str:
    return " | ".join(texts)  # write_table neutralises formulas


def candidate_row(
    scored: ScoredDocument, linked: LinkedCandidate, areas: Sequence[TheoryArea]
) -> dict[str, str]:
    """The ``candidates.csv`` row of one candidate."""
    doc = scored.document
    candidate = linked.candidate
    evidence = list(candidate.evidence)
    sents = [doc.sentences[i] for i in evidence]
    roles = [linked.roles[i] for i in evidence]
    scores = [scored.scores[i] for i in evidence]
    context = [s.text for s, r in zip(sents, roles, strict=True) if r[0]]
    mechanisms = [s for s, r in zip(sents, roles, strict=True) if r[1]]
    if not mechanisms:  # a borrowed resource sentence
        mechanisms = [s for s, r in zip(sents, roles, strict=True) if not r[2]][:1]
    response = [s.text for s in mechanisms if cue_counts(s.text)["response"]]
    resource = [s.text for s in mechanisms if s.text not in response or _is_resource(s)]
    outcome = [s.text for s, r in zip(sents, roles, strict=True) if r[2]]
    confidence_parts = [max(sc.mechanism for sc in scores), max(sc.outcome for sc in scores)]
    if context:
        confidence_parts.append(max(sc.context for sc in scores))
    confidence = sum(confidence_parts) / len(confidence_parts)
    tags = tag_areas(" ".join(s.text for s in sents), areas)
    hits = tags[0][1] if tags else 0
    return {
        "cmoc_id": cmoc_id(doc.record_id, evidence),
        "record_id": doc.record_id,
        "source_id": doc.source_id,
        "evidence": ";".join(str(i) for i in evidence),
        "link": candidate.link,
        "section": ";".join(dict.fromkeys(s.section for s in sents)),
        "context": _join(context),
        "mechanism_resource": _join(resource),
        "mechanism_response": _join(response),
        "outcome": _join(outcome),
        "connective": candidate.connective,
        "shared_terms": ";".join(candidate.shared_terms),
        "explicit_or_inferred": "explicit" if candidate.explicit else "inferred",
        "theory_area": ";".join(a for a, _ in tags),
        "relevance": f"{relevance(confidence, hits, have_areas=bool(areas)):.3f}",
        "threshold": f"{linked.threshold:.2f}",
    }


def _is_resource(sentence: Sentence) -> bool:
    counts = cue_counts(sentence.text)
    return bool(counts["intervention"] or counts["content"] or counts["caregiving"])


def sentence_rows(scored: ScoredDocument) -> list[dict[str, str]]:
    """The ``sentences.csv`` rows of one scored document."""
    doc = scored.document
    rows: list[dict[str, str]] = []
    for s, sc, r in zip(doc.sentences, scored.scores, scored.roles, strict=True):
        rows.append(
            {
                "record_id": doc.record_id,
                "source_id": doc.source_id,
                "section": s.section,
                "sentence": str(s.index),
                "start": str(s.start),
                "end": str(s.end),
                "text": s.text,
                "p_context": f"{sc.context:.3f}",
                "p_mechanism": f"{sc.mechanism:.3f}",
                "p_outcome": f"{sc.outcome:.3f}",
                "context": str(r[0]),
                "mechanism": str(r[1]),
                "outcome": str(r[2]),
            }
        )
    return rows


def _unescape(text: str) -> str:
    return text[1:] if text[:2] in {"'=", "'+", "'-", "'@"} else text


def read_confirmed(paths: Sequence[Path]) -> tuple[list[SentenceInput], list[tuple[int, int, int]]]:
    """Training sentences and confirmed roles from ``sentences.csv`` tables reviewers checked.

    Rows with a ``confirmed`` column of 0/no are left out; every other row counts.
    """
    items: list[SentenceInput] = []
    labels: list[tuple[int, int, int]] = []
    for path in paths:
        rows = read_table(Path(path), "cmo_sentences")
        by_doc: dict[str, list[dict[str, str]]] = {}
        for row in rows:
            by_doc.setdefault(row["record_id"], []).append(row)
        for unordered in by_doc.values():
            doc_rows = sorted(unordered, key=lambda r: int(r["sentence"]))
            sentences = []
            for k, row in enumerate(doc_rows):
                text = _unescape(row["text"])
                label = _LABEL_RE.match(text)
                is_label = bool(label and label.group(1).strip().lower() in SECTION_LABELS)
                sentences.append(
                    Sentence(k, row["section"], int(row["start"]), int(row["end"]), text, is_label)
                )
            for doc_row, item in zip(doc_rows, document_inputs(sentences), strict=True):
                if doc_row.get("confirmed", "") in {"0", "no"}:
                    continue
                items.append(item)
                labels.append(
                    (int(doc_row["context"]), int(doc_row["mechanism"]), int(doc_row["outcome"]))
                )
    if len({tuple(x) for x in labels}) < 2 or len(items) < 20:
        raise InputError(
            f"{', '.join(str(p) for p in paths)}: too few confirmed sentences to train on "
            f"({len(items)}); confirm at least 20 sentences with more than one kind of role, "
            "or leave out --train to use the lexicon."
        )
    return items, labels


def suggest(
    documents: Sequence[Document],
    *,
    output: Path,
    areas: Sequence[TheoryArea] = (),
    train: Sequence[Path] = (),
    threshold: float = 0.5,
    seed: int = 15,
) -> tuple[int, int, str]:
    """Write ``sentences.csv`` and ``candidates.csv`` under ``output``.

    Returns (sentences written, candidates written, scorer used: ``lexicon`` or ``model``).
    """
    model: RoleModel | None = None
    if train:
        items, labels = read_confirmed(train)
        model = RoleModel(seed=seed).fit(items, labels)
    scored = score_documents(documents, model=model, threshold=threshold)
    sentence_table: list[dict[str, str]] = []
    candidate_table: list[dict[str, str]] = []
    for doc in scored:
        sentence_table.extend(sentence_rows(doc))
        candidate_table.extend(
            candidate_row(doc, c, areas) for c in candidates_of(doc, threshold=threshold)
        )
    output = Path(output)
    n_sent = write_table(output / "sentences.csv", sentence_table, "cmo_sentences")
    n_cand = write_table(output / "candidates.csv", candidate_table, "cmo_candidates")
    return n_sent, n_cand, "model" if model is not None else "lexicon"


#: screening statuses whose records go on to full text, and so to CMO extraction.


def suggest_included(
    *,
    records: Path,
    status: Path,
    output_dir: Path,
    settings: Mapping[str, Any] | None = None,
) -> tuple[int, int, int]:
    """``cmo suggest`` on the deduplicated records screening forwarded (included or maybe).

    ``records`` is ``results/dedup/records.csv``, ``status`` ``results/screen/status.csv``,
    ``settings`` the config's ``cmo`` section. Returns (documents, sentences, candidates).
    """
    from realist_review.cmo.documents import document_from_record
    from realist_review.cmo.theory import parse_theory_areas

    settings = dict(settings or {})
    statuses = read_table(status, "screen_status")
    forwarded = {row["record_id"] for row in statuses if row["status"] in FORWARDED}
    rows = [row for row in read_table(records, "merged_record") if row["record_id"] in forwarded]
    documents = [document_from_record(row_to_record(row)) for row in rows]
    documents.sort(key=lambda d: d.record_id)
    n_sent, n_cand, _ = suggest(
        documents,
        output=output_dir,
        areas=parse_theory_areas({"cmo": settings}),
        threshold=float(settings.get("threshold", 0.5)),
    )
    return len(documents), n_sent, n_cand
