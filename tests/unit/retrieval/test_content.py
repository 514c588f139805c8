"""What bytes are: a PDF, JATS with a body, or neither (and a message saying why)."""

from __future__ import annotations

import pytest
from support.fulltext_api import CHALLENGE_HTML, jats_article, make_pdf

from realist_review.retrieval.content import MediaType, sniff

PDF = make_pdf(["Some text"])
BOMB = b"""<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xxxxxxxxxx"><!ENTITY y "&x;&x;&x;">]>
<article><body><p>&y;</p></body></article>"""


@pytest.mark.parametrize(
    ("data", "media_type", "words"),
    [
        pytest.param(PDF, MediaType.PDF, "PDF", id="pdf"),
        pytest.param(b"\n\n" + PDF, MediaType.PDF, "PDF", id="pdf-after-junk"),
        pytest.param(PDF[: len(PDF) // 2], None, "cut off", id="pdf-cut-off"),
        pytest.param(CHALLENGE_HTML, None, "HTML page", id="html-challenge"),
        pytest.param(b"  <html><body>Access denied</body></html>", None, "HTML", id="html-bare"),
        pytest.param(jats_article("PMC1"), MediaType.JATS, "body", id="jats"),
        pytest.param(jats_article("PMC1", body=False), None, "metadata only", id="jats-metadata"),
        pytest.param(jats_article("PMC1")[:300], None, "does not parse", id="jats-cut-off"),
        pytest.param(b"<feed><entry/></feed>", None, "not a JATS article", id="other-xml"),
        pytest.param(BOMB, None, "does not parse", id="xml-entities-refused"),
        pytest.param(b"PK\x03\x04zip", None, "neither", id="zip"),
        pytest.param(b"", None, "empty", id="empty"),
    ],
)
def test_sniff(data: bytes, media_type: MediaType | None, words: str) -> None:
    verdict = sniff(data)
    assert verdict.media_type is media_type
    assert words in verdict.message


def test_metadata_only_and_truncation_are_flagged() -> None:
    assert sniff(jats_article("PMC1", body=False)).metadata_only
    assert sniff(PDF[:-20]).truncated
    assert not sniff(CHALLENGE_HTML).truncated
