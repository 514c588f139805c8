"""Full-text retrieval: a PDF or JATS for every record that passed title/abstract screening.

See :mod:`realist_review.retrieval.stage` for what is tried in which order and what is
written. On the command line (wired as ``realist-review fulltext retrieve``)::

    realist-review fulltext retrieve --config config/config.yaml --outdir results/fulltext

:func:`add_retrieve_arguments` adds the sub-action to a ``fulltext`` subparsers object;
:func:`run_retrieve` runs it.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from realist_review.retrieval.stage import (
    Outputs,
    Summary,
    fulltext_client_settings,
    retrieve_fulltexts,
)

__all__ = [
    "Outputs",
    "Summary",
    "add_arguments",
    "add_retrieve_arguments",
    "fulltext_client_settings",
    "retrieve_fulltexts",
    "run",
    "run_retrieve",
    "zotero_search_ids",
]


def zotero_search_ids(config: dict[str, Any]) -> list[str]:
    """Ids of the configured Zotero searches (their raw pages hold the attachments)."""
    return [s["id"] for s in config["search"]["searches"] if s["source"] == "zotero"]


def fulltext_settings(config: dict[str, Any]) -> dict[str, Any]:
    """The config's ``fulltext`` section; ``mode`` and ``snapshot_dir`` default to search's."""
    settings = dict(config.get("fulltext", {}))
    settings.setdefault("mode", config["search"].get("mode", "snapshot"))
    return settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``fulltext retrieve``."""
    parser.add_argument(
        "--config",
        type=Path,
        default=Path("config/config.yaml"),
        help="the review's config (default: config/config.yaml)",
    )
    parser.add_argument(
        "--status",
        type=Path,
        default=Path("results/screen/status.csv"),
        help="screening status table (default: results/screen/status.csv)",
    )
    parser.add_argument(
        "--records",
        type=Path,
        default=Path("results/dedup/records.csv"),
        help="deduplicated records (default: results/dedup/records.csv)",
    )
    parser.add_argument(
        "--outdir",
        type=Path,
        default=Path("results/fulltext"),
        help="folder for files/, index.csv and the sheets (default: results/fulltext)",
    )
    parser.add_argument(
        "--raw-dir",
        type=Path,
        default=Path("results/fulltext/raw"),
        help="archive of raw responses, replayed by later runs (default: results/fulltext/raw)",
    )
    parser.add_argument(
        "--search-raw-dir",
        type=Path,
        default=Path("results/search/raw"),
        help="the search stage's raw pages, for Zotero attachments (default: results/search/raw)",
    )


def add_retrieve_arguments(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``retrieve`` to the ``fulltext`` stage's subparsers; returns its parser."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "retrieve",
        help="retrieve full texts of the records included or maybe at title/abstract",
        description="Retrieve a PDF or JATS for every record included or maybe at title/"
        "abstract: Europe PMC, Unpaywall, OpenAlex, config/fulltext/ and Zotero.",
    )
    add_arguments(parser)
    parser.set_defaults(run=run_retrieve)
    return parser


def run_retrieve(args: argparse.Namespace) -> int:
    """Run ``fulltext retrieve`` from parsed arguments."""
    import logging

    from realist_review.config import load_config
    from realist_review.logutil import RedactingFilter

    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactingFilter())
    config = load_config(args.config)
    summary = retrieve_fulltexts(
        status=args.status,
        records=args.records,
        outputs=Outputs.under(args.outdir),
        raw_dir=args.raw_dir,
        settings=fulltext_settings(config),
        clients=fulltext_client_settings(config),
        search_raw_dir=args.search_raw_dir,
        zotero_searches=zotero_search_ids(config),
    )
    print(
        f"full texts: {summary.retrieved} of {summary.forwarded} retrieved; "
        f"{summary.not_retrieved} to request ({args.outdir / 'request_sheet.xlsx'}); "
        f"{summary.needs_attention} file(s) need attention; {summary.to_confirm} match(es) "
        "to confirm"
    )
    return 0


run = run_retrieve
