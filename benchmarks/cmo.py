"""CMO extraction benchmark: sentence roles and candidate configurations against gold labels.

Gold labels (``benchmarks/data/cmo_annotations.jsonl``: record ids, sentence offsets, roles
and configurations, never text) are joined to the abstracts of
``../shared/data/corpus/vembye_screen_benchmarks_foster_adoptive/included_on_title_abstract.ris``
(read with the project's own RIS parser, so offsets are into the abstract as the record table
holds it). Our sentences are aligned to the gold sentences by character overlap.

Printed, per scorer: precision, recall and F1 of each role and macro (over gold sentences),
and the share of gold configurations covered by a candidate whose evidence sentences overlap
with Jaccard >= 0.5 (with candidates per record). Scorers:

- ``lexicon``: the label-free cue lexicon (no training);
- ``model (CV)``: the scikit-learn model, 5-fold cross-validated with folds grouped by record;
- ``model 10% / 25% / 50%``: the same folds, trained on that share of the training records
  (three seeded draws each, averaged): how fast the model learns from reviewers.

With ``--test GOLD`` (for example the held-back set annotated by someone else), the model is
trained on all of ``--gold`` and everything is measured on ``GOLD`` instead (no CV).

Run: ``REALIST_REVIEW_SHARED=/path/to/shared nice -n 10 python benchmarks/cmo.py``.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from realist_review.cmo.evaluate import (
    GoldRecord,
    align,
    configuration_coverage,
    load_gold,
    role_scores,
)
from realist_review.cmo.lexicon import RoleScores
from realist_review.cmo.model import RoleModel, SentenceInput, document_inputs
from realist_review.cmo.sentences import Sentence, split_sentences
from realist_review.cmo.suggest import link_scored
from realist_review.formats import load_export

ROOT = Path(__file__).resolve().parents[1]
SHARED = (
    Path(os.environ["REALIST_REVIEW_SHARED"]) / "data"
    if "REALIST_REVIEW_SHARED" in os.environ
    else ROOT.parent / "shared" / "data"
)
RIS = SHARED / "corpus/vembye_screen_benchmarks_foster_adoptive/included_on_title_abstract.ris"
GOLD = ROOT / "benchmarks/data/cmo_annotations.jsonl"
FRACTIONS = (0.10, 0.25, 0.50)
DRAWS = 3
FOLDS = 5


@dataclass(frozen=True)
class Doc:
    """One gold record with our sentences, their inputs and their (aligned) gold roles."""

    gold: GoldRecord
    sentences: list[Sentence]
    items: list[SentenceInput]
    labels: list[tuple[int, int, int]]  # per our sentence, from the gold sentence it overlaps
    to_ours: list[int | None]  # gold sentence -> our sentence
    to_gold: list[int | None]  # our sentence -> gold sentence


def load_docs(gold_path: Path, ris: Path) -> list[Doc]:
    """Join gold labels to abstracts; only the gold file's records are read."""
    gold = load_gold(gold_path)
    wanted = {g.source_id for g in gold}
    records = {
        r.source_id: r
        for r in load_export(ris, search_id="included_on_title_abstract").records
        if r.source_id in wanted
    }
    docs = []
    for g in gold:
        if g.source_id not in records:
            sys.exit(f"{gold_path}: record {g.source_id} is not in {ris}")
        sentences = split_sentences(records[g.source_id].abstract)
        spans = [(s.start, s.end) for s in sentences]
        gold_spans = [(s.start, s.end) for s in g.sentences]
        to_gold = align(spans, gold_spans)
        labels = [(0, 0, 0) if k is None else g.sentences[k].roles for k in to_gold]
        docs.append(
            Doc(g, sentences, document_inputs(sentences), labels, align(gold_spans, spans), to_gold)
        )
    return docs


def decide(scores: RoleScores, threshold: float = 0.5) -> tuple[int, int, int]:
    """0/1 roles from scores."""
    return (
        int(scores.context >= threshold),
        int(scores.mechanism >= threshold),
        int(scores.outcome >= threshold),
    )


def candidates(doc: Doc, scores: Sequence[RoleScores]) -> list[frozenset[int]]:
    """Candidate evidence sets of one document (as ``cmo suggest`` links them), gold indices."""
    out = []
    for linked in link_scored(doc.sentences, [0] * len(doc.sentences), scores):
        evidence = linked.candidate.evidence
        mapped = frozenset(k for i in evidence if (k := doc.to_gold[i]) is not None)
        if mapped:
            out.append(mapped)
    return out


@dataclass
class Result:
    """Scores of one scorer over a set of documents."""

    truth: list[tuple[int, int, int]]
    predicted: list[tuple[int, int, int]]
    covered: int
    configs: int
    n_candidates: int
    n_docs: int


def measure(docs: Sequence[Doc], scores: dict[str, list[RoleScores]]) -> Result:
    """Role and configuration measures of scored documents (scores per source id)."""
    truth: list[tuple[int, int, int]] = []
    predicted: list[tuple[int, int, int]] = []
    gold_configs = {}
    cands = {}
    for doc in docs:
        doc_scores = scores[doc.gold.source_id]
        for gold_sentence, ours in zip(doc.gold.sentences, doc.to_ours, strict=True):
            truth.append(gold_sentence.roles)
            predicted.append((0, 0, 0) if ours is None else decide(doc_scores[ours]))
        gold_configs[doc.gold.source_id] = doc.gold.configurations
        cands[doc.gold.source_id] = candidates(doc, doc_scores)
    covered, total, n_cand = configuration_coverage(gold_configs, cands)
    return Result(truth, predicted, covered, total, n_cand, len(docs))


