"""Files under config/fulltext/: matched by identifiers in the name, inside JATS, or by title
and first author (confirmed by a person); every file that cannot be placed is listed."""

from __future__ import annotations

import csv
from dataclasses import dataclass

import pytest
from openpyxl import load_workbook
from support.fulltext_api import CHALLENGE_HTML, jats_article, make_pdf

from realist_review.errors import InputError
from realist_review.retrieval.local import name_identifiers
from realist_review.tables import sha256_bytes

from .conftest import Review, read_csv, record_row, settings_for

TITLE_A = "Trauma-informed supervision for residential child care staff: a realist evaluation"
TITLE_B = "Organisational culture and trauma-aware practice in English children's homes"
TITLE_C = "Ofsted judgements and trauma-informed care in children's homes"

RECORDS = [
    record_row(
        "rec-aaaaaaaaaaa1",
        title=TITLE_A,
        authors="Galbraith, Ann; Okoro, Ben",
        doi="10.1186/s12913-020-0001-x",
        pmid="31234567",
        year="2020",
    ),
    record_row(
        "rec-aaaaaaaaaaa2",
        title=TITLE_B,
        authors="Penhaligon, Rose",
        doi="10.5555/cysr.2020.2057",
        pmcid="PMC7654321",
        year="2021",
    ),
    record_row("rec-aaaaaaaaaaa3", title=TITLE_C, authors="Mbeki, Tom", year="2019"),
    record_row(
        "rec-aaaaaaaaaaa4",
        title="Foster carers and schools",
        authors="Hale, Jo",
        doi="10.5555/excluded.1",
        pmid="39999999",
    ),
]
STATUS = {
    "rec-aaaaaaaaaaa1": "included",
    "rec-aaaaaaaaaaa2": "maybe",
    "rec-aaaaaaaaaaa3": "included",
    "rec-aaaaaaaaaaa4": "excluded",
}
PDF_PLAIN = make_pdf(["A report without a title we know"])


def _pdf(title: str, author: str) -> bytes:
    return make_pdf(["Journal of Residential Care 12 (2020) 1-14", title, f"{author} and others"])


@dataclass(frozen=True)
class Case:
    id: str
    note: str
    name: str
    data: bytes
    record: str = ""  # retrieved for this record
    problem: str = ""  # or a row in needs_attention.csv with this problem


