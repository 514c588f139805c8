"""Run bib-dedupe on one BibTeX-like CSV and write its clusters (used by benchmarks/dedup.py).

Runs inside bib-dedupe's own virtualenv (``benchmarks/.envs/bib-dedupe``), never in the
project's environment. Usage: ``python _run_bib_dedupe.py RECORDS.csv PRED.csv``.
PRED.csv has one column ``merged_ids`` (a cluster's ids joined by ``;``), as the gold files.
"""

from __future__ import annotations

import csv
import sys

import pandas as pd
from bib_dedupe.bib_dedupe import block, cluster, match, prep


def main(records_path: str, pred_path: str) -> int:
    records = pd.read_csv(records_path, dtype=str, keep_default_na=False)
    prepared = prep(records, verbosity_level=0)
    pairs = block(prepared, verbosity_level=0)
    matches = match(pairs, verbosity_level=0)
    clusters = cluster(matches, verbosity_level=0)
    with open(pred_path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["merged_ids"])
        for ids in clusters:
            if len(ids) > 1:
                writer.writerow([";".join(sorted(ids))])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
