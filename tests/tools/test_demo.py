"""The embedded demo data (config/demo): generated, fictional, and in each source's real format."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import yaml

from realist_review import raw
from realist_review.config import validate_config
from realist_review.errors import InputError
from tools.demo import README_MARKER, TRUTH_COLUMNS, pool, searches, write_demo

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "config" / "demo"
API_SEARCHES = {
    "pubmed": "pubmed",
    "europepmc": "europepmc",
    "openalex": "openalex",
    "crossref": "crossref",
    "grey-literature": "zotero",
}


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _truth() -> list[dict[str, str]]:
    with (DEMO / "truth.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _notes(row: dict[str, str]) -> list[str]:
    return [part for part in row["note"].split("; ") if part]


def _snapshot(search_id: str) -> Path:
    return raw.find_snapshot(DEMO / "snapshot", API_SEARCHES[search_id], search_id)


def _xml_root(path: Path) -> ET.Element:
    """Parse one of the project's own demo files (not untrusted input)."""
    return ET.parse(path).getroot()  # noqa: S314


def _pages(search_id: str) -> list[Path]:
    folder = _snapshot(search_id)
    return raw.verified_pages(folder, raw.read_manifest(folder / raw.MANIFEST))


# --------------------------------------------------------------------------------------------
# Generated, deterministic, marked as fiction
# --------------------------------------------------------------------------------------------
def test_committed_demo_is_exactly_what_the_generator_writes(tmp_path: Path) -> None:
    write_demo(tmp_path / "demo")
    committed, generated = _files(DEMO), _files(tmp_path / "demo")
    assert sorted(committed) == sorted(generated)
    changed = [name for name in committed if committed[name] != generated[name]]
    assert not changed, f"regenerate with `python -m tools.demo`: {changed}"


