"""What a downloaded or supplied file really is: a PDF, a JATS article with a body, or neither.

A URL that promises a PDF often answers with an HTML page (a publisher's bot challenge, a
login or cookie wall) or a cut-off body; PMC and Europe PMC answer a request for a non-OA
article's full text with metadata-only JATS and status 200. :func:`sniff` looks at the bytes
only (never at the Content-Type or the file name) and says what they are, with a message a
reviewer can act on.

>>> sniff(b"%PDF-1.7\\n1 0 obj<<>>endobj\\ntrailer<<>>\\n%%EOF\\n").media_type
<MediaType.PDF: 'pdf'>
>>> sniff(b"<!DOCTYPE html><html><title>Just a moment...</title></html>").media_type is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

#: The PDF header may follow a few junk bytes; the specification allows up to 1024.
_PDF_HEADER_WINDOW = 1024
#: ``%%EOF`` must appear in the tail of a complete PDF (some writers append a little junk).
_PDF_TAIL_WINDOW = 4096
_HTML_START = re.compile(
    rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|script)\b", re.I | re.S
)
#: Body text below this many characters is treated as no body (an empty ``<body/>``).
MIN_BODY_CHARS = 200


class MediaType(StrEnum):
    """The two kinds of full text the pipeline keeps."""

    PDF = "pdf"
    JATS = "jats"


@dataclass(frozen=True)
class Verdict:
    """What a body is: ``media_type`` None when it is not a usable full text (``message`` why)."""

    media_type: MediaType | None
    message: str
    #: True when the bytes are an article's metadata without its text (not open access).
    metadata_only: bool = False
    #: True when the body looks cut off (worth fetching again).
    truncated: bool = False


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text_length(element: Element) -> int:
    return sum(len(text.strip()) for text in element.itertext())


def jats_root(data: bytes) -> Element | None:
    """The parsed root of JATS bytes, or None when they do not parse safely (no DTD entities)."""
    try:
        return fromstring(data)
    except (ParseError, DefusedXmlException, ValueError):
        return None


def _find_article(root: Element) -> Element | None:
    if _local(root.tag) == "article":
        return root
    for element in root.iter():  # an OAI-PMH or efetch wrapper around the article
        if _local(element.tag) == "article":
            return element
    return None


def sniff_jats(data: bytes) -> Verdict:
    """A JATS verdict: an ``<article>`` with a ``<body>`` of real text, or why not."""
    root = jats_root(data)
    if root is None:
        stripped = data.rstrip()
        truncated = bool(stripped) and not stripped.endswith(b">")
        return Verdict(
            None,
            "XML that does not parse" + (" (the body looks cut off)" if truncated else ""),
            truncated=truncated,
        )
    article = _find_article(root)
    if article is None:
        return Verdict(None, f"XML but not a JATS article (root element <{_local(root.tag)}>)")
    bodies = [el for el in article.iter() if _local(el.tag) == "body"]
    if not bodies or max(_text_length(body) for body in bodies) < MIN_BODY_CHARS:
        return Verdict(
            None,
            "JATS with metadata only (no <body> text): the article is not open access there",
            metadata_only=True,
        )
    return Verdict(MediaType.JATS, "JATS article with its body")


def sniff(data: bytes) -> Verdict:
    """Say what ``data`` is: a complete PDF, a JATS article with a body, or neither (and why)."""
    if not data:
        return Verdict(None, "an empty body")
    head = data[:_PDF_HEADER_WINDOW]
    if b"%PDF-" in head:
        if b"%%EOF" not in data[-_PDF_TAIL_WINDOW:]:
            return Verdict(None, "a PDF that is cut off (no %%EOF at its end)", truncated=True)
        return Verdict(MediaType.PDF, "PDF")
    if _HTML_START.match(head):
        title = re.search(rb"<title[^>]*>(.*?)</title>", data[:65536], re.I | re.S)
        shown = ""
        if title:
            shown = " ".join(title.group(1).decode("utf-8", "replace").split())[:80]
        return Verdict(
            None,
            "an HTML page, not a PDF (a publisher's challenge, login or cookie page?)"
            + (f": {shown!r}" if shown else ""),
        )
    if head.lstrip().startswith(b"<"):
        return sniff_jats(data)
    return Verdict(None, f"neither a PDF nor JATS XML (starts with {data[:8]!r})")
