"""One deterministic ``.tar.gz`` per release, and its safe extraction.

The same files give the same archive bytes: entries sorted by path under one top folder,
regular files only, mode 0644, owner 0/0 without names, every mtime the release date, GNU tar
format, gzip without a file name and with mtime 0. Extraction refuses absolute paths, ``..``,
links, devices and archives that would unpack to more than :data:`MAX_EXTRACTED_BYTES`.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import os
import tarfile
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath

from realist_review.errors import InputError

#: Largest total size an archive may unpack to (a release of a large review stays far below).
MAX_EXTRACTED_BYTES = 20 * 1024**3


def release_epoch(date: str) -> int:
    """Seconds since 1970 of a release date (``YYYY-MM-DD``, midnight UTC)."""
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        raise InputError(f"release date {date!r} is not a date like 2026-12-04") from None
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


def _info(name: str, size: int, mtime: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = mtime
    info.mode = 0o644
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.type = tarfile.REGTYPE
    return info


def write_archive(
    path: Path,
    *,
    top: str,
    files: Sequence[tuple[str, Path]],
    extra: Mapping[str, bytes],
    date: str,
) -> None:
    """Write ``path``: ``files`` (archive name, source path) and ``extra`` (name -> bytes).

    Every name is placed under the folder ``top``. Written through a temporary file.
    """
    mtime = release_epoch(date)
    members: dict[str, Path | bytes] = {name: source for name, source in files}
    for name, data in extra.items():
        if name in members:
            raise ValueError(f"{name} is both a review file and release metadata")
        members[name] = data
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with (
        tmp.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as zipped,
        tarfile.open(fileobj=zipped, mode="w", format=tarfile.GNU_FORMAT) as tar,
    ):
        for name in sorted(members):
            source = members[name]
            arcname = str(PurePosixPath(top) / name)
            if isinstance(source, bytes):
                tar.addfile(_info(arcname, len(source), mtime), io.BytesIO(source))
            else:
                with source.open("rb") as handle:
                    size = os.fstat(handle.fileno()).st_size
                    tar.addfile(_info(arcname, size, mtime), handle)
    tmp.replace(path)


def archive_top(path: Path) -> str:
    """The one top folder of a release archive (its first entry's first part)."""
    with tarfile.open(path, mode="r:gz") as tar:
        first = tar.next()
    if first is None:
        raise InputError(f"{path}: the archive is empty")
    return PurePosixPath(first.name).parts[0]


def extract_archive(path: Path, target: Path) -> Path:
    """Unpack a release archive into ``target``; return its top folder.

    Only regular files below one top folder are accepted; anything else is refused with the
    member's name.
    """
    path = Path(path)
    target = Path(target)
    try:
        tar = tarfile.open(path, mode="r:gz")  # noqa: SIM115 (closed below by `with tar`)
    except (OSError, tarfile.TarError) as exc:
        raise InputError(f"{path}: not a readable .tar.gz release archive ({exc})") from None
    total = 0
    top: str | None = None
    with tar:
        try:
            members = tar.getmembers()
        except (OSError, tarfile.TarError, EOFError) as exc:
            raise InputError(f"{path}: the archive is damaged ({exc})") from None
        for member in members:
            name = PurePosixPath(member.name)
            if name.is_absolute() or ".." in name.parts or len(name.parts) < 2:
                raise InputError(f"{path}: refusing member {member.name!r} (unsafe path)")
            if not member.isfile():
                raise InputError(f"{path}: refusing member {member.name!r} (not a regular file)")
            if top is None:
                top = name.parts[0]
            elif name.parts[0] != top:
                raise InputError(f"{path}: members under {top!r} and {name.parts[0]!r}")
            total += member.size
            if total > MAX_EXTRACTED_BYTES:
                raise InputError(f"{path}: unpacks to more than {MAX_EXTRACTED_BYTES:,} bytes")
        try:
            for member in members:
                destination = target / member.name
                destination.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                assert source is not None
                with destination.open("wb") as handle:
                    while block := source.read(1 << 20):
                        handle.write(block)
        except (OSError, tarfile.TarError, EOFError, gzip.BadGzipFile) as exc:
            raise InputError(f"{path}: the archive is damaged ({exc})") from None
    if top is None:
        raise InputError(f"{path}: the archive is empty")
    return target / top
