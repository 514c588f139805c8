"""Benchmark: our dedup stage against bib-dedupe on the labelled sets, side by side.

Usage (from the repository root)::

    nice -n 10 python3 benchmarks/dedup.py [--sets haematology,respiratory] [--no-scale]
        [--scale-records 100000] [--no-narrow] [--narrow-records 40000]
        [--skip-bib-dedupe-scale] [--cache benchmarks/.envs/cache]
    nice -n 10 python3 benchmarks/dedup.py --threshold-grid   # leave-one-set-out check

For every labelled set in ``../shared/data/dedup/`` (or ``$REALIST_REVIEW_SHARED/data/dedup``)
both tools run in a child process on ``records_pre_merged.csv``; the script prints pairwise
precision, recall, F1 against ``merged_record_ids.csv``, false merges (predicted clusters
holding more than one gold work) and the records in those clusters, wall time and peak
memory (the child's whole process tree, polled with psutil), then two scale runs: a generated
narrow-topic set (large blocks of near-identical titles by the same teams in the same
journals, see :func:`narrow_topic`) and the sets concatenated and augmented to about 100,000
records. bib-dedupe 0.11.0 is installed from PyPI into its own virtualenv,
``benchmarks/.envs/bib-dedupe`` (git-ignored), on first use.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import json
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


#: where bib-dedupe's results are kept between runs (keyed by the input's sha256); set by
#: ``--cache`` (bib-dedupe takes minutes per set and its results do not change)
CACHE: list[Path] = []


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def run_bib_dedupe(records: Path, work: Path) -> Run:
    """bib-dedupe on ``records`` (from the cache when ``--cache`` holds this input's run)."""
    cached = CACHE[0] / f"bib-dedupe-{_sha256(records)[:16]}.json" if CACHE else None
    if cached is not None and cached.is_file():
        data = json.loads(cached.read_text(encoding="utf-8"))
        return Run(data["clusters"], data["seconds"], data["peak_mb"], True, "cached",
                   data["cpu_seconds"])  # fmt: skip
    run = _run_bib_dedupe(records, work)
    if cached is not None and run.ok:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(
            json.dumps({"clusters": run.clusters, "seconds": run.seconds,
                        "peak_mb": run.peak_mb, "cpu_seconds": run.cpu_seconds}),
            encoding="utf-8",
        )  # fmt: skip
    return run


def _run_bib_dedupe(records: Path, work: Path) -> Run:
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
    false = [ids for ids in pred if len({work_of.get(rid, ("single", rid)) for rid in ids}) > 1]
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "false_merges": len(false),
        "false_merge_records": sum(len(ids) for ids in false),
    }


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
            f"| {name} | {n:,} | {tool} | failed | | | | | {run.seconds:.1f} | "
            f"{run.cpu_seconds:.1f} | {run.peak_mb:.0f} |"
        )
    return (
        f"| {name} | {n:,} | {tool} | {metrics['precision']:.4f} | {metrics['recall']:.4f} | "
        f"{metrics['f1']:.4f} | {int(metrics['false_merges'])} | "
        f"{int(metrics['false_merge_records'])} | {run.seconds:.1f} | "
        f"{run.cpu_seconds:.1f} | {run.peak_mb:.0f} |"
    )


