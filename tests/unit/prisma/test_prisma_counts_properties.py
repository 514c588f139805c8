"""Property tests: on random but consistent pipelines the counts reconcile, match what the
tables say when counted independently, and do not depend on row order."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from prisma_scenario import Pipeline, build

from realist_review.prisma.counts import StageState, check_counts
from realist_review.screen.settings import Status

KINDS = [
    ("databases", ""),
    ("registers", ""),
    ("other_methods", "websites"),
    ("other_methods", "organisations"),
    ("other_methods", "citation_searching"),
    ("other_methods", "other"),
]
FULLTEXT_STATES = ["included", "excluded", "not_retrieved", "awaiting", "missing"]
REASONS = ["Not residential care", "No CMO content", "Wrong population"]


@st.composite
def pipelines(draw: st.DrawFn) -> Pipeline:
    """A random pipeline that a correct run of the stages could have produced."""
    n_searches = draw(st.integers(1, 5))
    searches = []
    for i in range(n_searches):
        group, method = draw(st.sampled_from(KINDS))
        name = draw(st.sampled_from(["PubMed", "Europe PMC", "Scopus", "Zotero", f"Source {i}"]))
        searches.append((f"s{i}", name, group, method))
    ids = [s[0] for s in searches]
    n_records = draw(st.integers(0, 30))
    records = {
        f"r{j:03d}": draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True))
        for j in range(n_records)
    }
    labels = {r: draw(st.integers(0, max(0, n_records // 2))) for r in records}
    members: dict[int, list[str]] = {}
    for record_id, label in labels.items():
        members.setdefault(label, []).append(record_id)
    groups = {r: min(m) for m in members.values() for r in m}
    group_ids = sorted(set(groups.values()))
    status = None
    fulltext = None
    if draw(st.booleans()):
        status = {g: draw(st.sampled_from([s.value for s in Status])) for g in group_ids}
        if draw(st.booleans()):
            fulltext = {}
            for g, s in status.items():
                if s not in ("included", "maybe"):
                    continue
                state = draw(st.sampled_from(FULLTEXT_STATES))
                if state == "included":
                    fulltext[g] = ("yes", "yes", "included", "")
                elif state == "excluded":
                    fulltext[g] = ("yes", "yes", "excluded", draw(st.sampled_from(REASONS)))
                elif state == "not_retrieved":
                    fulltext[g] = ("no", "", "", "")
                elif state == "awaiting":
                    fulltext[g] = (draw(st.sampled_from(["", "yes"])), "", "", "")
    extra = {s: draw(st.integers(0, 2)) for s in ids}
    study_of = {g: draw(st.sampled_from(group_ids)) for g in group_ids} if group_ids else {}
    return build(
        searches, records, groups=groups, status=status, fulltext=fulltext, extra_hits=extra,
        study_of=study_of,
    )  # fmt: skip


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(pipelines())
def test_equations_hold_and_match_an_independent_count(pipeline: Pipeline) -> None:
    counts = pipeline.derive()
    check_counts(counts)  # derive_counts checks too; this keeps the property explicit

    hits = sum(int(row["records_retrieved"]) for row in pipeline.search_log)
    groups = {row["group_id"] for row in pipeline.groups}
    assert counts.records_identified == hits
    assert counts.records_deduplicated == len(groups)
    assert counts.duplicates_total == hits - len(groups)
    assert (
        counts.database_results + counts.register_results + counts.website_results
        + counts.organisation_results + counts.citations_results + counts.other_results
        == hits
    )  # fmt: skip
    for col in (counts.dbr, counts.other):
        for kind in {s.kind for s in col.identified}:
            assert col.identified_of(kind) == sum(s.n for s in col.sources_of(kind))

    statuses = Counter(
        row["status"] for row in pipeline.status or [{"status": "unscreened"}] * len(groups)
    )
    both = (counts.dbr, counts.other)
    assert sum(c.excluded_automatic for c in both) == statuses["ineligible_automation"]
    assert sum(c.excluded_human for c in both) == statuses["excluded"]
    assert sum(c.excluded_automation for c in both) == statuses["excluded_automation"]
    assert sum(c.sought for c in both) == statuses["included"] + statuses["maybe"]
    assert sum(c.screened for c in both) == len(groups) - statuses["ineligible_automation"]

    if pipeline.fulltext is None:
        assert counts.new_reports is None
        assert all(c.assessed is None for c in both)
    else:
        decisions = Counter(row["decision"] for row in pipeline.fulltext)
        not_retrieved = sum(row["retrieved"] == "no" for row in pipeline.fulltext)
        assert counts.new_reports == decisions["included"]
        assert sum(c.excluded_reports or 0 for c in both) == decisions["excluded"]
        assert sum(c.not_retrieved or 0 for c in both) == not_retrieved
        included = [row["record_id"] for row in pipeline.fulltext if row["decision"] == "included"]
        assert counts.new_studies == len({pipeline.study_of.get(g, g) for g in included})

    awaiting = statuses["unscreened"] + statuses["conflict"]
    if pipeline.status is not None and awaiting == 0:
        stopped = statuses["excluded_automation"] > 0
        assert counts.screening is (StageState.STOPPED if stopped else StageState.COMPLETE)
    else:
        assert counts.screening_in_progress


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(pipelines(), st.randoms(use_true_random=False))
def test_counts_do_not_depend_on_row_order(pipeline: Pipeline, rnd: random.Random) -> None:
    before = pipeline.derive()
    shuffled = Pipeline(
        search_log=pipeline.search_log,
        origins=dict(rnd.sample(list(pipeline.origins.items()), len(pipeline.origins))),
        groups=rnd.sample(pipeline.groups, len(pipeline.groups)),
        status=None
        if pipeline.status is None
        else rnd.sample(pipeline.status, len(pipeline.status)),
        fulltext=None
        if pipeline.fulltext is None
        else rnd.sample(pipeline.fulltext, len(pipeline.fulltext)),
        study_of=pipeline.study_of,
    )
    assert shuffled.derive() == before