def test_rewriting_an_existing_demo_folder_gives_the_same_bytes(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    write_demo(out)
    first = _files(out)
    (out / "snapshot" / "pubmed" / "pubmed" / "efetch-0009.xml").write_text("stale page")
    write_demo(out)
    assert _files(out) == first


def test_another_seed_gives_another_pool() -> None:
    first, other = pool.build_pool(), pool.build_pool(7)
    assert [w.title for w in first.works] != [w.title for w in other.works]


def test_demo_folder_says_it_is_fictional() -> None:
    readme = (DEMO / "README.md").read_text(encoding="utf-8")
    assert readme.startswith(README_MARKER)
    assert "fictional" in readme.lower() and "python -m tools.demo" in readme
    queries = (DEMO / "queries.yaml").read_text(encoding="utf-8")
    assert queries.startswith("# FICTIONAL DEMO DATA")
    first_article = _xml_root(_pages("pubmed")[1]).find("PubmedArticle")
    assert first_article is not None
    assert "Fictional" in (first_article.findtext("MedlineCitation/GeneralNote") or "")


def test_refuses_to_overwrite_a_folder_that_is_not_demo_data(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("a reviewer's notes")
    assert _tool("--output", str(tmp_path)).returncode == 2
    assert (tmp_path / "notes.txt").read_text() == "a reviewer's notes"
    assert not (tmp_path / "snapshot").exists()


def _tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tools.demo", *args], cwd=REPO, capture_output=True, text=True
    )


@pytest.mark.slow
def test_the_tool_writes_the_demo(tmp_path: Path) -> None:
    assert _tool("--output", str(tmp_path / "demo")).returncode == 0
    assert (tmp_path / "demo" / "truth.csv").read_bytes() == (DEMO / "truth.csv").read_bytes()


# --------------------------------------------------------------------------------------------
# Manifests and counts
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("search_id", sorted(API_SEARCHES))
def test_manifest_is_valid_complete_and_checksummed(search_id: str, tmp_path: Path) -> None:
    folder = _snapshot(search_id)
    manifest = raw.read_manifest(folder / raw.MANIFEST)
    search = searches.get(search_id)
    assert manifest.complete and manifest.search_id == search_id
    assert (manifest.query, manifest.query_as_run) == (search.query, search.query_as_run)
    assert manifest.parameters == search.parameters
    assert manifest.started_at <= manifest.completed_at
    assert [p.name for p in raw.verified_pages(folder, manifest)] == [
        page["file"] for page in manifest.pages
    ]
    truth = [row for row in _truth() if row["search_id"] == search_id]
    assert sum(page["records"] for page in manifest.pages) == len(truth)
    assert manifest.hits_reported == len(truth)
    store = raw.copy_snapshot(folder, tmp_path / "raw")
    assert store.folder.name == manifest.query_hash


def test_a_changed_page_is_caught_by_its_checksum(tmp_path: Path) -> None:
    copy = tmp_path / "pubmed"
    folder = _snapshot("pubmed")
    copy.mkdir()
    for path in folder.iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    page = copy / "efetch-0001.xml"
    page.write_bytes(page.read_bytes().replace(b"Trauma", b"Drama", 1))
    with pytest.raises(InputError, match="checksum"):
        raw.verified_pages(copy, raw.read_manifest(copy / raw.MANIFEST))


def test_counts_sources_and_relevance() -> None:
    truth = _truth()
    assert list(truth[0]) == list(TRUTH_COLUMNS)
    per_search = Counter(row["search_id"] for row in truth)
    assert set(per_search) == set(pool.SEARCH_IDS)
    assert len(truth) >= 300
    assert min(per_search.values()) >= 20
    assert len({(row["search_id"], row["source_id"]) for row in truth}) == len(truth)
    works = {row["work_id"]: row for row in truth}
    relevant = sum(row["relevant"] == "1" for row in works.values())
    assert 0.15 <= relevant / len(works) <= 0.25
    ris_hits = (DEMO / searches.RIS_FILE).read_text(encoding="utf-8").count("\nER  -")
    assert ris_hits == per_search["psycinfo-ovid"]


def test_demo_is_modest_in_size() -> None:
    assert sum(len(body) for body in _files(DEMO).values()) < 3_000_000


# --------------------------------------------------------------------------------------------
# Duplicates and the hard cases
# --------------------------------------------------------------------------------------------
VARIANT_CASES = [
    # (tag in truth.csv, what the copy looks like)
    ("doi-missing", "no DOI in this source (older PubMed records, hand-entered items)"),
    ("title-case", "Headline Case as publishers deposit it with Crossref"),
    ("title-period", "trailing period, as PubMed and PsycINFO write titles"),
    ("title-unhyphenated", "'trauma informed' for 'trauma-informed'"),
    ("us-spelling", "PsycINFO's American spelling of a British title and abstract"),
    ("html-entity", "'&amp;' and '&#8217;' left in the title"),
    ("curly-apostrophe", "'children’s' for 'children's'"),
    ("author-initials", "'S. J. Smith' or 'Smith S J' for 'Sarah J. Smith'"),
    ("diacritics-stripped", "'Muller' for 'Müller'"),
    ("abstract-truncated", "abstract cut at about 250 characters with '...'"),
    ("abstract-missing", "no abstract in this source"),
    ("year-online-first", "the online-first year, one before the issue's year"),
]


@pytest.mark.parametrize(("tag", "note"), [pytest.param(*c, id=c[0]) for c in VARIANT_CASES])
def test_each_variant_appears_on_a_work_another_search_has_as_written(tag: str, note: str) -> None:
    """A duplicate is only hard if another source has the work as written."""
    by_work: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in _truth():
        by_work[row["work_id"]].append(row)
    cases = [
        work
        for work, rows in by_work.items()
        if any(tag in _notes(r) for r in rows) and any(tag not in _notes(r) for r in rows)
    ]
    assert len(cases) >= 2, f"{tag} ({note}): {len(cases)} duplicated works carry it"


def test_same_work_in_several_sources_with_doi_in_one_only() -> None:
    demo = pool.build_pool()
    works_in = Counter(len(w.searches) for w in demo.works)
    assert sum(n for k, n in works_in.items() if k >= 2) >= 80
    assert sum(n for k, n in works_in.items() if k >= 4) >= 10
    doi_gap = [
        w
        for w in demo.works
        if len(w.searches) > 1
        and any(h.work is w and h.has(pool.DOI_MISSING) for s in w.searches for h in demo.hits[s])
    ]
    assert len(doi_gap) >= 10


def _related(rows: list[dict[str, str]], prefix: str) -> list[tuple[dict[str, str], str]]:
    return [
        (row, note.split(":", 1)[1])
        for row in rows
        for note in _notes(row)
        if note.startswith(prefix + ":")
    ]


SPECIAL_CASES = [
    # (id, relation prefix, kind, same study as the other work?, note)
    ("erratum", "erratum-of", "erratum", False, "an erratum is never merged with its article"),
    ("preprint", "preprint-of", "preprint", True, "a preprint is another report of the study"),
    ("conference", "conference-abstract-of", "conference_abstract", True, "an earlier report"),
    ("same-title-year", "same-title-other-year", "conference_abstract", True, "two records"),
    ("series", "series-part-of", "article", True, "part 1 and part 2 are different reports"),
    ("comment", "comment-on", "comment", False, "a letter about the article"),
    ("reply", "reply-to", "reply", False, "the authors' reply to the comment"),
]


@pytest.mark.parametrize(
    ("prefix", "kind", "same_study", "note"), [pytest.param(*c[1:], id=c[0]) for c in SPECIAL_CASES]
)
def test_special_case_is_a_different_work(
    prefix: str, kind: str, same_study: bool, note: str
) -> None:
    truth = _truth()
    by_work = {row["work_id"]: row for row in truth}
    pairs = {(row["work_id"], other) for row, other in _related(truth, prefix)}
    assert pairs, f"no {prefix} case in truth.csv ({note})"
    for work_id, other_id in pairs:
        work, other = by_work[work_id], by_work[other_id]
        assert work["kind"] == kind
        assert work_id != other_id
        assert (work["study_id"] == other["study_id"]) is same_study


def test_erratum_and_its_article_meet_in_the_same_source() -> None:
    truth = _truth()
    for row, article in _related(truth, "erratum-of"):
        sources_of_article = {r["search_id"] for r in truth if r["work_id"] == article}
        sources_of_erratum = {r["search_id"] for r in truth if r["work_id"] == row["work_id"]}
        assert sources_of_article & sources_of_erratum
    titles = {w.work_id: w.title for w in pool.build_pool().works}
    errata = {row["work_id"] for row, _ in _related(truth, "erratum-of")}
    assert {titles[w].split(":")[0] for w in errata} == {"Erratum", "Correction to"}


def test_similar_titles_of_different_studies_are_not_the_same_work() -> None:
    demo = pool.build_pool()
    works = {w.work_id: w for w in demo.works}
    pairs = [
        (w, works[n.split(":")[1]]) for w in demo.works for n in w.notes if "similar-title" in n
    ]
    assert len(pairs) == 4  # two pairs, each noted on both works
    identical = [(a, b) for a, b in pairs if a.title == b.title]
    assert identical, "one pair has exactly the same title"
    for a, b in pairs:
        assert a.study_id != b.study_id and a.year != b.year
        assert {p.family for p in a.authors} != {p.family for p in b.authors}


def test_records_outside_the_limits_are_in_the_export_only() -> None:
    truth = _truth()
    limited = [r for r in truth if {"out-of-limits-year", "non-english"} & set(_notes(r))]
    assert {r["search_id"] for r in limited} <= {"psycinfo-ovid", "grey-literature"}
    assert {n for r in limited for n in _notes(r)} >= {"out-of-limits-year", "non-english"}
    assert all(r["relevant"] == "0" for r in limited)


def test_abstracts_have_realistic_length() -> None:
    demo = pool.build_pool()
    lengths = [len(w.abstract.split()) for w in demo.works if w.kind == pool.ARTICLE]
    assert min(lengths) >= 120 and max(lengths) <= 300
    relevant = " ".join(w.abstract for w in demo.works if w.relevant).lower()
    assert "children's homes" in relevant and "supervision" in relevant


# --------------------------------------------------------------------------------------------
# Each page in its source's real format
# --------------------------------------------------------------------------------------------
def _ids_in_truth(search_id: str) -> set[str]:
    return {row["source_id"] for row in _truth() if row["search_id"] == search_id}


def test_pubmed_pages_are_esearch_and_efetch_xml() -> None:
    esearch, *efetch = _pages("pubmed")
    text = esearch.read_text(encoding="utf-8")
    assert '<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch' in text
    root = _xml_root(esearch)
    assert root.tag == "eSearchResult"
    for tag in ("Count", "RetMax", "RetStart", "QueryKey", "WebEnv", "QueryTranslation"):
        assert root.findtext(tag), tag
    assert root.find("TranslationSet") is not None
    ids = [e.text for e in root.iter("Id")]
    assert int(root.findtext("Count") or 0) == len(ids)
    fetched: list[str] = []
    structured = 0
    for page in efetch:
        assert "<!DOCTYPE PubmedArticleSet PUBLIC" in page.read_text(encoding="utf-8")
        root = _xml_root(page)
        assert root.tag == "PubmedArticleSet"
        for article in root.findall("PubmedArticle"):
            fetched.append(article.findtext("MedlineCitation/PMID") or "")
            art = article.find("MedlineCitation/Article")
            assert art is not None
            assert art.findtext("ArticleTitle")
            assert art.findtext("Journal/JournalIssue/PubDate/Year")
            assert art.findtext("Language") == "eng"
            assert art.find("PublicationTypeList/PublicationType") is not None
            structured += bool(art.findall("Abstract/AbstractText[@Label]"))
            ids_list = article.find("PubmedData/ArticleIdList")
            assert ids_list is not None
            assert ids_list.findtext("ArticleId[@IdType='pubmed']") == fetched[-1]
    assert fetched == ids and set(fetched) == _ids_in_truth("pubmed")
    assert structured >= 10


def test_pubmed_xml_passes_biopythons_dtd_validating_parser() -> None:
    entrez = pytest.importorskip("Bio.Entrez")
    esearch, *efetch = _pages("pubmed")
    with esearch.open("rb") as handle:
        assert int(entrez.read(handle, validate=True)["Count"]) == len(_ids_in_truth("pubmed"))
    for page in efetch:
        with page.open("rb") as handle:
            assert entrez.read(handle, validate=True)["PubmedArticle"]


def test_europepmc_pages_are_core_search_json_with_cursor_paging() -> None:
    pages = [json.loads(p.read_bytes()) for p in _pages("europepmc")]
    assert len(pages) >= 2
    seen: list[str] = []
    for number, page in enumerate(pages):
        assert {"version", "hitCount", "request", "resultList"} <= set(page)
        assert page["request"]["resultType"] == "core"
        for result in page["resultList"]["result"]:
            assert {"id", "source", "title", "pubYear"} <= set(result)
            assert result["source"] in ("MED", "PPR")
            seen.append(f"{result['source']}:{result['id']}")
        if number + 1 < len(pages):
            assert pages[number + 1]["request"]["cursorMark"] != page["request"]["cursorMark"]
    last = pages[-1]
    assert unquote(last["request"]["cursorMark"]) == last["nextCursorMark"]  # end of results
    assert set(seen) == _ids_in_truth("europepmc") and len(seen) == pages[0]["hitCount"]
    assert any(
        "<h4>" in r.get("abstractText", "") for p in pages for r in p["resultList"]["result"]
    )


def test_openalex_pages_are_works_list_envelopes() -> None:
    pages = [json.loads(p.read_bytes()) for p in _pages("openalex")]
    ids = []
    for page in pages:
        assert list(page) == ["meta", "results", "group_by"]
        assert list(page["meta"]) == [
            "count", "db_response_time_ms", "page", "per_page", "next_cursor", "groups_count",
        ]  # fmt: skip
        for work in page["results"]:
            ids.append(work["id"].rsplit("/", 1)[1])
            for key in ("doi", "title", "display_name", "publication_year", "ids", "language"):
                assert key in work, key
            assert "source" in work["primary_location"]
            assert all("display_name" in a["author"] for a in work["authorships"])
            assert set(work["biblio"]) == {"volume", "issue", "first_page", "last_page"}
            index = work["abstract_inverted_index"]
            if index:
                words = sorted((pos, word) for word, places in index.items() for pos in places)
                assert [pos for pos, _ in words] == list(range(len(words)))
    assert pages[-1]["meta"]["next_cursor"] is None and pages[-1]["results"] == []
    assert all(p["meta"]["next_cursor"] for p in pages[:-1])
    assert set(ids) == _ids_in_truth("openalex") and len(ids) == pages[0]["meta"]["count"]


def test_crossref_page_is_a_work_list_message() -> None:
    (page,) = [json.loads(p.read_bytes()) for p in _pages("crossref")]
    assert (page["status"], page["message-type"]) == ("ok", "work-list")
    message = page["message"]
    assert {"total-results", "items-per-page", "next-cursor", "query", "items"} <= set(message)
    types = Counter(item["type"] for item in message["items"])
    assert types["journal-article"] and types["posted-content"]
    for item in message["items"]:
        assert isinstance(item["title"], list) and item["DOI"].startswith("10.5555/")
        assert item["URL"] == f"https://doi.org/{item['DOI']}"
        assert "date-parts" in item["published"]
        if "abstract" in item:
            assert item["abstract"].startswith(("<jats:p>", "<jats:sec>"))
    assert {i["DOI"] for i in message["items"]} == _ids_in_truth("crossref")
    assert message["total-results"] == len(message["items"]) < message["items-per-page"]


def test_zotero_page_is_a_web_api_item_array() -> None:
    (items,) = [json.loads(p.read_bytes()) for p in _pages("grey-literature")]
    assert isinstance(items, list)
    kinds = Counter(item["data"]["itemType"] for item in items)
    assert {"report", "webpage", "document", "bookSection", "journalArticle"} <= set(kinds)
    for item in items:
        assert {"key", "version", "library", "links", "meta", "data"} <= set(item)
        data = item["data"]
        assert data["key"] == item["key"] and data["collections"] == [searches.ZOTERO_COLLECTION]
        for creator in data["creators"]:
            assert "name" in creator or {"firstName", "lastName"} <= set(creator)
    assert {item["key"] for item in items} == _ids_in_truth("grey-literature")


_RIS_LINE = re.compile(r"^(\d+\.|[A-Z][A-Z0-9]  - .*|ER  -|)$")


def test_ris_export_is_ovid_psycinfo_style() -> None:
    text = (DEMO / searches.RIS_FILE).read_text(encoding="utf-8")
    bad = [line for line in text.splitlines() if not _RIS_LINE.match(line)]
    assert not bad, bad[:3]
    records = [r for r in text.split("ER  -") if r.strip()]
    for number, record in enumerate(records, start=1):
        lines = record.strip().splitlines()
        assert lines[0] == f"{number}."
        assert lines[1] in ("TY  - JOUR", "TY  - THES")
        assert re.match(r"Y1  - \d{4}//$", next(x for x in lines if x.startswith("Y1")))
    ids = set(re.findall(r"^ID  - (.+)$", text, flags=re.M))
    assert ids == _ids_in_truth("psycinfo-ovid")
    assert "DO  - http://dx.doi.org/10.5555/" in text and "SP  - No\nEP  - Specified" in text


# --------------------------------------------------------------------------------------------
# queries.yaml is ready for config/config.yaml
# --------------------------------------------------------------------------------------------
def test_queries_yaml_entries_are_valid_config_searches() -> None:
    data: dict[str, Any] = yaml.safe_load((DEMO / "queries.yaml").read_text(encoding="utf-8"))
    config = {
        "review": {"id": "demo", "title": "Demo review", "question": "What works?", "demo": True},
        "limits": data["limits"],
        "search": {
            "mode": "snapshot",
            "snapshot_dir": "config/demo/snapshot",
            "searches": data["searches"],
        },
    }
    validate_config(config)
    assert [s["id"] for s in data["searches"]] == list(pool.SEARCH_IDS)
    ris = next(s for s in data["searches"] if s["source"] == "ris")
    assert ris["executed_on"] == "2026-11-02" and ris["platform"] == "Ovid"
    assert (REPO / ris["files"][0]).is_file()
    for search_id, as_run in data["as_run"].items():
        manifest = raw.read_manifest(_snapshot(search_id) / raw.MANIFEST)
        assert as_run["query_as_run"] == manifest.query_as_run
        assert as_run["parameters"] == manifest.parameters


def test_shipped_config_replays_exactly_the_demo_searches() -> None:
    """config/config.yaml's searches are the demo's, so the default run replays cleanly."""
    import yaml

    from realist_review.config import load_config

    repo = Path(__file__).resolve().parents[2]
    config = load_config(repo / "config" / "config.yaml")
    demo = yaml.safe_load((repo / "config" / "demo" / "queries.yaml").read_text())
    configured = {s["id"]: s for s in config["search"]["searches"]}
    assert set(configured) == {s["id"] for s in demo["searches"]}
    for search in demo["searches"]:
        mine = configured[search["id"]]
        for key in ("source", "query", "files", "library_id", "collection", "prisma_group"):
            assert mine.get(key) == search.get(key), (search["id"], key)
    assert config["limits"] == demo["limits"]
    assert config["search"]["mode"] == "snapshot"
