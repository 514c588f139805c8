"""The ``realist-review`` command: one subcommand per stage.

Each stage module exposes ``add_arguments(parser)`` and ``run(args) -> int``. Modules are
imported only when their subcommand runs, so ``realist-review --help`` stays fast.
Errors a person can fix (:class:`~realist_review.errors.InputError`) print one clear message
and exit with status 2, without a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType

from realist_review import __version__
from realist_review.errors import InputError, SourceError
from realist_review.logutil import setup_logging

#: subcommand -> (module, one-line help). Order is the order of the pipeline.
STAGES: dict[str, tuple[str, str]] = {
    "init": ("realist_review.scaffold", "start a new review: a folder with a config skeleton"),
    "search": ("realist_review.search", "run one configured search (live or from a snapshot)"),
    "import": ("realist_review.importer", "parse exports (RIS, MEDLINE, CSV, BibTeX, XML, Ovid)"),
    "normalize": ("realist_review.normalize", "merge search hits into one record table"),
    "search-log": ("realist_review.searchlog", "write the PRISMA-S search log (CSV, Markdown)"),
    "dedup": ("realist_review.dedup", "group duplicate records, with an audit trail"),
    "screen": ("realist_review.screen.cli", "export and import screening sheets, agreement"),
    "simulate": ("realist_review.screen.simulate", "replay a labelled dataset through the ranker"),
    "fulltext": (
        "realist_review.fulltext.cli",
        "retrieve full texts; read PDF, JATS, TEI into sentences",
    ),
    "cmo": ("realist_review.cmo.cli", "suggest CMO configurations from abstracts or full texts"),
    "theory": ("realist_review.theory", "programme theory: statements, versions, diagram, diff"),
    "prisma": ("realist_review.prisma", "PRISMA 2020 counts and flow diagram"),
    "freeze": ("realist_review.release.freeze", "freeze the outputs as a citable release"),
    "verify": ("realist_review.release.verify", "check a release and re-derive it offline"),
    "diff": ("realist_review.release.diff", "what changed between two releases"),
}


def _top_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="realist-review",
        description="Rapid realist review pipeline. Each stage reads files and writes files.",
        epilog="Run 'realist-review <stage> --help' for a stage's options.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debugging detail")
    stages = "\n".join(f"  {name:<11} {help_}" for name, (_, help_) in STAGES.items())
    parser.add_argument("stage", choices=list(STAGES), metavar="stage", help="see stages below")
    parser.usage = "realist-review [-h] [--version] [-v] <stage> ..."
    parser.description = (parser.description or "") + "\n\nstages:\n" + stages
    return parser


def stage_parser(stage: str) -> tuple[ModuleType, argparse.ArgumentParser]:
    """The stage's module (imported now) and its argument parser."""
    module_name, help_ = STAGES[stage]
    module = importlib.import_module(module_name)
    parser = argparse.ArgumentParser(prog=f"realist-review {stage}", description=help_)
    module.add_arguments(parser)
    return module, parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    args_in = list(sys.argv[1:] if argv is None else argv)
    top = _top_parser()
    # Options before the stage name belong to the top level; everything after it (including
    # -h) to the stage, so that `realist-review screen --help` shows the stage's help.
    split = next((i for i, arg in enumerate(args_in) if arg in STAGES), len(args_in))
    top_args = top.parse_args(args_in[: split + 1])
    rest = args_in[split + 1 :]
    # Redaction on every handler: with -v, urllib3's DEBUG lines carry the full URL.
    setup_logging(verbose=top_args.verbose, fmt="%(levelname)s %(name)s: %(message)s")
    module, parser = stage_parser(top_args.stage)
    args = parser.parse_args(rest)
    try:
        return int(module.run(args) or 0)
    except (InputError, SourceError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
