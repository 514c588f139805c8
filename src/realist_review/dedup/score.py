"""Scoring candidate pairs: per-field similarities for whole arrays of pairs at once.

String similarities come from :func:`rapidfuzz.process.cpdist` (element-wise, C++, both
cores); comparisons of codes and numbers are NumPy expressions. No Python loop runs over the
pairs, except over *distinct* journal-name pairs that look like an abbreviation of each other
(a few thousand at most), which are checked word by word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz
from rapidfuzz.process import cpdist

from realist_review.dedup.normalize import Kind, Prepared

FloatArray = npt.NDArray[np.float32]
Int8Array = npt.NDArray[np.int8]
BoolArray = npt.NDArray[np.bool_]

#: Workers for rapidfuzz (the machine has two cores).
WORKERS = 2


@dataclass(frozen=True)
class PairScores:
    """Similarities of ``m`` pairs. Floats are in [0, 1] (``nan`` when a side is missing);
    ``*_match`` columns are ``1`` equal, ``0`` unknown (a side is missing), ``-1`` different.
    """

    a: npt.NDArray[np.int64]
    b: npt.NDArray[np.int64]
    title: FloatArray
    title_partial: FloatArray
    authors: FloatArray
    first_author: FloatArray
    #: 1.0 when either first author's surname occurs in the other's author list as written
    first_author_in_other: FloatArray
    journal: FloatArray
    abstract: FloatArray
    year_diff: npt.NDArray[np.int16]
    doi_match: Int8Array
    pmid_match: Int8Array
    volume_match: Int8Array
    page_match: Int8Array
    last_page_match: Int8Array
    page_gap: npt.NDArray[np.int32]
    #: the two page ranges share at least one page (both known)
    pages_overlap: npt.NDArray[np.bool_]
    single_page: npt.NDArray[np.bool_]
    single_page_mix: npt.NDArray[np.bool_]
    same_kind: npt.NDArray[np.bool_]
    part_conflict: npt.NDArray[np.bool_]
    numbers_conflict: npt.NDArray[np.bool_]
    conference_mix: npt.NDArray[np.bool_]
    conference_both: npt.NDArray[np.bool_]
    preprint_mix: npt.NDArray[np.bool_]
    #: one record is an Embase compilation of letters ("(multiple letters)") and the other, a
    #: comment or reply, lies within its pages
    compilation_part: npt.NDArray[np.bool_]
    #: both records list at least three authors
    three_authors: npt.NDArray[np.bool_]
    #: issue numbers: 1 equal, 0 unknown, -1 different
    issue_match: Int8Array
    #: title, every author, journal, year, volume, issue (or both without) and pages agree
    #: exactly
    exact_same: npt.NDArray[np.bool_]
    #: either title is a recurring section title ("Editor's comments", "Reply")
    generic: npt.NDArray[np.bool_]
    #: one record is an early report (preprint, abstract, supplement item, report), the other not
    early_mix: npt.NDArray[np.bool_]
    #: both records are early reports
    early_both: npt.NDArray[np.bool_]
    #: either record is a technical report or working paper
    report_any: npt.NDArray[np.bool_]
    #: one title announces an abstract, demo or poster, the other does not
    marked_mix: npt.NDArray[np.bool_]
    #: either title may be a translation (see :func:`~.normalize.may_be_translated`)
    translated: npt.NDArray[np.bool_]

    def __len__(self) -> int:
        return len(self.a)

    def take(self, mask: npt.NDArray[np.bool_] | npt.NDArray[np.int64]) -> PairScores:
        """The scores of a subset of pairs."""
        return PairScores(**{f.name: getattr(self, f.name)[mask] for f in fields(self)})


def _sim(left: npt.NDArray[np.object_], right: npt.NDArray[np.object_], scorer: Any) -> FloatArray:
    """Element-wise similarity in [0, 1]; ``nan`` where either side is empty."""
    m = len(left)
    out = np.full(m, np.nan, dtype=np.float32)
    both = (left != "") & (right != "")
    if both.any():
        scores = cpdist(
            list(left[both]),
            list(right[both]),
            scorer=scorer,
            workers=WORKERS,
            dtype=np.float32,
        )
        out[both] = scores / 100.0
    return out


#: What a component DOI adds to its article's DOI: a supplement, figure or table
#: (``10.1371/journal.pone.0123456.s001``, ``.g002``, ``/suppl_file/mmc1``).
_COMPONENT_DOI_RE = re.compile(
    r"[./_-](?:s|g|t|sm|suppl?|supplement|suppl_file|mmc|esm|figure|table)[./_-]?[a-z]?\d{0,4}"
    r"(?:[./_-]?(?:mmc|esm)?\d{0,4})?"
)


def _doi_match(
    left: npt.NDArray[np.object_], right: npt.NDArray[np.object_], title: FloatArray
) -> Int8Array:
    """DOI agreement; a component DOI (supplement, figure, table) of the other record's DOI
    counts as unknown, not as a different DOI (checked for pairs with close titles only)."""
    out = _match(left, right)
    idx = np.nonzero((out < 0) & (np.nan_to_num(title, nan=0.0) >= 0.9))[0]
    for k in idx.tolist():
        x, y = left[k], right[k]
        if len(x) > len(y):
            x, y = y, x
        if y.startswith(x) and _COMPONENT_DOI_RE.fullmatch(y[len(x) :]):
            out[k] = 0
    return out


def _match(left: npt.NDArray[np.object_], right: npt.NDArray[np.object_]) -> Int8Array:
    both = (left != "") & (right != "")
    out = np.zeros(len(left), dtype=np.int8)
    out[both] = np.where(left[both] == right[both], 1, -1)
    return out


@lru_cache(maxsize=200_000)
def abbreviation_similarity(short: str, long: str) -> float:
    """1.0 when every word of one journal name is a prefix of the next words of the other.

    ``nat rev nephrol`` / ``nature reviews nephrology``: 1.0. Word order must agree and every
    word of the shorter form must be used; otherwise 0.0.
    """
    a, b = short.split(), long.split()
    if len(a) > len(b):
        a, b = b, a
    if not a:
        return 0.0
    j = 0
    for word in a:
        while j < len(b) and not b[j].startswith(word):
            j += 1
        if j == len(b):
            return 0.0
        j += 1
    return 1.0


def _journal_sim(
    prep: Prepared, codes: npt.NDArray[np.int64], a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]
) -> FloatArray:
    left, right = prep.journal[a], prep.journal[b]
    sim = _sim(left, right, fuzz.ratio)
    sig = _sim(prep.journal_sig[a], prep.journal_sig[b], fuzz.ratio)
    sim = np.fmax(sim, sig)
    low = np.nonzero((sim < 0.9) & ~np.isnan(sim))[0]
    if len(low):
        width = int(codes.max()) + 1
        pair_code = codes[a[low]] * width + codes[b[low]]
        _, first, inverse = np.unique(pair_code, return_index=True, return_inverse=True)
        left_names, right_names = left[low], right[low]
        abbrev = np.array(
            [abbreviation_similarity(left_names[k], right_names[k]) for k in first.tolist()],
            dtype=np.float32,
        )
        sim[low] = np.fmax(sim[low], abbrev[inverse.ravel()])
    return sim


def _title_partial(
    prep: Prepared,
    title: FloatArray,
    contained: FloatArray,
    a: npt.NDArray[np.int64],
    b: npt.NDArray[np.int64],
) -> FloatArray:
    """Similarity of the shorter title to the start or the end of the longer one (truncated
    titles, a subtitle or a prefix one database adds); computed only where the plain ratio is
    not already high, the lengths differ, the titles carry the same numbers and the first
    authors and years are compatible."""
    out = title.copy()
    lengths = prep.title_len
    la, lb = lengths[a], lengths[b]
    shorter = np.minimum(la, lb)
    ya, yb = prep.year[a], prep.year[b]
    need = (
        (title < 0.95)
        & (title >= 0.3)
        & (shorter >= 20)
        & (shorter < 0.9 * np.maximum(la, lb))
        & (prep.numbers[a] == prep.numbers[b])
        & ((ya == 0) | (yb == 0) | (np.abs(ya - yb) <= 1))
        & (np.isnan(contained) | (contained > 0))
    )
    idx = np.nonzero(need)[0]
    if len(idx):
        left, right = prep.title[a[idx]], prep.title[b[idx]]
        short, head, tail = [], [], []
        for x, y in zip(left.tolist(), right.tolist(), strict=True):
            if len(x) > len(y):
                x, y = y, x
            short.append(x)
            head.append(y[: len(x)])
            tail.append(y[-len(x) :])
        best = (
            np.fmax(
                cpdist(short, head, scorer=fuzz.ratio, workers=WORKERS, dtype=np.float32),
                cpdist(short, tail, scorer=fuzz.ratio, workers=WORKERS, dtype=np.float32),
            )
            / 100.0
        )
        out[idx] = np.fmax(out[idx], best)
    return out


def _abstract_sim(
    prep: Prepared, title: FloatArray, a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]
) -> FloatArray:
    """Abstract similarity, only for pairs with close titles (the only ones it can decide)."""
    out = np.full(len(a), np.nan, dtype=np.float32)
    idx = np.nonzero(np.nan_to_num(title, nan=0.0) >= 0.85)[0]
    if len(idx):
        out[idx] = _sim(prep.abstract[a[idx]], prep.abstract[b[idx]], fuzz.ratio)
    return out


def _page_gap(
    prep: Prepared, a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]
) -> npt.NDArray[np.int32]:
    """Distance between first pages (``-1`` when either is missing)."""
    fa, fb = prep.page_number[a], prep.page_number[b]
    return np.where((fa >= 0) & (fb >= 0), np.minimum(np.abs(fa - fb), 2**30), -1).astype(np.int32)


def _contained(prep: Prepared, a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]) -> FloatArray:
    """Whether a first author's surname occurs in the other record's author text (names run
    together or given-name-first still contain it): 1.0, 0.0, or nan when unknown."""
    first_a, first_b = prep.first_author[a], prep.first_author[b]
    text_a, text_b = prep.authors_text[a], prep.authors_text[b]
    out = np.full(len(a), np.nan, dtype=np.float32)
    known = (first_a != "") & (first_b != "")
    if known.any():
        ab = np.fromiter(
            (x in y for x, y in zip(first_a[known], text_b[known], strict=True)), dtype=bool
        )
        ba = np.fromiter(
            (x in y for x, y in zip(first_b[known], text_a[known], strict=True)), dtype=bool
        )
        out[known] = (ab | ba).astype(np.float32)
    return out


def _shifted(prep: Prepared, a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]) -> BoolArray:
    """Whether ``a``'s volume/issue/pages are ``b``'s shifted one field (an export quirk of
    some conference records: no volume, the volume as issue, the issue as a one-number page)."""
    vol_a, vol_b = prep.volume[a], prep.volume[b]
    issue_a, issue_b = prep.issue[a], prep.issue[b]
    page_a, last_a = prep.page_first[a], prep.page_last[a]
    return (
        (vol_a == "")
        & (issue_a != "")
        & (issue_a == vol_b)
        & (page_a != "")
        & ((last_a == "") | (last_a == page_a))
        & (page_a == issue_b)
    )


def _compilation_part(
    prep: Prepared, a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]
) -> BoolArray:
    """One side a compilation of letters, the other a comment or reply within its pages."""
    comp_a, comp_b = prep.compilation[a], prep.compilation[b]
    whole = np.where(comp_a, a, b)
    part = np.where(comp_a, b, a)
    known = (prep.page_number[whole] >= 0) & (prep.page_number[part] >= 0)
    inside = (prep.page_number[part] >= prep.page_number[whole]) & (
        prep.page_last_number[part] <= prep.page_last_number[whole]
    )
    return (comp_a != comp_b) & known & inside & (prep.kind[part] == Kind.COMMENT)


def score_pairs(prep: Prepared, pairs: npt.NDArray[np.int64]) -> PairScores:
    """Per-field similarities of each candidate pair (rows of ``pairs`` index ``prep``)."""
    a = pairs[:, 0].astype(np.int64)
    b = pairs[:, 1].astype(np.int64)
    ya, yb = prep.year[a], prep.year[b]
    year_diff = np.where((ya > 0) & (yb > 0), np.abs(ya - yb), -1).astype(np.int16)
    numbers_a, numbers_b = prep.numbers[a], prep.numbers[b]
    part_a, part_b = prep.part[a], prep.part[b]
    conf_a, conf_b = prep.conference[a], prep.conference[b]
    title = _sim(prep.title[a], prep.title[b], fuzz.ratio)
    contained = _contained(prep, a, b)
    single = (prep.page_last == "") | (prep.page_last == prep.page_first)
    single_a, single_b = single[a], single[b]
    # volume/issue/pages shifted one field: volume counted as equal, pages as unknown
    shifted = _shifted(prep, a, b) | _shifted(prep, b, a)
    volume_match = np.where(shifted, 1, _match(prep.volume[a], prep.volume[b])).astype(np.int8)
    page_match = np.where(shifted, 0, _match(prep.page_first[a], prep.page_first[b]))
    last_page_match = np.where(shifted, 0, _match(prep.page_last[a], prep.page_last[b]))
    issue_match = np.where(shifted, 0, _match(prep.issue[a], prep.issue[b])).astype(np.int8)
    journal = _journal_sim(prep, prep.journal_code, a, b)
    exact_same = (
        (prep.title[a] == prep.title[b])
        & (prep.title[a] != "")
        & (prep.authors[a] == prep.authors[b])
        & (prep.authors[a] != "")
        & (prep.n_authors[a] == prep.n_authors[b])
        & (np.nan_to_num(journal, nan=0.0) >= 0.8)
        & (year_diff == 0)
        & (volume_match > 0)
        & ((issue_match > 0) | ((prep.issue[a] == "") & (prep.issue[b] == "")))
        & (page_match > 0)
        & (last_page_match >= 0)
    )
    early_a, early_b = prep.early[a], prep.early[b]
    return PairScores(
        a=a,
        b=b,
        title=title,
        title_partial=_title_partial(prep, title, contained, a, b),
        authors=_sim(prep.authors[a], prep.authors[b], fuzz.token_set_ratio),
        first_author=_sim(prep.first_author[a], prep.first_author[b], fuzz.ratio),
        first_author_in_other=contained,
        journal=journal,
        abstract=_abstract_sim(prep, title, a, b),
        year_diff=year_diff,
        doi_match=_doi_match(prep.doi[a], prep.doi[b], title),
        pmid_match=_match(prep.pmid[a], prep.pmid[b]),
        volume_match=volume_match,
        page_match=page_match.astype(np.int8),
        last_page_match=last_page_match.astype(np.int8),
        page_gap=np.where(shifted, -1, _page_gap(prep, a, b)).astype(np.int32),
        pages_overlap=~shifted
        & (prep.page_number[a] >= 0)
        & (prep.page_number[b] >= 0)
        & (
            np.maximum(prep.page_number[a], prep.page_number[b])
            <= np.minimum(prep.page_last_number[a], prep.page_last_number[b])
        ),
        single_page=single_a | single_b,
        single_page_mix=~shifted
        & (single_a != single_b)
        & (prep.page_first[a] != "")
        & (prep.page_first[b] != ""),
        same_kind=prep.kind[a] == prep.kind[b],
        part_conflict=(part_a != "") & (part_b != "") & (part_a != part_b),
        numbers_conflict=(numbers_a != numbers_b) & (numbers_a != "") & (numbers_b != ""),
        conference_mix=conf_a != conf_b,
        conference_both=conf_a & conf_b,
        preprint_mix=prep.preprint[a] != prep.preprint[b],
        compilation_part=_compilation_part(prep, a, b),
        three_authors=(prep.n_authors[a] >= 3) & (prep.n_authors[b] >= 3),
        issue_match=issue_match,
        exact_same=exact_same,
        generic=prep.generic[a] | prep.generic[b],
        early_mix=early_a != early_b,
        early_both=early_a & early_b,
        report_any=prep.report[a] | prep.report[b],
        marked_mix=prep.marked[a] != prep.marked[b],
        translated=prep.translated[a] | prep.translated[b],
    )
