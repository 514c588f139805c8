"""The dedup stage: records in; groups, merged records, audit trail, summary, review sheet out.

:func:`deduplicate` is the pure core (records and people's decisions in, a
:class:`DedupResult` out); :func:`run_dedup` reads and writes the files. The steps:
normalise (:mod:`.normalize`), block (:mod:`.block`), score (:mod:`.score`), decide
(:mod:`.decide`), cluster (:mod:`.cluster`), link reports of one study (:mod:`.study`), merge
(:mod:`.merge`).
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from realist_review.dedup.block import BlockSettings, candidate_pairs
from realist_review.dedup.cluster import Refusal, cluster, contradictions
from realist_review.dedup.decide import (
    RULE_INDEX,
    RULE_NAMES,
    RULES,
    DecideSettings,
    Decisions,
    Outcome,
    decide,
)
from realist_review.dedup.load import load_records
from realist_review.dedup.merge import merged_row
from realist_review.dedup.normalize import Prepared, prepare
from realist_review.dedup.review import PairDecision, read_decisions, write_review_sheet
from realist_review.dedup.score import PairScores, score_pairs
from realist_review.dedup.study import (
    STUDY_RULE_NAMES,
    STUDY_RULE_TEXT,
    StudyLinks,
    StudyRefusal,
    link_studies,
    study_rules,
)
from realist_review.errors import InputError
from realist_review.records import Record
from realist_review.tables import write_table

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DedupSettings:
    """All settings of the stage (the ``dedup:`` section of the config)."""

    decide: DecideSettings = field(default_factory=DecideSettings)
    block: BlockSettings = field(default_factory=BlockSettings)
    #: most pairs written to the review sheet
    review_max_pairs: int = 5000


def settings_from_mapping(values: Mapping[str, Any] | None) -> DedupSettings:
    """Build :class:`DedupSettings` from a flat mapping (config keys), refusing unknown keys."""
    if not values:
        return DedupSettings()
    decide_names = {f.name for f in fields(DecideSettings)}
    block_names = {f.name for f in fields(BlockSettings)}
    unknown = set(values) - decide_names - block_names - {"review_max_pairs"}
    if unknown:
        raise InputError(
            f"dedup settings: unknown key(s) {', '.join(sorted(unknown))}. Known keys: "
            f"{', '.join(sorted(decide_names | block_names | {'review_max_pairs'}))}."
        )
    decide_cfg = replace(DecideSettings(), **{k: v for k, v in values.items() if k in decide_names})
    block_cfg = replace(BlockSettings(), **{k: v for k, v in values.items() if k in block_names})
    review_max = int(values.get("review_max_pairs", DedupSettings.review_max_pairs))
    return DedupSettings(decide=decide_cfg, block=block_cfg, review_max_pairs=review_max)


@dataclass(frozen=True)
class DedupResult:
    """Everything the stage found, as plain data ready for the tables."""

    records: tuple[Record, ...]
    group_of: dict[str, str]
    study_of: dict[str, str]
    audit: list[dict[str, str]]
    review: list[dict[str, str]]
    stale: list[PairDecision]
    candidate_pairs: int
    #: people's decisions not applied because they contradict others or a same DOI/PMID,
    #: each with the message saying which records and what to change
    contradicting: list[tuple[PairDecision, str]] = field(default_factory=list)

    @property
    def groups(self) -> dict[str, list[Record]]:
        """Members of each group (sorted by record_id), keyed by group_id."""
        out: dict[str, list[Record]] = defaultdict(list)
        for record in sorted(self.records, key=lambda r: r.record_id):
            out[self.group_of[record.record_id]].append(record)
        return dict(out)

    def group_rows(self) -> list[dict[str, str]]:
        """Rows of ``groups.csv`` sorted by record_id."""
        return [{"record_id": rid, "group_id": self.group_of[rid]} for rid in sorted(self.group_of)]

    def merged_rows(self) -> list[dict[str, str]]:
        """Rows of the merged record table, sorted by group_id."""
        return [
            merged_row(members, gid, self.study_of[gid])
            for gid, members in sorted(self.groups.items())
        ]

    def summary_rows(self) -> list[dict[str, str]]:
        """Per-search counts for PRISMA; see ``workflow/schemas/README.md``."""
        records: dict[str, int] = defaultdict(int)
        removed: dict[str, int] = defaultdict(int)
        groups_of: dict[str, set[str]] = defaultdict(set)
        searches_of_group: dict[str, set[str]] = defaultdict(set)
        for record in self.records:
            gid = self.group_of[record.record_id]
            searches = {o.partition(":")[0] for o in record.origin} or {""}
            for search in searches:
                records[search] += 1
                groups_of[search].add(gid)
                searches_of_group[gid].add(search)
                if record.record_id != gid:
                    removed[search] += 1
        return [
            {
                "search_id": search,
                "records": str(records[search]),
                "duplicates_removed": str(removed[search]),
                "groups": str(len(groups_of[search])),
                "unique_groups": str(
                    sum(1 for g in groups_of[search] if searches_of_group[g] == {search})
                ),
            }
            for search in sorted(records)
        ]


def _fmt(value: float) -> str:
    return "" if math.isnan(value) else f"{value:.3f}"


def _thresholds(cfg: DecideSettings) -> dict[str, str]:
    return {
        "doi_equal": f"title>={cfg.title_with_identifier}",
        "pmid_equal": f"title>={cfg.title_with_identifier}",
        "fuzzy_title": (
            f"title>={cfg.title}; authors>={cfg.authors}; year gap<={cfg.max_year_gap}; "
            f"journal>={cfg.journal} or volume or first page equal"
        ),
        "bibliographic": (
            f"authors>=0.9; year, volume, first page equal; journal>={cfg.journal}; "
            f"title>={cfg.title_with_identifier} or a possible translation"
        ),
        "titles_differ_same_place": (
            f"authors>=0.9; year, volume, first page equal; title<{cfg.title_with_identifier}"
        ),
        "same_but_doi": (
            f"title, every author, year, volume, issue, pages equal; journal>={cfg.journal}"
        ),
        "abstract_reprinted": f"title>={cfg.study_title}; another year or volume",
        "report_version": f"title>={cfg.study_title}; another year, volume, issue or pages",
        "marked_abstract_of": f"title>={cfg.study_title}",
        "years_differ": f"year gap>{cfg.max_year_gap}",
        "authors_differ": (
            f"authors<{cfg.authors_different} and first author<{cfg.first_author_different}"
        ),
        "abstract_of": f"title>={cfg.study_title}",
        "preprint_of": f"title>={cfg.study_title}",
        "early_report": (
            f"title or main title>={cfg.study_title} or one title starts the other; same first "
            f"author, or authors>={cfg.authors} with a first author in the other list; "
            f"year gap<={cfg.study_max_year_gap}"
        ),
        "series_parts": (
            f"main title>={cfg.study_title}; same first author, or authors>={cfg.authors} with a "
            f"first author in the other list; year gap<={cfg.study_max_year_gap}"
        ),
        "none": (
            f"review from title>={cfg.borderline_title}, or title>={cfg.renamed_title} with "
            "three or more authors, journal and year alike"
        ),
        "letters_compilation": (
            f"title>={cfg.title}; same year, volume, journal>={cfg.journal}; pages within the "
            "compilation's; first author in its author list"
        ),
    }


class _Judge:
    """Scores and decides pairs blocking did not produce (for clustering's cross checks)."""

    def __init__(self, prep: Prepared, cfg: DecideSettings) -> None:
        self.prep, self.cfg = prep, cfg

    def __call__(
        self, a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]
    ) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.bool_]]:
        scores = score_pairs(self.prep, np.stack([a, b], axis=1))
        dec = decide(scores, self.cfg)
        return dec.outcome, dec.compatible


