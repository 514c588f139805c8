"""`realist-review import FILE... --output records.csv`."""

from __future__ import annotations

from pathlib import Path

import pytest

from realist_review.cli import main
from realist_review.errors import InputError
from realist_review.importer import import_files, parse_column_map, slugify
from realist_review.records import row_to_record
from realist_review.tables import read_table

FIXTURES = [
    "ris/endnote.ris",
    "ris/ovid.ris",
    "medline/pubmed.nbib",
    "csv/scopus.csv",
    "csv/wos_savedrecs.txt",
    "bibtex/library.bib",
    "endnote_xml/library.xml",
    "wos/savedrecs.txt",
]


def test_import_every_format_into_one_table(
    formats_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "out" / "records.csv"
    status = main(["import", *(str(formats_data / f) for f in FIXTURES), "--output", str(output)])
    assert status == 0
    rows = read_table(output, "record")  # validates against workflow/schemas/record.schema.json
    assert len(rows) == 3 + 2 + 2 + 2 + 2 + 4 + 3 + 2
    assert [r["record_id"] for r in rows] == sorted(r["record_id"] for r in rows)
    searches = {row_to_record(r).origin[0].split(":")[0] for r in rows}
    assert searches == {"endnote", "ovid", "pubmed", "scopus", "wos_savedrecs", "library",
                        "savedrecs"}  # fmt: skip
    out = capsys.readouterr().out
    assert "endnote.ris: ris, 3 records (0 without title, 2 without abstract, 2 without DOI)" in out
    assert "wos_savedrecs.txt: csv, 2 records" in out
    assert "library.xml: endnote_xml, 3 records (1 without title" in out
    assert "savedrecs.txt: wos, 2 records" in out
    assert f"wrote 20 records to {output}" in out


def test_output_is_deterministic(formats_data: Path, tmp_path: Path) -> None:
    files = [formats_data / "ris/eppi.ris", formats_data / "csv/pubmed.csv"]
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    import_files(files, output=first)
    import_files(list(reversed(files)), output=second)
    assert first.read_bytes() == second.read_bytes()


def test_same_record_in_two_files_of_one_search_is_merged(tmp_path: Path) -> None:
    one = tmp_path / "one.ris"
    two = tmp_path / "two.ris"
    one.write_text("TY  - JOUR\nID  - 7\nTI  - Night staff\nKW  - a\nER  - \n", encoding="utf-8")
    two.write_text(
        "TY  - JOUR\nID  - 7\nTI  - Night staff\nAB  - Found.\nKW  - b\nER  - \n"
        "TY  - JOUR\nID  - 8\nTI  - Other\nER  - \n",
        encoding="utf-8",
    )
    output = tmp_path / "records.csv"
    summaries, written = import_files([one, two], output=output, search_id="handsearch")
    assert [s.records for s in summaries] == [1, 2]
    assert written == 2
    merged = row_to_record(next(r for r in read_table(output, "record") if r["source_id"] == "7"))
    assert merged.abstract == "Found."
    assert merged.keywords == ("a", "b")
    assert merged.origin == ("handsearch:7",)


def test_same_ids_in_files_of_different_searches_stay_apart(tmp_path: Path) -> None:
    for name in ("a.ris", "b.ris"):
        (tmp_path / name).write_text("TY  - JOUR\nID  - 7\nTI  - X\nER  - \n", encoding="utf-8")
    _, written = import_files([tmp_path / "a.ris", tmp_path / "b.ris"], output=tmp_path / "o.csv")
    assert written == 2


def test_column_map_on_the_command_line(
    formats_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "records.csv"
    argv = ["import", str(formats_data / "csv/semicolon.csv"), "-o", str(output),
            "--column-map", "Article Name=title", "--column-map", "Writers=authors",
            "--search-id", "hand-search"]  # fmt: skip
    assert main(argv) == 0
    rows = read_table(output, "record")
    assert {r["title"] for r in rows} == {
        "Trauma-informed care training for residential workers: a pilot",
        "Governance of trauma-informed children's homes",
    }
    assert all(r["origin"].startswith("hand-search:semicolon.csv#") for r in rows)


@pytest.mark.parametrize(
    ("argv_tail", "message"),
    [
        pytest.param(["--search-id", "Bad Id"], "--search-id 'Bad Id'", id="bad-search-id"),
        pytest.param(["--column-map", "title"], "write COLUMN=FIELD", id="bad-column-map"),
        pytest.param(["--format", "word"], "unknown export format 'word'", id="bad-format"),
    ],
)
def test_bad_options_exit_2_with_a_message(
    formats_data: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv_tail: list[str],
    message: str,
) -> None:
    output = tmp_path / "records.csv"
    argv = ["import", str(formats_data / "ris/ovid.ris"), "-o", str(output), *argv_tail]
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert not output.exists()


def test_malformed_file_stops_without_writing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.ris"
    bad.write_text("TY  - JOUR\nTI  - One\nER  - \nAU  - Stray, A\n", encoding="utf-8")
    output = tmp_path / "records.csv"
    assert main(["import", str(bad), "-o", str(output)]) == 2
    assert "bad.ris: line 4: field AU" in capsys.readouterr().err
    assert not output.exists()


@pytest.mark.parametrize(
    ("stem", "slug"),
    [("Included On Title.Abstract", "included-on-title-abstract"), ("savedrecs (3)", "savedrecs-3"),
     ("__", "export"), ("pubmed_2024", "pubmed_2024"), ("x" * 80, "x" * 64)],
)  # fmt: skip
def test_slugify(stem: str, slug: str) -> None:
    assert slugify(stem) == slug


def test_parse_column_map_keeps_equals_in_column_names() -> None:
    assert parse_column_map(["a=b=title", " Year = year "]) == {"a=b": "title", "Year": "year"}
    with pytest.raises(InputError):
        parse_column_map(["=title"])


def test_encoding_advice_from_the_command_line_names_the_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    latin = tmp_path / "latin.ris"
    latin.write_bytes("TY  - JOUR\nTI  - Caf\u00e9\nER  - \n".encode("cp1252"))
    output = tmp_path / "records.csv"
    assert main(["import", str(latin), "-o", str(output)]) == 2
    err = capsys.readouterr().err
    assert "latin.ris: line 2" in err and "--encoding cp1252" in err
    assert "config" not in err and "utf-8-sig" not in err
    assert main(["import", str(latin), "-o", str(output), "--encoding", "cp1252"]) == 0


def test_new_formats_import_from_the_command_line(
    formats_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = ["pubmed_xml/pubmed.xml", "ovid/tagged.txt", "ovid/labelled.txt", "csv/ris_tags.tsv"]
    output = tmp_path / "records.csv"
    assert main(["import", *(str(formats_data / f) for f in files), "-o", str(output)]) == 0
    out = capsys.readouterr().out
    assert "pubmed.xml: pubmed_xml, 2 records" in out
    assert "tagged.txt: ovid, 2 records" in out and "labelled.txt: ovid, 2 records" in out
    assert "ris_tags.tsv: csv, 2 records" in out
    assert len(read_table(output, "record")) == 8


def test_a_broken_bibtex_entry_does_not_refuse_the_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{bad,\n  title {No equals sign},\n}\n\n"
        "@article{open,\n  title = {Open {brace,\n  year = 2020,\n}\n\n"
        "@article{good,\n  title = {Sound},\n  year = 2021,\n}\n",
        encoding="utf-8",
    )
    output = tmp_path / "records.csv"
    assert main(["import", str(bib), "-o", str(output)]) == 0
    assert sorted(r["title"] for r in read_table(output, "record")) == ["Open brace", "Sound"]
    assert "refs.bib: 1 BibTeX entry skipped: entry at line 1 skipped: line 2" in caplog.text
    assert "refs.bib: 1 BibTeX entry repaired: entry at line 5: line 6" in caplog.text
