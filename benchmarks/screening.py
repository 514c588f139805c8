"""Screening benchmark: our ``simulate`` against ASReview 3.0.8 (model ``elas_u4``).

Runs both on the 14 labelled development sets in ../shared/data/screening/ (both label
levels where the set has them: 27 set/label rows; with ``--sets foster_adoptive`` also the
set in ../shared/data/corpus/, the RIS file a record sits in being its label), with the
same priors (one include and one exclude drawn by ``realist_review.screen.simulate.
draw_priors`` with the seed) and the same seeds, and prints per set and label column:
WSS@95, recall after 10% screened, records for 95% recall, wall time, side by side; then,
per set and pooled, every stopping rule of ``realist_review.screen.stopping_rules``: runs
reaching the recall target and work saved, whether the rule is valid (target reached in
>= 95% of all runs and in >= 4 of 5 seeds on every set) and its work saved against
buscar's. Ours runs with batches of 1 (as ASReview) and of 50 (a screening sheet), which
also measures what batching costs.

ASReview runs in its own virtualenv (``benchmarks/.envs/asreview``, created here) through
its Python API, exactly as ``asreview simulate --prior-idx I E --seed S`` does it; its
results are cached per (set, label, seed) under ``benchmarks/out/screening/`` so reruns
are cheap (``--asreview-cached-only`` prints with what is cached, rows say how many seeds).
Both are timed from reading the CSV to the end of the simulation (interpreter start-up
excluded). Run it with ``nice -n 10 python benchmarks/screening.py``.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from realist_review.screen import stopping_rules
from realist_review.screen.simulate import (
    draw_priors,
    read_labelled_csv,
    screening_metrics,
    simulate_screening,
)

ROOT = Path(__file__).resolve().parents[1]
SHARED = (
    Path(os.environ["REALIST_REVIEW_SHARED"]) / "data"
    if "REALIST_REVIEW_SHARED" in os.environ
    else ROOT.parent / "shared" / "data"
)
OUT = ROOT / "benchmarks" / "out" / "screening"
ENV = ROOT / "benchmarks" / ".envs" / "asreview"
ASREVIEW = "asreview==3.0.8"

INCLUDED = "label_included"
ABSTRACT = "label_abstract_screening"
FOSTER_DIR = "corpus/vembye_screen_benchmarks_foster_adoptive"
#: The Cohen et al. (2006) drug-class reviews in ../shared/data/screening/ (both label levels).
COHEN_TOPICS = (
    "ADHD",
    "Antihistamines",
    "AtypicalAntipsychotics",
    "BetaBlockers",
    "CalciumChannelBlockers",
    "Estrogens",
    "NSAIDS",
    "Opiods",
    "OralHypoglycemics",
    "SkeletalMuscleRelaxants",
    "Triptans",
    "UrinaryIncontinence",
)
#: (set name, source, label columns): the 14 development sets
SETS: list[tuple[str, str, tuple[str, ...]]] = [
    *(
        (f"Cohen_2006_{topic}", f"screening/Cohen_2006_{topic}.csv", (INCLUDED, ABSTRACT))
        for topic in COHEN_TOPICS
    ),
    ("Kitchenham_2010", "screening/Kitchenham_2010.csv", (INCLUDED,)),
    ("van_de_Schoot_2017", "screening/van_de_Schoot_2017.csv", (INCLUDED, ABSTRACT)),
]
#: further sets, run only when named with --sets
EXTRA_SETS: list[tuple[str, str, tuple[str, ...]]] = [("foster_adoptive", FOSTER_DIR, (ABSTRACT,))]
FOSTER_FILES = {
    "included_on_title_abstract.ris": 1,
    "excluded_title_abstract.review.ris": 0,
    "excluded_title_abstract.4.ris": 0,
}

ASREVIEW_DRIVER = """
import json, sys, time
import numpy as np
from asreview import load_dataset
from asreview.learner import ActiveLearningCycle
from asreview.models.models import get_ai_config
from asreview.models.queriers import TopDown
from asreview.models.stoppers import IsFittable
from asreview.simulation.simulate import Simulate
import asreview

path, seed, prior = sys.argv[1], int(sys.argv[2]), [int(x) for x in sys.argv[3].split(",")]
started = time.perf_counter()
cpu_started = time.process_time()
np.random.seed(seed)  # as `asreview simulate --seed` does
with load_dataset(path, dataset_id="benchmark") as db:
    cycles = [
        ActiveLearningCycle(querier=TopDown(), stopper=IsFittable()),
        ActiveLearningCycle.from_meta(get_ai_config("elas_u4")["value"]),
    ]
    sim = Simulate(db.input.get_df(), db.input["included"], cycles, print_progress=False)
    sim.label(prior)  # as `--prior-idx`
    sim.review()
    results = sim._results
