"""The retrieval stage: a full text for every record forwarded from title/abstract screening.

For each record whose screening status is ``included`` or ``maybe`` (sorted by record id), the
sources are tried in the configured order (default: Europe PMC JATS by PMCID, Unpaywall and
OpenAlex PDFs by DOI, files under ``config/fulltext/``, Zotero attachments). The web sources
stop at the first usable file; the team's own files (local, Zotero linked files) are always
recorded. Outputs (all deterministic; ``workflow/schemas/README.md``):

- ``files/``: every usable file, named ``<record_id>-<source>-<sha256[:10]>.pdf|xml``;
- ``index.csv``: one row per attempt (``fulltext_index`` schema);
- ``not_retrieved.csv``, ``request_sheet.xlsx`` and ``not_retrieved.ris``: what is missing, why,
  and a request for a library service;
- ``needs_attention.csv`` and ``confirm_matches.xlsx``: files under ``config/fulltext/`` that
  match no record, several records, or a record only by title (waiting for a person's yes).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from realist_review.config import client_settings
from realist_review.records import normalize_pmcid
from realist_review.retrieval.archive import Archive
from realist_review.retrieval.fetch import Fetcher
from realist_review.retrieval.local import (
    CONFIRMATIONS,
    DEFAULT_THRESHOLD,
    Matches,
    Problem,
    match_files,
    read_confirmations,
)
from realist_review.retrieval.model import (
    DEFAULT_ORDER,
    RETRIEVED_STATUSES,
    Attempt,
    SourceName,
    Status,
    Target,
)
from realist_review.retrieval.sheets import (
    request_rows,
    write_confirmation_sheet,
    write_request_ris,
    write_request_sheet,
)
from realist_review.retrieval.sources import from_europepmc, from_openalex, from_unpaywall
from realist_review.retrieval.zotero import ZoteroLibraries, from_zotero
from realist_review.screen.settings import FORWARDED
from realist_review.tables import read_table, sha256_bytes, write_atomic, write_table

log = logging.getLogger(__name__)

#: Defaults of the full-text clients that the search clients do not have.
CLIENT_DEFAULTS: dict[str, dict[str, Any]] = {
    "unpaywall": {"base_url": "https://api.unpaywall.org/v2/", "requests_per_second": 5.0},
    "download": {"requests_per_second": 2.0},
}
SessionFactory = Callable[[Mapping[str, Any]], requests.Session]


@dataclass(frozen=True)
class Outputs:
    """Where the stage writes."""

    index: Path
    not_retrieved: Path
    needs_attention: Path
    confirm_sheet: Path
    request_sheet: Path
    request_ris: Path
    files: Path

    @classmethod
    def under(cls, folder: Path) -> Outputs:
        folder = Path(folder)
        return cls(
            index=folder / "index.csv",
            not_retrieved=folder / "not_retrieved.csv",
            needs_attention=folder / "needs_attention.csv",
            confirm_sheet=folder / "confirm_matches.xlsx",
            request_sheet=folder / "request_sheet.xlsx",
            request_ris=folder / "not_retrieved.ris",
            files=folder / "files",
        )


@dataclass(frozen=True)
class Summary:
    """Counts of one run (for the log and the command line)."""

    forwarded: int
    retrieved: int
    not_retrieved: int
    needs_attention: int
    to_confirm: int
    requests_sent: int


def fulltext_client_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    """Client settings for retrieval: the search clients' plus ``unpaywall`` and ``download``."""
    settings = client_settings(config)
    given = config.get("clients", {})
    for key, default in CLIENT_DEFAULTS.items():
        settings[key] = {**default, **given.get(key, {})}
    return settings


def _first_author(authors: str) -> str:
    first = authors.split(";")[0].strip()
    return first.split(",")[0].strip()


def load_targets(
    status_rows: Sequence[Mapping[str, str]], records: Sequence[Mapping[str, str]]
) -> list[Target]:
    """The records forwarded to full text, sorted by record id."""
    status = {row["record_id"]: row["status"] for row in status_rows}
    targets = []
    for row in sorted(records, key=lambda r: r["record_id"]):
        if status.get(row["record_id"]) not in FORWARDED:
            continue
        targets.append(
            Target(
                record_id=row["record_id"],
                screening=status[row["record_id"]],
                doi=row.get("doi", ""),
                pmid=row.get("pmid", ""),
                pmcid=normalize_pmcid(row.get("pmcid", "")),
                title=row.get("title", ""),
                first_author=_first_author(row.get("authors", "")),
                year=row.get("year", ""),
                origin=tuple(o.strip() for o in row.get("origin", "").split(";") if o.strip()),
                row=dict(row),
            )
        )
    return targets


