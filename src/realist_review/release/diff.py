"""``realist-review diff A B``: what changed between two releases.

Records (``results/dedup/records.csv`` by ``record_id``), screening decisions (the decision
log, by record, reviewer, round and kind; a decision, reason or note that differs counts as
changed), CMO rows (the confirmed CMO table, found by its ``cmoc_id`` column) and
programme-theory statements (``programme_theory.yaml``, compared with
:func:`realist_review.theory.versions.diff_theories`): added, changed and removed. A table
that is not in both releases is skipped and said so. A and B are release folders or archives.
"""

from __future__ import annotations

import argparse
import csv
import io
import tarfile
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from realist_review.errors import InputError
from realist_review.release.verify import find_archive

RECORDS = "results/dedup/records.csv"
DECISIONS = "results/screen/decision_log.csv"
DECISION_KEY = ("record_id", "reviewer", "round", "kind")
DECISION_VALUES = ("decision", "reason", "note")
THEORY_NAME = "programme_theory.yaml"
MAX_TABLE_BYTES = 512 * 1024**2


class ReleaseFiles:
    """Read files of a release archive by their path in the review folder."""

    def __init__(self, path: Path) -> None:
        self.archive = find_archive(Path(path))
        try:
            self._tar = tarfile.open(self.archive, mode="r:gz")  # noqa: SIM115 (closed by close())
            members = self._tar.getmembers()
        except (OSError, tarfile.TarError, EOFError) as exc:
            raise InputError(f"{self.archive}: not a readable release archive ({exc})") from None
        self.members = {
            str(PurePosixPath(*PurePosixPath(m.name).parts[1:])): m for m in members if m.isfile()
        }
        self.name = PurePosixPath(members[0].name).parts[0] if members else self.archive.name

    def read(self, path: str) -> bytes | None:
        """The file's bytes, or None when the release does not hold it."""
        member = self.members.get(path)
        if member is None:
            return None
        if member.size > MAX_TABLE_BYTES:
            raise InputError(f"{self.archive}: {path} is too large to compare")
        handle = self._tar.extractfile(member)
        return handle.read() if handle else None

    def close(self) -> None:
        """Close the archive."""
        self._tar.close()


@dataclass
class Section:
    """Added, changed and removed items of one kind."""

    title: str
    source: str = ""
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: str = ""


