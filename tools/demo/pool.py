"""The pool of fictional works behind the demo review, and which search finds each one how.

:func:`build_pool` draws every work from a seeded :class:`random.Random`, so the same seed
always gives the same pool. A *work* is one publication (with a ``study_id`` shared by
reports of the same study: a preprint, a conference abstract and the article). A *hit* is
one work as one search returns it, with *variant tags* saying how this source's copy differs
(DOI missing, title case, truncated abstract, initials for names, ...). The renderers in
:mod:`tools.demo.formats` turn hits into each source's real response format, and
``truth.csv`` lists every hit with its work, study, relevance and tags.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from tools.demo import text
from tools.demo.text import DESIGNS, JOURNALS, THEMES, Theme

SEED = 20261102

# Search ids (as in config/demo/queries.yaml) and the order the sources are written in.
PUBMED = "pubmed"
EUROPEPMC = "europepmc"
OPENALEX = "openalex"
CROSSREF = "crossref"
RIS = "psycinfo-ovid"
ZOTERO = "grey-literature"
SEARCH_IDS: tuple[str, ...] = (PUBMED, EUROPEPMC, OPENALEX, CROSSREF, RIS, ZOTERO)

# Kinds of work (truth.csv `kind`).
ARTICLE = "article"
ERRATUM = "erratum"
PREPRINT = "preprint"
CONFERENCE = "conference_abstract"
COMMENT = "comment"
REPLY = "reply"
REPORT = "report"
WEBPAGE = "webpage"
DOCUMENT = "document"
BOOK_SECTION = "book_section"
THESIS = "thesis"
GREY_KINDS = frozenset({REPORT, WEBPAGE, DOCUMENT, BOOK_SECTION})

# Variant tags (truth.csv `note`): how one source's copy of a work differs from the work.
DOI_MISSING = "doi-missing"
TITLE_CASE = "title-case"
TITLE_PERIOD = "title-period"
TITLE_UNHYPHENATED = "title-unhyphenated"
US_SPELLING = "us-spelling"
HTML_ENTITY = "html-entity"
CURLY_APOSTROPHE = "curly-apostrophe"
AUTHOR_INITIALS = "author-initials"
DIACRITICS_STRIPPED = "diacritics-stripped"
ABSTRACT_TRUNCATED = "abstract-truncated"
ABSTRACT_MISSING = "abstract-missing"
YEAR_ONLINE_FIRST = "year-online-first"
OUT_OF_LIMITS_YEAR = "out-of-limits-year"
NON_ENGLISH = "non-english"
VARIANT_TAGS: tuple[str, ...] = (
    DOI_MISSING, TITLE_CASE, TITLE_PERIOD, TITLE_UNHYPHENATED, US_SPELLING, HTML_ENTITY,
    CURLY_APOSTROPHE, AUTHOR_INITIALS, DIACRITICS_STRIPPED, ABSTRACT_TRUNCATED, ABSTRACT_MISSING,
    YEAR_ONLINE_FIRST,
)  # fmt: skip

#: Where the demo's searches "ran" and when (fixed, so the bytes never change).
SEARCH_DATE = "2026-11-02"
YEAR_FROM, YEAR_TO = 2000, 2026


@dataclass(frozen=True)
class Person:
    """An author: family name, given name(s) as the author writes them, affiliation."""

    family: str
    given: str
    middle: str = ""
    affiliation: str = ""

    @property
    def fore_name(self) -> str:
        """PubMed ``ForeName``: ``"Sarah J"``."""
        return f"{self.given} {self.middle}".strip()

    @property
    def given_full(self) -> str:
        """``"Sarah J."`` (Crossref ``given``, OpenAlex display names)."""
        return f"{self.given} {self.middle}.".strip() if self.middle else self.given

    @property
    def initials(self) -> str:
        return text.initials(self.fore_name)


@dataclass
class Work:
    """One fictional publication. Mutable only while the pool is being built."""

    work_id: str
    study_id: str
    kind: str
    relevant: bool
    theme: str
    title: str
    sections: tuple[tuple[str, str], ...]
    authors: tuple[Person, ...]
    year: int
    month: int
    day: int
    journal: str = ""
    volume: str = ""
    issue: str = ""
    first_page: str = ""
    last_page: str = ""
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""
    ppr_id: str = ""
    openalex_id: str = ""
    psycinfo_an: str = ""
    zotero_key: str = ""
    language: str = "eng"
    country: str = ""
    keywords: tuple[str, ...] = ()
    mesh: tuple[str, ...] = ()
    psyc_terms: tuple[str, ...] = ()
    publication_types: tuple[str, ...] = ("Journal Article",)
    structured: bool = False
    corporate_author: str = ""
    institution: str = ""
    place: str = ""
    url: str = ""
    report_number: str = ""
    container: str = ""  # book title (book sections), website title (web pages), server (preprints)
    publisher: str = ""
    relation: tuple[str, str] = ("", "")  # (how, other work_id): ("erratum-of", "w012")
    notes: tuple[str, ...] = ()  # work-level truth notes
    searches: list[str] = field(default_factory=list)

    @property
    def abstract(self) -> str:
        """The abstract as plain text (labels dropped)."""
        return " ".join(body for _, body in self.sections)

    @property
    def journal_info(self) -> text.Journal | None:
        return JOURNALS.get(self.journal)

    @property
    def pages(self) -> str:
        if self.first_page and self.last_page:
            return f"{self.first_page}-{self.last_page}"
        return self.first_page


@dataclass(frozen=True)
class Hit:
    """One work as one search returns it; ``tags`` say how this copy differs."""

    search_id: str
    work: Work
    tags: tuple[str, ...] = ()

    def has(self, tag: str) -> bool:
        return tag in self.tags


@dataclass(frozen=True)
class Pool:
    """Every work and every hit, in a fixed order."""

    works: tuple[Work, ...]
    hits: dict[str, tuple[Hit, ...]]

    def work(self, work_id: str) -> Work:
        for work in self.works:
            if work.work_id == work_id:
                return work
        raise KeyError(work_id)


# --------------------------------------------------------------------------------------------
# Drawing works
# --------------------------------------------------------------------------------------------
_NEARMISS_WORKERS = {
    "foster": "foster carers", "school": "teachers", "adult_inpatient": "mental health nurses",
    "aged_care": "care home staff", "substance": "counsellors", "homeless": "hostel staff",
    "social_work": "social workers", "prison": "prison officers", "youth_justice": "case managers",
    "early_years": "early years practitioners", "paediatric": "paediatric nurses",
    "kinship_adoption": "adoptive parents", "supported_accommodation": "key workers",
    "emergency": "emergency nurses",
}  # fmt: skip
_NEARMISS_COUNTRIES = (
    "England", "England", "Scotland", "United States", "United States", "Australia", "Canada",
    "Ireland", "Sweden", "Netherlands", "New Zealand",
)  # fmt: skip
_IMPLICATIONS = "Implications for policy, practice and further research are discussed."
#: Generic sentences that lengthen a short abstract: (section, sentence).
_PADDING: tuple[tuple[str, str], ...] = (
    ("RESULTS", "Follow-up data were available for {pct_hi}% of the sample."),
    ("METHODS", "The study received ethical approval and all participants gave informed consent."),
    ("METHODS", "Data were collected between {y1} and {y2}."),
    (
        "METHODS",
        "Findings were discussed with an advisory group including people with lived experience.",
    ),
    (
        "CONCLUSIONS",
        "Limitations include reliance on self-report and the absence of a comparison group.",
    ),
    ("CONCLUSIONS", _IMPLICATIONS),
    ("RESULTS", "Sensitivity analyses gave similar results."),
)
_NEARMISS_PEOPLE = {
    "foster": "children", "school": "pupils", "adult_inpatient": "patients",
    "aged_care": "residents", "substance": "residents", "homeless": "young adults",
    "social_work": "families", "prison": "women in custody", "youth_justice": "young people",
    "early_years": "children", "paediatric": "children", "kinship_adoption": "children",
    "supported_accommodation": "young people", "emergency": "patients",
}  # fmt: skip
_ZOTERO_ALPHABET = "23456789ABCDEFGHIJKLMNPQRSTUVWXYZ"


class _Builder:
    """Draws the works; every random choice goes through one seeded generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.works: list[Work] = []
        self.titles: set[str] = set()
        self.dois: set[str] = set()

    # -- small draws --------------------------------------------------------------------------
    def next_id(self) -> str:
        return f"w{len(self.works) + 1:03d}"

    def year(self, low: int = 2003, high: int = 2026, *, recent: bool = True) -> int:
        years = list(range(low, high + 1))
        weights = [(y - low + 1) ** 1.3 if recent else 1.0 for y in years]
        return self.rng.choices(years, weights=weights)[0]

    def country(self) -> str:
        names = [c for c, _ in text.COUNTRY_WEIGHTS]
        weights = [w for _, w in text.COUNTRY_WEIGHTS]
        return self.rng.choices(names, weights=weights)[0]

    def person(self, country: str) -> Person:
        rng = self.rng
        if rng.random() < 0.06:
            family = rng.choice(text.DIACRITIC_FAMILY_NAMES)
            given = rng.choice(text.DIACRITIC_GIVEN_NAMES + text.GIVEN_NAMES[:10])
        else:
            family = rng.choice(text.FAMILY_NAMES)
            given = rng.choice(text.GIVEN_NAMES)
        middle = rng.choice("ABCDEFGHJKLMNPRSTW") if rng.random() < 0.35 else ""
        institutions = text.INSTITUTIONS.get(country, text.INSTITUTIONS["England"])
        return Person(family, given, middle, rng.choice(institutions))

    def people(self, country: str, low: int = 1, high: int = 6) -> tuple[Person, ...]:
        count = self.rng.randint(low, high)
        people: list[Person] = []
        while len(people) < count:
            person = self.person(country if self.rng.random() < 0.8 else self.country())
            if all(p.family != person.family for p in people):
                people.append(person)
        return tuple(people)

    def doi(self, stem: str, year: int) -> str:
        while True:
            doi = f"10.5555/{stem}.{year}.{self.rng.randint(100, 9999):04d}"
            if doi not in self.dois:
                self.dois.add(doi)
                return doi

    def slots(self, year: int) -> dict[str, object]:
        rng = self.rng
        lo = round(rng.uniform(2.2, 5.5), 1)
        y2 = max(2001, year - rng.randint(0, 2))
        return {
            "n_staff": rng.randint(12, 240), "n_mgr": rng.randint(3, 18),
            "n_homes": rng.randint(3, 48), "n_yp": rng.randint(24, 900),
            "n_studies": rng.randint(14, 85), "n_reports": rng.randint(40, 420),
            "months": rng.choice((6, 9, 12, 18, 24)), "days": rng.choice((1, 2, 3, 5)),
            "pct": rng.randint(12, 46), "pct2": rng.randint(8, 40), "pct_hi": rng.randint(55, 92),
            "lo": lo, "hi": round(lo + rng.uniform(0.4, 2.6), 1), "iss": rng.randint(16, 34),
            "d2": rng.randint(31, 78), "y1": y2 - rng.randint(2, 8), "y2": y2,
        }  # fmt: skip

    # -- text ---------------------------------------------------------------------------------
    def fill(self, template: str, values: dict[str, object]) -> str:
        return template.format_map(values)

    def cmos(self, theme: Theme, count: int) -> list[str]:
        """Up to ``count`` context-mechanism-outcome sentences, each with its own context."""
        rng = self.rng
        contexts = rng.sample(theme.contexts, min(count, len(theme.contexts)))
        return [
            f"{context}, {rng.choice(theme.mechanisms)}, {rng.choice(theme.outcomes)}."
            for context in contexts
        ]

    def sections(
        self, theme: Theme, values: dict[str, object], *, method: str, short: bool = False
    ) -> tuple[tuple[str, str], ...]:
        """Background, objective, methods, results, conclusions (about 120-300 words)."""
        rng = self.rng

        def fill(sentences: Iterable[str]) -> list[str]:
            return [self.fill(sentence, values) for sentence in sentences]

        n_background = min(len(theme.background), 1 if short else 2)
        findings = fill(rng.sample(theme.results, min(2, len(theme.results))))
        cmos = self.cmos(theme, 2 if short else 4)
        used = 1 if short or rng.random() < 0.5 else 2
        findings += cmos[:used]
        rng.shuffle(findings)
        parts: dict[str, list[str]] = {
            "BACKGROUND": fill(rng.sample(theme.background, n_background)),
            "OBJECTIVE": fill([rng.choice(theme.aims)]),
            "METHODS": [method],
            "RESULTS": findings,
            "CONCLUSIONS": fill([rng.choice(theme.conclusions)]),
        }
        more = [s for s in fill(theme.results) if s not in findings] + cmos[used:]
        padding = [
            (section, self.fill(sentence, values))
            for section, sentence in rng.sample(_PADDING, len(_PADDING))
        ]
        target = 100 if short else rng.randint(125, 230)
        while _words(parts) < target and (more or padding):
            if more:
                parts["RESULTS"].append(more.pop(0))
            else:
                section, sentence = padding.pop(0)
                parts[section].append(sentence)
        while _words(parts) > 300 and len(parts["RESULTS"]) > 1:
            parts["RESULTS"].pop()
        if any(sentence == _IMPLICATIONS for sentence in parts["CONCLUSIONS"]):
            parts["CONCLUSIONS"].remove(_IMPLICATIONS)
            parts["CONCLUSIONS"].append(_IMPLICATIONS)
        return tuple((label, " ".join(body)) for label, body in parts.items())

    def unique_title(self, candidates: Iterable[tuple[str, int]]) -> tuple[str, int]:
        """The first candidate title not used yet (case-insensitively), with its tag."""
        for title, tag in candidates:
            if title.lower() not in self.titles:
                self.titles.add(title.lower())
                return title, tag
        raise RuntimeError("ran out of distinct titles; add title templates")

    # -- journal placement ----------------------------------------------------------------------
    def place_in_journal(self, work: Work, journal_key: str) -> None:
        journal = JOURNALS[journal_key]
        rng = self.rng
        work.journal = journal_key
        work.volume = str(max(1, work.year - 2000 + rng.randint(5, 30)))
        work.issue = str(rng.randint(1, 12)) if rng.random() < 0.85 else ""
        work.first_page = work.last_page = ""
        if journal.publisher == "Elsevier" and work.year >= 2017:
            work.first_page = str(rng.randint(104001, 107999))
        elif journal.key in ("fpsyt", "bmjopen", "ejpt"):
            work.first_page = (
                str(rng.randint(1001, 9999))
                if journal.key != "bmjopen"
                else (f"e0{rng.randint(10000, 99999)}")
            )
            work.issue = ""
        else:
            start = rng.randint(1, 1800)
            work.first_page = str(start)
            work.last_page = str(start + rng.randint(6, 24))
        work.doi = self.doi(journal_key, work.year)

    # -- themed works -------------------------------------------------------------------------
    def themed(self, theme: Theme, *, year: int = 0, country: str = "") -> Work:
        """A work on ``theme`` (year and country drawn unless given), placed in a journal."""
        rng = self.rng
        if theme.category == "relevant":
            country = country or self.country()
            setting = text.SETTINGS[country]
            workers = setting.workers
        else:
            country = country or rng.choice(_NEARMISS_COUNTRIES)
            setting = text.SETTINGS["England"]
            workers = _NEARMISS_WORKERS.get(theme.key, "staff")
        year = year or self.year(recent=theme.category != "offtopic")
        values = self.slots(year)
        values.update(
            setting_long=setting.long,
            setting_short=setting.short,
            setting_secure=setting.secure,
            workers=workers,
            people=_NEARMISS_PEOPLE.get(theme.key, "young people"),
            country=country,
        )
        designs = [DESIGNS[key] for key in rng.sample(theme.designs, len(theme.designs))]
        design_titles = [d.title for d in designs] or rng.sample(
            text.OFFTOPIC_DESIGNS, len(text.OFFTOPIC_DESIGNS)
        )

        def titles() -> Iterable[tuple[str, int]]:
            for suffix in ("", f" in {country}"):
                for index, design_title in enumerate(design_titles):
                    for template in rng.sample(theme.titles, len(theme.titles)):
                        values.update(
                            design=design_title, Design=text.capitalise(design_title),
                            odesign=design_title, model=rng.choice(text.MODELS),
                        )  # fmt: skip
                        yield text.capitalise(self.fill(template, values)) + suffix, index

        title, index = self.unique_title(titles())
        design = designs[index] if designs else None
        method = self.fill(rng.choice(design.methods if design else theme.methods), values)
        sections = self.sections(theme, values, method=method)
        if country in text.US_SPELLING_COUNTRIES or (
            theme.category == "offtopic" and rng.random() < 0.5
        ):
            title = text.us_spelling(title)
            sections = tuple((label, text.us_spelling(body)) for label, body in sections)
        work_id = self.next_id()
        work = Work(
            work_id=work_id,
            study_id=study_of(work_id),
            kind=ARTICLE,
            relevant=theme.category == "relevant",
            theme=theme.key,
            title=title,
            sections=sections,
            authors=self.people(country),
            year=year,
            month=rng.randint(1, 12),
            day=rng.randint(1, 28),
            country=country,
            keywords=tuple(rng.sample(theme.keywords, min(len(theme.keywords), 5))),
            mesh=theme.mesh,
            psyc_terms=theme.psyc_terms,
            publication_types=_publication_types(design.publication_type if design else ""),
            structured=rng.random() < 0.4,
        )
        self.place_in_journal(work, rng.choice(theme.journals))
        self.works.append(work)
        return work

    def add(self, work: Work) -> Work:
        self.works.append(work)
        return work


