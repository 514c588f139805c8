"""Gold CMO annotations and the measures the benchmark reports.

Gold annotations keep only ids, character offsets and labels (never abstract text): one JSON
object per line, ``{"source_id", "sentences": [{"start", "end", "context", "mechanism",
"outcome"}], "configurations": [{"evidence": [sentence indices], "explicit"}]}``. Predicted
sentences are aligned to gold sentences by character overlap, so any sensible splitter can be
scored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from realist_review.cmo.lexicon import ROLES
from realist_review.errors import InputError


@dataclass(frozen=True, slots=True)
class GoldSentence:
    """One gold sentence: offsets into the abstract and its 0/1 roles."""

    start: int
    end: int
    roles: tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class GoldRecord:
    """The gold annotation of one record."""

    source_id: str
    sentences: tuple[GoldSentence, ...]
    configurations: tuple[frozenset[int], ...]


def load_gold(path: Path) -> list[GoldRecord]:
    """Read a gold annotation file (JSON lines); raise :class:`InputError` on a bad line."""
    records: list[GoldRecord] = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            sentences = tuple(
                GoldSentence(
                    int(s["start"]),
                    int(s["end"]),
                    (int(s["context"]), int(s["mechanism"]), int(s["outcome"])),
                )
                for s in data["sentences"]
            )
            configs = tuple(
                frozenset(int(i) for i in c["evidence"]) for c in data["configurations"]
            )
            records.append(GoldRecord(str(data["source_id"]), sentences, configs))
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{path}: line {number} is not a gold CMO annotation ({exc})") from exc
    return records


def align(
    gold: Sequence[tuple[int, int]], predicted: Sequence[tuple[int, int]]
) -> list[int | None]:
    """For each gold span, the index of the predicted span overlapping it most (or None)."""
    out: list[int | None] = []
    for g_start, g_end in gold:
        best, best_overlap = None, 0
        for index, (p_start, p_end) in enumerate(predicted):
            overlap = min(g_end, p_end) - max(g_start, p_start)
            if overlap > best_overlap:
                best, best_overlap = index, overlap
        out.append(best)
    return out


@dataclass(frozen=True, slots=True)
class PRF:
    """Precision, recall and F1 of one role."""

    precision: float
    recall: float
    f1: float
    support: int


def prf(truth: Sequence[int], predicted: Sequence[int]) -> PRF:
    """Precision, recall and F1 of binary labels (0 when undefined)."""
    tp = sum(1 for t, p in zip(truth, predicted, strict=True) if t and p)
    fp = sum(1 for t, p in zip(truth, predicted, strict=True) if not t and p)
    fn = sum(1 for t, p in zip(truth, predicted, strict=True) if t and not p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PRF(precision, recall, f1, tp + fn)


def role_scores(
    truth: Sequence[tuple[int, int, int]], predicted: Sequence[tuple[int, int, int]]
) -> dict[str, PRF]:
    """Per-role :class:`PRF` and ``"macro"`` (mean of the three)."""
    out = {
        role: prf([t[i] for t in truth], [p[i] for p in predicted]) for i, role in enumerate(ROLES)
    }
    out["macro"] = PRF(
        sum(v.precision for v in out.values()) / 3,
        sum(v.recall for v in out.values()) / 3,
        sum(v.f1 for v in out.values()) / 3,
        sum(v.support for v in out.values()),
    )
    return out


def jaccard(a: Iterable[int], b: Iterable[int]) -> float:
    """Jaccard index of two index sets (0 for two empty sets)."""
    sa, sb = set(a), set(b)
    union = sa | sb
    return len(sa & sb) / len(union) if union else 0.0


def configuration_coverage(
    gold: Mapping[str, Sequence[frozenset[int]]],
    candidates: Mapping[str, Sequence[frozenset[int]]],
    *,
    threshold: float = 0.5,
) -> tuple[int, int, int]:
    """(gold configurations covered, gold configurations, candidates) over all records.

    A gold configuration is covered when some candidate of its record has evidence-sentence
    Jaccard >= ``threshold`` with it. Evidence is in gold sentence indices.
    """
    covered = total = 0
    for source_id, configs in gold.items():
        cands = candidates.get(source_id, ())
        for config in configs:
            total += 1
            if any(jaccard(config, cand) >= threshold for cand in cands):
                covered += 1
    n_candidates = sum(len(c) for c in candidates.values())
    return covered, total, n_candidates
