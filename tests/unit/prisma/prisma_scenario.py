"""Build small, consistent pipelines (search log, records, groups, statuses, full text) for the
PRISMA tests, in memory or as files in a temporary folder."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from realist_review.prisma.counts import PrismaCounts
from realist_review.prisma.derive import derive_counts
from realist_review.tables import table_spec, write_table

#: (search_id, database, prisma_group, other_method)
SearchSpec = tuple[str, str, str, str]


@dataclass
class Pipeline:
    """The tables one pipeline run hands to the PRISMA stage."""

    search_log: list[dict[str, str]]
    origins: dict[str, tuple[str, ...]]
    groups: list[dict[str, str]]
    status: list[dict[str, str]] | None = None
    fulltext: list[dict[str, str]] | None = None
    study_of: dict[str, str] = field(default_factory=dict)

    def derive(self, **kwargs: object) -> PrismaCounts:
        """Counts of this pipeline."""
        return derive_counts(
            self.search_log,
            self.groups,
            self.origins,
            self.status,
            self.fulltext,
            study_of=self.study_of or None,
            **kwargs,  # type: ignore[arg-type]
        )

    def write(self, folder: Path) -> dict[str, Path]:
        """Write the tables as the stages would; returns their paths by name."""
        folder.mkdir(parents=True, exist_ok=True)
        paths = {
            "search_log": folder / "search_log.csv",
            "records": folder / "records.csv",
            "groups": folder / "groups.csv",
        }
        log_rows = [
            {
                **row,
                "source": "ris",
                "platform": "file export",
                "endpoint": f"{row['search_id']}.ris",
                "query": "trauma-informed care",
                "query_as_run": "trauma-informed care",
                "parameters": "{}",
                "executed_at": "2025-01-01",
                "mode": "file",
                "software": "realist-review 0.1.0",
                "hits_reported": row["records_retrieved"],
                "raw_path": f"raw/{row['search_id']}",
                "raw_sha256": "0" * 64,
            }
            for row in self.search_log
        ]
        write_table(paths["search_log"], log_rows, "search_log")
        record_rows = [
            dict.fromkeys(table_spec("record").columns, "")
            | {
                "record_id": record_id,
                "source": "ris",
                "source_id": record_id,
                "title": f"Record {record_id}",
                "origin": "; ".join(f"{s}:{record_id}" for s in origin),
            }
            for record_id, origin in sorted(self.origins.items())
        ]
        write_table(paths["records"], record_rows, "record")
        _write_csv(paths["groups"], ("record_id", "group_id"), self.groups)
        if self.status is not None:
            paths["status"] = folder / "status.csv"
            rows = [
                {"reason": "", "round": "1", "decided_by": "human", **row} for row in self.status
            ]
            _write_csv(
                paths["status"], ("record_id", "status", "reason", "round", "decided_by"), rows
            )
        if self.fulltext is not None:
            paths["fulltext"] = folder / "fulltext.csv"
            _write_csv(
                paths["fulltext"],
                ("record_id", "sought", "retrieved", "assessed", "decision", "reason"),
                self.fulltext,
            )
        if self.study_of:
            paths["merged_records"] = folder / "merged_records.csv"
            columns = table_spec("merged_record").columns
            _write_csv(
                paths["merged_records"],
                columns,
                [
                    {
                        **dict.fromkeys(columns, ""),
                        "record_id": g,
                        "source": "ris",
                        "source_id": g,
                        "origin": f"scenario:{g}",
                        "members": g,
                        "study_id": s,
                        "provenance": "{}",
                    }
                    for g, s in sorted(self.study_of.items())
                ],
            )
        return paths


def _write_csv(path: Path, columns: Sequence[str], rows: Sequence[Mapping[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({col: row.get(col, "") for col in columns})


def build(
    searches: Sequence[SearchSpec],
    records: Mapping[str, Sequence[str]],
    *,
    groups: Mapping[str, str] | None = None,
    status: Mapping[str, str] | None = None,
    fulltext: Mapping[str, tuple[str, str, str, str]] | None = None,
    extra_hits: Mapping[str, int] | None = None,
    retrieved: Mapping[str, int] | None = None,
    study_of: Mapping[str, str] | None = None,
) -> Pipeline:
    """A pipeline from a compact description.

    Args:
        searches: (search_id, database, prisma_group, other_method) per search.
        records: record_id -> search ids it came from.
        groups: record_id -> group_id (default: every record its own group).
        status: group_id -> screening status (default: no status table).
        fulltext: group_id -> (retrieved, assessed, decision, reason).
        extra_hits: search_id -> hits the search returned twice (merged by normalisation).
        retrieved: search_id -> records_retrieved written in the log (overrides the count).
        study_of: group_id -> study id.
    """
    hits = Counter(s for origin in records.values() for s in origin)
    log = []
    for search_id, database, group, method in searches:
        n = hits[search_id] + (extra_hits or {}).get(search_id, 0)
        n = (retrieved or {}).get(search_id, n)
        log.append(
            {
                "search_id": search_id,
                "database": database,
                "prisma_group": group,
                "other_method": method,
                "records_retrieved": str(n),
                "status": "complete",
            }
        )
    group_of = dict(groups or {r: r for r in records})
    group_rows = [{"record_id": r, "group_id": group_of[r]} for r in sorted(records)]
    status_rows = (
        None
        if status is None
        else [{"record_id": g, "status": s} for g, s in sorted(status.items())]
    )
    ft_rows = None
    if fulltext is not None:
        ft_rows = [
            {
                "record_id": g,
                "sought": "yes",
                "retrieved": r,
                "assessed": a,
                "decision": d,
                "reason": reason,
            }
            for g, (r, a, d, reason) in sorted(fulltext.items())
        ]
    return Pipeline(
        search_log=log,
        origins={r: tuple(o) for r, o in records.items()},
        groups=group_rows,
        status=status_rows,
        fulltext=ft_rows,
        study_of=dict(study_of or {}),
    )


#: Searches of a typical review: three databases, a register, Zotero and websites.
TYPICAL_SEARCHES: tuple[SearchSpec, ...] = (
    ("pubmed", "PubMed", "databases", ""),
    ("europepmc", "Europe PMC", "databases", ""),
    ("openalex", "OpenAlex", "databases", ""),
    ("isrctn", "ISRCTN registry", "registers", ""),
    ("zotero", "Zotero: grey literature", "other_methods", "other"),
    ("websites", "Charity and regulator websites", "other_methods", "websites"),
)

INCLUDED = ("yes", "yes", "included", "")


def excluded(reason: str) -> tuple[str, str, str, str]:
    """Full-text cells of a report excluded for ``reason``."""
    return ("yes", "yes", "excluded", reason)


NOT_RETRIEVED = ("no", "", "", "")
AWAITING = ("", "", "", "")


def typical(*, finished: bool = True) -> Pipeline:
    """A review through full text: duplicates within and across columns, every status."""
    records: dict[str, list[str]] = {}
    for i in range(10):
        records[f"pm{i:02d}"] = ["pubmed"]
    for i in range(6):
        records[f"ep{i:02d}"] = ["europepmc"]
    for i in range(4):
        records[f"oa{i:02d}"] = ["openalex"]
    records["rg00"] = ["isrctn"]
    for i in range(5):
        records[f"zo{i:02d}"] = ["zotero"]
    for i in range(2):
        records[f"wb{i:02d}"] = ["websites"]
    groups = {r: r for r in records}
    # cross-database duplicates
    groups.update({"ep00": "ep00", "pm00": "ep00", "oa00": "ep00"})
    groups.update({"ep01": "ep01", "pm01": "ep01"})
    # an other-methods record that duplicates a database record
    groups["zo00"] = "pm02"
    # two other-methods records of the same work
    groups.update({"wb00": "wb00", "zo01": "wb00"})
    group_ids = sorted(set(groups.values()))
    status = dict.fromkeys(group_ids, "excluded")
    status.update(
        {
            "oa01": "ineligible_automation",
            "zo02": "ineligible_automation",
            "ep00": "included",
            "ep01": "included",
            "pm02": "included",
            "pm03": "maybe",
            "pm04": "included",
            "rg00": "included",
            "wb00": "included",
            "zo03": "included",
        }
    )
    if finished:
        status.update({"pm08": "excluded_automation", "pm09": "excluded_automation"})
        fulltext = {
            "ep00": INCLUDED,
            "ep01": INCLUDED,
            "pm02": excluded("Not residential children's care"),
            "pm03": excluded("Not residential children's care"),
            "pm04": NOT_RETRIEVED,
            "rg00": excluded("No trauma-informed approach"),
            "wb00": INCLUDED,
            "zo03": excluded("No trauma-informed approach"),
        }
        return build(
            TYPICAL_SEARCHES,
            records,
            groups=groups,
            status=status,
            fulltext=fulltext,
            extra_hits={"pubmed": 1},
            study_of={"ep00": "ep00", "ep01": "ep00", "wb00": "wb00"},
        )
    status.update({"pm08": "unscreened", "pm09": "conflict", "zo04": "unscreened"})
    return build(TYPICAL_SEARCHES, records, groups=groups, status=status)