def study_of(work_id: str) -> str:
    """The study id of a work that is its own study: ``w012`` -> ``s012``."""
    return "s" + work_id[1:]


def _publication_types(design_type: str) -> tuple[str, ...]:
    if design_type in ("", "Journal Article"):
        return ("Journal Article",)
    return ("Journal Article", design_type)


def _words(parts: dict[str, list[str]]) -> int:
    return sum(len(sentence.split()) for body in parts.values() for sentence in body)


# --------------------------------------------------------------------------------------------
# The special cases dedup and screening must get right
# --------------------------------------------------------------------------------------------
def _special_cases(b: _Builder, themes: dict[str, Theme]) -> None:
    rng = b.rng
    relevant = [w for w in b.works if w.relevant and w.kind == ARTICLE]

    def pick(fits: Callable[[Work], bool]) -> Work:
        for work in relevant:
            if not work.notes and fits(work):
                return work
        raise RuntimeError("no work fits a special case; change the seed or the counts")

    def notice(
        base: Work,
        kind: str,
        title: str,
        authors: tuple[Person, ...],
        year: int,
        month: int,
        types: tuple[str, ...],
        relation: tuple[str, str],
    ) -> Work:
        work = Work(
            work_id=b.next_id(),
            study_id="",
            kind=kind,
            relevant=False,
            theme=base.theme,
            title=title,
            sections=(),
            authors=authors,
            year=year,
            month=month,
            day=rng.randint(1, 28),
            country=base.country,
            publication_types=types,
            relation=relation,
        )
        work.study_id = study_of(work.work_id)
        b.place_in_journal(work, base.journal)
        work.last_page = ""
        return b.add(work)

    # 1. A PubMed-style erratum notice: no authors, no abstract, its own DOI and PMID.
    base = pick(
        lambda w: (
            JOURNALS[w.journal].in_pubmed and not JOURNALS[w.journal].springer and w.year < YEAR_TO
        )
    )
    base.notes = ("has-erratum",)
    notice(
        base,
        ERRATUM,
        f"Erratum: {base.title}",
        (),
        base.year + 1,
        2,
        ("Published Erratum",),
        ("erratum-of", base.work_id),
    )

    # 2. A Springer-style "Correction to:" notice: same authors, journal and volume.
    base = pick(lambda w: JOURNALS[w.journal].in_pubmed and w.year < YEAR_TO)
    if not JOURNALS[base.journal].springer:
        b.place_in_journal(base, "jcat")
    base.notes = ("has-correction",)
    correction = notice(
        base,
        ERRATUM,
        f"Correction to: {base.title}",
        base.authors,
        base.year,
        min(12, base.month + 2),
        ("Published Erratum",),
        ("erratum-of", base.work_id),
    )
    correction.volume = base.volume

    # 3-4. Preprints of two published studies (earlier year, other title wording, other DOI).
    for server in ("PsyArXiv", "SocArXiv"):
        base = pick(lambda w: ":" in w.title and w.year >= 2018)
        base.notes = ("has-preprint",)
        preprint = Work(
            work_id=b.next_id(),
            study_id=base.study_id,
            kind=PREPRINT,
            relevant=True,
            theme=base.theme,
            title=base.title.split(":")[0] + ": preliminary findings",
            sections=_preprint_sections(base.sections),
            authors=base.authors,
            year=base.year - 1,
            month=rng.randint(1, 12),
            day=rng.randint(1, 28),
            country=base.country,
            publication_types=("Preprint",),
            container=server,
            keywords=base.keywords,
            relation=("preprint-of", base.work_id),
        )
        stem = server.lower()
        preprint.doi = f"10.5555/{stem}.{rng.randint(10000, 99999)}"
        preprint.url = f"{DEMO_WEB}/preprints/{stem}/{rng.randint(10000, 99999)}"
        b.add(preprint)

    # 5-6. Conference abstracts of two published studies (supplement pages, shorter abstract).
    for journal_key, supplement, page in (("jaacap", "10 Suppl", "S"), ("adc", "Suppl 2", "A")):
        base = pick(lambda w: w.year >= 2016)
        base.notes = ("has-conference-abstract",)
        abstract = Work(
            work_id=b.next_id(),
            study_id=base.study_id,
            kind=CONFERENCE,
            relevant=True,
            theme=base.theme,
            title=base.title if journal_key == "adc" else base.title.split(":")[0],
            sections=_conference_sections(base),
            authors=base.authors[:3],
            year=base.year - 1,
            month=10,
            day=1,
            country=base.country,
            publication_types=("Congress",),
            relation=("conference-abstract-of", base.work_id),
        )
        b.place_in_journal(abstract, journal_key)
        abstract.issue, abstract.last_page = supplement, ""
        abstract.first_page = f"{page}{rng.randint(120, 380)}"
        b.add(abstract)

    # 7. The same conference-abstract title in two years (different records, one study).
    theme = themes["models"]
    authors = b.people("England", 3, 4)
    first: Work | None = None
    for year in (2019, 2021):
        work = b.themed(theme, year=year, country="England")
        work.kind, work.publication_types, work.authors = CONFERENCE, ("Congress",), authors
        work.title = (
            "Embedding trauma-informed practice across a group of children's homes: lessons learned"
        )
        work.sections = tuple(("", body) for _, body in work.sections[1:4])
        b.place_in_journal(work, "jaacap")
        work.month, work.issue, work.last_page = 10, "10 Suppl", ""
        work.first_page = f"S{rng.randint(120, 380)}"
        if first is None:
            first = work
        else:
            work.study_id = first.study_id
            work.relation = ("same-title-other-year", first.work_id)

    # 8-9. Two pairs of different studies with (nearly) the same title: never merge these.
    pairs = (
        (
            "training",
            "Trauma-informed care training for residential child care staff: a mixed-methods "
            "evaluation",
            "Trauma-informed care training for residential child care staff: a mixed-methods "
            "evaluation",
            ("cysr", 2016),
            ("rtcy", 2022),
        ),
        (
            "burnout",
            "Staff burnout in secure children's homes in England: a national survey",
            "Staff burnout in open children's homes in England: a national survey",
            ("hscc", 2020),
            ("cfsw", 2023),
        ),
    )
    for theme_key, title_a, title_b, (journal_a, year_a), (journal_b, year_b) in pairs:
        made = []
        for title, journal_key, year in (
            (title_a, journal_a, year_a),
            (title_b, journal_b, year_b),
        ):
            work = b.themed(themes[theme_key], year=year, country="England")
            work.title = title
            b.place_in_journal(work, journal_key)
            made.append(work)
        made[0].notes = ("similar-title-to:" + made[1].work_id,)
        made[1].notes = ("similar-title-to:" + made[0].work_id,)

    # 10. A two-part series: same authors, journal, year and issue; two reports of one study.
    authors = b.people("England", 2, 3)
    parts = []
    for part, subtitle in ((1, "the registered manager's role"), (2, "the provider's role")):
        work = b.themed(themes["organisation"], year=2021, country="England")
        work.title = f"Trauma-informed leadership in children's homes. Part {part}: {subtitle}"
        work.authors = authors
        b.place_in_journal(work, "bjsw")
        parts.append(work)
    one, two = parts
    two.volume, two.issue = one.volume, one.issue
    two.first_page = str(int(one.last_page or one.first_page) + 1)
    two.last_page = str(int(two.first_page) + 17)
    two.study_id = one.study_id
    one.notes, two.notes = ("series-part-1",), ("series-part-2",)
    two.relation = ("series-part-of", one.work_id)

    # 11. A comment on an article and the authors' reply (letters: no abstracts).
    base = pick(lambda w: JOURNALS[w.journal].in_pubmed and w.year <= 2024)
    base.notes = ("has-comment",)
    stripped = base.title.rstrip(".")
    comment = notice(
        base,
        COMMENT,
        f"Comment on: {stripped}",
        b.people("England", 1, 2),
        base.year + 1,
        3,
        ("Letter", "Comment"),
        ("comment-on", base.work_id),
    )
    notice(
        base,
        REPLY,
        f"Response to comment on: {stripped}",
        base.authors[:2],
        base.year + 1,
        6,
        ("Letter", "Comment"),
        ("reply-to", comment.work_id),
    )


