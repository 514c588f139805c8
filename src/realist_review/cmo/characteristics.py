"""The characteristics of the included documents (RAMESES item 13): type, design, setting,
population and year, one row per document that contributed a confirmed configuration.

Read from each document's title and abstract by stated rules (the first design named, every
country or region named, every population named); a cell the rules cannot fill says
``not stated``. Reviewers check the table like every other the pipeline derives; it is
deterministic and sorted by record id.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping

NOT_STATED = "not stated"

#: designs, most specific first: the first that matches names the document's design
DESIGNS: tuple[tuple[str, str], ...] = (
    ("realist review or synthesis", r"realist (review|synthesis)"),
    (
        "systematic or scoping review",
        r"systematic review|scoping review|meta-analys|literature review",
    ),
    ("randomised controlled trial", r"randomi[sz]ed (controlled )?trial|\bRCT\b"),
    ("realist evaluation", r"realist evaluation"),
    ("quasi-experimental", r"quasi-experiment|comparison group|controlled before"),
    ("pre-post study", r"pre-?post|before and after|baseline and follow-up"),
    ("cohort study", r"\bcohort\b|longitudinal"),
    ("mixed methods", r"mixed[- ]methods?"),
    ("qualitative", r"qualitative|interviews?|focus groups?|thematic(ally)? analys|ethnograph"),
    ("survey", r"\bsurvey|questionnaire|cross-sectional"),
    ("case study", r"case stud"),
    ("evaluation", r"\bevaluat"),
    ("policy or practice document", r"\bguidance\b|\bpolicy\b|framework|toolkit|report"),
)
#: settings: countries and regions, and kinds of care named
PLACES: tuple[tuple[str, str], ...] = (
    ("England", r"\bEngland\b|\bEnglish\b"),
    ("Scotland", r"\bScotland\b|\bScottish\b"),
    ("Wales", r"\bWales\b|\bWelsh\b"),
    ("Northern Ireland", r"Northern Ireland"),
    ("Ireland", r"(?<!Northern )\bIreland\b|\bIrish\b"),
    ("United Kingdom", r"\bUK\b|United Kingdom|\bBritish\b"),
    ("United States", r"United States|\bUSA?\b|\bAmerican\b"),
    ("Canada", r"\bCanad"),
    ("Australia", r"\bAustralia"),
    ("New Zealand", r"New Zealand"),
    (
        "Europe (other)",
        r"\bNorw|\bSwed|\bDenmark|\bDanish|\bNetherlands|\bDutch|\bGerman|\bSpain|\bSpanish|\bItal|\bFrance|\bFrench",
    ),
)
CARE_SETTINGS: tuple[tuple[str, str], ...] = (
    (
        "children's homes / residential care",
        r"children'?s homes?|residential (child )?care|group homes?"
        r"|residential (treatment|settings?|centres?|centers?)",
    ),
    ("secure care", r"\bsecure (care|children|unit|accommodation)"),
    ("foster or kinship care", r"\bfoster|kinship"),
    ("out-of-home care (general)", r"out-of-home care|looked[- ]after|in care\b|child welfare"),
    ("schools", r"\bschools?\b"),
    ("health services", r"\bhospital|inpatient|mental health services?|\bclinic"),
)
POPULATIONS: tuple[tuple[str, str], ...] = (
    ("children and young people", r"\bchild(ren)?\b|young people|\byouths?\b|adolescen|teenag"),
    ("care leavers", r"care leavers?|leaving care"),
    ("staff and carers", r"\bstaff\b|workers?\b|practitioners?|carers?\b|caregivers?|nurses?"),
    ("managers and leaders", r"\bmanagers?\b|leaders?\b|leadership"),
    ("families", r"\bparents?\b|families|birth famil"),
)


def _all(text: str, rules: Iterable[tuple[str, str]]) -> list[str]:
    return [name for name, pattern in rules if re.search(pattern, text, re.I)]


def characteristics(record: Mapping[str, str], source_type: str) -> dict[str, str]:
    """One document's row (without its configuration count)."""
    text = f"{record.get('title', '')} {record.get('abstract', '')}"
    design = next((name for name, pattern in DESIGNS if re.search(pattern, text, re.I)), "")
    places = _all(text, PLACES) + _all(text, CARE_SETTINGS)
    return {
        "record_id": record["record_id"],
        "source_type": source_type,
        "year": record.get("year", "") or NOT_STATED,
        "design": design or NOT_STATED,
        "setting": "; ".join(places) or NOT_STATED,
        "population": "; ".join(_all(text, POPULATIONS)) or NOT_STATED,
    }


def characteristics_rows(
    records: Iterable[Mapping[str, str]],
    confirmed: Iterable[Mapping[str, str]],
    citations: Mapping[str, str],
    source_types: Mapping[str, str],
) -> list[dict[str, str]]:
    """Rows of ``documents.csv`` (schema ``document_characteristics``) for every record with a
    confirmed configuration, sorted by record id."""
    counts = Counter(row["record_id"] for row in confirmed)
    rows = []
    for record in records:
        if record["record_id"] not in counts:
            continue
        row = characteristics(record, source_types.get(record["record_id"], NOT_STATED))
        row["citation"] = citations.get(record["record_id"], "")
        row["configurations"] = str(counts[record["record_id"]])
        rows.append(row)
    return sorted(rows, key=lambda r: r["record_id"])
