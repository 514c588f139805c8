"""Issue 10 items 8 and 11: input limits with clear messages, and linear-time parsing.

The timing tests use budgets far above what the linear code needs (about a second here) and
far below what the quadratic code took (continuation lines: 60,000 took 5.7 s and grew with
the square; repeated ids: 4,000 took 5.4 s, 20,000 would take minutes).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from realist_review.errors import InputError
from realist_review.formats import csv as csv_format
from realist_review.formats import parse_text
from realist_review.formats.common import RawRecord, RecordCollector
from realist_review.importer import import_files
from realist_review.records import Source
from realist_review.tables import MAX_FIELD_CHARS, read_table


def test_continuation_lines_take_linear_time() -> None:
    lines = 200_000  # 800,000 characters of abstract, under the field limit
    text = "TY  - JOUR\nTI  - T\nAB  - go\n" + "abc\n" * lines + "ER  - \n"
    start = time.perf_counter()
    record = parse_text(text, "ris", search_id="s", file_name="x.ris")[0]
    assert time.perf_counter() - start < 10
    assert len(record.abstract) == 2 + 4 * lines


def test_raw_record_joins_continuations_once() -> None:
    raw = RawRecord(line=1)
    raw.add("AB", "one")
    for word in ("two", "three"):
        raw.continue_field("AB", word, new_item=False)
    raw.add("KW", "a")
    raw.continue_field("KW", "b", new_item=True)
    assert raw.tags == {"AB": ["one two three"], "KW": ["a", "b"]}
    raw.continue_field("AB", "four", new_item=False)  # read again after more text
    assert raw.tags["AB"] == ["one two three four"]
    assert raw.in_order("KW", "AB") == ["one two three four", "a", "b"]


def test_repeated_ids_take_linear_time() -> None:
    collector = RecordCollector(source=Source.RIS, search_id="s", file_name="x.ris")
    start = time.perf_counter()
    for _ in range(20_000):
        collector.add("same", title="T")
    assert time.perf_counter() - start < 15
    ids = [r.source_id for r in collector.records]
    assert ids[:3] == ["same", "same#2", "same#3"] and ids[-1] == "same#20000"
    assert len(set(ids)) == 20_000


def test_repeated_ids_skip_an_own_id_that_looks_like_a_suffix() -> None:
    collector = RecordCollector(source=Source.RIS, search_id="s", file_name="x.ris")
    for own in ("a", "a#2", "a", "a"):
        collector.add(own, title="T")
    assert [r.source_id for r in collector.records] == ["a", "a#2", "a#3", "a#4"]


def _ris_with_abstract(size: int) -> str:
    return f"TY  - JOUR\nTI  - ok\nER  - \nTY  - JOUR\nTI  - big\nAB  - {'x' * size}\nER  - \n"


def test_a_field_over_the_cell_limit_is_refused_naming_file_and_record(tmp_path: Path) -> None:
    path = tmp_path / "huge.ris"
    path.write_text(_ris_with_abstract(MAX_FIELD_CHARS + 1), encoding="utf-8")
    with pytest.raises(InputError) as info:
        import_files([path], output=tmp_path / "records.csv")
    message = str(info.value)
    assert message.startswith(f"{path}: line 4 (record 'huge.ris#2'): the abstract field has")
    assert "1,000,001 characters, more than the limit of 1,000,000" in message


def test_what_import_accepts_the_record_table_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "big.ris"
    path.write_text(_ris_with_abstract(MAX_FIELD_CHARS), encoding="utf-8")
    output = tmp_path / "records.csv"
    import_files([path], output=output)
    rows = read_table(output, "record")  # the csv reader of every later stage
    assert sorted(len(r["abstract"]) for r in rows) == [0, MAX_FIELD_CHARS]


def test_csv_cell_over_the_limit_is_refused_with_its_line() -> None:
    text = "Title,Abstract\nA,short\nB," + "y" * (MAX_FIELD_CHARS + 5) + "\n"
    with pytest.raises(InputError, match=r"^c\.csv: line 3: not readable as CSV"):
        parse_text(text, "csv", search_id="s", file_name="c.csv")


def test_spreadsheet_with_a_far_column_keeps_only_what_it_needs() -> None:
    # a sheet saved as CSV with cells in columns A and XFD (16,384 columns) on every row
    far = "," * 16_383
    text = "Title" + far + "Notes\n" + "".join(f"Row {i}{far}n\n" for i in range(300))
    records = parse_text(text, "csv", search_id="s", file_name="wide.csv")
    assert len(records) == 300 and records[0].title == "Row 0"
    text = "Title\n" + "".join(f"Row {i}{far}\n" for i in range(300))  # far cells empty
    assert len(parse_text(text, "csv", search_id="s", file_name="wide.csv")) == 300


def test_too_many_cells_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_format, "MAX_CELLS", 1_000)
    text = "Title,Abstract\n" + "".join(f"T{i},A{i}\n" for i in range(600))
    with pytest.raises(InputError, match=r"^c\.csv: line \d+: more than 1,000 cells read"):
        parse_text(text, "csv", search_id="s", file_name="c.csv")


def test_too_many_named_columns_are_refused() -> None:
    header = ",".join(f"c{i}" for i in range(csv_format.MAX_COLUMNS + 1)) + ",,"
    with pytest.raises(InputError, match=r"^c\.csv: the header has 2,001 named columns"):
        parse_text(header + "\nx\n", "csv", search_id="s", file_name="c.csv")
