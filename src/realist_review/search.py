"""The search stage: run one configured search and write its hits and its search-log entry.

Three ways a search runs:

- **live**: the source's client plans the request (query as run, parameters), opens the raw
  folder for that plan (``results/search/raw/<source>/<search_id>/<query_hash>/``) and fetches
  whatever is not there yet. A complete folder is reused as it is: a second run never calls the
  API again, and a changed query or limit is a new folder, i.e. a new search.
- **snapshot**: a saved raw folder (``search.snapshot_dir``) is verified, copied into the raw
  store and parsed by the same parser as a live response.
- **file**: an export from a database without an open API (RIS, NBIB, CSV, ...) is parsed.

Either way the output is ``hits.csv`` (record schema) and ``log.json`` (one search-log row).

A search whose records do not add up to the hits its source reported (after every page was
retried, see :mod:`realist_review.clients.http`) is logged with ``status = incomplete`` and a
``note`` saying how many records are missing; the search log, its Markdown and the run's
messages show it. Its records are kept and pass on to screening: the shortfall is reported,
never hidden, and never blocks the review.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from realist_review import __version__
from realist_review.config import (
    Limits,
    SearchSpec,
    client_settings,
    get_limits,
    get_search,
    load_config,
)
from realist_review.errors import InputError
from realist_review.raw import (
    MANIFEST,
    Manifest,
    RawStore,
    copy_snapshot,
    find_snapshot,
    read_manifest,
)
from realist_review.records import Record, Source, merge_same_record, record_to_row
from realist_review.tables import sha256_bytes, sha256_file, write_json, write_table

log = logging.getLogger(__name__)

SessionFactory = Callable[[Mapping[str, Any]], requests.Session]


@dataclass(frozen=True)
class SearchOutcome:
    """What one executed search produced: its records and its search-log row."""

    records: list[Record]
    log_row: dict[str, str]


def _display_path(path: Path) -> str:
    """A path relative to the working directory when it lies below it (portable logs)."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _log_row(
    spec: SearchSpec,
    *,
    platform: str,
    endpoint: str,
    query_as_run: str,
    parameters: Mapping[str, Any],
    executed_at: str,
    mode: str,
    hits_reported: int | None,
    records_retrieved: int,
    raw_path: str,
    raw_sha256: str,
    software: str,
    status: str = "complete",
    note: str = "",
) -> dict[str, str]:
    return {
        "search_id": spec.id,
        "source": str(spec.source),
        "database": spec.database,
        "prisma_group": str(spec.prisma_group),
        "other_method": spec.other_method,
        "platform": platform,
        "endpoint": endpoint,
        "query": spec.query,
        "query_as_run": query_as_run,
        "parameters": json.dumps(parameters, sort_keys=True, ensure_ascii=False),
        "executed_at": executed_at,
        "mode": mode,
        "software": software,
        "hits_reported": "" if hits_reported is None else str(hits_reported),
        "records_retrieved": str(records_retrieved),
        "raw_path": raw_path,
        "raw_sha256": raw_sha256,
        "status": status,
        "note": note,
    }


def _merge_within_search(records: Sequence[Record]) -> list[Record]:
    """One row per record id (a source may return the same record on two pages)."""
    by_id: dict[str, list[Record]] = {}
    for record in records:
        by_id.setdefault(record.record_id, []).append(record)
    repeats = sum(len(group) - 1 for group in by_id.values())
    if repeats:
        log.warning("%d hit(s) repeat a record already returned by this search; merged", repeats)
    return [merge_same_record(group) for _, group in sorted(by_id.items())]


