"""The reading result of one full-text file: a document of paragraphs and sentences.

A :class:`Document` is plain, frozen data. Its ``text`` is its paragraphs joined by a blank line;
every paragraph and sentence carries its character offsets into that text (``start`` inclusive,
``end`` exclusive), so later stages (CMO extraction) can point back into the document.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from realist_review.fulltext.sentences import split_sentences

#: Text placed between two paragraphs in :attr:`Document.text`.
PARAGRAPH_SEPARATOR = "\n\n"


class Status(StrEnum):
    """What happened when a file was read (the ``status`` column of ``documents.csv``)."""

    OK = "ok"
    ENCRYPTED = "encrypted"
    SCANNED = "scanned"
    CORRUPT = "corrupt"
    NOT_PDF = "not_pdf"
    EMPTY = "empty"


class Section(StrEnum):
    """The part of an article a paragraph belongs to (the ``section`` column)."""

    ABSTRACT = "abstract"
    INTRODUCTION = "introduction"
    METHODS = "methods"
    RESULTS = "results"
    DISCUSSION = "discussion"
    CONCLUSIONS = "conclusions"
    REFERENCES = "references"
    OTHER = "other"


class Kind(StrEnum):
    """What a paragraph is. Only body text and reference entries go into ``sentences.csv``."""

    BODY = "body"
    #: figure and table captions, and text read as table or figure content
    CAPTION = "caption"
    REFERENCE = "reference"
    #: front matter of a PDF before the abstract (title, authors, affiliations, dates,
    #: licence), and text outside the article proper (open peer-review reports)
    FRONT = "front"


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: 1-based ``index`` within its paragraph, document offsets, page (PDF)."""

    index: int
    text: str
    start: int
    end: int
    page: int | None


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph with the heading it stands under, as printed, and its sentences."""

    index: int
    section: Section
    heading: str
    kind: Kind
    text: str
    start: int
    end: int
    page: int | None
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph before assembly: text plus where pages begin inside it (PDF only).

    ``pages`` lists ``(offset, page)`` pairs sorted by offset; the first offset is 0.
    """

    section: Section
    heading: str
    text: str
    kind: Kind = Kind.BODY
    pages: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    """A read file: status, page count (PDF), headings found, paragraphs and sentences."""

    name: str
    status: Status
    message: str = ""
    pages: int | None = None
    reader: str = ""
    title: str = ""
    headings: tuple[str, ...] = ()
    paragraphs: tuple[Paragraph, ...] = field(default=())

    @property
    def text(self) -> str:
        """The document text that paragraph and sentence offsets point into."""
        return PARAGRAPH_SEPARATOR.join(p.text for p in self.paragraphs)

    def body(self) -> list[Paragraph]:
        """Paragraphs of body text (not captions, not reference entries)."""
        return [p for p in self.paragraphs if p.kind is Kind.BODY]


def _page_at(pages: Sequence[tuple[int, int]], offset: int) -> int | None:
    page = None
    for start, number in pages:
        if start > offset:
            break
        page = number
    return page


def assemble(
    name: str,
    blocks: Iterable[Block],
    *,
    status: Status = Status.OK,
    message: str = "",
    pages: int | None = None,
    reader: str = "",
    title: str = "",
    headings: Sequence[str] = (),
) -> Document:
    """Number paragraphs, split sentences and compute offsets: the one way to make a document.

    Empty blocks are dropped. Sentence pages come from the block's page starts.
    """
    paragraphs: list[Paragraph] = []
    offset = 0
    for block in blocks:
        text = block.text.strip()
        if not text:
            continue
        lead = len(block.text) - len(block.text.lstrip())
        shifted = tuple((max(0, start - lead), page) for start, page in block.pages)
        sentences = tuple(
            Sentence(
                index=i,
                text=text[start:end],
                start=offset + start,
                end=offset + end,
                page=_page_at(shifted, start),
            )
            for i, (start, end) in enumerate(split_sentences(text), start=1)
        )
        paragraphs.append(
            Paragraph(
                index=len(paragraphs) + 1,
                section=block.section,
                heading=block.heading,
                kind=block.kind,
                text=text,
                start=offset,
                end=offset + len(text),
                page=_page_at(shifted, 0),
                sentences=sentences,
            )
        )
        offset += len(text) + len(PARAGRAPH_SEPARATOR)
    return Document(
        name=name,
        status=status,
        message=message,
        pages=pages,
        reader=reader,
        title=title,
        headings=tuple(headings),
        paragraphs=tuple(paragraphs),
    )


def failed(name: str, status: Status, message: str, *, pages: int | None = None) -> Document:
    """A document that could not be read (no paragraphs), with the reason."""
    return Document(name=name, status=status, message=message, pages=pages)