class _StudyJudge:
    """Study rule for pairs blocking did not produce (for study linking's cross checks)."""

    def __init__(self, prep: Prepared, cfg: DecideSettings) -> None:
        self.prep, self.cfg = prep, cfg

    def __call__(self, a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]) -> npt.NDArray[np.int8]:
        scores = score_pairs(self.prep, np.stack([a, b], axis=1))
        return study_rules(self.prep, scores, self.cfg).rule


def deduplicate(
    records: Sequence[Record],
    *,
    settings: DedupSettings | None = None,
    decisions: Sequence[PairDecision] = (),
) -> DedupResult:
    """Group duplicate records; see the module docstring. Every record is in the result."""
    cfg = settings or DedupSettings()
    records = tuple(records)
    n = len(records)
    prep = prepare(records)
    pairs = candidate_pairs(prep, cfg.block)
    scores = score_pairs(prep, pairs)
    dec = decide(scores, cfg.decide)
    log.info("%d records, %d candidate pairs", n, len(pairs))

    index = {r.record_id: i for i, r in enumerate(records)}
    stale = [d for d in decisions if d.record_id_a not in index or d.record_id_b not in index]
    for d in stale:
        missing = [x for x in (d.record_id_a, d.record_id_b) if x not in index]
        log.warning(
            "%s: decision %r for %s / %s not applied: record(s) %s no longer in the input",
            d.where, d.decision, d.record_id_a, d.record_id_b, ", ".join(missing),
        )  # fmt: skip
    live = [d for d in decisions if d not in stale]
    contradicting = _contradicting(live, index, prep, scores, dec)
    for _, message in contradicting:
        log.warning("%s", message)
    suspended = {id(d) for d, _ in contradicting}
    applied = [d for d in live if id(d) not in suspended]
    same = [(index[d.record_id_a], index[d.record_id_b]) for d in applied if d.decision == "same"]
    apart = [
        (index[d.record_id_a], index[d.record_id_b]) for d in applied if d.decision == "different"
    ]
    codes = scores.a * max(n, 1) + scores.b
    clustering = cluster(
        n,
        pair_codes=codes,
        outcome=dec.outcome,
        compatible=dec.compatible,
        strength=dec.strength,
        doi=prep.doi,
        pmid=prep.pmid,
        kind=prep.kind,
        judge=_Judge(prep, cfg.decide),
        ids=prep.ids,
        same=same,
        different=apart,
        bridge=dec.rule == RULE_INDEX["letters_compilation"],
        compilation=prep.compilation,
        doi_override=(dec.outcome == Outcome.SAME)
        & (prep.doi[scores.a] != "")
        & (prep.doi[scores.b] != "")
        & (prep.doi[scores.a] != prep.doi[scores.b]),
    )
    labels = clustering.labels
    # group_id = smallest record_id among members
    group_ids: dict[int, str] = {}
    for i, label in enumerate(labels.tolist()):
        rid = records[i].record_id
        if label not in group_ids or rid < group_ids[label]:
            group_ids[label] = rid
    group_of = {records[i].record_id: group_ids[int(labels[i])] for i in range(n)}

    links = study_rules(prep, scores, cfg.decide)
    study_labels, study_refused = link_studies(
        labels, scores.a, scores.b, links, _StudyJudge(prep, cfg.decide), prep.ids
    )
    study_of = _studies(study_labels, group_ids)
    audit, review = _audit_and_review(
        records,
        prep,
        scores,
        dec,
        labels,
        clustering.refused,
        live,
        stale,
        cfg,
        _StudyView(links, study_labels, study_refused),
        dict((id(d), m) for d, m in contradicting),
    )
    return DedupResult(
        records=records,
        group_of=group_of,
        study_of=study_of,
        audit=audit,
        review=review,
        stale=stale,
        candidate_pairs=len(pairs),
        contradicting=contradicting,
    )


