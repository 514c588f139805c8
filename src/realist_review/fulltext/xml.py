"""Structured full texts: JATS / NLM (Europe PMC, PMC, publishers), BioMed Central's own
``<art>`` XML and GROBID's TEI, all read into the same :class:`~.model.Document`.

Parsing is safe for untrusted files: no DTD loading, no entity expansion, no network, and a
size limit. A file that does not parse becomes a ``corrupt`` document with the parser's message.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from realist_review.fulltext.model import (
    Block,
    Document,
    Kind,
    Section,
    Status,
    assemble,
    failed,
)
from realist_review.fulltext.sections import classify_heading, numbering_depth

_TEI = "{http://www.tei-c.org/ns/1.0}"
_SPACE = re.compile(r"\s+")
#: Subtrees never part of a paragraph's own text (kept apart or emitted separately).
_SKIP = frozenset(
    {
        "fig",
        "table-wrap",
        "table",
        "fn",
        "sec",
        "title",
        "label",
        "caption",
        "st",
        "tblr",
        "figure",
        "head",
        "formula-ref",
        "object-id",
        "alternatives",
        "graphic",
    }
)
#: Elements whose text is a paragraph (JATS/BMC ``p``, TEI ``p``).
_PARAGRAPH_TAGS = frozenset({"p"})


def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text.replace("\u00ad", "")).strip()


def _text(element: etree._Element, *, skip: frozenset[str] = _SKIP) -> str:
    """Text of an element without the subtrees in ``skip`` (their tails are kept)."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            name = _local(child.tag)
            if name and name not in skip and name != "p":
                walk(child)
            elif name in {"p"}:
                pass
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return _clean("".join(parts))


def _all_text(element: etree._Element) -> str:
    return _clean(" ".join(t for t in element.itertext()))


@dataclass
class _Builder:
    blocks: list[Block] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)

    def add(self, section: Section, heading: str, text: str, kind: Kind = Kind.BODY) -> None:
        if text:
            self.blocks.append(Block(section=section, heading=heading, text=text, kind=kind))


def _paragraphs(container: etree._Element) -> Iterator[etree._Element]:
    """``p`` elements of a section in document order, not inside sub-sections or floats.

    A ``p`` holding other ``p`` elements (lists inside paragraphs) yields its own text and
    then the inner ones.
    """
    for child in container:
        name = _local(child.tag)
        if name in _PARAGRAPH_TAGS:
            yield child
            yield from _paragraphs(child)
        elif name in {"list", "list-item", "disp-quote", "boxed-text", "def-list", "statement"}:
            yield from _paragraphs(child)


def _floats(container: etree._Element) -> Iterator[etree._Element]:
    for element in container.iter():
        if _local(element.tag) in {"fig", "table-wrap", "figure"}:
            yield element


def _caption(element: etree._Element) -> tuple[str, str]:
    label = ""
    for child in element:
        if _local(child.tag) in {"label", "head"}:
            label = _all_text(child)
    parts = [
        _all_text(child)
        for child in element
        if _local(child.tag) in {"caption", "title", "figDesc"}
    ]
    return label, _clean(" ".join(parts))


# --------------------------------------------------------------------------------------------
# JATS and BMC
# --------------------------------------------------------------------------------------------
def _title_of(sec: etree._Element) -> str:
    label = ""
    title = ""
    for child in sec:
        name = _local(child.tag)
        if name == "label" and not label:
            label = _all_text(child)
        elif name in {"title", "st"} and not title:
            title = _all_text(child)
    if label and title and not title.startswith(label):
        return f"{label} {title}"
    return title or label


def _walk_sec(sec: etree._Element, builder: _Builder, section: Section | None, depth: int) -> None:
    heading = _title_of(sec)
    if heading:
        builder.headings.append(heading)
    if section is None:
        section = classify_heading(heading) or _sec_type(sec) or Section.OTHER
    for p in _paragraphs(sec):
        builder.add(section, heading, _text(p))
    for child in sec:
        if _local(child.tag) == "sec":
            _walk_sec(child, builder, section, depth + 1)


def _sec_type(sec: etree._Element) -> Section | None:
    value = (sec.get("sec-type") or "").lower()
    return classify_heading(value.replace("|", " ")) if value else None


