"""``realist-review verify ARCHIVE``: check a release, then re-derive it offline.

1. Every file the manifest lists is in the archive with its SHA-256 and size (a changed,
   missing or unlisted file is named).
2. In a temporary folder, every derived output is deleted and the archived workflow is run
   again (``python -m snakemake``) from the archived inputs and raw responses, with every
   HTTP(S) proxy set to a closed loopback port so that any request fails at once: a complete
   raw folder never calls an API, so nothing needs the network. Every derived output whose
   bytes differ from the release, or that the run does not produce, is named.

Exit status 0 only when every checksum and every re-derived output match. The report
(``report.html``) is checked by checksum only: it embeds the time it was built.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from realist_review.errors import InputError
from realist_review.release.archive import extract_archive
from realist_review.release.manifest import Entry, Kind, manifest_entries
from realist_review.tables import sha256_file

#: Release metadata at the archive's top (not review files, so not in the manifest's list).
METADATA_FILES = frozenset({"manifest.json", "ro-crate-metadata.json", "CITATION.cff", "README.md"})
#: Where every request goes during re-derivation: a closed port (connection refused at once).
DEAD_PROXY = "http://127.0.0.1:9"


@dataclass
class Verification:
    """What verify found; :attr:`ok` only when nothing differs."""

    release: str
    files: int = 0
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unlisted: list[str] = field(default_factory=list)
    not_archived: list[str] = field(default_factory=list)
    rederived: int = 0
    differ: list[str] = field(default_factory=list)
    not_rederived: list[str] = field(default_factory=list)
    new_outputs: list[str] = field(default_factory=list)
    run_error: str = ""
    checked_rederive: bool = False

    @property
    def ok(self) -> bool:
        """True when every checksum and every re-derived output matches."""
        return not (
            self.changed
            or self.missing
            or self.unlisted
            or self.differ
            or self.not_rederived
            or self.run_error
        )


def find_archive(path: Path) -> Path:
    """The archive itself, or the one ``.tar.gz`` in a release folder."""
    path = Path(path)
    if path.is_dir():
        archives = sorted(path.glob("*.tar.gz"))
        if len(archives) != 1:
            raise InputError(
                f"{path}: expected one release archive (.tar.gz) in the folder, "
                f"found {len(archives)}"
            )
        return archives[0]
    if not path.is_file():
        raise InputError(f"{path}: no such release archive or release folder")
    return path


def read_manifest(top: Path) -> dict[str, Any]:
    """The manifest at the archive's top."""
    path = top / "manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{top.name}: the archive has no manifest.json") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{top.name}/manifest.json: not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise InputError(f"{top.name}/manifest.json: not a JSON object")
    return data


def check_files(top: Path, entries: Sequence[Entry], result: Verification) -> None:
    """Compare every file below ``top`` with the manifest's entries."""
    listed = {e.path for e in entries}
    for entry in entries:
        path = top / entry.path
        if not entry.archived:
            result.not_archived.append(entry.path)
            continue
        result.files += 1
        if not path.is_file():
            result.missing.append(entry.path)
        elif path.stat().st_size != entry.size or sha256_file(path) != entry.sha256:
            result.changed.append(entry.path)
    for path in sorted(top.rglob("*")):
        rel = path.relative_to(top).as_posix()
        if path.is_file() and rel not in listed and rel not in METADATA_FILES:
            result.unlisted.append(rel)


def check_sums(folder: Path, archive: Path, result: Verification) -> None:
    """The files of a release folder against its ``SHA256SUMS`` (when present)."""
    sums = folder / "SHA256SUMS"
    if not sums.is_file():
        return
    lines = sums.read_text(encoding="utf-8", errors="replace").splitlines()
    for digest, _, name in (line.partition("  ") for line in lines if line.strip()):
        path = folder / name
        if "/" in name or not path.is_file():
            result.missing.append(f"{name} (listed in SHA256SUMS)")
        elif sha256_file(path) != digest:
            result.changed.append(f"{name} (its SHA256SUMS line differs)")


def offline_environment(config: Mapping[str, Any]) -> dict[str, str]:
    """The environment of the re-derivation: dead proxies; a placeholder contact e-mail."""
    env = {k: v for k, v in os.environ.items() if k.lower() not in {"no_proxy"}}
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        env[name] = DEAD_PROXY
    contact = str((config.get("clients") or {}).get("contact_email_env") or "REALIST_REVIEW_EMAIL")
    env.setdefault(contact, "verify@example.invalid")
    return env


def _snakemake(top: Path, targets: Sequence[str], env: Mapping[str, str], cores: int, timeout: int):
    return subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", str(cores), "--quiet", "all", *targets],
        cwd=top,
        env=dict(env),
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


