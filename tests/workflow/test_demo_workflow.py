"""The embedded demo review, end to end with Snakemake, offline, in a temporary folder."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from realist_review.tables import read_table, sha256_file

pytestmark = [pytest.mark.workflow, pytest.mark.slow]


def test_dry_run_lists_every_search(demo_workdir: Path, run_snakemake: Any) -> None:
    result = run_snakemake(demo_workdir, "--dry-run")
    for search_id in ("pubmed", "europepmc", "openalex", "crossref", "psycinfo-ovid"):
        assert f"search_id={search_id}" in result.stdout + result.stderr


def test_lint_is_clean(demo_workdir: Path, run_snakemake: Any) -> None:
    result = run_snakemake(demo_workdir, "--lint", check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_demo_runs_offline_and_is_deterministic(demo_workdir: Path, run_snakemake: Any) -> None:
    run_snakemake(demo_workdir)
    records = read_table(demo_workdir / "results/normalize/records.csv", "record")
    log_rows = read_table(demo_workdir / "results/search/search_log.csv", "search_log")
    assert len(records) >= 300
    by_search = {row["search_id"]: int(row["records_retrieved"]) for row in log_rows}
    assert set(by_search) == {
        "pubmed", "europepmc", "openalex", "crossref", "psycinfo-ovid", "grey-literature"
    }  # fmt: skip
    assert all(count > 0 for count in by_search.values()), by_search
    origins = [o for r in records for o in r["origin"].split("; ")]
    assert len(origins) == sum(by_search.values()), "every hit is traced to one record"
    for search_id in by_search:
        assert (demo_workdir / f"results/logs/run_search/{search_id}.log").is_file()
    meta = json.loads((demo_workdir / "results/normalize/records.meta.json").read_text())
    assert meta["sha256"] == sha256_file(demo_workdir / "results/normalize/records.csv")

    first = (demo_workdir / "results/normalize/records.csv").read_bytes()
    before = {
        derived: (demo_workdir / derived).read_bytes()
        for derived in ("results/dedup/records.csv", "results/screen/status.csv",
                        "results/prisma/counts.csv", "results/prisma/prisma_flow.svg")
    }  # fmt: skip
    run_snakemake(demo_workdir, "--forceall")
    assert (demo_workdir / "results/normalize/records.csv").read_bytes() == first
    for derived in (
        "results/dedup/records.csv",
        "results/screen/status.csv",
        "results/prisma/counts.csv",
        "results/prisma/prisma_flow.svg",
    ):
        assert (demo_workdir / derived).read_bytes() == before[derived], derived


def test_report_builds(demo_workdir: Path, run_snakemake: Any) -> None:
    run_snakemake(demo_workdir)
    run_snakemake(demo_workdir, "--report", "report.html")
    html = (demo_workdir / "report.html").read_text(encoding="utf-8", errors="replace")
    for name in ("search_log", "prisma_flow", "progress", "agreement", "rameses"):
        assert name in html, name
    # the landing page is the review: the question, the diagram and the tables on the page
    desc = json.loads(re.search(r"var workflow_desc = (\".*?\");\n", html, re.S).group(1))
    assert "Trauma-informed care in residential" in desc
    assert 'src="data:image/svg+xml' in desc  # the PRISMA diagram itself, not a link
    for table in ("The flow in numbers", "Searches (the PRISMA-S log", "Screening progress"):
        assert table in desc, table
    # every download has its own name
    results = json.loads(re.search(r"var results = (\{.*?\});\n", html, re.S).group(1))
    names = [entry["filename"] for entry in results.values()]
    assert len(names) == len(set(names)), sorted(names)
