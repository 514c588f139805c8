"""What a release holds, file by file, and the manifest that lists it.

The folders of a review are declared here once (:data:`LAYOUT`), so that a stage added later
is frozen without editing this module: every file under ``results/`` is a *derived* output
unless it is raw material (a ``raw`` or ``cache`` folder: responses that cannot be fetched
again) or excluded (logs, benchmarks, the releases themselves, retrieved full-text documents).

- **input**: what people wrote or returned: everything under ``config/`` (the config, returned
  screening sheets and decision logs, dedup decisions, theory edits; the demo snapshot only
  when the review is the demo) and export files a search reads from elsewhere in the folder;
- **workflow**: ``Snakefile`` and ``workflow/`` (rules, adapters, schemas, report captions);
- **raw**: ``results/**/raw/**``, ``results/**/cache/**`` and ``results/fulltext/files/``
  (search responses, full-text responses and documents, cached language-model responses);
- **derived**: every other file under ``results/``; re-derived by ``realist-review verify``;
- **report**: ``report.html`` when it exists (its creation time differs on every build).

Retrieved full-text documents (``results/fulltext/files/``, and PDFs under ``config/``) are
copyrighted: the manifest lists them with their checksums but the archive holds them only
when ``release.include_fulltext`` is true (or the review is the fictional demo, whose documents
the project generated).
"""

from __future__ import annotations

import json
import platform
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

import jsonschema

from realist_review import __version__
from realist_review.errors import InputError
from realist_review.tables import load_schema, read_table, sha256_file

#: Format of ``manifest.json``.
FORMAT = "realist-review release manifest 1"


class Kind(StrEnum):
    """What a file in a release is."""

    INPUT = "input"
    WORKFLOW = "workflow"
    RAW = "raw"
    DERIVED = "derived"
    REPORT = "report"


#: The declared layout of a review folder (also written into every manifest).
LAYOUT: dict[str, list[str]] = {
    "input": ["config/**", "search.searches[].files outside config/"],
    "workflow": ["Snakefile", "workflow/**"],
    "raw": ["results/**/raw/**", "results/**/cache/**", "results/fulltext/files/**"],
    "derived": ["results/** (everything else below results/)"],
    "report": ["report.html"],
    "excluded": [
        "results/logs/**",
        "results/benchmarks/**",
        "results/releases/**",
        "results/fulltext/files/** and config/**/*.pdf (listed, archived only with "
        "release.include_fulltext: true)",
        "config/demo/** unless review.demo is true",
        ".snakemake/, .snakemake_timestamp, .lock, __pycache__/, *.pyc, *.tmp",
    ],
}

#: Folders below ``results/`` that are never part of a release.
EXCLUDED_RESULTS = ("logs", "benchmarks", "releases")
#: Folder names below ``results/`` whose files are raw material, not re-derivable.
RAW_FOLDERS = frozenset({"raw", "cache"})
#: Retrieved documents (copyrighted): listed, archived only on request.
FULLTEXT_FOLDER = PurePosixPath("results/fulltext/files")
#: File names that are run-time bookkeeping, never content.
BOOKKEEPING_NAMES = frozenset({".snakemake_timestamp", ".lock", ".DS_Store"})
BOOKKEEPING_SUFFIXES = (".pyc", ".tmp")
#: The Snakemake report (``snakemake --report report.html``).
REPORT_FILE = "report.html"
#: What differs between two builds of the report from the same outputs.
REPORT_DIFFERENCES = (
    "report.html embeds the time Snakemake built it (and the run's metadata times); it is "
    "checked against its checksum but not re-derived byte for byte"
)


@dataclass(frozen=True, slots=True)
class Entry:
    """One file of a release: its path (POSIX, relative to the review folder) and checksum."""

    path: str
    kind: Kind
    sha256: str
    size: int
    archived: bool = True

    def to_data(self) -> dict[str, Any]:
        """Plain data for ``manifest.json``."""
        data: dict[str, Any] = {
            "path": self.path,
            "kind": str(self.kind),
            "sha256": self.sha256,
            "size": self.size,
        }
        if not self.archived:
            data["archived"] = False
        return data

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Entry:
        """The entry written by :meth:`to_data`."""
        return cls(
            path=str(data["path"]),
            kind=Kind(data["kind"]),
            sha256=str(data["sha256"]),
            size=int(data["size"]),
            archived=bool(data.get("archived", True)),
        )


