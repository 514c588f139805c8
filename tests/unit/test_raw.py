"""Raw store: pages kept with checksums, reuse, tamper detection, snapshots."""

from __future__ import annotations

import json
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


def test_known_secrets_are_redacted_in_stored_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A source echoing the e-mail in a reply does not archive it (issue 10, item 7)."""
    from realist_review.logutil import secret_from_env

    monkeypatch.setenv("RR_RAW_TEST_EMAIL", "someone.private@example.org")
    secret_from_env("RR_RAW_TEST_EMAIL")
    store = RawStore.open(tmp_path, _manifest())
    body = (
        b'{"request": {"nextPageUrl": "https://x/search?email=someone.private%40example.org"},'
        b' "contact": "someone.private@example.org", "hitCount": 2}'
    )
    store.add_page("page-0001.json", body, records=2)
    stored = (store.folder / "page-0001.json").read_bytes()
    assert b"someone.private" not in stored and stored.count(b"***") == 2
    assert json.loads(stored)["hitCount"] == 2
    assert store.page_paths() == [store.folder / "page-0001.json"], "checksum of what is stored"


def test_a_raw_folder_is_written_by_one_run_at_a_time(tmp_path: Path) -> None:
    """An orphaned job and a rerun cannot write one folder together (issue 10, item 12)."""
    from realist_review.errors import SourceError

    first = RawStore.open(tmp_path, _manifest())
    with first.locked():
        second = RawStore.open(tmp_path, _manifest())
        with pytest.raises(SourceError, match="another run"), second.locked():
            pass
        first.add_page("page-0001.json", b"{}", records=0)
    third = RawStore.open(tmp_path, _manifest())
    with third.locked():
        assert [p["file"] for p in third.manifest.pages] == ["page-0001.json"]


def test_the_lock_rereads_a_manifest_another_run_moved_on(tmp_path: Path) -> None:
    early = RawStore.open(tmp_path, _manifest())
    later = RawStore.open(tmp_path, _manifest())
    with later.locked():
        later.add_page("page-0001.json", b"{}", records=0)
    with early.locked():
        assert [p["file"] for p in early.manifest.pages] == ["page-0001.json"]


def test_the_lock_holds_across_processes(tmp_path: Path) -> None:
    """An orphaned job (another process) keeps a rerun out until it ends (issue 10, item 12)."""
    import subprocess
    import sys
    import time

    from realist_review.errors import SourceError

    store = RawStore.open(tmp_path, _manifest())
    holder = subprocess.Popen(
        [sys.executable, "-c", (
            "import fcntl, sys, time\n"
            f"h = open({str(store.folder / '.lock')!r}, 'a+')\n"
            "fcntl.flock(h, fcntl.LOCK_EX)\n"
            "h.write('pid orphan'); h.flush(); print('locked', flush=True)\n"
            "time.sleep(30)\n"
        )],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(SourceError, match="orphan"), store.locked():
            pass
    finally:
        holder.kill()
        holder.wait()
    deadline = time.monotonic() + 5
    while True:  # the lock goes with the process that held it
        try:
            with store.locked():
                break
        except SourceError:
            assert time.monotonic() < deadline
            time.sleep(0.05)