def _preprint_sections(sections: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """A preprint's abstract: the article's, unlabelled, with the last findings sentence cut."""
    out = []
    for label, body in sections:
        if label == "RESULTS" and ". " in body:
            body = body.rsplit(". ", 1)[0] + "."
        out.append(("", body))
    return tuple(out)


def _conference_sections(base: Work) -> tuple[tuple[str, str], ...]:
    """A conference abstract: the study's aims, methods and first findings, unlabelled."""
    keep = [body for label, body in base.sections if label != "BACKGROUND"][:3]
    return (
        *(("", body) for body in keep),
        ("", "Final results will be presented at the meeting."),
    )


# --------------------------------------------------------------------------------------------
# Grey literature (the Zotero collection) and the export's extras
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GreySpec:
    kind: str
    title: str
    organisation: str
    theme: str
    relevant: bool
    year: int
    people: int = 0


GREY: tuple[GreySpec, ...] = (
    GreySpec(
        REPORT,
        "Trauma-informed practice in children's homes: research report",
        "Department for Education",
        "organisation",
        True,
        2022,
        3,
    ),
    GreySpec(
        REPORT,
        "How children's homes support children who have experienced trauma: a thematic review",
        "Ofsted",
        "inspection",
        True,
        2023,
    ),
    GreySpec(
        REPORT,
        "Workforce, wellbeing and trauma-informed practice: children's homes sector survey 2024",
        "Children's Homes Association",
        "burnout",
        True,
        2024,
    ),
    GreySpec(
        REPORT,
        "Supporting staff who care for traumatised children in residential settings: learning "
        "from case reviews",
        "NSPCC",
        "supervision",
        True,
        2021,
        2,
    ),
    GreySpec(
        WEBPAGE,
        "Trauma-informed supervision in residential child care: practice tool",
        "Research in Practice",
        "supervision",
        True,
        2022,
    ),
    GreySpec(
        REPORT,
        "Listening to young people in children's homes about what keeps them safe",
        "National Children's Bureau",
        "voice",
        True,
        2020,
        2,
    ),
    GreySpec(
        DOCUMENT,
        "Restraint and single separation in secure children's homes: a briefing",
        "Children's Commissioner for England",
        "secure",
        True,
        2024,
    ),
    GreySpec(
        REPORT,
        "Implementing trauma-informed approaches in residential child care: evaluation of a "
        "regional programme",
        "Social Care Institute for Excellence",
        "models",
        True,
        2019,
        3,
    ),
    GreySpec(
        WEBPAGE,
        "Trauma-informed practice in residential child care: key messages for practitioners",
        "CELCIS",
        "practice",
        True,
        2021,
    ),
    GreySpec(
        REPORT,
        "Commissioning trauma-informed residential care: a guide for local authorities",
        "Local Government Association",
        "organisation",
        True,
        2023,
    ),
    GreySpec(
        BOOK_SECTION,
        "Trauma-informed leadership in children's homes",
        "",
        "organisation",
        True,
        2020,
        2,
    ),
    GreySpec(
        REPORT,
        "SECURE STAIRS in practice: integrated trauma-informed care in secure children's homes",
        "NHS England",
        "secure",
        True,
        2021,
        3,
    ),
    GreySpec(
        WEBPAGE,
        "What inspectors look for: trauma-informed care in children's homes",
        "Ofsted",
        "inspection",
        True,
        2024,
    ),
    GreySpec(
        REPORT,
        "Evaluation of trauma-informed practice training for children's homes staff in Wales",
        "Welsh Government",
        "training",
        True,
        2022,
        3,
    ),
    GreySpec(
        REPORT,
        "Reducing restrictive practice in children's homes: what providers told us",
        "Children's Homes Association",
        "restraint",
        True,
        2025,
    ),
    GreySpec(
        REPORT,
        "Trauma-informed support for foster carers: survey findings",
        "The Fostering Network",
        "foster",
        False,
        2021,
    ),
    GreySpec(
        DOCUMENT,
        "Children looked after in England: national statistics release",
        "Department for Education",
        "placement",
        False,
        2024,
    ),
    GreySpec(WEBPAGE, "Trauma-informed practice in schools", "NSPCC", "school", False, 2023),
    GreySpec(
        REPORT,
        "Supported accommodation for 16 and 17 year olds: early findings from inspections",
        "Ofsted",
        "supported_accommodation",
        False,
        2025,
    ),
    GreySpec(
        REPORT,
        "Virtual school heads and the education of looked after children: a review of practice",
        "Department for Education",
        "school",
        False,
        2020,
    ),
    GreySpec(
        REPORT,
        "Trauma-informed practice in youth offending teams: a practice review",
        "Youth Justice Board",
        "youth_justice",
        False,
        2022,
    ),
    GreySpec(
        REPORT,
        "Moving on from care: care leavers' experiences of trauma and support",
        "Care Leavers' Association",
        "homeless",
        False,
        2019,
    ),
    GreySpec(
        REPORT,
        "Residential child care staffing and training: a national review",
        "Department of Health",
        "training",
        False,
        1998,
    ),
)

#: Every URL of the demo points at example.org: nothing here is a real web page.
DEMO_WEB = "https://demo.example.org"


def _slug(value: str) -> str:
    keep = "".join(ch.lower() if ch.isalnum() else "-" for ch in value)
    return "-".join(part for part in keep.split("-") if part)[:60]


def _grey(b: _Builder, themes: dict[str, Theme]) -> None:
    rng = b.rng
    for spec in GREY:
        theme = themes[spec.theme]
        values = b.slots(spec.year)
        setting = text.SETTINGS["Wales" if "Wales" in spec.title else "England"]
        values.update(
            setting_long=setting.long, setting_short=setting.short, setting_secure=setting.secure,
            workers=_NEARMISS_WORKERS.get(theme.key, setting.workers),
            people=_NEARMISS_PEOPLE.get(theme.key, "young people"), country="England",
            design="", Design="", odesign="", model="Sanctuary Model",
        )  # fmt: skip
        design = DESIGNS[rng.choice(theme.designs or ("survey",))]
        method = b.fill(design.methods[0], values)
        short = spec.kind == WEBPAGE
        sections = tuple(
            ("", body) for _, body in b.sections(theme, values, method=method, short=short)
        )
        work_id = b.next_id()
        work = Work(
            work_id=work_id, study_id=study_of(work_id), kind=spec.kind, relevant=spec.relevant,
            theme=spec.theme, title=spec.title, sections=sections,
            authors=b.people("England", 1, spec.people) if spec.people else (),
            year=spec.year, month=rng.randint(1, 12), day=rng.randint(1, 28), country="England",
            corporate_author=spec.organisation, institution=spec.organisation,
            place="London" if spec.organisation not in ("Welsh Government", "CELCIS") else (
                "Cardiff" if spec.organisation == "Welsh Government" else "Glasgow"
            ),
            keywords=theme.keywords[:4], publication_types=(spec.kind,),
            notes=((OUT_OF_LIMITS_YEAR,) if spec.year < YEAR_FROM else ()),
        )  # fmt: skip
        b.titles.add(spec.title.lower())
        work.url = f"{DEMO_WEB}/{_slug(spec.organisation)}/{_slug(spec.title)}"
        if spec.kind == REPORT:
            work.report_number = (
                f"{_initialism(spec.organisation)}-{spec.year}-{rng.randint(1, 40):02d}"
            )
        if spec.kind == WEBPAGE:
            work.container = spec.organisation
        if spec.kind == BOOK_SECTION:
            work.container = "Residential Child Care in England: Contemporary Perspectives"
            work.publisher = "Meadowbank Press"
            work.place = "Bristol"
            work.first_page, work.last_page = "117", "139"
            work.corporate_author, work.institution = "", ""
        if spec.organisation in ("Social Care Institute for Excellence", "NHS England"):
            stem = _initialism(spec.organisation).lower()
            work.doi = f"10.5555/{stem}.{spec.year}.{rng.randint(10, 99)}"
        b.add(work)


def _initialism(name: str) -> str:
    return "".join(word[0] for word in name.replace("'", "").split() if word[0].isupper())


def _export_extras(b: _Builder, themes: dict[str, Theme]) -> list[Work]:
    """Records only the PsycINFO export has: theses, old and non-English records."""
    extras: list[Work] = []
    for theme_key, year, title in (
        (
            "training",
            1997,
            "Training needs of residential child care staff caring for abused children",
        ),
        (
            "restraint",
            1999,
            "Physical restraint in children's homes: staff and young people's views",
        ),
    ):
        work = b.themed(themes[theme_key], year=year, country="England")
        work.title, work.relevant, work.notes = title, False, (OUT_OF_LIMITS_YEAR,)
        b.place_in_journal(work, "bjsw")
        extras.append(work)
    german = b.themed(themes["practice"], country="Germany")
    german.title = "Traumapädagogik in der stationären Jugendhilfe: eine qualitative Studie"
    german.language, german.relevant, german.notes = "ger", False, (NON_ENGLISH,)
    institution = text.INSTITUTIONS["Germany"][0]
    german.authors = (
        Person("Krüger", "Anna", "", institution),
        Person("Hoffmann", "Jonas", "M", institution),
        Person("Weiß", "Lena", "", institution),
    )
    b.place_in_journal(german, "cysr")
    german.doi = ""
    extras.append(german)
    for theme_key in ("models", "foster"):
        work = b.themed(themes[theme_key], country="United States")
        work.kind, work.publication_types = THESIS, ("Dissertation",)
        work.journal = work.volume = work.issue = work.first_page = work.last_page = ""
        work.doi = ""
        work.publisher = "ProQuest Information & Learning"
        work.container = "Dissertation Abstracts International: Section B"
        work.authors = work.authors[:1]
        extras.append(work)
    return extras


# --------------------------------------------------------------------------------------------
# Identifiers
# --------------------------------------------------------------------------------------------
def _assign_ids(b: _Builder) -> None:
    rng = b.rng
    by_date = sorted(b.works, key=lambda w: (w.year, w.month, w.day, w.work_id))
    pmid = 99_000_000
    for work in by_date:
        journal = work.journal_info
        if (
            journal is not None
            and journal.in_pubmed
            and work.kind not in (CONFERENCE, PREPRINT, THESIS)
            and work.year >= YEAR_FROM
            and work.language == "eng"
        ):
            pmid += rng.randint(3, 41)
            work.pmid = str(pmid)
            if rng.random() < 0.25 and work.kind == ARTICLE:
                work.pmcid = f"PMC99{rng.randint(100000, 999999)}"
    openalex = 9_900_000_000
    for work in b.works:
        openalex += rng.randint(7, 5000)
        work.openalex_id = f"W{openalex}"
        if work.kind == PREPRINT:
            work.ppr_id = f"PPR99{rng.randint(100000, 999999)}"
        year = work.year
        work.psycinfo_an = f"{year}-99{rng.randint(100, 999)}-{rng.randint(1, 20):03d}"
        work.zotero_key = "".join(rng.choice(_ZOTERO_ALPHABET) for _ in range(8))


# --------------------------------------------------------------------------------------------
# Which search finds which work, and how
# --------------------------------------------------------------------------------------------
_P_SOURCE = {
    # category: (pubmed, europepmc, openalex, crossref, psycinfo)
    "relevant": (0.95, 0.9, 0.45, 0.12, 0.75),
    "nearmiss": (0.9, 0.8, 0.22, 0.06, 0.35),
    "offtopic": (0.35, 0.5, 0.4, 0.12, 0.1),
}


def _category(work: Work, themes: dict[str, Theme]) -> str:
    return themes[work.theme].category if work.theme in themes else "nearmiss"


def _eligible(work: Work, search_id: str) -> bool:
    journal = work.journal_info
    if search_id == PUBMED:
        return bool(work.pmid)
    if search_id == EUROPEPMC:
        return bool(work.pmid) or work.kind == PREPRINT
    if search_id == OPENALEX:
        return (
            work.kind not in (THESIS, WEBPAGE, DOCUMENT)
            and (work.kind not in GREY_KINDS or bool(work.doi))
            and work.language == "eng"
            and work.year >= YEAR_FROM
        )
    if search_id == CROSSREF:
        return bool(work.doi) and work.year >= YEAR_FROM and work.language == "eng"
    if search_id == RIS:
        return work.kind == THESIS or (
            journal is not None and journal.in_psycinfo and work.kind == ARTICLE
        )
    return work.kind in GREY_KINDS


#: Searches each special case appears in (the rest are drawn at random).
_FORCED: dict[str, tuple[str, ...]] = {
    ERRATUM: (PUBMED, EUROPEPMC, OPENALEX, CROSSREF),
    PREPRINT: (EUROPEPMC, OPENALEX, CROSSREF),
    CONFERENCE: (OPENALEX, CROSSREF),
    COMMENT: (PUBMED, EUROPEPMC, CROSSREF),
    REPLY: (PUBMED, OPENALEX),
}


def _assign_searches(b: _Builder, themes: dict[str, Theme], extras: list[Work]) -> None:
    rng = b.rng
    extra_ids = {w.work_id for w in extras}
    for work in b.works:
        if work.work_id in extra_ids:
            work.searches = [RIS]
            continue
        if work.kind in GREY_KINDS:
            work.searches = [ZOTERO]
            if work.doi and rng.random() < 0.9:
                work.searches.append(OPENALEX)
            continue
        if work.kind in _FORCED:
            work.searches = [s for s in _FORCED[work.kind] if _eligible(work, s)]
            if work.kind == PREPRINT and work.container != "PsyArXiv":
                work.searches.remove(CROSSREF)
            continue
        probabilities = _P_SOURCE[_category(work, themes)]
        chosen = [
            search_id
            for search_id, p in zip(
                (PUBMED, EUROPEPMC, OPENALEX, CROSSREF, RIS), probabilities, strict=True
            )
            if _eligible(work, search_id) and rng.random() < p
        ]
        if not chosen:
            chosen = [OPENALEX] if rng.random() < 0.6 or not _eligible(work, RIS) else [RIS]
        work.searches = chosen
    # Works with notes (the special cases) are found by several searches.
    for work in b.works:
        if any(n.startswith(("similar-title", "series-part", "has-")) for n in work.notes):
            for search_id in (OPENALEX, RIS, PUBMED, EUROPEPMC):
                if _eligible(work, search_id) and search_id not in work.searches:
                    work.searches.append(search_id)
    # Two journal articles were also added to the Zotero collection by hand.
    hand_added = [
        w
        for w in b.works
        if w.relevant and w.kind == ARTICLE and w.doi and len(w.searches) >= 2 and not w.notes
    ][:2]
    for work in hand_added:
        work.searches.append(ZOTERO)
        work.notes = ("added-by-hand",)
    for work in b.works:
        work.searches = [s for s in SEARCH_IDS if s in work.searches]


def _draw_tags(rng: random.Random, work: Work, search_id: str, others: int) -> list[str]:
    """Variant tags for one hit; ``others`` = how many other searches found the work."""
    tags: list[str] = []

    def maybe(tag: str, p: float, ok: bool = True) -> None:
        if ok and rng.random() < p:
            tags.append(tag)

    has_doi = bool(work.doi)
    apostrophe = "'" in work.title or "&" in work.title
    hyphen = "-" in work.title
    diacritics = any(
        text.strip_diacritics(p.family + p.given) != p.family + p.given for p in work.authors
    )
    has_abstract = bool(work.sections)
    if search_id in (PUBMED, EUROPEPMC) and work.pmid and not work.title.endswith(("?", "!")):
        tags.append(TITLE_PERIOD)
    if search_id == PUBMED:
        maybe(AUTHOR_INITIALS, 0.12 if work.year >= 2010 else 0.6, bool(work.authors))
        maybe(DOI_MISSING, 0.5 if work.year < 2010 else 0.06, has_doi)
    elif search_id == EUROPEPMC:
        maybe(DOI_MISSING, 0.04, has_doi and work.kind != PREPRINT)
    elif search_id == OPENALEX:
        maybe(TITLE_CASE, 0.25)
        maybe(HTML_ENTITY, 0.35, apostrophe)
        maybe(CURLY_APOSTROPHE, 0.25, "'" in work.title and HTML_ENTITY not in tags)
        maybe(DOI_MISSING, 0.07, has_doi and work.kind not in GREY_KINDS)
        maybe(ABSTRACT_MISSING, 0.2, has_abstract)
        maybe(ABSTRACT_TRUNCATED, 0.1, has_abstract and ABSTRACT_MISSING not in tags)
        maybe(YEAR_ONLINE_FIRST, 0.12, work.month <= 3 and work.kind == ARTICLE)
        maybe(AUTHOR_INITIALS, 0.08, bool(work.authors))
    elif search_id == CROSSREF:
        maybe(TITLE_CASE, 0.4)
        maybe(HTML_ENTITY, 0.4, apostrophe)
        maybe(ABSTRACT_MISSING, 0.45, has_abstract)
        maybe(ABSTRACT_TRUNCATED, 0.2, has_abstract and ABSTRACT_MISSING not in tags)
        maybe(AUTHOR_INITIALS, 0.15, bool(work.authors))
        maybe(YEAR_ONLINE_FIRST, 0.15, work.month <= 3 and work.kind == ARTICLE)
    elif search_id == RIS:
        tags.append(TITLE_PERIOD)
        maybe(
            US_SPELLING,
            0.7,
            text.us_spelling(work.title + work.abstract) != work.title + work.abstract,
        )
        maybe(TITLE_UNHYPHENATED, 0.12, hyphen)
        maybe(DOI_MISSING, 0.15, has_doi)
        maybe(AUTHOR_INITIALS, 0.3, bool(work.authors))
        if diacritics:
            tags.append(DIACRITICS_STRIPPED)
    elif search_id == ZOTERO:
        maybe(TITLE_UNHYPHENATED, 0.2, hyphen)
        maybe(DOI_MISSING, 0.5 if work.kind == ARTICLE else 0.8, has_doi)
        maybe(ABSTRACT_TRUNCATED, 0.25 if others else 0.1, has_abstract)
    return tags


#: Each tag shows up at least this often among works found by two or more searches.
_MIN_TAG_COUNT = 5
_TAG_SOURCES = {
    DOI_MISSING: (RIS, OPENALEX, PUBMED),
    TITLE_CASE: (CROSSREF, OPENALEX),
    TITLE_UNHYPHENATED: (RIS, ZOTERO),
    US_SPELLING: (RIS,),
    HTML_ENTITY: (CROSSREF, OPENALEX),
    CURLY_APOSTROPHE: (OPENALEX,),
    AUTHOR_INITIALS: (RIS, PUBMED, CROSSREF),
    ABSTRACT_TRUNCATED: (OPENALEX, CROSSREF),
    ABSTRACT_MISSING: (OPENALEX, CROSSREF),
    YEAR_ONLINE_FIRST: (OPENALEX, CROSSREF),
}


def _hits(b: _Builder) -> dict[str, tuple[Hit, ...]]:
    rng = b.rng
    tags: dict[tuple[str, str], list[str]] = {}
    for work in b.works:
        for search_id in work.searches:
            tags[(work.work_id, search_id)] = _draw_tags(
                rng, work, search_id, len(work.searches) - 1
            )
    # Guarantee every kind of variant among duplicated works (the dedup tests rely on it).
    multi = [w for w in b.works if len(w.searches) >= 2]
    for tag, sources in _TAG_SOURCES.items():
        count = sum(1 for w in multi for s in w.searches if tag in tags[(w.work_id, s)])
        for work in multi:
            if count >= _MIN_TAG_COUNT:
                break
            for search_id in sources:
                if search_id not in work.searches or tag in tags[(work.work_id, search_id)]:
                    continue
                if not _tag_applies(work, tag):
                    continue
                tags[(work.work_id, search_id)].append(tag)
                count += 1
                break
    hits: dict[str, list[Hit]] = {s: [] for s in SEARCH_IDS}
    for work in b.works:
        for search_id in work.searches:
            hits[search_id].append(Hit(search_id, work, tuple(tags[(work.work_id, search_id)])))
    return {s: tuple(h) for s, h in hits.items()}


def _tag_applies(work: Work, tag: str) -> bool:
    if tag == DOI_MISSING:
        return bool(work.doi)
    if tag in (ABSTRACT_TRUNCATED, ABSTRACT_MISSING):
        return bool(work.sections)
    if tag == HTML_ENTITY:
        return "'" in work.title or "&" in work.title
    if tag == CURLY_APOSTROPHE:
        return "'" in work.title
    if tag == TITLE_UNHYPHENATED:
        return "-" in work.title
    if tag == US_SPELLING:
        return text.us_spelling(work.title + work.abstract) != work.title + work.abstract
    if tag == AUTHOR_INITIALS:
        return bool(work.authors)
    if tag == YEAR_ONLINE_FIRST:
        return work.kind == ARTICLE
    return True


def build_pool(seed: int = SEED) -> Pool:
    """Draw the demo's works and hits. The same seed always gives the same pool."""
    b = _Builder(seed)
    themes = {theme.key: theme for theme in THEMES}
    for theme in THEMES:
        for _ in range(theme.count):
            b.themed(theme)
    _special_cases(b, themes)
    _grey(b, themes)
    extras = _export_extras(b, themes)
    for work in b.works:  # nothing is published after the searches ran (2 November 2026)
        if work.year >= YEAR_TO:
            work.year, work.month = YEAR_TO, min(work.month, 10)
    _assign_ids(b)
    _assign_searches(b, themes, extras)
    hits = _hits(b)
    return Pool(works=tuple(b.works), hits=hits)