CASES = [
    Case(
        "record-id",
        "the record id anywhere in the name",
        "Galbraith rec-aaaaaaaaaaa1.pdf",
        PDF_PLAIN,
        record="rec-aaaaaaaaaaa1",
    ),
    Case(
        "pmid-prefixed",
        "PMID with a prefix and words after it",
        "PMID_31234567 Galbraith.pdf",
        PDF_PLAIN,
        record="rec-aaaaaaaaaaa1",
    ),
    Case(
        "pmid-bare",
        "a name that is only digits is a PMID",
        "31234567.pdf",
        PDF_PLAIN,
        record="rec-aaaaaaaaaaa1",
    ),
    Case(
        "doi-underscore",
        "DOI with / written as _",
        "10.1186_s12913-020-0001-x.pdf",
        PDF_PLAIN,
        record="rec-aaaaaaaaaaa1",
    ),
    Case(
        "doi-percent",
        "DOI with / written as %2F, upper case",
        "10.1186%2FS12913-020-0001-X.pdf",
        PDF_PLAIN,
        record="rec-aaaaaaaaaaa1",
    ),
    Case(
        "doi-then-words",
        "DOI followed by author and year",
        "10.5555_cysr.2020.2057 Penhaligon 2021.pdf",
        PDF_PLAIN,
        record="rec-aaaaaaaaaaa2",
    ),
    Case(
        "pmcid",
        "a PMCID in the name of a JATS file",
        "PMC7654321.xml",
        jats_article("PMC7654321"),
        record="rec-aaaaaaaaaaa2",
    ),
    Case(
        "jats-inner-doi",
        "no id in the name: the DOI inside the JATS",
        "article.xml",
        jats_article("PMC1", doi="10.5555/cysr.2020.2057"),
        record="rec-aaaaaaaaaaa2",
    ),
    Case(
        "unknown-id",
        "an identifier that matches no record",
        "10.9999_nothing.here.pdf",
        PDF_PLAIN,
        problem="no_match",
    ),
    Case(
        "two-records",
        "a name with two records' ids",
        "rec-aaaaaaaaaaa1 rec-aaaaaaaaaaa3.pdf",
        PDF_PLAIN,
        problem="several_matches",
    ),
    Case(
        "excluded-record",
        "the id of a record excluded at title/abstract",
        "PMID39999999.pdf",
        PDF_PLAIN,
        problem="not_forwarded",
    ),
    Case(
        "html-as-pdf",
        "a saved challenge page named .pdf",
        "rec-aaaaaaaaaaa3.pdf",
        CHALLENGE_HTML,
        problem="not_a_fulltext",
    ),
    Case(
        "bad-xml",
        "JATS that does not parse",
        "rec-aaaaaaaaaaa3.xml",
        b"<article><body>",
        problem="not_a_fulltext",
    ),
    Case(
        "corrupt-pdf",
        "a PDF header over garbage, no ids in the name",
        "scan.pdf",
        b"%PDF-1.4\n garbage garbage\n%%EOF\n",
        problem="unreadable",
    ),
    Case(
        "no-title-match",
        "no id and no forwarded title on the page",
        "report.pdf",
        PDF_PLAIN,
        problem="no_match",
    ),
    Case(
        "title-match",
        "title and first author on the first page: to confirm, not accepted",
        "download (3).pdf",
        _pdf(TITLE_A, "Ann Galbraith"),
        problem="",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_config_fulltext_file(case: Case, review: Review) -> None:
    review.write(RECORDS, STATUS)
    review.add_file(case.name, case.data)
    review.run(settings_for("http://127.0.0.1:9"), sources=["local"])
    index = read_csv(review.out.index)
    attention = read_csv(review.out.needs_attention)
    retrieved = [r for r in index if r["status"] == "retrieved"]
    if case.record:
        assert [(r["record_id"], r["source"]) for r in retrieved] == [(case.record, "local")]
        assert retrieved[0]["location"] == f"config/fulltext/{case.name}"
        assert (review.root / retrieved[0]["file"]).read_bytes() == case.data
        assert attention == []
    else:
        assert retrieved == []
    if case.problem:
        [row] = attention
        assert (row["file"], row["problem"]) == (f"config/fulltext/{case.name}", case.problem)
        assert row["message"]


def test_a_title_match_goes_to_the_confirmation_sheet_and_waits(review: Review) -> None:
    review.write(RECORDS, STATUS)
    data = _pdf(TITLE_A, "Ann Galbraith")
    review.add_file("download (3).pdf", data)
    summary = review.run(settings_for("http://127.0.0.1:9"), sources=["local"])
    assert summary.retrieved == 0 and summary.to_confirm == 1
    [row] = [r for r in read_csv(review.out.index) if r["record_id"] == "rec-aaaaaaaaaaa1"]
    assert row["status"] == "unconfirmed" and "confirm_matches.xlsx" in row["message"]
    sheet = load_workbook(review.out.confirm_sheet).active
    header = [c.value for c in sheet[1]]
    values = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert values["record_id"] == "rec-aaaaaaaaaaa1" and values["sha256"] == sha256_bytes(data)
    assert values["author_found"] == "yes" and float(values["score"]) >= 90
    reasons = {r["record_id"]: r["reason"] for r in read_csv(review.out.not_retrieved)}
    assert "local: unconfirmed" in reasons["rec-aaaaaaaaaaa1"]


def _confirm(review: Review, data: bytes, record_id: str, decision: str, name: str) -> None:
    folder = review.local_dir / "confirmations"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / name).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "sha256", "record_id", "decision", "reviewer"])
        writer.writerow(["x.pdf", sha256_bytes(data), record_id, decision, "reviewer-a"])


def test_a_confirmed_title_match_is_retrieved(review: Review) -> None:
    review.write(RECORDS, STATUS)
    data = _pdf(TITLE_A, "Ann Galbraith")
    review.add_file("download (3).pdf", data)
    _confirm(review, data, "rec-aaaaaaaaaaa1", "yes", "2026-12-01.csv")
    summary = review.run(settings_for("http://127.0.0.1:9"), sources=["local"])
    assert summary.retrieved == 1 and summary.to_confirm == 0
    [row] = [r for r in read_csv(review.out.index) if r["status"] == "retrieved"]
    assert row["record_id"] == "rec-aaaaaaaaaaa1" and "confirmed by reviewer-a" in row["message"]


def test_a_rejected_title_match_needs_attention(review: Review) -> None:
    review.write(RECORDS, STATUS)
    data = _pdf(TITLE_A, "Ann Galbraith")
    review.add_file("download (3).pdf", data)
    _confirm(review, data, "rec-aaaaaaaaaaa1", "no", "2026-12-01.csv")
    review.run(settings_for("http://127.0.0.1:9"), sources=["local"])
    [row] = read_csv(review.out.needs_attention)
    assert row["problem"] == "match_rejected"


def test_a_later_confirmation_sheet_overrides_an_earlier_one(review: Review) -> None:
    review.write(RECORDS, STATUS)
    data = _pdf(TITLE_A, "Ann Galbraith")
    review.add_file("download (3).pdf", data)
    _confirm(review, data, "rec-aaaaaaaaaaa1", "no", "2026-12-01.csv")
    _confirm(review, data, "rec-aaaaaaaaaaa1", "yes", "2026-12-02.csv")
    assert review.run(settings_for("http://127.0.0.1:9"), sources=["local"]).retrieved == 1


