"""Reading generated PDFs: columns, headers, hyphenation, headings, captions, bad files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from realist_review.fulltext import Kind, Section, Status, read_document
from realist_review.fulltext.evaluate import letters

from .conftest import HEADER, IMRAD, filler, scanned_only


def _body(doc) -> str:
    return " ".join(p.text for p in doc.paragraphs if p.kind is Kind.BODY)


def test_two_columns_read_in_order_with_sections(make_pdf) -> None:
    doc = read_document(make_pdf("imrad", IMRAD))
    assert doc.status is Status.OK, doc.message
    text = letters(doc.text)
    # every generated paragraph is there, in the order it was written
    positions = [text.find(letters(t)[40:90]) for kind, t in IMRAD if kind == "para"]
    assert -1 not in positions
    assert positions == sorted(positions)
    headings = [h for h in doc.headings]
    assert headings == [
        "Abstract",
        "1. Introduction",
        "2. Methods",
        "3. Results",
        "4. Discussion",
        "5. Conclusions",
        "References",
    ]
    by_section = {p.section for p in doc.paragraphs if p.kind is Kind.BODY}
    assert {Section.ABSTRACT, Section.INTRODUCTION, Section.METHODS} <= by_section
    assert {Section.RESULTS, Section.DISCUSSION, Section.CONCLUSIONS} <= by_section
    first = next(p for p in doc.paragraphs if p.section is Section.DISCUSSION)
    assert first.heading == "4. Discussion"
    assert first.page is not None and first.page >= 1


def test_running_headers_footers_and_page_numbers_removed(make_pdf) -> None:
    blocks = [("heading", "1. Introduction")] + [("para", filler(i, 140)) for i in range(12)]
    doc = read_document(make_pdf("long", blocks))
    assert doc.pages and doc.pages >= 3
    assert "Generated Tests" not in doc.text
    assert not re.search(r"Page \d of", doc.text)


def test_hyphenation_joined_but_real_hyphens_kept(make_pdf) -> None:
    blocks = [("heading", "1. Introduction")] + [
        ("para", "Interventionist " * 3 + "self-report " * 3 + filler(i, 40)) for i in range(14)
    ]
    path = make_pdf("hyphens", blocks)
    doc = read_document(path)
    body = _body(doc)
    assert "Interventionist Interventionist" in body
    assert not re.search(r"Interven\w*-? \w*ionist\b(?<!Interventionist)", body)
    assert body.count("Interventionist") == 42
    assert body.count("self-report") == 42
    assert "selfreport" not in body


def test_captions_kept_apart_from_the_body(make_pdf) -> None:
    doc = read_document(make_pdf("caption", IMRAD))
    captions = [p for p in doc.paragraphs if p.kind is Kind.CAPTION]
    assert any(p.text.startswith("Figure 1.") for p in captions)
    assert "Programme theory of the generated" not in _body(doc)


def test_references_are_entries_apart(make_pdf) -> None:
    doc = read_document(make_pdf("refs", IMRAD))
    refs = [p for p in doc.paragraphs if p.kind is Kind.REFERENCE]
    assert [p.text[:9] for p in refs] == ["1. Pawson", "2. Wong G"]
    assert all(p.section is Section.REFERENCES for p in refs)


def test_three_columns_in_reading_order(make_pdf) -> None:
    blocks = [("heading", "1. Introduction")] + [("para", filler(i, 60)) for i in range(9)]
    doc = read_document(make_pdf("three", blocks, columns=3))
    text = letters(doc.text)
    positions = [text.find(letters(t)[30:80]) for kind, t in blocks if kind == "para"]
    assert -1 not in positions
    assert positions == sorted(positions)


def test_sentences_have_offsets_into_the_document_text(make_pdf) -> None:
    doc = read_document(make_pdf("offsets", IMRAD))
    text = doc.text
    sentences = [s for p in doc.paragraphs for s in p.sentences]
    assert sentences
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text
    intro = next(p for p in doc.paragraphs if p.section is Section.INTRODUCTION)
    assert intro.sentences[0].text.startswith("Smith et al. reported a 2.5-fold rise vs. the")
    assert intro.sentences[0].text.endswith("[3].")


def test_image_only_pdf_is_flagged_scanned(tmp_path: Path) -> None:
    doc = read_document(scanned_only(tmp_path / "scan.pdf"))
    assert doc.status is Status.SCANNED
    assert doc.pages == 2
    assert "no text layer" in doc.message
    assert doc.paragraphs == ()


def test_one_scanned_page_among_text_pages_is_named(make_pdf) -> None:
    blocks = [("heading", "1. Introduction")] + [("para", filler(i, 140)) for i in range(8)]
    doc = read_document(make_pdf("mixed", blocks, scanned_pages=(2,)))
    assert doc.status is Status.OK
    assert "page(s) 2 have no text layer" in doc.message


def test_encrypted_pdf(make_pdf) -> None:
    doc = read_document(make_pdf("locked", IMRAD, encrypt="secret"))
    assert doc.status is Status.ENCRYPTED
    assert "password" in doc.message


@pytest.mark.parametrize(
    ("content", "status"),
    [
        pytest.param(b"", Status.EMPTY, id="zero-bytes"),
        pytest.param(
            b"<!DOCTYPE html><html><body>Checking your browser",
            Status.NOT_PDF,
            id="html-challenge-page",
        ),
        pytest.param(b"PK\x03\x04 a zip file", Status.NOT_PDF, id="zip"),
        pytest.param(b"%PDF-1.7\n1 0 obj << /Type /Catalog", Status.CORRUPT, id="cut-off"),
    ],
)
def test_bad_files_get_a_status_not_an_exception(tmp_path: Path, content: bytes, status) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    doc = read_document(path)
    assert doc.status is status
    assert doc.message
    assert doc.name == "bad"


def test_truncated_download_is_corrupt(make_pdf, tmp_path: Path) -> None:
    data = make_pdf("whole", IMRAD).read_bytes()
    path = tmp_path / "half.pdf"
    path.write_bytes(data[: len(data) // 3])
    doc = read_document(path)
    assert doc.status in {Status.CORRUPT, Status.OK}
    if doc.status is Status.OK:  # pdfium may repair it: then it still reads some text
        assert doc.paragraphs


def test_pdf_without_text_or_images_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.showPage()
    pdf.save()
    doc = read_document(path)
    assert doc.status is Status.EMPTY


def test_header_text_is_the_generated_one() -> None:
    # guards the fixture: the header string the tests look for is what the generator draws
    assert "Generated Tests" in HEADER
