"""The table schemas themselves: versions, derived schemas in step with their parents, and the
vocabularies the code shares with them."""

from __future__ import annotations

import pytest

from realist_review.records import RECORD_COLUMNS
from realist_review.screen.settings import Status
from realist_review.tables import (
    load_schema,
    resolved_schema,
    schema_dir,
    schema_version,
    table_spec,
)

TABLE_SCHEMAS = sorted(
    path.name.removesuffix(".schema.json")
    for path in schema_dir().glob("*.schema.json")
    if "x-version" in load_schema(path.name.removesuffix(".schema.json"))
)
DERIVED = [name for name in TABLE_SCHEMAS if "allOf" in load_schema(name)]


def test_there_are_table_schemas_and_one_is_derived() -> None:
    assert {"record", "merged_record", "screen_status"} <= set(TABLE_SCHEMAS)
    assert "merged_record" in DERIVED


@pytest.mark.parametrize("name", TABLE_SCHEMAS)
def test_the_version_is_the_schemas(name: str) -> None:
    version = schema_version(name)
    assert version == load_schema(name)["x-version"]
    assert version.count(".") == 1


@pytest.mark.parametrize("name", DERIVED)
def test_a_derived_schema_keeps_its_parents_columns_and_checks(name: str) -> None:
    """A derived table has every parent column in the parent's order, then its own, and
    says nothing different about a parent column except its description."""
    schema = load_schema(name)
    own = schema["properties"]
    columns = table_spec(name).columns
    for part in schema["allOf"]:
        parent = part["$ref"].removesuffix(".schema.json")
        parent_columns = table_spec(parent).columns
        assert columns[: len(parent_columns)] == parent_columns
        parent_props = resolved_schema(parent)["properties"]
        for col in set(own) & set(parent_props):
            strip = {k: v for k, v in own[col].items() if k != "description"}
            assert strip == {k: v for k, v in parent_props[col].items() if k != "description"}
    assert columns[-len(schema["required"]) :] == tuple(schema["required"])


def test_merged_record_is_the_record_plus_what_dedup_adds() -> None:
    assert table_spec("merged_record").columns == (
        *RECORD_COLUMNS,
        "members",
        "study_id",
        "provenance",
    )
    assert table_spec("merged_record").enums["source"] == table_spec("record").enums["source"]


def test_the_screening_status_vocabulary_is_the_schemas() -> None:
    assert table_spec("screen_status").enums["status"] == {s.value for s in Status}
    assert [s.value for s in Status] == load_schema("screen_status")["properties"]["status"]["enum"]
