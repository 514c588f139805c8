"""Cursor paging shared by Europe PMC, OpenAlex and Crossref, with resume.

The state kept in the manifest after every page is ``cursor`` (the cursor of the *next*
request), ``page_size`` (fixed when the search starts, so a resumed search asks for the same
pages), ``hits`` (the count the source reported), ``done`` (the last page has arrived) and
``restarts`` (how often an expired cursor made us start again from the first page).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests

from realist_review.clients.common import (
    finish_search,
    log_progress,
    next_page_name,
    nothing_to_fetch,
    query_parameters,
    records_fetched,
)
from realist_review.clients.http import HTTPStatusError, IncompletePage, contact_email, get
from realist_review.config import Limits, SearchSpec
from realist_review.logutil import secret_from_env
from realist_review.raw import RawStore

log = logging.getLogger(__name__)

FIRST_CURSOR = "*"


@dataclass(frozen=True)
class Page:
    """What a pager needs to know about one response."""

    records: int
    total: int | None
    next_cursor: str | None


@dataclass(frozen=True)
class CursorApi:
    """How one source pages: parameter names, how to read a page, how the end shows."""

    source: str
    cursor_param: str
    size_param: str
    read: Callable[[Any], Page]
    validate: Callable[[requests.Response], None]
    #: Europe PMC signals the end by repeating the cursor; Crossref repeats its scroll id on
    #: every page, so there only an empty page ends the search.
    same_cursor_ends: bool
    #: The parameter that carries the contact e-mail (``mailto``, ``email``).
    email_param: str
    #: The page size to ask for, from the client settings.
    page_size: Callable[[Mapping[str, Any]], int]
    #: The parameter that carries the API key named by the source's ``api_key_env`` setting
    #: (``""``: the source takes no key).
    key_param: str = ""

    def fetch(
        self,
        store: RawStore,
        *,
        spec: SearchSpec,
        limits: Limits,
        settings: Mapping[str, Any],
        session: requests.Session,
    ) -> None:
        """A client's ``fetch``: every page not yet stored (resuming from the saved cursor).

        ``spec`` and ``limits`` are in the manifest already (see :func:`fetch_cursor_pages`).
        """
        fetch_cursor_pages(store, self, settings=settings, session=session)


def fetch_cursor_pages(
    store: RawStore,
    api: CursorApi,
    *,
    settings: Mapping[str, Any],
    session: requests.Session,
) -> None:
    """Fetch every page not yet in ``store`` and mark the search complete.

    The request parameters are the manifest's (without paging); the contact e-mail and the
    key (if the source takes one) are sent but never stored. A resumed search starts from the
    saved cursor; if the source no longer knows that cursor (an HTTP 4xx, or an empty page
    although records are missing), the search starts again from the first page and the
    repeated records are dropped when parsed.

    Every other page is checked against what the search expects: a page that ends the search
    (empty, or without a next cursor) before the records add up to the reported total is
    retried; if the source still ends there, the page is kept and the shortfall recorded (see
    :func:`realist_review.clients.common.finish_search`). Each page's reported total is kept
    with the page.
    """
    manifest = store.manifest
    url = manifest.endpoint
    params = query_parameters(manifest)
    secret_params: dict[str, str] = {}
    email_address = contact_email(settings)
    if email_address:
        secret_params[api.email_param] = email_address
    if api.key_param:
        key = secret_from_env(settings[api.source].get("api_key_env"))
        if key:
            secret_params[api.key_param] = key
    page_size = api.page_size(settings)
    search_id = manifest.search_id
    if nothing_to_fetch(store, log):
        return
    state = manifest.state
    state.setdefault("page_size", page_size)
    state.setdefault("restarts", 0)
    cursor = str(state.get("cursor", FIRST_CURSOR))
    resumed = cursor != FIRST_CURSOR
    if resumed:
        log.info(
            "%s: resuming after %d stored page(s) (%d records)",
            search_id, len(manifest.pages), records_fetched(store),
        )  # fmt: skip
    fetched_this_epoch = int(state.get("epoch_records", 0))
    while not state.get("done"):
        request = {
            **params,
            api.size_param: state["page_size"],
            api.cursor_param: cursor,
            **secret_params,
        }
        check = _page_check(
            api,
            cursor=cursor,
            fetched=fetched_this_epoch,
            hits=state.get("hits"),
            may_end=resumed and cursor != FIRST_CURSOR,  # may be an expired cursor: restart
        )
        try:
            response = get(
                session, url, request, settings=settings, source=api.source, validate=check
            )
        except HTTPStatusError as exc:
            if not (resumed and cursor != FIRST_CURSOR and exc.status in {400, 404, 410}):
                raise
            _restart(store, f"HTTP {exc.status}")
            cursor, resumed, fetched_this_epoch = FIRST_CURSOR, False, 0
            continue
        page = api.read(json.loads(response.content))
        total = page.total if page.total is not None else state.get("hits")
        if (
            resumed
            and page.records == 0
            and cursor != FIRST_CURSOR
            and total is not None
            and fetched_this_epoch < total
        ):
            _restart(store, "an empty page although records are missing")
            cursor, resumed, fetched_this_epoch = FIRST_CURSOR, False, 0
            continue
        resumed = False
        ended = _ends(api, page, cursor)
        fetched_this_epoch += page.records
        state.update(
            cursor=page.next_cursor or cursor,
            hits=total,
            done=ended,
            epoch_records=fetched_this_epoch,
        )
        store.add_page(
            next_page_name(store, "page", "json"),
            response.content,
            records=page.records,
            cursor=cursor,
            hits=page.total,
            epoch=int(state["restarts"]),
        )
        log_progress(search_id, fetched_this_epoch, total)
        cursor = str(state["cursor"])
    finish_search(store, fetched=fetched_this_epoch, source=api.source)


def _ends(api: CursorApi, page: Page, cursor: str) -> bool:
    """Whether ``page`` is the last one the source will give."""
    return (
        page.records == 0
        or not page.next_cursor
        or (api.same_cursor_ends and page.next_cursor == cursor)
    )


def _page_check(
    api: CursorApi, *, cursor: str, fetched: int, hits: int | None, may_end: bool
) -> Callable[[requests.Response], None]:
    """``validate`` for one page: the source's own check, then that the page does not end the
    search before its records add up to the reported total (:class:`IncompletePage`)."""

    def check(response: requests.Response) -> None:
        api.validate(response)
        page = api.read(json.loads(response.content))
        total = page.total if page.total is not None else hits
        if may_end or total is None or not _ends(api, page, cursor):
            return
        if fetched + page.records < total:
            raise IncompletePage(
                f"the search ends after {fetched + page.records:,} of the {total:,} records "
                f"reported ({'an empty page' if page.records == 0 else 'no next cursor'})"
            )

    return check


def _restart(store: RawStore, why: str) -> None:
    state = store.manifest.state
    state["restarts"] = int(state.get("restarts", 0)) + 1
    state["cursor"] = FIRST_CURSOR
    state["epoch_records"] = 0
    log.warning(
        "%s: the saved cursor no longer works (%s); starting again from the first page. "
        "The %d page(s) already stored are kept and repeated records are dropped when parsed.",
        store.manifest.search_id, why, len(store.manifest.pages),
    )  # fmt: skip
    store.save()