def rederive(
    top: Path, entries: Sequence[Entry], result: Verification, *, cores: int = 2, timeout: int
) -> None:
    """Delete the derived outputs below ``top``, run the workflow again, compare."""
    derived = [e for e in entries if e.kind is Kind.DERIVED]
    for entry in derived:
        (top / entry.path).unlink(missing_ok=True)
    try:
        config = yaml.safe_load((top / "config/config.yaml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"{top.name}/config/config.yaml: not readable ({exc})") from None
    env = offline_environment(config)
    run = _snakemake(top, [], env, cores, timeout)
    missing = [e.path for e in derived if not (top / e.path).is_file()]
    if missing and run.returncode == 0:
        # outputs of rules outside the default target (a stage run on request)
        second = _snakemake(top, missing, env, cores, timeout)
        if second.returncode != 0:
            run = second
    if run.returncode != 0:
        tail = "\n".join((run.stdout + run.stderr).strip().splitlines()[-25:])
        result.run_error = f"the workflow failed (exit {run.returncode}):\n{tail}"
    result.checked_rederive = True
    for entry in derived:
        path = top / entry.path
        if not path.is_file():
            result.not_rederived.append(entry.path)
        elif sha256_file(path) != entry.sha256:
            result.differ.append(entry.path)
        else:
            result.rederived += 1
    known = {e.path for e in entries}
    results_dir = top / "results"
    for path in sorted(results_dir.rglob("*")) if results_dir.is_dir() else []:
        rel = path.relative_to(top).as_posix()
        parts = rel.split("/")
        bookkeeping = parts[1] in {"logs", "benchmarks"} or path.name.startswith(".")
        if path.is_file() and rel not in known and not bookkeeping and "raw" not in parts:
            result.new_outputs.append(rel)


def verify_release(
    archive: Path,
    *,
    rederive_outputs: bool = True,
    cores: int = 2,
    keep: Path | None = None,
    timeout: int = 3600,
) -> Verification:
    """Verify a release archive (or release folder); see the module docstring."""
    source = Path(archive)
    archive = find_archive(source)
    with tempfile.TemporaryDirectory(prefix="realist-review-verify-") as tmp:
        top = extract_archive(archive, Path(tmp))
        manifest = read_manifest(top)
        entries = manifest_entries(manifest, where=f"{archive.name}: manifest.json")
        result = Verification(release=top.name)
        if source.is_dir():
            check_sums(source, archive, result)
        check_files(top, entries, result)
        if rederive_outputs:
            rederive(top, entries, result, cores=cores, timeout=timeout)
        if keep is not None:
            shutil.copytree(top, keep, dirs_exist_ok=False)
    return result


def format_verification(result: Verification) -> str:
    """The report verify prints."""
    lines = [f"release {result.release}"]
    problems = [
        ("changed (checksum or size differs)", result.changed),
        ("missing from the archive", result.missing),
        ("in the archive but not in the manifest", result.unlisted),
    ]
    bad = [(what, paths) for what, paths in problems if paths]
    if bad:
        for what, paths in bad:
            lines.append(f"  {len(paths)} file(s) {what}:")
            lines.extend(f"    {p}" for p in paths)
    else:
        lines.append(f"  checksums: all {result.files} archived files match the manifest")
    if result.not_archived:
        lines.append(
            f"  {len(result.not_archived)} file(s) listed but not archived "
            "(full-text documents, copyright): checksums in the manifest"
        )
    if result.checked_rederive:
        if result.run_error:
            lines.append("  re-derivation: " + result.run_error.replace("\n", "\n    "))
        if result.differ:
            lines.append(f"  {len(result.differ)} derived output(s) differ when re-derived:")
            lines.extend(f"    {p}" for p in result.differ)
        if result.not_rederived:
            lines.append(f"  {len(result.not_rederived)} derived output(s) not re-derived:")
            lines.extend(f"    {p}" for p in result.not_rederived)
        if not (result.differ or result.not_rederived or result.run_error):
            lines.append(
                f"  re-derived offline: all {result.rederived} derived outputs are identical"
            )
        if result.new_outputs:
            lines.append(
                f"  note: the run also wrote {len(result.new_outputs)} file(s) the release "
                "does not hold: " + ", ".join(result.new_outputs[:10])
            )
    lines.append("OK" if result.ok else "DIFFERENCES FOUND")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------
def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``realist-review verify``."""
    parser.add_argument("archive", type=Path, help="a release archive (.tar.gz) or its folder")
    parser.add_argument(
        "--checksums-only", action="store_true", help="check checksums; do not re-derive"
    )
    parser.add_argument("--cores", type=int, default=2, help="cores for Snakemake (default 2)")
    parser.add_argument(
        "--keep", type=Path, help="copy the re-derived review folder here (must not exist)"
    )


def run(args: argparse.Namespace) -> int:
    """Run ``realist-review verify``; 0 only when everything matches."""
    if args.keep is not None and Path(args.keep).exists():
        raise InputError(f"--keep {args.keep}: the folder exists; give a new one")
    result = verify_release(
        args.archive, rederive_outputs=not args.checksums_only, cores=args.cores, keep=args.keep
    )
    print(format_verification(result))
    return 0 if result.ok else 1
