"""``realist-review simulate``: replay a labelled dataset through the screening model.

As ASReview's ``simulate`` does: one random include and one random exclude (drawn with the
seed) are the prior knowledge; then the model queries batches of ``batch_size`` records,
retraining after each, until every include has been found; the records left follow the last
model's ranking (no metric depends on their order). ``ORDER.csv`` lists every record once in
screening order (``rank,record_id,label,is_prior``; schema ``screen_order``), and
``ORDER.meta.json`` beside it records the settings (seed, preset, batch size...), the
metrics and the stopping rule's outcome.

Alongside, every stopping rule of :mod:`.stopping_rules` runs on the same order, checked
at the end of every round (sheet): ``ORDER.meta.json`` holds the default rule's outcome as
``stopping`` (``stopping.recall``, ``stopping.recall_target``, ``stopping.work_saved``...)
and every rule's outcome under ``stopping_rules`` (the heuristics as advice only).

Metrics (priors count as screened records, as every other record in ORDER.csv):

- WSS@95 = (TN + FN) / N - (1 - recall), at the first point where recall >= 95%;
- recall after 10% screened (the first ``ceil(0.1 N)`` records);
- records needed for 95% and for 100% recall.
"""

from __future__ import annotations

import argparse
import io
import logging
import math
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from realist_review.errors import InputError
from realist_review.screen import stopping, stopping_rules
from realist_review.screen.model import (
    DEFAULT_PRESET,
    PRESETS,
    ActiveLearner,
    Document,
    Preset,
    TextFeatures,
    batch_for,
    get_preset,
)
from realist_review.tables import read_text, write_json, write_table

log = logging.getLogger(__name__)

#: Columns tried, in order, for a record's id in a dataset.
ID_COLUMNS = ("record_id", "id", "ID")
#: Label cells read as include / exclude.
_INCLUDE = frozenset({"1", "1.0", "true", "yes", "include", "included"})
_EXCLUDE = frozenset({"0", "0.0", "false", "no", "exclude", "excluded"})


# --------------------------------------------------------------------------------------------
# Input
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LabelledDataset:
    """Records of a labelled screening dataset, in file order."""

    path: Path
    label_column: str
    record_ids: tuple[str, ...]
    documents: tuple[tuple[str, str], ...]
    labels: tuple[int, ...]

    @property
    def n_includes(self) -> int:
        """Records labelled include."""
        return sum(self.labels)


def _parse_label(cell: str, *, path: Path, column: str, line: int) -> int:
    value = cell.strip().lower()
    if value in _INCLUDE:
        return 1
    if value in _EXCLUDE:
        return 0
    shown = repr(cell[:40]) if value else "an empty cell"
    raise InputError(
        f"{path}: line {line}, column {column!r}: {shown} is not a label. "
        "Labels must be 1 (include) or 0 (exclude) on every row."
    )


