"""The demo review frozen, verified and diffed as the README says, offline, in tmp_path."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest

from tests.unit.release.rocrate_check import crate_issues, seed_cache
from tests.workflow.conftest import REPO, snakemake

pytestmark = [pytest.mark.workflow, pytest.mark.slow]


def realist_review(work: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``realist-review ARGS`` in ``work`` (with the interpreter running the tests)."""
    return subprocess.run(
        [sys.executable, "-m", "realist_review.cli", *args],
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def frozen_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo, run once and frozen as release 1.0 with the README's command."""
    work = tmp_path_factory.mktemp("release") / "review"
    work.mkdir()
    shutil.copy2(REPO / "Snakefile", work / "Snakefile")
    shutil.copytree(REPO / "workflow", work / "workflow")
    shutil.copytree(REPO / "config", work / "config")
    snakemake(work)
    done = realist_review(work, "freeze", "--version", "1.0")
    assert done.returncode == 0, done.stderr
    return work


def test_demo_release_verifies_byte_for_byte(frozen_demo: Path) -> None:
    # verify runs the pipeline a second time, in a fresh folder, from the archived raw
    # responses and decisions, and compares every derived output with the first run's bytes
    archive = frozen_demo / "results/releases/1.0/tic-residential-homes-1.0.tar.gz"
    done = realist_review(frozen_demo, "verify", str(archive))
    assert done.returncode == 0, done.stdout + done.stderr
    manifest = json.loads((frozen_demo / "results/releases/1.0/manifest.json").read_text())
    derived = [f for f in manifest["files"] if f["kind"] == "derived"]
    assert len(derived) >= 30
    assert f"all {len(derived)} derived outputs are identical" in done.stdout
    for name in (
        "results/dedup/review_pairs.xlsx",
        "results/prisma/prisma_flow.pdf",
        "results/screen/progress.png",
        "results/search/search_log.csv",
    ):
        assert name in {f["path"] for f in derived}, name
    assert [s["executed_at"] for s in manifest["searches"]]
    assert all(s["executed_at"] for s in manifest["searches"])
    assert {"file": "config/config.yaml", "key": "screening.seed", "value": 20261102} in (
        manifest["seeds"]
    )


def test_demo_crate_is_valid(frozen_demo: Path, tmp_path: Path) -> None:
    archive = frozen_demo / "results/releases/1.0/tic-residential-homes-1.0.tar.gz"
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path, filter="data")
    cache = seed_cache(tmp_path / "cache")
    assert crate_issues(tmp_path / "tic-residential-homes-1.0", cache, recommended=False) == []


def test_config_guard_at_parse_time(frozen_demo: Path) -> None:
    config = frozen_demo / "config/config.yaml"
    original = config.read_text()
    try:
        config.write_text(original.replace("year_from: 2000", "year_from: 2005"))
        stopped = snakemake(frozen_demo, "--dry-run", check=False)
        assert stopped.returncode != 0
        message = stopped.stdout + stopped.stderr
        assert "release 1.0 is frozen" in message and "limits.year_from: 2000 -> 2005" in message
        assert 'release.version: "1.1"' in message
        config.write_text(config.read_text() + '\nrelease:\n  version: "1.1"\n')
        allowed = snakemake(frozen_demo, "--dry-run", check=False)
        assert allowed.returncode == 0, allowed.stderr
        assert "they change for release 1.1" in allowed.stdout + allowed.stderr
    finally:
        config.write_text(original)


