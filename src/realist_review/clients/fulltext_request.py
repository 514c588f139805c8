"""What the full-text clients share: a request split into its public and secret parts.

A :class:`Request` names the URL and the parameters that may be archived and logged
(``params``) apart from those that may not (``secret_params``: an e-mail or a key;
``secret_headers``: an API key header). The retrieval stage archives a request by its public
part only; :func:`realist_review.clients.http.get` sends both.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote

import requests

from realist_review.clients.http import RetryableBody


@dataclass(frozen=True)
class Request:
    """One GET a full-text client wants sent."""

    source: str
    url: str
    params: Mapping[str, str] = field(default_factory=dict)
    secret_params: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    secret_headers: Mapping[str, str] = field(default_factory=dict)
    validate: Callable[[requests.Response], None] | None = None


def join_url(base: str, *parts: str) -> str:
    """``base`` with path parts appended, each percent-encoded except ``/`` and ``:``.

    >>> join_url("https://api.example.org/v2", "10.1000/x y")
    'https://api.example.org/v2/10.1000/x%20y'
    """
    path = "/".join(quote(part, safe="/:") for part in parts)
    return base.rstrip("/") + "/" + path


def json_body(response: requests.Response) -> None:
    """A ``validate`` function: the body must be JSON (an HTML error page is retried)."""
    import json

    try:
        json.loads(response.content)
    except ValueError as exc:
        raise RetryableBody(f"not valid JSON: {exc}") from None


def fulltext_body(response: requests.Response) -> None:
    """A ``validate`` function for a file: a cut-off PDF or cut-off XML is fetched again."""
    from realist_review.retrieval.content import sniff

    if sniff(response.content).truncated:
        raise RetryableBody("the file is cut off")
