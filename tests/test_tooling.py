"""The project's own tooling stays clean: ruff, mypy, snakefmt and snakemake --lint."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


#: every folder of Python the project writes
LINTED = ("src", "tests", "tools", "workflow/scripts", "benchmarks")


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)


@pytest.mark.slow
def test_ruff_lint_and_format() -> None:
    lint = _run(sys.executable, "-m", "ruff", "check", *LINTED)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    fmt = _run(
        sys.executable,
        "-m",
        "ruff",
        "format",
        "--check",
        *LINTED,
    )
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


@pytest.mark.slow
def test_mypy_on_the_package() -> None:
    result = _run(sys.executable, "-m", "mypy")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_snakefmt() -> None:
    snakefmt = shutil.which("snakefmt")
    if snakefmt is None:
        pytest.skip("snakefmt is not installed (pip install -e '.[test]')")
    files = [
        "Snakefile",
        *sorted(str(p.relative_to(REPO)) for p in (REPO / "workflow/rules").glob("*.smk")),
    ]
    result = _run(snakefmt, "--check", *files)
    assert result.returncode == 0, result.stdout + result.stderr
