"""The raw-response store: every page a live search receives, kept with its checksum.

Layout (see ``workflow/schemas/README.md``)::

    results/search/raw/<source>/<search_id>/<query_hash>/
        manifest.json     what was asked, when, what came back (``raw_manifest`` schema)
        <page files>      response bodies as received, known secret values replaced by ***

``query_hash`` is computed from the source, the query as sent and its parameters, so a changed
query (or changed limits) is a new search in a new folder; the old one stays. A folder whose
manifest says ``complete: true`` is reused and never fetched again. An incomplete one holds the
pages fetched so far and the ``state`` a client needs to resume.

One run at a time writes a folder: :meth:`RawStore.locked` holds an exclusive lock on its
``.lock`` file (an orphaned job and a rerun cannot interleave their pages), and re-reads the
manifest once it has the lock.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import socket
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema

from realist_review import __version__
from realist_review.errors import InputError, SourceError
from realist_review.logutil import redact_bytes
from realist_review.tables import load_schema, sha256_bytes, sha256_file, write_atomic, write_json

MANIFEST = "manifest.json"
LOCK = ".lock"
MANIFEST_FORMAT = "realist-review raw search 1"


def query_hash(source: str, query_as_run: str, parameters: Mapping[str, Any]) -> str:
    """Short hash identifying a search by what is sent (never includes keys or e-mail)."""
    canonical = json.dumps(
        {"source": source, "query": query_as_run, "parameters": parameters},
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()[:12]


def utc_now() -> str:
    """The current UTC time as ``YYYY-MM-DDTHH:MM:SSZ`` (used only for *when a search ran*)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Manifest:
    """What a raw folder holds. Mutable while a search runs; written after every page."""

    search_id: str
    source: str
    endpoint: str
    query: str
    query_as_run: str
    parameters: dict[str, Any]
    started_at: str = ""
    completed_at: str = ""
    complete: bool = False
    hits_reported: int | None = None
    #: Records the source reported but did not deliver (0: the records add up).
    shortfall: int = 0
    #: What a reader of the search log must know (a total that moved, a page kept short).
    notes: list[str] = field(default_factory=list)
    software: str = f"realist-review {__version__}"
    pages: list[dict[str, Any]] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)

    @property
    def query_hash(self) -> str:
        return query_hash(self.source, self.query_as_run, self.parameters)

    def to_json(self) -> dict[str, Any]:
        """The manifest as JSON (``shortfall`` and ``notes`` only when there is one)."""
        data = self._to_json()
        if not data["shortfall"]:
            del data["shortfall"]
        if not data["notes"]:
            del data["notes"]
        return data

    def _to_json(self) -> dict[str, Any]:
        return {
            "format": MANIFEST_FORMAT,
            "search_id": self.search_id,
            "source": self.source,
            "endpoint": self.endpoint,
            "query": self.query,
            "query_as_run": self.query_as_run,
            "parameters": self.parameters,
            "query_hash": self.query_hash,
            "started_at": self.started_at,
            "completed_at": self.completed_at,
            "complete": self.complete,
            "hits_reported": self.hits_reported,
            "shortfall": self.shortfall,
            "notes": self.notes,
            "software": self.software,
            "pages": self.pages,
            "state": self.state,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, path: Path | str = "manifest") -> Manifest:
        try:
            jsonschema.validate(data, load_schema("raw_manifest"))
        except jsonschema.ValidationError as exc:
            where = "/".join(map(str, exc.absolute_path)) or "(top level)"
            raise InputError(
                f"{path}: not a valid raw-search manifest at {where}: {exc.message}"
            ) from None
        return cls(
            search_id=data["search_id"],
            source=data["source"],
            endpoint=data["endpoint"],
            query=data["query"],
            query_as_run=data["query_as_run"],
            parameters=dict(data["parameters"]),
            started_at=data.get("started_at", ""),
            completed_at=data.get("completed_at", ""),
            complete=bool(data["complete"]),
            hits_reported=data.get("hits_reported"),
            shortfall=int(data.get("shortfall", 0)),
            notes=list(data.get("notes", [])),
            software=data.get("software", ""),
            pages=list(data["pages"]),
            state=dict(data.get("state", {})),
        )


