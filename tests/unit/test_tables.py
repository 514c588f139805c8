"""Stage tables: schema checks with clear messages, deterministic bytes, untrusted files."""

from __future__ import annotations

from pathlib import Path

import pytest

from realist_review.errors import InputError
from realist_review.records import make_record, record_to_row
from realist_review.tables import (
    decode_text,
    escape_formula,
    read_bytes,
    read_table,
    write_json,
    write_table,
)


def _rows() -> list[dict[str, str]]:
    records = [
        make_record(source="pubmed", source_id=str(n), search_id="pubmed", title=f"T{n}")
        for n in (3, 1, 2)
    ]
    return [record_to_row(r) for r in sorted(records, key=lambda r: r.record_id)]


def test_write_then_read_gives_the_same_rows_and_bytes(tmp_path: Path) -> None:
    rows = _rows()
    write_table(tmp_path / "a.csv", rows, "record")
    write_table(tmp_path / "b.csv", rows, "record")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert read_table(tmp_path / "a.csv", "record") == rows
    assert b"\r\n" not in (tmp_path / "a.csv").read_bytes()


def test_bad_cell_is_named_by_line_and_column(tmp_path: Path) -> None:
    rows = _rows()
    rows[1]["doi"] = "not-a-doi"
    rows[2]["source"] = "scopus-typo"
    path = tmp_path / "bad.csv"
    with pytest.raises(InputError) as error:
        write_table(path, rows, "record")
    message = str(error.value)
    assert "line 3, column 'doi'" in message
    assert "line 4, column 'source'" in message and "pubmed" in message


def test_missing_column_and_repeated_id(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("record_id,title\nrec-1,x\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column"):
        read_table(path, "record")
    rows = _rows()
    rows[2]["record_id"] = rows[1]["record_id"]
    with pytest.raises(InputError, match="repeats line 3"):
        write_table(tmp_path / "r.csv", rows, "record")


def test_writing_a_row_the_schema_does_not_describe_is_an_error(tmp_path: Path) -> None:
    rows = _rows()
    del rows[1]["abstract"]
    with pytest.raises(ValueError, match=r"x\.csv: row 2 .*record\.schema\.json: missing abstract"):
        write_table(tmp_path / "x.csv", rows, "record")
    rows = _rows()
    rows[0]["score"] = "0.5"
    with pytest.raises(ValueError, match=r"row 1 .*unknown score"):
        write_table(tmp_path / "x.csv", rows, "record")
    assert not (tmp_path / "x.csv").exists()


def test_a_column_with_a_schema_default_may_be_left_out(tmp_path: Path) -> None:
    row = {
        "record_id_a": "rec-a",
        "record_id_b": "rec-b",
        "decision": "same",
        "by": "person",
        "rule": "decision",
        "note": "alice",
    }
    write_table(tmp_path / "audit.csv", [row], "dedup_audit")
    (back,) = read_table(tmp_path / "audit.csv", "dedup_audit")
    assert back["title_score"] == "" and back["note"] == "alice"
    del row["note"]  # no default: required in every row
    with pytest.raises(ValueError, match="missing note"):
        write_table(tmp_path / "audit.csv", [row], "dedup_audit")


def test_reading_an_extra_column_of_a_closed_schema_is_refused(tmp_path: Path) -> None:
    write_table(tmp_path / "r.csv", _rows(), "record")
    lines = (tmp_path / "r.csv").read_text(encoding="utf-8").splitlines()
    extra = [lines[0] + ",score"] + [line + ",1" for line in lines[1:]]
    (tmp_path / "r.csv").write_text("\n".join(extra) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"r\.csv: unknown column\(s\) 'score'"):
        read_table(tmp_path / "r.csv", "record")


def test_encoding_errors_say_where_and_what_to_do() -> None:
    with pytest.raises(InputError, match=r"line 2 .*encoding: cp1252"):
        decode_text("ok\ncaf\xe9".encode("latin-1"), path="export.ris")
    assert decode_text("\ufeffTY  - JOUR\r\n".encode(), path="x") == "TY  - JOUR\n"
    with pytest.raises(InputError, match="UTF-16"):
        decode_text("TY".encode("utf-16-le"), path="x.ris")


def test_oversized_and_missing_files_are_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.ris"
    big.write_bytes(b"x" * 2048)
    with pytest.raises(InputError, match="larger than the limit"):
        read_bytes(big, max_bytes=1024)
    with pytest.raises(InputError, match="not found"):
        read_bytes(tmp_path / "nope.ris")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-1+2", "'-1+2"),
        ("+cmd", "'+cmd"),
        ("Plain title", "Plain title"),
        (None, ""),
    ],
    ids=["equals", "at", "minus", "plus", "plain", "none"],
)
def test_escape_formula(value: object, expected: str) -> None:
    assert escape_formula(value) == expected


