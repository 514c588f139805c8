"""The counts as tables: our ``counts.csv`` and the PRISMA2020 R package's template CSV.

``counts.csv`` (schema ``prisma_counts``) is long: one row per count, ``field,item,n,state``.
``item`` is empty for a field's total and names a part of it otherwise (a database, an
exclusion reason); the parts of a field add up to its total. ``n`` is empty for a count that
does not exist yet (``state`` says why).

``prisma2020_template.csv`` has the columns and rows of the template shipped with the
PRISMA2020 R package and Shiny app (``data,node,box,description,boxtext,tooltips,url,n``), so
a team can upload it to the app and restyle the diagram there. The app finds each value by
searching the ``data`` column for the field name, so no extra row may contain a template
field's name (our own fields stay in ``counts.csv``). Mapping decisions:

* ``records_excluded`` carries people + automation (stopping rule) exclusions, so that the
  app's boxes add up; the box text says how many of each (PRISMA 2020 footnote **).
* the template has no field for other-methods records that are not from websites,
  organisations or citation searching, nor for de-duplicating and screening other-methods
  records: those counts are written into the box texts of ``citations_results`` and
  ``other_sought_reports``.
* a count that does not exist yet has an empty ``n`` (the app shows NA) and a box text ending
  in "(pending)".
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from pathlib import Path

from realist_review.prisma.counts import (
    FlowColumn,
    OtherMethod,
    PrismaCounts,
    ReasonCount,
    SourceCount,
    StageState,
)
from realist_review.prisma.labels import Wording, get_wording
from realist_review.records import PrismaGroup
from realist_review.tables import escape_formula, write_atomic, write_table

__all__ = [
    "TEMPLATE_COLUMNS",
    "counts_to_rows",
    "template_rows",
    "write_counts_csv",
    "write_template_csv",
]

TEMPLATE_COLUMNS: tuple[str, ...] = (
    "data", "node", "box", "description", "boxtext", "tooltips", "url", "n",
)  # fmt: skip


def _n(value: int | None) -> str:
    return "" if value is None else str(value)


def _column_rows(
    col: FlowColumn, prefix: str, screening: StageState, fulltext: StageState
) -> list[dict[str, str]]:
    """Rows of one column's removal/screening/full-text counts (prefix ``""`` or ``other_``)."""
    s, f = screening.value, fulltext.value
    done = StageState.COMPLETE.value
    is_dbr = prefix == ""
    rows = [
        {"field": f"{prefix}duplicates", "item": "", "n": str(col.duplicates), "state": done},
        {"field": f"{prefix}excluded_automatic", "n": str(col.excluded_automatic), "state": s},
        {"field": f"{prefix}excluded_other", "n": str(col.excluded_other), "state": done},
        {"field": f"{prefix}records_screened", "n": str(col.screened), "state": s},
        {"field": f"{prefix}records_excluded", "n": str(col.excluded_human), "state": s},
        {
            "field": f"{prefix}records_excluded_automation",
            "n": str(col.excluded_automation),
            "state": s,
        },
        {"field": f"{prefix}records_unscreened", "n": str(col.unscreened), "state": s},
        {"field": f"{prefix}records_in_conflict", "n": str(col.in_conflict), "state": s},
        {
            "field": "dbr_sought_reports" if is_dbr else "other_sought_reports",
            "n": str(col.sought),
            "state": s,
        },
        {
            "field": "dbr_notretrieved_reports" if is_dbr else "other_notretrieved_reports",
            "n": _n(col.not_retrieved),
            "state": f,
        },
        {
            "field": "dbr_assessed" if is_dbr else "other_assessed",
            "n": _n(col.assessed),
            "state": f,
        },
    ]
    excluded_field = "dbr_excluded" if is_dbr else "other_excluded"
    rows.append({"field": excluded_field, "n": _n(col.excluded_reports), "state": f})
    rows += [
        {"field": excluded_field, "item": r.reason, "n": str(r.n), "state": f}
        for r in col.excluded_reasons or ()
    ]
    rows.append(
        {
            "field": "dbr_awaiting_fulltext" if is_dbr else "other_awaiting_fulltext",
            "n": _n(col.awaiting_fulltext),
            "state": f,
        }
    )
    return rows


