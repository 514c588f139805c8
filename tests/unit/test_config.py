"""Config validation: the shipped config is valid; mistakes get messages naming the key."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from realist_review.config import (
    client_settings,
    get_limits,
    get_search,
    load_config,
    search_specs,
    validate_config,
)
from realist_review.errors import InputError
from realist_review.records import PrismaGroup, Source

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def config() -> dict[str, Any]:
    return load_config(REPO / "config" / "config.yaml")


def test_shipped_config_is_valid_and_covers_every_source_kind(config: dict[str, Any]) -> None:
    sources = {spec.source for spec in search_specs(config)}
    assert {Source.PUBMED, Source.EUROPEPMC, Source.OPENALEX, Source.CROSSREF} <= sources
    assert Source.ZOTERO in sources and Source.RIS in sources
    grey = next(s for s in search_specs(config) if s.source is Source.ZOTERO)
    assert grey.prisma_group is PrismaGroup.OTHER_METHODS


BAD_CASES = [
    # (id, mutation, expected message fragment, note)
    ("typo-key", lambda c: c["search"].update(mdoe="live"), "unknown key(s) 'mdoe'", "typo"),
    (
        "bad-source",
        lambda c: c["search"]["searches"][0].update(source="pubmd"),
        "search.searches[0].source: 'pubmd' is not one of",
        "enum",
    ),
    (
        "dup-id",
        lambda c: c["search"]["searches"][1].update(id=c["search"]["searches"][0]["id"]),
        "is used twice",
        "ids unique",
    ),
    (
        "no-query",
        lambda c: c["search"]["searches"][0].pop("query"),
        "a pubmed search needs a query",
        "API search without query",
    ),
    (
        "no-files",
        lambda c: c["search"]["searches"][4].pop("files"),
        "needs files",
        "export without files",
    ),
    (
        "years",
        lambda c: c["limits"].update(year_from=2020, year_to=2010),
        "year_from (2020) is after year_to (2010)",
        "inverted years",
    ),
    (
        "bad-id",
        lambda c: c["search"]["searches"][0].update(id="PubMed Search"),
        "lower-case letters",
        "slug",
    ),
    (
        "key-in-config",
        lambda c: c["clients"].update(api_key="abc"),
        "unknown key(s) 'api_key'",
        "keys never in config",
    ),
    ("missing-review", lambda c: c.pop("review"), "'review' is missing", "required"),
]


@pytest.mark.parametrize(
    ("mutate", "fragment"), [c[1:3] for c in BAD_CASES], ids=[c[0] for c in BAD_CASES]
)
def test_bad_config_messages(config: dict[str, Any], mutate: Any, fragment: str) -> None:
    bad = copy.deepcopy(config)
    mutate(bad)
    with pytest.raises(InputError) as error:
        validate_config(bad, path="config.yaml")
    assert fragment in str(error.value)
    assert str(error.value).startswith("config.yaml has")


def test_yaml_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("review: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError, match="not valid YAML"):
        load_config(path)
    path.write_text(yaml.safe_dump(["a", "list"]), encoding="utf-8")
    with pytest.raises(InputError, match="must be a mapping"):
        load_config(path)


def test_lookups(config: dict[str, Any]) -> None:
    assert get_search(config, "pubmed").source is Source.PUBMED
    with pytest.raises(InputError, match="no search with id 'nope'"):
        get_search(config, "nope")
    assert get_limits(config).year_from == 2000
    settings = client_settings({**config, "clients": {"pubmed": {"batch_size": 50}}})
    assert settings["pubmed"]["batch_size"] == 50
    assert settings["pubmed"]["base_url"].startswith("https://eutils.ncbi.nlm.nih.gov")


def test_every_dedup_key_in_the_schema_is_applied(config: dict[str, Any]) -> None:
    """No dedup setting that the schema accepts is silently ignored by the stage."""
    from dataclasses import asdict

    from realist_review.dedup.stage import settings_from_mapping
    from realist_review.tables import load_schema

    section = load_schema("config")["properties"]["dedup"]["properties"]
    defaults = asdict(settings_from_mapping({}))
    flat = {
        **defaults["decide"],
        **defaults["block"],
        "review_max_pairs": defaults["review_max_pairs"],
    }
    assert set(section) == set(flat)
    for key, spec in section.items():
        assert spec["default"] == flat[key], key
    changed = settings_from_mapping({"title": 0.9, "exact_window": 7})
    assert (changed.decide.title, changed.block.exact_window) == (0.9, 7)
    validate_config({**config, "dedup": {"title": 0.9}})
    with pytest.raises(InputError, match="unknown key"):
        validate_config({**config, "dedup": {"titel": 0.9}})


def test_a_search_needs_only_its_params(config: dict[str, Any]) -> None:
    from realist_review.config import config_of_search, search_params

    params = search_params(config, "pubmed")
    single = config_of_search(params)
    assert [s["id"] for s in single["search"]["searches"]] == ["pubmed"]
    assert get_search(single, "pubmed") == get_search(config, "pubmed")
    assert client_settings(single) == client_settings(config)
    assert get_limits(single) == get_limits(config)
    assert "REALIST_REVIEW_EMAIL" in str(params) and "@" not in str(params)  # names, no values