def import_files(spec: SearchSpec, *, base_dir: Path = Path()) -> SearchOutcome:
    """Parse the export files of a file search."""
    from realist_review.formats import read_export  # imported here: optional heavy parsers

    records: list[Record] = []
    checksums: list[str] = []
    for name in spec.files:
        path = base_dir / name
        found = read_export(
            path,
            search_id=spec.id,
            fmt=spec.format or None,
            encoding=spec.encoding or None,
            column_map=spec.column_map or None,
        )
        log.info("%s: %s gave %d records", spec.id, name, len(found))
        records.extend(found)
        checksums.append(f"{sha256_file(path)}  {Path(name).name}")
    digest = (
        checksums[0].split()[0]
        if len(checksums) == 1
        else sha256_bytes("\n".join(sorted(checksums)).encode())
    )
    merged = _merge_within_search(records)
    row = _log_row(
        spec,
        platform=spec.platform or f"{spec.source} export",
        endpoint="; ".join(Path(name).name for name in spec.files),
        query_as_run=spec.query,
        parameters={"files": list(spec.files), "format": spec.format or "detected"},
        executed_at=spec.executed_on,
        mode="file",
        hits_reported=None,
        records_retrieved=len(merged),
        raw_path="; ".join(spec.files),
        raw_sha256=digest,
        software=f"realist-review {__version__}",
    )
    return SearchOutcome(merged, row)


def _check_snapshot_matches(snapshot: Manifest, planned: Manifest, where: Path) -> None:
    if snapshot.query != planned.query:
        raise InputError(
            f"{where}: this snapshot was saved for the query\n    {snapshot.query}\n"
            f"but the config now says\n    {planned.query}\n"
            "A changed query is a new search: run it live (search.mode: live), or restore the "
            "query the snapshot was made with."
        )
    if snapshot.query_as_run != planned.query_as_run:
        raise InputError(
            f"{where}: the snapshot was run as\n    {snapshot.query_as_run}\n"
            f"but with the current limits the query would be\n    {planned.query_as_run}\n"
            "Limits changed since the snapshot was saved: restore them, or run the search live."
        )


def run_api_search(
    spec: SearchSpec,
    *,
    limits: Limits,
    settings: Mapping[str, Any],
    mode: str,
    raw_root: Path,
    snapshot_dir: Path | None = None,
    session_factory: SessionFactory | None = None,
    client: Any = None,
) -> SearchOutcome:
    """Run (or reuse, or replay) an API search and parse its raw pages.

    ``client`` is the source's client module (``plan``/``fetch``/``parse``); by default the one
    in :mod:`realist_review.clients` for ``spec.source``.
    """
    if client is None:
        from realist_review.clients import get_client

        client = get_client(spec.source)
    planned = client.plan(spec, limits, settings)
    if mode == "snapshot":
        if snapshot_dir is None:
            raise InputError("search.mode is snapshot but search.snapshot_dir is not set")
        folder = find_snapshot(snapshot_dir, str(spec.source), spec.id)
        _check_snapshot_matches(read_manifest(folder / MANIFEST), planned, folder)
        store = copy_snapshot(folder, raw_root)
        log.info("%s: replaying the saved search in %s", spec.id, folder)
    elif mode == "live":
        store = RawStore.open(raw_root, planned)
        with store.locked():
            if store.manifest.complete:
                log.info(
                    "%s: reusing the finished raw search in %s (no request sent)",
                    spec.id,
                    _display_path(store.folder),
                )
            else:
                _require_contact(settings, spec)
                if store.manifest.pages:
                    log.info(
                        "%s: resuming an interrupted search after %d page(s)",
                        spec.id,
                        len(store.manifest.pages),
                    )
                if session_factory is None:
                    from realist_review.clients.http import make_session

                    session_factory = make_session
                session = session_factory(settings)
                client.fetch(store, spec=spec, limits=limits, settings=settings, session=session)
    else:
        raise InputError(f"search.mode must be live or snapshot, not {mode!r}")
    records = _merge_within_search(client.parse(store.page_paths(), search_id=spec.id))
    manifest = store.manifest
    shortfall, notes = shortfall_of(manifest)
    row = _log_row(
        spec,
        platform=spec.platform or _PLATFORMS[spec.source],
        endpoint=manifest.endpoint,
        query_as_run=manifest.query_as_run,
        parameters=manifest.parameters,
        executed_at=manifest.completed_at or manifest.started_at,
        mode=mode,
        hits_reported=manifest.hits_reported,
        records_retrieved=len(records),
        raw_path=_display_path(store.folder),
        raw_sha256=sha256_file(store.folder / MANIFEST),
        software=manifest.software,
        status="incomplete" if shortfall else "complete",
        note="; ".join(notes),
    )
    if shortfall:
        log.error(
            "%s: INCOMPLETE search: %s. Its %d records are kept and the shortfall is shown in "
            "the search log. To search again, rename the folder %s (it is then listed as "
            "superseded) and rerun.",
            spec.id, "; ".join(notes), len(records), _display_path(store.folder),
        )  # fmt: skip
    return SearchOutcome(records, row)


