"""Scoring a read document against structured ground truth (JATS, BMC XML, TEI).

Used by ``benchmarks/fulltext.py``; pure functions over documents and strings. Text is compared
after :func:`letters`: NFKD, lower case, letters and digits only, so spacing, hyphenation,
ligatures and punctuation do not count, only words.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from realist_review.fulltext.model import Document, Kind, Section
from realist_review.fulltext.sections import classify_heading, normalise_heading
from realist_review.fulltext.xml import parse_xml

#: Characters per compared piece of text.
CHUNK = 30
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
#: Ground-truth subtrees that are not running text (floats, references, referee reports).
_NOT_TEXT = frozenset(
    {"fig", "table-wrap", "table", "ref-list", "refgrp", "sub-article", "listBibl", "figure"}
)


def letters(text: str) -> str:
    """Lower-case ASCII letters and digits of a text.

    >>> letters("Co-operation, naïve ﬁsh!")
    'cooperationnaivefish'
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_ALNUM.sub("", folded.lower())


def chunks(text: str, size: int = CHUNK) -> list[str]:
    """Consecutive pieces of ``size`` characters (a short tail joins the last piece)."""
    pieces = [text[i : i + size] for i in range(0, len(text), size)]
    if len(pieces) > 1 and len(pieces[-1]) < size // 2:
        tail = pieces.pop()
        pieces[-1] += tail
    return pieces


def allowed_text(xml: bytes) -> str:
    """All running text of a ground-truth file (front, body, back), without floats and refs."""
    root = parse_xml(xml)
    for element in list(root.iter()):
        tag = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
        if tag in _NOT_TEXT and element.getparent() is not None:
            element.getparent().remove(element)
    return letters(" ".join(root.itertext()))


def _body(doc: Document) -> list[str]:
    return [p.text for p in doc.paragraphs if p.kind is Kind.BODY]


@dataclass(frozen=True)
class Score:
    """Figures for one document (see ``benchmarks/fulltext.py``)."""

    heading_tp: int
    heading_pred: int
    heading_true: int
    recovered_chars: int
    true_chars: int
    leaked_chars: int
    pred_chars: int
    order_errors: int
    order_pairs: int
    sentences_pred: int
    sentences_true: int

    @property
    def heading_f1(self) -> float:
        """F1 of predicted against true section headings."""
        if self.heading_pred + self.heading_true == 0:
            return 1.0
        return 2 * self.heading_tp / (self.heading_pred + self.heading_true)

    @property
    def recovered(self) -> float:
        """Share of true body text found in the predicted text."""
        return self.recovered_chars / self.true_chars if self.true_chars else 1.0

    @property
    def leaked(self) -> float:
        """Share of predicted body text not found in the ground truth's running text."""
        return self.leaked_chars / self.pred_chars if self.pred_chars else 0.0


def _heading_set(headings: Sequence[str]) -> list[str]:
    kept = []
    for heading in headings:
        if classify_heading(heading) in {Section.ABSTRACT, Section.REFERENCES}:
            continue
        norm = normalise_heading(heading)
        if norm and norm not in kept:
            kept.append(norm)
    return kept


def match_headings(predicted: Sequence[str], true: Sequence[str]) -> tuple[int, int, int]:
    """(matched, predicted, true) headings; numbering and case ignored, near-equal counts."""
    pred = _heading_set(predicted)
    gold = _heading_set(true)
    used: set[int] = set()
    hits = 0
    for p in pred:
        for i, g in enumerate(gold):
            if i not in used and (p == g or fuzz.ratio(p, g) >= 90):
                used.add(i)
                hits += 1
                break
    return hits, len(pred), len(gold)


def order_errors(true_paragraphs: Sequence[str], predicted_text: str) -> tuple[int, int]:
    """(inversions, compared pairs): consecutive true paragraphs found in the wrong order.

    Each paragraph is located by a piece from its middle that occurs once in the predicted
    text; paragraphs not found are skipped.
    """
    positions: list[int] = []
    for paragraph in true_paragraphs:
        norm = letters(paragraph)
        if len(norm) < 60:
            continue
        middle = len(norm) // 2
        anchor = norm[middle - 20 : middle + 20]
        at = predicted_text.find(anchor)
        if at >= 0 and predicted_text.find(anchor, at + 1) < 0:
            positions.append(at)
    pairs = list(itertools.pairwise(positions))
    return sum(1 for a, b in pairs if b < a), len(pairs)


def score(predicted: Document, truth: Document, xml: bytes) -> Score:
    """Score a document read from a PDF against the same article's structured XML."""
    tp, n_pred, n_true = match_headings(predicted.headings, truth.headings)
    pred_body = [letters(t) for t in _body(predicted)]
    pred_text = "".join(pred_body)
    true_body = [p for p in truth.paragraphs if p.kind is Kind.BODY and p.section != "abstract"]
    recovered = total = 0
    for paragraph in true_body:
        for piece in chunks(letters(paragraph.text)):
            total += len(piece)
            if piece in pred_text:
                recovered += len(piece)
    allowed = allowed_text(xml)
    leaked = pred_total = 0
    for text in pred_body:
        for piece in chunks(text):
            pred_total += len(piece)
            if piece not in allowed:
                leaked += len(piece)
    # Reading order is scored on the article's own sections: back matter (acknowledgements,
    # competing interests, ...) is printed in a publisher's order, not the XML's.
    ordered = [p.text for p in true_body if classify_heading(p.heading) is not Section.OTHER]
    errors, pairs = order_errors(ordered, pred_text)
    sentences_pred = sum(
        len(p.sentences)
        for p in predicted.paragraphs
        if p.kind is Kind.BODY and p.section not in {Section.ABSTRACT, Section.REFERENCES}
    )
    sentences_true = sum(len(p.sentences) for p in true_body)
    return Score(
        heading_tp=tp,
        heading_pred=n_pred,
        heading_true=n_true,
        recovered_chars=recovered,
        true_chars=total,
        leaked_chars=leaked,
        pred_chars=pred_total,
        order_errors=errors,
        order_pairs=pairs,
        sentences_pred=sentences_pred,
        sentences_true=sentences_true,
    )
