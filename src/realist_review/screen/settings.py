"""The ``screening:`` section of the config, and the words screening tables are written in.

:func:`screening_settings` turns the raw config section into a frozen
:class:`ScreeningSettings`, filling in defaults and checking what a JSON schema cannot
(enough reviewers for ``reviewers_per_record``, unique criterion codes, ...). Every message
names the key, e.g. ``screening.team[2]``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from realist_review.errors import InputError

#: A reviewer id: also the name of the reviewer's sheet file, so no dots or spaces.
REVIEWER_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
#: A criterion code such as ``E1`` or ``wrong-setting``.
CODE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}")


class Decision(StrEnum):
    """What a reviewer decides about one record at title/abstract stage."""

    INCLUDE = "include"
    EXCLUDE = "exclude"
    MAYBE = "maybe"

    @property
    def forwards(self) -> bool:
        """True when the record goes on to full text (``include`` and ``maybe``)."""
        return self is not Decision.EXCLUDE


class RoundKind(StrEnum):
    """How the records of a round (or a sheet) were chosen."""

    RANKED = "ranked"  # the model's most likely includes (with a share of uncertain ones)
    RANDOM_START = "random_start"  # no include and exclude yet to learn from: a seeded sample
    RANDOM_SAMPLE = "random_sample"  # the stopping rule's random sample of the remaining records
    CONFLICT_RESOLUTION = "conflict_resolution"  # a third reviewer settles disagreements


class Status(StrEnum):
    """A deduplicated record's screening status (``results/screen/status.csv``)."""

    INCLUDED = "included"
    EXCLUDED = "excluded"
    MAYBE = "maybe"
    CONFLICT = "conflict"
    UNSCREENED = "unscreened"
    EXCLUDED_AUTOMATION = "excluded_automation"
    INELIGIBLE_AUTOMATION = "ineligible_automation"


#: The statuses that send a record on to full text (and to CMO extraction).
FORWARDED: frozenset[str] = frozenset({Status.INCLUDED, Status.MAYBE})


class DecidedBy(StrEnum):
    """Who settled a record's status (empty when nobody has yet)."""

    HUMAN = "human"  # every assigned reviewer agreed
    CONSENSUS = "consensus"  # a disagreement settled by a third reviewer or by discussion
    AUTOMATION = "automation"  # limits or the stopping rule
    NONE = ""


@dataclass(frozen=True)
class Criterion:
    """One eligibility criterion: a short code reviewers pick and the label they read."""

    code: str
    label: str

    @property
    def choice(self) -> str:
        """How the criterion appears in a sheet's drop-down: ``E1: Not residential care``."""
        return f"{self.code}: {self.label}"


@dataclass(frozen=True)
class ScreeningSettings:
    """Effective screening settings (config values over defaults)."""

    team: tuple[str, ...]
    resolvers: tuple[str, ...] = ()
    batch_size: int = 50
    reviewers_per_record: int = 2
    inclusion: tuple[Criterion, ...] = ()
    exclusion: tuple[Criterion, ...] = ()
    require_reason: bool = False
    preset: str = "default"
    seed: int = 42
    uncertainty_share: float = 0.1
    stop_target: float = 0.95
    stop_confidence: float = 0.95
    stop: bool = False
    random_sample_size: int | None = None
    #: Why the team stops before the stopping rule's target is reached (required then).
    stop_reason: str = ""
    #: The team asks for the stopping rule's random sample as the next round.
    start_random_sample: bool = False

    @property
    def everyone(self) -> tuple[str, ...]:
        """Screeners and resolvers, sorted, without repeats."""
        return tuple(sorted({*self.team, *self.resolvers}))

    def reason_code(self, text: str) -> str | None:
        """The exclusion code a sheet cell names (code, ``code: label`` or label), else None."""
        wanted = " ".join(text.split()).casefold()
        for criterion in self.exclusion:
            forms = {criterion.code, criterion.choice, criterion.label}
            if wanted in {" ".join(f.split()).casefold() for f in forms}:
                return criterion.code
        return None