def test_write_json_is_deterministic(tmp_path: Path) -> None:
    write_json(tmp_path / "a.json", {"b": 1, "a": [2, 1]})
    assert (tmp_path / "a.json").read_text() == '{\n  "a": [\n    2,\n    1\n  ],\n  "b": 1\n}\n'


@pytest.mark.parametrize(
    "title",
    [
        '=HYPERLINK("http://x.invalid","click")',
        "+cmd|' /C calc'!A0",
        "@SUM(A1:A9)",
        "\t=1+1",
        "'=already quoted",
        "''=twice",
        "'Tis the season",
        "-2 degrees: a cold start",
        "Plain title",
    ],
)
def test_derived_tables_neutralise_formulas_and_read_back_the_same(
    tmp_path: Path, title: str
) -> None:
    """Issue 10 (smaller): a title starting ``= + @`` opens as text in a spreadsheet."""
    import csv

    row = record_to_row(
        make_record(source="pubmed", source_id="1", search_id="pubmed", title=title)
    )
    write_table(tmp_path / "r.csv", [row], "record")
    with (tmp_path / "r.csv").open(encoding="utf-8", newline="") as handle:
        cell = next(csv.DictReader(handle))["title"]
    title = row["title"]
    if title.lstrip("'").startswith(("=", "+", "@", "\t")):
        assert cell == "'" + title, "a formula cell gets one quote in front"
    else:
        assert cell == title
    assert read_table(tmp_path / "r.csv", "record") == [row]


def test_a_stage_may_keep_only_the_columns_it_reads(tmp_path: Path) -> None:
    rows = _rows()
    write_table(tmp_path / "r.csv", rows, "record")
    kept = read_table(tmp_path / "r.csv", "record", columns=("record_id", "origin"))
    assert kept == [{"record_id": r["record_id"], "origin": r["origin"]} for r in rows]
    with pytest.raises(ValueError, match="no column"):
        read_table(tmp_path / "r.csv", "record", columns=("record_id", "score"))
    (tmp_path / "r.csv").write_text("record_id,origin\nrec-1,s:1\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column"):  # the header is checked in full
        read_table(tmp_path / "r.csv", "record", columns=("record_id", "origin"))


def test_untrusted_workbooks_are_read_safely(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from realist_review.tables import read_xlsx_rows

    book = Workbook()
    tab = book.active
    tab.title = "pairs"
    tab["A1"], tab["B1"], tab["A2"] = "id", "decision", "r1"
    tab.cell(row=2, column=16384, value="far away")  # column XFD
    wide = tmp_path / "wide.xlsx"
    book.save(wide)
    rows = read_xlsx_rows(wide, sheet="pairs")
    assert rows == [["id", "decision"], ["r1", ""]]  # the stray far cell is not read
    with pytest.raises(InputError, match="no 'screening' tab"):
        read_xlsx_rows(wide, sheet="screening")
    with pytest.raises(InputError, match="more than 1 rows"):
        read_xlsx_rows(wide, max_rows=1)
    damaged = tmp_path / "damaged.xlsx"
    data = wide.read_bytes()
    damaged.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match=r"damaged\.xlsx: cannot be read as an \.xlsx workbook"):
        read_xlsx_rows(damaged)
