"""``realist-review fulltext read FILE... --output DIR``: full texts to sections and sentences.

Writes ``DIR/documents.csv`` (one row per file: pages, status, message), ``DIR/sentences.csv``
(document, section, heading, page, paragraph, sentence, text), ``DIR/offsets.csv`` and
``DIR/text/<document>.txt`` (see ``workflow/schemas/README.md``). A file that cannot be read
is a row with its status; the others are still read and the command exits 0.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from realist_review.fulltext.stage import write_reading


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Subcommands and their options."""
    sub = parser.add_subparsers(dest="action", required=True, metavar="action")
    read = sub.add_parser("read", help="read PDFs, JATS/BMC XML or GROBID TEI into tables")
    read.add_argument("files", nargs="+", type=Path, metavar="FILE", help="files to read")
    read.add_argument(
        "--output", type=Path, required=True, metavar="DIR", help="folder for the tables"
    )
    from realist_review.retrieval import add_retrieve_arguments

    add_retrieve_arguments(sub)


def run(args: argparse.Namespace) -> int:
    """Run one subcommand; returns the exit status."""
    if args.action == "retrieve":
        return int(args.run(args) or 0)
    result = write_reading(args.files, args.output)
    statuses = Counter(doc.status.value for doc in result.documents)
    summary = ", ".join(f"{count} {status}" for status, count in sorted(statuses.items()))
    sentences = sum(
        len(p.sentences)
        for doc in result.documents
        for p in doc.paragraphs
        if p.kind in ("body", "reference")
    )
    print(
        f"{len(result.documents)} file(s): {summary}; {sentences} sentence(s) -> "
        f"{result.sentences_csv}"
    )
    return 0