json.dump({
    "asreview": asreview.__version__,
    "order": [int(x) for x in results["record_id"]],
    "labels": [int(x) for x in results["label"]],
    "seconds": time.perf_counter() - started,
    "cpu_seconds": time.process_time() - cpu_started,
}, sys.stdout)
"""


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------
def read_ris_minimal(path: Path) -> list[dict[str, str]]:
    """Title, abstract and id of each record of a RIS file (enough for this benchmark)."""
    records: list[dict[str, str]] = []
    current: dict[str, str] = {}
    last = ""
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        match = re.match(r"^([A-Z][A-Z0-9])  -( (.*))?$", line)
        if match:
            tag, value = match.group(1), (match.group(3) or "").strip()
            if tag == "ER":
                records.append(current)
                current, last = {}, ""
                continue
            if tag in {"TI", "T1"} and "title" not in current:
                current["title"], last = value, "title"
            elif tag == "AB":
                current["abstract"] = (current.get("abstract", "") + " " + value).strip()
                last = "abstract"
            elif tag == "U1" and "id" not in current:
                current["id"], last = value, ""
            else:
                last = ""
        elif last and line.strip():
            current[last] = (current.get(last, "") + " " + line.strip()).strip()
    return records


def prepare(name: str, source: str, label: str) -> Path:
    """A CSV (record_id, title, abstract, label_included = the chosen label) both tools read."""
    target = OUT / "data" / f"{name}__{label}.csv"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, str]] = []
    if source == FOSTER_DIR:
        for file_name, value in FOSTER_FILES.items():
            for rec in read_ris_minimal(SHARED / source / file_name):
                rows.append(
                    {
                        "record_id": rec.get("id") or f"{file_name}#{len(rows)}",
                        "title": rec.get("title", ""),
                        "abstract": rec.get("abstract", ""),
                        INCLUDED: str(value),
                    }
                )
    else:
        with (SHARED / source).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                rows.append(
                    {
                        "record_id": row["record_id"],
                        "title": row.get("title", ""),
                        "abstract": row.get("abstract", ""),
                        INCLUDED: row[label],
                    }
                )
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["record_id", "title", "abstract", INCLUDED])
        writer.writeheader()
        writer.writerows(rows)
    return target


# --------------------------------------------------------------------------------------------
# ASReview
# --------------------------------------------------------------------------------------------
def ensure_asreview() -> Path:
    """The virtualenv's python, creating the env and installing ASReview when missing."""
    python = ENV / "bin" / "python"
    if not python.exists():
        print(f"creating {ENV} and installing {ASREVIEW} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(ENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", ASREVIEW], check=True)
    return python


def run_asreview(csv_path: Path, key: str, seed: int, prior: tuple[int, int]) -> dict[str, object]:
    """ASReview's simulation (cached under benchmarks/out/screening/asreview/)."""
    cache = OUT / "asreview" / f"{key}__seed{seed}.json"
    if cache.exists():
        cached: dict[str, object] = json.loads(cache.read_text())
        if cached.get("prior") == list(prior):
            return cached
    python = ensure_asreview()
    driver = OUT / "asreview_driver.py"
    driver.parent.mkdir(parents=True, exist_ok=True)
    driver.write_text(ASREVIEW_DRIVER)
    proc = subprocess.run(
        [
            "nice",
            "-n",
            "10",
            str(python),
            str(driver),
            str(csv_path),
            str(seed),
            f"{prior[0]},{prior[1]}",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=driver.parent,  # ASReview writes a cache file into its working directory
    )
    result: dict[str, object] = json.loads(proc.stdout)
    result["prior"] = list(prior)
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps(result))
    return result


# --------------------------------------------------------------------------------------------
# Runs and the table
# --------------------------------------------------------------------------------------------
@dataclass
class Run:
    """One simulation's figures."""

    wss: float
    recall10: float
    n95: int
    seconds: float
    cpu: float | None
    stop_reached: bool | None = None
    stop_recall: float | None = None
    stop_saved: float | None = None
    seed: int = -1
    #: rule -> [target reached (0/1), recall at stop, work saved]
    rules: dict[str, list[float]] = dataclasses.field(default_factory=dict)


def asreview_cached(key: str, seed: int) -> bool:
    """Whether ASReview's result for (set and label, seed) is in the cache."""
    return (OUT / "asreview" / f"{key}__seed{seed}.json").exists()


