"""Full-text reading benchmark: PDFs against the same articles' JATS / BMC XML / TEI.

Reads every pair in ../shared/data/fulltext/ (``manifest.csv``) with
``realist_review.fulltext.read_document`` and scores it with ``realist_review.fulltext.evaluate``:
section-heading F1 (numbering and case ignored), share of the XML's body text recovered, leaked
text (body text of ours that is nowhere in the XML's running text: headers, footers, captions,
table cells), reading-order errors (consecutive XML body paragraphs found in the wrong order),
sentences ours vs the XML's (same splitter), and pages per second (reading only, one process).
Edge-case files get their status and message. Run it with
``nice -n 10 python benchmarks/fulltext.py`` (``--only ID`` to read some files, ``--jobs 2``).

Targets (issue 14): heading F1 >= 0.80, >= 95% body text recovered with < 2% leaked, zero
reading-order errors on two-column files, >= 2 pages/s on 2 cores.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from realist_review.fulltext import read_document
from realist_review.fulltext.evaluate import Score, score
from realist_review.fulltext.xml import read_xml

ROOT = Path(__file__).resolve().parents[1]
SHARED = (
    Path(os.environ["REALIST_REVIEW_SHARED"]) / "data"
    if "REALIST_REVIEW_SHARED" in os.environ
    else next(
        (
            p / "shared" / "data"
            for p in (ROOT.parent, ROOT.parent.parent)
            if (p / "shared").is_dir()
        ),
        ROOT.parent / "shared" / "data",
    )
)
DATA = SHARED / "fulltext"


def _run(row: dict[str, str]) -> tuple[dict[str, str], float, object, Score | None]:
    start = time.perf_counter()
    doc = read_document(DATA / row["pdf"])
    seconds = time.perf_counter() - start
    result: Score | None = None
    if row["kind"] == "pair" and row["ground_truth"]:
        xml = (DATA / row["ground_truth"]).read_bytes()
        result = score(doc, read_xml(xml, row["id"]), xml)
    return row, seconds, doc, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None, help="ids to read")
    parser.add_argument("--jobs", type=int, default=1, help="processes (default 1)")
    args = parser.parse_args(argv)
    if not DATA.is_dir():
        print(f"{DATA} is absent: nothing to benchmark", file=sys.stderr)
        return 1
    with (DATA / "manifest.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    if args.only:
        rows = [r for r in rows if any(o in r["id"] for o in args.only)]
    wall = time.perf_counter()
    if args.jobs > 1:
        with ProcessPoolExecutor(args.jobs) as pool:
            results = list(pool.map(_run, rows))
    else:
        results = [_run(r) for r in rows]
    wall = time.perf_counter() - wall
    header = (
        f"{'id':<34} {'cols':>4} {'pp':>3} {'hF1':>5} {'recov':>6} {'leak':>6} "
        f"{'order':>6} {'sents':>9} {'pp/s':>6}"
    )
    print(header)
    print("-" * len(header))
    totals = dict(tp=0, pred=0, true=0, rec=0, tot=0, leak=0, pch=0, err=0, pairs=0)
    two_col_errors = 0
    pages = 0
    seconds = 0.0
    f1s: list[float] = []
    for row, took, doc, result in results:
        pages += doc.pages or 0  # type: ignore[attr-defined]
        seconds += took
        if result is None:
            continue
        f1s.append(result.heading_f1)
        totals["tp"] += result.heading_tp
        totals["pred"] += result.heading_pred
        totals["true"] += result.heading_true
        totals["rec"] += result.recovered_chars
        totals["tot"] += result.true_chars
        totals["leak"] += result.leaked_chars
        totals["pch"] += result.pred_chars
        totals["err"] += result.order_errors
        totals["pairs"] += result.order_pairs
        if row["columns"] == "2":
            two_col_errors += result.order_errors
        rate = (doc.pages or 0) / took if took else 0.0  # type: ignore[attr-defined]
        print(
            f"{row['id']:<34} {row['columns']:>4} {doc.pages or 0:>3} "  # type: ignore[attr-defined]
            f"{result.heading_f1:>5.2f} {result.recovered:>6.1%} {result.leaked:>6.1%} "
            f"{result.order_errors:>2}/{result.order_pairs:<3} "
            f"{result.sentences_pred:>4}/{result.sentences_true:<4} {rate:>6.1f}"
        )
    print("-" * len(header))
    micro_f1 = 2 * totals["tp"] / max(1, totals["pred"] + totals["true"])
    precision = totals["tp"] / max(1, totals["pred"])
    recall = totals["tp"] / max(1, totals["true"])
    mean_f1 = sum(f1s) / max(1, len(f1s))
    print(
        f"pairs: {len(f1s)}; heading F1 micro {micro_f1:.3f}, mean {mean_f1:.3f}"
        f" (P {precision:.3f}, R {recall:.3f});"
        f" body text recovered {totals['rec'] / max(1, totals['tot']):.1%};"
        f" leaked {totals['leak'] / max(1, totals['pch']):.1%};"
        f" reading-order errors {totals['err']}/{totals['pairs']}"
        f" (two-column files: {two_col_errors})"
    )
    print(
        f"speed: {pages} pages in {seconds:.1f} s of reading = {pages / max(seconds, 1e-9):.1f} "
        f"pages/s per process; wall {wall:.1f} s with {args.jobs} process(es)"
    )
    print("\nedge cases:")
    for row, _, doc, _result in results:
        if row["kind"] != "pair":
            print(f"  {row['id']:<40} {doc.status:<9} {doc.pages or '':>3}  {doc.message}")  # type: ignore[attr-defined]
    return 0


if __name__ == "__main__":
    sys.exit(main())
