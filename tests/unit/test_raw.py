"""Raw store: pages kept with checksums, reuse, tamper detection, snapshots."""

from __future__ import annotations

from pathlib import Path

import pytest

from realist_review.errors import InputError
from realist_review.raw import (
    MANIFEST,
    Manifest,
    RawStore,
    copy_snapshot,
    find_snapshot,
    query_hash,
    read_manifest,
)


def _manifest(query: str = "trauma") -> Manifest:
    return Manifest(
        search_id="europepmc",
        source="europepmc",
        endpoint="http://127.0.0.1/search",
        query=query,
        query_as_run=f"{query} AND PUB_YEAR:[2000 TO 2026]",
        parameters={"pageSize": 2},
    )


def test_pages_are_kept_and_verified(tmp_path: Path) -> None:
    store = RawStore.open(tmp_path, _manifest())
    store.add_page("page-0001.json", b'{"a": 1}', records=2, cursor="*")
    store.finish(hits_reported=2)
    again = RawStore.open(tmp_path, _manifest())
    assert again.manifest.complete and again.manifest.hits_reported == 2
    assert [p.name for p in again.page_paths()] == ["page-0001.json"]
    (again.folder / "page-0001.json").write_bytes(b'{"a": 2}')
    with pytest.raises(InputError, match="does not match the manifest"):
        again.page_paths()


def test_changed_query_is_a_new_folder(tmp_path: Path) -> None:
    first = RawStore.open(tmp_path, _manifest("trauma"))
    second = RawStore.open(tmp_path, _manifest("trauma-informed"))
    assert first.folder != second.folder
    assert first.folder.parent == second.folder.parent
    assert query_hash("a", "q", {"x": 1}) == query_hash("a", "q", {"x": 1})
    assert query_hash("a", "q", {"x": 1}) != query_hash("a", "q", {"x": 2})


def test_same_page_twice_is_refused(tmp_path: Path) -> None:
    store = RawStore.open(tmp_path, _manifest())
    store.add_page("page-0001.json", b"{}", records=0)
    with pytest.raises(ValueError, match="already stored"):
        store.add_page("page-0001.json", b"{}", records=0)


def test_snapshot_copy_and_replay(tmp_path: Path) -> None:
    saved = RawStore.open(tmp_path / "saved", _manifest())
    saved.add_page("page-0001.json", b"[]", records=0)
    snapshot = find_snapshot(tmp_path / "saved", "europepmc", "europepmc")
    with pytest.raises(InputError, match="incomplete"):
        copy_snapshot(snapshot, tmp_path / "raw")
    saved.finish(hits_reported=0)
    copied = copy_snapshot(snapshot, tmp_path / "raw")
    assert read_manifest(copied.folder / MANIFEST).to_json() == saved.manifest.to_json()
    assert copy_snapshot(snapshot, tmp_path / "raw").folder == copied.folder, "idempotent"
    with pytest.raises(InputError, match="no saved search to replay"):
        find_snapshot(tmp_path / "saved", "pubmed", "pubmed")


def test_invalid_manifest_is_explained(tmp_path: Path) -> None:
    path = tmp_path / MANIFEST
    path.write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(InputError, match="not a valid raw-search manifest"):
        read_manifest(path)
