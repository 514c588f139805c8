"""Blocking: the candidate pairs worth scoring, in near-linear number.

Each *pass* sorts the records by one key and pairs every record with the next ``window``
records that share the key (exact blocks), or simply with the next ``window`` records
(sorted neighbourhood, for keys such as the title where near-misses sort close together).
A block larger than ``window + 1`` is therefore never expanded into all its pairs: the
number of candidates is at most ``n * window`` per pass, whatever the data.

Everything is vectorised: keys become integer codes, pairs come from shifted comparisons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from realist_review.dedup.normalize import Prepared

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class BlockSettings:
    """Window sizes of the blocking passes (records compared with the next ``window``)."""

    exact_window: int = 20
    neighbourhood_window: int = 6
    title_prefix: int = 24


def _codes(values: npt.NDArray[np.object_]) -> IntArray:
    """Integer code per value (``-1`` for ``""``); equal values get equal codes."""
    uniques, inverse = np.unique(values.astype(str), return_inverse=True)
    codes = inverse.astype(np.int64)
    if len(uniques) and uniques[0] == "":
        codes -= 1  # "" sorts first: it becomes -1, the rest 0..k-1
    return codes


def _combine(*codes: IntArray) -> IntArray:
    """One code per row for a tuple of keys; ``-1`` where any part is missing."""
    missing = np.zeros(len(codes[0]), dtype=bool)
    combined = np.zeros(len(codes[0]), dtype=np.int64)
    for code in codes:
        missing |= code < 0
        combined = combined * (int(code.max(initial=0)) + 2) + (code + 1)
        # keep codes small so products never overflow: re-code after each step
        _, combined = np.unique(combined, return_inverse=True)
        combined = combined.astype(np.int64)
    combined[missing] = -1
    return combined


def pairs_in_blocks(key: IntArray, order: IntArray, window: int) -> IntArray:
    """Pairs of rows sharing ``key`` within ``window`` positions in ``order`` (sorted by key)."""
    valid = key >= 0
    idx = np.nonzero(valid)[0]
    if len(idx) < 2:
        return np.empty((0, 2), dtype=np.int64)
    sub = idx[np.lexsort((order[idx], key[idx]))]
    sorted_key = key[sub]
    chunks = []
    for d in range(1, min(window, len(sub) - 1) + 1):
        same = sorted_key[:-d] == sorted_key[d:]
        if not same.any():
            break
        chunks.append(np.stack([sub[:-d][same], sub[d:][same]], axis=1))
    if not chunks:
        return np.empty((0, 2), dtype=np.int64)
    return np.concatenate(chunks)


def sorted_neighbourhood(key: IntArray, window: int) -> IntArray:
    """Pairs of rows within ``window`` positions of each other when sorted by ``key``."""
    idx = np.nonzero(key >= 0)[0]
    sub = idx[np.argsort(key[idx], kind="stable")]
    chunks = [
        np.stack([sub[:-d], sub[d:]], axis=1) for d in range(1, min(window, len(sub) - 1) + 1)
    ]
    if not chunks:
        return np.empty((0, 2), dtype=np.int64)
    return np.concatenate(chunks)


def unique_pairs(chunks: Sequence[IntArray], n: int) -> IntArray:
    """Union of pair arrays as sorted ``(i, j)`` rows with ``i < j``, no repeats."""
    if not chunks:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(chunks)
    lo = np.minimum(pairs[:, 0], pairs[:, 1])
    hi = np.maximum(pairs[:, 0], pairs[:, 1])
    keep = lo != hi
    code = np.unique(lo[keep] * n + hi[keep])
    return np.stack([code // n, code % n], axis=1)


def candidate_pairs(prep: Prepared, settings: BlockSettings | None = None) -> IntArray:
    """All candidate pairs of ``prep`` as an ``(m, 2)`` array of row indices, ``i < j``."""
    cfg = settings or BlockSettings()
    n = len(prep)
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)
    title = prep.title
    title_code = _codes(title)
    reversed_title = np.array([t[::-1] for t in title], dtype=object)
    rev_code = _codes(reversed_title)
    prefix = np.array([t[: cfg.title_prefix] if len(t) >= 8 else "" for t in title], dtype=object)
    suffix = np.array([t[-cfg.title_prefix :] if len(t) >= 8 else "" for t in title], dtype=object)
    first = _codes(prep.first_author)
    year = np.where(prep.year > 0, prep.year.astype(np.int64), -1)
    volume = _codes(prep.volume)
    page = _codes(prep.page_first)
    w = cfg.exact_window
    chunks = [
        pairs_in_blocks(_codes(prep.doi), title_code, w),
        pairs_in_blocks(_codes(prep.pmid), title_code, w),
        pairs_in_blocks(_codes(prefix), title_code, w),
        pairs_in_blocks(_codes(suffix), rev_code, w),
        pairs_in_blocks(_combine(year, volume, page), title_code, w),
        pairs_in_blocks(_combine(first, page), title_code, w),
        pairs_in_blocks(_combine(first, year), title_code, w),
        sorted_neighbourhood(title_code, cfg.neighbourhood_window),
        sorted_neighbourhood(rev_code, cfg.neighbourhood_window),
    ]
    return unique_pairs(chunks, n)
