"""OpenAlex: a work by DOI (``GET {base_url}/works/doi:{doi}``) and its ``best_oa_location``.

The base URL, key (``api_key_env``) and contact e-mail (``mailto``, a secret parameter) are the
search client's (``clients.openalex``). PDF URLs come from ``best_oa_location.pdf_url``, then
from the other open ``locations``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from realist_review.clients.fulltext_request import Request, join_url, json_body
from realist_review.clients.http import contact_email
from realist_review.clients.unpaywall import OaLocation
from realist_review.logutil import secret_from_env

SOURCE = "openalex"
SELECT = "id,doi,open_access,best_oa_location,locations"


def lookup_request(settings: Mapping[str, Any], doi: str) -> Request:
    """The lookup of one DOI (only the fields needed)."""
    cfg = settings.get(SOURCE, {})
    secret: dict[str, str] = {}
    email = contact_email(settings)
    if email:
        secret["mailto"] = email
    key = secret_from_env(cfg.get("api_key_env", "OPENALEX_API_KEY"))
    if key:
        secret["api_key"] = key
    return Request(
        source=SOURCE,
        url=join_url(str(cfg["base_url"]), "works", f"doi:{doi}"),
        params={"select": SELECT},
        secret_params=secret,
        validate=json_body,
    )


def _location(item: Mapping[str, Any]) -> OaLocation | None:
    url = str(item.get("pdf_url") or "")
    if not url.startswith(("http://", "https://")) or item.get("is_oa") is False:
        return None
    source = item.get("source") or {}
    return OaLocation(
        pdf_url=url,
        landing_url=str(item.get("landing_page_url") or ""),
        host_type=str(source.get("type") or "") if isinstance(source, Mapping) else "",
        version=str(item.get("version") or ""),
        license=str(item.get("license") or ""),
    )


def pdf_locations(body: bytes) -> tuple[bool, list[OaLocation]]:
    """``(is_oa, locations with a PDF URL)`` from a work, ``best_oa_location`` first."""
    try:
        data = json.loads(body)
    except ValueError:
        return False, []
    if not isinstance(data, dict):
        return False, []
    found: list[OaLocation] = []
    for item in [data.get("best_oa_location") or {}, *(data.get("locations") or [])]:
        location = _location(item) if isinstance(item, Mapping) else None
        if location and location.pdf_url not in {x.pdf_url for x in found}:
            found.append(location)
    is_oa = bool((data.get("open_access") or {}).get("is_oa")) or bool(found)
    return is_oa, found
