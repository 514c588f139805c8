"""Phrase banks for the fictional demo works: titles, abstracts, keywords, index terms.

The banks are data (``phrases.yaml`` beside this file), read once here into typed records.
Everything in them is invented for the demo review (trauma-informed care in residential
children's homes). Abstracts are assembled from these banks by :mod:`tools.demo.pool`; context
/ mechanism / outcome fragments give the relevant works the wording of realist evidence, and the
"near miss" themes share the trauma vocabulary in other settings so that screening has to read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import yaml

PHRASES = Path(__file__).with_name("phrases.yaml")


@dataclass(frozen=True)
class Setting:
    """How a country's residential child care is named in abstracts and titles."""

    long: str
    short: str
    workers: str
    secure: str


@dataclass(frozen=True)
class Design:
    """A study design: how titles name it and how the methods section reads."""

    key: str
    title: str
    methods: tuple[str, ...]
    publication_type: str = "Journal Article"


@dataclass(frozen=True)
class Theme:
    """A topic the pool draws works from, with its own phrase banks.

    ``category`` is ``relevant`` (meets the demo review's criteria), ``nearmiss`` (shares the
    trauma vocabulary but is about another setting or population) or ``offtopic``.
    """

    key: str
    category: str
    count: int
    titles: tuple[str, ...]
    background: tuple[str, ...]
    aims: tuple[str, ...]
    results: tuple[str, ...]
    conclusions: tuple[str, ...]
    keywords: tuple[str, ...]
    mesh: tuple[str, ...]
    psyc_terms: tuple[str, ...]
    designs: tuple[str, ...]
    journals: tuple[str, ...]
    contexts: tuple[str, ...] = ()
    mechanisms: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()


@dataclass(frozen=True)
class Journal:
    """A journal: names as each database writes them, and where it is indexed (real names;
    every work in them here is fictional)."""

    key: str
    name: str
    nlm_title: str
    iso: str
    issn: str
    eissn: str
    publisher: str
    country: str
    in_pubmed: bool
    in_psycinfo: bool
    medline: bool = True
    nlm_id: str = ""
    springer: bool = False


def _frozen(value: Any) -> Any:
    """YAML lists as tuples, all the way down."""
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, dict):
        return {key: _frozen(item) for key, item in value.items()}
    return value


def _record(cls: type, raw: dict[str, Any]) -> Any:
    names = {field.name for field in fields(cls)}
    unknown = set(raw) - names
    if unknown:
        raise ValueError(f"{PHRASES}: unknown {cls.__name__} field(s) {sorted(unknown)}")
    return cls(**{key: _frozen(value) for key, value in raw.items()})


_BANKS: dict[str, Any] = yaml.safe_load(PHRASES.read_text(encoding="utf-8"))

GIVEN_NAMES: tuple[str, ...] = _frozen(_BANKS["given_names"])
FAMILY_NAMES: tuple[str, ...] = _frozen(_BANKS["family_names"])
DIACRITIC_FAMILY_NAMES: tuple[str, ...] = _frozen(_BANKS["diacritic_family_names"])
DIACRITIC_GIVEN_NAMES: tuple[str, ...] = _frozen(_BANKS["diacritic_given_names"])
INSTITUTIONS: dict[str, tuple[str, ...]] = _frozen(_BANKS["institutions"])
COUNTRY_WEIGHTS: tuple[tuple[str, int], ...] = _frozen(_BANKS["country_weights"])
#: American-spelling countries: their abstracts use American spelling from the start.
US_SPELLING_COUNTRIES: tuple[str, ...] = _frozen(_BANKS["us_spelling_countries"])
SETTINGS: dict[str, Setting] = {
    country: _record(Setting, raw) for country, raw in _BANKS["settings"].items()
}
DESIGNS: dict[str, Design] = {raw["key"]: _record(Design, raw) for raw in _BANKS["designs"]}
#: Context / mechanism / outcome fragments shared by the relevant themes.
RES_CONTEXTS: tuple[str, ...] = _frozen(_BANKS["res_contexts"])
RES_MECHANISMS: tuple[str, ...] = _frozen(_BANKS["res_mechanisms"])
RES_OUTCOMES: tuple[str, ...] = _frozen(_BANKS["res_outcomes"])
RES_JOURNALS: tuple[str, ...] = _frozen(_BANKS["res_journals"])
THEMES: tuple[Theme, ...] = tuple(_record(Theme, raw) for raw in _BANKS["themes"])
OFFTOPIC_DESIGNS: tuple[str, ...] = _frozen(_BANKS["offtopic_designs"])
MODELS: tuple[str, ...] = _frozen(_BANKS["models"])
JOURNALS: dict[str, Journal] = {raw["key"]: _record(Journal, raw) for raw in _BANKS["journals"]}

# --------------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------------
_US_SPELLINGS: dict[str, str] = dict(_BANKS["us_spellings"])
_US_RE = re.compile(r"\b(" + "|".join(sorted(_US_SPELLINGS, key=len, reverse=True)) + r")\b", re.I)
_SMALL_WORDS = frozenset(_BANKS["small_words"])


def us_spelling(text: str) -> str:
    """British to American spelling for the words the demo uses (case of the first letter kept)."""

    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        new = _US_SPELLINGS[word.lower()]
        return new[0].upper() + new[1:] if word[0].isupper() else new

    return _US_RE.sub(swap, text)


def title_case(title: str) -> str:
    """Headline-style capitalisation, as publishers often deposit titles with Crossref."""
    words = title.split(" ")
    out = []
    after_colon = True
    for word in words:
        core = word.lstrip("'\"‘“(")
        lead = word[: len(word) - len(core)]
        if core and (after_colon or core.lower() not in _SMALL_WORDS):
            parts = core.split("-")
            core = "-".join(p[:1].upper() + p[1:] if p else p for p in parts)
        out.append(lead + core)
        after_colon = word.endswith((":", "?", "."))
    return " ".join(out)


def capitalise(text: str) -> str:
    """Upper-case the first letter only."""
    return text[:1].upper() + text[1:]


def initials(given: str) -> str:
    """``"Sarah J."`` -> ``"SJ"``; ``"Mary-Kate"`` -> ``"MK"``."""
    letters = [part[0] for part in re.split(r"[\s.\-]+", given) if part]
    return "".join(letters).upper()


def strip_diacritics(text: str) -> str:
    """``Müller`` -> ``Muller``, ``Østergaard`` -> ``Ostergaard`` (as some databases store them)."""
    import unicodedata

    special = str.maketrans({"Ø": "O", "ø": "o", "Ł": "L", "ł": "l", "ß": "ss"})
    decomposed = unicodedata.normalize("NFKD", text.translate(special))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def word_count(text: str) -> int:
    """Number of whitespace-separated words."""
    return len(text.split())
