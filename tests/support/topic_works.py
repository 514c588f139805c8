"""Test works on the review topic (trauma-informed care in residential children's homes).

Written by the project for its tests: the titles, people, journals and identifiers are
invented (DOIs use Crossref's test prefix 10.5555). :func:`works` gives a few hand-written works
followed by generated ones, enough for several pages of every source.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta


@dataclass(frozen=True)
class Work:
    """One work, rendered by the fake server in each source's own format."""

    index: int
    title: str
    abstract: tuple[tuple[str, str], ...]  # (label, text); label "" for unstructured
    authors: tuple[tuple[str, str], ...]  # (family, given)
    journal: str
    published: date
    volume: str = ""
    issue: str = ""
    pages: str = ""
    collective: str = ""
    language: str = "eng"
    publication_types: tuple[str, ...] = ("Journal Article",)
    mesh: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    has_doi: bool = True
    has_pmcid: bool = False
    item_type: str = "journalArticle"  # Zotero item type
    institution: str = ""
    url: str = ""
    extra_markup: bool = False  # title/abstract carry inline markup in PubMed XML
    tags: tuple[str, ...] = field(default=())
    slim: bool = False  # rendered with the few fields a big-count test needs

    @property
    def pmid(self) -> str:
        return str(38_000_000 + self.index)

    @property
    def doi(self) -> str:
        return f"10.5555/tic.{2000 + self.index}" if self.has_doi else ""

    @property
    def pmcid(self) -> str:
        return f"PMC{10_500_000 + self.index}" if self.has_pmcid else ""

    @property
    def openalex_id(self) -> str:
        return f"W{4_300_000_000 + self.index}"

    @property
    def zotero_key(self) -> str:
        alphabet = "23456789ABCDEFGHIJKLMNPQRSTUVWXYZ"
        n, key = self.index + 1000, ""
        for _ in range(8):
            n, r = divmod(n, len(alphabet))
            key = alphabet[r] + key
        return key

    @property
    def abstract_text(self) -> str:
        return " ".join(f"{lab}: {txt}" if lab else txt for lab, txt in self.abstract)


HAND_WRITTEN: tuple[Work, ...] = (
    Work(
        index=1,
        title="Trauma-informed care in residential children's homes: a realist synthesis",
        abstract=(
            (
                "BACKGROUND",
                "Children in residential care in England have often lived through "
                "abuse and neglect.",
            ),
            ("METHODS", "We synthesised 41 reports on trauma-informed care in children's homes."),
            ("RESULTS", "Staff training worked when supervision helped staff to reflect."),
            ("CONCLUSIONS", "Organisational governance shapes whether training changes care."),
        ),
        authors=(("Okafor", "Adaeze"), ("Whitfield", "James R")),
        journal="Child Abuse Review",
        published=date(2021, 3, 14),
        volume="30",
        issue="2",
        pages="101-118",
        mesh=("Residential Treatment", "Child, Institutionalized", "Psychological Trauma"),
        keywords=("trauma-informed care", "residential child care", "realist review"),
        has_pmcid=True,
    ),
    Work(
        index=2,
        title="Reflective supervision for residential care workers: a mixed-methods evaluation",
        abstract=(("", "Trauma-informed supervision was introduced in six children's homes."),),
        authors=(("Nguyen", "Thi Hoa"), ("Baptiste", "Claire")),
        journal="Children and Youth Services Review",
        published=date(2019, 11, 2),
        volume="107",
        pages="104521",
        keywords=("supervision", "secondary traumatic stress"),
        extra_markup=True,
    ),
    Work(
        index=3,
        title="Staff training in trauma-aware care and restraint in children's homes",
        abstract=(
            ("OBJECTIVE", "To test whether training reduced physical restraint."),
            ("DESIGN", "Interrupted time series in 12 homes."),
        ),
        authors=(("MacLeod", "Fiona"),),
        collective="Residential Care Research Collaborative",
        journal="British Journal of Social Work",
        published=date(2022, 6, 30),
        volume="52",
        issue="4",
        pages="2011-2030",
        publication_types=("Journal Article", "Research Support, Non-U.S. Gov't"),
        mesh=("Restraint, Physical", "Inservice Training"),
    ),
    Work(
        index=4,
        title="Governance, leadership and culture in trauma-informed residential care",
        abstract=(("", "Leaders set the conditions in which trauma-informed practice lasts."),),
        authors=(("Alvarez", "María José"), ("Singh", "Gurpreet")),
        journal="Residential Treatment for Children & Youth",
        published=date(2020, 1, 9),
        volume="37",
        issue="1",
        pages="44-61",
        has_doi=False,
    ),
    Work(
        index=5,
        title="Trauma-informed care in children's residential homes: Ofsted inspection themes",
        abstract=(("", "An analysis of inspection reports on children's homes in England."),),
        authors=(),
        collective="National Children's Bureau",
        journal="",
        published=date(2023, 5, 1),
        publication_types=("Report",),
        item_type="report",
        institution="National Children's Bureau",
        url="https://example.org/reports/tic-ofsted-themes",
        has_doi=False,
        tags=("grey literature", "inspection"),
    ),
    Work(
        index=6,
        title="Sanctuary model implementation in English children's homes",
        abstract=(
            ("BACKGROUND", "The Sanctuary model was adopted by a provider of 20 homes."),
            ("FINDINGS", "Incidents fell where managers modelled the approach."),
        ),
        authors=(("O'Brien", "Siobhán"), ("Kowalski", "Piotr")),
        journal="Journal of Children's Services",
        published=date(2018, 9, 20),
        volume="13",
        issue="3",
        pages="153-167",
        language="eng",
    ),
    Work(
        index=7,
        title="Traumapädagogik in der stationären Jugendhilfe",
        abstract=(("", "Eine Übersicht über traumapädagogische Konzepte in Wohngruppen."),),
        authors=(("Schäfer", "Jürgen"),),
        journal="Zeitschrift für Kinder- und Jugendhilfe",
        published=date(2017, 2, 1),
        language="ger",
    ),
    Work(
        index=8,
        title="Young people's views of trauma-informed care in residential homes",
        abstract=(("", "Young people valued staff who stayed calm and explained decisions."),),
        authors=(("Adeyemi", "Tolu"), ("Hart", "Rebecca")),
        journal="Child & Family Social Work",
        published=date(2024, 2, 12),
        volume="29",
        issue="1",
        pages="e13001",
        has_pmcid=True,
    ),
)

