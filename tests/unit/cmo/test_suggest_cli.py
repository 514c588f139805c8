"""``realist-review cmo suggest``: inputs, the two tables, training on confirmed labels."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from realist_review.cli import main
from realist_review.cmo.documents import read_documents
from realist_review.records import make_record, record_to_row
from realist_review.tables import table_spec, write_table

from .conftest import NO_RESOURCE, PLAIN, STRUCTURED

CONFIG = str(Path(__file__).resolve().parents[3] / "config" / "config.yaml")

SENTENCE_COLUMNS = [
    "record_id", "source_id", "section", "sentence", "start", "end", "text",
    "p_context", "p_mechanism", "p_outcome", "context", "mechanism", "outcome",
]  # fmt: skip


def record_table(path: Path, abstracts: dict[str, str]) -> Path:
    records = [
        make_record(source="ris", source_id=sid, search_id="mine", title=f"T{sid}", abstract=a)
        for sid, a in abstracts.items()
    ]
    write_table(
        path, [record_to_row(r) for r in sorted(records, key=lambda r: r.record_id)], "record"
    )
    return path


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def records(tmp_path: Path) -> Path:
    return record_table(
        tmp_path / "records.csv", {"A1": STRUCTURED, "A2": PLAIN, "A3": NO_RESOURCE}
    )


def test_suggest_writes_both_tables(records: Path, tmp_path: Path) -> None:
    out = tmp_path / "cmo"
    assert main(["cmo", "suggest", str(records), "--output", str(out), "--config", CONFIG]) == 0
    sentences = read(out / "sentences.csv")
    with (out / "sentences.csv").open(encoding="utf-8") as handle:
        assert handle.readline().strip().split(",") == SENTENCE_COLUMNS
    abstracts = {r.record_id: r.text for r in read_documents([records])}
    for row in sentences:
        assert abstracts[row["record_id"]][int(row["start"]) : int(row["end"])] == row["text"]
        assert row["context"] in {"0", "1"} and 0 <= float(row["p_outcome"]) <= 1
    candidates = read(out / "candidates.csv")
    with (out / "candidates.csv").open(encoding="utf-8") as handle:
        header = handle.readline().strip().split(",")
    assert header[:4] == ["cmoc_id", "record_id", "source_id", "evidence"]
    assert header == list(table_spec("cmo_candidates").columns)
    by_source = {c["source_id"] for c in candidates}
    assert "A1" in by_source and "A3" not in by_source  # no resource, no outcome: nothing
    a1 = [c for c in candidates if c["source_id"] == "A1"]
    assert any("staff-training" in c["theory_area"].split(";") for c in a1)
    for c in candidates:  # every candidate traces to its sentences and has an outcome
        indices = [int(i) for i in c["evidence"].split(";")]
        texts = {
            r["text"]
            for r in sentences
            if r["record_id"] == c["record_id"] and int(r["sentence"]) in indices
        }
        assert all(part in texts for part in c["outcome"].split(" | "))
    # deterministic
    again = tmp_path / "again"
    main(["cmo", "suggest", str(records), "--output", str(again), "--config", CONFIG])
    assert (again / "candidates.csv").read_bytes() == (out / "candidates.csv").read_bytes()


def test_export_input_matches_import(tmp_path: Path) -> None:
    ris = tmp_path / "mine.ris"
    ris.write_text(f"TY  - JOUR\nTI  - One\nU1  - R1\nAB  - {PLAIN}\nER  - \n", encoding="utf-8")
    (doc,) = read_documents([ris])
    assert doc.source_id == "R1" and doc.sentences[0].text.startswith("Foster carers")
    table = tmp_path / "records.csv"
    assert main(["import", str(ris), "--output", str(table)]) == 0
    (from_table,) = read_documents([table])
    assert from_table.record_id == doc.record_id and from_table.text == doc.text


def test_fulltext_sentence_table(tmp_path: Path) -> None:
    path = tmp_path / "sentences.csv"
    rows = [
        (
            "d1",
            "Methods",
            "2 Methods",
            "3",
            "1",
            "0",
            "Staff received ten weekly supervision sessions.",
        ),
        (
            "d1",
            "Results",
            "3 Results",
            "4",
            "2",
            "1",
            "As a result, staff confidence increased significantly.",
        ),
        ("d1", "Methods", "2 Methods", "3", "1", "1", "Twelve homes in Wales took part."),
    ]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["document", "section", "heading", "page", "paragraph", "sentence", "text"])
        writer.writerows(rows)
    (doc,) = read_documents([path])
    assert [s.section for s in doc.sentences] == ["methods", "methods", "results"]
    assert doc.paragraphs == (1, 1, 2)
    for s in doc.sentences:
        assert doc.text[s.start : s.end] == s.text
    out = tmp_path / "out"
    assert main(["cmo", "suggest", str(path), "--output", str(out)]) == 0
    assert {r["record_id"] for r in read(out / "sentences.csv")} == {"d1"}


def test_train_on_confirmed_sentences(records: Path, tmp_path: Path) -> None:
    first = tmp_path / "first"
    main(["cmo", "suggest", str(records), "--output", str(first)])
    confirmed = read(first / "sentences.csv")
    for row in confirmed:  # a reviewer's corrections: every results sentence is an outcome
        row["outcome"] = "1" if row["section"] == "results" and ":" not in row["text"] else "0"
    train = tmp_path / "confirmed.csv"
    write_table(train, confirmed * 3, "cmo_sentences")
    out = tmp_path / "trained"
    assert main(["cmo", "suggest", str(records), "--output", str(out), "--train", str(train)]) == 0
    scored = read(out / "sentences.csv")
    results = [r for r in scored if r["section"] == "results" and ":" not in r["text"]]
    others = [r for r in scored if r["section"] != "results"]
    assert min(float(r["p_outcome"]) for r in results) > max(float(r["p_outcome"]) for r in others)


def test_bad_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cmo", "suggest", str(tmp_path / "missing.csv"), "--output", str(tmp_path)]) == 2
    assert "missing.csv: no such file" in capsys.readouterr().err
    tiny = tmp_path / "tiny.csv"
    write_table(
        tiny,
        [
            {c: "0" for c in SENTENCE_COLUMNS}
            | {"record_id": "r", "section": "abstract", "text": "x"}
        ],
        "cmo_sentences",
    )
    records = record_table(tmp_path / "r.csv", {"A": PLAIN})
    assert (
        main(["cmo", "suggest", str(records), "-o", str(tmp_path / "o"), "--train", str(tiny)]) == 2
    )
    assert "too few confirmed sentences" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text("document,section,paragraph,sentence,text\nd,x,one,0,Hi.\n", encoding="utf-8")
    assert main(["cmo", "suggest", str(bad), "-o", str(tmp_path / "o2")]) == 2
    assert "line 2" in capsys.readouterr().err


def test_formula_cells_are_escaped(tmp_path: Path) -> None:
    records = record_table(
        tmp_path / "r.csv", {"F": "=HYPERLINK(1) The programme reduced stress significantly."}
    )
    out = tmp_path / "o"
    main(["cmo", "suggest", str(records), "-o", str(out)])
    assert read(out / "sentences.csv")[0]["text"].startswith("'=")


def test_suggest_included_reads_only_forwarded_records(tmp_path: Path) -> None:
    from realist_review.cmo.suggest import suggest_included

    merged = []
    for sid, abstract in (("A1", STRUCTURED), ("A2", PLAIN), ("A3", PLAIN)):
        record = make_record(source="ris", source_id=sid, search_id="s", abstract=abstract)
        row = record_to_row(record) | {
            "members": record.record_id,
            "study_id": "",
            "provenance": "",
        }
        merged.append(row)
    merged.sort(key=lambda r: r["record_id"])
    records = tmp_path / "records.csv"
    write_table(records, merged, "merged_record")
    statuses = dict(
        zip([r["record_id"] for r in merged], ["included", "maybe", "excluded"], strict=True)
    )
    status = tmp_path / "status.csv"
    write_table(
        status,
        [
            {"record_id": rid, "status": st, "reason": "", "round": "1", "decided_by": "human"}
            for rid, st in statuses.items()
        ],
        "screen_status",
    )
    settings = {"theory_areas": [{"id": "training", "seed_terms": ["training"]}]}
    docs, n_sent, n_cand = suggest_included(
        records=records, status=status, output_dir=tmp_path / "cmo", settings=settings
    )
    assert docs == 2 and n_sent > 0 and n_cand > 0
    written = {r["record_id"] for r in read(tmp_path / "cmo" / "sentences.csv")}
    assert written == {rid for rid, st in statuses.items() if st != "excluded"}
