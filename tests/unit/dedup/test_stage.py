"""The dedup stage end to end on small inputs written here: files, decisions, bad input."""

from __future__ import annotations

import csv
import json
import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from realist_review.cli import main
from realist_review.dedup import deduplicate, run_dedup, settings_from_mapping
from realist_review.dedup.load import load_records, split_authors
from realist_review.dedup.normalize import Kind, normalize_pages, normalize_title, title_kind
from realist_review.dedup.review import read_decisions
from realist_review.errors import InputError
from realist_review.records import Record, Source, make_record, record_to_row
from realist_review.tables import read_table, write_table


def rec(record_id: str, search_id: str = "s1", **fields: Any) -> Record:
    fields.setdefault("source", Source.RIS)
    record = make_record(source_id=record_id, search_id=search_id, **fields)
    return replace(record, record_id=record_id)


PAPER = {
    "title": "Staff training in trauma-informed care for children's homes",
    "authors": ["Evans, R.", "Khan, S."],
    "year": 2020,
    "journal": "Child Abuse Review",
    "volume": "29",
    "pages": "10-20",
}
OTHER = {
    "title": "Organisational governance and restraint in residential care",
    "authors": ["Moreau, L."],
    "year": 2017,
    "journal": "Journal of Social Work",
    "volume": "12",
    "pages": "300-310",
}


def write_records(path: Path, records: list[Record]) -> Path:
    write_table(
        path, [record_to_row(r) for r in sorted(records, key=lambda r: r.record_id)], "record"
    )
    return path


def sample(tmp_path: Path) -> Path:
    records = [
        rec("rec-a1", "pubmed-main", **PAPER, doi="10.1002/car.1"),
        rec("rec-a2", "ris-embase", **{**PAPER, "title": PAPER["title"].upper()}),
        rec("rec-a3", "ris-psycinfo", **{**PAPER, "authors": ["R Evans", "S Khan"]}),
        rec("rec-b1", "pubmed-main", **OTHER),
        rec("rec-c1", "ris-embase", **{**OTHER, "title": "Erratum: " + OTHER["title"]}),
    ]
    return write_records(tmp_path / "records.csv", records)


