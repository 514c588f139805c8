"""The demo review's searches: queries, what the clients send, and where the files go.

What each search *sends* (``query_as_run``, ``parameters``, endpoint) is not written here: it is
what the live client's ``plan`` makes of the query with the demo's limits and client settings
(:data:`DEMO_CLIENTS`, the same as ``clients:`` in ``config/config.yaml``), so a replayed
snapshot always matches what a live run of the same config would send.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from typing import Any

from realist_review.config import Limits, SearchSpec, client_settings
from realist_review.records import PrismaGroup, Source
from tools.demo import pool

PUBMED_BATCH_SIZE = 50
EUROPEPMC_PAGE_SIZE = 100
OPENALEX_PER_PAGE = 100
CROSSREF_ROWS = 100
ZOTERO_LIMIT = 100
ZOTERO_LIBRARY_ID = "5550001"
ZOTERO_COLLECTION = "TICGREY1"
SOFTWARE = "realist-review demo-data (fictional snapshot)"
RIS_FILE = "exports/psycinfo_ovid.ris"


@dataclass(frozen=True)
class DemoSearch:
    """One search of the demo review, as the config describes it and as it was sent."""

    id: str
    source: str
    database: str
    query: str
    query_as_run: str = ""
    parameters: dict[str, Any] = field(default_factory=dict)
    endpoint: str = ""
    platform: str = ""
    started_at: str = ""
    completed_at: str = ""
    prisma_group: str = ""
    other_method: str = ""
    executed_on: str = ""
    files: tuple[str, ...] = ()
    library_id: str = ""
    collection: str = ""

    def config_entry(self, demo_dir: str) -> dict[str, Any]:
        """The entry for ``search.searches`` in ``config/config.yaml`` (schema-valid)."""
        entry: dict[str, Any] = {"id": self.id, "source": self.source, "database": self.database}
        if self.platform:
            entry["platform"] = self.platform
        if self.prisma_group:
            entry["prisma_group"] = self.prisma_group
        if self.other_method:
            entry["other_method"] = self.other_method
        if self.query:
            entry["query"] = self.query
        if self.executed_on:
            entry["executed_on"] = self.executed_on
        if self.files:
            entry["files"] = [f"{demo_dir}/{name}" for name in self.files]
        if self.source == "zotero":
            entry["library_type"] = "group"
            entry["library_id"] = self.library_id
            entry["collection"] = self.collection
        return entry

    def spec(self) -> SearchSpec:
        """The search as the pipeline's config reads it."""
        return SearchSpec(
            id=self.id,
            source=Source(self.source),
            database=self.database,
            prisma_group=PrismaGroup(self.prisma_group or "databases"),
            other_method=self.other_method,
            platform=self.platform,
            query=self.query,
            library_id=self.library_id,
            library_type="group",
            collection=self.collection,
        )


PUBMED_QUERY = (
    '("trauma-informed care"[tiab] OR "trauma informed"[tiab] OR "trauma-aware"[tiab]) AND '
    '("residential care"[tiab] OR "children\'s homes"[tiab] OR "residential child care"[tiab] OR '
    '"looked after children"[tiab] OR "out-of-home care"[tiab]) AND (training[tiab] OR '
    "supervision[tiab] OR staff[tiab] OR organisation*[tiab] OR organization*[tiab])"
)
EUROPEPMC_QUERY = (
    '("trauma-informed care" OR "trauma informed" OR "trauma-aware") AND ("residential care" OR '
    '"children\'s homes" OR "residential child care" OR "looked after children" OR '
    '"out-of-home care")'
)
OPENALEX_QUERY = "trauma-informed care residential children's homes staff training supervision"
CROSSREF_QUERY = "trauma-informed residential child care staff"
OVID_QUERY = "\n".join(
    (
        "1. (trauma-informed or trauma informed or trauma-aware).ti,ab.",
        "2. (residential care or children's homes or residential child care or looked after "
        "children or out-of-home care).ti,ab.",
        "3. (training or supervision or staff or organi?ation*).ti,ab.",
        "4. 1 and 2 and 3",
    )
)


def _minutes(offset: int) -> str:
    """09:15 UTC on the search date plus ``offset`` minutes (one search after another)."""
    hour, minute = 9, 15 + offset
    hour, minute = hour + minute // 60, minute % 60
    return f"2026-11-02T{hour:02d}:{minute:02d}:00Z"


_SEARCHES: tuple[DemoSearch, ...] = (
    DemoSearch(
        id=pool.PUBMED,
        source="pubmed",
        database="PubMed",
        platform="NCBI E-utilities",
        query=PUBMED_QUERY,
        started_at=_minutes(0),
        completed_at=_minutes(1),
    ),
    DemoSearch(
        id=pool.EUROPEPMC,
        source="europepmc",
        database="Europe PMC",
        platform="Europe PMC REST API",
        query=EUROPEPMC_QUERY,
        started_at=_minutes(2),
        completed_at=_minutes(3),
    ),
    DemoSearch(
        id=pool.OPENALEX,
        source="openalex",
        database="OpenAlex",
        platform="OpenAlex API",
        query=OPENALEX_QUERY,
        started_at=_minutes(4),
        completed_at=_minutes(5),
    ),
    DemoSearch(
        id=pool.CROSSREF,
        source="crossref",
        database="Crossref",
        platform="Crossref REST API",
        query=CROSSREF_QUERY,
        started_at=_minutes(6),
        completed_at=_minutes(6),
    ),
    DemoSearch(
        id=pool.RIS,
        source="ris",
        database="APA PsycInfo",
        platform="Ovid",
        query=OVID_QUERY,
        executed_on=pool.SEARCH_DATE,
        files=(RIS_FILE,),
    ),
    DemoSearch(
        id=pool.ZOTERO,
        source="zotero",
        database="Grey literature (Zotero collection)",
        platform="Zotero Web API",
        query="",
        library_id=ZOTERO_LIBRARY_ID,
        collection=ZOTERO_COLLECTION,
        started_at=_minutes(7),
        completed_at=_minutes(7),
        prisma_group="other_methods",
        other_method="websites",
    ),
)


#: The demo's ``clients:`` settings (also in config/config.yaml): small pages, so paging shows.
DEMO_CLIENTS: dict[str, Any] = {
    "pubmed": {"batch_size": PUBMED_BATCH_SIZE},
    "europepmc": {"page_size": EUROPEPMC_PAGE_SIZE},
}
DEMO_LIMITS = Limits(year_from=pool.YEAR_FROM, year_to=pool.YEAR_TO, languages=("en",))


def _as_planned(search: DemoSearch) -> DemoSearch:
    """Fill in what the live client would send for this search (query as run, parameters)."""
    if search.source == "ris":
        return search
    from realist_review.clients import get_client

    settings = client_settings({"clients": DEMO_CLIENTS})
    manifest = get_client(Source(search.source)).plan(search.spec(), DEMO_LIMITS, settings)
    return replace(
        search,
        query_as_run=manifest.query_as_run,
        parameters=dict(manifest.parameters),
        endpoint=manifest.endpoint,
    )


@functools.cache
def all_searches() -> tuple[DemoSearch, ...]:
    """Every demo search as planned (on first use, so that importing this module is quiet)."""
    return tuple(_as_planned(search) for search in _SEARCHES)


def get(search_id: str) -> DemoSearch:
    """The demo search with this id."""
    for search in all_searches():
        if search.id == search_id:
            return search
    raise KeyError(search_id)