def _read_article(root: etree._Element) -> tuple[str, list[Block], list[str]]:
    """JATS/NLM ``<article>`` or BMC ``<art>``."""
    builder = _Builder()
    title = ""
    for path in (".//front//article-title", ".//fm/bibl/title"):
        found = root.find(path)
        if found is not None:
            title = _all_text(found)
            break
    abstracts = [
        a for a in root.iterfind(".//front//abstract") if a.get("abstract-type") != "teaser"
    ]
    abstracts += list(root.iterfind(".//fm/abs"))
    for abstract in abstracts[:1]:
        for p in _paragraphs(abstract):
            builder.add(Section.ABSTRACT, "", _text(p))
        for sec in abstract.iter("sec"):
            heading = _title_of(sec)
            for p in _paragraphs(sec):
                builder.add(Section.ABSTRACT, heading, _text(p))
    body = root.find("body")
    if body is None:
        body = root.find("bdy")
    if body is not None:
        for p in _paragraphs(body):
            builder.add(Section.OTHER, "", _text(p))
        for sec in body:
            if _local(sec.tag) == "sec":
                _walk_sec(sec, builder, None, 1)
    back = root.find("back")
    if back is None:
        back = root.find("bm")
    if back is not None:
        for child in back:
            name = _local(child.tag)
            if name in {"ref-list", "refgrp"}:
                continue
            if name == "sec" or name in {"ack", "app-group", "notes", "fn-group", "glossary"}:
                _walk_sec(child, builder, None, 1)
                for sec in child.iterfind("app"):
                    _walk_sec(sec, builder, Section.OTHER, 2)
        for refs in back.iter("ref-list", "refgrp"):
            heading = _title_of(refs) or "References"
            for ref in refs:
                if _local(ref.tag) in {"ref", "bibl"}:
                    builder.add(Section.REFERENCES, heading, _all_text(ref), Kind.REFERENCE)
    scope = [e for e in (body, back) if e is not None]
    for container in scope:
        for element in _floats(container):
            label, caption = _caption(element)
            builder.add(Section.OTHER, label, caption, Kind.CAPTION)
    return title, builder.blocks, builder.headings


# --------------------------------------------------------------------------------------------
# TEI (GROBID)
# --------------------------------------------------------------------------------------------
def _read_tei(root: etree._Element) -> tuple[str, list[Block], list[str]]:
    builder = _Builder()
    title_el = root.find(f".//{_TEI}titleStmt/{_TEI}title")
    title = _all_text(title_el) if title_el is not None else ""
    abstract = root.find(f".//{_TEI}profileDesc/{_TEI}abstract")
    if abstract is not None:
        for p in abstract.iter(f"{_TEI}p"):
            builder.add(Section.ABSTRACT, "", _text(p))
    section = Section.OTHER
    for part in ("body", "back"):
        container = root.find(f".//{_TEI}text/{_TEI}{part}")
        if container is None:
            continue
        for div in container.iter(f"{_TEI}div"):
            head = div.find(f"{_TEI}head")
            heading = ""
            if head is not None:
                number = head.get("n") or ""
                heading = _clean(f"{number} {_all_text(head)}")
                builder.headings.append(heading)
                known = classify_heading(heading)
                depth = numbering_depth(heading)
                if known is not None:
                    section = known
                elif depth <= 1 and part == "body":
                    section = section if not number else Section.OTHER
            if div.get("type") in {"acknowledgement", "annex", "funding", "availability"}:
                section = Section.OTHER
            for p in div.iterfind(f"{_TEI}p"):
                builder.add(section, heading, _text(p))
        for element in _floats(container):
            label, caption = _caption(element)
            builder.add(Section.OTHER, label, caption, Kind.CAPTION)
    for bibl in root.iter(f"{_TEI}biblStruct"):
        if bibl.getparent() is not None and _local(bibl.getparent().tag) == "listBibl":
            builder.add(Section.REFERENCES, "References", _all_text(bibl), Kind.REFERENCE)
    return title, builder.blocks, builder.headings


# --------------------------------------------------------------------------------------------
def parse_xml(data: bytes) -> etree._Element:
    """Parse untrusted XML bytes safely (raises ``etree.XMLSyntaxError`` when they do not parse)."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        recover=False,
    )
    return etree.fromstring(data, parser=parser)


def read_xml(data: bytes, name: str) -> Document:
    """Read JATS/NLM, BMC ``<art>`` or GROBID TEI bytes into a document.

    Anything else (unparseable, or XML of another kind) is a ``corrupt`` document saying why.
    """
    try:
        root = parse_xml(data)
    except etree.XMLSyntaxError as exc:
        return failed(
            name,
            Status.CORRUPT,
            f"the XML does not parse ({exc}); download the full text again",
        )
    kind = _local(root.tag)
    if kind in {"article", "art"}:
        reader = "jats" if kind == "article" else "bmc"
        title, blocks, headings = _read_article(root)
    elif kind == "TEI":
        reader = "tei"
        title, blocks, headings = _read_tei(root)
    else:
        return failed(
            name,
            Status.CORRUPT,
            f"XML root <{kind}> is not a JATS <article>, BMC <art> or TEI document",
        )
    if not any(b.kind is Kind.BODY and b.section is not Section.ABSTRACT for b in blocks):
        message = "no body text in the XML (metadata only: probably not open access)"
        return failed(name, Status.EMPTY, message)
    return assemble(name, blocks, reader=reader, title=title, headings=headings)
