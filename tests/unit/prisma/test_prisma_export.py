"""counts.csv and the PRISMA2020 template CSV."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from prisma_scenario import INCLUDED, build, excluded, typical

from realist_review.prisma.counts import PrismaCounts
from realist_review.prisma.export import (
    TEMPLATE_COLUMNS,
    counts_to_rows,
    template_rows,
    write_counts_csv,
    write_template_csv,
)
from realist_review.tables import read_table

# How PRISMA2020's PRISMA_data() finds each value: grep(pattern, data$data) must match exactly
# one row, else the package breaks or silently takes a default.
R_PATTERNS = [
    "previous_studies", "previous_reports", "register_results", "database_results",
    "database_specific_results", "register_specific_results", "website_results",
    "organisation_results", "citations_results", "duplicates", "excluded_automatic",
    "excluded_other", "records_screened", "records_excluded", "dbr_sought_reports",
    "dbr_notretrieved_reports", "other_sought_reports", "other_notretrieved_reports",
    "dbr_assessed", "dbr_excluded", "other_assessed", "other_excluded", "new_studies",
    "new_reports", "total_studies$", "total_reports$", "total_studies_ma", "total_reports_ma",
    "identification", "screening", "included",
]  # fmt: skip


def _template(counts: PrismaCounts, wording: str = "records") -> list[dict[str, str]]:
    """The template CSV as written, read back as dicts."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(TEMPLATE_COLUMNS)
    writer.writerows(template_rows(counts, wording))
    return list(csv.DictReader(io.StringIO(buffer.getvalue())))


def _r_lookup(rows: list[dict[str, str]], pattern: str) -> dict[str, str]:
    hits = [row for row in rows if re.search(pattern, row["data"])]
    assert len(hits) == 1, f"grep({pattern!r}) matches {len(hits)} rows"
    return hits[0]


def _r_number(cell: str) -> float | None:
    """PRISMA_format_number_: drop commas and non-digits, as.numeric ('' -> NA)."""
    digits = re.sub(r"[^0-9.]", "", cell.replace(",", ""))
    return float(digits) if digits else None


def _r_reasons(cell: str) -> list[tuple[str, float | None]]:
    """PRISMA_parse_reasons_: split on ';', reason before the first comma, n after it."""
    if not re.search(r"[^0-9,]", cell):
        return [("", _r_number(cell))]
    out = []
    for part in re.split(r"; ?", cell):
        reason = re.sub(r",.*$", "", part)
        match = re.match(r".*?,([ 0-9,]*)", part)
        out.append((reason, _r_number(match.group(1)) if match else None))
    return out


def test_counts_csv_round_trip_and_parts_add_up(tmp_path: Path) -> None:
    counts = typical().derive()
    path = tmp_path / "counts.csv"
    write_counts_csv(path, counts)
    rows = read_table(path, "prisma_counts")
    assert rows == counts_to_rows(counts)
    totals = {r["field"]: r["n"] for r in rows if not r["item"]}
    for field in {r["field"] for r in rows if r["item"]}:
        parts = sum(int(r["n"]) for r in rows if r["field"] == field and r["item"])
        assert parts == int(totals[field]), field
    assert totals["records_excluded"] == "9" and totals["records_excluded_automation"] == "2"
    assert totals["duplicates"] == "4" and totals["other_duplicates"] == "2"
    assert {r["state"] for r in rows if r["field"] == "records_screened"} == {"stopped"}


def test_counts_csv_leaves_pending_counts_empty() -> None:
    counts = typical(finished=False).derive()
    rows = {(r["field"], r["item"]): r for r in counts_to_rows(counts)}
    assert rows[("dbr_assessed", "")]["n"] == ""
    assert rows[("dbr_assessed", "")]["state"] == "not_started"
    assert rows[("new_studies", "")]["n"] == ""
    assert rows[("records_screened", "")]["state"] == "in_progress"
    assert rows[("records_unscreened", "")]["n"] == "1"


