"""The ``screening:`` config section: defaults, messages, and agreement with its JSON schema."""

from __future__ import annotations

import re
from typing import Any

import jsonschema
import pytest

from realist_review.errors import InputError
from realist_review.screen.settings import Criterion, screening_settings
from realist_review.tables import load_schema


def _schema() -> dict[str, Any]:
    """``properties.screening`` of the config schema."""
    return load_schema("config")["properties"]["screening"]  # type: ignore[no-any-return]


def test_defaults() -> None:
    settings = screening_settings({"team": ["alice", "bob"]})
    assert (settings.batch_size, settings.reviewers_per_record, settings.seed) == (50, 2, 42)
    assert (settings.stop_target, settings.stop_confidence, settings.stop) == (0.95, 0.95, False)
    assert settings.exclusion == () and settings.random_sample_size is None
    schema = _schema()["properties"]
    for key in ("batch_size", "reviewers_per_record", "seed", "stop_target", "stop"):
        assert schema[key]["default"] == getattr(settings, key), key


CASES = [
    pytest.param({"team": ["a", "b"]}, "", id="minimal"),
    pytest.param({}, "screening.team: list the reviewer ids", id="no-team"),
    pytest.param({"team": ["a", "A b"]}, "screening.team[1]: 'A b' is not a valid", id="bad-id"),
    pytest.param({"team": ["a", "a"]}, "screening.team[1]: 'a' is listed twice", id="twice"),
    pytest.param({"team": ["a"], "batch_size": 0}, "screening.batch_size: 0 should be", id="batch"),
    pytest.param(
        {"team": ["a"], "stop_target": 1.0},
        "screening.stop_target: 1.0 should be a number above 0 and below 1",
        id="target",
    ),
    pytest.param({"team": ["a"], "stop": "yes"}, "screening.stop: 'yes' should be true", id="flag"),
    pytest.param({"team": ["a"], "tem": 1}, "unknown key(s) 'tem'", id="typo"),
    pytest.param(
        {"team": ["a"], "criteria": {"exclusion": [{"code": "E1"}]}},
        "screening.criteria.exclusion[0].label: a criterion needs a label",
        id="criterion-without-label",
    ),
    pytest.param(
        {"team": ["a"], "random_sample_size": 0},
        "screening.random_sample_size: 0 should be a whole number >= 1",
        id="sample",
    ),
]


@pytest.mark.parametrize(("section", "message"), CASES)
def test_messages_and_schema_agree(section: dict[str, Any], message: str) -> None:
    schema_ok = jsonschema.Draft202012Validator(_schema()).is_valid(section)
    if message:
        with pytest.raises(InputError) as info:
            screening_settings(section)
        assert message in str(info.value)
        assert not schema_ok
    else:
        screening_settings(section)
        assert schema_ok


@pytest.mark.parametrize(
    ("section", "message"),
    [
        pytest.param(
            {"team": ["a"], "reviewers_per_record": 2},
            "needs a team of at least 2; the team has 1",
            id="team-too-small",
        ),
        pytest.param(
            {"team": ["a", "b"], "require_reason": True},
            "reasons are required but criteria.exclusion is empty",
            id="reasons-without-criteria",
        ),
        pytest.param(
            {
                "team": ["a", "b"],
                "criteria": {
                    "exclusion": [{"code": "E1", "label": "x"}, {"code": "e1", "label": "y"}]
                },
            },
            "screening.criteria.exclusion[1].code: 'e1' is used twice",
            id="codes-twice",
        ),
    ],
)
def test_rules_the_schema_cannot_say(section: dict[str, Any], message: str) -> None:
    assert jsonschema.Draft202012Validator(_schema()).is_valid(section)
    with pytest.raises(InputError, match=re.escape(message)):
        screening_settings(section)


def test_reason_codes_from_what_a_sheet_says() -> None:
    settings = screening_settings(
        {
            "team": ["a", "b"],
            "criteria": {"exclusion": [{"code": "E1", "label": "Not residential"}]},
        }
    )
    assert settings.exclusion == (Criterion("E1", "Not residential"),)
    for text in ("E1", "e1", "E1: Not residential", "not  residential"):
        assert settings.reason_code(text) == "E1", text
    assert settings.reason_code("E2") is None
