"""Inline markup in titles and abstracts (HTML, JATS, MathML) flattened to plain text."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

from realist_review.records import clean_text

_HEADING_END = re.compile(r"(?i)</(?:h[1-6]|(?:jats:)?title|(?:jats:)?label)\s*>")
_BLOCK_END = re.compile(r"(?i)</(?:p|(?:jats:)?p|div|li|(?:jats:)?sec)\s*>|<br\s*/?>")
_DOUBLE_COLON = re.compile(r"([:.?!])\s*:")
#: A tag as markup writes it (so that a literal ``P < .001 ... >`` in text is not taken for one).
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:_.-]*(?:\s[^<>]*)?/?>")


def flatten_markup(text: object) -> str:
    """Plain text from HTML/JATS markup; section headings become ``Heading: text``."""
    if text is None:
        return ""
    value = str(text)
    if "<" in value:
        value = _HEADING_END.sub(": ", value)
        value = _BLOCK_END.sub(" ", value)
        value = _TAG.sub(" ", value)  # tags first, then entities: &lt; is text, not a tag
    if "&" in value:
        value = html.unescape(value)
    return _DOUBLE_COLON.sub(r"\1", clean_text(value)).strip(" :")


def element_text(element: ET.Element | None) -> str:
    """All text inside an XML element (inline ``<i>``, ``<sup>``, MathML...), cleaned."""
    if element is None:
        return ""
    return clean_text(" ".join(_inline_text(element).split()))


def _inline_text(element: ET.Element) -> str:
    # itertext() joins <i>x</i>y as "xy", which is what inline markup means.
    return "".join(element.itertext())


def parse_xml(data: bytes) -> ET.Element:
    """Parse an XML response body.

    The standard library parser does not fetch external entities or DTDs, and the expat it
    ships (>= 2.4.1) refuses entity-expansion bombs, so responses from the sources can be
    parsed with it directly.
    """
    return ET.fromstring(data)  # noqa: S314