def counts_to_rows(counts: PrismaCounts) -> list[dict[str, str]]:
    """The rows of ``counts.csv``, in the order of the flow (parts right after their total)."""
    done = StageState.COMPLETE.value
    rows: list[dict[str, str]] = [
        {"field": "records_identified", "n": str(counts.records_identified), "state": done},
    ]
    identification = (
        ("database_results", counts.dbr, PrismaGroup.DATABASES.value),
        ("register_results", counts.dbr, PrismaGroup.REGISTERS.value),
        ("website_results", counts.other, OtherMethod.WEBSITES.value),
        ("organisation_results", counts.other, OtherMethod.ORGANISATIONS.value),
        ("citations_results", counts.other, OtherMethod.CITATION_SEARCHING.value),
        ("other_results", counts.other, OtherMethod.OTHER.value),
    )
    for name, col, kind in identification:
        rows.append({"field": name, "n": str(col.identified_of(kind)), "state": done})
        rows += [
            {"field": name, "item": s.name, "n": str(s.n), "state": done}
            for s in col.sources_of(kind)
        ]
    rows.append(
        {"field": "records_deduplicated", "n": str(counts.records_deduplicated), "state": done}
    )
    rows += _column_rows(counts.dbr, "", counts.screening, counts.fulltext)
    rows += _column_rows(counts.other, "other_", counts.screening, counts.fulltext)
    f = counts.fulltext.value
    rows += [
        {"field": "new_studies", "n": _n(counts.new_studies), "state": f},
        {"field": "new_reports", "n": _n(counts.new_reports), "state": f},
        {"field": "previous_studies", "n": str(counts.previous_studies), "state": done},
        {"field": "previous_reports", "n": str(counts.previous_reports), "state": done},
        {"field": "total_studies", "n": _n(counts.total_studies), "state": f},
        {"field": "total_reports", "n": _n(counts.total_reports), "state": f},
    ]
    return [{"field": r["field"], "item": r.get("item", ""), "n": r["n"], "state": r["state"]}
            for r in rows]  # fmt: skip


def write_counts_csv(path: Path, counts: PrismaCounts) -> int:
    """Write ``counts.csv`` (schema ``prisma_counts``); returns the number of rows."""
    rows = [{**row, "item": escape_formula(row["item"])} for row in counts_to_rows(counts)]
    return write_table(Path(path), rows, "prisma_counts")


# --------------------------------------------------------------------------------------------
# The PRISMA2020 R package's template
# --------------------------------------------------------------------------------------------
_SEPARATORS = re.compile(r"\s*[,;]\s*")


def _reason_list(
    items: Sequence[SourceCount] | Sequence[ReasonCount] | None, *, empty: str = "0"
) -> str:
    """``Name, n; Name, n`` as the R package parses it (names without commas/semicolons);
    ``""`` while pending, ``empty`` when there is nothing to list."""
    if items is None:
        return ""
    if not items:
        return empty
    parts = []
    for item in items:
        name = item.name if isinstance(item, SourceCount) else item.reason
        parts.append(f"{_SEPARATORS.sub(' - ', name).strip() or '-'}, {item.n}")
    return "; ".join(parts)


def _pending(text: str, value: int | None) -> str:
    return f"{text} (pending)" if value is None else text