def test_run_writes_every_output_and_keeps_every_record(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_dedup(
        records=sample(tmp_path),
        groups=out / "groups.csv",
        merged=out / "records.csv",
        audit=out / "audit.csv",
        summary=out / "summary.csv",
        review_sheet=out / "review.xlsx",
    )
    groups = read_table(out / "groups.csv", "dedup_groups")
    assert [g["record_id"] for g in groups] == ["rec-a1", "rec-a2", "rec-a3", "rec-b1", "rec-c1"]
    assert {g["record_id"]: g["group_id"] for g in groups} == {
        "rec-a1": "rec-a1", "rec-a2": "rec-a1", "rec-a3": "rec-a1",
        "rec-b1": "rec-b1", "rec-c1": "rec-c1",
    }  # fmt: skip
    merged = read_table(out / "records.csv", "merged_record")
    assert [m["record_id"] for m in merged] == ["rec-a1", "rec-b1", "rec-c1"]
    first = merged[0]
    assert first["members"] == "rec-a1; rec-a2; rec-a3"
    assert first["origin"] == "pubmed-main:rec-a1; ris-embase:rec-a2; ris-psycinfo:rec-a3"
    assert first["doi"] == "10.1002/car.1"
    provenance = json.loads(first["provenance"])
    assert provenance["doi"] == "rec-a1"
    assert provenance["title"] != "rec-a2", "the all-capitals title is never the best one"
    audit = read_table(out / "audit.csv", "dedup_audit")
    linked = {(r["record_id_a"], r["record_id_b"]) for r in audit if r["decision"] == "same"}
    assert ("rec-a1", "rec-a2") in linked and ("rec-a1", "rec-a3") in linked
    erratum = [r for r in audit if {r["record_id_a"], r["record_id_b"]} == {"rec-b1", "rec-c1"}]
    assert erratum and erratum[0]["decision"] == "different"
    assert erratum[0]["rule"] == "kind_differs"
    summary = {r["search_id"]: r for r in read_table(out / "summary.csv", "dedup_summary")}
    assert summary["pubmed-main"]["duplicates_removed"] == "0"
    assert summary["ris-embase"]["duplicates_removed"] == "1"
    assert summary["ris-psycinfo"]["duplicates_removed"] == "1"
    total_removed = sum(int(r["duplicates_removed"]) for r in summary.values())
    assert total_removed == len(result.records) - len({g["group_id"] for g in groups})
    assert (out / "review.csv").is_file() and (out / "review.xlsx").is_file()


def test_review_sheet_has_dropdown_and_escaped_cells(tmp_path: Path) -> None:
    look_alike = {**PAPER, "title": '=HYPERLINK("http://x") ' + PAPER["title"], "doi": ""}
    records = [
        rec("rec-x1", **{**look_alike, "authors": ["Evans, R."], "journal": "The Lancet",
                          "volume": "", "pages": ""}),
        rec("rec-x2", **{**look_alike, "authors": ["Evans, R."], "journal": "Social Work Education",
                          "volume": "", "pages": "", "year": 2021}),
    ]  # fmt: skip
    path = write_records(tmp_path / "r.csv", records)
    result = run_dedup(
        records=path, groups=tmp_path / "g.csv", review_sheet=tmp_path / "pairs.xlsx"
    )
    assert result.review, "a close pair with nothing else agreeing goes to review"
    book = load_workbook(tmp_path / "pairs.xlsx")
    sheet = book["pairs"]
    header = [c.value for c in sheet[1]]
    row = {header[i]: c.value for i, c in enumerate(sheet[2])}
    assert str(row["title_a"]).startswith("'=")
    validations = sheet.data_validations.dataValidation
    assert validations and validations[0].formula1 == '"same,different"'
    assert "instructions" in book.sheetnames


def test_decisions_split_merge_and_stale(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = sample(tmp_path)
    decisions = tmp_path / "decisions.csv"
    decisions.write_text(
        "record_id_a,record_id_b,decision,reviewer,note\n"
        "rec-a1,rec-a3,different,AB,two reports in fact\n"
        "rec-b1,rec-c1,same,AB,the erratum record is the article\n"
        "rec-a1,rec-gone,same,CD,\n",
        encoding="utf-8",
    )
    with caplog.at_level(logging.WARNING):
        result = run_dedup(
            records=path, groups=tmp_path / "g.csv", audit=tmp_path / "a.csv",
            decisions=decisions,
        )  # fmt: skip
    groups = result.group_of
    assert groups["rec-a3"] != groups["rec-a1"], "a person's 'different' splits"
    assert groups["rec-b1"] == groups["rec-c1"], "a person's 'same' merges"
    assert len(result.stale) == 1 and result.stale[0].record_id_b == "rec-gone"
    assert "rec-gone" in caplog.text and "no longer in the input" in caplog.text
    audit = read_table(tmp_path / "a.csv", "dedup_audit")
    stale = [r for r in audit if r["decision"] == "stale"]
    assert stale and stale[0]["record_id_b"] == "rec-gone"
    by_person = {(r["record_id_a"], r["record_id_b"]): r for r in audit if r["by"] == "person"}
    assert by_person[("rec-a1", "rec-a3")]["decision"] == "different"


def test_decisions_from_filled_xlsx_sheet(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "pairs"
    sheet.append(["record_id_a", "record_id_b", "decision", "reviewer", "note", "title_a"])
    sheet.append(["rec-1", "rec-2", "same", "AB", "", "x"])
    sheet.append(["rec-1", "rec-3", None, "", "", "undecided rows are skipped"])
    folder = tmp_path / "dedup"
    folder.mkdir()
    book.save(folder / "pairs-filled.xlsx")
    decisions = read_decisions(folder)
    assert [(d.record_id_a, d.record_id_b, d.decision) for d in decisions] == [
        ("rec-1", "rec-2", "same")
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("record_id_a,record_id_b,decision\nr1,r2,maybe\n", "not 'same' or 'different'",
                     id="bad-value"),
        pytest.param("record_id_a,record_id_b,decision\nr1,r1,same\n", "two different record ids",
                     id="same-id-twice"),
        pytest.param("record_id_a,record_id_b,decision\nr1,r2,same\nr2,r1,different\n",
                     "Keep one decision", id="contradiction"),
        pytest.param("a,b,c\nr1,r2,same\n", "needs the columns", id="wrong-columns"),
    ],
)  # fmt: skip
def test_bad_decisions_name_file_and_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "decisions.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        read_decisions(path)
    assert str(path) in str(info.value)


def test_missing_decisions_file_means_no_decisions(tmp_path: Path) -> None:
    assert read_decisions(tmp_path / "config" / "dedup" / "decisions.csv") == []


def test_empty_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        load_records(path)


def test_header_only_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bench.csv"
    path.write_text(
        "ID,ENTRYTYPE,author,title,year,journal,volume,number,pages\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match="no records"):
        load_records(path)


def test_repeated_ids_are_named(tmp_path: Path) -> None:
    path = tmp_path / "bench.csv"
    path.write_text(
        "ID,ENTRYTYPE,author,title,year,journal,volume,number,pages\n"
        'id_1,article,"Smith, J",A title,2020,J,1,1,1-2\n'
        'id_1,article,"Jones, K",Another title,2021,J,1,1,3-4\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="id_1"):
        load_records(path)


def test_unknown_layout_explains_what_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("foo,bar\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="record table"):
        load_records(path)


def test_records_without_title_are_kept_and_matched_on_other_fields(tmp_path: Path) -> None:
    path = tmp_path / "bench.csv"
    path.write_text(
        "ID,ENTRYTYPE,author,title,year,journal,volume,number,pages\n"
        'id_1,article,"Evans, R and Khan, S",Staff training in children\'s homes,2020,'
        "Child Abuse Rev,29,2,10-20\n"
        'id_2,article,"Evans, R. and Khan, S.",,2020,Child Abuse Review,29,2,10-20\n'
        "id_3,article,,,,,,,\n",
        encoding="utf-8",
    )
    result = run_dedup(records=path, groups=tmp_path / "g.csv")
    assert result.group_of == {"id_1": "id_1", "id_2": "id_1", "id_3": "id_3"}


def test_cli_dedup_and_clean_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = sample(tmp_path)
    assert main(["dedup", str(path), "--output", str(tmp_path / "g.csv")]) == 0
    assert "5 records, 3 groups" in capsys.readouterr().out
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    assert main(["dedup", str(empty), "--output", str(tmp_path / "g2.csv")]) == 2
    assert "empty" in capsys.readouterr().err


def test_settings_refuse_unknown_keys() -> None:
    assert settings_from_mapping({"title": 0.97}).decide.title == 0.97
    with pytest.raises(InputError, match="tittle"):
        settings_from_mapping({"tittle": 0.9})


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Zuber, J and Le Quintrec, M", ["Zuber, J", "Le Quintrec, M"]),
        ("Pala A.Schmitz A. L.Knoll A.", ["Pala, A.", "Schmitz, A. L.", "Knoll, A."]),
        ("Schindler E. A. D.D'Souza D. C.", ["Schindler, E. A. D.", "D'Souza, D. C."]),
        ("KÃ¶nig R.", ["König, R."]),
        ("Smith, J; Jones, K", ["Smith, J", "Jones, K"]),
    ],
    ids=["bibtex", "asysd-run-together", "apostrophe", "mojibake", "semicolons"],
)
def test_split_authors(cell: str, expected: list[str]) -> None:
    assert split_authors(cell) == expected


@pytest.mark.parametrize(
    ("pages", "expected"),
    [("123-9", ("123", "129")), ("123-129", ("123", "129")), ("06-Oct", ("6", "10")),
     ("S33-38", ("33", "38")), ("233-8, 230-5", ("230", "235")), ("e0192222", ("192222", ""))],
    ids=["short-end", "full", "spreadsheet-date", "supplement", "several-ranges", "e-page"],
)  # fmt: skip
def test_normalize_pages(pages: str, expected: tuple[str, str]) -> None:
    assert normalize_pages(pages) == expected


def test_title_normalisation_and_kinds() -> None:
    assert normalize_title("[Trauma in Children's Homes]. [Review] [16 refs]") == (
        "trauma in children s homes"
    )
    assert normalize_title("Résumé of β-blockers") == "resume of beta blockers"
    assert title_kind("erratum trauma informed care") == Kind.ERRATUM
    assert title_kind("x", raw_title="Trauma (vol 3, pg 5, 2009)") == Kind.ERRATUM
    assert title_kind("response to trauma informed care in homes") == Kind.ARTICLE
    assert title_kind("trauma informed care in homes reply") == Kind.COMMENT


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------
_words = st.sampled_from(
    ["trauma", "care", "staff", "training", "homes", "children", "review", "supervision"]
)
_titles = st.lists(_words, min_size=0, max_size=6).map(" ".join)


@st.composite
def record_sets(draw: Any) -> list[Record]:
    n = draw(st.integers(min_value=1, max_value=12))
    records = []
    for i in range(n):
        records.append(
            rec(
                f"rec-{i:03d}",
                title=draw(_titles),
                authors=draw(
                    st.lists(st.sampled_from(["Evans, R", "Khan, S", "Li, X"]), max_size=2)
                ),
                year=draw(st.sampled_from([None, 2019, 2020])),
                doi=draw(st.sampled_from(["", "10.1000/a", "10.1000/b", "10.1000/c"])),
                journal=draw(st.sampled_from(["", "Child Abuse Review", "Child Abuse Rev"])),
                pages=draw(st.sampled_from(["", "1-10", "11-20"])),
                volume=draw(st.sampled_from(["", "1"])),
            )
        )
    return records


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record_sets())
def test_every_record_once_and_different_dois_never_merged(records: list[Record]) -> None:
    result = deduplicate(records)
    rows = result.group_rows()
    assert [r["record_id"] for r in rows] == sorted(r.record_id for r in records)
    members: dict[str, list[Record]] = {}
    for record in records:
        members.setdefault(result.group_of[record.record_id], []).append(record)
    for group_id, group in members.items():
        assert group_id == min(r.record_id for r in group)
        dois = {r.doi for r in group if r.doi}
        assert len(dois) <= 1, f"group {group_id} joins DOIs {dois}"


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=4), min_size=2, max_size=10))
def test_bench_csv_round_trip_keeps_every_id(tmp_path_factory: Any, picks: list[int]) -> None:
    titles = ["A study of care", "A study of care.", "Training staff", "", "Homes and care"]
    path = tmp_path_factory.mktemp("b") / "bench.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ID", "ENTRYTYPE", "author", "title", "year", "journal", "volume",
                         "number", "pages"])  # fmt: skip
        for i, k in enumerate(picks):
            writer.writerow([f"id_{i}", "article", "Evans, R", titles[k], "2020", "J", "1", "",
                             "1-2"])  # fmt: skip
    result = run_dedup(records=path, groups=path.with_name("g.csv"))
    assert sorted(result.group_of) == sorted(f"id_{i}" for i in range(len(picks)))