def shortfall_of(manifest: Manifest) -> tuple[int, list[str]]:
    """Records reported but not received, and the notes that say so.

    The manifest's own ``shortfall``, or, for a folder an earlier version marked complete
    without counting, the reported hits less the records its pages hold.
    """
    notes = list(manifest.notes)
    received = sum(
        int(page["records"]) for page in manifest.pages if not page["file"].startswith("esearch")
    )
    hits = manifest.hits_reported
    counted = max(0, hits - received) if hits is not None and manifest.complete else 0
    if counted > manifest.shortfall and not manifest.shortfall:
        notes.append(f"incomplete: {counted:,} of the {hits:,} records reported were not received")
    return max(manifest.shortfall, counted), notes


def _require_contact(settings: Mapping[str, Any], spec: SearchSpec) -> None:
    """A live search needs the contact e-mail the sources ask for: say what to export."""
    name = settings.get("contact_email_env")
    if name and not os.environ.get(str(name), "").strip():
        raise InputError(
            f"search {spec.id} runs live but the environment variable {name} is not set. "
            f"The sources ask for a contact e-mail; set it in the shell that runs the "
            f"pipeline: export {name}=you@example.org (it is sent to the sources only, "
            "never written to a log or a result)."
        )


_PLATFORMS: dict[Source, str] = {
    Source.PUBMED: "NCBI E-utilities",
    Source.EUROPEPMC: "Europe PMC REST API",
    Source.OPENALEX: "OpenAlex API",
    Source.CROSSREF: "Crossref REST API",
    Source.ZOTERO: "Zotero Web API",
}


def execute_search(
    *,
    config: Mapping[str, Any],
    search_id: str,
    raw_root: Path,
    hits: Path,
    log_entry: Path,
    base_dir: Path = Path(),
    session_factory: SessionFactory | None = None,
) -> SearchOutcome:
    """Run the configured search ``search_id``; write ``hits`` (CSV) and ``log_entry`` (JSON)."""
    spec = get_search(config, search_id)
    if spec.source.is_api:
        snapshot = config["search"].get("snapshot_dir")
        outcome = run_api_search(
            spec,
            limits=get_limits(config),
            settings=client_settings(config),
            mode=config["search"]["mode"],
            raw_root=raw_root,
            snapshot_dir=base_dir / snapshot if snapshot else None,
            session_factory=session_factory,
        )
    else:
        outcome = import_files(spec, base_dir=base_dir)
    write_table(hits, (record_to_row(r) for r in outcome.records), "record")
    write_json(log_entry, outcome.log_row)
    log.info("%s: %d records written to %s", spec.id, len(outcome.records), hits)
    return outcome


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------
def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``realist-review search``."""
    parser.add_argument("search_id", help="id of a search in the config")
    parser.add_argument(
        "--config",
        type=Path,
        default=Path("config/config.yaml"),
        help="the review's config (default: config/config.yaml)",
    )
    parser.add_argument(
        "--raw-dir",
        type=Path,
        default=Path("results/search/raw"),
        help="archive of raw responses, reused by later runs (default: results/search/raw)",
    )
    parser.add_argument(
        "--outdir",
        type=Path,
        default=Path("results/search"),
        help="folder for the hits table and log entry (default: results/search)",
    )


def run(args: argparse.Namespace) -> int:
    """Run one search from the command line."""
    config = load_config(args.config)
    outcome = execute_search(
        config=config,
        search_id=args.search_id,
        raw_root=args.raw_dir,
        hits=args.outdir / args.search_id / "hits.csv",
        log_entry=args.outdir / args.search_id / "log.json",
    )
    status = outcome.log_row["status"]
    if status == "incomplete":
        print(f"{args.search_id}: {len(outcome.records)} records, INCOMPLETE: "
              f"{outcome.log_row['note']}")  # fmt: skip
    else:
        print(f"{args.search_id}: {len(outcome.records)} records")
    return 0
