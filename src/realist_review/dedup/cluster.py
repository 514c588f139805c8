"""Clustering links into groups without chaining unrelated records.

Links are added strongest first (identifier matches, then the closest titles). Two groups
are joined only when the result stays consistent:

* it would not hold two different DOIs or two different PMIDs, nor an erratum, comment or
  retraction notice together with another kind of item;
* no pair across the two groups is a *cannot-link* (a rule said "different", or a person did);
* every pair across the two groups is at least *compatible*: linked itself, or with titles at
  least as close as the review threshold (so A~B and B~C never pull in a C unrelated to A).

Last, a record of letters printed together (Embase's "(multiple letters)") joins the groups of
the replies it holds (``bridge`` links): a group is joined only when every one of
its records is such a part of that compilation, no DOI or PMID conflicts and no person said
"different"; so a letter and its reply share a group only through a record that stands for
both. Cross pairs that blocking never produced are scored on the spot. A refused join is kept as a
:class:`Refusal` for the audit trail and the review sheet. Decisions by people come first: a
"same" joins two groups (unless it contradicts a person's "different"), a "different" is a
cannot-link that no rule can override.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from realist_review.dedup.decide import Outcome

log = logging.getLogger(__name__)

#: scores pairs the blocking step did not produce: (a, b) -> (outcome, compatible) arrays
PairJudge = Callable[
    [npt.NDArray[np.int64], npt.NDArray[np.int64]],
    tuple[npt.NDArray[np.int8], npt.NDArray[np.bool_]],
]


@dataclass(frozen=True)
class Refusal:
    """A link that clustering did not follow, and why."""

    a: int
    b: int
    reason: str


@dataclass(frozen=True)
class Clustering:
    """Group label per record (``0..k-1``), and the links refused with their reasons."""

    labels: npt.NDArray[np.int64]
    refused: tuple[Refusal, ...]
    forced: tuple[tuple[int, int], ...]


class _Groups:
    def __init__(
        self,
        n: int,
        doi: npt.NDArray[np.object_],
        pmid: npt.NDArray[np.object_],
        kind: npt.NDArray[np.int8],
    ) -> None:
        self.parent = list(range(n))
        self.members: dict[int, list[int]] = {}
        self.doi = doi
        self.pmid = pmid
        self.kind = kind
        self.dois: dict[int, set[str]] = {}
        self.pmids: dict[int, set[str]] = {}

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def members_of(self, root: int) -> list[int]:
        return self.members.get(root, [root])

    def ids_of(
        self, root: int, column: npt.NDArray[np.object_], cache: dict[int, set[str]]
    ) -> set[str]:
        found = cache.get(root)
        if found is None:
            found = {column[i] for i in self.members_of(root) if column[i]}
        return found

    def identity_conflict(self, ra: int, rb: int, *, kinds: bool = True, dois: bool = True) -> str:
        checks = (("DOIs", self.doi, self.dois, dois), ("PMIDs", self.pmid, self.pmids, True))
        for label, column, cache, check in checks:
            if not check:
                continue
            left, right = self.ids_of(ra, column, cache), self.ids_of(rb, column, cache)
            # a group holds two DOIs only through a link that overrode the DOI veto (see
            # :mod:`.decide`, ``doi_differs``); a group sharing one of them may still join
            if left and right and left.isdisjoint(right):
                return f"would join different {label}: {', '.join(sorted(left | right))}"
        if not kinds:
            return ""
        found = {int(self.kind[i]) for i in self.members_of(ra)} | {
            int(self.kind[i]) for i in self.members_of(rb)
        }
        if len(found) > 1:
            return "would join an erratum, comment or retraction notice with another kind"
        return ""

    def union(self, ra: int, rb: int) -> int:
        if len(self.members_of(ra)) < len(self.members_of(rb)):
            ra, rb = rb, ra
        merged = self.members_of(ra) + self.members_of(rb)
        self.parent[rb] = ra
        self.members[ra] = merged
        self.members.pop(rb, None)
        for column, cache in ((self.doi, self.dois), (self.pmid, self.pmids)):
            cache[ra] = self.ids_of(ra, column, cache) | self.ids_of(rb, column, cache)
            cache.pop(rb, None)
        return ra


@dataclass(frozen=True)
class Contradiction:
    """A person's decision that cannot hold with the others and the hard links (same DOI or
    PMID): ``decision`` indexes the people's decisions given to :func:`contradictions`;
    ``chain`` is the path of links (record, record, why) that joins the two records of a
    'different'; every decision on it is left unapplied."""

    decision: int
    chain: tuple[tuple[int, int, str], ...]
    #: the 'different' (index into the people's decisions) the chain contradicts
    apart: int = -1


def contradictions(
    people: Sequence[tuple[int, int, bool]],
    hard: Sequence[tuple[int, int, str]],
) -> list[Contradiction]:
    """People's decisions that contradict each other or a hard link, with the chain of links
    that shows it.

    ``people`` are (record, record, is_same) index triples in file order; ``hard`` are the
    links that identify one item (same DOI or PMID, titles agreeing) with a text naming the
    identifier. A hard link is broken only by a person's 'different' for exactly that pair.
    A 'different' whose two records are joined by a path of hard links and people's 'same'
    contradicts them: that 'different' and every 'same' on the path are returned (and should
    not be applied), so that no decision silently reshapes a group. Checked again until no
    contradiction is left.
    """
    apart_pairs = {(min(a, b), max(a, b)) for a, b, same in people if not same}
    base: dict[int, list[tuple[int, str]]] = {}
    for a, b, why in hard:
        if (min(a, b), max(a, b)) in apart_pairs:
            continue
        base.setdefault(a, []).append((b, why))
        base.setdefault(b, []).append((a, why))
    suspended: set[int] = set()
    found: list[Contradiction] = []
    while True:
        graph = {node: list(edges) for node, edges in base.items()}
        for k, (a, b, same) in enumerate(people):
            if same and k not in suspended:
                graph.setdefault(a, []).append((b, f"#{k}"))
                graph.setdefault(b, []).append((a, f"#{k}"))
        hit = None
        for k, (a, b, same) in enumerate(people):
            if same or k in suspended:
                continue
            path = _path(graph, a, b)
            if path is not None:
                hit = (k, path)
                break
        if hit is None:
            return found
        k, path = hit
        involved = [k] + [int(why[1:]) for _, _, why in path if why.startswith("#")]
        for j in dict.fromkeys(involved):
            suspended.add(j)
            found.append(Contradiction(j, tuple(path), k))


def _path(
    graph: dict[int, list[tuple[int, str]]], start: int, goal: int
) -> list[tuple[int, int, str]] | None:
    """The shortest path of links from ``start`` to ``goal`` (breadth first), or ``None``."""
    if start not in graph or goal not in graph:
        return None
    back: dict[int, tuple[int, str]] = {start: (start, "")}
    queue = [start]
    for node in queue:
        if node == goal:
            break
        for other, why in graph.get(node, ()):
            if other not in back:
                back[other] = (node, why)
                queue.append(other)
    if goal not in back:
        return None
    path: list[tuple[int, int, str]] = []
    node = goal
    while node != start:
        prev, why = back[node]
        path.append((prev, node, why))
        node = prev
    return path[::-1]


def _code(a: int, b: int, n: int) -> int:
    return min(a, b) * n + max(a, b)


def cluster(
    n: int,
    *,
    pair_codes: npt.NDArray[np.int64],
    outcome: npt.NDArray[np.int8],
    compatible: npt.NDArray[np.bool_],
    strength: npt.NDArray[np.float32],
    doi: npt.NDArray[np.object_],
    pmid: npt.NDArray[np.object_],
    kind: npt.NDArray[np.int8],
    judge: PairJudge,
    ids: npt.NDArray[np.object_],
    same: Iterable[tuple[int, int]] = (),
    different: Iterable[tuple[int, int]] = (),
    bridge: npt.NDArray[np.bool_] | None = None,
    compilation: npt.NDArray[np.bool_] | None = None,
    doi_override: npt.NDArray[np.bool_] | None = None,
) -> Clustering:
    """Group ``n`` records; see the module docstring.

    ``pair_codes`` (sorted ``a * n + b`` with ``a < b``) index the candidate pairs whose
    ``outcome``, ``compatible`` flag and ``strength`` are given; ``judge`` decides other pairs.
    ``same`` and ``different`` are people's decisions as index pairs. ``bridge`` marks the
    candidate pairs that link a compilation of letters (``compilation`` marks those records)
    with a reply within it. ``doi_override`` marks the candidate pairs linked although their
    DOIs differ (everything else agrees exactly): such a link may join two DOIs.
    """
    groups = _Groups(n, doi, pmid, kind)
    people_apart = {_code(a, b, n) for a, b in different}
    refused: list[Refusal] = []
    forced: list[tuple[int, int]] = []

    def people_conflict(ra: int, rb: int) -> str:
        """The pair across two groups a person called 'different' ("" when none)."""
        if not people_apart:
            return ""
        for x in groups.members_of(ra):
            for y in groups.members_of(rb):
                if _code(x, y, n) in people_apart:
                    return f"{ids[x]} / {ids[y]}"
        return ""

    for a, b in same:
        ra, rb = groups.find(a), groups.find(b)
        if ra == rb:
            continue
        clash = people_conflict(ra, rb)
        if clash:
            refused.append(
                Refusal(a, b, f"this 'same' contradicts a person's 'different' for {clash}")
            )
            continue
        groups.union(ra, rb)
        forced.append((a, b))

    bridges = np.zeros(len(pair_codes), dtype=bool) if bridge is None else bridge
    links = np.nonzero((outcome == Outcome.SAME) & ~bridges)[0]
    links = links[np.argsort(-strength[links], kind="stable")]
    for k in links:
        code = int(pair_codes[k])
        a, b = divmod(code, n)
        ra, rb = groups.find(a), groups.find(b)
        if ra == rb:
            continue
        if code in people_apart:
            refused.append(Refusal(a, b, "a person decided 'different'"))
            continue
        override = doi_override is not None and bool(doi_override[k])
        reason = groups.identity_conflict(ra, rb, dois=not override)
        if not reason:
            left, right = groups.members_of(ra), groups.members_of(rb)
            if len(left) + len(right) > 2:
                reason = _cross_check(left, right, n, pair_codes, outcome, compatible, judge, ids)
            if not reason and (clash := people_conflict(ra, rb)):
                reason = f"a person decided 'different' for {clash}"
        if reason:
            refused.append(Refusal(a, b, reason))
            continue
        groups.union(ra, rb)

    if bridges.any() and compilation is not None:
        refused.extend(
            _join_compilations(groups, pair_codes, bridges, compilation, people_conflict, ids, n)
        )
    roots = np.fromiter((groups.find(i) for i in range(n)), dtype=np.int64, count=n)
    _, labels = np.unique(roots, return_inverse=True)
    return Clustering(labels=labels.astype(np.int64), refused=tuple(refused), forced=tuple(forced))


def _join_compilations(
    groups: _Groups,
    pair_codes: npt.NDArray[np.int64],
    bridges: npt.NDArray[np.bool_],
    compilation: npt.NDArray[np.bool_],
    people_conflict: Callable[[int, int], str],
    ids: npt.NDArray[np.object_],
    n: int,
) -> list[Refusal]:
    """Join each compilation of letters with the groups made only of its parts."""
    refused: list[Refusal] = []
    parts_of: dict[int, set[int]] = {}
    compilation_of: dict[tuple[int, int], int] = {}
    for k in np.nonzero(bridges)[0].tolist():
        a, b = divmod(int(pair_codes[k]), n)
        whole, part = (a, b) if compilation[a] else (b, a)
        parts_of.setdefault(whole, set()).add(part)
        compilation_of[(whole, part)] = k
    for whole in sorted(parts_of):
        for part in sorted(parts_of[whole]):
            ra, rb = groups.find(whole), groups.find(part)
            if ra == rb:
                continue
            reason = ""
            outside = [i for i in groups.members_of(rb) if i not in parts_of[whole]]
            if outside:
                reason = (
                    f"compilation of letters: {ids[outside[0]]} is in the group of {ids[part]} "
                    "but not within the compilation"
                )
            if not reason:
                reason = groups.identity_conflict(ra, rb, kinds=False)
            if not reason and (clash := people_conflict(ra, rb)):
                reason = f"a person decided 'different' for {clash}"
            if reason:
                refused.append(Refusal(whole, part, reason))
                continue
            groups.union(ra, rb)
    return refused


def _cross_check(
    left: list[int],
    right: list[int],
    n: int,
    pair_codes: npt.NDArray[np.int64],
    outcome: npt.NDArray[np.int8],
    compatible: npt.NDArray[np.bool_],
    judge: PairJudge,
    ids: npt.NDArray[np.object_],
) -> str:
    """Why joining two groups would chain unrelated records (``""`` when it would not)."""
    xs = np.repeat(np.array(left, dtype=np.int64), len(right))
    ys = np.tile(np.array(right, dtype=np.int64), len(left))
    lo, hi = np.minimum(xs, ys), np.maximum(xs, ys)
    codes = lo * n + hi
    pos = np.searchsorted(pair_codes, codes)
    pos_clipped = np.minimum(pos, len(pair_codes) - 1)
    known = (len(pair_codes) > 0) & (pair_codes[pos_clipped] == codes)
    out = np.zeros(len(codes), dtype=np.int8)
    ok = np.zeros(len(codes), dtype=bool)
    out[known] = outcome[pos_clipped[known]]
    ok[known] = compatible[pos_clipped[known]]
    if (~known).any():
        out_new, ok_new = judge(lo[~known], hi[~known])
        out[~known] = out_new
        ok[~known] = ok_new
    bad = np.nonzero((out == Outcome.DIFFERENT) | ((out != Outcome.SAME) & ~ok))[0]
    if len(bad):
        k = int(bad[0])
        what = "is 'different'" if out[k] == Outcome.DIFFERENT else "is not similar enough"
        return f"would chain unrelated records: {ids[lo[k]]} / {ids[hi[k]]} {what}"
    return ""
