"""The documents CMO extraction reads: record abstracts, or full-text sentence tables.

``INPUT`` may be

- a record table (``results/normalize/records.csv`` or the output of ``realist-review
  import``): each record's abstract, split into sentences with offsets into the abstract as the
  table holds it;
- any export ``import`` reads (RIS, NBIB, CSV, BibTeX, EndNote XML, WoS, refer): parsed with
  :func:`realist_review.formats.load_export` exactly as ``import`` does (search id = a slug of
  the file name), so record ids agree with an imported table;
- a full-text sentence table (``realist-review fulltext read`` writes one with the columns
  ``document, section, heading, page, paragraph, sentence, text``): the sentences are kept as
  given, the document text is rebuilt (sentences joined by a space, paragraphs by a blank
  line) and offsets point into that text.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from realist_review.cmo.sentences import SECTION_LABELS, Sentence, split_sentences
from realist_review.errors import InputError
from realist_review.formats import load_export
from realist_review.importer import merge_records, slugify
from realist_review.records import Record, row_to_record
from realist_review.tables import read_table, read_text

log = logging.getLogger(__name__)

FULLTEXT_COLUMNS: tuple[str, ...] = ("document", "section", "paragraph", "sentence", "text")
RECORD_TABLE_COLUMNS: tuple[str, ...] = ("record_id", "source", "source_id", "abstract")


@dataclass(frozen=True, slots=True)
class Document:
    """One document's sentences, with the paragraph of each (0 for an abstract)."""

    record_id: str
    source_id: str
    text: str
    sentences: tuple[Sentence, ...]
    paragraphs: tuple[int, ...]


def document_from_record(record: Record) -> Document:
    """The abstract of a record as a :class:`Document` (no sentences when it has none)."""
    sentences = tuple(split_sentences(record.abstract)) if record.abstract else ()
    return Document(
        record.record_id, record.source_id, record.abstract, sentences, (0,) * len(sentences)
    )


def _header(path: Path) -> tuple[str, ...]:
    try:
        first = read_text(path).splitlines()[:1]
    except InputError:
        raise
    except (OSError, UnicodeDecodeError):
        return ()
    if not first:
        return ()
    return tuple(cell.strip().lstrip("\ufeff") for cell in next(csv.reader(first)))


def _section_name(section: str) -> str:
    key = section.strip().lower().rstrip(".:")
    return SECTION_LABELS.get(key, key or "body")


def read_fulltext_table(path: Path) -> list[Document]:
    """Documents of a full-text sentence table (see the module docstring)."""
    reader = csv.DictReader(io.StringIO(read_text(path)))
    rows: dict[str, list[tuple[int, int, str, str]]] = {}
    for line, row in enumerate(reader, 2):
        if None in row:
            raise InputError(f"{path}: line {line} has more cells than the header")
        doc = (row.get("document") or "").strip()
        text = " ".join((row.get("text") or "").split())
        if not doc:
            raise InputError(f"{path}: line {line}, column 'document' is empty")
        try:
            paragraph = int(row.get("paragraph") or 0)
            sentence = int(row.get("sentence") or 0)
        except ValueError as exc:
            raise InputError(
                f"{path}: line {line}: 'paragraph' and 'sentence' must be whole numbers"
            ) from exc
        if text:
            rows.setdefault(doc, []).append((paragraph, sentence, row.get("section") or "", text))
    documents: list[Document] = []
    for doc, items in sorted(rows.items()):
        items.sort(key=lambda x: (x[0], x[1]))
        parts: list[str] = []
        sentences: list[Sentence] = []
        paragraphs: list[int] = []
        cursor = 0
        previous: int | None = None
        for paragraph, _, section, text in items:
            if previous is not None:
                sep = "\n\n" if paragraph != previous else " "
                parts.append(sep)
                cursor += len(sep)
            sentences.append(
                Sentence(len(sentences), _section_name(section), cursor, cursor + len(text), text)
            )
            paragraphs.append(paragraph)
            parts.append(text)
            cursor += len(text)
            previous = paragraph
        documents.append(Document(doc, "", "".join(parts), tuple(sentences), tuple(paragraphs)))
    return documents


def read_documents(paths: Sequence[Path]) -> list[Document]:
    """Every document of the inputs, records merged by ``record_id`` as ``import`` does."""
    records: list[Record] = []
    documents: list[Document] = []
    for path in paths:
        path = Path(path)
        if not path.is_file():
            raise InputError(f"{path}: no such file. Give a record table or an export file.")
        header = set(_header(path)) if path.suffix.lower() in {".csv", ".tsv", ".txt"} else set()
        if set(FULLTEXT_COLUMNS) <= header:
            documents.extend(read_fulltext_table(path))
        elif set(RECORD_TABLE_COLUMNS) <= header:
            records.extend(row_to_record(row) for row in read_table(path, "record"))
        else:
            records.extend(load_export(path, search_id=slugify(path.stem)).records)
    merged = merge_records(records)
    without = sum(1 for r in merged if not r.abstract)
    if without:
        log.info("%d record(s) without an abstract give no sentences", without)
    documents.extend(document_from_record(r) for r in merged)
    seen: set[str] = set()
    unique: list[Document] = []
    for doc in sorted(documents, key=lambda d: d.record_id):
        if doc.record_id in seen:
            log.warning("document %s is in more than one input; the first is used", doc.record_id)
            continue
        seen.add(doc.record_id)
        unique.append(doc)
    return unique
