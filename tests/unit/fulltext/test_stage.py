"""``realist-review fulltext read FILE... --output DIR``: the tables, exactly as the issue names
them, and a run that goes on past bad files."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from realist_review.cli import main
from realist_review.tables import read_table

from .conftest import IMRAD, scanned_only
from .test_xml import JATS


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_read_writes_the_contract_tables(make_pdf, tmp_path: Path, capsys) -> None:
    article = make_pdf("article", IMRAD)
    scan = scanned_only(tmp_path / "scan.pdf")
    html = tmp_path / "challenge.pdf"
    html.write_bytes(b"<html><head><title>Just a moment...</title></head></html>")
    jats = tmp_path / "PMC99.jats.xml"
    jats.write_bytes(JATS)
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b"<?xml version='1.0'?><article><body>")
    out = tmp_path / "out"
    status = main(
        [
            "fulltext",
            "read",
            str(article),
            str(scan),
            str(html),
            str(jats),
            str(broken),
            "--output",
            str(out),
        ]
    )
    assert status == 0
    assert "5 file(s)" in capsys.readouterr().out

    with (out / "documents.csv").open(encoding="utf-8") as handle:
        assert handle.readline().strip() == "document,pages,status,message"
    docs = {r["document"]: r for r in read_table(out / "documents.csv", "fulltext_documents")}
    assert {k: v["status"] for k, v in docs.items()} == {
        "PMC99": "ok",
        "article": "ok",
        "broken": "corrupt",
        "challenge": "not_pdf",
        "scan": "scanned",
    }
    assert docs["article"]["pages"] != "" and docs["PMC99"]["pages"] == ""
    assert "HTML" in docs["challenge"]["message"]

    with (out / "sentences.csv").open(encoding="utf-8") as handle:
        assert handle.readline().strip() == "document,section,heading,page,paragraph,sentence,text"
    sentences = read_table(out / "sentences.csv", "fulltext_sentences")
    assert {r["document"] for r in sentences} == {"PMC99", "article"}
    pdf_rows = [r for r in sentences if r["document"] == "article"]
    assert {r["section"] for r in pdf_rows} >= {"introduction", "methods", "references"}
    assert all(r["page"] for r in pdf_rows)
    assert all(r["page"] == "" for r in sentences if r["document"] == "PMC99")
    discussion = next(r for r in pdf_rows if r["section"] == "discussion")
    assert discussion["heading"] == "4. Discussion"
    assert not any(r["text"].startswith("Figure 1.") for r in sentences)

    offsets = read_table(out / "offsets.csv", "fulltext_offsets")
    assert len(offsets) == len(sentences)
    texts = {
        d: (out / "text" / f"{d}.txt").read_text(encoding="utf-8") for d in ("PMC99", "article")
    }
    for sentence, offset in zip(sentences, offsets, strict=True):
        assert (sentence["document"], sentence["paragraph"], sentence["sentence"]) == (
            offset["document"],
            offset["paragraph"],
            offset["sentence"],
        )
        text = texts[offset["document"]][int(offset["start"]) : int(offset["end"])]
        assert text == sentence["text"].removeprefix("'")


def test_same_input_gives_the_same_bytes(make_pdf, tmp_path: Path) -> None:
    article = make_pdf("article", IMRAD)
    for name in ("a", "b"):
        main(["fulltext", "read", str(article), "--output", str(tmp_path / name)])
    for table in ("documents.csv", "sentences.csv", "offsets.csv"):
        assert (tmp_path / "a" / table).read_bytes() == (tmp_path / "b" / table).read_bytes()


def test_formula_cells_are_quoted(tmp_path: Path) -> None:
    jats = tmp_path / "f.jats.xml"
    jats.write_bytes(
        b"<article><body><sec><title>=HYPERLINK(1)</title><p>=1+1 is two.</p>"
        b"</sec></body></article>"
    )
    main(["fulltext", "read", str(jats), "--output", str(tmp_path / "out")])
    rows = _rows(tmp_path / "out" / "sentences.csv")
    assert rows[0]["heading"] == "'=HYPERLINK(1)"
    assert rows[0]["text"].startswith("'=1+1")


def test_two_files_with_one_name_are_refused(tmp_path: Path, capsys) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for folder in ("a", "b"):
        (tmp_path / folder / "same.pdf").write_bytes(b"")
    status = main(
        [
            "fulltext",
            "read",
            str(tmp_path / "a" / "same.pdf"),
            str(tmp_path / "b" / "same.pdf"),
            "--output",
            str(tmp_path / "out"),
        ]
    )
    assert status == 2
    assert "same" in capsys.readouterr().err


def test_missing_file_is_a_row(tmp_path: Path) -> None:
    main(["fulltext", "read", str(tmp_path / "nothere.pdf"), "--output", str(tmp_path / "out")])
    rows = _rows(tmp_path / "out" / "documents.csv")
    assert rows == [
        {"document": "nothere", "pages": "", "status": "corrupt", "message": rows[0]["message"]}
    ]
    assert "cannot read" in rows[0]["message"]


@pytest.mark.parametrize("argv", [["fulltext"], ["fulltext", "read", "x.pdf"]])
def test_usage_errors(argv: list[str]) -> None:
    with pytest.raises(SystemExit):
        main(argv)
