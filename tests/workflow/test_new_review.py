"""A new review started with `realist-review init` runs from the project's workflow."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from realist_review.cli import main

REPO = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.workflow]


@pytest.mark.slow
def test_an_initialised_review_plans_every_stage_from_the_project_folder(tmp_path: Path) -> None:
    review = tmp_path / "my-review"
    assert main(["init", str(review)]) == 0
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "1", "--dry-run",
         "--snakefile", str(REPO / "Snakefile"), "--directory", str(review)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    out = result.stdout + result.stderr
    assert result.returncode == 0, out[-3000:]
    for rule in ("run_search", "dedup_records", "export_screening_sheets", "draw_prisma_diagram"):
        assert rule in out, rule
    assert not (REPO / "my-review").exists()