_ASPECTS = (
    "Trauma-informed supervision", "Staff training in trauma-aware care",
    "Organisational governance", "Relational practice", "Secondary traumatic stress",
    "Restraint reduction", "Attachment-focused care", "Therapeutic residential care",
)  # fmt: skip
_SETTINGS = (
    "children's homes in England", "residential child care", "secure children's homes",
    "small group homes", "out-of-home care",
)  # fmt: skip
_DESIGNS = (
    "a qualitative study", "a cohort study", "a process evaluation", "a case study",
    "a survey of staff", "a realist evaluation",
)  # fmt: skip
_FAMILIES = ("Campbell", "Patel", "Hughes", "Osei", "Lindqvist", "Evans", "Rahman", "Doyle")
_GIVEN = ("Amelia", "Kwame", "Sarah J", "Imran", "Ellen", "Tomás", "Priya", "Gareth")
_JOURNALS = (
    "Child Abuse & Neglect", "Children and Youth Services Review",
    "Residential Treatment for Children & Youth", "Journal of Social Work Practice",
)  # fmt: skip


def generated(index: int, start: date = date(2015, 1, 1), days: int = 3650) -> Work:
    """A generated work on the topic; deterministic in ``index``."""
    i = index
    return Work(
        index=index,
        title=(
            f"{_ASPECTS[i % len(_ASPECTS)]} in {_SETTINGS[i % len(_SETTINGS)]}: "
            f"{_DESIGNS[i % len(_DESIGNS)]} ({i})"
        ),
        abstract=(("", f"Study {i} of {_ASPECTS[i % len(_ASPECTS)].lower()}."),),
        authors=(
            (_FAMILIES[i % len(_FAMILIES)], _GIVEN[i % len(_GIVEN)]),
            (_FAMILIES[(i + 3) % len(_FAMILIES)], _GIVEN[(i + 5) % len(_GIVEN)]),
        ),
        journal=_JOURNALS[i % len(_JOURNALS)],
        published=start + timedelta(days=(i * 37) % days),
        volume=str(10 + i % 30),
        issue=str(1 + i % 4),
        pages=f"{100 + i}-{110 + i}",
        has_doi=i % 7 != 0,
        keywords=("trauma-informed care",),
    )


def works(count: int) -> list[Work]:
    """The hand-written works followed by generated ones, ``count`` in all."""
    out = list(HAND_WRITTEN[:count])
    out.extend(generated(i) for i in range(len(out) + 1, count + 1))
    return out


def spread_works(count: int, first: date, last: date) -> list[Work]:
    """``count`` small generated works spread evenly over ``first..last`` (for big counts)."""
    span = (last - first).days + 1
    return [
        replace(
            generated(i, start=first + timedelta(days=(i - 1) * span // count), days=1),
            slim=True,
        )
        for i in range(1, count + 1)
    ]
