"""``python -m tools.demo``: write the embedded demo review's searches (fictional data).

A development tool of the project, not part of the installed package: run it from the project
folder with the package installed (``pip install -e .``).

Everything this stage writes is **fictional demo data**: invented works on the demo review's
topic (trauma-informed care in residential children's homes) and realistic off-topic hits,
written in each source's real response format so the pipeline's parsers, deduplication and
screening can run offline. The same seed always gives the same bytes::

    <output>/README.md                    what this folder is (fictional) and how to rebuild it
    <output>/queries.yaml                 the searches, ready for config/config.yaml
    <output>/truth.csv                    ground truth: every hit's work, study, relevance, variants
    <output>/exports/psycinfo_ovid.ris    an Ovid PsycINFO RIS export
    <output>/snapshot/<source>/<search_id>/manifest.json + pages   replayed by search.mode: snapshot
"""

from __future__ import annotations

import argparse
import csv
import io
import logging
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from realist_review.errors import InputError
from realist_review.raw import Manifest, RawStore
from realist_review.tables import write_atomic
from tools.demo import formats, pool, searches
from tools.demo.pool import Hit, Pool

log = logging.getLogger(__name__)

DEFAULT_OUTPUT = Path("config/demo")
README_MARKER = "# FICTIONAL DEMO DATA"
TRUTH_COLUMNS = ("search_id", "source_id", "work_id", "study_id", "relevant", "kind", "note")
#: Source folder of each API search under ``snapshot/``.
SNAPSHOT_SOURCES = {
    pool.PUBMED: "pubmed",
    pool.EUROPEPMC: "europepmc",
    pool.OPENALEX: "openalex",
    pool.CROSSREF: "crossref",
    pool.ZOTERO: "zotero",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``python -m tools.demo``."""
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help="folder to (re)write; default: config/demo",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=pool.SEED,
        help=f"seed of the fictional pool (default {pool.SEED}, which config/demo was made with)",
    )
    parser.add_argument(
        "--screening",
        action="store_true",
        help="instead: rewrite config/screening/ with the demo team's filled sheets "
        "(needs config/config.yaml with review.demo: true and the demo data in place)",
    )
    parser.add_argument(
        "--extraction",
        action="store_true",
        help="instead: rewrite config/extraction/ and config/theory/ with the demo team's "
        "filled extraction sheets and programme-theory edits (runs the workflow in a scratch "
        "copy; needs the demo's screening sheets in place)",
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=Path("config/config.yaml"),
        help="the review's config (with --screening)",
    )


def run(args: argparse.Namespace) -> int:
    """Write the demo data (or the demo team's sheets) and log what was written."""
    if args.extraction:
        from tools.demo.extraction import write_demo_extraction

        written = write_demo_extraction()
        log.info("wrote %d demo extraction and theory files under config/", len(written))
        return 0
    if args.screening:
        from tools.demo.screening import write_demo_screening

        written = write_demo_screening(config_path=args.config)
        log.info("wrote %d filled demo sheets under config/screening/", len(written))
        return 0
    counts = write_demo(Path(args.output), seed=args.seed)
    for search_id, count in counts.items():
        log.info("%s: %d hits", search_id, count)
    log.info("wrote fictional demo data to %s", args.output)
    return 0


def source_id(hit: Hit) -> str:
    """The id the record table will use for this hit (see workflow/schemas/README.md)."""
    work = hit.work
    if hit.search_id == pool.PUBMED:
        return work.pmid
    if hit.search_id == pool.EUROPEPMC:
        return f"PPR:{work.ppr_id}" if work.kind == pool.PREPRINT else f"MED:{work.pmid}"
    if hit.search_id == pool.OPENALEX:
        return work.openalex_id
    if hit.search_id == pool.CROSSREF:
        return work.doi
    if hit.search_id == pool.RIS:
        return work.psycinfo_an
    return work.zotero_key


def truth_rows(demo: Pool) -> list[dict[str, str]]:
    """One row per hit: which work and study it is, whether it is relevant, how it differs."""
    rows = []
    for search_id in pool.SEARCH_IDS:
        for hit in demo.hits[search_id]:
            work = hit.work
            how, other = work.relation
            notes = [*work.notes, *([f"{how}:{other}"] if how else []), *hit.tags]
            rows.append(
                {
                    "search_id": search_id,
                    "source_id": source_id(hit),
                    "work_id": work.work_id,
                    "study_id": work.study_id,
                    "relevant": "1" if work.relevant else "0",
                    "kind": work.kind,
                    "note": "; ".join(notes),
                }
            )
    order = {search_id: index for index, search_id in enumerate(pool.SEARCH_IDS)}
    return sorted(rows, key=lambda row: (order[row["search_id"]], row["source_id"]))


def _truth_csv(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=TRUTH_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _pages(demo: Pool, search_id: str) -> tuple[list[formats.Page], int]:
    hits = demo.hits[search_id]
    works = {work.work_id: work for work in demo.works}
    search = searches.get(search_id)
    if search_id == pool.PUBMED:
        return formats.pubmed_pages(hits, works, search.query_as_run)
    if search_id == pool.EUROPEPMC:
        return formats.europepmc_pages(hits, works, search.query_as_run)
    if search_id == pool.OPENALEX:
        return formats.openalex_pages(hits)
    if search_id == pool.CROSSREF:
        return formats.crossref_pages(hits, works, search.query)
    return formats.zotero_pages(hits)


def write_snapshot(demo: Pool, root: Path, search_id: str) -> Manifest:
    """Write one search's pages and manifest under ``root/<source>/<search_id>/``."""
    search = searches.get(search_id)
    pages, hits_reported = _pages(demo, search_id)
    manifest = Manifest(
        search_id=search.id,
        source=search.source,
        endpoint=search.endpoint,
        query=search.query,
        query_as_run=search.query_as_run,
        parameters=dict(search.parameters),
        started_at=search.started_at,
        software=searches.SOFTWARE,
    )
    store = RawStore(root / SNAPSHOT_SOURCES[search_id] / search_id, manifest)
    store.folder.mkdir(parents=True, exist_ok=True)
    for page in pages:
        store.add_page(page.name, page.body, records=page.records, **page.extra)
    manifest.hits_reported = hits_reported
    manifest.complete = True
    manifest.completed_at = search.completed_at
    store.save()
    return manifest


def _categories(demo: Pool) -> dict[str, str]:
    themes = {theme.key: theme.category for theme in pool.THEMES}
    return {
        work.work_id: "relevant" if work.relevant else themes.get(work.theme, "nearmiss")
        for work in demo.works
    }


def queries_yaml(demo_dir: str) -> bytes:
    """``queries.yaml``: the searches as config entries, and what each sent."""
    data: dict[str, Any] = {
        "limits": {"year_from": pool.YEAR_FROM, "year_to": pool.YEAR_TO, "languages": ["en"]},
        "searches": [search.config_entry(demo_dir) for search in searches.all_searches()],
        "as_run": {
            search.id: {
                "endpoint": search.endpoint,
                "query_as_run": search.query_as_run,
                "parameters": search.parameters,
                "started_at": search.started_at,
            }
            for search in searches.all_searches()
            if search.source != "ris"
        },
    }
    header = (
        "# FICTIONAL DEMO DATA: the searches of the embedded demo review, written by\n"
        "# `python -m tools.demo` (tools/demo/searches.py). Do not edit by hand.\n"
        "# `searches` are entries for search.searches in config/config.yaml (with\n"
        "# search.mode: snapshot and search.snapshot_dir: config/demo/snapshot);\n"
        "# `as_run` is what each snapshot's manifest.json records as sent.\n"
    )
    body = yaml.dump(data, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True, width=1000)
    return (header + body).encode("utf-8")


class _BlockDumper(yaml.SafeDumper):
    """Writes multi-line strings (the Ovid query) as literal blocks."""


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _str_presenter)


def readme(demo: Pool, counts: dict[str, int]) -> bytes:
    """``README.md`` of the demo folder, with the counts of this pool."""
    works = {hit.work.work_id for hits in demo.hits.values() for hit in hits}
    relevant = sum(1 for work in demo.works if work.relevant)
    kinds = Counter(work.kind for work in demo.works)
    duplicated = sum(1 for work in demo.works if len(work.searches) > 1)
    rows = "\n".join(
        f"| `{search_id}` | {searches.get(search_id).database} | {count} | {_where(search_id)} |"
        for search_id, count in counts.items()
    )
    kind_list = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
    text = f"""{README_MARKER}

Everything under `config/demo/` is **fictional demo data** generated by
`python -m tools.demo`. None of these works exist: titles, abstracts, authors, affiliations,
DOIs (under the Crossref test prefix `10.5555/`), PMIDs (99000000 and up), OpenAlex ids
(`W99…`), PsycINFO accession numbers and Zotero keys are all invented. Journal and
organisation names are real names used for realism only; no real publication is described.
Do not cite, import into a real review, or report anything here as evidence.

The data exist so that the pipeline runs offline on a realistic review (trauma-informed care in
residential children's homes in England and comparable settings): each search is written in
that source's real response format and replayed with `search.mode: snapshot`.

## Regenerate

```
python -m tools.demo --output config/demo
```

The generator (`tools/demo/`, not part of the installed package) draws everything from a fixed seed
({pool.SEED}), so the same code always writes the same bytes; `tests/unit/test_demo.py` checks
that the committed files are exactly what it writes. Change the generator, then regenerate and
commit the result; never edit these files by hand.

## What is here

| search id | database | hits | files |
|---|---|---|---|
{rows}

{sum(counts.values())} hits of {len(works)} distinct works ({relevant} relevant to the demo
review); {duplicated} works are found by more than one search. Kinds of work: {kind_list}.

- `queries.yaml`: each search's query (as a `search.searches` entry for `config/config.yaml`)
  and what it sent (`as_run`: query as run, parameters).
- `truth.csv`: the ground truth, one row per hit: `search_id, source_id, work_id, study_id,
  relevant, kind, note`. Hits with the same `work_id` are duplicates; works with the same
  `study_id` are reports of one study (a preprint, a conference abstract and the article).
  `relevant` is 1 when the work meets the demo review's criteria at title/abstract screening:
  trauma-informed care (staff training, supervision and reflective practice, everyday care,
  organisational governance and leadership, whole-system models) in residential care for
  children and young people (children's homes, therapeutic residential care, residential
  treatment, secure children's homes); any design, including grey literature; 2000-2026;
  English. Foster care, schools, adult services, errata and letters are not relevant.
  `note` lists how this copy differs (`doi-missing`, `title-case`, `title-unhyphenated`,
  `us-spelling`, `html-entity`, `curly-apostrophe`, `author-initials`, `diacritics-stripped`,
  `abstract-truncated`, `abstract-missing`, `year-online-first`, `title-period`) and the special
  cases (`erratum-of:`, `preprint-of:`, `conference-abstract-of:`, `same-title-other-year:`,
  `similar-title-to:`, `series-part-of:`, `comment-on:`, `reply-to:`, `out-of-limits-year`,
  `non-english`, `added-by-hand`; the other side of a case is marked `has-erratum`,
  `has-correction`, `has-preprint`, `has-conference-abstract`, `has-comment`, `series-part-1`).
"""
    return text.encode("utf-8")


def _where(search_id: str) -> str:
    if search_id == pool.RIS:
        return f"`{searches.RIS_FILE}`"
    return f"`snapshot/{SNAPSHOT_SOURCES[search_id]}/{search_id}/`"


def _check_output(output: Path) -> None:
    """Refuse to clear a folder that is not a demo folder written by this stage."""
    if not output.exists():
        return
    if not output.is_dir():
        raise InputError(f"{output}: exists and is not a folder; choose another --output")
    marker = output / "README.md"
    if any(output.iterdir()) and not (
        marker.is_file() and marker.read_text(encoding="utf-8").startswith(README_MARKER)
    ):
        raise InputError(
            f"{output}: is not empty and is not a demo folder written by demo-data "
            f"(its README.md does not start with {README_MARKER!r}); choose an empty folder"
        )


def write_demo(output: Path, *, seed: int = pool.SEED) -> dict[str, int]:
    """(Re)write the whole demo folder; returns the number of hits per search id."""
    output = Path(output)
    _check_output(output)
    for name in ("snapshot", "exports"):
        if (output / name).is_dir():
            shutil.rmtree(output / name)
    demo = pool.build_pool(seed)
    counts: dict[str, int] = {}
    for search_id in pool.SEARCH_IDS:
        if search_id == pool.RIS:
            body = formats.ris_export(demo.hits[search_id], _categories(demo))
            write_atomic(output / searches.RIS_FILE, body)
        else:
            write_snapshot(demo, output / "snapshot", search_id)
        counts[search_id] = len(demo.hits[search_id])
    write_atomic(output / "truth.csv", _truth_csv(truth_rows(demo)))
    write_atomic(output / "queries.yaml", queries_yaml(DEFAULT_OUTPUT.as_posix()))
    write_atomic(output / "README.md", readme(demo, counts))
    return counts
