"""Web clients for the searched sources: PubMed, Europe PMC, OpenAlex, Crossref and Zotero.

Every client module has the same three functions, which the search stage calls:

``plan(spec, limits, settings) -> Manifest``
    The manifest of a search not yet started: endpoint, query as configured, query as run
    (limits applied) and the request parameters (never a key or an e-mail).
``fetch(store, *, spec, limits, settings, session) -> None``
    Fetch every page not yet in ``store`` (resuming from ``store.manifest.state``), keeping each
    body as received, then mark the store complete.
``parse(pages, *, search_id) -> list[Record]``
    Normalised records from the saved pages.

``settings`` is :func:`realist_review.config.client_settings`; ``session`` comes from
:func:`realist_review.clients.http.make_session`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol, cast

import requests

from realist_review.config import Limits, SearchSpec
from realist_review.raw import Manifest, RawStore
from realist_review.records import API_SOURCES, Record, Source


class Client(Protocol):
    """The interface every client module provides."""

    def plan(self, spec: SearchSpec, limits: Limits, settings: Mapping[str, Any]) -> Manifest: ...

    def fetch(
        self,
        store: RawStore,
        *,
        spec: SearchSpec,
        limits: Limits,
        settings: Mapping[str, Any],
        session: requests.Session,
    ) -> None: ...

    def parse(self, pages: Sequence[Path], *, search_id: str) -> list[Record]: ...


def get_client(source: Source | str) -> Client:
    """The client module for a web source (``pubmed``, ``europepmc``, ``openalex``...)."""
    src = Source(source)
    if src not in API_SOURCES:
        raise ValueError(f"{src} is a file export, not a web source: it has no client")
    module: ModuleType
    if src is Source.PUBMED:
        from realist_review.clients import pubmed as module
    elif src is Source.EUROPEPMC:
        from realist_review.clients import europepmc as module
    elif src is Source.OPENALEX:
        from realist_review.clients import openalex as module
    elif src is Source.CROSSREF:
        from realist_review.clients import crossref as module
    else:
        from realist_review.clients import zotero as module
    return cast(Client, module)


__all__ = ["Client", "get_client"]
