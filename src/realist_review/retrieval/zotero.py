"""Zotero attachments of records that came from a Zotero search.

The search stage keeps Zotero's raw item pages, child attachments included (its parser skips
them as records). For a record whose ``origin`` names a Zotero search, its attachments are
read from those pages: a **linked file** is a path on the team's computer (``attachments:``
paths are relative to ``fulltext.zotero_base_dir``, Zotero's "linked attachment base
directory"); an **imported file** is downloaded through the Zotero API
(``/items/{key}/file``). Web links (``linked_url``) are not files and are skipped.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from realist_review.clients import zotero_files
from realist_review.clients.zotero_files import Attachment
from realist_review.errors import InputError
from realist_review.raw import MANIFEST, read_manifest, verified_pages
from realist_review.retrieval.archive import Exchange
from realist_review.retrieval.fetch import Fetcher
from realist_review.retrieval.model import Attempt, SourceName, Status, Target
from realist_review.retrieval.sources import failure, judged

log = logging.getLogger(__name__)

SOURCE = str(SourceName.ZOTERO)


class ZoteroLibraries:
    """Attachments by parent item key, per Zotero search, from the search stage's raw pages."""

    def __init__(self, raw_root: Path, search_ids: Sequence[str]) -> None:
        self.by_search: dict[str, dict[str, list[Attachment]]] = {}
        self.library: dict[str, tuple[str, str]] = {}
        for search_id in search_ids:
            folders = sorted((Path(raw_root) / "zotero" / search_id).glob(f"*/{MANIFEST}"))
            if not folders:
                log.warning("zotero search %s: no raw pages under %s", search_id, raw_root)
                continue
            manifest = read_manifest(folders[-1])
            params = manifest.parameters
            self.library[search_id] = (
                str(params.get("library_type", "group")),
                str(params.get("library_id", "")),
            )
            attachments: dict[str, list[Attachment]] = {}
            for page in verified_pages(folders[-1].parent, manifest):
                try:
                    items = json.loads(page.read_text(encoding="utf-8"))
                except (OSError, ValueError) as exc:
                    raise InputError(f"{page}: not a readable Zotero page: {exc}") from None
                for item in items if isinstance(items, list) else []:
                    attachment = (
                        zotero_files.attachment_of(item) if isinstance(item, dict) else None
                    )
                    if attachment is not None:
                        attachments.setdefault(attachment.parent or attachment.key, []).append(
                            attachment
                        )
            self.by_search[search_id] = attachments

    def attachments(self, target: Target) -> list[tuple[str, Attachment]]:
        """``(search_id, attachment)`` for every attachment of the record's Zotero items."""
        found = []
        for origin in target.origin:
            search_id, _, key = origin.partition(":")
            for attachment in self.by_search.get(search_id, {}).get(key, []):
                found.append((search_id, attachment))
        return sorted(found, key=lambda pair: (pair[0], pair[1].key))


def _is_fulltext(attachment: Attachment) -> bool:
    name = (attachment.filename or attachment.path).lower()
    return attachment.content_type in zotero_files.FULLTEXT_TYPES or name.endswith(
        (".pdf", ".xml", ".nxml")
    )


def linked_path(attachment: Attachment, base_dir: Path | None) -> Path | None:
    """The local path of a linked file (None when relative and no base directory is set)."""
    raw = attachment.path
    if raw.startswith("attachments:"):
        if base_dir is None:
            return None
        return Path(base_dir) / raw.removeprefix("attachments:")
    return Path(raw)


def from_zotero(
    target: Target,
    fetcher: Fetcher,
    settings: Mapping[str, Any],
    libraries: ZoteroLibraries,
    *,
    base_dir: Path | None,
    max_bytes: int,
    download: bool,
) -> list[Attempt]:
    """Attempts for the record's Zotero attachments ([] when it has none)."""
    attempts: list[Attempt] = []
    for search_id, attachment in libraries.attachments(target):
        if not _is_fulltext(attachment):
            continue
        if attachment.link_mode == "linked_file":
            attempts.append(_linked(target, attachment, base_dir, max_bytes))
        elif attachment.link_mode in ("imported_file", "imported_url"):
            if not download:
                continue
            library_type, library_id = libraries.library[search_id]
            request = zotero_files.file_request(
                settings, library_type=library_type, library_id=library_id, key=attachment.key
            )
            exchange = fetcher.fetch(request, record_id=target.record_id)
            what = f"Zotero attachment {attachment.key}"
            attempts.append(
                failure(exchange, target=target, source=SOURCE, what=what)
                or judged(exchange, target=target, source=SOURCE)
            )
    return attempts


def _linked(
    target: Target, attachment: Attachment, base_dir: Path | None, max_bytes: int
) -> Attempt:
    path = linked_path(attachment, base_dir)
    shown = attachment.path
    if path is None:
        return Attempt(
            target.record_id, SOURCE, shown, Status.SKIPPED,
            "a linked file relative to Zotero's base directory: set fulltext.zotero_base_dir",
        )  # fmt: skip
    if not path.is_file():
        return Attempt(
            target.record_id, SOURCE, shown, Status.NOT_FOUND,
            f"linked file {path} not found on this computer",
        )  # fmt: skip
    if path.stat().st_size > max_bytes:
        return Attempt(
            target.record_id, SOURCE, shown, Status.REJECTED,
            f"linked file is over the limit of {max_bytes:,} bytes (fulltext.max_file_mb)",
        )  # fmt: skip
    exchange = Exchange(request=f"GET {shown}", status=200, body=path.read_bytes())
    return judged(exchange, target=target, source=SOURCE)