def _is_bookkeeping(rel: PurePosixPath) -> bool:
    return (
        rel.name in BOOKKEEPING_NAMES
        or rel.name.endswith(BOOKKEEPING_SUFFIXES)
        or "__pycache__" in rel.parts
        or ".snakemake" in rel.parts
    )


def classify(rel: PurePosixPath, *, demo: bool = False) -> Kind | None:
    """The kind of a file at ``rel`` (relative to the review folder); None when not frozen.

    >>> classify(PurePosixPath("results/search/raw/pubmed/p/abc/esearch-0001.xml"))
    <Kind.RAW: 'raw'>
    >>> classify(PurePosixPath("results/cmo/confirmed.csv"))
    <Kind.DERIVED: 'derived'>
    >>> classify(PurePosixPath("results/logs/run_search/pubmed.log")) is None
    True
    """
    if _is_bookkeeping(rel):
        return None
    parts = rel.parts
    if not parts:
        return None
    if parts[0] == "config":
        if len(parts) > 1 and parts[1] == "demo" and not demo:
            return None
        return Kind.INPUT
    if parts[0] == "workflow" or rel == PurePosixPath("Snakefile"):
        return Kind.WORKFLOW
    if rel == PurePosixPath(REPORT_FILE):
        return Kind.REPORT
    if parts[0] == "results" and len(parts) > 2:
        if parts[1] in EXCLUDED_RESULTS:
            return None
        retrieved = parts[: len(FULLTEXT_FOLDER.parts)] == FULLTEXT_FOLDER.parts
        return Kind.RAW if retrieved or RAW_FOLDERS & set(parts[1:-1]) else Kind.DERIVED
    if parts[0] == "results" and len(parts) == 2:
        return Kind.DERIVED
    return None


def is_fulltext_document(rel: PurePosixPath) -> bool:
    """A retrieved or supplied full-text document (copyright: archived only on request)."""
    in_fulltext = rel.parts[: len(FULLTEXT_FOLDER.parts)] == FULLTEXT_FOLDER.parts
    return in_fulltext or (rel.parts[0] == "config" and rel.suffix.lower() == ".pdf")


def _walk(root: Path, folder: str) -> Iterator[Path]:
    base = root / folder
    if base.is_file():
        yield base
    elif base.is_dir():
        for path in base.rglob("*"):
            if path.is_file() and not path.is_symlink():
                yield path


def _export_files(config: Mapping[str, Any]) -> list[str]:
    files: list[str] = []
    for search in (config.get("search") or {}).get("searches") or []:
        files.extend(str(f) for f in search.get("files") or [])
    return files


def collect_entries(
    root: Path, config: Mapping[str, Any], *, include_fulltext: bool = False
) -> list[Entry]:
    """Every file of the review folder ``root`` a release lists, sorted by path."""
    root = Path(root)
    demo = bool((config.get("review") or {}).get("demo"))
    found: dict[str, Kind] = {}
    for folder in ("Snakefile", "workflow", "config", "results", REPORT_FILE):
        for path in _walk(root, folder):
            rel = PurePosixPath(path.relative_to(root).as_posix())
            kind = classify(rel, demo=demo)
            if kind is not None:
                found[str(rel)] = kind
    for name in _export_files(config):
        path = (root / name).resolve()
        try:
            rel = PurePosixPath(path.relative_to(root.resolve()).as_posix())
        except ValueError:
            raise InputError(
                f"search file {name} lies outside the review folder {root}: a release can only "
                "hold files inside it. Move the export into config/ (e.g. config/searches/) and "
                "point search.searches[].files at it."
            ) from None
        if path.is_file():
            found.setdefault(str(rel), Kind.INPUT)
    entries = []
    for rel_text, kind in sorted(found.items()):
        path = root / rel_text
        # the demo's documents are the project's own fictional files: no copyright to respect
        archived = include_fulltext or demo or not is_fulltext_document(PurePosixPath(rel_text))
        entries.append(
            Entry(rel_text, kind, sha256_file(path), path.stat().st_size, archived=archived)
        )
    return entries


