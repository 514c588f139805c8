"""The reading stage's tables: ``documents.csv``, ``sentences.csv`` and the offsets.

``write_reading`` reads files with :func:`~realist_review.fulltext.read.read_document` and
writes, into one folder:

- ``documents.csv`` (schema ``fulltext_documents``): one row per file, with its status;
- ``sentences.csv`` (schema ``fulltext_sentences``): body and reference sentences;
- ``offsets.csv`` (schema ``fulltext_offsets``) and ``text/<document>.txt``: where each
  sentence sits in the document's text, for later stages that point back into it.

A bad file is a row with its status and message; the other files are still read.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from realist_review.errors import InputError
from realist_review.fulltext.model import Document, Kind, Status
from realist_review.fulltext.read import document_name, read_document
from realist_review.tables import write_atomic, write_table

log = logging.getLogger(__name__)


def document_rows(documents: Iterable[Document]) -> list[dict[str, str]]:
    """Rows of ``documents.csv``, sorted by document."""
    rows = [
        {
            "document": doc.name,
            "pages": "" if doc.pages is None else str(doc.pages),
            "status": doc.status.value,
            "message": doc.message,
        }
        for doc in documents
    ]
    return sorted(rows, key=lambda row: row["document"])


def _written(doc: Document) -> list[tuple[int, object]]:
    """(number, paragraph) of the paragraphs in ``sentences.csv``: body text and references."""
    kept = [p for p in doc.paragraphs if p.kind in (Kind.BODY, Kind.REFERENCE)]
    return list(enumerate(kept, start=1))


def sentence_rows(documents: Iterable[Document]) -> list[dict[str, str]]:
    """Rows of ``sentences.csv``: document, then paragraph and sentence order."""
    rows: list[dict[str, str]] = []
    for doc in sorted(documents, key=lambda d: d.name):
        for number, paragraph in _written(doc):
            for sentence in paragraph.sentences:  # type: ignore[attr-defined]
                rows.append(
                    {
                        "document": doc.name,
                        "section": paragraph.section.value,  # type: ignore[attr-defined]
                        "heading": paragraph.heading,  # type: ignore[attr-defined]
                        "page": "" if sentence.page is None else str(sentence.page),
                        "paragraph": str(number),
                        "sentence": str(sentence.index),
                        "text": sentence.text,
                    }
                )
    return rows


def offset_rows(documents: Iterable[Document]) -> list[dict[str, str]]:
    """Rows of ``offsets.csv``, in the order and numbering of ``sentences.csv``."""
    rows: list[dict[str, str]] = []
    for doc in sorted(documents, key=lambda d: d.name):
        for number, paragraph in _written(doc):
            for sentence in paragraph.sentences:  # type: ignore[attr-defined]
                rows.append(
                    {
                        "document": doc.name,
                        "paragraph": str(number),
                        "sentence": str(sentence.index),
                        "start": str(sentence.start),
                        "end": str(sentence.end),
                    }
                )
    return rows


@dataclass(frozen=True)
class ReadingResult:
    """What :func:`write_reading` wrote: the documents and the table paths."""

    documents: tuple[Document, ...]
    documents_csv: Path
    sentences_csv: Path
    offsets_csv: Path


def check_names(paths: Sequence[Path]) -> None:
    """Refuse two input files that would get the same ``document`` name."""
    seen: dict[str, Path] = {}
    for path in paths:
        name = document_name(Path(path))
        if name in seen and Path(seen[name]) != Path(path):
            raise InputError(
                f"{seen[name]} and {path} both give the document name {name!r}; "
                "rename one of them (documents are named by the file name without extension)"
            )
        seen[name] = Path(path)


def write_reading(paths: Sequence[Path], output: Path) -> ReadingResult:
    """Read every file and write the stage's tables into ``output``."""
    paths = sorted({Path(p) for p in paths}, key=str)
    check_names(paths)
    documents: list[Document] = []
    for path in paths:
        doc = read_document(path)
        if doc.status is not Status.OK:
            log.warning("%s: %s: %s", path, doc.status.value, doc.message)
        elif doc.message:
            log.warning("%s: %s", path, doc.message)
        documents.append(doc)
    output = Path(output)
    text_dir = output / "text"
    for doc in documents:
        if doc.paragraphs:
            write_atomic(text_dir / f"{doc.name}.txt", doc.text.encode("utf-8"))
    write_table(output / "documents.csv", document_rows(documents), "fulltext_documents")
    write_table(output / "sentences.csv", sentence_rows(documents), "fulltext_sentences")
    write_table(output / "offsets.csv", offset_rows(documents), "fulltext_offsets")
    return ReadingResult(
        documents=tuple(documents),
        documents_csv=output / "documents.csv",
        sentences_csv=output / "sentences.csv",
        offsets_csv=output / "offsets.csv",
    )
