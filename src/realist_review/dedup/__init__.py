"""Deduplication: group records that are the same work, link reports of the same study.

Command line: ``realist-review dedup INPUT --output GROUPS.csv [--records MERGED.csv]
[--audit AUDIT.csv] [--summary SUMMARY.csv] [--review-sheet PAIRS.xlsx]
[--decisions config/dedup/decisions.csv] [--settings dedup.json]``.
Snakemake: :func:`run_dedup`. Tables: ``workflow/schemas/README.md``, section Deduplication.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

from realist_review.dedup.stage import (
    DedupResult,
    DedupSettings,
    deduplicate,
    run_dedup,
    settings_from_mapping,
)
from realist_review.errors import InputError
from realist_review.tables import read_text

__all__ = [
    "DedupResult",
    "DedupSettings",
    "add_arguments",
    "deduplicate",
    "run",
    "run_dedup",
    "settings_from_mapping",
]

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``realist-review dedup``."""
    parser.add_argument(
        "input", type=Path, help="record table (schema record), benchmark CSV, or an export"
    )
    parser.add_argument(
        "--output", "-o", type=Path, required=True, help="GROUPS.csv: record_id,group_id"
    )
    parser.add_argument("--records", type=Path, help="merged records, one row per group")
    parser.add_argument("--audit", type=Path, help="audit trail: why each pair was linked")
    parser.add_argument("--summary", type=Path, help="per-search duplicate counts for PRISMA")
    parser.add_argument(
        "--review-sheet", type=Path, help="borderline pairs for a person (.xlsx; .csv beside)"
    )
    parser.add_argument(
        "--decisions",
        type=Path,
        help="people's decisions: a .csv/.xlsx file or a folder (e.g. config/dedup/)",
    )
    parser.add_argument(
        "--settings",
        type=Path,
        help="JSON or YAML with the thresholds (a config file's dedup: thresholds: section)",
    )


def _read_settings(path: Path | None) -> dict[str, object]:
    if path is None:
        return {}
    text = read_text(path)
    try:
        if path.suffix.lower() in {".yaml", ".yml"}:
            import yaml

            data = yaml.safe_load(text)
        else:
            data = json.loads(text)
    except Exception as exc:  # both parsers raise their own error types
        raise InputError(f"{path}: cannot read the settings ({exc}).") from None
    # accept the whole config file (dedup: thresholds: ...), its dedup section, or the thresholds
    if isinstance(data, dict) and isinstance(data.get("dedup"), dict):
        data = data["dedup"]
    if isinstance(data, dict) and isinstance(data.get("thresholds"), dict):
        data = data["thresholds"]
    if not isinstance(data, dict):
        raise InputError(f"{path}: settings must be a mapping of keys to values.")
    return data


def run(args: argparse.Namespace) -> int:
    """Run the stage from parsed command-line arguments."""
    result = run_dedup(
        records=args.input,
        groups=args.output,
        merged=args.records,
        audit=args.audit,
        summary=args.summary,
        review_sheet=args.review_sheet,
        decisions=args.decisions,
        settings=_read_settings(args.settings),
    )
    groups = len(set(result.group_of.values()))
    print(
        f"{len(result.records)} records, {groups} groups, "
        f"{len(result.records) - groups} duplicates; {len(result.review)} pairs to review"
        + (f"; {len(result.stale)} stale decision(s), see the log" if result.stale else "")
        + (
            f"; {len(result.contradicting)} contradicting decision(s) NOT applied, see the log"
            if result.contradicting
            else ""
        )
    )
    return 0