def train(docs: Sequence[Doc], seed: int) -> RoleModel:
    """The model trained on every sentence of ``docs``."""
    items = [i for d in docs for i in d.items]
    labels = [lab for d in docs for lab in d.labels]
    return RoleModel(seed=seed).fit(items, labels)


def folds(docs: Sequence[Doc], k: int, seed: int) -> list[list[int]]:
    """Record-grouped folds (each record in exactly one), seeded."""
    order = list(range(len(docs)))
    random.Random(seed).shuffle(order)
    return [sorted(order[i::k]) for i in range(k)]


def cross_validated(
    docs: Sequence[Doc], *, fraction: float, seed: int, draws: int
) -> list[dict[str, list[RoleScores]]]:
    """Out-of-fold model scores; with ``fraction`` < 1 one result per seeded draw."""
    outs: list[dict[str, list[RoleScores]]] = []
    for draw in range(draws if fraction < 1 else 1):
        scores: dict[str, list[RoleScores]] = {}
        for test in folds(docs, FOLDS, seed):
            held = set(test)
            pool = [d for i, d in enumerate(docs) if i not in held]
            if fraction < 1:
                rng = random.Random(seed * 1000 + draw)
                pool = rng.sample(pool, max(2, round(fraction * len(pool))))
            model = train(pool, seed)
            for i in test:
                scores[docs[i].gold.source_id] = model.predict(docs[i].items)
        outs.append(scores)
    return outs


def row(name: str, results: Sequence[Result]) -> str:
    """One Markdown table row (means over the results)."""
    per = [role_scores(r.truth, r.predicted) for r in results]

    def mean(role: str, attr: str) -> float:
        return statistics.mean(getattr(p[role], attr) for p in per)

    cells = [name]
    for role in ("context", "mechanism", "outcome"):
        cells.append(
            f"{mean(role, 'precision'):.2f} / {mean(role, 'recall'):.2f} / {mean(role, 'f1'):.2f}"
        )
    cells.append(f"**{mean('macro', 'f1'):.3f}**")
    covered = statistics.mean(r.covered / r.configs if r.configs else 0.0 for r in results)
    cells.append(f"{covered:.1%} ({results[0].configs} gold)")
    cells.append(f"{statistics.mean(r.n_candidates / r.n_docs for r in results):.1f}")
    return "| " + " | ".join(cells) + " |"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD, help="gold annotations (JSON lines)")
    parser.add_argument("--ris", type=Path, default=RIS, help="RIS file holding the abstracts")
    parser.add_argument("--test", type=Path, help="held-back gold: train on --gold, test here")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args(argv)
    if not args.ris.is_file():
        print(f"skipped: {args.ris} is absent (set REALIST_REVIEW_SHARED)")
        return 0
    docs = load_docs(args.gold, args.ris)
    n_sent = sum(len(d.gold.sentences) for d in docs)
    header = (
        "| scorer | context P / R / F1 | mechanism P / R / F1 | outcome P / R / F1 "
        "| macro F1 | configurations covered (Jaccard >= 0.5) | candidates / record |\n"
        "|---|---|---|---|---|---|---|"
    )
    if args.test is None:
        print(
            f"gold: {args.gold.name}, {len(docs)} records, {n_sent} sentences; "
            f"model: {FOLDS}-fold CV grouped by record (seed {args.seed})\n"
        )
        print(header)
        lexicon = {d.gold.source_id: [i.lexicon() for i in d.items] for d in docs}
        print(row("lexicon (no labels)", [measure(docs, lexicon)]))
        for fraction in FRACTIONS:
            runs = cross_validated(docs, fraction=fraction, seed=args.seed, draws=DRAWS)
            label = f"model, {fraction:.0%} of training labels ({DRAWS} draws)"
            print(row(label, [measure(docs, s) for s in runs]))
        full = cross_validated(docs, fraction=1.0, seed=args.seed, draws=1)
        print(row("model (CV, all training labels)", [measure(docs, s) for s in full]))
        return 0
    tests = load_docs(args.test, args.ris)
    print(
        f"train: {args.gold.name} ({len(docs)} records); test: {args.test.name} "
        f"({len(tests)} records, {sum(len(d.gold.sentences) for d in tests)} sentences)\n"
    )
    print(header)
    lexicon = {d.gold.source_id: [i.lexicon() for i in d.items] for d in tests}
    print(row("lexicon (no labels)", [measure(tests, lexicon)]))
    for fraction in (*FRACTIONS, 1.0):
        results = []
        for draw in range(DRAWS if fraction < 1 else 1):
            pool = list(docs)
            if fraction < 1:
                pool = random.Random(args.seed * 1000 + draw).sample(
                    pool, max(2, round(fraction * len(pool)))
                )
            model = train(pool, args.seed)
            scores = {d.gold.source_id: model.predict(d.items) for d in tests}
            results.append(measure(tests, scores))
        print(row(f"model, {fraction:.0%} of the training labels", results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
