"""The raw-response archive of full-text retrieval: every answer kept, with its checksum.

Layout (see ``workflow/schemas/README.md``, ``fulltext_raw_manifest``)::

    results/fulltext/raw/<source>/<record_id>/
        manifest.json        every request sent for this record to this source, and its answer
        response-0001.json   response bodies exactly as received (.json, .xml, .pdf, .html, .bin)

A request is named by its method and URL with public parameters only (never a key or an
e-mail). An answer with an HTTP status (200, 404, 403...) is definitive: a later run replays it
and sends nothing. A request that failed on the network (after every retry) is noted with
status 0 and sent again next time.

In snapshot mode the folders are copied from ``fulltext.snapshot_dir`` (checksums verified)
and only replayed: nothing is sent, and a request the snapshot lacks counts as not retrieved.
This is the only place with timestamps (``fetched_at``), as in the search stage's archive.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema

from realist_review import __version__
from realist_review.errors import InputError
from realist_review.raw import utc_now
from realist_review.tables import load_schema, sha256_bytes, sha256_file, write_atomic, write_json

MANIFEST = "manifest.json"
FORMAT = "realist-review raw fulltext 1"


@dataclass(frozen=True)
class Exchange:
    """One answer: an HTTP status (0 when none came) with its body, or a message why not."""

    request: str
    status: int
    body: bytes = b""
    message: str = ""
    content_type: str = ""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def _extension(body: bytes, content_type: str) -> str:
    head = body[:1024].lstrip().lower()
    if b"%PDF-" in body[:1024]:
        return "pdf"
    if head.startswith((b"{", b"[")) or "json" in content_type:
        return "json"
    if head.startswith((b"<!doctype html", b"<html")) or "html" in content_type:
        return "html"
    if head.startswith(b"<"):
        return "xml"
    return "bin"


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        jsonschema.validate(data, load_schema("fulltext_raw_manifest"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read the full-text archive manifest: {exc}") from None
    except jsonschema.ValidationError as exc:
        where = "/".join(map(str, exc.absolute_path)) or "(top level)"
        raise InputError(
            f"{path}: not a valid full-text archive manifest at {where}: {exc.message}"
        ) from None
    return data


class ArchiveFolder:
    """The archive folder of one record at one source."""

    def __init__(self, folder: Path, *, source: str, record_id: str) -> None:
        self.folder = Path(folder)
        path = self.folder / MANIFEST
        if path.is_file():
            self.data = _read_manifest(path)
        else:
            self.data = {
                "format": FORMAT,
                "source": source,
                "record_id": record_id,
                "software": f"realist-review {__version__}",
                "exchanges": [],
            }

    def answered(self, request: str) -> Exchange | None:
        """The last definitive answer stored for ``request`` (checksum verified), or None."""
        for entry in reversed(self.data["exchanges"]):
            if entry["request"] != request or not entry["status"]:
                continue
            body = b""
            if entry.get("file"):
                path = self.folder / entry["file"]
                if not path.is_file():
                    raise InputError(f"{path}: listed in {self.folder / MANIFEST} but missing")
                body = path.read_bytes()
                if sha256_bytes(body) != entry["sha256"]:
                    raise InputError(
                        f"{path}: checksum does not match {self.folder / MANIFEST}; the saved "
                        "response was changed after it was saved"
                    )
            return Exchange(
                request=request,
                status=int(entry["status"]),
                body=body,
                message=entry.get("message", ""),
                content_type=entry.get("content_type", ""),
            )
        return None

    def add(self, exchange: Exchange, *, fetched_at: str = "") -> None:
        """Keep one answer (its body as received) and note it in the manifest."""
        entry: dict[str, Any] = {
            "request": exchange.request,
            "status": exchange.status,
            "message": exchange.message,
            "content_type": exchange.content_type,
            "fetched_at": fetched_at or utc_now(),
        }
        if exchange.body:
            number = len(self.data["exchanges"]) + 1
            name = f"response-{number:04d}.{_extension(exchange.body, exchange.content_type)}"
            write_atomic(self.folder / name, exchange.body)
            entry |= {"file": name, "sha256": sha256_bytes(exchange.body)}
        entry["bytes"] = len(exchange.body)
        self.data["exchanges"].append(entry)
        write_json(self.folder / MANIFEST, self.data)


class Archive:
    """All archive folders under ``root`` (``results/fulltext/raw``)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._open: dict[tuple[str, str], ArchiveFolder] = {}

    def folder(self, source: str, record_id: str) -> ArchiveFolder:
        key = (source, record_id)
        if key not in self._open:
            self._open[key] = ArchiveFolder(
                self.root / source / record_id, source=source, record_id=record_id
            )
        return self._open[key]


def copy_snapshot(snapshot_dir: Path, root: Path, *, source: str, record_id: str) -> bool:
    """Copy one saved folder from ``snapshot_dir`` into the archive; False when there is none.

    Checksums are verified first. An identical copy already in the archive is kept; a
    different one stops with a message (the archive is never silently overwritten).
    """
    saved = Path(snapshot_dir) / source / record_id
    if not (saved / MANIFEST).is_file():
        return False
    data = _read_manifest(saved / MANIFEST)
    for entry in data["exchanges"]:
        if entry.get("file"):
            path = saved / entry["file"]
            if not path.is_file() or sha256_file(path) != entry["sha256"]:
                raise InputError(
                    f"{path}: missing or changed since {saved / MANIFEST} was written; "
                    "restore the snapshot"
                )
    target = Path(root) / source / record_id
    if (target / MANIFEST).is_file():
        if _read_manifest(target / MANIFEST) == data:
            return True
        raise InputError(
            f"{target}: already holds different saved responses for this record; move the "
            "folder away before replaying the snapshot"
        )
    target.mkdir(parents=True, exist_ok=True)
    for entry in data["exchanges"]:
        if entry.get("file"):
            shutil.copyfile(saved / entry["file"], target / entry["file"])
    shutil.copyfile(saved / MANIFEST, target / MANIFEST)
    return True


def public_request(url: str, params: Mapping[str, Any] | None = None) -> str:
    """``GET <url>?<params>`` with the public parameters only, as requests would encode them."""
    from realist_review.clients.http import describe

    return f"GET {describe(url, params)}"