def _rows(data: bytes, where: str) -> list[dict[str, str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{where}: not UTF-8 text") from None
    return list(csv.DictReader(io.StringIO(text)))


def diff_rows(
    old: Sequence[Mapping[str, str]],
    new: Sequence[Mapping[str, str]],
    *,
    key: Sequence[str],
    values: Sequence[str] | None = None,
    label: str = "",
) -> tuple[list[str], list[str], list[str]]:
    """Added, changed and removed rows by ``key`` (changed: the columns that differ)."""

    def index(rows: Sequence[Mapping[str, str]]) -> dict[tuple[str, ...], Mapping[str, str]]:
        return {tuple(row.get(k, "") for k in key): row for row in rows}

    before, after = index(old), index(new)

    def name(k: tuple[str, ...], row: Mapping[str, str]) -> str:
        text = " / ".join(part for part in k if part)
        extra = row.get(label, "") if label else ""
        return f"{text}: {extra[:80]}" if extra else text

    added = [name(k, after[k]) for k in sorted(set(after) - set(before))]
    removed = [name(k, before[k]) for k in sorted(set(before) - set(after))]
    changed = []
    for k in sorted(set(before) & set(after)):
        columns = values or sorted(set(before[k]) | set(after[k]))
        differ = [c for c in columns if before[k].get(c, "") != after[k].get(c, "")]
        if differ:
            details = ", ".join(
                f"{c} {before[k].get(c, '')[:40]!r} -> {after[k].get(c, '')[:40]!r}" for c in differ
            )
            changed.append(f"{' / '.join(p for p in k if p)}: {details}")
    return added, changed, removed


def _table_section(
    old: ReleaseFiles,
    new: ReleaseFiles,
    *,
    title: str,
    path: str | None,
    key: Sequence[str],
    values: Sequence[str] | None = None,
    label: str = "",
) -> Section:
    section = Section(title, source=path or "")
    if path is None:
        section.skipped = "no such table in both releases"
        return section
    before, after = old.read(path), new.read(path)
    if before is None or after is None:
        section.skipped = f"{path} is not in both releases"
        return section
    section.added, section.changed, section.removed = diff_rows(
        _rows(before, f"{old.name}/{path}"),
        _rows(after, f"{new.name}/{path}"),
        key=key,
        values=values,
        label=label,
    )
    return section


def cmo_table(files: ReleaseFiles) -> str | None:
    """The confirmed CMO table of a release: a derived CSV whose first column is cmoc_id."""
    found = []
    for path in sorted(files.members):
        if not (path.startswith("results/") and path.endswith(".csv")):
            continue
        head = (files.read(path) or b"").split(b"\n", 1)[0]
        if head.lstrip(b"\xef\xbb\xbf").startswith(b"cmoc_id,"):
            found.append(path)
    confirmed = [p for p in found if "confirmed" in PurePosixPath(p).name]
    chosen = confirmed or found
    return chosen[0] if chosen else None


def _theory_section(old: ReleaseFiles, new: ReleaseFiles) -> Section:
    from realist_review.theory.versions import diff_theories, read_yaml

    section = Section("programme-theory statements")
    paths = sorted(
        p
        for p in set(old.members) & set(new.members)
        if p.startswith("results/") and PurePosixPath(p).name == THEORY_NAME
    )
    if not paths:
        section.skipped = f"no {THEORY_NAME} in both releases"
        return section
    section.source = paths[0]
    with tempfile.TemporaryDirectory() as tmp:
        theories = []
        for index, files in enumerate((old, new)):
            target = Path(tmp) / f"{index}.yaml"
            target.write_bytes(files.read(paths[0]) or b"")
            theories.append(read_yaml(target))
    diff = diff_theories(theories[0], theories[1])
    section.added = [f"{s.id}: {s.text[:100]}" for s in diff.added]
    section.changed = [f"{b.id} ({', '.join(what)}): {b.text[:100]}" for _, b, what in diff.refined]
    section.removed = [f"{s.id}: {s.text[:100]}" for s in diff.dropped]
    return section


def diff_releases(old_path: Path, new_path: Path) -> list[Section]:
    """Sections of what changed from release ``old_path`` to ``new_path``."""
    old, new = ReleaseFiles(old_path), ReleaseFiles(new_path)
    try:
        old_cmo, new_cmo = cmo_table(old), cmo_table(new)
        return [
            _table_section(
                old, new, title="records", path=RECORDS, key=("record_id",), label="title"
            ),
            _table_section(
                old,
                new,
                title="screening decisions",
                path=DECISIONS,
                key=DECISION_KEY,
                values=DECISION_VALUES,
                label="decision",
            ),
            _table_section(
                old,
                new,
                title="CMO rows",
                path=old_cmo if old_cmo == new_cmo else None,
                key=("cmoc_id",),
                label="record_id",
            ),
            _theory_section(old, new),
        ]
    finally:
        old.close()
        new.close()


def format_diff(sections: Sequence[Section], old: str, new: str, *, limit: int = 20) -> str:
    """The diff as text: counts per section, then up to ``limit`` items of each kind."""
    lines = [f"{old} -> {new}"]
    for section in sections:
        if section.skipped:
            lines.append(f"{section.title}: skipped ({section.skipped})")
            continue
        lines.append(
            f"{section.title} ({section.source}): {len(section.added)} added, "
            f"{len(section.changed)} changed, {len(section.removed)} removed"
        )
        for mark, items in (("+", section.added), ("~", section.changed), ("-", section.removed)):
            shown = items if limit <= 0 else items[:limit]
            lines.extend(f"  {mark} {item}" for item in shown)
            if len(items) > len(shown):
                lines.append(f"  {mark} ... and {len(items) - len(shown)} more (--all)")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------
def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``realist-review diff``."""
    parser.add_argument("old", type=Path, help="the earlier release (folder or .tar.gz)")
    parser.add_argument("new", type=Path, help="the later release (folder or .tar.gz)")
    parser.add_argument("--all", action="store_true", help="list every item, not the first 20")


def run(args: argparse.Namespace) -> int:
    """Run ``realist-review diff``."""
    sections = diff_releases(args.old, args.new)
    print(format_diff(sections, str(args.old), str(args.new), limit=0 if args.all else 20))
    return 0
