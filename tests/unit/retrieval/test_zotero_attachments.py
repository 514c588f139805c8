"""Zotero attachments: linked files read from disk, imported files through the Zotero API."""

from __future__ import annotations

import json
from pathlib import Path

from support.fulltext_api import FulltextApi, make_pdf

from realist_review.raw import Manifest, RawStore

from .conftest import SECRETS, Review, every_written_text, read_csv, record_row, settings_for

PDF_LINKED = make_pdf(["A linked report"])
PDF_RELATIVE = make_pdf(["A report under the linked attachment base directory"])
PDF_IMPORTED = make_pdf(["An imported report"])


def _attachment(key: str, parent: str, mode: str, **data: str) -> dict:
    return {
        "key": key,
        "data": {
            "key": key,
            "itemType": "attachment",
            "parentItem": parent,
            "linkMode": mode,
            "contentType": "application/pdf",
            **data,
        },
    }


def _library(review: Review, items: list[dict]) -> None:
    manifest = Manifest(
        search_id="grey",
        source="zotero",
        endpoint="https://api.zotero.org/groups/42/items",
        query="",
        query_as_run="groups/42/items",
        parameters={
            "library_type": "group",
            "library_id": "42",
            "collection": "",
            "format": "json",
        },
    )
    store = RawStore.open(review.root / "results" / "search" / "raw", manifest)
    store.add_page("page-0001.json", json.dumps(items).encode(), records=len(items))
    store.finish(hits_reported=len(items))


def test_linked_and_imported_attachments(
    api: FulltextApi, review: Review, tmp_path: Path, secrets_env: dict[str, str]
) -> None:
    linked = tmp_path / "elsewhere" / "report.pdf"
    linked.parent.mkdir()
    linked.write_bytes(PDF_LINKED)
    base = review.root / "zotero-base"
    (base / "grey").mkdir(parents=True)
    (base / "grey" / "relative.pdf").write_bytes(PDF_RELATIVE)
    api.zotero_files["ATTACH03"] = PDF_IMPORTED
    _library(
        review,
        [
            {"key": "PARENT01", "data": {"key": "PARENT01", "itemType": "report", "title": "R"}},
            _attachment("ATTACH01", "PARENT01", "linked_file", path=str(linked)),
            _attachment(
                "ATTACH02", "PARENT01", "linked_file", path="attachments:grey/relative.pdf"
            ),
            _attachment("ATTACH03", "PARENT01", "imported_file", filename="imported.pdf"),
            _attachment("ATTACH04", "PARENT01", "linked_url", url="https://example.org/x"),
            _attachment("ATTACH05", "PARENT01", "linked_file", path="/nowhere/missing.pdf"),
            _attachment("ATTACH06", "OTHER001", "imported_file", filename="other.pdf"),
            {
                "key": "NOTE0001",
                "data": {
                    "key": "NOTE0001",
                    "itemType": "note",
                    "parentItem": "PARENT01",
                    "note": "<p>n</p>",
                },
            },
        ],
    )
    review.write(
        [record_row("rec-000000000001", source="zotero", origin="grey:PARENT01")],
        {"rec-000000000001": "included"},
    )
    review.run(
        settings_for(api.url),
        sources=["zotero"],
        zotero_searches=["grey"],
        zotero_base_dir="zotero-base",
    )
    rows = read_csv(review.out.index)
    got = [(r["location"].rsplit("/", 1)[-1], r["status"]) for r in rows]
    assert got == [
        ("report.pdf", "retrieved"),
        ("relative.pdf", "also_retrieved"),
        ("file", "also_retrieved"),
        ("missing.pdf", "not_found"),
    ]
    stored = {(review.root / r["file"]).read_bytes() for r in rows if r["file"]}
    assert stored == {PDF_LINKED, PDF_RELATIVE, PDF_IMPORTED}
    [request] = api.seen("/file")
    assert request.path == "/zotero/groups/42/items/ATTACH03/file"
    assert request.headers["authorization"] == f"Bearer {SECRETS['RR_TEST_ZOTERO_KEY']}"
    assert SECRETS["RR_TEST_ZOTERO_KEY"] not in every_written_text(review.root)


def test_a_relative_linked_file_without_a_base_directory_says_what_to_set(
    api: FulltextApi, review: Review, secrets_env: dict[str, str]
) -> None:
    _library(
        review,
        [_attachment("ATTACH02", "PARENT01", "linked_file", path="attachments:grey/relative.pdf")],
    )
    review.write(
        [record_row("rec-000000000001", source="zotero", origin="grey:PARENT01")],
        {"rec-000000000001": "included"},
    )
    review.run(settings_for(api.url), sources=["zotero"], zotero_searches=["grey"])
    [row] = read_csv(review.out.index)
    assert row["status"] == "skipped" and "fulltext.zotero_base_dir" in row["message"]
