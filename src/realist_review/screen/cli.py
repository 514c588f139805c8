"""``realist-review screen {import,status,export,conflicts}``: screening rounds by hand.

Each subcommand reads the config and the filled sheets under ``config/screening/``:

- ``import``: validate every sheet, rebuild ``results/screen/decision_log.csv`` and
  ``plans.csv``, and record the checksums of newly returned sheets in
  ``config/screening/SHA256SUMS`` (so later in-place edits are caught; every command, and the
  pipeline, records a sheet the first time it reads it);
- ``status``: import, then write ``status.csv``, ``progress.csv`` and ``agreement.csv`` and
  print where screening stands;
- ``export``: import, then write the next round's sheets (or the open round's again) and
  the conflict sheets under ``results/screen/sheets/``; a new round's plan is kept in
  ``config/screening/round-NN/plan.csv``, so the round is never planned again;
- ``conflicts``: import, then write only the conflict sheets and list the conflicts.
"""

from __future__ import annotations

import argparse
import logging
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from realist_review.config import validate_config
from realist_review.errors import InputError
from realist_review.screen.decisions import import_decisions
from realist_review.screen.export import export_conflict_sheets, export_screening_sheets
from realist_review.screen.progress import write_status
from realist_review.screen.settings import ScreeningSettings, screening_settings
from realist_review.tables import read_text

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Subcommands and their options."""
    parser.add_argument(
        "--config", type=Path, default=Path("config/config.yaml"), help="the review's config"
    )
    parser.add_argument(
        "--records",
        type=Path,
        default=Path("results/dedup/records.csv"),
        help="deduplicated record table (default: %(default)s)",
    )
    parser.add_argument(
        "--screening-dir",
        type=Path,
        default=Path("config/screening"),
        help="folder of returned sheets (default: %(default)s)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("results/screen"),
        help="folder for the log, status and sheets (default: %(default)s)",
    )
    sub = parser.add_subparsers(dest="action", required=True, metavar="action")
    imp = sub.add_parser("import", help="validate returned sheets and rebuild the decision log")
    imp.add_argument(
        "--no-record",
        action="store_true",
        help="validate only: do not record new sheets' checksums in <screening-dir>/SHA256SUMS "
        "(every other command, and the pipeline, records a sheet the first time it reads it)",
    )
    sub.add_parser("status", help="write status, progress and agreement tables; print a summary")
    exp = sub.add_parser("export", help="write the next round's sheets and the conflict sheets")
    exp.add_argument(
        "--random-sample",
        type=int,
        metavar="N",
        help="make the next round the stopping rule's random sample of N remaining records "
        "(without it, the sample is drawn when the stopping rule calls for it or "
        "screening.start_random_sample is true)",
    )
    sub.add_parser("conflicts", help="write the conflict sheets and list the conflicts")


def read_config(path: Path) -> dict[str, Any]:
    """Read the config: the ``screening`` section by :func:`screening_settings`, the rest by
    :func:`~realist_review.config.validate_config` (works whether or not the config schema
    lists ``screening`` yet)."""
    path = Path(path)
    try:
        config = yaml.safe_load(read_text(path))
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(config, dict):
        raise InputError(f"{path}: the config must be a mapping of keys to values")
    validate_config({k: v for k, v in config.items() if k != "screening"}, path=str(path))
    return config


def _sections(path: Path) -> tuple[ScreeningSettings, dict[str, Any], dict[str, Any]]:
    config = read_config(path)
    settings = screening_settings(config.get("screening"))
    return settings, dict(config.get("limits") or {}), dict(config.get("review") or {})


def run(args: argparse.Namespace) -> int:
    """Run one subcommand; returns the exit status."""
    settings, limits, review = _sections(args.config)
    out: Path = args.out
    log_path, plans_path = out / "decision_log.csv", out / "plans.csv"
    result = import_decisions(
        screening_dir=args.screening_dir,
        records=args.records,
        screening=settings,
        log_path=log_path,
        plans_path=plans_path,
        update_sums=not (args.action == "import" and args.no_record),
    )
    for warning in result.warnings:
        print(f"warning: {warning}")
    if args.action == "import":
        print(
            f"{len(result.entries)} decision(s) from {len(result.files)} sheet(s) in "
            f"{len(result.plans)} round(s) -> {log_path}"
        )
        if result.new_files and not args.no_record:
            print(f"recorded {len(result.new_files)} new file(s) in SHA256SUMS")
        return 0
    if args.action == "status":
        state = write_status(
            records=args.records,
            log_path=log_path,
            plans_path=plans_path,
            screening=settings,
            limits=limits,
            status_path=out / "status.csv",
            progress_path=out / "progress.csv",
            agreement_path=out / "agreement.csv",
        )
        counts = Counter(str(row.status) for row in state.status)
        for status, count in sorted(counts.items()):
            print(f"{status:<22} {count}")
        for round_, waiting in state.waiting.items():
            for reviewer, ids in waiting.items():
                print(f"round {round_}: waiting for {reviewer} ({len(ids)} records)")
        return 0
    if args.action == "export":
        exported = export_screening_sheets(
            records=args.records,
            log_path=log_path,
            plans_path=plans_path,
            screening=settings,
            limits=limits,
            out_dir=out / "sheets",
            review=review,
            random_sample_size=args.random_sample,
            screening_dir=args.screening_dir,
        )
        print(exported.message)
        for path in (*exported.sheets, *exported.conflict_sheets):
            if path.suffix == ".xlsx":
                print(f"  {path}")
        return 0
    open_conflicts, written = export_conflict_sheets(
        records=args.records,
        log_path=log_path,
        plans_path=plans_path,
        screening=settings,
        limits=limits,
        out_dir=out / "sheets",
        review=review,
    )
    print(f"{len(open_conflicts)} unresolved conflict(s)")
    for conflict in open_conflicts:
        decided = ", ".join(f"{e.reviewer}: {e.decision}" for e in conflict.decisions)
        print(f"  round {conflict.round} {conflict.record_id}: {decided}")
    for path in written:
        if path.suffix == ".xlsx":
            print(f"  {path}")
    return 0
