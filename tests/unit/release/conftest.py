"""A small review folder (no Snakemake run) to freeze, verify and diff."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from realist_review.tables import write_table

RECORDS_HEADER = "record_id,title,doi\n"
DECISIONS_HEADER = (
    "record_id,reviewer,round,decision,reason,note,timestamp,source_file,source_sha256,"
    "kind,version,source_row\n"
)

SEARCH_LOG_ROW = {
    "search_id": "pubmed", "source": "pubmed", "database": "MEDLINE", "prisma_group": "databases",
    "other_method": "", "platform": "NCBI E-utilities", "endpoint": "https://example.org/esearch",
    "query": "care", "query_as_run": "care", "parameters": "{}",
    "executed_at": "2026-11-02T09:16:00Z", "mode": "snapshot", "software": "test",
    "hits_reported": "1", "records_retrieved": "1",
    "raw_path": "results/search/raw/pubmed/pubmed/abc", "raw_sha256": "0" * 64,
    "status": "complete", "note": "",
}  # fmt: skip


def demo_config() -> dict[str, Any]:
    """A valid config with one API search and one export."""
    return {
        "review": {"id": "tiny-review", "title": "A tiny review", "question": "What works?"},
        "limits": {"year_from": 2000},
        "search": {
            "mode": "snapshot",
            "snapshot_dir": "config/demo/snapshot",
            "searches": [
                {"id": "pubmed", "source": "pubmed", "database": "MEDLINE", "query": "care"},
                {
                    "id": "psycinfo",
                    "source": "ris",
                    "database": "APA PsycInfo",
                    "query": "1. care",
                    "files": ["config/searches/psycinfo.ris"],
                },
            ],
        },
        "screening": {"team": ["a", "b"], "seed": 7},
    }


def write_review(root: Path, config: dict[str, Any] | None = None) -> Path:
    """Write a review folder with every kind of file a release holds (and some it does not)."""
    config = config or demo_config()
    files = {
        "Snakefile": "include: 'workflow/rules/common.smk'\n",
        "workflow/rules/common.smk": "# rules\n",
        "workflow/scripts/__pycache__/x.cpython-311.pyc": "bytecode",
        "config/config.yaml": yaml.safe_dump(config),
        "config/searches/psycinfo.ris": "TY  - JOUR\nTI  - Care\nER  - \n",
        "config/screening/round-01/a.csv": "record_id,decision\nrec-1,include\n",
        "config/demo/snapshot/pubmed/pubmed/manifest.json": "{}\n",
        "config/fulltext/paper.pdf": "%PDF-1.4 supplied by a reviewer",
        "results/search/raw/pubmed/pubmed/abc/esearch-0001.xml": "<eSearchResult/>\n",
        "results/search/raw/pubmed/pubmed/abc/.lock": "",
        "results/dedup/records.csv": RECORDS_HEADER
        + "rec-1,Care homes,10.1/a\nrec-2,Staff training,\nrec-3,Supervision,10.1/c\n",
        "results/screen/decision_log.csv": DECISIONS_HEADER
        + "rec-1,a,1,include,,,2025-01-01T00:00:00Z,round-01/a.csv,x,ranked,1,2\n"
        + "rec-2,a,1,exclude,E1,,2025-01-01T00:00:00Z,round-01/a.csv,x,ranked,1,3\n",
        "results/screen/model.meta.json": '{"model": {"seed": 42, "name": "lr"}}\n',
        "results/screen/sheets/.snakemake_timestamp": "",
        "results/cmo/confirmed.csv": "cmoc_id,record_id,outcome\ncmo-1,rec-1,trust\n",
        "results/fulltext/files/rec-1.pdf": "%PDF-1.4 retrieved",
        "results/fulltext/index.csv": "record_id,sha256\nrec-1,abc\n",
        "results/llm/cache/response-1.json": '{"text": "cached"}\n',
        "results/logs/run_search/pubmed.log": "log\n",
        "results/benchmarks/run_search/pubmed.tsv": "s\n",
        "report.html": "<html>report</html>\n",
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    write_table(root / "results/search/search_log.csv", [SEARCH_LOG_ROW], "search_log")
    return root


@pytest.fixture
def review(tmp_path: Path) -> Path:
    """A review folder in tmp_path/review."""
    return write_review(tmp_path / "review")
