"""Benchmark: our dedup stage against bib-dedupe on the labelled sets, side by side.

Usage (from the repository root)::

    nice -n 10 python3 benchmarks/dedup.py [--sets haematology,respiratory] [--no-scale]
        [--scale-records 100000] [--skip-bib-dedupe-scale]

For every labelled set in ``../shared/data/dedup/`` (or ``$REALIST_REVIEW_SHARED/data/dedup``)
both tools run in a child process on ``records_pre_merged.csv``; the script prints pairwise
precision, recall, F1 against ``merged_record_ids.csv``, false merges (predicted clusters
holding more than one gold work), wall time and peak memory (the child's whole process tree,
polled with psutil), then a scale run on the sets concatenated and augmented to about 100,000
records. bib-dedupe 0.11.0 is installed from PyPI into its own virtualenv,
``benchmarks/.envs/bib-dedupe`` (git-ignored), on first use.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import random
import re
import resource
import string
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
ENV = REPO / "benchmarks" / ".envs" / "bib-dedupe"
BIB_DEDUPE = "bib-dedupe==0.11.0"
RUNNER = REPO / "benchmarks" / "_run_bib_dedupe.py"


def shared_dir() -> Path:
    base = os.environ.get("REALIST_REVIEW_SHARED")
    root = Path(base) if base else REPO.parent / "shared"
    return root / "data" / "dedup"


def ensure_bib_dedupe() -> Path:
    """The bib-dedupe virtualenv's python, creating the environment on first use."""
    python = ENV / "bin" / "python"
    if not python.exists():
        print(f"creating {ENV} with {BIB_DEDUPE} (first run only)", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(ENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", BIB_DEDUPE], check=True)
    return python


@dataclass
class Run:
    clusters: list[list[str]]
    seconds: float
    peak_mb: float
    ok: bool
    message: str = ""
    cpu_seconds: float = 0.0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


#: CPU seconds of the last :func:`run_measured` child tree (user + system)
LAST_CPU = [0.0]


def run_measured(
    cmd: list[str], env: dict[str, str] | None = None
) -> tuple[float, float, int, str]:
    """Run ``cmd``; return wall seconds, peak RSS of its process tree (MB), exit code, stderr.

    The CPU seconds of the whole tree (waited-for descendants included) go to ``LAST_CPU``.
    """
    cpu_before = _children_cpu()
    start = time.perf_counter()
    err = tempfile.TemporaryFile()  # noqa: SIM115 (closed below, after the child ends)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env)
    parent = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            procs = [parent, *parent.children(recursive=True)]
            rss = 0
            for p in procs:
                with contextlib.suppress(psutil.Error):
                    rss += p.memory_info().rss
            peak = max(peak, rss)
        except psutil.Error:
            pass
        time.sleep(0.02)
    seconds = time.perf_counter() - start
    LAST_CPU[0] = _children_cpu() - cpu_before
    err.seek(0)
    message = err.read().decode("utf-8", "replace")[-2000:]
    err.close()
    return seconds, peak / 2**20, proc.returncode, message


def clusters_from_groups(path: Path) -> list[list[str]]:
    groups: dict[str, list[str]] = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            groups.setdefault(row["group_id"], []).append(row["record_id"])
    return [sorted(ids) for ids in groups.values() if len(ids) > 1]


def clusters_from_merged_ids(path: Path) -> list[list[str]]:
    out = []
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            ids = [x for x in row["merged_ids"].split(";") if x]
            if len(ids) > 1:
                out.append(sorted(ids))
    return out


def run_ours(records: Path, work: Path) -> Run:
    groups = work / "ours_groups.csv"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    cmd = [
        sys.executable,
        "-m",
        "realist_review.cli",
        "dedup",
        str(records),
        "--output",
        str(groups),
    ]
    seconds, peak, code, message = run_measured(cmd, env)
    if code != 0:
        return Run([], seconds, peak, False, message, LAST_CPU[0])
    return Run(clusters_from_groups(groups), seconds, peak, True, "", LAST_CPU[0])


def run_bib_dedupe(records: Path, work: Path) -> Run:
    python = ensure_bib_dedupe()
    pred = work / "bib_dedupe.csv"
    seconds, peak, code, message = run_measured([str(python), str(RUNNER), str(records), str(pred)])
    if code != 0:
        return Run([], seconds, peak, False, message, LAST_CPU[0])
    return Run(clusters_from_merged_ids(pred), seconds, peak, True, "", LAST_CPU[0])


def _pairs(clusters: list[list[str]]) -> set[tuple[str, str]]:
    out = set()
    for ids in clusters:
        ids = sorted(ids)
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                out.add((a, b))
    return out


def evaluate(gold: list[list[str]], pred: list[list[str]]) -> dict[str, float]:
    """Pairwise precision/recall/F1 (transitive clusters) and false merges."""
    gold_pairs, pred_pairs = _pairs(gold), _pairs(pred)
    tp = len(gold_pairs & pred_pairs)
    precision = tp / len(pred_pairs) if pred_pairs else 1.0
    recall = tp / len(gold_pairs) if gold_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    work_of = {rid: k for k, ids in enumerate(gold) for rid in ids}
    false_merges = sum(
        1 for ids in pred if len({work_of.get(rid, ("single", rid)) for rid in ids}) > 1
    )
    return {"precision": precision, "recall": recall, "f1": f1, "false_merges": false_merges}


_WORD_RE = re.compile(r"[A-Za-z]{2,}")
_PAGE_RE = re.compile(r"\d+")
#: words that carry meaning for deduplication (kinds of item, parts, numbers) stay as they are
_KEEP_WORDS = frozenset(
    {
        *("and", "erratum", "errata", "correction", "corrigendum", "comment", "comments"),
        *("commentary", "reply", "response", "letter", "retraction", "retracted", "part"),
        *("phase", "trial", "study", "vol", "pg", "conference", "abstract", "abstracts"),
        *("meeting", "congress", "proceedings", "symposium", "re", "in", "of", "the", "one"),
        *("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "first"),
        *("second", "third", "fourth", "fifth", "ii", "iii", "iv", "vi", "vii", "viii", "ix"),
    }
)


def _cipher(rng: random.Random) -> dict[int, int]:
    """A random one-to-one letter substitution (upper and lower case alike)."""
    letters = list(string.ascii_lowercase)
    shuffled = list(letters)
    rng.shuffle(shuffled)
    table = dict(zip(letters, shuffled, strict=True))
    table.update({k.upper(): v.upper() for k, v in table.items()})
    return str.maketrans(table)


def _shift_first_page(pages: str, shift: int) -> str:
    return _PAGE_RE.sub(lambda m: str(int(m.group(0)) + shift), pages, count=1)


def _substitute(text: str, table: dict[int, int]) -> str:
    """Encipher every word of two or more letters except the structural ones."""
    return _WORD_RE.sub(
        lambda m: m.group(0) if m.group(0).lower() in _KEEP_WORDS else m.group(0).translate(table),
        text,
    )


def augment(sets: list[Path], target: int, out: Path, seed: int = 7) -> tuple[int, list[list[str]]]:
    """Concatenate the sets with prefixed ids, then add disguised copies up to ``target``.

    Copy ``k`` of the data gets ids ``c<k>_<set>_<ID>``. To make every copy a *new* set of
    works with the *same* duplicate structure, copy ``k`` enciphers every word of titles,
    abstracts and author names with one random letter substitution (seeded by ``k``; words
    that mark kinds of item, parts and numbers, such as erratum, reply, part, five, stay) and
    shifts first pages by one random offset. A letter substitution keeps every edit distance,
    so the records of a gold cluster stay exactly as alike as they were (same typos, case,
    missing fields), while copies of a work read as unrelated titles. DOIs get a ``.c<k>``
    suffix. Gold clusters are copied with their records, so the gold stays exact.
    """
    columns = ["ID", "ENTRYTYPE", "author", "title", "year", "journal", "volume", "number",
               "pages", "abstract", "doi", "isbn", "url"]  # fmt: skip
    base_rows: list[dict[str, str]] = []
    base_gold: list[list[str]] = []
    for folder in sets:
        with (folder / "records_pre_merged.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                row = {c: row.get(c, "") or "" for c in columns}
                row["ID"] = f"{folder.name[:4]}_{row['ID']}"
                base_rows.append(row)
        for ids in clusters_from_merged_ids(folder / "merged_record_ids.csv"):
            base_gold.append([f"{folder.name[:4]}_{x}" for x in ids])
    rows = list(base_rows)
    gold = list(base_gold)
    copy = 0
    while len(rows) < target:
        copy += 1
        rng = random.Random(seed * 1000 + copy)
        table = _cipher(rng)
        shift = rng.randrange(1000, 9000)
        for row in base_rows:
            if len(rows) >= target:
                break
            new = dict(row)
            new["ID"] = f"c{copy}_{row['ID']}"
            new["title"] = _substitute(row["title"], table)
            new["abstract"] = _substitute(row["abstract"], table)
            new["author"] = _substitute(row["author"], table)
            new["doi"] = f"{row['doi']}.c{copy}" if row["doi"] else ""
            new["pages"] = _shift_first_page(row["pages"], shift)
            rows.append(new)
        for ids in base_gold:
            gold.append([f"c{copy}_{x}" for x in ids])
    keep = {r["ID"] for r in rows}
    gold = [[x for x in ids if x in keep] for ids in gold]
    gold = [ids for ids in gold if len(ids) > 1]
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows), gold


def fmt_row(name: str, n: int, tool: str, run: Run, metrics: dict[str, float] | None) -> str:
    if not run.ok or metrics is None:
        return (
            f"| {name} | {n:,} | {tool} | failed | | | | {run.seconds:.1f} | "
            f"{run.cpu_seconds:.1f} | {run.peak_mb:.0f} |"
        )
    return (
        f"| {name} | {n:,} | {tool} | {metrics['precision']:.4f} | {metrics['recall']:.4f} | "
        f"{metrics['f1']:.4f} | {int(metrics['false_merges'])} | {run.seconds:.1f} | "
        f"{run.cpu_seconds:.1f} | {run.peak_mb:.0f} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", help="comma-separated set names (default: all)")
    parser.add_argument("--no-scale", action="store_true", help="skip the 100k scale run")
    parser.add_argument("--scale-records", type=int, default=100_000)
    parser.add_argument(
        "--skip-bib-dedupe-scale", action="store_true", help="scale run: our stage only"
    )
    args = parser.parse_args(argv)
    root = shared_dir()
    if not root.is_dir():
        print(f"{root} not found: the labelled sets are not here", file=sys.stderr)
        return 2
    sets = sorted(p for p in root.iterdir() if (p / "merged_record_ids.csv").is_file())
    if args.sets:
        wanted = set(args.sets.split(","))
        sets = [p for p in sets if p.name in wanted]
    header = (
        "| set | records | tool | precision | recall | F1 | false merges | wall s | CPU s "
        "| peak MB |\n"
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|"
    )
    lines = [header]
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for folder in sets:
            records = folder / "records_pre_merged.csv"
            gold = clusters_from_merged_ids(folder / "merged_record_ids.csv")
            with records.open(encoding="utf-8") as handle:
                n = sum(1 for _ in csv.DictReader(handle))
            for tool, runner in (
                ("realist-review", run_ours),
                ("bib-dedupe 0.11.0", run_bib_dedupe),
            ):
                run = runner(records, work)
                metrics = evaluate(gold, run.clusters) if run.ok else None
                if not run.ok:
                    print(f"{tool} failed on {folder.name}: {run.message}", file=sys.stderr)
                lines.append(fmt_row(folder.name, n, tool, run, metrics))
                print(lines[-1], file=sys.stderr)
        if not args.no_scale and sets:
            scale = work / "scale.csv"
            n, gold = augment(sets, args.scale_records, scale)
            tools = [("realist-review", run_ours)]
            if not args.skip_bib_dedupe_scale:
                tools.append(("bib-dedupe 0.11.0", run_bib_dedupe))
            for tool, runner in tools:
                run = runner(scale, work)
                metrics = evaluate(gold, run.clusters) if run.ok else None
                if not run.ok:
                    print(f"{tool} failed on the scale set: {run.message}", file=sys.stderr)
                lines.append(fmt_row("scale (augmented)", n, tool, run, metrics))
                print(lines[-1], file=sys.stderr)
    print()
    print("\n".join(lines))
    print()
    print(
        "Pairwise precision/recall/F1 over record pairs in one cluster (transitive); a false "
        "merge is a predicted cluster holding records of more than one gold work. Wall time, "
        "CPU time (user + system of the tool's whole process tree) and peak memory (RSS summed "
        "over the process tree, polled every 20 ms) include interpreter start-up and reading "
        "the CSV. Machine load average (1 min) at start and end: "
        f"{load_before[0]:.1f} / {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
        "wall times grow with other users' load, CPU times much less."
    )
    if not args.no_scale and sets:
        print(
            f"Scale set: the {len(sets)} sets concatenated (ids prefixed by set), then copies "
            f"of every record up to {args.scale_records:,} records. Copy k rewrites titles, "
            "abstracts and author names with one random letter substitution (seed k; it keeps "
            "every edit distance; words marking errata, replies, parts and numbers are kept), "
            "shifts first "
            "pages by one offset and suffixes DOIs with .c<k>: duplicates within a gold cluster "
            "stay "
            "exactly as alike as in the original sets, copies are new works sharing journals, "
            "years and volumes with the originals; gold clusters are copied along."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
