"""Keys and the contact e-mail reach the sources, and nothing else: no log, manifest or message."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import pytest
import requests
from support.fake_api import FakeApi

from realist_review.clients import get_client
from realist_review.config import Limits
from realist_review.errors import SourceError
from realist_review.raw import RawStore

from .conftest import SECRETS, run_search, spec_for

ROUTES = {
    "pubmed": "/eutils/",
    "europepmc": "/europepmc/",
    "openalex": "/openalex/",
    "crossref": "/crossref/",
    "zotero": "/zotero/",
}


@pytest.mark.parametrize("source", sorted(ROUTES))
def test_no_secret_in_logs_manifests_pages_or_errors(
    tmp_path: Path,
    fake_api: FakeApi,
    settings: dict[str, Any],
    session: requests.Session,
    caplog: pytest.LogCaptureFixture,
    source: str,
) -> None:
    route = ROUTES[source]
    spec = spec_for(source)
    fake_api.fail(route, "status", status=500)  # a retry: a warning naming the URL
    with caplog.at_level(logging.DEBUG, logger="realist_review"):
        store, records = run_search(tmp_path / "ok", spec, settings, session)
        fake_api.fail(route, "status", status=502, times=None)
        failing = RawStore.open(
            tmp_path / "failed", get_client(source).plan(spec, Limits(), settings)
        )
        with pytest.raises(SourceError) as caught:
            get_client(source).fetch(failing, spec=spec, limits=Limits(), settings=settings,
                                     session=session)  # fmt: skip
    assert records
    sent = [r for r in fake_api.requests if route in r.path]
    everything_sent = " ".join(r.raw_url + " " + " ".join(r.headers.values()) for r in sent)
    assert SECRETS["RR_TEST_EMAIL"] in everything_sent  # the sources do get them
    texts = {
        "log": caplog.text,
        "error": str(caught.value),
        "files": "\n".join(
            p.read_bytes().decode("utf-8", "replace") for p in tmp_path.rglob("*") if p.is_file()
        ),
        "parameters": repr(store.manifest.parameters),
    }
    for where, text in texts.items():
        for name, secret in SECRETS.items():
            for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
                assert form not in text, f"{name} leaked into the {where}"
    retry_lines = [r.getMessage() for r in caplog.records if "retry 1 of" in r.getMessage()]
    assert retry_lines, "the retry warning names the request"
    if source != "zotero":
        assert "***" in retry_lines[0]


@pytest.mark.slow
def test_verbose_command_line_prints_no_secret(
    tmp_path: Path, fake_api: FakeApi, secrets_env: dict[str, str]
) -> None:
    """``realist-review -v search`` shows urllib3's DEBUG lines, redacted (issue 10, item 5)."""
    import os
    import subprocess
    import sys

    import yaml

    config = {
        "review": {"id": "verbose-test", "title": "Verbose test", "question": "What works?"},
        "search": {
            "mode": "live",
            "searches": [
                {"id": "epmc", "source": "europepmc", "database": "Europe PMC", "query": "tic"},
                {"id": "pm", "source": "pubmed", "database": "MEDLINE", "query": "tic"},
            ],
        },
        "clients": {
            "contact_email_env": "RR_TEST_EMAIL",
            "max_retries": 1,
            "backoff_seconds": 0.01,
            "europepmc": {"base_url": f"{fake_api.url}/europepmc/", "page_size": 10},
            "pubmed": {"base_url": f"{fake_api.url}/eutils/", "api_key_env": "RR_TEST_NCBI_KEY"},
        },
    }
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config))
    fake_api.fail("/europepmc/", "status", status=500)
    import realist_review

    env = dict(os.environ)
    package_root = str(Path(realist_review.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    output = ""
    for search_id in ("epmc", "pm"):
        done = subprocess.run(
            [sys.executable, "-m", "realist_review.cli", "-v", "search", search_id,
             "--config", str(path), "--raw-dir", str(tmp_path / "raw"),
             "--outdir", str(tmp_path / "out")],
            capture_output=True, text=True, env=env, timeout=120, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        output += done.stdout + done.stderr
    assert "urllib3.connectionpool" in output, "the DEBUG lines of urllib3 are shown"
    for name, secret in SECRETS.items():
        for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
            assert form not in output, f"{name} printed by realist-review -v"
