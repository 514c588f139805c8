"""Zotero attachments: an imported attachment's file, ``GET {base}/{library}/items/{key}/file``.

The key (``clients.zotero.api_key_env``) travels in the ``Authorization: Bearer`` header, never
in a URL (requests drops that header when Zotero redirects to its file storage). Linked files
are paths on the team's computer and are read by the retrieval stage directly; this module only
reads the attachment items the search stage kept in its raw pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from realist_review.clients.fulltext_request import Request, fulltext_body, join_url
from realist_review.logutil import secret_from_env

SOURCE = "zotero"
#: Attachment content types worth fetching as full text.
FULLTEXT_TYPES = frozenset({"application/pdf", "application/xml", "text/xml"})


@dataclass(frozen=True)
class Attachment:
    """One attachment item of a Zotero library."""

    key: str
    parent: str
    link_mode: str
    content_type: str
    path: str = ""
    filename: str = ""
    title: str = ""


def attachment_of(item: Mapping[str, Any]) -> Attachment | None:
    """The attachment in one Web API item (``{"key", "data": {...}}``), or None."""
    data = item.get("data", item)
    if not isinstance(data, Mapping) or data.get("itemType") != "attachment":
        return None
    return Attachment(
        key=str(data.get("key") or item.get("key") or ""),
        parent=str(data.get("parentItem") or ""),
        link_mode=str(data.get("linkMode") or ""),
        content_type=str(data.get("contentType") or ""),
        path=str(data.get("path") or ""),
        filename=str(data.get("filename") or ""),
        title=str(data.get("title") or ""),
    )


def file_request(
    settings: Mapping[str, Any], *, library_type: str, library_id: str, key: str
) -> Request:
    """The download of an imported attachment's file."""
    cfg = settings.get(SOURCE, {})
    kind = "users" if library_type == "user" else "groups"
    api_key = secret_from_env(cfg.get("api_key_env", "ZOTERO_API_KEY"))
    return Request(
        source=SOURCE,
        url=join_url(str(cfg["base_url"]), kind, library_id, "items", key, "file"),
        secret_headers={"Authorization": f"Bearer {api_key}"} if api_key else {},
        validate=fulltext_body,
    )
