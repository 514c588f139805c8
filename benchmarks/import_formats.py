"""Time `realist_review.formats.read_export` on every shared export file.

Prints one line per file (format, records, best wall time over --repeat runs) for
../shared/data/formats, ../shared/data/corpus, the dedup benchmark tables and the EndNote
XML libraries, with Biopython's Bio.Medline and bibtexparser 1.x beside ours where they read
the same file (record counts and time), and a total. Run it niced on a shared machine:

    nice python benchmarks/import_formats.py [--shared ../shared/data] [--repeat 3]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from realist_review.errors import InputError
from realist_review.formats import load_export

REPO = Path(__file__).resolve().parents[1]
NOT_EXPORTS = ("LICENSE", "README", "DESCRIPTION")


def shared_files(shared: Path) -> list[Path]:
    """Every export file under formats/ and corpus/, then the dedup tables and XML files."""
    files = sorted(
        p
        for folder in ("formats", "corpus")
        for p in (shared / folder).rglob("*")
        if p.is_file() and not p.name.startswith(NOT_EXPORTS) and p.suffix != ".json"
    )
    files += sorted((shared / "dedup").glob("*/records_pre_merged.csv"))
    files += sorted((shared / "dedup").glob("*/*.xml"))
    return files


def best_time(func: Callable[[], int], repeat: int) -> tuple[int, float]:
    """(result, fastest wall time in seconds) over ``repeat`` runs."""
    best, result = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return result, best


def _count(path: Path) -> int:
    return len(load_export(path, search_id="bench").records)


def peer(path: Path, fmt: str) -> tuple[str, Callable[[], int]] | None:
    """A reference parser for the same file, when one is installed."""
    if fmt == "nbib":
        try:
            from Bio import Medline
        except ImportError:
            return None

        def medline() -> int:
            with path.open(encoding="utf-8") as handle:
                return sum(1 for _ in Medline.parse(handle))

        return "Bio.Medline", medline
    if fmt == "bibtex":
        try:
            import bibtexparser
        except ImportError:
            return None

        def bib() -> int:
            text = path.read_text(encoding="utf-8-sig")
            return len(bibtexparser.loads(text).entries)

        return f"bibtexparser {bibtexparser.__version__}", bib
    return None


def main(argv: list[str] | None = None) -> int:
    """Print the table; return 0."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = Path(os.environ.get("REALIST_REVIEW_SHARED", REPO.parent / "shared")) / "data"
    parser.add_argument("--shared", type=Path, default=default, help="the shared data folder")
    parser.add_argument("--repeat", type=int, default=3, help="runs per file (best is shown)")
    args = parser.parse_args(argv)
    if not args.shared.is_dir():
        print(f"{args.shared} is absent: nothing to measure", file=sys.stderr)
        return 0
    logging.disable(logging.WARNING)  # parser warnings are the tests' business here
    print(f"{'file':<86} {'format':<11} {'records':>7} {'seconds':>8}   peer")
    total_records, total_seconds, total_bytes = 0, 0.0, 0
    for path in shared_files(args.shared):
        name = path.relative_to(args.shared).as_posix()
        try:
            parsed = load_export(path, search_id="bench")
        except InputError as exc:
            print(f"{name:<86} {'refused':<11} {'':>7} {'':>8}   {str(exc).split(': ', 1)[1][:70]}")
            continue
        count, seconds = best_time(partial(_count, path), args.repeat)
        total_records += count
        total_seconds += seconds
        total_bytes += path.stat().st_size
        line = f"{name:<86} {parsed.format.value:<11} {count:>7} {seconds:>8.3f}"
        other = peer(path, parsed.format.value)
        if other is not None:
            label, func = other
            try:
                peer_count, peer_seconds = best_time(func, args.repeat)
                line += f"   {label}: {peer_count} records, {peer_seconds:.3f} s"
            except Exception as exc:  # a peer failing on a file is a result too
                line += f"   {label}: failed ({type(exc).__name__})"
        print(line)
    print(
        f"{'total':<86} {'':<11} {total_records:>7} {total_seconds:>8.3f}   "
        f"({total_bytes / 1e6:.1f} MB, {total_bytes / 1e6 / max(total_seconds, 1e-9):.1f} MB/s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
