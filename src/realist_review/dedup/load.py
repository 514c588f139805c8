"""Reading the records to deduplicate: the record table, the benchmark CSV, or an export.

Three kinds of input are accepted, told apart by their header:

* the record table (schema ``record``, ``results/normalize/records.csv``);
* the BibTeX-like CSV of the labelled deduplication benchmarks (``ID, ENTRYTYPE, author, title,
  year, journal, volume, number, pages`` and optionally ``abstract, doi, isbn, url``), where
  ``record_id`` is the ``ID`` column;
* any export :func:`realist_review.formats.read_export` understands, when that module exists.

Nothing is dropped: a record without a title is kept (and deduplicated on its other fields);
a repeated id, an empty file or an unknown layout stops with a message naming the file and row.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Sequence
from pathlib import Path

from realist_review.errors import InputError
from realist_review.formats.common import doi_from_url
from realist_review.records import (
    RECORD_COLUMNS,
    Record,
    Source,
    make_record,
    row_to_record,
)
from realist_review.tables import read_table, read_text

log = logging.getLogger(__name__)

#: Columns every benchmark CSV has (the BibTeX-like layout of the labelled sets).
BENCHMARK_COLUMNS: tuple[str, ...] = (
    "ID",
    "ENTRYTYPE",
    "author",
    "title",
    "year",
    "journal",
    "volume",
    "number",
    "pages",
)
BENCHMARK_OPTIONAL: tuple[str, ...] = ("abstract", "doi", "isbn", "url")
_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:\-]{0,63}")
_ISSN_RE = re.compile(r"\b(\d{4}-?\d{3}[\dXx])\b")
_SLUG_RE = re.compile(r"[^A-Za-z0-9_.\-]+")
#: A period directly followed by a surname (two or more letters then a space or comma) starts
#: the next author in run-together lists such as ``Pala A.Schmitz A. L.Knoll A.``.
_RUN_TOGETHER_RE = re.compile(r"(?<=\.)(?=[^\W\d_][^\s.,]+[\s,])")
_INITIAL_RE = re.compile(r"^(?:[^\W\d_]\.?)(?:-?[^\W\d_]\.?)?$")
_MOJIBAKE = ("Ã", "â€", "Â")


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 read as Latin-1/cp1252 (``KÃ¶nig`` -> ``König``) when that is what happened."""
    if not any(mark in text for mark in _MOJIBAKE):
        return text
    for codec in ("cp1252", "latin-1"):
        try:
            return text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return text


def split_authors(cell: str) -> list[str]:
    """Split an author cell into ``Family, Given`` names.

    Handles BibTeX (``Last, F and Last, F``), ``;``-separated lists, and the run-together
    ASySD form (``Last F.Last F. G.``); ``Surname A. B.`` becomes ``Surname, A. B.``.
    """
    text = fix_mojibake(cell).strip()
    if not text:
        return []
    if " and " in text:
        parts = text.split(" and ")
    elif ";" in text:
        parts = text.split(";")
    else:
        parts = _RUN_TOGETHER_RE.split(text)
    names: list[str] = []
    for part in parts:
        name = part.strip(" ,;")
        if not name:
            continue
        if "," not in name:
            tokens = name.split()
            cut = len(tokens)
            while cut > 1 and _INITIAL_RE.match(tokens[cut - 1]):
                cut -= 1
            if 1 <= cut < len(tokens):
                name = f"{' '.join(tokens[:cut])}, {' '.join(tokens[cut:])}"
        names.append(name)
    return names


def _slug(text: str) -> str:
    return _SLUG_RE.sub("-", text).strip("-") or "input"


