"""Link sentence roles into candidate context-mechanism-outcome configurations.

A configuration needs an outcome and a resource (a mechanism sentence). Candidates come from
four links, each a general reading of how abstracts and papers state a chain:

- ``sentence``: one sentence carries both mechanism and outcome ("the programme reduced
  stress through ...");
- ``adjacent``: a mechanism sentence next to an outcome sentence, joined by a causal
  connective (because, through, by, which led to, as a result) or by shared terms;
- ``paragraph``: the whole chain of a paragraph (an abstract is one paragraph): its context,
  mechanism and outcome sentences; also the chain without context, and the chain with only
  the context given from the first resource sentence on (background left out);
- ``subgroup``: outcome sentences that also name who they hold for (a moderator: girls,
  high-risk children, foster vs adoptive carers) joined to the paragraph's mechanism
  sentences, one candidate per subgroup sentence and one for all of them together.

Candidates with the same evidence are merged (the first link in the order above is kept).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

#: causal connectives that mark an explicit mechanism -> outcome link.
CONNECTIVES: tuple[str, ...] = (
    "because",
    "through",
    "by means of",
    "which led to",
    "leading to",
    "led to",
    "leads to",
    "as a result",
    "resulting in",
    "resulted in",
    "thereby",
    "so that",
    "due to",
    "in turn",
    "mediated",
    "mediating",
    "via",
)
#: "by" counts when it introduces how ("by offering", "by means of"), not an agent ("rated by").
_CONNECTIVE_RE = re.compile(
    r"\b(" + "|".join(re.escape(c) for c in CONNECTIVES) + r"|by [a-z]+ing)\b", re.IGNORECASE
)
_WORD_RE = re.compile(r"[a-z][a-z-]{3,}")
_STOPWORDS = frozenset(
    """about above after again against also among although another because been before being
    between both could does doing during each either every from further have having here
    into itself just more most much must other over same should some such than that their
    them then there these they this those through under until upon very were what when where
    which while whom with within without would your study studies results findings found
    showed shown children child parents parent foster care group groups participants
    significant significantly compared using used based including effects effect""".split()  # noqa: SIM905
)


@dataclass(frozen=True, slots=True)
class RoledSentence:
    """A sentence with its decided 0/1 roles, its paragraph and text."""

    index: int
    paragraph: int
    text: str
    context: bool
    mechanism: bool
    outcome: bool
    p_mechanism: float = 0.0


@dataclass(frozen=True, slots=True)
class Candidate:
    """One candidate configuration: its evidence sentences and how they were linked."""

    evidence: tuple[int, ...]
    link: str
    connective: str
    shared_terms: tuple[str, ...]

    @property
    def explicit(self) -> bool:
        """True when a causal connective ties the chain (else the link is inferred)."""
        return bool(self.connective)


def terms(text: str) -> set[str]:
    """Content-word stems (first six letters) of a text, for shared-term links."""
    return {w[:6] for w in _WORD_RE.findall(text.lower()) if w not in _STOPWORDS}


def connective_in(text: str) -> str:
    """The first causal connective in ``text`` (lower case), or ``""``."""
    match = _CONNECTIVE_RE.search(text)
    return match.group(1).lower() if match else ""


def _shared(a: str, b: str) -> tuple[str, ...]:
    return tuple(sorted(terms(a) & terms(b)))


def link_configurations(
    sentences: Sequence[RoledSentence], *, min_shared: int = 2, resource_floor: float = 0.15
) -> list[Candidate]:
    """Candidate configurations of one document, in a deterministic order.

    A paragraph with outcomes but no sentence decided as mechanism borrows its most
    resource-like sentence (highest ``p_mechanism``, at least ``resource_floor``): abstracts
    often name the resource only once, in a sentence that reads as an aim or a sample.
    """
    found: dict[tuple[int, ...], Candidate] = {}

    def add(evidence: set[int], link: str, connective: str, shared: Sequence[str]) -> None:
        key = tuple(sorted(evidence))
        if key and key not in found:
            found[key] = Candidate(key, link, connective, tuple(shared))

    by_index = {s.index: s for s in sentences}
    ordered = sorted(sentences, key=lambda s: s.index)
    # within a sentence
    for s in ordered:
        if s.mechanism and s.outcome:
            add({s.index}, "sentence", connective_in(s.text), ())
    # adjacent sentences
    for s in ordered:
        nxt = by_index.get(s.index + 1)
        if nxt is None or nxt.paragraph != s.paragraph:
            continue
        if (s.mechanism and nxt.outcome) or (s.outcome and nxt.mechanism):
            connective = connective_in(nxt.text) or connective_in(s.text)
            shared = _shared(s.text, nxt.text)
            if connective or len(shared) >= min_shared:
                add({s.index, nxt.index}, "adjacent", connective, shared)
    # paragraph chains and their subgroups
    paragraphs: dict[int, list[RoledSentence]] = {}
    for s in ordered:
        paragraphs.setdefault(s.paragraph, []).append(s)
    for members in paragraphs.values():
        mechanisms = [s for s in members if s.mechanism]
        outcomes = [s for s in members if s.outcome]
        if outcomes and not mechanisms:
            spare = [s for s in members if not s.outcome and s.p_mechanism >= resource_floor]
            if spare:
                best = max(spare, key=lambda s: (s.p_mechanism, -s.index))
                mechanisms = [best]
        if not mechanisms or not outcomes:
            continue
        chain = {s.index for s in members if s.mechanism or s.outcome or s.context}
        chain |= {s.index for s in mechanisms}
        text = " ".join(by_index[i].text for i in sorted(chain))
        resource_text = " ".join(s.text for s in mechanisms)
        outcome_text = " ".join(s.text for s in outcomes)
        add(chain, "paragraph", connective_in(text), _shared(resource_text, outcome_text))
        core = {s.index for s in members if s.mechanism or s.outcome} | {
            s.index for s in mechanisms
        }
        if core != chain:
            add(core, "paragraph", connective_in(text), _shared(resource_text, outcome_text))
        first_resource = min(s.index for s in mechanisms)
        focused = core | {s.index for s in members if s.context and s.index >= first_resource}
        if focused not in (core, chain):
            add(focused, "paragraph", connective_in(text), _shared(resource_text, outcome_text))
        subgroups = [s for s in outcomes if s.context and not s.mechanism]
        for s in subgroups:
            evidence = {m.index for m in mechanisms} | {s.index}
            add(evidence, "subgroup", connective_in(s.text), _shared(resource_text, s.text))
        if len(subgroups) > 1:
            evidence = {m.index for m in mechanisms} | {s.index for s in subgroups}
            joined = " ".join(s.text for s in subgroups)
            add(evidence, "subgroup", connective_in(joined), _shared(resource_text, joined))
    order = {"sentence": 0, "adjacent": 1, "paragraph": 2, "subgroup": 3}
    return sorted(found.values(), key=lambda c: (order[c.link], c.evidence))
