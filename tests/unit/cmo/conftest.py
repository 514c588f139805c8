"""Abstracts written for these tests (not from any corpus)."""

from __future__ import annotations

import pytest

#: A structured abstract of an invented evaluation.
STRUCTURED = (
    "Background: Children in residential care in England often have histories of abuse and "
    "neglect. Staff report little training in trauma-aware care. "
    "Methods: We evaluated a 12-week staff training programme with weekly reflective "
    "supervision sessions in 14 homes (n = 120 staff). "
    "Results: After the programme, staff reported greater confidence and understanding of "
    "the children's behaviour. Placement breakdowns were reduced by 30% compared with "
    "control homes. "
    "Conclusions: Training improved placement stability through staff understanding."
)

#: An unstructured abstract with abbreviations, initials and publisher boilerplate.
PLAIN = (
    "Foster carers of children aged 3-8 years (e.g., kinship carers) were offered a "
    "group-based parenting course delivered by peer trainers, as described by J. Smith et al. "
    "in 2019. The course consisted of 10 weekly sessions on attachment and behaviour "
    "management. Carers who attended showed significantly lower parenting stress, and "
    "children's behaviour problems decreased. (PsycINFO Database Record (c) 2020 APA, all "
    "rights reserved)"
)

#: No intervention: associations between traits only.
NO_RESOURCE = (
    "This chapter describes the history of attachment research. "
    "Future research should examine these questions."
)


@pytest.fixture
def structured() -> str:
    return STRUCTURED


@pytest.fixture
def plain() -> str:
    return PLAIN