# --------------------------------------------------------------------------------------------
# The narrow-topic scale set: large blocks of near-identical titles
# --------------------------------------------------------------------------------------------
_INTERVENTIONS = (
    "Mindfulness-based stress reduction",
    "Mindfulness-based cognitive therapy",
    "A brief mindfulness intervention",
    "Online mindfulness training",
    "App-based mindfulness meditation",
    "Group mindfulness training",
    "Mindfulness-based stress reduction delivered by video",
    "Mindful self-compassion training",
)
_OUTCOMES = (
    "anxiety",
    "depressive symptoms",
    "perceived stress",
    "sleep quality",
    "burnout",
    "psychological wellbeing",
    "anxiety and depressive symptoms",
    "rumination",
)
_POPULATIONS = (
    "university students",
    "adolescents",
    "nurses",
    "older adults",
    "primary school teachers",
    "medical residents",
    "women with breast cancer",
    "adults with chronic pain",
    "caregivers of people with dementia",
    "adolescents with type 1 diabetes",
)
_DESIGNS = (
    "a randomized controlled trial",
    "a pilot randomized controlled trial",
    "a cluster randomised trial",
    "a systematic review and meta-analysis",
    "a qualitative study",
    "study protocol for a randomised controlled trial",
    "a mixed-methods evaluation",
    "a 12-month follow-up",
)
_SETTINGS = (
    "",
    " in China",
    " in the United Kingdom",
    " in rural Australia",
    " in Brazil",
    " in Germany",
)
_JOURNALS = (
    ("Mindfulness", "Mindfulness"),
    ("Journal of Anxiety Disorders", "J Anxiety Disord"),
    ("Behaviour Research and Therapy", "Behav Res Ther"),
    ("Journal of Affective Disorders", "J Affect Disord"),
    ("Psychological Medicine", "Psychol Med"),
    ("BMC Psychiatry", "BMC Psychiatry"),
    ("Journal of Consulting and Clinical Psychology", "J Consult Clin Psychol"),
    ("Stress and Health", "Stress Health"),
    ("International Journal of Nursing Studies", "Int J Nurs Stud"),
    ("Journal of Adolescent Health", "J Adolesc Health"),
)  # fmt: skip


def _typo(text: str, rng: random.Random) -> str:
    """One letter of a word of five letters or more replaced, dropped or doubled."""
    words = text.split(" ")
    long_words = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not long_words:
        return text
    i = rng.choice(long_words)
    w = words[i]
    k = rng.randrange(1, len(w) - 1)
    how = rng.randrange(3)
    if how == 0:
        w = w[:k] + rng.choice("aeiou") + w[k + 1 :]
    elif how == 1:
        w = w[:k] + w[k + 1 :]
    else:
        w = w[:k] + w[k] + w[k:]
    words[i] = w
    return " ".join(words)


def narrow_topic(target: int, out: Path, seed: int = 11) -> tuple[int, list[list[str]]]:
    """Write a labelled set of about ``target`` records on one narrow topic; return the number
    of records and the gold clusters.

    Works are titled ``<intervention> for <outcome> in <population><setting>: <design>``
    (6,400 × 6 combinations), so most titles have neighbours that differ by one or two
    words; teams of authors publish many of them, in ten journals, over 15 years (large
    blocks of near-identical titles by the same people in the same journals: the hard
    negatives of a real narrow search). About 40 % of works get one to three more records
    as another database would export them: case, full stop, one typo, authors as ``Surname
    F`` or given name first, the journal abbreviated, ``441-9`` page ranges, volume or pages
    missing, the online-first year one earlier without volume or pages, the DOI as a
    percent-encoded link or missing.
    """
    rng = random.Random(seed)
    combos = [
        f"{i} for {o} in {p}{s}: {d}"
        for i in _INTERVENTIONS for o in _OUTCOMES for p in _POPULATIONS for s in _SETTINGS
        for d in _DESIGNS
    ]  # fmt: skip
    rng.shuffle(combos)
    surnames = [f"{a}{b}" for a in ("Li", "Wang", "Smith", "Garcia", "Muller", "Kim", "Silva",
                "Nguyen", "Brown", "Rossi", "Kowalski", "Ahmed", "Jones", "Tanaka", "Olsen")
                for b in ("", "son", "er", "ova", "i", "ez", "an", "berg")]  # fmt: skip
    teams = [rng.sample(surnames, rng.randrange(2, 7)) for _ in range(300)]
    initials = {name: rng.choice("ABCDEFGHJKLMNPRSTW") for name in surnames}
    columns = ["ID", "ENTRYTYPE", "author", "title", "year", "journal", "volume", "number",
               "pages", "abstract", "doi", "isbn", "url"]  # fmt: skip
    rows: list[dict[str, str]] = []
    gold: list[list[str]] = []
    work = 0
    while len(rows) < target and work < len(combos):
        title = combos[work]
        team = rng.choice(teams)
        journal, abbrev = rng.choice(_JOURNALS)
        year = rng.randrange(2010, 2025)
        volume = str(year - 1990 + _JOURNALS.index((journal, abbrev)) * 3)
        issue = str(rng.randrange(1, 13))
        first = rng.randrange(1, 3000)
        last = first + rng.randrange(4, 15)
        doi = f"10.5555/mind.{year}.{work:06d}"
        base = {
            "ENTRYTYPE": "article", "title": title,
            "author": " and ".join(f"{n}, {initials[n]}." for n in team),
            "year": str(year), "journal": journal, "volume": volume, "number": issue,
            "pages": f"{first}-{last}", "abstract": "", "doi": doi, "isbn": "", "url": "",
        }  # fmt: skip
        copies = [base]
        if rng.random() < 0.4:
            for _ in range(rng.choice((1, 1, 1, 2, 3))):
                c = dict(base)
                if rng.random() < 0.3:
                    c["title"] = c["title"].upper() if rng.random() < 0.3 else c["title"] + "."
                if rng.random() < 0.25:
                    c["title"] = _typo(c["title"], rng)
                if rng.random() < 0.5:
                    c["author"] = " and ".join(f"{n} {initials[n]}" for n in team)
                if rng.random() < 0.5:
                    c["journal"] = abbrev
                if rng.random() < 0.3:
                    c["pages"] = f"{first}-{str(last)[-len(str(last)) + 1 :] or last}"
                if rng.random() < 0.15:
                    c["year"], c["volume"], c["number"], c["pages"] = str(year - 1), "", "", ""
                elif rng.random() < 0.15:
                    c["volume"] = c["number"] = ""
                r = rng.random()
                if r < 0.3:
                    c["doi"] = ""
                elif r < 0.45:
                    c["doi"] = "http://dx.doi.org/" + doi.replace(".", "%2E", 1)
                copies.append(c)
        ids = []
        for c in copies:
            rid = f"nt_{len(rows):07d}"
            rows.append({"ID": rid, **c})
            ids.append(rid)
        if len(ids) > 1:
            gold.append(ids)
        work += 1
    order = list(range(len(rows)))
    rng.shuffle(order)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows[k] for k in order)
    return len(rows), gold