DEFAULTS: dict[str, Any] = {
    "batch_size": 50,
    "reviewers_per_record": 2,
    "require_reason": False,
    "preset": "default",
    "seed": 42,
    "uncertainty_share": 0.1,
    "stop_target": 0.95,
    "stop_confidence": 0.95,
    "stop": False,
    "start_random_sample": False,
}

_KNOWN_KEYS = frozenset(
    {
        *DEFAULTS,
        "team",
        "resolvers",
        "criteria",
        "random_sample_size",
        "stop_reason",
    }
)


def _int(section: Mapping[str, Any], key: str, low: int, high: int, problems: list[str]) -> int:
    value = section.get(key, DEFAULTS.get(key))
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        problems.append(f"screening.{key}: {value!r} should be a whole number from {low} to {high}")
        return int(DEFAULTS.get(key, low))
    return value


def _fraction(
    section: Mapping[str, Any], key: str, problems: list[str], *, open_low: bool
) -> float:
    value = section.get(key, DEFAULTS[key])
    low_ok = (value > 0) if open_low else (value >= 0)
    if isinstance(value, bool) or not isinstance(value, int | float) or not (low_ok and value < 1):
        low = "above 0" if open_low else "from 0"
        problems.append(f"screening.{key}: {value!r} should be a number {low} and below 1")
        return float(DEFAULTS[key])
    return float(value)


def _bool(section: Mapping[str, Any], key: str, problems: list[str]) -> bool:
    value = section.get(key, DEFAULTS[key])
    if not isinstance(value, bool):
        problems.append(f"screening.{key}: {value!r} should be true or false")
        return bool(DEFAULTS[key])
    return value


def _people(section: Mapping[str, Any], key: str, problems: list[str]) -> tuple[str, ...]:
    raw = section.get(key, [])
    if not isinstance(raw, list | tuple):
        problems.append(f"screening.{key}: should be a list of reviewer ids")
        return ()
    people: list[str] = []
    for index, person in enumerate(raw):
        if not isinstance(person, str) or not REVIEWER_RE.fullmatch(person):
            problems.append(
                f"screening.{key}[{index}]: {person!r} is not a valid reviewer id "
                "(lower-case letters, digits, '-' or '_'; it becomes the sheet's file name)"
            )
        elif person in people:
            problems.append(f"screening.{key}[{index}]: {person!r} is listed twice")
        else:
            people.append(person)
    return tuple(people)


def _criteria(raw: object, where: str, problems: list[str]) -> tuple[Criterion, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list | tuple):
        problems.append(f"{where}: should be a list of {{code, label}} entries")
        return ()
    out: list[Criterion] = []
    for index, item in enumerate(raw):
        here = f"{where}[{index}]"
        if not isinstance(item, Mapping) or set(item) - {"code", "label"}:
            problems.append(f"{here}: should be {{code: E1, label: 'what it means'}}")
            continue
        code, label = item.get("code"), item.get("label")
        if not isinstance(code, str) or not CODE_RE.fullmatch(code):
            problems.append(
                f"{here}.code: {code!r} should be a short code (letters, digits, '-' or '_')"
            )
            continue
        if not isinstance(label, str) or not label.strip():
            problems.append(f"{here}.label: a criterion needs a label reviewers can read")
            continue
        if any(c.code.casefold() == code.casefold() for c in out):
            problems.append(f"{here}.code: {code!r} is used twice")
            continue
        out.append(Criterion(code=code, label=" ".join(label.split())))
    return tuple(out)


