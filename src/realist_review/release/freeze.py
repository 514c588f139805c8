"""``realist-review freeze --version X.Y``: freeze what the pipeline produced as one release.

Writes ``results/releases/<version>/``: the archive ``<review id>-<version>.tar.gz`` (the
review folder's inputs, workflow, raw responses, derived outputs and report, plus the release
metadata at its top: ``manifest.json``, ``ro-crate-metadata.json``, ``CITATION.cff``,
``README.md``), the same metadata files beside it for reading without unpacking, and
``SHA256SUMS`` of them all. A version is frozen once: a second freeze is refused.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from realist_review.config import load_config
from realist_review.errors import InputError
from realist_review.release.archive import write_archive
from realist_review.release.crate import citation_cff, crate_metadata, default_authors
from realist_review.release.guard import RELEASES_DIR, check_version, frozen_searches
from realist_review.release.manifest import Entry, Kind, build_manifest, collect_entries
from realist_review.tables import sha256_file

log = logging.getLogger(__name__)

DEFAULT_LICENSE = "CC-BY-4.0"
METADATA_FILES = ("manifest.json", "ro-crate-metadata.json", "CITATION.cff", "README.md")


@dataclass(frozen=True)
class Release:
    """A frozen release: its folder, archive and file entries."""

    version: str
    folder: Path
    archive: Path
    entries: tuple[Entry, ...]


def _json_bytes(data: object) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def _end_time(root: Path, entries: Sequence[Entry]) -> str:
    """When the run ended: the newest derived output's modification time (UTC, ISO 8601)."""
    times = [(root / e.path).stat().st_mtime for e in entries if e.kind is Kind.DERIVED]
    moment = dt.datetime.fromtimestamp(max(times), tz=dt.UTC).replace(microsecond=0)
    return moment.isoformat()


def readme_text(manifest: Mapping[str, Any], archive_name: str) -> str:
    """``README.md`` of the release: what it is and how to check it."""
    review = manifest["review"]
    counts = manifest["counts"]
    version = manifest["version"]
    demo = "\n**The records in this release are fictional (the embedded demo review).**\n"
    lines = [
        f"# {review['title']}: release {version}",
        "",
        f"Frozen on {manifest['date_released']} with `{manifest['command']}`.",
        demo if review.get("demo") else "",
        "Question: " + " ".join(str(review["question"]).split()),
        "",
        "| kind | files |",
        "|---|---|",
        *(f"| {kind} | {count} |" for kind, count in counts.items() if count),
        "",
        "`manifest.json` lists every file with its SHA-256, size and kind, the software "
        "versions, the search dates and every model seed; `ro-crate-metadata.json` is the "
        "Workflow Run Crate; `CITATION.cff` says how to cite these outputs.",
        "",
        "Check the release and re-derive every derived output offline from the archived raw "
        "responses and decisions (needs the realist-review package):",
        "",
        "```bash",
        f"realist-review verify {archive_name}",
        "```",
        "",
    ]
    return "\n".join(lines)


