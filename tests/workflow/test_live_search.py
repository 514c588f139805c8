"""Live searches through Snakemake against a real local HTTP server (no internet).

Checks what a reviewer relies on: the pipeline calls each API once and reuses the raw
responses afterwards, a changed query is a new search, and no key or e-mail address reaches
results/, the logs or .snakemake/ metadata.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.fake_api import FakeApi
from support.topic_works import works

from realist_review.tables import read_table

pytestmark = [pytest.mark.workflow, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
SECRETS = {
    "REALIST_REVIEW_EMAIL": "team.lead.secret@example.org",
    "NCBI_API_KEY": "ncbi0live0secret0key0987654321",
    "OPENALEX_API_KEY": "openalex-live-secret-77",
    "ZOTERO_API_KEY": "zoteroLiveSecret123",
}


@pytest.fixture
def api() -> Iterator[FakeApi]:
    with FakeApi(works=works(40), zotero_key=SECRETS["ZOTERO_API_KEY"]) as server:
        yield server


def _config(url: str) -> dict[str, Any]:
    fast = {"requests_per_second": 1000}
    return {
        "review": {"id": "live-test", "title": "Live test", "question": "What works?"},
        "limits": {"year_from": 2000, "year_to": 2026, "languages": ["en"]},
        "search": {
            "mode": "live",
            "searches": [
                {"id": "pubmed", "source": "pubmed", "database": "MEDLINE", "query": "tic"},
                {"id": "epmc", "source": "europepmc", "database": "Europe PMC", "query": "tic"},
                {"id": "oa", "source": "openalex", "database": "OpenAlex", "query": "tic"},
                {"id": "cr", "source": "crossref", "database": "Crossref", "query": "tic"},
                {
                    "id": "grey",
                    "source": "zotero",
                    "database": "Zotero",
                    "library_id": "5550001",
                    "collection": "TICGREY1",
                },
            ],
        },
        "clients": {
            "timeout_seconds": 5,
            "max_retries": 3,
            "backoff_seconds": 0.01,
            "max_wait_seconds": 0.05,
            "pubmed": {"base_url": f"{url}/eutils/", "batch_size": 15, **fast},
            "europepmc": {"base_url": f"{url}/europepmc/", "page_size": 15, **fast},
            "openalex": {"base_url": f"{url}/openalex/", "per_page": 15, **fast},
            "crossref": {"base_url": f"{url}/crossref/", "rows": 15, **fast},
            "zotero": {"base_url": f"{url}/zotero", "page_size": 15, **fast},
        },
    }


@pytest.fixture
def live_workdir(tmp_path: Path, api: FakeApi, monkeypatch: pytest.MonkeyPatch) -> Path:
    work = tmp_path / "review"
    (work / "config").mkdir(parents=True)
    shutil.copy2(REPO / "Snakefile", work / "Snakefile")
    shutil.copytree(REPO / "workflow", work / "workflow")
    (work / "config" / "config.yaml").write_text(yaml.safe_dump(_config(api.url)))
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    return work


def _files_containing(root: Path, needles: list[str]) -> list[str]:
    hits = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            hits += [f"{path}: {n[:6]}…" for n in needles if n.encode() in data]
    return hits


def test_live_search_once_reuse_and_no_secrets(
    live_workdir: Path, api: FakeApi, run_snakemake: Any
) -> None:
    run_snakemake(live_workdir, "results/search/search_log.csv", "results/normalize/records.csv")
    log = read_table(live_workdir / "results/search/search_log.csv", "search_log")
    assert {row["search_id"]: row["status"] for row in log} == dict.fromkeys(
        ["pubmed", "epmc", "oa", "cr", "grey"], "complete"
    )
    assert all(int(row["records_retrieved"]) > 0 for row in log)
    assert all(row["mode"] == "live" for row in log)
    assert api.seen("esearch") and api.seen("/openalex/works")

    leaks = _files_containing(live_workdir / "results", list(SECRETS.values()))
    leaks += _files_containing(live_workdir / ".snakemake", list(SECRETS.values()))
    assert leaks == [], "secrets written to disk"
    # the key was really sent (so the check above is meaningful)
    assert any("api_key" in r.params for r in api.seen("esearch"))

    sent = len(api.requests)
    run_snakemake(live_workdir, "--forceall", "results/search/search_log.csv")
    assert len(api.requests) == sent, "a complete search is reused, never fetched again"

    config = yaml.safe_load((live_workdir / "config/config.yaml").read_text())
    config["search"]["searches"][1]["query"] = "tic AND residential"
    (live_workdir / "config/config.yaml").write_text(yaml.safe_dump(config))
    run_snakemake(live_workdir, "results/search/search_log.csv")
    assert len(api.requests) > sent, "a changed query is a new search"
    log = read_table(live_workdir / "results/search/search_log.csv", "search_log")
    epmc = [row for row in log if row["search_id"] == "epmc"]
    assert [row["status"] for row in epmc] == ["complete", "superseded"]
    assert epmc[0]["query"] == "tic AND residential" and epmc[1]["query"] == "tic"


def test_a_search_that_stays_short_is_run_through_and_reported_incomplete(
    live_workdir: Path, api: FakeApi, run_snakemake: Any
) -> None:
    """Issue 10, item 1: an empty page mid-search that persists is a recorded shortfall.

    The run goes on (the records received are kept) and says so where a team reads it: the
    search log CSV and Markdown, and a warning at the end of the run.
    """
    api.fail("/europepmc/", "empty_page", after=1, times=None)
    done = run_snakemake(live_workdir, "results/search/search_log.csv")
    log = {row["search_id"]: row for row in read_table(
        live_workdir / "results/search/search_log.csv", "search_log")}  # fmt: skip
    assert log["epmc"]["status"] == "incomplete"
    assert log["epmc"]["hits_reported"] == "40" and log["epmc"]["records_retrieved"] == "15"
    assert "25 of the 40 records reported were not received" in log["epmc"]["note"]
    assert {log[s]["status"] for s in ("pubmed", "oa", "cr", "grey")} == {"complete"}
    markdown = (live_workdir / "results/search/search_log.md").read_text(encoding="utf-8")
    assert "**1 search is incomplete**" in markdown
    assert "INCOMPLETE search epmc" in done.stderr
    sent = len(api.requests)
    run_snakemake(live_workdir, "--forceall", "results/search/search_log.csv")
    assert len(api.requests) == sent, "the finished search is reused, its shortfall with it"


def test_live_search_without_the_contact_email_stops_at_once(
    live_workdir: Path, api: FakeApi, run_snakemake: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 9, item 5: no request is sent, and the message says what to export."""
    monkeypatch.delenv("REALIST_REVIEW_EMAIL")
    done = run_snakemake(live_workdir, "results/search/epmc/hits.csv", check=False)
    assert done.returncode != 0
    assert "export REALIST_REVIEW_EMAIL=" in done.stderr + done.stdout
    assert api.requests == []