def template_rows(counts: PrismaCounts, wording: Wording | str = "records") -> list[list[str]]:
    """The PRISMA2020 template's rows (:data:`TEMPLATE_COLUMNS`), filled from ``counts``."""
    w = get_wording(wording) if isinstance(wording, str) else wording
    dbr, other = counts.dbr, counts.other
    screening_note = ""
    if counts.screening is StageState.IN_PROGRESS:
        screening_note = (
            f" (screening in progress: {dbr.awaiting_screening:,} still to screen)"
            if dbr.awaiting_screening
            else " (screening in progress)"
        )
    elif counts.screening is StageState.NOT_STARTED:
        screening_note = " (screening not started)"
    excluded_text = w.label("excluded")
    if dbr.excluded_automation:
        excluded_text += (
            f": {dbr.excluded_human:,} {w.label('excluded_human')}, "
            f"{dbr.excluded_automation:,} {w.label('excluded_automation')}"
        )
    citations_text = w.label("citation_searching")
    if other.identified_of(OtherMethod.OTHER):
        citations_text += (
            f" (and {other.identified_of(OtherMethod.OTHER):,} from other sources: "
            + ", ".join(s.name for s in other.sources_of(OtherMethod.OTHER))
            + ")"
        )
    other_sought_text = w.label("sought")
    removed_other = other.removed_before_screening + other.excluded_screening
    if removed_other or other.awaiting_screening:
        other_sought_text += (
            f" (after {other.removed_before_screening:,} removed before screening and "
            f"{other.excluded_screening:,} excluded at screening"
            + (
                f"; {other.awaiting_screening:,} still to screen"
                if other.awaiting_screening
                else ""
            )
            + ")"
        )

    def box(
        data: str, node: str, box_id: str, description: str, boxtext: str, n: str, tip: bool
    ) -> list[str]:
        return [
            data,
            node,
            box_id,
            description,
            boxtext,
            description if tip else "NA",
            f"{data if data != 'NA' else box_id}.html" if tip else "NA",
            n,
        ]

    prev_s, prev_r = counts.previous_studies, counts.previous_reports
    rows = [
        box("NA", "node4", "prevstud", "Grey title box; Previous studies", "Previous studies",
            "0", True),
        box("previous_studies", "node5", "box1", w.label("previous_studies"),
            w.label("previous_studies"), str(prev_s), True),
        box("previous_reports", "NA", "box1", w.label("previous_reports"),
            w.label("previous_reports"), str(prev_r), False),
        box("NA", "node6", "newstud", "Yellow title box; " + w.label("header_dbr"),
            w.label("header_dbr"), "0", True),
        box("database_results", "node7", "box2",
            f"{w.label('identified_from')} {w.label('databases')}", w.label("databases"),
            str(counts.database_results), True),
        box("database_specific_results", "NA", "box2",
            f"{w.label('identified_from')} each database", "Specific databases",
            _reason_list(counts.database_specific_results, empty=""), False),
        box("register_results", "NA", "box2",
            f"{w.label('identified_from')} {w.label('registers')}", w.label("registers"),
            str(counts.register_results), False),
        box("register_specific_results", "NA", "box2",
            f"{w.label('identified_from')} each register", "Specific registers",
            _reason_list(counts.register_specific_results, empty=""), False),
        box("NA", "node16", "othstud", "Grey title box; " + w.label("header_other"),
            w.label("header_other"), "0", True),
        box("website_results", "node17", "box11",
            f"{w.label('identified_from')} {w.label('websites')}", w.label("websites"),
            str(counts.website_results), True),
        box("organisation_results", "NA", "box11",
            f"{w.label('identified_from')} {w.label('organisations')}",
            w.label("organisations"), str(counts.organisation_results), False),
        box("citations_results", "NA", "box11",
            f"{w.label('identified_from')} {w.label('citation_searching')}", citations_text,
            str(counts.citations_results + counts.other_results), False),
        box("duplicates", "node8", "box3", w.label("duplicates"), w.label("duplicates"),
            str(dbr.duplicates), True),
        box("excluded_automatic", "NA", "box3", w.label("excluded_automatic"),
            w.label("excluded_automatic"), str(dbr.excluded_automatic), False),
        box("excluded_other", "NA", "box3", w.label("excluded_other"),
            w.label("excluded_other"), str(dbr.excluded_other), False),
        box("records_screened", "node9", "box4",
            f"{w.label('screened')} (databases and registers)",
            w.label("screened") + screening_note, str(dbr.screened), True),
        box("records_excluded", "node10", "box5",
            f"{w.label('excluded')} (databases and registers)", excluded_text,
            str(dbr.excluded_screening), True),
        box("dbr_sought_reports", "node11", "box6",
            f"{w.label('sought')} (databases and registers)", w.label("sought"),
            str(dbr.sought), True),
        box("dbr_notretrieved_reports", "node12", "box7",
            f"{w.label('not_retrieved')} (databases and registers)",
            _pending(w.label("not_retrieved"), dbr.not_retrieved), _n(dbr.not_retrieved),
            True),
        box("other_sought_reports", "node18", "box12", f"{w.label('sought')} (other)",
            other_sought_text, str(other.sought), True),
        box("other_notretrieved_reports", "node19", "box13",
            f"{w.label('not_retrieved')} (other)",
            _pending(w.label("not_retrieved"), other.not_retrieved), _n(other.not_retrieved),
            True),
        box("dbr_assessed", "node13", "box8",
            f"{w.label('assessed')} (databases and registers)",
            _pending(w.label("assessed"), dbr.assessed), _n(dbr.assessed), True),
        box("dbr_excluded", "node14", "box9",
            f"{w.label('reports_excluded')} (databases and registers)",
            _pending(w.label("reports_excluded"), dbr.excluded_reports),
            _reason_list(dbr.excluded_reasons), True),
        box("other_assessed", "node20", "box14", f"{w.label('assessed')} (other)",
            _pending(w.label("assessed"), other.assessed), _n(other.assessed), True),
        box("other_excluded", "node21", "box15", f"{w.label('reports_excluded')} (other)",
            _pending(w.label("reports_excluded"), other.excluded_reports),
            _reason_list(other.excluded_reasons), True),
        box("new_studies", "node15", "box10", "New studies included in review",
            _pending("New studies included in review", counts.new_studies),
            _n(counts.new_studies), True),
        box("new_reports", "NA", "box10", f"{w.reports_cap} of new included studies",
            _pending(f"{w.reports_cap} of new included studies", counts.new_reports),
            _n(counts.new_reports), False),
        box("total_studies", "node22", "box16", w.label("total_studies"),
            _pending(w.label("total_studies"), counts.total_studies),
            _n(counts.total_studies), True),
        box("total_reports", "NA", "box16", w.label("total_reports"),
            _pending(w.label("total_reports"), counts.total_reports),
            _n(counts.total_reports), False),
        box("identification", "node1", "identification", "Blue identification box",
            w.label("identification"), "0", True),
        box("screening", "node2", "screening", "Blue screening box", w.label("screening"),
            "0", True),
        box("included", "node3", "included", "Blue included box", w.label("included"), "0",
            True),
        box("total_studies_ma", "node23", "box17", "Total studies included in meta-analysis",
            "Total studies included in meta-analysis", "0", True),
        box("total_reports_ma", "NA", "box17",
            f"{w.reports_cap} of total included studies in meta-analysis",
            f"{w.reports_cap} of total included studies in meta-analysis", "0", False),
    ]  # fmt: skip
    return rows


def write_template_csv(
    path: Path, counts: PrismaCounts, wording: Wording | str = "records"
) -> None:
    """Write the PRISMA2020 template CSV (opens in the PRISMA2020 Shiny app and R package)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(TEMPLATE_COLUMNS)
    for row in template_rows(counts, wording):
        writer.writerow([escape_formula(cell) for cell in row])
    write_atomic(Path(path), buffer.getvalue().encode("utf-8"))
