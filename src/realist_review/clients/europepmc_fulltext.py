"""Europe PMC open-access full text: ``GET {base_url}/{PMCID}/fullTextXML`` (JATS).

The base URL is the Europe PMC REST base the search uses (``clients.europepmc.base_url``).
Europe PMC answers 404 when it holds no open-access text for the article, and some mirrors (and
PMC's efetch) answer 200 with the article's front matter only: the retrieval stage checks for a
``<body>`` (:func:`realist_review.retrieval.content.sniff_jats`) and counts metadata-only JATS
as not retrieved.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from realist_review.clients.fulltext_request import Request, fulltext_body, join_url
from realist_review.records import normalize_pmcid

SOURCE = "europepmc"


def fulltext_request(settings: Mapping[str, Any], pmcid: str) -> Request:
    """The request for one article's JATS (``pmcid`` in any spelling: ``PMC123``, ``123``)."""
    ident = normalize_pmcid(pmcid)
    if not ident:
        raise ValueError(f"not a PMCID: {pmcid!r}")
    return Request(
        source=SOURCE,
        url=join_url(str(settings[SOURCE]["base_url"]), f"{ident}/fullTextXML"),
        headers={"Accept": "application/xml"},
        validate=fulltext_body,
    )