def software_versions() -> dict[str, Any]:
    """Python, realist-review and every installed distribution (name -> version, sorted)."""
    packages: dict[str, str] = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            packages.setdefault(str(name).lower(), str(dist.version))
    return {
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "platform": sys.platform,
        "realist-review": __version__,
        "packages": dict(sorted(packages.items())),
    }


def search_dates(root: Path) -> list[dict[str, str]]:
    """When each search ran (the search log's ``executed_at``), one entry per logged search."""
    path = Path(root) / "results/search/search_log.csv"
    if not path.is_file():
        return []
    keep = ("search_id", "source", "database", "executed_at", "status", "records_retrieved")
    rows = read_table(path, "search_log")
    return [{key: str(row.get(key, "")) for key in keep} for row in rows]


def _seeds_in(data: Any, where: str) -> Iterator[tuple[str, Any]]:
    if isinstance(data, Mapping):
        for key, value in data.items():
            place = f"{where}.{key}" if where else str(key)
            if isinstance(key, str) and (key == "seed" or key.endswith("_seed")):
                if isinstance(value, int | str) and not isinstance(value, bool):
                    yield place, value
            else:
                yield from _seeds_in(value, place)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _seeds_in(value, f"{where}[{index}]")


def model_seeds(root: Path, config: Mapping[str, Any], entries: Iterable[Entry]) -> list[dict]:
    """Every seed in the config and in the JSON files the stages write beside their results.

    A key named ``seed`` or ending in ``_seed`` counts, wherever it is nested.
    """
    seeds = [
        {"file": "config/config.yaml", "key": key, "value": value}
        for key, value in _seeds_in(config, "")
    ]
    for entry in entries:
        if entry.kind not in (Kind.DERIVED, Kind.RAW) or not entry.path.endswith(".json"):
            continue
        if entry.size > 5_000_000:
            continue
        try:
            data = json.loads((Path(root) / entry.path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            continue
        seeds.extend(
            {"file": entry.path, "key": key, "value": value} for key, value in _seeds_in(data, "")
        )
    return seeds


def build_manifest(
    *,
    root: Path,
    config: Mapping[str, Any],
    version: str,
    date: str,
    command: str,
    entries: list[Entry],
) -> dict[str, Any]:
    """The manifest of a release as plain data (sorted keys when written)."""
    review = config.get("review") or {}
    report = [e.path for e in entries if e.kind is Kind.REPORT]
    return {
        "format": FORMAT,
        "review": {
            "id": review.get("id", ""),
            "title": review.get("title", ""),
            "question": review.get("question", ""),
            "demo": bool(review.get("demo", False)),
        },
        "version": version,
        "date_released": date,
        "command": command,
        "layout": LAYOUT,
        "counts": {kind.value: sum(e.kind is kind for e in entries) for kind in Kind},
        "files": [e.to_data() for e in entries],
        "software": software_versions(),
        "searches": search_dates(root),
        "seeds": model_seeds(root, config, entries),
        "search_mode": (config.get("search") or {}).get("mode", ""),
        "expected_differences": [{"path": p, "what": REPORT_DIFFERENCES} for p in report],
    }


def manifest_entries(manifest: Mapping[str, Any], *, where: str = "manifest.json") -> list[Entry]:
    """The file entries of a manifest read back (checked against ``release_manifest``)."""
    if manifest.get("format") != FORMAT:
        raise InputError(
            f"{where}: format {manifest.get('format')!r} is not {FORMAT!r}; this release "
            "was not written by realist-review (or by an incompatible version)."
        )
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(load_schema("release_manifest")).iter_errors(manifest)
    )
    if error is not None:
        place = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise InputError(f"{where}: {place}: {error.message}")
    return [Entry.from_data(item) for item in manifest["files"]]