#: the threshold grid of ``--threshold-grid`` (DecideSettings field -> values tried)
GRID: dict[str, tuple[float, ...]] = {
    "title": (0.9, 0.93, 0.95, 0.97),
    "authors": (0.6, 0.7, 0.75, 0.8, 0.9),
    "title_with_identifier": (0.5, 0.6, 0.7),
}


def threshold_grid(sets: list[Path]) -> list[str]:
    """Every setting of :data:`GRID` on every set (in-process), then leave-one-set-out.

    For each held-out set, the setting is chosen on the other sets: first no records in
    falsely merged clusters beyond the fewest any setting reaches there, then the highest
    mean pair recall; ties go to the setting nearest the middle of the tied ones (the least
    tuned). The held-out set's result at that setting is printed beside its best possible.
    """
    import itertools
    from dataclasses import replace as dc_replace

    sys.path.insert(0, str(REPO / "src"))
    from realist_review.dedup.load import load_benchmark_csv
    from realist_review.dedup.stage import DedupSettings, deduplicate

    loaded = {
        folder.name: (
            load_benchmark_csv(folder / "records_pre_merged.csv"),
            clusters_from_merged_ids(folder / "merged_record_ids.csv"),
        )
        for folder in sets
    }
    base = DedupSettings()
    names = list(GRID)
    results: dict[tuple[float, ...], dict[str, dict[str, float]]] = {}
    for values in itertools.product(*(GRID[k] for k in names)):
        cfg = dc_replace(
            base, decide=dc_replace(base.decide, **dict(zip(names, values, strict=True)))
        )
        per_set = {}
        for name, (records, gold) in loaded.items():
            result = deduplicate(records, settings=cfg)
            groups: dict[str, list[str]] = {}
            for rid, gid in result.group_of.items():
                groups.setdefault(gid, []).append(rid)
            per_set[name] = evaluate(gold, [ids for ids in groups.values() if len(ids) > 1])
        results[values] = per_set
    lines = [
        "| held-out set | setting chosen on the others (" + ", ".join(names) + ") | "
        "held-out recall | held-out records in false merges | best recall on it |",
        "|---|---|---:|---:|---:|",
    ]
    for held in loaded:
        others = [n for n in loaded if n != held]
        fewest = min(sum(r[n]["false_merge_records"] for n in others) for r in results.values())
        ok = [v for v, r in results.items()
              if sum(r[n]["false_merge_records"] for n in others) == fewest]  # fmt: skip
        best = max(sum(results[v][n]["recall"] for n in others) for v in ok)
        tied = sorted(v for v in ok if sum(results[v][n]["recall"] for n in others) >= best - 1e-9)
        middle = tuple(
            sorted({v[i] for v in tied})[len({v[i] for v in tied}) // 2] for i in range(len(names))
        )
        chosen = min(tied, key=lambda v: sum(abs(a - b) for a, b in zip(v, middle, strict=True)))
        got = results[chosen][held]
        lines.append(
            f"| {held} | {', '.join(str(x) for x in chosen)} | {got['recall']:.4f} | "
            f"{int(got['false_merge_records'])} | "
            f"{max(r[held]['recall'] for r in results.values()):.4f} |"
        )
    current = tuple(getattr(base.decide, k) for k in names)
    if current in results:
        lines.append(
            "\nDefaults (" + ", ".join(f"{k}={v}" for k, v in zip(names, current, strict=True))
            + "): " + "; ".join(f"{n} recall {r['recall']:.4f}, "
                                 f"{int(r['false_merge_records'])} records in false merges"
                                 for n, r in results[current].items())
        )  # fmt: skip
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", help="comma-separated set names (default: all)")
    parser.add_argument("--no-scale", action="store_true", help="skip the 100k scale run")
    parser.add_argument("--scale-records", type=int, default=100_000)
    parser.add_argument("--no-narrow", action="store_true", help="skip the narrow-topic scale set")
    parser.add_argument("--narrow-records", type=int, default=40_000)
    parser.add_argument(
        "--threshold-grid",
        action="store_true",
        help="only the threshold grid with leave-one-set-out checks (our stage, in-process)",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        help="keep bib-dedupe's results here and reuse them (e.g. benchmarks/.envs/cache)",
    )
    parser.add_argument(
        "--skip-bib-dedupe-scale",
        action="store_true",
        help="augmented 100k scale run: our stage only",
    )
    args = parser.parse_args(argv)
    if args.cache:
        CACHE[:] = [args.cache]
    root = shared_dir()
    if not root.is_dir():
        print(f"{root} not found: the labelled sets are not here", file=sys.stderr)
        return 2
    sets = sorted(p for p in root.iterdir() if (p / "merged_record_ids.csv").is_file())
    if args.sets:
        wanted = set(args.sets.split(","))
        sets = [p for p in sets if p.name in wanted]
    if args.threshold_grid:
        print("\n".join(threshold_grid(sets)))
        return 0
    header = (
        "| set | records | tool | precision | recall | F1 | false merges "
        "| records in falsely merged clusters | wall s | CPU s | peak MB |\n"
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
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
        if not args.no_narrow:
            narrow = work / "narrow.csv"
            n, gold = narrow_topic(args.narrow_records, narrow)
            for tool, runner in (
                ("realist-review", run_ours),
                ("bib-dedupe 0.11.0", run_bib_dedupe),
            ):
                run = runner(narrow, work)
                metrics = evaluate(gold, run.clusters) if run.ok else None
                if not run.ok:
                    print(f"{tool} failed on the narrow-topic set: {run.message}", file=sys.stderr)
                lines.append(fmt_row("scale (narrow topic)", n, tool, run, metrics))
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
    if not args.no_narrow:
        print(
            f"Narrow-topic scale set: {args.narrow_records:,} generated records on one topic "
            "(mindfulness interventions): titles '<intervention> for <outcome> in "
            "<population><setting>: <design>', so most titles have neighbours one or two "
            "words apart; 300 author teams, 10 journals, 15 years; about 40% of works have "
            "1-3 more records as another database exports them (case, full stop, a typo, "
            "author and journal formats, short page ranges, missing volume/pages, the "
            "online-first year, the DOI as a percent-encoded link or missing). See "
            "narrow_topic()."
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
