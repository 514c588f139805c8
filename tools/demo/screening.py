"""The demo review's screening: a fictional team of three fills the exported sheets.

``python -m tools.demo --screening`` runs the demo's searches, normalisation and
deduplication in a scratch folder (the same package functions the pipeline's rules call), then
lets a simulated team (``reviewer-a`` and ``reviewer-b`` screen, ``reviewer-c`` resolves
conflicts; a small, seeded error rate gives real disagreements) play the rounds the stopping
rule asks for: ranked rounds until the rule says to sample at random, the random sample it asks
for, then conflict resolution. The filled sheets land in ``config/screening/`` exactly as a real
team's would, with their checksums in ``SHA256SUMS``. Deterministic: same inputs, same bytes.
"""

from __future__ import annotations

import csv
import logging
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from realist_review.config import load_config, search_specs
from realist_review.dedup import run_dedup
from realist_review.normalize import normalize_records
from realist_review.screen.progress import write_status
from realist_review.search import execute_search
from realist_review.tables import read_table, read_text
from tools.demo.team import play_demo

log = logging.getLogger(__name__)

#: Ranked rounds the demo team screens before the stopping rule's random sample.
DEMO_RANKED_ROUNDS = 3
#: Size of the random sample; the stopping estimate after the ranked rounds asks for it.
DEMO_RANDOM_SAMPLE = 55
#: Seed of the simulated reviewers' (deliberate) mistakes.
DEMO_TEAM_SEED = 7
DEMO_ERROR_RATE = 0.08


def truth_by_record(records: Path, truth_csv: Path) -> dict[str, bool]:
    """Relevance of each deduplicated record, from the generator's ground truth.

    A group is relevant when any of its hits (``origin``: ``<search_id>:<source_id>``) is.
    """
    relevant = {
        f"{row['search_id']}:{row['source_id']}": row["relevant"] == "1"
        for row in csv.DictReader(read_text(truth_csv).splitlines())
    }
    out: dict[str, bool] = {}
    for row in read_table(records, "merged_record"):
        hits = [hit.strip() for hit in row["origin"].split(";") if hit.strip()]
        unknown = [hit for hit in hits if hit not in relevant]
        if unknown:
            raise ValueError(f"{truth_csv}: no ground truth for {unknown[:3]}")
        out[row["record_id"]] = any(relevant[hit] for hit in hits)
    return out


def deduplicated_demo(config: Mapping[str, Any], base_dir: Path, work: Path) -> Path:
    """Run search, normalize and dedup for ``config`` into ``work``; the merged table's path."""
    hits = []
    for spec in search_specs(config):
        folder = work / "search" / spec.id
        execute_search(
            config=config,
            search_id=spec.id,
            raw_root=work / "raw",
            hits=folder / "hits.csv",
            log_entry=folder / "log.json",
            base_dir=base_dir,
        )
        hits.append(folder / "hits.csv")
    normalize_records(hits=hits, output=work / "records.csv", meta=work / "records.meta.json")
    merged = work / "dedup" / "records.csv"
    run_dedup(
        records=work / "records.csv",
        groups=work / "dedup" / "groups.csv",
        merged=merged,
        settings=config.get("dedup", {}),
    )
    return merged


def write_demo_screening(*, config_path: Path, base_dir: Path = Path()) -> list[Path]:
    """Replace ``config/screening/`` with the demo team's filled sheets; returns them."""
    config = load_config(config_path)
    if not config["review"].get("demo"):
        raise ValueError("refusing to write demo screening sheets for a review that is not a demo")
    screening_dir = base_dir / "config" / "screening"
    truth_csv = base_dir / "config" / "demo" / "truth.csv"
    with tempfile.TemporaryDirectory(prefix="realist-review-demo-") as scratch:
        work = Path(scratch)
        merged = deduplicated_demo(config, base_dir, work)
        truth = truth_by_record(merged, truth_csv)
        if screening_dir.exists():
            shutil.rmtree(screening_dir)
        # the team's settings while it screened: before it chose the sample size and stopped
        while_screening = {
            key: value
            for key, value in config["screening"].items()
            if key not in ("stop", "random_sample_size")
        }
        written = play_demo(
            records=merged,
            truth=truth,
            screening=while_screening,
            limits=config.get("limits"),
            screening_dir=screening_dir,
            work_dir=work / "screen",
            rounds=DEMO_RANKED_ROUNDS,
            seed=DEMO_TEAM_SEED,
            random_sample_size=DEMO_RANDOM_SAMPLE,
            error_rate=DEMO_ERROR_RATE,
            review=config["review"],
        )
        state = write_status(
            records=merged,
            log_path=work / "screen" / "decision_log.csv",
            plans_path=work / "screen" / "plans.csv",
            screening=while_screening,
            limits=config.get("limits"),
            status_path=work / "screen" / "status.csv",
            progress_path=work / "screen" / "progress.csv",
            agreement_path=work / "screen" / "agreement.csv",
        )
        progress = read_table(work / "screen" / "progress.csv", "screen_progress")
        log.info(
            "demo screening: %d sheets, %d records screened; last estimate: %s",
            len(written),
            sum(1 for row in state.status if row.round is not None),
            progress[-1]["note"] if progress else "none",
        )
    return written
