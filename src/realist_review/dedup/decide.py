"""Deciding pairs: explicit rules, applied to whole arrays of pair scores.

Every pair gets exactly one outcome and the name of the rule that gave it:

* **different** (a cannot-link: clustering will never put the two in one group), when a fact
  rules a duplicate out: different DOIs (unless title, every author, journal, year, volume,
  issue and pages agree exactly: ``same_but_doi``, a legacy and a current DOI, a DOI typo or a
  supplement's DOI) or PMIDs; an erratum, comment/reply or retraction notice against an
  article; different parts of a series; a recurring section title ("Editor's comments",
  "Reply", "Book reviews") in another year, volume, issue or page; different numbers in the
  titles; the same conference abstract title in different years; publication years two or
  more apart; the same title with different authors; the same authors, journal, volume and
  first page under clearly different titles (``titles_differ_same_place``, an indexing error);
* **same** (a link), when an identifier agrees (DOI, PMID) and the titles do not contradict it,
  or when title, authors, year and at least one bibliographic detail agree (``fuzzy_title``;
  for a recurring section title the detail must be the first page, or the volume and issue:
  the journal alone is not enough), or when authors, year, journal, volume and first page
  agree and the titles are alike or one may be a translation (``bibliographic``);
* **study** (a conference abstract and an article, a preprint and a publication, one abstract
  printed in two meetings' supplements, a technical report and its revision, a demo or poster
  abstract and the full paper): not the same record, though possibly reports of one study;
  whether their groups share a ``study_id`` is decided by the study rules of :mod:`.study`,
  on all scored pairs. Two such reports never share a group, not even through a third
  record (they are not *compatible*, see :class:`Decisions`);
* **none**: nothing links them. Pairs close to a threshold are also flagged *borderline* for
  the review sheet, as are pairs whose titles differ but whose authors (three or more),
  journal and year agree with nothing contradicting (a title renamed between databases).

A record of letters printed together (Embase's ``<title> (multiple letters)``) stands for the
letter and the replies printed with it; it is linked as usual with the letter's records, and
(``letters_compilation``) with each record of a reply that lies within its pages; clustering
then joins them into one group (:mod:`.cluster`). Without such a record, a letter and its
reply stay apart (``kind_differs``).

Rules are checked in order; the first that applies decides, so a cannot-link always wins.
Thresholds come from :class:`DecideSettings` (the ``dedup:`` section of the config).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import numpy.typing as npt

from realist_review.dedup.score import PairScores

BoolArray = npt.NDArray[np.bool_]


class Outcome(IntEnum):
    """What a rule says about a pair."""

    NONE = 0
    SAME = 1
    DIFFERENT = 2
    STUDY = 3


#: Rule names in the order they are checked; the index is stored per pair.
RULES: tuple[tuple[str, Outcome, str], ...] = (
    ("none", Outcome.NONE, "no rule linked the pair"),
    ("preprint_of", Outcome.STUDY, "a preprint and a published version of one study"),
    (
        "same_but_doi",
        Outcome.SAME,
        "different DOIs (a legacy and a current DOI, a typo, a supplement's DOI) but title, "
        "every author, journal, year, volume, issue and pages agree exactly",
    ),
    (
        "doi_differs",
        Outcome.DIFFERENT,
        "both have a DOI and the DOIs differ (not all of title, authors, journal, year, volume, "
        "issue and pages agree exactly)",
    ),
    ("pmid_differs", Outcome.DIFFERENT, "both have a PMID and the PMIDs differ"),
    (
        "letters_compilation",
        Outcome.SAME,
        "one record of letters printed together ('(multiple letters)', Embase) and a reply "
        "within its pages: one item",
    ),
    ("kind_differs", Outcome.DIFFERENT, "erratum, comment/reply or retraction vs another kind"),
    ("series_part_differs", Outcome.DIFFERENT, "titles name different parts of a series"),
    ("doi_equal", Outcome.SAME, "same DOI, titles agree"),
    ("pmid_equal", Outcome.SAME, "same PMID, titles agree"),
    (
        "generic_title_elsewhere",
        Outcome.DIFFERENT,
        "a recurring section title (editorial, reply, erratum...) in another year, volume, "
        "issue or page",
    ),
    (
        "abstract_reprinted",
        Outcome.STUDY,
        "one early report (abstract, supplement item) printed in two places: two reports",
    ),
    (
        "report_version",
        Outcome.STUDY,
        "a technical report or working paper and another version of it: two reports",
    ),
    (
        "marked_abstract_of",
        Outcome.STUDY,
        "an abstract, demo or poster (so titled) and the full paper: two reports",
    ),
    ("conference_years_differ", Outcome.DIFFERENT, "same conference abstract, different years"),
    ("years_differ", Outcome.DIFFERENT, "publication years two or more apart"),
    ("title_numbers_differ", Outcome.DIFFERENT, "the titles contain different numbers"),
    ("authors_differ", Outcome.DIFFERENT, "similar titles but different authors"),
    ("fuzzy_title", Outcome.SAME, "title, authors, year and a bibliographic detail agree"),
    ("bibliographic", Outcome.SAME, "authors, year, journal, volume and first page agree"),
    (
        "titles_differ_same_place",
        Outcome.DIFFERENT,
        "authors, journal, volume and first page agree but the titles are clearly different",
    ),
    ("abstract_of", Outcome.STUDY, "a conference abstract and an article of one study"),
)
RULE_NAMES: tuple[str, ...] = tuple(name for name, _, _ in RULES)
RULE_OUTCOME = np.array([int(outcome) for _, outcome, _ in RULES], dtype=np.int8)
RULE_INDEX = {name: index for index, name in enumerate(RULE_NAMES)}


@dataclass(frozen=True)
class DecideSettings:
    """Thresholds of the rules (similarities in [0, 1])."""

    #: minimum title similarity for a fuzzy match
    title: float = 0.95
    #: minimum author similarity for a fuzzy match (when both have authors)
    authors: float = 0.75
    #: below both of these, authors count as different (with similar titles)
    authors_different: float = 0.5
    first_author_different: float = 0.7
    #: minimum journal similarity counted as agreeing
    journal: float = 0.8
    #: titles at least this similar, with an identifier agreeing, link the pair
    title_with_identifier: float = 0.6
    #: title similarity from which a not-linked pair goes to the review sheet
    borderline_title: float = 0.85
    #: title similarity from which a pair with the same authors (three or more), journal and
    #: year and no contradicting volume or pages goes to the review sheet (a renamed title)
    renamed_title: float = 0.6
    #: years further apart than this are different works (with no identifier agreeing)
    max_year_gap: int = 1
    #: first pages further apart than this contradict a match (else a typo or format issue)
    max_page_gap: int = 10
    #: title similarity for two reports of one study (abstract/article, preprint/article)
    study_title: float = 0.9
    #: reports of one study are at most this many years apart (see :mod:`.study`)
    study_max_year_gap: int = 2


@dataclass(frozen=True)
class Decisions:
    """Outcome, rule and borderline flag per pair (parallel to the scores)."""

    outcome: npt.NDArray[np.int8]
    rule: npt.NDArray[np.int8]
    borderline: BoolArray
    #: a confidence used to order links for clustering (higher first)
    strength: npt.NDArray[np.float32]
    #: close enough to sit in one group with a third record that links both
    compatible: BoolArray
    #: the title similarity the rules used (max of plain and partial ratio)
    title: npt.NDArray[np.float32]


def _nan_ge(values: npt.NDArray[np.float32], threshold: float) -> BoolArray:
    return np.nan_to_num(values, nan=-1.0) >= threshold


def decide(scores: PairScores, settings: DecideSettings | None = None) -> Decisions:
    """Apply the rules to every pair (vectorised); see the module docstring."""
    cfg = settings or DecideSettings()
    m = len(scores)
    title = np.fmax(scores.title, scores.title_partial)
    title_ok = _nan_ge(title, cfg.title)
    no_title = np.isnan(scores.title)
    authors_known = ~np.isnan(scores.authors)
    authors_ok = ~authors_known | _nan_ge(scores.authors, cfg.authors)
    authors_bad = (
        authors_known
        & ~_nan_ge(scores.authors, cfg.authors_different)
        & ~_nan_ge(scores.first_author, cfg.first_author_different)
        & ~_nan_ge(scores.first_author_in_other, 1.0)
    )
    year_gap = scores.year_diff
    journal_ok = _nan_ge(scores.journal, cfg.journal)
    details_ok = (
        (scores.page_match > 0)
        | (scores.volume_match > 0)
        | journal_ok
        | _nan_ge(scores.abstract, 0.9)
    )
    # different first pages: an article and its one-page notice, or two articles of an issue,
    # unless everything else agrees and the page ranges overlap or end on the same page (a
    # typo or a format difference between databases)
    details_conflict = (scores.page_match < 0) & (
        scores.single_page_mix
        | (scores.volume_match <= 0)
        | ~journal_ok
        | (year_gap != 0)
        | ((scores.page_gap > cfg.max_page_gap) & (scores.last_page_match <= 0))
        | ~(scores.pages_overlap | (scores.last_page_match > 0))
    )
    # a conference abstract and a journal record are one item only when they sit in the same
    # place (journal supplement pages); otherwise they are two reports of one study
    # (evidence of two places: different pages, volumes, journals or years)
    two_places = (
        (scores.page_match < 0)
        | (scores.volume_match < 0)
        | ~_nan_ge(scores.journal, 0.5) & ~np.isnan(scores.journal)
        | (year_gap != 0)
    )
    same_item = (scores.page_match > 0) | ~two_places
    identifier = (scores.doi_match > 0) | (scores.pmid_match > 0)
    # an identifier contradicted by journal, volume and pages alike is a database error
    contradicted = (
        ~_nan_ge(scores.journal, 0.5)
        & ~np.isnan(scores.journal)
        & (scores.volume_match < 0)
        & (scores.page_match < 0)
    )
    identifier_title = (no_title | _nan_ge(title, cfg.title_with_identifier)) & ~contradicted
    study_like = _nan_ge(title, cfg.study_title) & ~authors_bad & (year_gap <= 3)

    # one title at one place (year, volume, first page; last page not contradicting): author
    # lists written too differently to score high, but not different (see authors_bad)
    place = (
        (year_gap == 0)
        & (scores.volume_match > 0)
        & (scores.page_match > 0)
        & (scores.last_page_match >= 0)
    )
    same_place = place & _nan_ge(scores.authors, 0.9)
    # a recurring section title is one item only within one issue: same year and volume, and
    # the same first page or issue (journal alone is not enough)
    generic_elsewhere = scores.generic & (
        (year_gap != 0)
        | (scores.volume_match < 0)
        | (scores.issue_match < 0)
        | (scores.page_match < 0)
    )
    generic_ok = ~scores.generic | (
        (year_gap == 0)
        & ((scores.page_match > 0) | (scores.volume_match > 0) & (scores.issue_match > 0))
    )
    early_mix = scores.early_mix | scores.conference_mix
    # one early report in two venues (two meetings' supplements, two years, two volumes)
    # (a meeting is named in many ways, so a journal name alone is no second venue)
    two_venues = (
        (year_gap >= 1)
        | (scores.volume_match < 0)
        | ~_nan_ge(scores.journal, 0.5) & ~np.isnan(scores.journal) & (scores.page_match < 0)
    )
    report_versions = (
        (year_gap >= 1)
        | (scores.volume_match < 0)
        | (scores.issue_match < 0)
        | (scores.page_match < 0)
    )
    bibliographic_place = (
        (year_gap == 0)
        & (scores.volume_match > 0)
        & (scores.page_match > 0)
        & (scores.last_page_match >= 0)
        & authors_known
        & _nan_ge(scores.authors, 0.9)
    )
    conditions: dict[str, BoolArray] = {
        "preprint_of": scores.preprint_mix & study_like & ~identifier & scores.same_kind,
        # the same article under a legacy and a current DOI, or a DOI typo: everything else
        # agrees exactly, so the DOIs do not keep the records apart
        "same_but_doi": (scores.doi_match < 0) & scores.exact_same & (scores.pmid_match >= 0),
        "doi_differs": scores.doi_match < 0,
        "pmid_differs": scores.pmid_match < 0,
        # a reply within the compilation (the letter itself links by the usual rules)
        "letters_compilation": scores.compilation_part
        & title_ok
        & (year_gap == 0)
        & (scores.volume_match > 0)
        & journal_ok
        & _nan_ge(scores.first_author_in_other, 1.0),
        "kind_differs": ~scores.same_kind,
        "series_part_differs": scores.part_conflict,
        "doi_equal": (scores.doi_match > 0) & identifier_title,
        "pmid_equal": (scores.pmid_match > 0) & identifier_title,
        "generic_title_elsewhere": generic_elsewhere,
        "abstract_reprinted": scores.early_both & study_like & two_venues,
        "report_version": scores.report_any & study_like & report_versions,
        "marked_abstract_of": scores.marked_mix & study_like,
        "conference_years_differ": scores.conference_both & (year_gap >= 1),
        "years_differ": year_gap > cfg.max_year_gap,
        "title_numbers_differ": scores.numbers_conflict,
        "authors_differ": authors_bad,
        "fuzzy_title": title_ok
        & (authors_ok | (place & journal_ok))
        & (year_gap <= cfg.max_year_gap)
        & details_ok
        & generic_ok
        & ~details_conflict
        & (~early_mix | same_item),
        "bibliographic": bibliographic_place
        & (journal_ok | no_title)
        & generic_ok
        & (no_title | _nan_ge(title, cfg.title_with_identifier) | scores.translated),
        # the same authors, journal, volume and first page under clearly different titles: an
        # indexing error of one of them, not one item
        "titles_differ_same_place": bibliographic_place & ~no_title & journal_ok,
        "abstract_of": early_mix & study_like & ~identifier & ~same_item,
    }
    rule = np.zeros(m, dtype=np.int8)
    undecided = np.ones(m, dtype=bool)
    for name, condition in conditions.items():
        hit = undecided & condition
        rule[hit] = RULE_INDEX[name]
        undecided &= ~hit
    outcome = RULE_OUTCOME[rule]
    same = outcome == Outcome.SAME
    title_close = _nan_ge(title, cfg.borderline_title)
    soft_rules = np.isin(
        rule,
        [RULE_INDEX[n] for n in ("none", "title_numbers_differ", "years_differ", "authors_differ")],
    )
    # a renamed title: three or more authors alike, same journal and year, nothing contradicting
    renamed = (
        (rule == RULE_INDEX["none"])
        & scores.three_authors
        & _nan_ge(scores.authors, 0.9)
        & _nan_ge(scores.first_author, 0.9)
        & (year_gap == 0)
        & journal_ok
        & (scores.volume_match >= 0)
        & (scores.page_match >= 0)
        & _nan_ge(title, cfg.renamed_title)
    )
    borderline = ~same & soft_rules & (title_close | renamed) & (outcome != Outcome.STUDY)
    strength = np.where(identifier, 2.0, 0.0) + np.nan_to_num(title, nan=0.5)
    strength = strength + np.nan_to_num(scores.authors, nan=0.5) * 0.5
    # two reports of one study never share a group, not even through a third record
    compatible = (outcome == Outcome.SAME) | (
        (outcome == Outcome.NONE) & (no_title | title_close | same_place)
    )
    return Decisions(
        outcome=outcome.astype(np.int8),
        rule=rule,
        borderline=borderline,
        strength=strength.astype(np.float32),
        compatible=compatible,
        title=title.astype(np.float32),
    )
