"""Full texts: reading PDFs, JATS/BMC XML and GROBID TEI into sections, paragraphs and sentences.

Public entry point: :func:`read_document` (a path in, a :class:`Document` out, never raising for
a bad file). The stage's tables are written by :mod:`realist_review.fulltext.stage`.
"""

from realist_review.fulltext.model import Document, Kind, Paragraph, Section, Sentence, Status
from realist_review.fulltext.read import document_name, read_bytes_document, read_document

__all__ = [
    "Document",
    "Kind",
    "Paragraph",
    "Section",
    "Sentence",
    "Status",
    "document_name",
    "read_bytes_document",
    "read_document",
]