def asreview_run(csv_path: Path, key: str, seed: int, labels: list[int]) -> Run:
    prior = draw_priors(labels, seed)
    result = run_asreview(csv_path, key, seed, prior)
    order = [int(i) for i in result["order"]]
    seen = set(order)
    if [labels[i] for i in order] != [int(v) for v in result["labels"]]:
        raise RuntimeError(f"{key}: ASReview's row indices do not match the CSV rows")
    # ASReview stops at the last include: the rest do not change any metric
    full = order + [i for i in range(len(labels)) if i not in seen]
    metrics = screening_metrics([labels[i] for i in full])
    cpu = result.get("cpu_seconds")
    return Run(
        metrics.wss_95,
        metrics.recall_at_10,
        metrics.records_for_95,
        float(result["seconds"]),
        None if cpu is None else float(cpu),
        seed=seed,
    )


def code_version() -> str:
    """Hash of the screening modules' source: our cached runs are reused only for the same code."""
    import hashlib

    import realist_review.screen.model as model_module
    import realist_review.screen.simulate as simulate_module
    import realist_review.screen.stopping as stopping_module
    import realist_review.screen.stopping_rules as rules_module

    digest = hashlib.sha256()
    for module in (model_module, simulate_module, stopping_module, rules_module):
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()[:16]


def our_cache(csv_path: Path, seed: int, preset: str, batch: int) -> Path:
    """Where our run's figures are cached (per code version, preset, batch, set, seed)."""
    return OUT / "ours" / code_version() / f"{csv_path.stem}__{preset}__b{batch}__seed{seed}.json"


def our_cached(csv_path: Path, seed: int, preset: str, batch: int) -> bool:
    """Whether our run is in the cache for this code."""
    return our_cache(csv_path, seed, preset, batch).exists()


def our_run(csv_path: Path, seed: int, preset: str, batch: int) -> Run:
    """Our simulation (cached per code version, preset, batch, set and label, seed)."""
    cache = our_cache(csv_path, seed, preset, batch)
    if cache.exists():
        return Run(**json.loads(cache.read_text()))
    run = _our_run(csv_path, seed, preset, batch)
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps(dataclasses.asdict(run)))
    return run


def _our_run(csv_path: Path, seed: int, preset: str, batch: int) -> Run:
    started = time.perf_counter()
    cpu_started = time.process_time()
    data = read_labelled_csv(csv_path)
    result = simulate_screening(
        data.documents, data.labels, preset=preset, seed=seed, batch_size=batch
    )
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    m, s = result.metrics, result.stopping
    return Run(
        m.wss_95,
        m.recall_at_10,
        m.records_for_95,
        seconds,
        cpu,
        s.target_reached,
        s.recall,
        s.work_saved,
        seed=seed,
        rules={o.rule: [float(o.target_reached), o.recall, o.work_saved] for o in result.rules},
    )


def mean(values: Iterable[float]) -> float:
    return statistics.fmean(list(values))


def cpu_mean(runs: list[Run]) -> str:
    """Mean CPU seconds over the runs that recorded it (older cache entries did not)."""
    cpus = [r.cpu for r in runs if r.cpu is not None]
    if not cpus:
        return "n/a"
    suffix = "" if len(cpus) == len(runs) else f" ({len(cpus)} runs)"
    return f"{mean(cpus):.1f}{suffix}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--preset", default="default")
    parser.add_argument("--batch", type=int, nargs="+", default=[1, 50])
    parser.add_argument("--sets", nargs="*", help="only these set names")
    parser.add_argument("--asreview-only", action="store_true", help="only fill the cache")
    parser.add_argument("--no-asreview", action="store_true", help="skip ASReview")
    parser.add_argument(
        "--ours-cached-only",
        action="store_true",
        help="use only our runs already cached for this code (rows say how many seeds)",
    )
    parser.add_argument(
        "--asreview-cached-only",
        action="store_true",
        help="use only ASReview results already cached (rows say how many seeds)",
    )
    args = parser.parse_args(argv)
    if not SHARED.is_dir():
        print(f"{SHARED} is absent: nothing to benchmark", file=sys.stderr)
        return 1
    started = time.perf_counter()
    seeds = list(range(args.seeds))
    table: list[tuple[str, str, dict[str, list[Run]]]] = []
    for name, source, labels in SETS + EXTRA_SETS:
        if (args.sets and name not in args.sets) or (
            not args.sets and (name, source, labels) in EXTRA_SETS
        ):
            continue
        for label in labels:
            csv_path = prepare(name, source, label)
            y = list(read_labelled_csv(csv_path).labels)
            key = f"{name}__{label}"
            runs: dict[str, list[Run]] = {}
            if not args.no_asreview:
                asr_seeds = [
                    s for s in seeds if not args.asreview_cached_only or asreview_cached(key, s)
                ]
                runs["ASReview"] = [asreview_run(csv_path, key, s, y) for s in asr_seeds]
            if not args.asreview_only:
                for batch in args.batch:
                    runs[f"ours b{batch}"] = []
                    for s in seeds:
                        if args.ours_cached_only and not our_cached(
                            csv_path, s, args.preset, batch
                        ):
                            continue
                        runs[f"ours b{batch}"].append(our_run(csv_path, s, args.preset, batch))
                        print(f"  {key} ours b{batch} seed {s} done", file=sys.stderr, flush=True)
            table.append((name, label, runs))
            summary = "  ".join(
                f"{tool}: WSS {mean(r.wss for r in rs):.3f} ({len(rs)} seeds)"
                for tool, rs in runs.items()
                if rs
            )
            print(f"# {name} {label} (N={len(y)}, includes={sum(y)}): {summary}", flush=True)
    print_table(table, args, time.perf_counter() - started)
    return 0