def read_labelled_csv(path: Path, *, label_column: str = "label_included") -> LabelledDataset:
    """Read an ASReview-style CSV: ``title``, ``abstract`` and a 0/1 label column.

    The id comes from ``record_id`` (or ``id``), else the row number from 0 (as ASReview
    counts). Problems stop with an :class:`InputError` naming the file, line and column.
    """
    path = Path(path)
    text = read_text(path)
    if not text.strip():
        raise InputError(f"{path}: the file is empty; expected a CSV with a header row.")
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"{path}: not a readable CSV file ({exc}).") from None
    columns = {str(col).strip().lower(): str(col) for col in frame.columns}
    if label_column not in frame.columns:
        raise InputError(
            f"{path}: no label column {label_column!r}. Columns are: "
            f"{', '.join(map(str, frame.columns))}. Give the label column with "
            "--label-column (e.g. label_abstract_screening)."
        )
    if "title" not in columns and "abstract" not in columns:
        raise InputError(
            f"{path}: needs a 'title' and/or an 'abstract' column for the model to read; "
            f"columns are: {', '.join(map(str, frame.columns))}."
        )
    if frame.empty:
        raise InputError(f"{path}: the file has a header but no records.")
    titles = frame[columns["title"]] if "title" in columns else pd.Series([""] * len(frame))
    abstracts = (
        frame[columns["abstract"]] if "abstract" in columns else pd.Series([""] * len(frame))
    )
    id_col = next((col for col in ID_COLUMNS if col in frame.columns), None)
    ids = [str(v) for v in frame[id_col]] if id_col else [str(i) for i in range(len(frame))]
    if id_col:
        seen: dict[str, int] = {}
        for index, rid in enumerate(ids):
            if not rid.strip():
                raise InputError(f"{path}: line {index + 2}, column {id_col!r}: empty record id.")
            if rid in seen:
                raise InputError(
                    f"{path}: line {index + 2}, column {id_col!r}: record id {rid!r} repeats "
                    f"line {seen[rid] + 2}; ids must be unique."
                )
            seen[rid] = index
    labels = tuple(
        _parse_label(cell, path=path, column=label_column, line=index + 2)
        for index, cell in enumerate(frame[label_column])
    )
    n_inc = sum(labels)
    if n_inc == 0:
        raise InputError(
            f"{path}: column {label_column!r} has no includes (no 1); a simulation needs at "
            "least one include and one exclude."
        )
    if n_inc == len(labels):
        raise InputError(
            f"{path}: column {label_column!r} has no excludes (no 0); a simulation needs at "
            "least one include and one exclude."
        )
    return LabelledDataset(
        path=path,
        label_column=label_column,
        record_ids=tuple(ids),
        documents=tuple(zip(map(str, titles), map(str, abstracts), strict=True)),
        labels=labels,
    )


def read_dataset(path: Path, *, label_column: str = "label_included") -> LabelledDataset:
    """Read a labelled dataset (CSV; other export formats once the formats module reads them
    with their label column)."""
    path = Path(path)
    if path.suffix.lower() not in {".csv", ".txt", ""}:
        raise InputError(
            f"{path}: simulate reads labelled CSV files (title, abstract, {label_column}); "
            "convert other exports to CSV with 'realist-review import' and add the label column."
        )
    return read_labelled_csv(path, label_column=label_column)


# --------------------------------------------------------------------------------------------
# Metrics
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScreeningMetrics:
    """Ranking quality of one screening order (see the module docstring)."""

    records: int
    includes: int
    wss_95: float
    recall_at_10: float
    records_for_95: int
    records_for_100: int


def records_for_recall(labels_in_order: ArrayLike, recall: float) -> int:
    """Records screened when recall first reaches ``recall`` (1-based count)."""
    arr = np.asarray(labels_in_order, dtype=np.int64)
    total = int(arr.sum())
    if total == 0:
        raise ValueError("no includes: recall is undefined")
    needed = math.ceil(recall * total - 1e-9)
    return int(np.searchsorted(np.cumsum(arr), needed) + 1)


def screening_metrics(labels_in_order: ArrayLike) -> ScreeningMetrics:
    """WSS@95, recall after 10% screened, and records for 95% / 100% recall."""
    arr = np.asarray(labels_in_order, dtype=np.int64)
    n = len(arr)
    total = int(arr.sum())
    cumulative = np.cumsum(arr)
    n95 = records_for_recall(arr, 0.95)
    recall_at_n95 = cumulative[n95 - 1] / total
    wss = (n - n95) / n - (1.0 - recall_at_n95)
    tenth = math.ceil(0.10 * n)
    return ScreeningMetrics(
        records=n,
        includes=total,
        wss_95=float(wss),
        recall_at_10=float(cumulative[tenth - 1] / total),
        records_for_95=n95,
        records_for_100=records_for_recall(arr, 1.0),
    )


# --------------------------------------------------------------------------------------------
# Simulation
# --------------------------------------------------------------------------------------------
def draw_priors(labels: ArrayLike, seed: int) -> tuple[int, int]:
    """One random include and one random exclude (indices), drawn with ``seed``."""
    arr = np.asarray(labels)
    rng = np.random.default_rng(seed)
    include = int(rng.choice(np.flatnonzero(arr == 1)))
    exclude = int(rng.choice(np.flatnonzero(arr == 0)))
    return include, exclude


