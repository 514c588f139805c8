"""Rule retrieve_fulltexts on the demo: offline (snapshot), every case, the same bytes twice."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
OUTPUTS = (
    "index.csv",
    "not_retrieved.csv",
    "needs_attention.csv",
    "confirm_matches.xlsx",
    "request_sheet.xlsx",
    "not_retrieved.ris",
)


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
    work = tmp_path / "review"
    work.mkdir()
    shutil.copy2(REPO / "Snakefile", work / "Snakefile")
    shutil.copytree(REPO / "workflow", work / "workflow")
    shutil.copytree(REPO / "config", work / "config")
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