def print_table(
    table: list[tuple[str, str, dict[str, list[Run]]]], args: argparse.Namespace, total: float
) -> None:
    tools = list(table[0][2]) if table else []
    print()
    print(
        f"Screening benchmark: preset `{args.preset}`, {args.seeds} seeds, mean over seeds "
        f"(min..max for WSS@95); ASReview {ASREVIEW.split('==')[1]} elas_u4 with batch 1."
    )
    print()
    head = ["set", "label", "N", "incl."]
    for tool in tools:
        head += [f"WSS@95 {tool}", f"R@10% {tool}", f"n95 {tool}", f"wall/CPU s {tool}"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for name, label, runs in table:
        csv_path = OUT / "data" / f"{name}__{label}.csv"
        y = read_labelled_csv(csv_path).labels
        cells = [name, label.replace("label_", ""), str(len(y)), str(sum(y))]
        for tool in tools:
            rs = runs[tool]
            if not rs:
                cells += ["n/a"] * 4
                continue
            wss = [r.wss for r in rs]
            cells += [
                f"{mean(wss):.3f} ({min(wss):.2f}..{max(wss):.2f})",
                f"{mean(r.recall10 for r in rs):.3f}",
                f"{mean(r.n95 for r in rs):.0f}",
                f"{mean(r.seconds for r in rs):.1f} / {cpu_mean(rs)}",
            ]
        print("| " + " | ".join(cells) + " |")
    if "ASReview" in tools:
        print()
        for tool in tools:
            if tool == "ASReview":
                continue
            # same seeds on both sides: the seeds both have for the row
            compared: list[tuple[str, str, dict[str, list[Run]]]] = []
            paired: list[tuple[list[Run], list[Run]]] = []
            for name, label, runs in table:
                common = {a.seed for a in runs["ASReview"]} & {o.seed for o in runs[tool]}
                if common:
                    compared.append((name, label, runs))
                    paired.append(
                        (
                            [o for o in runs[tool] if o.seed in common],
                            [a for a in runs["ASReview"] if a.seed in common],
                        )
                    )
            if not paired:
                continue
            diffs = [mean(r.wss for r in ours) - mean(r.wss for r in asr) for ours, asr in paired]
            worst = min(diffs)
            time_ratio = sum(mean(r.seconds for r in ours) for ours, _ in paired) / sum(
                mean(r.seconds for r in asr) for _, asr in paired
            )
            cpu_pairs = [
                (
                    mean([o.cpu for o, a in zip(ours, asr, strict=True) if a.cpu is not None]),
                    mean([a.cpu for a in asr if a.cpu is not None]),
                )
                for ours, asr in paired
                if any(a.cpu is not None for a in asr)
            ]
            cpu_ratio = sum(a for a, _ in cpu_pairs) / max(1e-9, sum(b for _, b in cpu_pairs))
            print(
                f"- {tool} vs ASReview ({len(paired)} set/label rows, same seeds): mean WSS@95 "
                f"difference {100 * mean(diffs):+.1f} points (per row: "
                f"{', '.join(f'{100 * d:+.1f}' for d in diffs)}); matches on every row: "
                f"{'yes' if worst >= 0 else 'no'}; total wall-time ratio {time_ratio:.2f}, "
                f"CPU-time ratio {cpu_ratio:.2f} (below 1: faster than ASReview)"
            )
            for level in (INCLUDED, ABSTRACT):
                level_diffs = [
                    (name, d)
                    for (name, label, _), d in zip(compared, diffs, strict=True)
                    if label == level
                ]
                if not level_diffs:
                    continue
                below = [f"{name} {100 * d:+.1f}" for name, d in level_diffs if d < -0.01]
                print(
                    f"  - {level}: mean difference {100 * mean(d for _, d in level_diffs):+.1f} "
                    f"points over {len(level_diffs)} sets; more than 1 point below ASReview: "
                    f"{', '.join(below) or 'none'}"
                )
    for tool in tools:
        if tool == "ASReview":
            continue
        stops = [r for _, _, runs in table for r in runs[tool]]
        if not stops:
            continue
        reached = sum(bool(r.stop_reached) for r in stops)
        print(
            f"- stopping rule ({tool}, target 95%, confidence 95%): reached in {reached}/"
            f"{len(stops)} runs; recall at stop min {min(r.stop_recall or 0 for r in stops):.3f}"
            f", mean {mean(r.stop_recall or 0 for r in stops):.3f}; work saved mean "
            f"{mean(r.stop_saved or 0 for r in stops):.1%}"
        )
    for tool in tools:
        if tool != "ASReview":
            print_stopping(table, tool)
    recorded = sum(r.seconds for _, _, runs in table for rs in runs.values() for r in rs)
    print(
        f"- whole benchmark: this run {total:.0f} s wall time (cached runs reused); every "
        f"simulation from scratch: {recorded:.0f} s, the sum of the recorded run times"
    )


def print_stopping(table: list[tuple[str, str, dict[str, list[Run]]]], tool: str) -> None:
    """Per set and pooled: each stopping rule's share of runs reaching the target and its work
    saved; a rule is valid when >= 95% of all runs and >= 4 of 5 seeds on every set reach it."""
    rules = list(stopping_rules.RULES)
    print()
    print(
        f"Stopping rules ({tool}, target 95%, confidence 95%): runs reaching the target / "
        "runs, mean work saved (heuristics are advice only)"
    )
    print()
    print("| set | label | " + " | ".join(rules) + " |")
    print("|---|---|" + "---|" * len(rules))
    for name, label, runs in table:
        cells = [name, label.replace("label_", "")]
        for rule in rules:
            outs = [r.rules[rule] for r in runs[tool] if rule in r.rules]
            if not outs:
                cells.append("n/a")
                continue
            reached = sum(int(o[0]) for o in outs)
            cells.append(f"{reached}/{len(outs)}, {mean(o[2] for o in outs):.1%}")
        print("| " + " | ".join(cells) + " |")
    pooled = {
        rule: [(name, label, r.rules[rule]) for name, label, runs in table for r in runs[tool]]
        for rule in rules
    }
    cells = ["pooled", ""]
    for rule in rules:
        outs = [o for _, _, o in pooled[rule]]
        reached = sum(int(o[0]) for o in outs)
        cells.append(
            f"{reached}/{len(outs)} ({reached / max(1, len(outs)):.1%}), "
            f"{mean(o[2] for o in outs) if outs else 0:.1%}"
        )
    print("| " + " | ".join(cells) + " |")
    print()
    buscar = mean(o[2] for _, _, o in pooled["buscar"]) if pooled["buscar"] else 0.0
    for rule in rules:
        outs = pooled[rule]
        if not outs:
            continue
        share = mean(o[0] for _, _, o in outs)
        per_set: dict[tuple[str, str], list[float]] = {}
        for name, label, o in outs:
            per_set.setdefault((name, label), []).append(o[0])
        weak = [
            f"{name} {label.replace('label_', '')} {int(sum(v))}/{len(v)}"
            for (name, label), v in per_set.items()
            if sum(v) < len(v) * 0.8 - 1e-9
        ]
        saved = mean(o[2] for _, _, o in outs)
        kind = "statistical" if rule in stopping_rules.STATISTICAL_RULES else "heuristic"
        valid = share >= 0.95 and not weak
        print(
            f"- {rule} ({kind}{', the default' if rule == stopping_rules.DEFAULT_RULE else ''}):"
            f" target reached in {share:.1%} of runs; sets below 4 of 5: "
            f"{', '.join(weak) or 'none'}; {'valid' if valid else 'NOT valid'}; work saved "
            f"{saved:.1%} = {saved / buscar if buscar else float('nan'):.2f} x buscar's"
        )


if __name__ == "__main__":
    sys.exit(main())
