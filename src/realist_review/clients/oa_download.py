"""Downloading an open-access file from wherever a location points (publisher, repository).

Such URLs often answer with an HTML bot challenge or a login page (with status 200), or 403:
the body is kept as received and the retrieval stage decides from its bytes whether it is a
PDF. A cut-off PDF is fetched again (:func:`fulltext_body`). Rate: ``clients.download``.
"""

from __future__ import annotations

from realist_review.clients.fulltext_request import Request, fulltext_body

SOURCE = "download"


def download_request(url: str) -> Request:
    """The GET of one file URL (``Accept`` prefers PDF and XML)."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"not an http(s) URL: {url!r}")
    return Request(
        source=SOURCE,
        url=url,
        headers={"Accept": "application/pdf, application/xml;q=0.9, */*;q=0.5"},
        validate=fulltext_body,
    )
