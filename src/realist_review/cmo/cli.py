"""``realist-review cmo``: CMO extraction from the command line.

``realist-review cmo suggest INPUT... --output DIR`` writes ``DIR/sentences.csv`` (role scores
of every sentence) and ``DIR/candidates.csv`` (candidate configurations); see
``workflow/schemas/README.md``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from realist_review.cmo.documents import read_documents
from realist_review.cmo.suggest import suggest
from realist_review.cmo.theory import parse_theory_areas
from realist_review.errors import InputError


def _threshold(value: str) -> float:
    number = float(value)
    if not 0.0 < number < 1.0:
        raise argparse.ArgumentTypeError("the threshold must be between 0 and 1")
    return number


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``realist-review cmo``."""
    sub = parser.add_subparsers(dest="action", required=True, metavar="action")
    s = sub.add_parser(
        "suggest",
        help="score sentence roles and propose candidate configurations",
        description="Score every sentence's context, mechanism and outcome roles and link them "
        "into candidate CMO configurations.",
    )
    s.add_argument(
        "inputs",
        nargs="+",
        type=Path,
        metavar="INPUT",
        help="record table, any export 'import' reads, or a full-text sentence table",
    )
    s.add_argument("-o", "--output", required=True, type=Path, help="folder to write into")
    s.add_argument(
        "--config",
        type=Path,
        help="review config (its cmo.theory_areas tag the candidates); default: none",
    )
    s.add_argument(
        "--train",
        action="append",
        default=[],
        type=Path,
        metavar="SENTENCES",
        help="sentences.csv with reviewer-confirmed roles: train the model on it (repeatable); "
        "default: the label-free lexicon",
    )
    s.add_argument(
        "--threshold",
        type=_threshold,
        default=None,
        help="role score cut-off (default: the config's cmo.threshold, else 0.5)",
    )
    s.add_argument("--seed", type=int, default=15, help="seed of the model (with --train)")


def run(args: argparse.Namespace) -> int:
    """Run ``realist-review cmo``."""
    areas = []
    threshold = 0.5
    if args.config is not None:
        from realist_review.config import load_config

        if not args.config.is_file():
            raise InputError(f"{args.config}: no such config file")
        config = load_config(args.config)
        areas = parse_theory_areas(config)
        threshold = float((config.get("cmo") or {}).get("threshold", threshold))
    if args.threshold is not None:
        threshold = args.threshold
    documents = read_documents(args.inputs)
    n_sent, n_cand, scorer = suggest(
        documents,
        output=args.output,
        areas=areas,
        train=args.train,
        threshold=threshold,
        seed=args.seed,
    )
    print(
        f"{len(documents)} documents: {n_sent} sentences scored ({scorer}), "
        f"{n_cand} candidate configurations -> {args.output}"
    )
    return 0
