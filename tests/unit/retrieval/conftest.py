"""Fixtures for the retrieval tests: the full-text server, settings, a tiny review on disk."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from support.fulltext_api import FulltextApi

from realist_review.config import CLIENT_DEFAULTS, client_settings
from realist_review.retrieval import Outputs, Summary, retrieve_fulltexts
from realist_review.retrieval.stage import CLIENT_DEFAULTS as FULLTEXT_DEFAULTS
from realist_review.tables import table_spec, write_table

#: Secrets put in the environment; none may appear in any written file, message or log.
SECRETS = {
    "RR_TEST_EMAIL": "reviewer.secret@example.org",
    "RR_TEST_OPENALEX_KEY": "openalex-secret-key-42",
    "RR_TEST_ZOTERO_KEY": "zoteroSecretKey987",
}


@pytest.fixture
def secrets_env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    return SECRETS


@pytest.fixture
def api() -> Iterator[FulltextApi]:
    with FulltextApi(zotero_key=SECRETS["RR_TEST_ZOTERO_KEY"]) as server:
        yield server


def settings_for(url: str, **overrides: Any) -> dict[str, Any]:
    """Client settings pointing at the server, with tiny timeouts and backoff."""
    settings = client_settings({"clients": {}})
    settings.update(
        contact_email_env="RR_TEST_EMAIL",
        timeout_seconds=0.5,
        max_retries=2,
        backoff_seconds=0.01,
        max_wait_seconds=2.0,
    )
    fast = {"requests_per_second": 1000}
    settings["europepmc"] = {
        **CLIENT_DEFAULTS["europepmc"],
        "base_url": f"{url}/europepmc/",
        **fast,
    }
    settings["openalex"] = {
        **CLIENT_DEFAULTS["openalex"],
        "base_url": f"{url}/openalex/",
        "api_key_env": "RR_TEST_OPENALEX_KEY",
        **fast,
    }
    settings["zotero"] = {
        **CLIENT_DEFAULTS["zotero"],
        "base_url": f"{url}/zotero",
        "api_key_env": "RR_TEST_ZOTERO_KEY",
        **fast,
    }
    settings["unpaywall"] = {
        **FULLTEXT_DEFAULTS["unpaywall"],
        "base_url": f"{url}/unpaywall/",
        **fast,
    }
    settings["download"] = {**FULLTEXT_DEFAULTS["download"], **fast}
    settings.update(overrides)
    return settings


def record_row(record_id: str, **fields: str) -> dict[str, str]:
    """A deduplicated record row (every column, empty unless given)."""
    row = {col: "" for col in table_spec("merged_record").columns}
    row.update(
        record_id=record_id,
        source="pubmed",
        source_id=record_id,
        origin=f"pubmed:{record_id}",
        members=record_id,
        study_id=record_id,
        provenance="{}",
    )
    row.update(fields)
    return row


@dataclass
class Review:
    """A review folder in tmp_path: records, screening status, config/fulltext/."""

    root: Path

    @property
    def local_dir(self) -> Path:
        return self.root / "config" / "fulltext"

    @property
    def out(self) -> Outputs:
        return Outputs.under(self.root / "results" / "fulltext")

    def write(self, records: Sequence[Mapping[str, str]], status: Mapping[str, str]) -> None:
        write_table(
            self.root / "records.csv",
            sorted(records, key=lambda r: r["record_id"]),
            "merged_record",
        )
        rows = [
            {"record_id": rid, "status": st, "reason": "", "round": "1", "decided_by": "human"}
            for rid, st in sorted(status.items())
        ]
        write_table(self.root / "status.csv", rows, "screen_status")

    def add_file(self, name: str, data: bytes) -> Path:
        path = self.local_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def run(
        self,
        clients: Mapping[str, Any],
        *,
        mode: str = "live",
        zotero_searches: Sequence[str] = (),
        **settings: Any,
    ) -> Summary:
        return retrieve_fulltexts(
            status=self.root / "status.csv",
            records=self.root / "records.csv",
            outputs=self.out,
            raw_dir=self.root / "results" / "fulltext" / "raw",
            settings={"mode": mode, "local_dir": "config/fulltext", **settings},
            clients=clients,
            search_raw_dir=self.root / "results" / "search" / "raw",
            zotero_searches=zotero_searches,
            base_dir=self.root,
        )


@pytest.fixture
def review(tmp_path: Path) -> Review:
    return Review(tmp_path)


def read_csv(path: Path) -> list[dict[str, str]]:
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def every_written_text(root: Path) -> str:
    """All bytes below ``root`` (xlsx unzipped), decoded leniently: for secret checks."""
    import zipfile

    chunks = []
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                data = b"".join(archive.read(name) for name in archive.namelist())
        chunks.append(data.decode("utf-8", "replace"))
    return "\n".join(chunks)