def test_an_unknown_decision_names_the_sheet_and_line(review: Review) -> None:
    review.write(RECORDS, STATUS)
    data = _pdf(TITLE_A, "Ann Galbraith")
    review.add_file("download (3).pdf", data)
    _confirm(review, data, "rec-aaaaaaaaaaa1", "perhaps", "bad.csv")
    with pytest.raises(InputError, match=r"bad\.csv: line 2, column 'decision'"):
        review.run(settings_for("http://127.0.0.1:9"), sources=["local"])


def test_a_page_that_fits_two_records_is_not_guessed(review: Review) -> None:
    twin = record_row("rec-aaaaaaaaaaa5", title=TITLE_A, authors="Galbraith, Ann")
    review.write([*RECORDS, twin], {**STATUS, "rec-aaaaaaaaaaa5": "included"})
    review.add_file("paper.pdf", _pdf(TITLE_A, "Ann Galbraith"))
    summary = review.run(settings_for("http://127.0.0.1:9"), sources=["local"])
    [row] = read_csv(review.out.needs_attention)
    assert row["problem"] == "several_matches"
    assert row["record_ids"] == "rec-aaaaaaaaaaa1; rec-aaaaaaaaaaa5"
    assert summary.to_confirm == 2  # both on the sheet, for a person to choose


def test_a_title_without_its_author_is_not_suggested(review: Review) -> None:
    review.write(RECORDS, STATUS)
    near = TITLE_A.replace("realist evaluation", "realist synthesis")
    review.add_file("paper.pdf", _pdf(near, "Somebody Else"))
    review.run(settings_for("http://127.0.0.1:9"), sources=["local"])
    [row] = read_csv(review.out.needs_attention)
    assert row["problem"] == "no_match"


def test_too_large_files_are_listed_not_read(review: Review) -> None:
    review.write(RECORDS, STATUS)
    review.add_file("rec-aaaaaaaaaaa1.pdf", PDF_PLAIN + b"\0" * 3_000_000)
    review.run(settings_for("http://127.0.0.1:9"), sources=["local"], max_file_mb=1)
    [row] = read_csv(review.out.needs_attention)
    assert row["problem"] == "too_large" and "max_file_mb" in row["message"]


def test_readme_hidden_files_and_confirmation_sheets_are_not_full_texts(review: Review) -> None:
    review.write(RECORDS, STATUS)
    review.add_file("README.md", b"Put full texts here.")
    review.add_file(".DS_Store", b"\0\0")
    review.add_file("confirmations/old.csv", b"file,sha256,record_id,decision\n")
    review.run(settings_for("http://127.0.0.1:9"), sources=["local"])
    assert read_csv(review.out.needs_attention) == []


def test_a_web_file_first_then_the_teams_copy_is_also_kept(review: Review) -> None:
    """Local files are always recorded; the first usable file in source order is 'retrieved'."""
    review.write(RECORDS, STATUS)
    review.add_file("rec-aaaaaaaaaaa1.pdf", PDF_PLAIN)
    review.add_file("rec-aaaaaaaaaaa1 copy.pdf", PDF_PLAIN)
    review.run(settings_for("http://127.0.0.1:9"), sources=["local"])
    rows = [r for r in read_csv(review.out.index) if r["record_id"] == "rec-aaaaaaaaaaa1"]
    assert [r["status"] for r in rows] == ["retrieved", "also_retrieved"]
    assert len({r["file"] for r in rows}) == 1  # same bytes: one stored copy


@pytest.mark.parametrize(
    ("name", "key", "expected"),
    [
        pytest.param("10.1000_abc_def.pdf", "doi_key", "10.1000_abc_def", id="doi-with-underscore"),
        pytest.param("pmid-123.pdf", "pmid", "123", id="pmid-dash"),
        pytest.param("REC-ABCDEF012345.PDF", "record_id", "rec-abcdef012345", id="id-upper"),
        pytest.param("pmc12345.xml", "pmcid", "PMC12345", id="pmcid-lower-case"),
    ],
)
def test_name_identifiers(name: str, key: str, expected: str) -> None:
    assert expected in name_identifiers(name)[key]


def test_an_unusable_file_named_for_a_record_is_its_reason(review: Review) -> None:
    review.write(RECORDS, STATUS)
    review.add_file("rec-aaaaaaaaaaa3.pdf", CHALLENGE_HTML)
    review.run(settings_for("http://127.0.0.1:9"), sources=["local"])
    [row] = [r for r in read_csv(review.out.index) if r["record_id"] == "rec-aaaaaaaaaaa3"]
    assert (row["status"], row["location"]) == ("rejected", "config/fulltext/rec-aaaaaaaaaaa3.pdf")
    reasons = {r["record_id"]: r["reason"] for r in read_csv(review.out.not_retrieved)}
    assert (
        "local: rejected (not a PDF or JATS full text: an HTML page" in reasons["rec-aaaaaaaaaaa3"]
    )
    [attention] = read_csv(review.out.needs_attention)
    assert attention["record_ids"] == "rec-aaaaaaaaaaa3"
