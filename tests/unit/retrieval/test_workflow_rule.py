"""Rule retrieve_fulltexts on the demo: offline (snapshot), every case, the same bytes twice."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml
from support.fake_api import Reply
from support.fulltext_api import FulltextApi, jats_article, make_pdf

from .conftest import every_written_text

REPO = Path(__file__).resolve().parents[3]
OUTPUTS = (
    "index.csv",
    "not_retrieved.csv",
    "needs_attention.csv",
    "confirm_matches.xlsx",
    "request_sheet.xlsx",
    "not_retrieved.ris",
)


def _copy_demo(tmp_path: Path) -> Path:
    work = tmp_path / "review"
    work.mkdir()
    shutil.copy2(REPO / "Snakefile", work / "Snakefile")
    shutil.copytree(REPO / "workflow", work / "workflow")
    shutil.copytree(REPO / "config", work / "config")
    return work


def _snakemake(workdir: Path, *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "2", *args],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-6000:]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.slow
@pytest.mark.workflow
def test_the_demo_retrieves_offline_and_deterministically(tmp_path: Path) -> None:
    work = _copy_demo(tmp_path)
    _snakemake(work, "results/fulltext/index.csv")
    out = work / "results" / "fulltext"
    status = Counter(r["status"] for r in _rows(work / "results/screen/status.csv"))
    index = _rows(out / "index.csv")
    missing = _rows(out / "not_retrieved.csv")
    retrieved = {r["record_id"] for r in index if r["status"] == "retrieved"}
    # every forwarded record is either retrieved or listed, never both
    assert len(retrieved) + len(missing) == status["included"] + status["maybe"]
    assert not retrieved & {r["record_id"] for r in missing}
    seen = Counter((r["source"], r["status"]) for r in index)
    for case in [
        ("europepmc", "retrieved"),
        ("europepmc", "not_open"),
        ("unpaywall", "retrieved"),
        ("unpaywall", "rejected"),
        ("unpaywall", "refused"),
        ("openalex", "retrieved"),
        ("openalex", "not_open"),
        ("local", "retrieved"),
        ("local", "unconfirmed"),
    ]:
        assert seen[case], case
    assert "no_snapshot" not in {r["status"] for r in index}
    stored = [p for p in (out / "files").iterdir() if not p.name.startswith(".")]  # Snakemake's
    assert len(stored) == len(retrieved)
    [stray] = _rows(out / "needs_attention.csv")
    assert stray["problem"] == "no_match"
    log = (work / "results/logs/retrieve_fulltexts/retrieve_fulltexts.log").read_text()
    assert "0 request(s) sent" in log
    before = {name: (out / name).read_bytes() for name in OUTPUTS}
    _snakemake(work, "--forcerun", "retrieve_fulltexts", "results/fulltext/index.csv")
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == before


SECRETS = {"RR_WF_EMAIL": "wf.reviewer@example.org", "RR_WF_OPENALEX": "openalex-wf-key-77"}


@pytest.mark.slow
@pytest.mark.workflow
def test_live_retrieval_keeps_secrets_out_of_results_logs_and_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    work = _copy_demo(tmp_path)
    status_before = None
    with FulltextApi() as api:
        config_path = work / "config" / "config.yaml"
        config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
        config["fulltext"] = {"mode": "live", "sources": ["europepmc", "unpaywall", "openalex"]}
        clients = config["clients"]
        clients.update(
            contact_email_env="RR_WF_EMAIL", timeout_seconds=2, max_retries=1, backoff_seconds=0.01
        )
        clients["europepmc"] = {
            **clients.get("europepmc", {}),
            "base_url": f"{api.url}/europepmc/",
            "requests_per_second": 200,
        }
        clients["openalex"] = {
            "base_url": f"{api.url}/openalex/",
            "api_key_env": "RR_WF_OPENALEX",
            "requests_per_second": 200,
        }
        clients["unpaywall"] = {"base_url": f"{api.url}/unpaywall/", "requests_per_second": 200}
        clients["download"] = {"requests_per_second": 200}
        config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
        _snakemake(work, "results/screen/status.csv")
        forwarded = [
            r
            for r in _rows(work / "results/screen/status.csv")
            if r["status"] in ("included", "maybe")
        ]
        records = {r["record_id"]: r for r in _rows(work / "results/dedup/records.csv")}
        with_pmcid = [
            records[r["record_id"]] for r in forwarded if records[r["record_id"]]["pmcid"]
        ]
        with_doi = [
            records[r["record_id"]]
            for r in forwarded
            if records[r["record_id"]]["doi"] and not records[r["record_id"]]["pmcid"]
        ]
        api.jats[with_pmcid[0]["pmcid"]] = jats_article(with_pmcid[0]["pmcid"])
        api.oa[with_doi[0]["doi"]] = ["paper.pdf"]
        api.files["paper.pdf"] = Reply(200, make_pdf(["A paper"]), "application/pdf")
        api.fail("/unpaywall/", status=429, retry_after="0")
        _snakemake(work, "results/fulltext/index.csv")
        sent = len(api.requests)
        assert api.seen("/unpaywall/")[1].params["email"] == SECRETS["RR_WF_EMAIL"]
        status_before = (work / "results/fulltext/index.csv").read_bytes()
        _snakemake(work, "--forcerun", "retrieve_fulltexts", "results/fulltext/index.csv")
        assert len(api.requests) == sent  # the archive answers the second run
    index = _rows(work / "results/fulltext/index.csv")
    got = {(r["record_id"], r["source"]) for r in index if r["status"] == "retrieved"}
    assert got == {
        (with_pmcid[0]["record_id"], "europepmc"),
        (with_doi[0]["record_id"], "unpaywall"),
    }
    assert (work / "results/fulltext/index.csv").read_bytes() == status_before
    written = every_written_text(work / "results") + every_written_text(work / ".snakemake")
    assert "unpaywall" in written
    for value in SECRETS.values():
        assert value not in written and value.replace("@", "%40") not in written
