"""Validate a crate with roc-validator offline (the workflow-run-crate profile).

The validator fetches the RO-Crate JSON-LD context by URL; offline, it reads only its HTTP
cache. The cache is seeded with the context as the Workflow Run Crate profile reads it: the
copy of the RO-Crate context shipped in the ``rocrate`` package, with the 1.1 IRIs of the
Bioschemas workflow terms (the profile's shapes name ``https://bioschemas.org/...``; the 1.3
context moved them to ``https://bioschemas.org/terms/...``).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import requests
import urllib3

CONTEXT_URL = "https://w3id.org/ro/crate/1.1/context"
BIOSCHEMAS_1_1 = {
    "ComputationalWorkflow": "https://bioschemas.org/ComputationalWorkflow",
    "FormalParameter": "https://bioschemas.org/FormalParameter",
    "input": "https://bioschemas.org/ComputationalWorkflow#input",
    "output": "https://bioschemas.org/ComputationalWorkflow#output",
}


def seed_cache(cache: Path) -> Path:
    """A requests-cache database answering the RO-Crate 1.1 context URL."""
    import requests_cache
    import rocrate

    shipped = json.loads((Path(rocrate.__file__).parent / "data/ro-crate.jsonld").read_text())
    shipped["@context"].update(BIOSCHEMAS_1_1)
    shipped["@id"] = CONTEXT_URL
    body = json.dumps(shipped).encode()
    session = requests_cache.CachedSession(
        cache_name=str(cache), backend="sqlite", expire_after=-1, allowable_codes=(200,)
    )
    raw = urllib3.HTTPResponse(
        body=io.BytesIO(body),
        headers={"Content-Type": "application/ld+json"},
        status=200,
        preload_content=False,
        request_url=CONTEXT_URL,
    )
    raw._request_url = CONTEXT_URL  # type: ignore[attr-defined]
    response = requests.Response()
    response.status_code = 200
    response._content = body
    response.url = CONTEXT_URL
    response.raw = raw
    response.encoding = "utf-8"
    response.headers = requests.structures.CaseInsensitiveDict(
        {"Content-Type": "application/ld+json"}
    )
    response.request = requests.Request("GET", CONTEXT_URL).prepare()
    session.cache.save_response(response)
    session.close()
    return cache


def crate_issues(crate_dir: Path, cache: Path, *, recommended: bool) -> list[str]:
    """Issues roc-validator finds at the required (or also recommended) level, offline."""
    from rocrate_validator import services
    from rocrate_validator.models import Severity, ValidationSettings

    settings = ValidationSettings(
        rocrate_uri=str(crate_dir),
        profile_identifier="workflow-run-crate",
        requirement_severity=Severity.RECOMMENDED if recommended else Severity.REQUIRED,
        offline=True,
        cache_path=cache,
    )
    result = services.validate(settings)
    issues = [
        f"{issue.severity.name} {issue.check.identifier if issue.check else ''}: {issue.message}"
        for issue in result.get_issues()
    ]
    assert result.passed() == (not issues)
    return issues
