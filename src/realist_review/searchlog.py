"""The PRISMA-S search log: one row per executed search, as CSV and as Markdown.

Rows come from each search's ``log.json`` (written by the search stage). Earlier versions of a
search (same search id, other query or limits) whose raw folders are still on disk are listed
too, with ``status = superseded``, so the log shows every search that was run, not only the
current ones. Rows are ordered by the config's search order, then superseded ones by date.

A search whose source delivered fewer records than it reported has ``status = incomplete``
and a ``note`` giving the shortfall; the Markdown says so above the table and in the row, and
writing the log warns once per such search (the line Snakemake shows at the end of a run).
"""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from realist_review.errors import InputError
from realist_review.raw import MANIFEST, read_manifest
from realist_review.tables import (
    read_table,
    sha256_file,
    table_spec,
    validate_rows,
    write_atomic,
    write_table,
)

log = logging.getLogger(__name__)

#: Statuses of the searches that count (the others are kept for the record).
CURRENT = ("complete", "incomplete")
#: Request parameters that carry the query text itself (shown once, as run, not again).
_QUERY_PARAMETERS = {"query", "term", "search", "q"}

#: Columns of the Markdown log, with their headings (a methods section's wording).
MARKDOWN_COLUMNS: tuple[tuple[str, str], ...] = (
    ("database", "Database / source"),
    ("platform", "Platform"),
    ("executed_at", "Date (UTC)"),
    ("query_as_run", "Search strategy as run"),
    ("parameters", "Limits and parameters"),
    ("hits_reported", "Hits reported"),
    ("records_retrieved", "Records retrieved"),
    ("raw_sha256", "SHA-256 of raw result"),
    ("status", "Status"),
)


def read_log_entry(path: Path) -> dict[str, str]:
    """Read one search's ``log.json`` and check it against the search-log schema."""
    try:
        row = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: cannot read the search-log entry: {exc}") from None
    spec = table_spec("search_log")
    missing = [col for col in spec.columns if col not in row]
    if missing:
        raise InputError(f"{path}: search-log entry lacks {', '.join(missing)}")
    clean = {col: str(row.get(col, "")) for col in (*spec.columns, *spec.optional)}
    validate_rows([clean], spec, path=path)
    return clean


def superseded_rows(current: Mapping[str, str], raw_root: Path) -> list[dict[str, str]]:
    """Rows for earlier raw folders of the same search (another query hash)."""
    if current["mode"] not in ("live", "snapshot"):
        return []
    base = Path(raw_root) / current["source"] / current["search_id"]
    current_folder = Path(current["raw_path"]).name
    rows = []
    for manifest_path in sorted(base.glob(f"*/{MANIFEST}")):
        if manifest_path.parent.name == current_folder:
            continue
        manifest = read_manifest(manifest_path)
        retrieved = sum(int(page["records"]) for page in manifest.pages)
        rows.append(
            {
                **current,
                "query": manifest.query,
                "query_as_run": manifest.query_as_run,
                "parameters": json.dumps(manifest.parameters, sort_keys=True, ensure_ascii=False),
                "executed_at": manifest.completed_at or manifest.started_at,
                "endpoint": manifest.endpoint,
                "software": manifest.software,
                "hits_reported": ""
                if manifest.hits_reported is None
                else str(manifest.hits_reported),
                "records_retrieved": str(retrieved),
                "raw_path": str(manifest_path.parent),
                "raw_sha256": sha256_file(manifest_path),
                "status": "superseded",
                "note": "; ".join(manifest.notes),
            }
        )
    rows.sort(key=lambda row: row["executed_at"])
    return rows


def _md_cell(value: str) -> str:
    text = value.replace("|", "\\|").replace("\n", " ")
    return text if text else "–"


def _note(row: Mapping[str, str]) -> str:
    """The note without the status word it may start with (shown beside the status)."""
    return "; ".join(part.removeprefix("incomplete: ") for part in row["note"].split("; "))


def describe_parameters(row: Mapping[str, str]) -> str:
    """The limits and request parameters of a row in words, without the query text again.

    ``{"query": "...", "resultType": "core", "limits_not_in_query": ["languages"]}`` becomes
    ``resultType: core; languages applied to the records before screening``.
    """
    try:
        params: Any = json.loads(row.get("parameters") or "{}")
    except json.JSONDecodeError:
        return row.get("parameters", "")
    if not isinstance(params, dict):
        return str(params)
    query_texts = {row.get("query_as_run", ""), row.get("query", "")}
    parts: list[str] = []
    later: list[str] = []
    for key in sorted(params):
        value = params[key]
        if key == "limits_not_in_query":
            later = [str(name).replace("_", " ") for name in value]
            continue
        if key in _QUERY_PARAMETERS or (isinstance(value, str) and value in query_texts):
            continue
        if value in (None, "", [], {}):
            continue
        shown = ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
        parts.append(f"{key}: {shown}")
    if later:
        parts.append(f"{' and '.join(later)} applied to the records before screening")
    return "; ".join(parts)