@dataclass(frozen=True)
class StoppingOutcome:
    """Where the stopping rule ``rule`` would have stopped in a simulation.

    ``stopped_at``: records screened in all (ranked and random) when the rule said stop (or
    every record had been screened); ``recall``: true recall there; ``target_reached``:
    whether it reached ``recall_target``. For the two-phase ``buscar`` rule,
    ``switched_at`` is where ranked screening gave way to the random sample (``None``:
    never) and ``recall_at_switch`` the recall there; ``random_sampled``: records screened
    in a random sample. ``meaning``: what stopping by the rule means.
    """

    rule: str
    recall_target: float
    confidence: float
    switched_at: int | None
    recall_at_switch: float | None
    random_sampled: int
    stopped_at: int
    includes_found: int
    recall: float
    target_reached: bool
    work_saved: float
    meaning: str


def stopping_outcome(
    outcome: stopping_rules.RuleOutcome, labels_in_order: Sequence[int]
) -> StoppingOutcome:
    """The :class:`StoppingOutcome` of a rule's result on a simulated order."""
    n = len(labels_in_order)
    total = sum(labels_in_order)
    switched = (
        outcome.ranked_until
        if outcome.rule == "buscar" and outcome.random_sampled and outcome.ranked_until < n
        else None
    )
    return StoppingOutcome(
        rule=outcome.rule,
        recall_target=outcome.recall_target,
        confidence=outcome.confidence,
        switched_at=switched,
        recall_at_switch=None if switched is None else sum(labels_in_order[:switched]) / total,
        random_sampled=outcome.random_sampled,
        stopped_at=outcome.stopped_at,
        includes_found=outcome.includes_found,
        recall=outcome.recall,
        target_reached=outcome.target_reached,
        work_saved=outcome.work_saved,
        meaning=stopping_rules.MEANINGS[outcome.rule],
    )


@dataclass(frozen=True)
class SimulationResult:
    """A simulated screening: the order, why each record came, metrics and stopping."""

    order: tuple[int, ...]
    labels_in_order: tuple[int, ...]
    query: tuple[str, ...]
    priors: tuple[int, int]
    preset: str
    seed: int
    batch_size: int
    uncertainty_share: float
    metrics: ScreeningMetrics
    stopping: StoppingOutcome
    rules: tuple[stopping_rules.RuleOutcome, ...]
    round_ends: tuple[int, ...]
    seconds: float = field(compare=False)


def find_switch(
    labels_in_order: ArrayLike, check_every: int, recall_target: float, confidence: float
) -> int | None:
    """First round end (after the 2 priors, every ``check_every`` records) at which the
    quasi-sampling test rejects "recall < target"; ``None`` if none before the end."""
    arr = np.asarray(labels_in_order, dtype=np.int64)
    n = len(arr)
    for position in range(2, n, check_every):
        p = stopping.quasi_sampling_pvalue(arr[:position], n, recall_target)
        if p < stopping.significance(confidence):
            return position
    return None