def screening_settings(section: Mapping[str, Any] | None) -> ScreeningSettings:
    """Parse the config's ``screening:`` section; raise one :class:`InputError` listing problems."""
    section = dict(section or {})
    problems: list[str] = []
    unknown = sorted(set(section) - _KNOWN_KEYS)
    if unknown:
        problems.append(
            f"screening: unknown key(s) {', '.join(map(repr, unknown))}; "
            f"allowed: {', '.join(sorted(_KNOWN_KEYS))} (a typo?)"
        )
    team = _people(section, "team", problems)
    if "team" not in section or not team:
        problems.append("screening.team: list the reviewer ids of the screening team")
    resolvers = _people(section, "resolvers", problems)
    per_record = _int(section, "reviewers_per_record", 1, 10, problems)
    if team and per_record > len(team):
        problems.append(
            f"screening.reviewers_per_record: {per_record} reviewers per record needs a team "
            f"of at least {per_record}; the team has {len(team)}"
        )
    criteria = section.get("criteria") or {}
    inclusion: tuple[Criterion, ...] = ()
    exclusion: tuple[Criterion, ...] = ()
    if not isinstance(criteria, Mapping) or set(criteria) - {"inclusion", "exclusion"}:
        problems.append("screening.criteria: should have the keys inclusion and exclusion")
    else:
        inclusion = _criteria(criteria.get("inclusion"), "screening.criteria.inclusion", problems)
        exclusion = _criteria(criteria.get("exclusion"), "screening.criteria.exclusion", problems)
    require_reason = _bool(section, "require_reason", problems)
    if require_reason and not exclusion:
        problems.append(
            "screening.require_reason: reasons are required but criteria.exclusion is empty"
        )
    preset = section.get("preset", DEFAULTS["preset"])
    if not isinstance(preset, str) or not preset:
        problems.append(f"screening.preset: {preset!r} should be the name of a model preset")
        preset = DEFAULTS["preset"]
    sample = section.get("random_sample_size")
    if sample is not None and (
        isinstance(sample, bool) or not isinstance(sample, int) or sample < 1
    ):
        problems.append(f"screening.random_sample_size: {sample!r} should be a whole number >= 1")
        sample = None
    stop_reason = section.get("stop_reason", "")
    if stop_reason is None:
        stop_reason = ""
    if not isinstance(stop_reason, str):
        problems.append(
            f"screening.stop_reason: {stop_reason!r} should be a sentence saying why the team "
            "stops screening"
        )
        stop_reason = ""
    settings = ScreeningSettings(
        team=team,
        resolvers=resolvers,
        batch_size=_int(section, "batch_size", 1, 100_000, problems),
        reviewers_per_record=per_record,
        inclusion=inclusion,
        exclusion=exclusion,
        require_reason=require_reason,
        preset=preset,
        seed=_int(section, "seed", 0, 2**32 - 1, problems),
        uncertainty_share=_fraction(section, "uncertainty_share", problems, open_low=False),
        stop_target=_fraction(section, "stop_target", problems, open_low=True),
        stop_confidence=_fraction(section, "stop_confidence", problems, open_low=True),
        stop=_bool(section, "stop", problems),
        random_sample_size=sample,
        stop_reason=" ".join(stop_reason.split()),
        start_random_sample=_bool(section, "start_random_sample", problems),
    )
    if problems:
        raise InputError(
            f"the screening settings have {len(problems)} problem(s):\n  - "
            + "\n  - ".join(problems)
        )
    return settings


#: How the tables, the report and PRISMA say that the team stopped before the rule's target.
STOPPED_EARLY = "stopped by the team before the stopping rule's target"


def recall_bound_text(lower_bound: float, confidence: float) -> str:
    """``recall is at least 95% with 95% confidence``: how every table and figure states the
    stopping rule's estimate (a lower bound at a confidence level, never a confidence in a
    point estimate).

    >>> recall_bound_text(0.029, 0.95)
    'recall is at least 2.9% with 95% confidence'
    """
    return f"recall is at least {percent(lower_bound)} with {percent(confidence)} confidence"


def percent(value: float) -> str:
    """``95%``, ``2.9%``: whole percentages without decimals, else one decimal (floored, so a
    lower bound is never rounded up to the target).

    >>> percent(0.95), percent(0.029), percent(0.9499)
    ('95%', '2.9%', '94.9%')
    """
    tenths = int(round(value * 1000, 6))  # floor to tenths of a percent
    return f"{tenths // 10}%" if tenths % 10 == 0 else f"{tenths / 10:.1f}%"


def reviewer_list(values: Sequence[str]) -> str:
    """``alice, bob and carol`` for messages."""
    items = list(values)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