def _local_attempts(target: Target, matches: Matches) -> list[Attempt]:
    attempts = []
    for found in matches.for_record(target.record_id):
        how = found.how + (f" by {found.confirmed_by}" if found.confirmed_by else "")
        attempts.append(
            Attempt(
                target.record_id,
                str(SourceName.LOCAL),
                found.shown,
                Status.RETRIEVED,
                f"{found.verdict.message}, matched by {how}",
                body=found.body,
                media_type=str(found.verdict.media_type),
            )
        )
    for found in matches.unusable_for(target.record_id):
        attempts.append(
            Attempt(
                target.record_id,
                str(SourceName.LOCAL),
                found.shown,
                Status.REJECTED,
                found.message,
            )
        )
    for found in matches.suggested_for(target.record_id):
        attempts.append(
            Attempt(
                target.record_id,
                str(SourceName.LOCAL),
                found.shown,
                Status.UNCONFIRMED,
                found.message,
            )
        )
    return attempts


def _within(attempts: list[Attempt], max_bytes: int) -> list[Attempt]:
    """Usable files over ``max_bytes`` become ``rejected`` (a runaway download is not kept)."""
    kept = []
    for attempt in attempts:
        if attempt.status in RETRIEVED_STATUSES and len(attempt.body) > max_bytes:
            attempt = Attempt(
                attempt.record_id,
                attempt.source,
                attempt.location,
                Status.REJECTED,
                f"{len(attempt.body):,} bytes is over the limit of {max_bytes:,} "
                "(fulltext.max_file_mb)",
            )
        kept.append(attempt)
    return kept


def _rank(attempts: list[Attempt]) -> list[Attempt]:
    """First usable file ``retrieved``, later ones ``also_retrieved``."""
    ranked, have = [], False
    for attempt in attempts:
        if attempt.status in RETRIEVED_STATUSES:
            status = Status.ALSO_RETRIEVED if have else Status.RETRIEVED
            have = True
            if status is not attempt.status:
                attempt = Attempt(
                    attempt.record_id,
                    attempt.source,
                    attempt.location,
                    status,
                    attempt.message,
                    attempt.body,
                    attempt.media_type,
                )
        ranked.append(attempt)
    return ranked


def _reason(target: Target, attempts: Sequence[Attempt], order: Sequence[str]) -> str:
    if attempts:
        return "; ".join(f"{a.source}: {a.status} ({a.message})" for a in attempts)
    missing = []
    if SourceName.EUROPEPMC in order:
        missing.append("no PMCID")
    if SourceName.UNPAYWALL in order or SourceName.OPENALEX in order:
        missing.append("no DOI")
    if SourceName.LOCAL in order:
        missing.append("no file under config/fulltext/")
    return "nothing to try: " + ", ".join(missing or ["no source configured"])


def retrieve(
    targets: Sequence[Target],
    *,
    order: Sequence[str],
    fetcher: Fetcher,
    settings: Mapping[str, Any],
    matches: Matches,
    zotero: ZoteroLibraries | None,
    zotero_base_dir: Path | None,
    max_bytes: int,
) -> dict[str, list[Attempt]]:
    """Every attempt per record id, in source order, first usable file marked ``retrieved``."""
    results: dict[str, list[Attempt]] = {}
    for target in targets:
        attempts: list[Attempt] = []
        tried: set[str] = set()
        for source in order:
            have = any(a.status in RETRIEVED_STATUSES for a in attempts)
            found: list[Attempt] = []
            if source == SourceName.EUROPEPMC and not have:
                found = from_europepmc(target, fetcher, settings)
            elif source == SourceName.UNPAYWALL and not have:
                found = from_unpaywall(target, fetcher, settings, tried)
            elif source == SourceName.OPENALEX and not have:
                found = from_openalex(target, fetcher, settings, tried)
            elif source == SourceName.LOCAL:
                found = _local_attempts(target, matches)
            elif source == SourceName.ZOTERO and zotero is not None:
                found = from_zotero(
                    target,
                    fetcher,
                    settings,
                    zotero,
                    base_dir=zotero_base_dir,
                    max_bytes=max_bytes,
                    download=not have,
                )
            attempts += _within(found, max_bytes)
        results[target.record_id] = _rank(attempts)
        got = next((a for a in results[target.record_id] if a.status is Status.RETRIEVED), None)
        log.info(
            "%s: %s",
            target.record_id,
            f"retrieved from {got.source}" if got else "not retrieved",
        )
    return results