def _contradicting(
    live: Sequence[PairDecision],
    index: Mapping[str, int],
    prep: Prepared,
    scores: PairScores,
    dec: Decisions,
) -> list[tuple[PairDecision, str]]:
    """People's decisions that contradict each other or a same DOI/PMID, with a message naming
    both records, the chain of links and what to change (see :func:`.cluster.contradictions`)."""
    if not live:
        return []
    hard_rules = (RULE_INDEX["doi_equal"], RULE_INDEX["pmid_equal"])
    hard_at = np.nonzero(np.isin(dec.rule, hard_rules))[0].tolist()
    hard = []
    for k in hard_at:
        a, b = int(scores.a[k]), int(scores.b[k])
        if dec.rule[k] == RULE_INDEX["doi_equal"]:
            hard.append((a, b, f"the same DOI {prep.doi[a]}"))
        else:
            hard.append((a, b, f"the same PMID {prep.pmid[a]}"))
    people = [(index[d.record_id_a], index[d.record_id_b], d.decision == "same") for d in live]
    found = contradictions(people, hard)
    ids = prep.ids
    out: list[tuple[PairDecision, str]] = []
    for item in found:
        d = live[item.decision]
        apart = live[item.apart]
        steps = [f"{apart.record_id_a} / {apart.record_id_b} 'different' ({apart.where})"]
        for a, b, why in item.chain:
            if why.startswith("#"):
                other = live[int(why[1:])]
                steps.append(f"{ids[a]} / {ids[b]} 'same' ({other.where})")
            else:
                steps.append(f"{ids[a]} / {ids[b]} have {why}")
        message = (
            f"{d.where}: {d.decision!r} for {d.record_id_a} / {d.record_id_b} is not "
            f"applied: these cannot all hold: {'; '.join(steps)}. Change or remove one of "
            "these decisions (a 'different' for a pair with the same DOI or PMID keeps that "
            "pair apart); until then the groups stay as the rules made them."
        )
        out.append((d, message))
    return out


