"""Sending a client's request through the archive: replay what is saved, fetch what is not.

:class:`Fetcher` is the only place the retrieval stage touches the network. In ``live`` mode
it sends a request not answered before through :func:`realist_review.clients.http.get` (rate
limit, retries, ``Retry-After``, redaction) and archives the answer; in ``snapshot`` mode it
only replays the folders copied from the snapshot. Either way the caller gets an
:class:`~realist_review.retrieval.archive.Exchange` and never an exception for a source's
failure.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import requests

from realist_review.clients.fulltext_request import Request
from realist_review.clients.http import HTTPStatusError, get
from realist_review.errors import InputError, SourceError
from realist_review.logutil import redact
from realist_review.retrieval.archive import Archive, Exchange, copy_snapshot, public_request

log = logging.getLogger(__name__)

MODES = ("live", "snapshot")


class Fetcher:
    """Answers for requests, from the archive or (live mode) from the source."""

    def __init__(
        self,
        *,
        archive: Archive,
        mode: str,
        settings: Mapping[str, Any],
        session: requests.Session | None = None,
        snapshot_dir: Path | None = None,
    ) -> None:
        if mode not in MODES:
            raise InputError(f"fulltext.mode must be live or snapshot, not {mode!r}")
        if mode == "snapshot" and snapshot_dir is None:
            raise InputError(
                "fulltext.mode is snapshot (it follows search.mode unless set) but "
                "fulltext.snapshot_dir is not set: set fulltext.mode: live to retrieve full "
                "texts, or point fulltext.snapshot_dir at a saved copy of results/fulltext/raw"
            )
        if mode == "live" and session is None:
            raise ValueError("a live fetcher needs a session")
        self.archive = archive
        self.mode = mode
        self.settings = settings
        self.session = session
        self.snapshot_dir = snapshot_dir
        self._copied: set[tuple[str, str]] = set()
        self.sent = 0

    def fetch(self, request: Request, *, record_id: str) -> Exchange:
        """The answer to ``request`` for ``record_id`` (status 0 with a message when none)."""
        shown = public_request(request.url, request.params)
        if self.mode == "snapshot":
            key = (request.source, record_id)
            if key not in self._copied:
                assert self.snapshot_dir is not None
                copy_snapshot(
                    self.snapshot_dir, self.archive.root, source=request.source, record_id=record_id
                )
                self._copied.add(key)
            saved = self.archive.folder(request.source, record_id).answered(shown)
            if saved is None:
                return Exchange(
                    shown, 0, message="no saved response in the snapshot (fulltext.snapshot_dir)"
                )
            return saved
        folder = self.archive.folder(request.source, record_id)
        saved = folder.answered(shown)
        if saved is not None:
            log.debug("%s: replaying the saved answer to %s", record_id, shown)
            return saved
        exchange = self._send(request, shown)
        folder.add(exchange)
        return exchange

    def _send(self, request: Request, shown: str) -> Exchange:
        assert self.session is not None
        self.sent += 1
        try:
            response = get(
                self.session,
                request.url,
                {**request.params, **request.secret_params},
                settings=self.settings,
                source=request.source,
                headers={**request.headers, **request.secret_headers},
                validate=request.validate,
            )
        except HTTPStatusError as exc:
            return Exchange(shown, exc.status, message=f"HTTP {exc.status}: {redact(exc.body)}")
        except SourceError as exc:
            return Exchange(shown, 0, message=redact(str(exc)))
        return Exchange(
            shown,
            response.status_code,
            body=response.content,
            content_type=response.headers.get("Content-Type", ""),
        )
