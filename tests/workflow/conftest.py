"""Copy the workflow and a config scenario into a temporary folder to run Snakemake there."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def snakemake(workdir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run Snakemake in ``workdir`` with the interpreter running the tests."""
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "2", *args],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"snakemake {' '.join(args)} failed:\n{result.stdout[-4000:]}\n{result.stderr[-6000:]}"
        )
    return result


@pytest.fixture
def run_snakemake():  # type: ignore[no-untyped-def]
    """The :func:`snakemake` runner, for tests."""
    return snakemake


@pytest.fixture
def demo_workdir(tmp_path: Path) -> Path:
    """The repository's Snakefile, workflow and config (with the demo data) in tmp_path."""
    work = tmp_path / "review"
    work.mkdir()
    shutil.copy2(REPO / "Snakefile", work / "Snakefile")
    shutil.copytree(REPO / "workflow", work / "workflow")
    shutil.copytree(REPO / "config", work / "config")
    return work