def test_template_has_the_packages_columns_and_one_row_per_lookup() -> None:
    rows = _template(typical().derive())
    assert tuple(rows[0]) == TEMPLATE_COLUMNS
    for pattern in R_PATTERNS:
        _r_lookup(rows, pattern)
    for text_box in ("prevstud", "newstud", "othstud"):
        assert sum(row["box"] == text_box for row in rows) == 1


def test_template_values_as_the_r_package_reads_them() -> None:
    counts = typical().derive()
    rows = _template(counts)
    number = {p: _r_number(_r_lookup(rows, p)["n"]) for p in R_PATTERNS}
    assert number["database_results"] == 21
    assert number["register_results"] == 1
    assert number["duplicates"] == 4
    assert number["records_screened"] == 17
    # people + automation, so that screened - excluded = sought in the app's diagram
    assert number["records_excluded"] == 11
    assert number["records_screened"] - number["records_excluded"] == number["dbr_sought_reports"]
    assert "9 by reviewers" in _r_lookup(rows, "records_excluded")["boxtext"]
    assert "2 by automation tools" in _r_lookup(rows, "records_excluded")["boxtext"]
    assert number["new_studies"] == 2 and number["new_reports"] == 3
    assert _r_reasons(_r_lookup(rows, "dbr_excluded")["n"]) == [
        ("Not residential children's care", 2),
        ("No trauma-informed approach", 1),
    ]
    assert _r_reasons(_r_lookup(rows, "database_specific_results")["n"]) == [
        ("PubMed", 11), ("Europe PMC", 6), ("OpenAlex", 4),
    ]  # fmt: skip
    # Zotero ('other') has no template field: counted with citation searching, said in the text
    assert number["citations_results"] == 5
    assert "Zotero" in _r_lookup(rows, "citations_results")["boxtext"]
    assert "3 removed before screening" in _r_lookup(rows, "other_sought_reports")["boxtext"]


def test_template_single_reason_is_one_reason() -> None:
    pipeline = build(
        [("pubmed", "PubMed", "databases", "")],
        {"a": ["pubmed"], "b": ["pubmed"]},
        status={"a": "included", "b": "included"},
        fulltext={"a": excluded("Wrong setting, not residential"), "b": INCLUDED},
    )
    cell = _r_lookup(_template(pipeline.derive()), "dbr_excluded")["n"]
    # the comma inside the reason would split it in the R package: replaced
    assert cell == "Wrong setting - not residential, 1"
    assert _r_reasons(cell) == [("Wrong setting - not residential", 1)]


def test_template_pending_counts() -> None:
    rows = _template(typical(finished=False).derive())
    assert _r_lookup(rows, "dbr_assessed")["n"] == ""
    assert _r_lookup(rows, "dbr_assessed")["boxtext"].endswith("(pending)")
    assert "still to screen" in _r_lookup(rows, "records_screened")["boxtext"]


def test_template_wording_documents() -> None:
    rows = _template(typical().derive(), "documents")
    assert _r_lookup(rows, "records_screened")["boxtext"] == "Documents screened"


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x")', "+1 database", "@import"])
def test_no_formula_injection(tmp_path: Path, name: str) -> None:
    pipeline = build(
        [("pubmed", name, "databases", "")], {"a": ["pubmed"]}, status={"a": "excluded"}
    )
    counts = pipeline.derive()
    write_counts_csv(tmp_path / "counts.csv", counts)
    write_template_csv(tmp_path / "template.csv", counts)
    for path in (tmp_path / "counts.csv", tmp_path / "template.csv"):
        for row in csv.reader(path.open(encoding="utf-8")):
            assert not any(cell.startswith(("=", "+", "@")) for cell in row), (path.name, row)


def test_template_no_exclusions_is_zero_not_missing() -> None:
    pipeline = build(
        [("pubmed", "PubMed", "databases", "")],
        {"a": ["pubmed"]},
        status={"a": "included"},
        fulltext={"a": INCLUDED},
    )
    rows = _template(pipeline.derive())
    assert _r_lookup(rows, "dbr_excluded")["n"] == "0"
    assert _r_reasons("0") == [("", 0)]
    assert _r_lookup(rows, "register_specific_results")["n"] == ""  # no register searched
