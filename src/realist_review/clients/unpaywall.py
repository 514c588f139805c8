"""Unpaywall: ``GET {base_url}/{doi}?email=...``, the open-access locations of a DOI.

Unpaywall requires a contact e-mail on every request; it comes from the environment variable
``clients.contact_email_env`` names and travels as a secret parameter (never archived, logged
or written). ``best_oa_location`` comes first, then the other ``oa_locations`` with a
``url_for_pdf``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from realist_review.clients.fulltext_request import Request, join_url, json_body
from realist_review.clients.http import contact_email

SOURCE = "unpaywall"
DEFAULT_BASE_URL = "https://api.unpaywall.org/v2/"


@dataclass(frozen=True)
class OaLocation:
    """One open-access copy: where the PDF is and what it is."""

    pdf_url: str
    landing_url: str = ""
    host_type: str = ""
    version: str = ""
    license: str = ""


def lookup_request(settings: Mapping[str, Any], doi: str, *, replay: bool = False) -> Request:
    """The lookup of one DOI. Raises ValueError when no contact e-mail is set (unless the
    request is only ``replay``-ed from the archive, which never holds the e-mail)."""
    email = contact_email(settings)
    if not email and not replay:
        raise ValueError(
            "Unpaywall needs a contact e-mail: export it in the environment variable "
            f"{settings.get('contact_email_env') or 'REALIST_REVIEW_EMAIL'}"
        )
    base = str(settings.get(SOURCE, {}).get("base_url") or DEFAULT_BASE_URL)
    return Request(
        source=SOURCE,
        url=join_url(base, doi),
        secret_params={"email": email} if email else {},
        validate=json_body,
    )


def _location(item: Mapping[str, Any]) -> OaLocation | None:
    url = str(item.get("url_for_pdf") or "")
    if not url.startswith(("http://", "https://")):
        return None
    return OaLocation(
        pdf_url=url,
        landing_url=str(item.get("url_for_landing_page") or item.get("url") or ""),
        host_type=str(item.get("host_type") or ""),
        version=str(item.get("version") or ""),
        license=str(item.get("license") or ""),
    )


def pdf_locations(body: bytes) -> tuple[bool, list[OaLocation]]:
    """``(is_oa, locations with a PDF URL)`` from a lookup answer, best location first."""
    try:
        data = json.loads(body)
    except ValueError:
        return False, []
    if not isinstance(data, dict):
        return False, []
    found: list[OaLocation] = []
    items = [data.get("best_oa_location") or {}, *(data.get("oa_locations") or [])]
    for item in items:
        location = _location(item) if isinstance(item, Mapping) else None
        if location and location.pdf_url not in {x.pdf_url for x in found}:
            found.append(location)
    return bool(data.get("is_oa")), found
