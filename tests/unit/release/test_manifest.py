"""Which files a release holds, of which kind; the manifest's software, dates and seeds."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from realist_review.errors import InputError
from realist_review.release.manifest import Kind, classify, collect_entries, model_seeds
from tests.unit.release.conftest import demo_config

CASES = [
    # (id, path, demo, kind, note)
    ("raw-search", "results/search/raw/pubmed/p/abc/efetch-0001.xml", False, Kind.RAW,
     "raw search responses cannot be fetched again"),
    ("raw-fulltext", "results/fulltext/raw/unpaywall/rec-1.json", False, Kind.RAW,
     "any raw folder below results/ is raw, whatever the stage"),
    ("llm-cache", "results/extract/cache/abc.json", False, Kind.RAW,
     "cached language-model responses are raw"),
    ("fulltext-doc", "results/fulltext/files/rec-1.pdf", False, Kind.RAW,
     "retrieved documents are raw (and archived only on request)"),
    ("new-stage", "results/theory/programme_theory.yaml", False, Kind.DERIVED,
     "a stage added later is derived without changing the release code"),
    ("top-derived", "results/summary.csv", False, Kind.DERIVED, "a file right below results/"),
    ("logs", "results/logs/run_search/pubmed.log", False, None, "logs are not outputs"),
    ("benchmarks", "results/benchmarks/x/y.tsv", False, None, "benchmarks are not outputs"),
    ("releases", "results/releases/1.0/manifest.json", False, None, "no release in a release"),
    ("timestamp", "results/screen/sheets/.snakemake_timestamp", False, None, "bookkeeping"),
    ("lock", "results/search/raw/pubmed/p/abc/.lock", False, None, "bookkeeping"),
    ("pycache", "workflow/scripts/__pycache__/a.pyc", False, None, "bytecode"),
    ("config", "config/screening/round-01/a.xlsx", False, Kind.INPUT, "returned sheets"),
    ("demo-off", "config/demo/snapshot/x.json", False, None, "demo data only for the demo"),
    ("demo-on", "config/demo/snapshot/x.json", True, Kind.INPUT, "the demo's snapshot"),
    ("workflow", "workflow/rules/search.smk", False, Kind.WORKFLOW, "the workflow"),
    ("snakefile", "Snakefile", False, Kind.WORKFLOW, "the main workflow"),
    ("report", "report.html", False, Kind.REPORT, "the Snakemake report"),
    ("elsewhere", "notes/todo.txt", False, None, "files outside the declared folders"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("path", "demo", "kind"), [c[1:4] for c in CASES], ids=[c[0] for c in CASES]
)
def test_classify(path: str, demo: bool, kind: Kind | None) -> None:
    assert classify(PurePosixPath(path), demo=demo) == kind


def test_collect_entries_kinds_and_fulltext(review: Path) -> None:
    entries = {e.path: e for e in collect_entries(review, demo_config())}
    assert entries["config/searches/psycinfo.ris"].kind is Kind.INPUT
    assert entries["results/llm/cache/response-1.json"].kind is Kind.RAW
    assert entries["report.html"].kind is Kind.REPORT
    assert "config/demo/snapshot/pubmed/pubmed/manifest.json" not in entries
    assert not any(p.startswith(("results/logs", "results/benchmarks")) for p in entries)
    assert not any(p.endswith((".lock", ".pyc", ".snakemake_timestamp")) for p in entries)
    # copyrighted documents are listed with checksums but not archived, unless asked for
    assert not entries["results/fulltext/files/rec-1.pdf"].archived
    assert not entries["config/fulltext/paper.pdf"].archived
    assert entries["results/fulltext/index.csv"].archived
    with_docs = collect_entries(review, demo_config(), include_fulltext=True)
    assert all(e.archived for e in with_docs)
    assert [e.path for e in entries.values()] == sorted(entries)
    # the fictional demo's documents are the project's own: archived, so verify can re-derive
    demo = demo_config()
    demo["review"]["demo"] = True
    assert all(e.archived for e in collect_entries(review, demo))


def test_export_outside_the_folder_is_refused(review: Path, tmp_path: Path) -> None:
    config = demo_config()
    outside = tmp_path / "elsewhere.ris"
    outside.write_text("TY  - JOUR\nER  - \n")
    config["search"]["searches"][1]["files"] = [str(outside)]
    with pytest.raises(InputError, match=r"outside the review folder.*config/"):
        collect_entries(review, config)


def test_seeds_from_config_and_meta_files(review: Path) -> None:
    entries = collect_entries(review, demo_config())
    seeds = model_seeds(review, demo_config(), entries)
    assert {"file": "config/config.yaml", "key": "screening.seed", "value": 7} in seeds
    assert {"file": "results/screen/model.meta.json", "key": "model.seed", "value": 42} in seeds