def simulate_screening(
    documents: Sequence[Document],
    labels: Sequence[int],
    *,
    preset: str | Preset = DEFAULT_PRESET,
    seed: int,
    batch_size: int = 50,
    uncertainty_share: float | None = None,
    recall_target: float = 0.95,
    confidence: float = 0.95,
    priors: tuple[int, int] | None = None,
    stopping_rule: str = stopping_rules.DEFAULT_RULE,
) -> SimulationResult:
    """Replay a labelled dataset through the model, with the stopping rules alongside.

    ``priors``: (include index, exclude index); drawn with ``seed`` by :func:`draw_priors`
    when not given. Rounds hold ``batch_size`` records (smaller first rounds when the
    preset's ``first_batch`` is set, :func:`.model.batch_for`). The stopping rules are
    checked after every round (every 10 records when rounds are smaller, to keep the cost of
    the check bounded). The model is retrained until every include has been found; what
    follows contains only excludes, so the stopping rules run on the labels alone from
    there. ``stopping_rule`` is the rule reported as :attr:`SimulationResult.stopping`.
    """
    started = time.perf_counter()
    if batch_size < 1:
        raise InputError(f"batch size must be at least 1, got {batch_size}")
    stopping.check_settings(recall_target, confidence)
    stopping_rules.check_rule(stopping_rule)
    y = np.asarray(labels, dtype=np.int64)
    n = len(y)
    total = int(y.sum())
    if total == 0 or total == n:
        raise InputError("a simulation needs at least one include and one exclude")
    chosen = get_preset(preset)
    include, exclude = priors if priors is not None else draw_priors(y, seed)
    if y[include] != 1 or y[exclude] != 0:
        raise InputError("priors must be one include and one exclude")
    features = TextFeatures.from_preset(chosen).fit_transform(list(documents))
    learner = ActiveLearner(features, preset=chosen, seed=seed, uncertainty_share=uncertainty_share)
    order: list[int] = [include, exclude]
    query: list[str] = ["prior", "prior"]
    known: dict[int, int] = {include: 1, exclude: 0}
    found = 1
    round_ends: list[int] = []
    check_every = max(batch_size, 10)
    since_check = 0
    while len(order) < n and found < total:
        size = batch_for(len(known), batch_size, chosen.first_batch)
        batch, kinds, _ = learner.next_batch(known, size)
        for index, kind in zip(batch, kinds, strict=True):
            order.append(index)
            query.append(kind)
            known[index] = int(y[index])
            found += int(y[index])
        since_check += len(batch)
        if since_check >= min(check_every, max(size, 10)) or found == total:
            round_ends.append(len(order))
            since_check = 0
    if len(order) < n:
        # every include is found: the rest follow the last model's ranking. Only excludes
        # are left, so no metric and no stopping decision depends on their order.
        rest = np.setdiff1d(np.arange(n), np.asarray(order))
        relevance = learner.relevance(known)
        if relevance is not None:
            rest = rest[np.lexsort((rest, -relevance[rest]))]
        order.extend(int(i) for i in rest)
        query.extend("certainty" for _ in rest)
    labels_in_order = [int(y[i]) for i in order]
    outcomes = tuple(
        stopping_rules.evaluate(
            rule,
            labels_in_order,
            check_every=check_every,
            round_ends=round_ends,
            recall_target=recall_target,
            confidence=confidence,
            seed=seed,
        )
        for rule in stopping_rules.RULES
    )
    chosen_outcome = next(o for o in outcomes if o.rule == stopping_rule)
    return SimulationResult(
        order=tuple(order),
        labels_in_order=tuple(labels_in_order),
        query=tuple(query),
        priors=(include, exclude),
        preset=chosen.name,
        seed=int(seed),
        batch_size=batch_size,
        uncertainty_share=learner.uncertainty_share,
        metrics=screening_metrics(labels_in_order),
        stopping=stopping_outcome(chosen_outcome, labels_in_order),
        rules=outcomes,
        round_ends=tuple(round_ends),
        seconds=time.perf_counter() - started,
    )


# --------------------------------------------------------------------------------------------
# Output and command line
# --------------------------------------------------------------------------------------------
def order_rows(dataset: LabelledDataset, result: SimulationResult) -> list[dict[str, object]]:
    """ORDER.csv rows: ``rank`` (from 1), ``record_id``, ``label``, ``is_prior``."""
    priors = set(result.priors)
    return [
        {
            "rank": rank,
            "record_id": dataset.record_ids[index],
            "label": dataset.labels[index],
            "is_prior": 1 if index in priors else 0,
        }
        for rank, index in enumerate(result.order, start=1)
    ]


