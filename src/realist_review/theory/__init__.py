"""The initial programme theory, built from the confirmed CMO table.

- :mod:`~realist_review.theory.statements`: candidate "If-then-because" statements per theory
  area, their evidence and demi-regularities, with stable ids;
- :mod:`~realist_review.theory.edits`: the reviewers' statement sheet (edit, merge, split,
  drop), applied to the candidates: the edited version is what is published;
- :mod:`~realist_review.theory.versions`: versions as YAML and Markdown, and their diff;
- :mod:`~realist_review.theory.diagram`: contexts -> mechanisms -> outcomes per theory area.

``realist-review theory build CONFIRMED.csv --config CONFIG --output DIR`` writes
``DIR/programme_theory.yaml`` and ``.md``, ``DIR/statements.xlsx`` (the sheet for reviewers)
and ``DIR/programme_theory.{svg,png,pdf}``; ``realist-review theory diff A.yaml B.yaml`` shows
what changed between two versions.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from realist_review.config import load_config
from realist_review.errors import InputError
from realist_review.ledger import check_and_record
from realist_review.tables import read_table, sha256_file, write_atomic
from realist_review.theory.diagram import write_diagram
from realist_review.theory.edits import apply_edits, read_statement_sheet, write_statement_sheet
from realist_review.theory.statements import Configuration, Theory, build_theory
from realist_review.theory.versions import (
    diff_theories,
    format_diff,
    read_yaml,
    to_markdown,
    write_yaml,
)

__all__ = ["add_arguments", "build_programme_theory", "build_theory_stage", "run"]


def theory_areas(config: Mapping[str, Any]) -> dict[str, str]:
    """Theory-area ids and labels declared in ``cmo.theory_areas``, in config order."""
    areas = (config.get("cmo") or {}).get("theory_areas") or []
    return {str(a["id"]): str(a.get("label") or a["id"]) for a in areas}


def build_programme_theory(
    confirmed: Path,
    *,
    areas: Mapping[str, str],
    output_dir: Path,
    version: str,
    review: str,
    title: str,
    previous: Path | None = None,
    edits: Path | None = None,
) -> Theory:
    """Build, edit and write one version of the programme theory; return it."""
    rows = read_table(Path(confirmed), "cmo_confirmed")
    configurations = [Configuration.from_row(row) for row in rows]
    earlier = read_yaml(previous) if previous else None
    candidates = build_theory(configurations, areas=areas, previous=earlier)
    output_dir = Path(output_dir)
    write_statement_sheet(candidates, output_dir / "statements.xlsx")
    theory = (
        apply_edits(candidates, read_statement_sheet(edits), path=edits) if edits else candidates
    )
    write_yaml(theory, output_dir / "programme_theory.yaml", version=version, review=review)
    markdown = to_markdown(theory, version=version, title=title)
    write_atomic(output_dir / "programme_theory.md", markdown.encode("utf-8"))
    write_diagram(
        theory, {fmt: output_dir / f"programme_theory.{fmt}" for fmt in ("svg", "png", "pdf")}
    )
    return theory


#: a reviewers' statement sheet: ``<version>.xlsx``, a correction ``<version>.v2.xlsx``
EDIT_SHEET = re.compile(r"(?P<version>[0-9]+(?:\.[0-9]+)*)(?:\.v(?P<n>[2-9]|[1-9][0-9]+))?")


def record_edit_sheets(folder: Path) -> None:
    """Every returned statement sheet in ``folder`` goes into its checksum ledger the first
    time it is read; a sheet changed or deleted after that is refused (send ``.v2``)."""
    present, corrections = {}, {}
    for path in sorted(Path(folder).glob("*")):
        match = EDIT_SHEET.fullmatch(path.stem)
        if path.suffix.lower() in (".xlsx", ".csv") and match:
            present[path.name] = sha256_file(path)
            corrections[path.name] = f"{match['version']}.v{int(match['n'] or 1) + 1}{path.suffix}"
    problems = check_and_record(Path(folder), present, corrections)
    if problems:
        raise InputError("\n".join(problems))


def build_theory_stage(
    *,
    confirmed: Path,
    areas: Sequence[Mapping[str, Any]],
    version: str,
    review: str,
    title: str,
    output_dir: Path,
    diff: Path,
    previous: Path | None = None,
    edits: Path | None = None,
) -> Theory:
    """Rule ``build_programme_theory``: one version, its files, and its diff to the previous
    version (``diff``: Markdown; says so when there is no previous version)."""
    labels = {str(a["id"]): str(a.get("label") or a["id"]) for a in areas}
    if edits is not None:
        record_edit_sheets(Path(edits).parent)
    theory = build_programme_theory(
        confirmed, areas=labels, output_dir=output_dir, version=version, review=review,
        title=title, previous=previous, edits=edits,
    )  # fmt: skip
    if previous is not None:
        text = format_diff(diff_theories(read_yaml(previous), theory), str(previous), version)
    else:
        text = f"Programme theory {version}: the first version (no previous version to compare).\n"
    write_atomic(Path(diff), text.encode("utf-8"))
    return theory


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``realist-review theory``."""
    actions = parser.add_subparsers(dest="action", required=True, metavar="action")
    build = actions.add_parser("build", help="statements, sheet, versions and diagram")
    build.add_argument("confirmed", type=Path, help="the confirmed CMO table (cmo_confirmed)")
    build.add_argument(
        "--config", type=Path, default=Path("config/config.yaml"),
        help="the review's config (theory areas, review id and title)",
    )  # fmt: skip
    build.add_argument("--output", type=Path, required=True, help="folder to write")
    build.add_argument("--version", default="0.1", help="version label of this theory (0.1)")
    build.add_argument("--previous", type=Path, help="previous version's YAML: ids carry over")
    build.add_argument("--edits", type=Path, help="the reviewers' returned statement sheet")
    diff = actions.add_parser("diff", help="statements added, refined and dropped")
    diff.add_argument("old", type=Path, help="earlier version (programme_theory.yaml)")
    diff.add_argument("new", type=Path, help="later version (programme_theory.yaml)")


def run(args: argparse.Namespace) -> int:
    """Run ``theory build`` or ``theory diff``."""
    if args.action == "diff":
        print(format_diff(diff_theories(read_yaml(args.old), read_yaml(args.new)),
                          str(args.old), str(args.new)), end="")  # fmt: skip
        return 0
    config = load_config(args.config)
    theory = build_programme_theory(
        args.confirmed,
        areas=theory_areas(config),
        output_dir=args.output,
        version=args.version,
        review=config["review"]["id"],
        title=config["review"]["title"],
        previous=args.previous,
        edits=args.edits,
    )
    print(f"{len(theory.statements)} statements written to {args.output}")
    return 0