def test_filled_review_sheet_is_respected_by_the_next_run(tmp_path: Path) -> None:
    """Write the sheet, fill it with openpyxl as a person would, rerun: applied, not re-asked."""
    close = {**PAPER, "authors": ["Evans, R."], "volume": "", "pages": "", "doi": ""}
    records = [
        rec("rec-x1", **{**close, "journal": "The Lancet"}),
        rec("rec-x2", **{**close, "journal": "Social Work Education", "year": 2021}),
    ]
    path = write_records(tmp_path / "r.csv", records)
    config = tmp_path / "config" / "dedup"
    config.mkdir(parents=True)
    first = run_dedup(records=path, groups=tmp_path / "g.csv", review_sheet=tmp_path / "p.xlsx")
    assert first.group_of["rec-x2"] == "rec-x2"
    book = load_workbook(tmp_path / "p.xlsx")
    sheet = book["pairs"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("decision") + 1, value="same")
    sheet.cell(row=2, column=header.index("reviewer") + 1, value="AB")
    book.save(config / "pairs-round1.xlsx")
    second = run_dedup(
        records=path, groups=tmp_path / "g.csv", decisions=config,
        review_sheet=tmp_path / "p2.xlsx",
    )  # fmt: skip
    assert second.group_of["rec-x2"] == "rec-x1"
    assert second.review == []
    third = run_dedup(records=path, groups=tmp_path / "g.csv", decisions=config)
    assert third.group_of == second.group_of


def test_cli_settings_from_a_config_file(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("dedup:\n  decisions: config/dedup/decisions.csv\n  thresholds:\n"
                      "    title: 0.99\n", encoding="utf-8")  # fmt: skip
    assert main(["dedup", str(sample(tmp_path)), "-o", str(tmp_path / "g.csv"),
                 "--settings", str(config)]) == 0  # fmt: skip
    bad = tmp_path / "bad.json"
    bad.write_text('{"title": 0.9, "colour": "red"}', encoding="utf-8")
    assert main(["dedup", str(sample(tmp_path)), "-o", str(tmp_path / "g.csv"),
                 "--settings", str(bad)]) == 2  # fmt: skip