def _csv_rows(text: str, path: Path) -> tuple[tuple[str, ...], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    header = tuple(name.strip() for name in (reader.fieldnames or ()))
    reader.fieldnames = list(header)
    rows: list[dict[str, str]] = []
    for row in reader:
        if None in row:
            raise InputError(
                f"{path}: line {reader.line_num} has more cells than the header; "
                "check for an unquoted comma."
            )
        rows.append({key: value or "" for key, value in row.items()})
    return header, rows


def benchmark_row_to_record(row: dict[str, str], *, search_id: str) -> Record:
    """One row of a benchmark CSV as a :class:`Record` whose ``record_id`` is its ``ID``."""
    record_id = row["ID"].strip()
    isbn_cell = row.get("isbn", "")
    issn_match = _ISSN_RE.search(isbn_cell)
    record = make_record(
        source=Source.CSV,
        source_id=record_id,
        search_id=search_id,
        authors=split_authors(row.get("author", "")),
        publication_type=[row.get("ENTRYTYPE", "")],
        year=row.get("year", ""),
        # a DOI only in the link (an Embase/Ovid or Scopus export): taken from there
        doi=row.get("doi", "") or doi_from_url(row.get("url", "")),
        title=fix_mojibake(row.get("title", "")),
        abstract=fix_mojibake(row.get("abstract", "")),
        journal=fix_mojibake(row.get("journal", "")),
        volume=row.get("volume", ""),
        issue=row.get("number", ""),
        pages=row.get("pages", ""),
        issn=issn_match.group(1) if issn_match else "",
        isbn="" if issn_match else isbn_cell,
        url=row.get("url", ""),
    )
    return _with_id(record, record_id)


def _with_id(record: Record, record_id: str) -> Record:
    from dataclasses import replace

    return replace(record, record_id=record_id)


def load_benchmark_csv(path: Path) -> list[Record]:
    """Read a labelled benchmark CSV (``records_pre_merged.csv``) strictly."""
    path = Path(path)
    header, rows = _csv_rows(read_text(path), path)
    missing = [col for col in BENCHMARK_COLUMNS if col not in header]
    if missing:
        raise InputError(
            f"{path}: missing column(s) {', '.join(missing)} for a benchmark CSV. "
            f"Expected at least: {', '.join(BENCHMARK_COLUMNS)}."
        )
    search_id = _slug(path.parent.name if path.stem == "records_pre_merged" else path.stem)
    records: list[Record] = []
    for line, row in enumerate(rows, start=2):
        record_id = row["ID"].strip()
        if not _ID_RE.fullmatch(record_id):
            raise InputError(
                f"{path}: line {line}, column 'ID': {record_id[:60]!r} is not a usable id "
                "(letters, digits, '_', '.', ':' or '-', at most 64 characters)."
            )
        records.append(benchmark_row_to_record(row, search_id=search_id))
    return records


def load_record_table(path: Path) -> list[Record]:
    """Read the record table (schema ``record``) into records."""
    return [row_to_record(row) for row in read_table(Path(path), "record")]


def _header(path: Path) -> tuple[str, ...]:
    text = read_text(path)
    if not text.strip():
        raise InputError(
            f"{path}: the file is empty. Give the record table written by the normalize "
            "stage (results/normalize/records.csv) or an export with at least one record."
        )
    first = next(csv.reader(io.StringIO(text)), [])
    return tuple(cell.strip() for cell in first)


def load_records(path: Path) -> list[Record]:
    """Read records to deduplicate from ``path``, telling the format from its header.

    Raises :class:`InputError` for an empty file, an unknown layout, or ids that repeat.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    records: list[Record]
    if suffix in {".csv", ".tsv", ".txt", ""}:
        header = _header(path)
        if set(RECORD_COLUMNS) <= set(header) or header[:1] == ("record_id",):
            records = load_record_table(path)
        elif set(BENCHMARK_COLUMNS) <= set(header):
            records = load_benchmark_csv(path)
        else:
            records = _load_export(path, header)
    else:
        records = _load_export(path, ())
    if not records:
        raise InputError(f"{path}: holds a header but no records; nothing to deduplicate.")
    check_unique_ids(records, path)
    return records


def _load_export(path: Path, header: Sequence[str]) -> list[Record]:
    from realist_review.formats import read_export
    from realist_review.importer import slugify

    try:
        return list(read_export(path, search_id=slugify(path.stem)))
    except InputError as exc:
        cols = f" (its header: {', '.join(header[:12])})" if header else ""
        raise InputError(
            f"{exc}\n{path}: not a record table, a benchmark CSV nor a known export{cols}. "
            "Give the record table (results/normalize/records.csv, see "
            "workflow/schemas/README.md), a CSV with the columns "
            f"{', '.join(BENCHMARK_COLUMNS)}, or an export `realist-review import` reads."
        ) from None


def check_unique_ids(records: Sequence[Record], path: Path | str) -> None:
    """Stop when two records share a ``record_id``, naming the first repeats."""
    seen: dict[str, int] = {}
    repeats: list[str] = []
    for index, record in enumerate(records, start=1):
        first = seen.setdefault(record.record_id, index)
        if first != index:
            repeats.append(f"{record.record_id!r} (records {first} and {index})")
            if len(repeats) >= 5:
                break
    if repeats:
        raise InputError(
            f"{path}: record ids repeat: {', '.join(repeats)}. Every record needs its own id; "
            "give repeated rows distinct ids (or merge them) before deduplicating."
        )