class RawStore:
    """One search's raw folder: add pages as they arrive, verify them when reading back."""

    def __init__(self, folder: Path, manifest: Manifest) -> None:
        self.folder = Path(folder)
        self.manifest = manifest

    @classmethod
    def open(cls, root: Path, manifest: Manifest) -> RawStore:
        """Open (or resume) the folder for ``manifest`` under ``root/<source>/<search_id>/``."""
        folder = Path(root) / manifest.source / manifest.search_id / manifest.query_hash
        existing = folder / MANIFEST
        if existing.is_file():
            return cls(folder, read_manifest(existing))
        folder.mkdir(parents=True, exist_ok=True)
        manifest.started_at = manifest.started_at or utc_now()
        store = cls(folder, manifest)
        store.save()
        return store

    @contextmanager
    def locked(self) -> Iterator[RawStore]:
        """Hold the folder's lock while a search writes it; another holder is refused.

        Raises :class:`SourceError` naming the process that holds the lock. The manifest is
        read again once the lock is held (another run may have added pages meanwhile).
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        handle = (self.folder / LOCK).open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise SourceError(
                f"{self.folder}: another run is writing this raw search folder ({holder}). "
                "Wait for it to finish, or stop it, then run the search again."
            ) from None
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()} on {socket.gethostname()}\n")
            handle.flush()
            if (self.folder / MANIFEST).is_file():
                self.manifest = read_manifest(self.folder / MANIFEST)
            yield self
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()

    def add_page(self, name: str, body: bytes, *, records: int, **extra: Any) -> None:
        """Keep one response body and note it (with checksum) in the manifest.

        Known secret values (the contact e-mail, keys: see :func:`logutil.redact_bytes`) are
        replaced by ``***`` first, since some sources echo request parameters in their
        replies; the checksum is over the bytes stored.
        """
        if any(page["file"] == name for page in self.manifest.pages):
            raise ValueError(f"{self.folder}: page {name} is already stored")
        body = redact_bytes(body)
        write_atomic(self.folder / name, body)
        self.manifest.pages.append(
            {"file": name, "sha256": sha256_bytes(body), "records": records, **extra}
        )
        self.save()

    def finish(
        self, *, hits_reported: int | None, shortfall: int = 0, notes: list[str] | None = None
    ) -> None:
        """Mark the search finished (``shortfall``: records reported but not delivered)."""
        self.manifest.hits_reported = hits_reported
        self.manifest.shortfall = shortfall
        self.manifest.notes = list(notes or [])
        self.manifest.complete = True
        self.manifest.completed_at = utc_now()
        self.save()

    def save(self) -> None:
        write_json(self.folder / MANIFEST, self.manifest.to_json())

    def page_paths(self) -> list[Path]:
        """Every page file in order, after checking each against its recorded SHA-256."""
        return verified_pages(self.folder, self.manifest)


def read_manifest(path: Path) -> Manifest:
    """Read and validate a manifest file."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: cannot read the raw-search manifest: {exc}") from None
    return Manifest.from_json(data, path=path)


def verified_pages(folder: Path, manifest: Manifest) -> list[Path]:
    """Page paths of a raw folder, each checked against the manifest's checksum."""
    paths = []
    for page in manifest.pages:
        path = Path(folder) / page["file"]
        if not path.is_file():
            raise InputError(f"{path}: listed in {folder / MANIFEST} but missing")
        actual = sha256_file(path)
        if actual != page["sha256"]:
            raise InputError(
                f"{path}: checksum {actual[:12]}… does not match the manifest "
                f"({page['sha256'][:12]}…); the raw response was changed after it was saved"
            )
        paths.append(path)
    return paths


def find_snapshot(snapshot_dir: Path, source: str, search_id: str) -> Path:
    """The folder holding the snapshot of one search: ``<dir>/<source>/<search_id>/``.

    It holds a ``manifest.json`` directly, or exactly one ``<query_hash>/`` folder with one.
    """
    base = Path(snapshot_dir) / source / search_id
    if (base / MANIFEST).is_file():
        return base
    candidates = sorted(p.parent for p in base.glob(f"*/{MANIFEST}"))
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise InputError(
            f"{base}: no saved search to replay for search {search_id!r}. "
            "Set search.mode: live to run it, or point search.snapshot_dir at a folder "
            "saved from results/search/raw/."
        )
    raise InputError(
        f"{base}: {len(candidates)} saved versions of this search; keep only the one to replay"
    )


def copy_snapshot(snapshot: Path, root: Path) -> RawStore:
    """Copy a verified snapshot folder into the raw store and return it.

    An existing complete copy with the same checksums is reused as it is.
    """
    manifest = read_manifest(Path(snapshot) / MANIFEST)
    if not manifest.complete:
        raise InputError(f"{snapshot}: the saved search is incomplete; it cannot be replayed")
    verified_pages(Path(snapshot), manifest)
    target = Path(root) / manifest.source / manifest.search_id / manifest.query_hash
    if (target / MANIFEST).is_file():
        existing = read_manifest(target / MANIFEST)
        if existing.to_json() == manifest.to_json():
            verified_pages(target, existing)
            return RawStore(target, existing)
        raise InputError(
            f"{target}: already holds a different copy of this search; "
            "move it away before replaying the snapshot again"
        )
    target.mkdir(parents=True, exist_ok=True)
    for page in manifest.pages:
        shutil.copyfile(Path(snapshot) / page["file"], target / page["file"])
    shutil.copyfile(Path(snapshot) / MANIFEST, target / MANIFEST)
    return RawStore(target, manifest)
