"""The normalize stage: all searches' hits in one record table.

Each search's ``hits.csv`` already holds normalised records (the parsers build them with
``records.make_record``). Here the same record found by several searches (the same PMID from two
PubMed queries, say) becomes one row whose ``origin`` lists every hit; rows are sorted by
``record_id``. Different sources' records of one work stay separate rows: telling them apart is
the dedup stage's job. A ``records.meta.json`` beside the table gives its schema version, row
count and SHA-256, so later stages and releases can check what they read.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Sequence
from pathlib import Path

from realist_review.records import (
    Record,
    merge_same_record,
    record_to_row,
    row_to_record,
)
from realist_review.tables import read_table, schema_version, sha256_file, write_json, write_table

log = logging.getLogger(__name__)


def merge_hits(hit_tables: Sequence[Sequence[Record]]) -> list[Record]:
    """One record per ``record_id`` over all searches, in ``record_id`` order.

    Tables are taken in the order given (the config's search order), so when two searches
    disagree on a field the earlier search's value is kept.
    """
    by_id: dict[str, list[Record]] = {}
    for table in hit_tables:
        for record in table:
            by_id.setdefault(record.record_id, []).append(record)
    return [merge_same_record(group) for _, group in sorted(by_id.items())]


def normalize_records(*, hits: Sequence[Path], output: Path, meta: Path) -> list[Record]:
    """Read every search's hits, merge, write the record table and its metadata."""
    tables = []
    for path in hits:
        table = [row_to_record(row) for row in read_table(path, "record")]
        log.info("%s: %d records", path, len(table))
        tables.append(table)
    records = merge_hits(tables)
    total_hits = sum(len(table) for table in tables)
    write_table(output, (record_to_row(r) for r in records), "record")
    write_json(
        meta,
        {
            "schema": "record",
            "schema_version": schema_version("record"),
            "rows": len(records),
            "hits": total_hits,
            "sha256": sha256_file(output),
            "inputs": [str(p) for p in hits],
        },
    )
    log.info(
        "%d hits from %d searches -> %d records (%d found by more than one search of the "
        "same source)",
        total_hits,
        len(tables),
        len(records),
        total_hits - len(records),
    )
    return records


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``realist-review normalize``."""
    parser.add_argument("hits", nargs="+", type=Path, help="hits.csv of each search, in order")
    parser.add_argument(
        "--output",
        type=Path,
        default=Path("results/normalize/records.csv"),
        help="record table to write (default: results/normalize/records.csv)",
    )


def run(args: argparse.Namespace) -> int:
    """Merge hits from the command line."""
    meta = args.output.with_name(args.output.stem + ".meta.json")
    records = normalize_records(hits=args.hits, output=args.output, meta=meta)
    print(f"{len(records)} records written to {args.output}")
    return 0
