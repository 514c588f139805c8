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
    _check_the_demo_theory(demo_workdir)
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


def _check_the_demo_theory(work: Path) -> None:
    """The demo ends with a programme theory whose every statement traces to confirmed CMO
    rows, which trace to their documents' sentences; version 0.2 differs from 0.1."""
    import yaml

    from realist_review.cmo.extraction import quote_found

    confirmed = {r["cmoc_id"]: r for r in read_table(work / "results/extract/confirmed.csv",
                                                     "cmo_confirmed")}  # fmt: skip
    sentences: dict[tuple[str, int], str] = {
        (r["record_id"], int(r["sentence"])): r["text"]
        for r in read_table(work / "results/extract/cmo/sentences.csv", "cmo_sentences")
    }
    assert confirmed
    for row in confirmed.values():
        if row["origin"] == "pipeline":
            indices = [int(i) for i in row["evidence"].split(";")]
            assert all((row["record_id"], i) in sentences for i in indices), row["cmoc_id"]
            text = " ".join(sentences[(row["record_id"], i)] for i in sorted(indices))
            from realist_review.cmo.extraction import Document

            assert quote_found(row["quote"], Document(row["record_id"], "", "", text))
    theory = yaml.safe_load((work / "results/theory/programme_theory.yaml").read_text())
    areas = {s["theory_area"] for s in theory["statements"]}
    assert {"staff-training", "trauma-informed-supervision", "trauma-aware-care",
            "organisational-governance"} <= areas  # fmt: skip
    for statement in theory["statements"]:
        assert statement["statement"].startswith("If ") and statement["evidence"]
        for evidence in statement["evidence"]:
            row = confirmed[evidence["cmoc_id"]]
            assert (row["record_id"], row["quote"], row["theory_area"]) == (
                evidence["record_id"], evidence["quote"], statement["theory_area"]
            )  # fmt: skip
    diff = (work / "results/theory/diff.md").read_text()
    assert "0 added, 0 refined, 0 dropped" not in diff and "refined" in diff
    for name in ("programme_theory.svg", "programme_theory.png", "programme_theory.pdf"):
        assert (work / "results/theory" / name).stat().st_size > 1000
