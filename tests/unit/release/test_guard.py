"""A config change that would alter a frozen search stops the run and asks for a new version."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from realist_review.errors import InputError
from realist_review.release.guard import check_frozen_searches, next_version, version_key
from tests.unit.release.conftest import demo_config
from tests.unit.release.test_freeze import freeze

CHANGES = [
    # (id, change, what the message names, note)
    ("query", lambda c: c["search"]["searches"][0].update(query="care homes"),
     "search pubmed: query", "a new query is a new search"),
    ("source", lambda c: c["search"]["searches"][0].update(source="europepmc"),
     "search pubmed: source", "another source"),
    ("limit", lambda c: c["limits"].update(year_from=2010),
     "limits.year_from", "limits apply to every search"),
    ("new-limit", lambda c: c["limits"].update(languages=["en"]),
     "limits.languages", "a limit added"),
    ("files", lambda c: c["search"]["searches"][1].update(files=["config/searches/other.ris"]),
     "search psycinfo: files", "another export file"),
    ("removed", lambda c: c["search"]["searches"].pop(0),
     "search pubmed: removed", "a frozen search dropped"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "named"), [c[1:3] for c in CHANGES], ids=[c[0] for c in CHANGES]
)
def test_a_change_to_a_frozen_search_stops(
    review: Path, change: Callable[[dict[str, Any]], object], named: str
) -> None:
    freeze(review)
    config = copy.deepcopy(demo_config())
    change(config)
    with pytest.raises(InputError) as error:
        check_frozen_searches(config, review)
    message = str(error.value)
    assert named in message
    assert "release 1.0 is frozen" in message and 'release.version: "1.1"' in message


def test_export_file_contents_changed(review: Path) -> None:
    freeze(review)
    (review / "config/searches/psycinfo.ris").write_text("TY  - JOUR\nTI  - Other\nER  - \n")
    with pytest.raises(InputError, match="psycinfo: its export files' contents"):
        check_frozen_searches(demo_config(), review)


def test_unchanged_or_new_searches_pass(review: Path) -> None:
    assert check_frozen_searches(demo_config(), review) == []  # no release yet
    freeze(review)
    assert check_frozen_searches(demo_config(), review) == []
    config = demo_config()
    config["search"]["searches"].append(
        {"id": "openalex", "source": "openalex", "database": "OpenAlex", "query": "care"}
    )
    assert check_frozen_searches(config, review) == []


def test_a_new_version_allows_the_change(review: Path) -> None:
    freeze(review)
    config = demo_config()
    config["search"]["searches"][0]["query"] = "care homes"
    config["release"] = {"version": "1.0"}  # the frozen version itself: still refused
    with pytest.raises(InputError):
        check_frozen_searches(config, review)
    config["release"] = {"version": "1.1"}
    warnings = check_frozen_searches(config, review)
    assert len(warnings) == 1 and "release 1.1" in warnings[0] and "query" in warnings[0]
    freeze(review, "1.1", config=config)  # then 1.1 is the newest frozen release
    assert check_frozen_searches(config, review) == []
    config["search"]["searches"][0]["query"] = "care"
    with pytest.raises(InputError, match=r"release 1\.1 is frozen"):
        check_frozen_searches(config, review)


def test_versions_sort_numerically() -> None:
    assert sorted(["1.10", "1.9", "2.0", "1.0-rc1", "1.0"], key=version_key) == [
        "1.0", "1.0-rc1", "1.9", "1.10", "2.0"
    ]  # fmt: skip
    assert next_version("1.9") == "1.10" and next_version("2.0-rc1") == "2.1"