def _studies(study_labels: npt.NDArray[np.int64], group_ids: dict[int, str]) -> dict[str, str]:
    """study_id per group_id: the smallest group_id of the study's groups."""
    smallest: dict[int, str] = {}
    for label, gid in group_ids.items():
        study = int(study_labels[label])
        if study not in smallest or gid < smallest[study]:
            smallest[study] = gid
    return {gid: smallest[int(study_labels[label])] for label, gid in group_ids.items()}


@dataclass(frozen=True)
class _StudyView:
    """Study links for the audit trail: rule per pair, study per group, refused links."""

    links: StudyLinks
    study_labels: npt.NDArray[np.int64]
    refused: tuple[StudyRefusal, ...]


def _audit_and_review(
    records: Sequence[Record],
    prep: Prepared,
    scores: PairScores,
    dec: Decisions,
    labels: npt.NDArray[np.int64],
    refused: Sequence[Refusal],
    people: Sequence[PairDecision],
    stale: Sequence[PairDecision],
    cfg: DedupSettings,
    studies: _StudyView,
    contradicting: Mapping[int, str],
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    ids = prep.ids
    n = len(records)
    thresholds = _thresholds(cfg.decide)
    refused_reason = {min(r.a, r.b) * n + max(r.a, r.b): r.reason for r in refused}
    study_refused = {min(r.a, r.b) * n + max(r.a, r.b): r.reason for r in studies.refused}
    study_of_record = studies.study_labels[labels]
    one_study = study_of_record[scores.a] == study_of_record[scores.b]
    apart = labels[scores.a] != labels[scores.b]
    study_rule = np.where(apart, studies.links.rule, 0)
    people_keys = {d.key for d in people}
    # look-alikes kept apart: titles close enough that a rule would otherwise have linked them
    close = np.nan_to_num(dec.title, nan=0.0) >= cfg.decide.title
    keep = (
        (dec.outcome == Outcome.SAME)
        | (dec.outcome == Outcome.STUDY)
        | dec.borderline
        | ((dec.outcome == Outcome.DIFFERENT) & (close | ~apart))
        | (study_rule > 0)
    )
    audit: list[dict[str, str]] = []
    review: list[dict[str, str]] = []
    # one question per pair of groups: a record against a group of three is asked once, and
    # not again once a person decided a pair across the two groups
    review_keys: list[tuple[int, int]] = []
    index = {r.record_id: i for i, r in enumerate(records)}
    people_groups = {
        (
            min(int(labels[index[d.key[0]]]), int(labels[index[d.key[1]]])),
            max(int(labels[index[d.key[0]]]), int(labels[index[d.key[1]]])),
        )
        for d in people
    }
    scored: dict[tuple[str, str], dict[str, str]] = {}
    kept = np.nonzero(keep)[0]
    a_list, b_list = scores.a[kept].tolist(), scores.b[kept].tolist()
    title_l, author_l = dec.title[kept].tolist(), scores.authors[kept].tolist()
    journal_l, year_l = scores.journal[kept].tolist(), scores.year_diff[kept].tolist()
    rule_l, outcome_l = dec.rule[kept].tolist(), dec.outcome[kept].tolist()
    label_l = labels.tolist()
    compilation_groups = {int(g) for g in labels[prep.compilation].tolist()}
    match_names = {1: "equal", -1: "differ", 0: ""}
    doi_l, pmid_l = scores.doi_match[kept].tolist(), scores.pmid_match[kept].tolist()
    vol_l, page_l = scores.volume_match[kept].tolist(), scores.page_match[kept].tolist()
    study_rule_l, one_study_l = study_rule[kept].tolist(), one_study[kept].tolist()
    for j in range(len(kept)):
        a, b = a_list[j], b_list[j]
        rule = RULE_NAMES[rule_l[j]]
        outcome = Outcome(outcome_l[j])
        together = label_l[a] == label_l[b]
        note = refused_reason.get(a * n + b, "")
        study_name = STUDY_RULE_NAMES[study_rule_l[j]]
        refusal = study_refused.get(a * n + b, "")
        if study_name and one_study_l[j] and not refusal and outcome != Outcome.SAME:
            # two groups a study rule links as one study; the dedup rules kept them apart
            decision, rule = "study", study_name
            note = f"{STUDY_RULE_TEXT[study_name]}; separate records ({RULE_NAMES[rule_l[j]]})"
        elif outcome == Outcome.SAME:
            decision = "same" if together else "review"
        elif outcome == Outcome.STUDY:
            # not the same record; one study only if the study rules linked the groups
            decision = "study" if one_study_l[j] and not together else "different"
            if decision == "different":
                note = f"{_rule_text(rule)}, but no study rule links them (see dedup.study)"
            else:
                note = f"{_rule_text(rule)}; in one study through other links"
        elif outcome == Outcome.DIFFERENT:
            decision = "same" if together else "different"
            if together:
                through = (
                    "a record of letters printed together"
                    if label_l[a] in compilation_groups
                    else "other links"
                )
                note = f"{_rule_text(rule)} by itself; in one group through {through}"
        else:
            decision = "same" if together else "review"
            if together:
                note = "in one group through other links"
        if study_name and decision != "study":
            extra = f"{study_name}: {refusal}" if refusal else f"{study_name}: one study"
            note = f"{note or _rule_text(rule)} ({extra})"
        row = {
            "record_id_a": str(ids[a]),
            "record_id_b": str(ids[b]),
            "decision": decision,
            "by": "rule",
            "rule": rule,
            "title_score": _fmt(title_l[j]),
            "author_score": _fmt(author_l[j]),
            "journal_score": _fmt(journal_l[j]),
            "year_diff": "" if year_l[j] < 0 else str(year_l[j]),
            "doi": match_names[doi_l[j]],
            "pmid": match_names[pmid_l[j]],
            "volume": match_names[vol_l[j]],
            "pages": match_names[page_l[j]],
            "threshold": thresholds.get(rule, ""),
            "note": note or _rule_text(rule),
        }
        if row["record_id_a"] > row["record_id_b"]:
            row["record_id_a"], row["record_id_b"] = row["record_id_b"], row["record_id_a"]
        scored[(row["record_id_a"], row["record_id_b"])] = row
        if decision == "review" and (row["record_id_a"], row["record_id_b"]) not in people_keys:
            groups_key = (min(label_l[a], label_l[b]), max(label_l[a], label_l[b]))
            if together or groups_key not in people_groups:
                sheet_row = _sheet_row(records, a, b, row, "same group" if together else "apart")
                review_keys.append(groups_key if not together else (-1 - a, -1 - b))
                review.append(sheet_row)
    for d in people:
        base = scored.get(d.key, {})
        a, b = index[d.key[0]], index[d.key[1]]
        applied = (labels[a] == labels[b]) == (d.decision == "same")
        why_not = contradicting.get(id(d), "")
        if why_not:
            why_not = " (NOT applied: " + why_not.split(" is not applied: ", 1)[-1] + ")"
        elif not applied:
            why_not = " (NOT applied: contradicts another person's decision)"
        scored[d.key] = {
            **base,
            "record_id_a": d.key[0],
            "record_id_b": d.key[1],
            "decision": d.decision,
            "by": "person",
            "rule": "decision",
            "threshold": "",
            "note": (
                f"{d.reviewer or 'a reviewer'} at {d.where}"
                + (f": {d.note}" if d.note else "")
                + why_not
            ),
        }
    for d in stale:
        scored[d.key] = {
            "record_id_a": d.key[0],
            "record_id_b": d.key[1],
            "decision": "stale",
            "by": "person",
            "rule": "decision",
            "note": (
                f"{d.where}: {d.decision!r} not applied, a record of this pair is no longer "
                "in the input"
            ),
        }
    audit = [scored[key] for key in sorted(scored)]
    order = sorted(
        range(len(review)),
        key=lambda k: (
            -float(review[k]["title_score"] or 0),
            review[k]["record_id_a"],
            review[k]["record_id_b"],
        ),
    )
    asked: set[tuple[int, int]] = set()
    unique: list[dict[str, str]] = []
    for k in order:
        if review_keys[k] not in asked:
            asked.add(review_keys[k])
            unique.append(review[k])
    review = unique
    return audit, review[: cfg.review_max_pairs]


_RULE_TEXT = {name: text for name, _, text in RULES}


def _rule_text(rule: str) -> str:
    return _RULE_TEXT.get(rule, "")


def _sheet_row(
    records: Sequence[Record], a: int, b: int, audit_row: Mapping[str, str], current: str
) -> dict[str, str]:
    ra, rb = records[a], records[b]
    if ra.record_id > rb.record_id:
        ra, rb = rb, ra
    return {
        "record_id_a": ra.record_id,
        "record_id_b": rb.record_id,
        "decision": "",
        "reviewer": "",
        "note": "",
        "current": current,
        "rule": audit_row["rule"],
        "why": audit_row["note"],
        "title_score": audit_row["title_score"],
        "author_score": audit_row["author_score"],
        "title_a": ra.title,
        "title_b": rb.title,
        "authors_a": "; ".join(ra.authors[:6]),
        "authors_b": "; ".join(rb.authors[:6]),
        "year_a": str(ra.year or ""),
        "year_b": str(rb.year or ""),
        "journal_a": ra.journal,
        "journal_b": rb.journal,
        "volume_a": ra.volume,
        "volume_b": rb.volume,
        "pages_a": ra.pages,
        "pages_b": rb.pages,
        "doi_a": ra.doi,
        "doi_b": rb.doi,
    }


def run_dedup(
    *,
    records: Path,
    groups: Path,
    merged: Path | None = None,
    audit: Path | None = None,
    summary: Path | None = None,
    review_sheet: Path | None = None,
    decisions: Path | None = None,
    settings: Mapping[str, Any] | None = None,
) -> DedupResult:
    """Read ``records``, deduplicate, write every requested output; returns the result.

    ``records``: the record table, a benchmark CSV or an export. ``decisions``: a decisions
    file or folder under ``config/dedup/`` (missing is fine: nothing decided yet).
    """
    cfg = settings_from_mapping(settings)
    people = read_decisions(decisions)
    loaded = load_records(Path(records))
    without_title = sum(1 for r in loaded if not r.title)
    if without_title:
        log.warning(
            "%s: %d record(s) have no title; they are kept and matched on identifiers, "
            "authors, year, journal, volume and pages only",
            records, without_title,
        )  # fmt: skip
    result = deduplicate(loaded, settings=cfg, decisions=people)
    write_table(Path(groups), result.group_rows(), "dedup_groups")
    if merged is not None:
        write_table(Path(merged), result.merged_rows(), "merged_record")
    if audit is not None:
        write_table(Path(audit), result.audit, "dedup_audit")
    if summary is not None:
        write_table(Path(summary), result.summary_rows(), "dedup_summary")
    if review_sheet is not None:
        write_review_sheet(Path(review_sheet), result.review)
    n_groups = len(set(result.group_of.values()))
    log.info(
        "%d records -> %d groups (%d duplicates removed), %d studies; %d pairs to review; "
        "%d stale decision(s); %d contradicting decision(s) not applied",
        len(loaded), n_groups, len(loaded) - n_groups, len(set(result.study_of.values())),
        len(result.review), len(result.stale), len(result.contradicting),
    )  # fmt: skip
    return result
