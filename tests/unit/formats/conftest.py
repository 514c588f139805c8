"""Fixtures for the export-parser tests: the project's own files in tests/data/formats/."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from realist_review.formats import read_export
from realist_review.records import Record

FORMATS_DATA = Path(__file__).resolve().parents[2] / "data" / "formats"


@pytest.fixture(scope="session")
def formats_data() -> Path:
    """tests/data/formats (hand-written, fictional records; see its README)."""
    return FORMATS_DATA


@pytest.fixture
def load(formats_data: Path) -> Callable[..., list[Record]]:
    """Read a fixture file (path relative to tests/data/formats) with read_export."""

    def _load(relative: str, **kwargs: object) -> list[Record]:
        kwargs.setdefault("search_id", "fixture")
        return read_export(formats_data / relative, **kwargs)  # type: ignore[arg-type]

    return _load
