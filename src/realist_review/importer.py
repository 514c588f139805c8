"""The ``import`` stage: parse export files (RIS, NBIB, CSV, BibTeX, EndNote XML, WoS,
EndNote tagged text, PubMed XML, Ovid text) into one record table.

``realist-review import FILE... --output records.csv`` reads each file with
:func:`realist_review.formats.load_export`, writes the records of all files as one table in
the record schema (sorted by ``record_id``; rows with the same ``record_id`` merged with
:func:`~realist_review.records.merge_same_record`), and prints per file the format, the
number of records, and how many lack a title, an abstract or a DOI.

Each file is its own search (``search_id`` = a slug of the file name without extension)
unless ``--search-id`` puts them all in one.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from realist_review.errors import InputError
from realist_review.formats import CLI_ENCODING_HINT, ExportFormat, load_export
from realist_review.records import Record, merge_same_record, record_to_row
from realist_review.tables import write_table

_SEARCH_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


@dataclass(frozen=True)
class FileSummary:
    """What one imported file gave."""

    path: Path
    format: ExportFormat
    search_id: str
    records: int
    without_title: int
    without_abstract: int
    without_doi: int

    def line(self) -> str:
        """One line for the terminal."""
        return (
            f"{self.path}: {self.format}, {self.records} records "
            f"({self.without_title} without title, {self.without_abstract} without abstract, "
            f"{self.without_doi} without DOI); search id {self.search_id}"
        )


def slugify(name: str) -> str:
    """A search id from a file stem: lower case, runs of other characters as ``-``."""
    slug = re.sub(r"[^a-z0-9_]+", "-", name.lower()).strip("-_")
    return slug[:64].rstrip("-_") or "export"


def parse_column_map(items: Sequence[str]) -> dict[str, str]:
    """``["Article Name=title", ...]`` -> ``{"Article Name": "title"}``."""
    mapping: dict[str, str] = {}
    for item in items:
        column, sep, target = item.rpartition("=")
        if not sep or not column.strip() or not target.strip():
            raise InputError(
                f'--column-map {item!r}: write COLUMN=FIELD, e.g. --column-map "Article Name=title"'
            )
        mapping[column.strip()] = target.strip()
    return mapping


def merge_records(records: Sequence[Record]) -> list[Record]:
    """One record per ``record_id`` (merged in input order), sorted by ``record_id``."""
    by_id: dict[str, list[Record]] = {}
    for record in records:
        by_id.setdefault(record.record_id, []).append(record)
    return [merge_same_record(group) for _, group in sorted(by_id.items())]


def import_files(
    paths: Sequence[Path],
    *,
    output: Path,
    fmt: str | None = None,
    encoding: str | None = None,
    search_id: str | None = None,
    column_map: Mapping[str, str] | None = None,
) -> tuple[list[FileSummary], int]:
    """Parse every file and write one record table; return per-file summaries and rows written."""
    if search_id is not None and not _SEARCH_ID_RE.match(search_id):
        raise InputError(
            f"--search-id {search_id!r}: use lower-case letters, digits, '-' or '_' "
            "(at most 64), as for search ids in config/config.yaml."
        )
    summaries: list[FileSummary] = []
    records: list[Record] = []
    for path in paths:
        sid = search_id or slugify(Path(path).stem)
        parsed = load_export(
            Path(path),
            search_id=sid,
            fmt=fmt,
            encoding=encoding,
            column_map=column_map,
            encoding_hint=CLI_ENCODING_HINT,
        )
        found = parsed.records
        summaries.append(
            FileSummary(
                path=Path(path),
                format=parsed.format,
                search_id=sid,
                records=len(found),
                without_title=sum(not r.title for r in found),
                without_abstract=sum(not r.abstract for r in found),
                without_doi=sum(not r.doi for r in found),
            )
        )
        records.extend(found)
    merged = merge_records(records)
    written = write_table(output, (record_to_row(r) for r in merged), "record")
    return summaries, written


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``realist-review import``."""
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="export file(s)")
    parser.add_argument(
        "-o", "--output", required=True, type=Path, help="record table to write (CSV)"
    )
    parser.add_argument(
        "--format",
        dest="fmt",
        metavar="F",
        help=f"format of every file ({', '.join(f.value for f in ExportFormat)}); "
        "default: detected per file",
    )
    parser.add_argument(
        "--encoding",
        help="text encoding of the files, e.g. cp1252 (default: UTF-8, or what a byte-order "
        "mark or an XML declaration says)",
    )
    parser.add_argument(
        "--search-id", help="search id for all files (default: a slug of each file name)"
    )
    parser.add_argument(
        "--column-map",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help='CSV column -> record field, e.g. "Article Name=title" (repeatable)',
    )


def run(args: argparse.Namespace) -> int:
    """Run ``realist-review import``."""
    summaries, written = import_files(
        args.files,
        output=args.output,
        fmt=args.fmt,
        encoding=args.encoding,
        search_id=args.search_id,
        column_map=parse_column_map(args.column_map) or None,
    )
    for summary in summaries:
        print(summary.line())
    total = sum(s.records for s in summaries)
    merged_note = f" ({total - written} merged: same record id)" if total != written else ""
    print(f"wrote {written} records to {args.output}{merged_note}")
    return 0