def test_changed_decision_is_named_then_diffed(frozen_demo: Path, run_snakemake: Any) -> None:
    work = frozen_demo
    # a person decides one borderline pair is the same work; the team freezes 1.1 WITHOUT
    # re-running: verify re-derives from the archived decision and names what is stale
    with (work / "results/dedup/review_pairs.csv").open(newline="") as handle:
        pairs = list(csv.DictReader(handle))
    decision = work / "config/dedup/decisions.csv"
    with decision.open("w", newline="") as handle:
        columns = ["record_id_a", "record_id_b", "decision", "reviewer", "note"]
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        first = {"record_id_a": pairs[0]["record_id_a"], "record_id_b": pairs[0]["record_id_b"]}
        writer.writerow(first | {"decision": "same", "reviewer": "reviewer-a"})
    assert realist_review(work, "freeze", "--version", "1.1").returncode == 0
    done = realist_review(work, "verify", "results/releases/1.1")
    assert done.returncode == 1
    named = {line.strip() for line in done.stdout.splitlines()}
    for stale in (
        "results/dedup/groups.csv",
        "results/dedup/records.csv",
        "results/prisma/counts.csv",
    ):
        assert stale in named, done.stdout
    assert "results/search/search_log.csv" not in named  # upstream of the decision: same bytes

    # the pipeline brings the outputs up to date; the Snakemake target freezes 1.2
    config = work / "config/config.yaml"
    config.write_text(config.read_text() + '\nrelease:\n  version: "1.2"\n')
    run_snakemake(work, "freeze_release")
    assert (work / "results/releases/1.2/manifest.json").is_file()
    again = run_snakemake(work, "freeze_release", "--forcerun", "freeze_release", check=False)
    assert again.returncode != 0 and "release 1.2 is frozen" in again.stdout + again.stderr

    diff = realist_review(work, "diff", "results/releases/1.0", "results/releases/1.2")
    assert diff.returncode == 0, diff.stderr
    header = next(line for line in diff.stdout.splitlines() if line.startswith("records ("))
    removed = int(header.rsplit(", ", 1)[1].split()[0])
    assert removed >= 1, diff.stdout  # two records became one group
    pair = (pairs[0]["record_id_a"], pairs[0]["record_id_b"])
    assert any(f"- {record_id}" in diff.stdout for record_id in pair), diff.stdout
    assert "screening decisions (results/screen/decision_log.csv)" in diff.stdout


def test_live_review_verifies_without_any_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A live search's complete raw folders are re-derived with no request leaving."""
    import yaml
    from support.fake_api import FakeApi
    from support.topic_works import works

    secret = "team.lead.secret@example.org"
    monkeypatch.setenv("REALIST_REVIEW_EMAIL", secret)
    with FakeApi(works=works(30)) as api:
        fast = {"requests_per_second": 1000}
        config = {
            "review": {"id": "live-test", "title": "Live test", "question": "What works?"},
            "limits": {"year_from": 2000, "year_to": 2026, "languages": ["en"]},
            "search": {
                "mode": "live",
                "searches": [
                    {"id": "pubmed", "source": "pubmed", "database": "MEDLINE", "query": "tic"},
                    {"id": "oa", "source": "openalex", "database": "OpenAlex", "query": "tic"},
                ],
            },
            "clients": {
                "timeout_seconds": 5,
                "max_retries": 1,
                "backoff_seconds": 0.01,
                "max_wait_seconds": 0.05,
                "pubmed": {"base_url": f"{api.url}/eutils/", "batch_size": 15, **fast},
                "openalex": {"base_url": f"{api.url}/openalex/", "per_page": 15, **fast},
            },
        }
        work = tmp_path / "review"
        (work / "config").mkdir(parents=True)
        shutil.copy2(REPO / "Snakefile", work / "Snakefile")
        shutil.copytree(REPO / "workflow", work / "workflow")
        (work / "config/config.yaml").write_text(yaml.safe_dump(config))
        snakemake(work)
        sent = len(api.requests)
        assert sent > 0
        assert realist_review(work, "freeze", "--version", "1.0").returncode == 0
        monkeypatch.delenv("REALIST_REVIEW_EMAIL")
        done = realist_review(work, "verify", "results/releases/1.0")
        assert done.returncode == 0, done.stdout + done.stderr
        assert len(api.requests) == sent, "verify sent a request"
    archive = work / "results/releases/1.0/live-test-1.0.tar.gz"
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        assert any("/results/search/raw/pubmed/" in n for n in names)
        for member in tar.getmembers():
            assert secret.encode() not in tar.extractfile(member).read(), member.name
