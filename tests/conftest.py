"""Shared pytest fixtures: where ../shared/data is, and opt-in live-network tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
TEST_DATA = REPO_ROOT / "tests" / "data"


def shared_data_dir() -> Path:
    """``../shared/data`` beside the checkout, or ``$REALIST_REVIEW_SHARED/data``."""
    base = os.environ.get("REALIST_REVIEW_SHARED")
    return Path(base) / "data" if base else REPO_ROOT.parent / "shared" / "data"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--run-network", action="store_true", help="also run tests that need the internet"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-network"):
        return
    skip = pytest.mark.skip(reason="needs the internet: run with --run-network")
    for item in items:
        if "network" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The development data in ../shared/data; tests using it skip cleanly when it is absent."""
    path = shared_data_dir()
    if not path.is_dir():
        pytest.skip(f"{path} is absent (development data is not part of the project)")
    return path