def _store(attempt: Attempt, files: Path, *, shown_root: Path | None) -> tuple[str, str]:
    digest = sha256_bytes(attempt.body)
    ext = "xml" if attempt.media_type == "jats" else "pdf"
    path = files / f"{attempt.record_id}-{attempt.source}-{digest[:10]}.{ext}"
    if not path.is_file() or sha256_bytes(path.read_bytes()) != digest:
        write_atomic(path, attempt.body)
    if shown_root is not None and path.is_relative_to(shown_root):
        return digest, str(path.relative_to(shown_root))
    return digest, str(path)


def write_outputs(
    targets: Sequence[Target],
    results: Mapping[str, list[Attempt]],
    matches: Matches,
    *,
    outputs: Outputs,
    order: Sequence[str],
    shown_root: Path | None = None,
) -> Summary:
    """Write every output of the stage (see the module docstring); return the counts."""
    outputs.files.mkdir(parents=True, exist_ok=True)
    index_rows, kept = [], set()
    for target in targets:
        for attempt in results.get(target.record_id, []):
            if attempt.status in RETRIEVED_STATUSES:
                digest, stored = _store(attempt, outputs.files, shown_root=shown_root)
                kept.add(Path(stored).name)
                index_rows.append(attempt.to_row(sha256=digest, file=stored))
            else:
                index_rows.append(attempt.to_row())
    for stale in outputs.files.iterdir():  # files of an earlier run that no longer apply
        if stale.is_file() and stale.name.startswith("rec-") and stale.name not in kept:
            stale.unlink()
    write_table(outputs.index, index_rows, "fulltext_index")

    missing = [
        t
        for t in targets
        if not any(a.status is Status.RETRIEVED for a in results.get(t.record_id, []))
    ]
    reasons = {t.record_id: _reason(t, results.get(t.record_id, []), order) for t in missing}
    write_table(
        outputs.not_retrieved,
        (
            {
                "record_id": t.record_id,
                "screening": t.screening,
                "title": t.title,
                "first_author": t.first_author,
                "year": t.year,
                "doi": t.doi,
                "pmid": t.pmid,
                "pmcid": t.pmcid,
                "reason": reasons[t.record_id],
            }
            for t in missing
        ),
        "fulltext_not_retrieved",
    )
    write_request_sheet(outputs.request_sheet, request_rows([t.row for t in missing], reasons))
    write_request_ris(outputs.request_ris, [t.row for t in missing])

    by_id = {t.record_id: t for t in targets}
    attention, confirm = [], []
    for found in sorted(matches.files, key=lambda f: f.shown):
        if found.problem and found.problem != Problem.UNCONFIRMED:
            attention.append(
                {
                    "file": found.shown,
                    "sha256": found.sha256,
                    "problem": found.problem,
                    "record_ids": "; ".join(
                        found.matched or [s.record_id for s in found.suggestions]
                    ),
                    "message": found.message,
                }
            )
        if found.problem in (Problem.UNCONFIRMED, Problem.SEVERAL_MATCHES):
            for suggestion in found.suggestions:
                target = by_id[suggestion.record_id]
                confirm.append(
                    {
                        "file": found.shown,
                        "sha256": found.sha256,
                        "record_id": suggestion.record_id,
                        "title": target.title,
                        "first_author": target.first_author,
                        "year": target.year,
                        "score": f"{suggestion.score:g}",
                        "author_found": "yes" if suggestion.author_found else "no",
                        "decision": "",
                        "reviewer": "",
                        "note": "",
                    }
                )
    write_table(outputs.needs_attention, attention, "fulltext_needs_attention")
    write_confirmation_sheet(outputs.confirm_sheet, confirm)
    return Summary(
        forwarded=len(targets),
        retrieved=len(targets) - len(missing),
        not_retrieved=len(missing),
        needs_attention=len(attention),
        to_confirm=len(confirm),
        requests_sent=0,
    )