def freeze_release(
    root: Path,
    *,
    version: str,
    command: str,
    date: str | None = None,
    config: Mapping[str, Any] | None = None,
) -> Release:
    """Freeze the review folder ``root`` as release ``version``; refuse an existing version."""
    root = Path(root)
    version = check_version(version)
    if config is None:
        config = load_config(root / "config/config.yaml")
    review_id = str(config["review"]["id"])
    folder = root / RELEASES_DIR / version
    if folder.exists() and any(folder.iterdir()):
        raise InputError(
            f"release {version} already exists ({folder}): a release is never changed. "
            "Freeze the current outputs as a new version (e.g. --version "
            f"{version}.1 or the next number), and set release.version in config/config.yaml."
        )
    settings = config.get("release") or {}
    entries = collect_entries(root, config, include_fulltext=bool(settings.get("include_fulltext")))
    if not any(e.kind is Kind.DERIVED for e in entries) or "Snakefile" not in {
        e.path for e in entries
    }:
        raise InputError(
            f"{root}: nothing to freeze (no Snakefile or no derived output under results/). "
            "Run the pipeline first: snakemake --cores 2"
        )
    date = date or dt.datetime.now(dt.UTC).date().isoformat()
    manifest = build_manifest(
        root=root, config=config, version=version, date=date, command=command, entries=entries
    )
    manifest["frozen_searches"] = frozen_searches(config, root)
    manifest["not_archived"] = [e.path for e in entries if not e.archived]
    license_id = str(settings.get("license") or DEFAULT_LICENSE)
    authors = default_authors(config)
    top = f"{review_id}-{version}"
    archive_name = f"{top}.tar.gz"
    archived = [e for e in entries if e.archived]
    metadata: dict[str, bytes] = {
        "manifest.json": _json_bytes(manifest),
        "CITATION.cff": citation_cff(
            manifest=manifest, authors=authors, license_id=license_id, doi=settings.get("doi", "")
        ).encode(),
        "README.md": readme_text(manifest, archive_name).encode(),
    }
    crate = crate_metadata(
        manifest=manifest,
        entries=archived,
        authors=authors,
        license_id=license_id,
        end_time=_end_time(root, entries),
        extra_files={
            "manifest.json": "Every file of the release with its SHA-256, size and kind; "
            "software versions, search dates and model seeds.",
            "CITATION.cff": "How to cite the review outputs (Citation File Format 1.2.0).",
            "README.md": "What the release is and how to verify it.",
        },
    )
    metadata["ro-crate-metadata.json"] = _json_bytes(crate)

    staging = folder.with_name(f".{version}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        write_archive(
            staging / archive_name,
            top=top,
            files=[(e.path, root / e.path) for e in archived],
            extra=metadata,
            date=date,
        )
        for name in METADATA_FILES:
            (staging / name).write_bytes(metadata[name])
        sums = [f"{sha256_file(staging / n)}  {n}" for n in (archive_name, *METADATA_FILES)]
        (staging / "SHA256SUMS").write_text("\n".join(sums) + "\n", encoding="utf-8")
        for path in staging.iterdir():
            path.chmod(0o444)
        if folder.exists():
            folder.rmdir()  # the empty folder Snakemake makes for its output
        staging.replace(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    log.info("release %s: %d files in %s", version, len(archived), folder / archive_name)
    return Release(version, folder, folder / archive_name, tuple(entries))


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------
def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``realist-review freeze``."""
    parser.add_argument(
        "--version",
        dest="release_version",
        help="the release version, e.g. 1.0 (default: release.version in the config)",
    )
    parser.add_argument(
        "--directory",
        type=Path,
        default=Path(),
        help="the review folder (default: the current folder)",
    )
    parser.add_argument(
        "--date", help="release date YYYY-MM-DD (default: today, UTC); also the archive's mtimes"
    )


def run(args: argparse.Namespace) -> int:
    """Run ``realist-review freeze``."""
    root = Path(args.directory)
    config = load_config(root / "config/config.yaml")
    version = args.release_version or (config.get("release") or {}).get("version")
    if not version:
        raise InputError(
            "no version given: run realist-review freeze --version 1.0 (or set "
            'release.version: "1.0" in config/config.yaml)'
        )
    command = f"realist-review freeze --version {version}"
    if args.date:
        command += f" --date {args.date}"
    release = freeze_release(
        root, version=str(version), command=command, date=args.date, config=config
    )
    counts = {kind: sum(e.kind is kind for e in release.entries) for kind in Kind}
    left_out = [e.path for e in release.entries if not e.archived]
    print(f"release {release.version}: {release.archive}")
    print("  " + ", ".join(f"{n} {k}" for k, n in counts.items() if n))
    if left_out:
        print(f"  {len(left_out)} full-text documents listed but not archived (copyright)")
    print(f"check it with: realist-review verify {release.archive}")
    return 0
