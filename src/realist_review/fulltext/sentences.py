"""Sentence splitting with character offsets, by syntok (handles "et al.", "e.g.", "vs.",
decimals and bracketed citations)."""

from __future__ import annotations

from syntok import segmenter


def split_sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of the sentences of one paragraph of text.

    >>> text = "Smith et al. found 2.5 vs. 3.1 mg [12]. It held."
    >>> [text[a:b] for a, b in split_sentences(text)]
    ['Smith et al. found 2.5 vs. 3.1 mg [12].', 'It held.']
    """
    spans: list[tuple[int, int]] = []
    for paragraph in segmenter.analyze(text):
        for sentence in paragraph:
            tokens = [token for token in sentence if token.value]
            if not tokens:
                continue
            start = tokens[0].offset
            end = tokens[-1].offset + len(tokens[-1].value)
            if end > start:
                spans.append((start, end))
    if not spans and text.strip():
        start = len(text) - len(text.lstrip())
        spans.append((start, len(text.rstrip())))
    return spans