def retrieve_fulltexts(
    *,
    status: Path,
    records: Path,
    outputs: Outputs,
    raw_dir: Path,
    settings: Mapping[str, Any],
    clients: Mapping[str, Any],
    search_raw_dir: Path = Path("results/search/raw"),
    zotero_searches: Sequence[str] = (),
    base_dir: Path = Path(),
    session_factory: SessionFactory | None = None,
) -> Summary:
    """Run the stage: read the screening status and records, retrieve, write every output.

    ``settings`` is the config's ``fulltext`` section (mode, snapshot_dir, sources, local_dir,
    match_threshold, max_file_mb, zotero_base_dir); ``clients`` is
    :func:`fulltext_client_settings`. Paths in ``settings`` are relative to ``base_dir``.
    """
    status_rows = read_table(status, "screen_status")
    record_rows = read_table(records, "merged_record")
    targets = load_targets(status_rows, record_rows)
    order = [str(SourceName(s)) for s in settings.get("sources", DEFAULT_ORDER)]
    mode = str(settings.get("mode", "snapshot"))
    snapshot = settings.get("snapshot_dir")
    session = None
    if mode == "live":
        if session_factory is None:
            from realist_review.clients.http import make_session

            session_factory = make_session
        session = session_factory(clients)
    fetcher = Fetcher(
        archive=Archive(raw_dir),
        mode=mode,
        settings=clients,
        session=session,
        snapshot_dir=base_dir / snapshot if snapshot else None,
    )
    local_dir = base_dir / str(settings.get("local_dir", "config/fulltext"))
    max_bytes = int(float(settings.get("max_file_mb", 200)) * 1024 * 1024)
    matches = Matches()
    if SourceName.LOCAL in order:
        matches = match_files(
            local_dir,
            targets=targets,
            records=record_rows,
            confirmations=read_confirmations(local_dir / CONFIRMATIONS),
            threshold=float(settings.get("match_threshold", DEFAULT_THRESHOLD)),
            max_bytes=max_bytes,
            shown_root=base_dir,
        )
    zotero = None
    if SourceName.ZOTERO in order and zotero_searches:
        zotero = ZoteroLibraries(search_raw_dir, zotero_searches)
    zotero_base = settings.get("zotero_base_dir")
    results = retrieve(
        targets,
        order=order,
        fetcher=fetcher,
        settings=clients,
        matches=matches,
        zotero=zotero,
        zotero_base_dir=base_dir / zotero_base if zotero_base else None,
        max_bytes=max_bytes,
    )
    summary = write_outputs(
        targets, results, matches, outputs=outputs, order=order, shown_root=base_dir
    )
    summary = Summary(**{**summary.__dict__, "requests_sent": fetcher.sent})
    log.info(
        "full texts: %d forwarded, %d retrieved, %d not retrieved, %d file(s) need attention, "
        "%d match(es) to confirm, %d request(s) sent",
        summary.forwarded,
        summary.retrieved,
        summary.not_retrieved,
        summary.needs_attention,
        summary.to_confirm,
        summary.requests_sent,
    )
    return summary


def prisma_fulltext_rows(
    status_rows: Iterable[Mapping[str, str]], not_retrieved_rows: Iterable[Mapping[str, str]]
) -> list[dict[str, str]]:
    """The full-text flow PRISMA counts (schema ``prisma_fulltext``): every record included or
    maybe at title/abstract is sought; retrieved unless it is in the not-retrieved list.
    Assessment comes with the full-text eligibility sheets (empty until then)."""
    missing = {row["record_id"] for row in not_retrieved_rows}
    forwarded = sorted(row["record_id"] for row in status_rows if row["status"] in FORWARDED)
    return [
        {"record_id": rid, "sought": "yes", "retrieved": "no" if rid in missing else "yes",
         "assessed": "", "decision": "", "reason": ""}
        for rid in forwarded
    ]  # fmt: skip


def write_prisma_fulltext(*, status: Path, not_retrieved: Path, output: Path) -> int:
    """Rule ``tabulate_fulltext_flow``: ``results/fulltext/prisma.csv``; returns its rows."""
    rows = prisma_fulltext_rows(
        read_table(status, "screen_status"), read_table(not_retrieved, "fulltext_not_retrieved")
    )
    return write_table(output, rows, "prisma_fulltext")
