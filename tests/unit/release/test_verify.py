"""verify: every checksum checked; a changed, missing or unlisted file named; unsafe archives."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from realist_review.cli import main
from realist_review.errors import InputError
from realist_review.release.archive import extract_archive
from realist_review.release.verify import format_verification, verify_release
from tests.unit.release.test_freeze import freeze


def rewrite(archive: Path, target: Path, *, change: dict[str, bytes | None]) -> Path:
    """A copy of ``archive`` with members replaced (bytes), removed (None) or added."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        top = source.getmembers()[0].name.split("/")[0]
        seen = set()
        for member in source.getmembers():
            rel = member.name.split("/", 1)[1]
            seen.add(rel)
            data = source.extractfile(member).read()
            if rel in change:
                if change[rel] is None:
                    continue
                data = change[rel]
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
        for rel, data in change.items():
            if rel not in seen and data is not None:
                info = tarfile.TarInfo(f"{top}/{rel}")
                info.size = len(data)
                out.addfile(info, io.BytesIO(data))
    return target


def flip_one_byte(data: bytes) -> bytes:
    return data[:5] + bytes([data[5] ^ 0x01]) + data[6:]


def test_intact_release_passes_the_checksums(review: Path) -> None:
    release = freeze(review)
    result = verify_release(release.folder, rederive_outputs=False)
    assert result.ok, format_verification(result)
    assert result.files > 10
    assert result.not_archived == ["config/fulltext/paper.pdf", "results/fulltext/files/rec-1.pdf"]


@pytest.mark.parametrize(
    "path",
    ["results/dedup/records.csv", "config/config.yaml",
     "results/search/raw/pubmed/pubmed/abc/esearch-0001.xml", "Snakefile"],
)  # fmt: skip
def test_one_corrupted_byte_is_named(review: Path, tmp_path: Path, path: str) -> None:
    release = freeze(review)
    with tarfile.open(release.archive) as tar:
        original = tar.extractfile(f"tiny-review-1.0/{path}").read()
    bad = rewrite(release.archive, tmp_path / "bad.tar.gz", change={path: flip_one_byte(original)})
    result = verify_release(bad, rederive_outputs=False)
    assert not result.ok
    assert result.changed == [path]
    assert path in format_verification(result)


def test_missing_and_unlisted_files_are_named(review: Path, tmp_path: Path) -> None:
    release = freeze(review)
    bad = rewrite(
        release.archive,
        tmp_path / "bad.tar.gz",
        change={"results/cmo/confirmed.csv": None, "results/extra.csv": b"a\n"},
    )
    result = verify_release(bad, rederive_outputs=False)
    assert result.missing == ["results/cmo/confirmed.csv"]
    assert result.unlisted == ["results/extra.csv"]


def test_cli_exit_status(review: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    release = freeze(review)
    assert main(["verify", "--checksums-only", str(release.archive)]) == 0
    assert "OK" in capsys.readouterr().out
    bad = rewrite(release.archive, tmp_path / "bad.tar.gz", change={"report.html": b"<html>"})
    assert main(["verify", "--checksums-only", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "report.html" in out and "DIFFERENCES FOUND" in out


def _tar_with(tmp_path: Path, info: tarfile.TarInfo, data: bytes = b"") -> Path:
    path = tmp_path / "evil.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        tar.addfile(info, io.BytesIO(data) if data else None)
    return path


@pytest.mark.parametrize(
    ("name", "kind", "message"),
    [
        ("../escape.txt", tarfile.REGTYPE, "unsafe path"),
        ("/etc/passwd", tarfile.REGTYPE, "unsafe path"),
        ("top/link", tarfile.SYMTYPE, "not a regular file"),
        ("top/device", tarfile.CHRTYPE, "not a regular file"),
    ],
)
def test_unsafe_archives_are_refused(tmp_path: Path, name: str, kind: bytes, message: str) -> None:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = "/etc/passwd" if kind == tarfile.SYMTYPE else ""
    data = b"x" if kind == tarfile.REGTYPE else b""
    info.size = len(data)
    with pytest.raises(InputError, match=message):
        extract_archive(_tar_with(tmp_path, info, data), tmp_path / "out")
    assert not (tmp_path / "escape.txt").exists()


def test_not_an_archive(tmp_path: Path) -> None:
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not gzip at all")
    with pytest.raises(InputError, match=r"junk\.tar\.gz"):
        verify_release(junk, rederive_outputs=False)


def test_release_folder_archive_checked_against_sha256sums(review: Path) -> None:
    release = freeze(review)
    sums = release.folder / "SHA256SUMS"
    sums.chmod(0o644)
    sums.write_text(sums.read_text().replace(sums.read_text()[:8], "00000000", 1))
    result = verify_release(release.folder, rederive_outputs=False)
    assert result.changed == ["tiny-review-1.0.tar.gz (its SHA256SUMS line differs)"]


def test_release_folder_metadata_checked_against_sha256sums(review: Path) -> None:
    release = freeze(review)
    citation = release.folder / "CITATION.cff"
    citation.chmod(0o644)
    citation.write_text(citation.read_text() + "# edited\n")
    (release.folder / "README.md").chmod(0o644)
    (release.folder / "README.md").unlink()
    result = verify_release(release.folder, rederive_outputs=False)
    assert result.changed == ["CITATION.cff (its SHA256SUMS line differs)"]
    assert result.missing == ["README.md (listed in SHA256SUMS)"]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda m: m["files"][0].update(path="../../etc/passwd"), "files/0/path"),
        (lambda m: m["files"][0].update(sha256="abc"), "files/0/sha256"),
        (lambda m: m.pop("files"), "'files' is a required property"),
    ],
    ids=["escaping-path", "short-checksum", "no-files"],
)
def test_a_malformed_manifest_is_named(review: Path, tmp_path: Path, edit, message: str) -> None:  # type: ignore[no-untyped-def]
    import json

    release = freeze(review)
    manifest = json.loads((release.folder / "manifest.json").read_text())
    edit(manifest)
    bad = rewrite(
        release.archive,
        tmp_path / "bad.tar.gz",
        change={"manifest.json": json.dumps(manifest).encode()},
    )
    with pytest.raises(InputError, match=message):
        verify_release(bad, rederive_outputs=False)