def render_markdown(rows: Sequence[Mapping[str, str]], *, title: str) -> str:
    """The log as a Markdown table ready for a methods section (PRISMA-S items 1-13)."""
    lines = [
        f"# Search log: {title}",
        "",
        "Every search as it was run (PRISMA-S). Dates are UTC. The SHA-256 identifies the "
        "saved raw result (manifest of the raw responses, or the export file).",
        "",
        "| " + " | ".join(heading for _, heading in MARKDOWN_COLUMNS) + " |",
        "|" + "|".join("---" for _ in MARKDOWN_COLUMNS) + "|",
    ]
    for row in rows:
        cells = []
        for column, _ in MARKDOWN_COLUMNS:
            value = row[column]
            if column == "query_as_run":
                value = f"`{value}`" if value else ""
            elif column == "parameters":
                value = describe_parameters(row)
            elif column == "raw_sha256":
                value = f"`{value[:16]}…`"
            elif column == "status" and row.get("note"):
                value = f"{value} ({_note(row)})"
            cells.append(_md_cell(value))
        lines.append("| " + " | ".join(cells) + " |")
    current = [row for row in rows if row["status"] in CURRENT]
    total = sum(int(row["records_retrieved"]) for row in current)
    incomplete = [row for row in rows if row["status"] == "incomplete"]
    if incomplete:
        one = len(incomplete) == 1
        warning = [
            f"**{len(incomplete)} {'search is' if one else 'searches are'} incomplete**: the "
            "source delivered fewer records than it reported, after every page was retried. "
            f"{'Its' if one else 'Their'} records are kept; report the shortfall with the "
            f"search{'' if one else 'es'}.",
            "",
            *(f"- {row['database']} ({row['search_id']}): {_note(row)}" for row in incomplete),
            "",
        ]
        lines[4:4] = warning
    lines += [
        "",
        f"Records retrieved by the {len(current)} current searches: {total}.",
        "",
    ]
    return "\n".join(lines)


def write_search_log(
    *,
    entries: Sequence[Path],
    raw_root: Path,
    csv_out: Path,
    markdown_out: Path,
    title: str,
) -> list[dict[str, str]]:
    """Gather the entries (in the order given) plus superseded searches; write CSV and MD."""
    rows: list[dict[str, str]] = []
    for entry in entries:
        current = read_log_entry(entry)
        rows.append(current)
        rows.extend(superseded_rows(current, raw_root))
    validate_rows(rows, table_spec("search_log"), path=csv_out)
    for row in rows:
        if row["status"] == "incomplete":
            log.warning(
                "INCOMPLETE search %s (%s): %s; see %s",
                row["search_id"], row["database"], row.get("note", ""), markdown_out,
            )  # fmt: skip
    write_table(csv_out, rows, "search_log")
    write_atomic(Path(markdown_out), render_markdown(rows, title=title).encode("utf-8"))
    return rows


def read_search_log(path: Path) -> list[dict[str, str]]:
    """Read a written search log (for PRISMA and the report)."""
    return read_table(path, "search_log")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``realist-review search-log``."""
    parser.add_argument("entries", nargs="+", type=Path, help="log.json files of the searches")
    parser.add_argument(
        "--raw-dir",
        type=Path,
        default=Path("results/search/raw"),
        help="archive of raw responses whose checksums the log lists",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=Path("results/search/search_log.csv"),
        help="search log CSV to write",
    )
    parser.add_argument(
        "--markdown",
        type=Path,
        default=Path("results/search/search_log.md"),
        help="PRISMA-S search log in Markdown to write",
    )
    parser.add_argument("--title", default="searches", help="review title for the Markdown log")


def run(args: argparse.Namespace) -> int:
    """Write the search log from the command line."""
    rows = write_search_log(
        entries=args.entries,
        raw_root=args.raw_dir,
        csv_out=args.output,
        markdown_out=args.markdown,
        title=args.title,
    )
    print(f"{len(rows)} searches logged in {args.output} and {args.markdown}")
    return 0