def write_order(path: Path, dataset: LabelledDataset, result: SimulationResult) -> Path:
    """Write ORDER.csv and ORDER.meta.json (settings, metrics, stopping); return the meta path."""
    path = Path(path)
    write_table(path, order_rows(dataset, result), "screen_order")
    meta = path.with_name(path.stem + ".meta.json")
    write_json(
        meta,
        {
            "schema": "screen_order",
            "dataset": dataset.path.name,
            "label_column": dataset.label_column,
            "records": result.metrics.records,
            "includes": result.metrics.includes,
            "settings": {
                "preset": result.preset,
                "seed": result.seed,
                "batch_size": result.batch_size,
                "uncertainty_share": result.uncertainty_share,
                "priors": [dataset.record_ids[i] for i in result.priors],
            },
            "metrics": asdict(result.metrics),
            "stopping": asdict(result.stopping),
            "stopping_rules": {
                outcome.rule: {
                    **asdict(outcome),
                    "advice_only": not outcome.statistical,
                    "meaning": stopping_rules.MEANINGS[outcome.rule],
                }
                for outcome in result.rules
            },
        },
    )
    return meta


def summary_lines(result: SimulationResult) -> list[str]:
    """What the command prints."""
    m = result.metrics
    s = result.stopping
    lines = [
        f"records {m.records}, includes {m.includes}; preset {result.preset}, seed "
        f"{result.seed}, batch size {result.batch_size}",
        f"WSS@95: {m.wss_95:.3f}",
        f"recall after 10% screened: {m.recall_at_10:.3f}",
        f"records for 95% recall: {m.records_for_95}; for 100% recall: {m.records_for_100}",
    ]
    if s.switched_at is not None:
        lines.append(
            f"stopping rule {s.rule}: ranked screening until {s.switched_at} records (recall "
            f"{s.recall_at_switch:.3f}), then a random sample of {s.random_sampled}"
        )
    lines.append(
        f"stopping rule {s.rule}: stop after {s.stopped_at} records ({s.work_saved:.1%} "
        f"unscreened) at recall {s.recall:.3f}; target {s.recall_target:.0%} "
        f"{'reached' if s.target_reached else 'MISSED'} (confidence {s.confidence:.0%})"
    )
    for outcome in result.rules:
        if outcome.rule == s.rule:
            continue
        kind = "rule" if outcome.statistical else "heuristic (advice only)"
        lines.append(
            f"  other {kind} {outcome.rule}: stop after {outcome.stopped_at} records "
            f"({outcome.work_saved:.1%} unscreened) at recall {outcome.recall:.3f}"
        )
    return lines


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``realist-review simulate``."""
    parser.add_argument("dataset", type=Path, help="labelled CSV (title, abstract, label)")
    parser.add_argument("--output", "-o", type=Path, required=True, help="ORDER.csv to write")
    parser.add_argument("--seed", type=int, default=0, help="seed for priors and model (0)")
    parser.add_argument(
        "--preset", default=DEFAULT_PRESET, choices=sorted(PRESETS), help="model preset"
    )
    parser.add_argument(
        "--batch-size", type=int, default=50, help="records per round, retrain after each (50)"
    )
    parser.add_argument(
        "--label-column", default="label_included", help="0/1 label column (label_included)"
    )
    parser.add_argument(
        "--uncertainty-share",
        type=float,
        default=None,
        help="share of each batch chosen by uncertainty (default: the preset's)",
    )
    parser.add_argument("--stop-target", type=float, default=0.95, help="recall target (0.95)")
    parser.add_argument(
        "--stop-confidence", type=float, default=0.95, help="confidence level (0.95)"
    )
    parser.add_argument(
        "--stop-rule",
        default=stopping_rules.DEFAULT_RULE,
        choices=stopping_rules.RULES,
        help=f"stopping rule reported as 'stopping' ({stopping_rules.DEFAULT_RULE})",
    )


def run(args: argparse.Namespace) -> int:
    """Run the simulation, write ORDER.csv (+ .meta.json) and print the figures."""
    dataset = read_dataset(args.dataset, label_column=args.label_column)
    result = simulate_screening(
        dataset.documents,
        dataset.labels,
        preset=args.preset,
        seed=args.seed,
        batch_size=args.batch_size,
        uncertainty_share=args.uncertainty_share,
        recall_target=args.stop_target,
        confidence=args.stop_confidence,
        stopping_rule=args.stop_rule,
    )
    write_order(args.output, dataset, result)
    for line in summary_lines(result):
        print(line)
    log.info("simulation took %.1f s", result.seconds)
    return 0
