"""Europe PMC JATS, Unpaywall and OpenAlex PDFs against a real 127.0.0.1 server, with faults."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from support.fake_api import Reply
from support.fulltext_api import CHALLENGE_HTML, FulltextApi, jats_article, make_pdf

from realist_review.logutil import setup_logging
from realist_review.tables import sha256_file

from .conftest import SECRETS, Review, every_written_text, read_csv, record_row, settings_for

DOI = "10.5555/tic.2020.001"
PDF = make_pdf(["Trauma-informed care in residential homes", "Galbraith A"])


def _one(review: Review, **fields: str) -> None:
    review.write(
        [record_row("rec-000000000001", title="Trauma-informed care", **fields)],
        {"rec-000000000001": "included"},
    )


def _index(review: Review) -> list[dict[str, str]]:
    return read_csv(review.out.index)


def test_europepmc_jats_is_retrieved_stored_and_indexed(
    api: FulltextApi, review: Review, secrets_env: dict[str, str]
) -> None:
    api.jats["PMC1000001"] = jats_article("PMC1000001")
    _one(review, pmcid="PMC1000001", doi=DOI)
    summary = review.run(settings_for(api.url))
    assert summary.retrieved == 1
    [row] = _index(review)
    assert (row["source"], row["status"], row["media_type"]) == ("europepmc", "retrieved", "jats")
    assert row["location"].endswith("/europepmc/PMC1000001/fullTextXML")
    stored = review.root / row["file"]
    assert stored.parent == review.out.files and stored.suffix == ".xml"
    assert sha256_file(stored) == row["sha256"] and int(row["bytes"]) == stored.stat().st_size
    assert api.seen("/unpaywall/") == []  # the first usable file ends the web sources
    assert read_csv(review.out.not_retrieved) == []


def test_metadata_only_jats_with_status_200_is_not_retrieved(
    api: FulltextApi, review: Review, secrets_env: dict[str, str]
) -> None:
    api.metadata_only.add("PMC1000002")
    api.oa[DOI] = ["open.pdf"]
    api.files["open.pdf"] = Reply(200, PDF, "application/pdf")
    _one(review, pmcid="PMC1000002", doi=DOI)
    review.run(settings_for(api.url))
    rows = _index(review)
    assert [(r["source"], r["status"]) for r in rows] == [
        ("europepmc", "not_open"),
        ("unpaywall", "retrieved"),
    ]
    assert "metadata only" in rows[0]["message"] and rows[0]["file"] == ""
    assert rows[1]["media_type"] == "pdf"


def test_europepmc_404_means_no_open_access_text(
    api: FulltextApi, review: Review, secrets_env: dict[str, str]
) -> None:
    _one(review, pmcid="PMC1000003")
    review.run(settings_for(api.url))
    [row] = _index(review)
    assert row["status"] == "not_open" and "HTTP 404" in row["message"]
    [missing] = read_csv(review.out.not_retrieved)
    assert missing["record_id"] == "rec-000000000001" and "europepmc: not_open" in missing["reason"]


def test_429_with_retry_after_is_honoured(
    api: FulltextApi, review: Review, secrets_env: dict[str, str]
) -> None:
    api.jats["PMC1000004"] = jats_article("PMC1000004")
    api.fail("/fullTextXML", status=429, retry_after="1")
    _one(review, pmcid="PMC1000004")
    review.run(settings_for(api.url))
    first, second = api.seen("/fullTextXML")
    assert (first.status, second.status) == (429, 200)
    assert second.at - first.at >= 0.9
    assert _index(review)[0]["status"] == "retrieved"


@pytest.mark.parametrize(
    ("kind", "options"),
    [
        pytest.param("status", {"status": 503}, id="5xx"),
        pytest.param("delay", {"delay": 1.0}, id="timeout"),
        pytest.param("cut_length", {}, id="cut-below-content-length"),
        pytest.param("cut_body", {}, id="cut-body-matching-length"),
        pytest.param("close", {}, id="connection-closed"),
    ],
)
def test_faults_on_the_pdf_download_are_retried(
    api: FulltextApi, review: Review, secrets_env: dict[str, str], kind: str, options: dict
) -> None:
    api.oa[DOI] = ["paper.pdf"]
    api.files["paper.pdf"] = Reply(200, PDF, "application/pdf")
    api.fail("/files/paper.pdf", kind, **options)
    _one(review, doi=DOI)
    review.run(settings_for(api.url))
    assert len(api.seen("/files/paper.pdf")) == 2
    [row] = _index(review)
    assert (row["source"], row["status"]) == ("unpaywall", "retrieved")
    assert (review.root / row["file"]).read_bytes() == PDF


def test_cut_off_jats_is_fetched_again(
    api: FulltextApi, review: Review, secrets_env: dict[str, str]
) -> None:
    api.jats["PMC1000005"] = jats_article("PMC1000005")
    api.fail("/fullTextXML", "cut_body")
    _one(review, pmcid="PMC1000005")
    review.run(settings_for(api.url))
    assert len(api.seen("/fullTextXML")) == 2
    assert _index(review)[0]["status"] == "retrieved"


def test_a_source_that_keeps_failing_is_listed_and_asked_again_next_run(
    api: FulltextApi, review: Review, secrets_env: dict[str, str]
) -> None:
    api.jats["PMC1000006"] = jats_article("PMC1000006")
    api.fail("/fullTextXML", status=500, times=None)
    _one(review, pmcid="PMC1000006")
    summary = review.run(settings_for(api.url))
    assert summary.retrieved == 0
    [row] = _index(review)
    assert row["status"] == "failed" and "HTTP 500" in row["message"]
    assert "europepmc: failed" in read_csv(review.out.not_retrieved)[0]["reason"]
    api.clear_faults()
    assert review.run(settings_for(api.url)).retrieved == 1  # a failure is not a final answer


def test_html_challenge_served_as_pdf_is_rejected_and_the_next_location_tried(
    api: FulltextApi, review: Review, secrets_env: dict[str, str]
) -> None:
    api.oa[DOI] = ["challenge.pdf", "repository.pdf"]
    api.files["challenge.pdf"] = Reply(200, CHALLENGE_HTML, "application/pdf")
    api.files["repository.pdf"] = Reply(200, PDF, "application/pdf")
    _one(review, doi=DOI)
    review.run(settings_for(api.url))
    rows = _index(review)
    assert [(r["status"], r["location"].rsplit("/", 1)[-1]) for r in rows] == [
        ("rejected", "challenge.pdf"),
        ("retrieved", "repository.pdf"),
    ]
    assert "HTML page" in rows[0]["message"] and "Just a moment" in rows[0]["message"]
    assert rows[0]["sha256"] == "" and rows[0]["file"] == ""
    assert len(list(review.out.files.iterdir())) == 1


def test_403_is_refused_and_a_url_is_not_downloaded_twice(
    api: FulltextApi, review: Review, secrets_env: dict[str, str]
) -> None:
    api.oa[DOI] = ["paywalled.pdf"]
    api.files["paywalled.pdf"] = Reply(403, b"<html>Access denied</html>", "text/html")
    _one(review, doi=DOI)
    review.run(settings_for(api.url))
    rows = _index(review)
    assert [(r["source"], r["status"]) for r in rows] == [
        ("unpaywall", "refused"),
        ("openalex", "not_open"),  # its only PDF link was the same URL
    ]
    assert "403" in rows[0]["message"]
    assert len(api.seen("/files/paywalled.pdf")) == 1
    [missing] = read_csv(review.out.not_retrieved)
    assert "refused" in missing["reason"]


def test_closed_doi_is_not_open_at_both_sources(
    api: FulltextApi, review: Review, secrets_env: dict[str, str]
) -> None:
    api.closed.add(DOI)
    _one(review, doi=DOI)
    review.run(settings_for(api.url))
    assert [r["status"] for r in _index(review)] == ["not_open", "not_open"]


def test_unpaywall_without_an_email_is_skipped_and_openalex_still_asked(
    api: FulltextApi, review: Review, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RR_TEST_EMAIL", raising=False)
    api.oa[DOI] = ["paper.pdf"]
    api.files["paper.pdf"] = Reply(200, PDF, "application/pdf")
    _one(review, doi=DOI)
    review.run(settings_for(api.url))
    rows = _index(review)
    assert [(r["source"], r["status"]) for r in rows] == [
        ("unpaywall", "skipped"),
        ("openalex", "retrieved"),
    ]
    assert "RR_TEST_EMAIL" in rows[0]["message"]
    assert api.seen("/unpaywall/") == []


def test_no_email_or_key_in_any_written_file_or_log(
    api: FulltextApi, review: Review, secrets_env: dict[str, str]
) -> None:
    api.jats["PMC1000007"] = jats_article("PMC1000007")
    api.oa[DOI] = ["challenge.pdf", "paper.pdf"]
    api.files["challenge.pdf"] = Reply(200, CHALLENGE_HTML, "application/pdf")
    api.files["paper.pdf"] = Reply(200, PDF, "application/pdf")
    api.fail("/unpaywall/", status=500)
    api.fail("/openalex/", status=400)
    review.write(
        [
            record_row("rec-000000000001", pmcid="PMC1000007"),
            record_row("rec-000000000002", doi=DOI),
            record_row("rec-000000000003", doi="10.5555/unknown.1"),
        ],
        {f"rec-00000000000{i}": "included" for i in (1, 2, 3)},
    )
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    log_file = review.root / "results" / "logs" / "retrieve_fulltexts.log"
    try:
        setup_logging(log_file, verbose=True)  # as the rule's script does, at DEBUG
        review.run(settings_for(api.url))
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
            handler.close()
        for handler in saved[0]:
            root.addHandler(handler)
        root.setLevel(saved[1])
    # the secrets were sent ...
    assert api.seen("/unpaywall/")[0].params["email"] == SECRETS["RR_TEST_EMAIL"]
    assert api.seen("/openalex/")[0].params["api_key"] == SECRETS["RR_TEST_OPENALEX_KEY"]
    # ... and never written: not in the archive, the tables, the sheets or the log
    written = every_written_text(review.root)
    assert "unpaywall: GET" in log_file.read_text() and "HTTP 400" in written
    for secret in [*SECRETS.values(), "reviewer.secret%40example.org"]:
        assert secret not in written


def test_a_second_live_run_replays_the_archive_and_writes_the_same_bytes(
    api: FulltextApi, review: Review, secrets_env: dict[str, str]
) -> None:
    api.jats["PMC1000008"] = jats_article("PMC1000008")
    api.oa[DOI] = ["challenge.pdf", "paper.pdf"]
    api.files["challenge.pdf"] = Reply(200, CHALLENGE_HTML, "application/pdf")
    api.files["paper.pdf"] = Reply(200, PDF, "application/pdf")
    review.write(
        [
            record_row("rec-000000000001", pmcid="PMC1000008"),
            record_row("rec-000000000002", doi=DOI),
        ],
        {"rec-000000000001": "included", "rec-000000000002": "maybe"},
    )
    first = review.run(settings_for(api.url))
    outputs = review.out
    tables = [
        outputs.index,
        outputs.not_retrieved,
        outputs.needs_attention,
        outputs.request_sheet,
        outputs.confirm_sheet,
        outputs.request_ris,
    ]
    before = {p: p.read_bytes() for p in tables}
    sent = len(api.requests)
    second = review.run(settings_for(api.url))
    raw = review.root / "results" / "fulltext" / "raw"
    assert {p.suffix for p in raw.rglob("response-*")} == {".xml", ".json", ".html", ".pdf"}
    assert first.requests_sent == sent and second.requests_sent == 0
    assert len(api.requests) == sent
    assert {p: p.read_bytes() for p in tables} == before


def test_snapshot_mode_replays_saved_answers_and_sends_nothing(
    api: FulltextApi, review: Review, tmp_path: Path, secrets_env: dict[str, str]
) -> None:
    api.jats["PMC1000009"] = jats_article("PMC1000009")
    api.oa[DOI] = ["paper.pdf"]
    api.files["paper.pdf"] = Reply(200, PDF, "application/pdf")
    records = [
        record_row("rec-000000000001", pmcid="PMC1000009"),
        record_row("rec-000000000002", doi=DOI),
    ]
    status = {"rec-000000000001": "included", "rec-000000000002": "included"}
    review.write(records, status)
    review.run(settings_for(api.url))
    snapshot = tmp_path / "snapshot"
    shutil.copytree(review.root / "results" / "fulltext" / "raw", snapshot)
    shutil.rmtree(snapshot / "europepmc" / "rec-000000000001")  # this one was never saved
    replay = Review(tmp_path / "replay")
    replay.root.mkdir()
    replay.write(records, status)
    sent = len(api.requests)
    summary = replay.run(settings_for(api.url), mode="snapshot", snapshot_dir=str(snapshot))
    assert len(api.requests) == sent and summary.requests_sent == 0
    rows = _index(replay)
    assert [(r["record_id"][-1], r["source"], r["status"]) for r in rows] == [
        ("1", "europepmc", "no_snapshot"),
        ("2", "unpaywall", "retrieved"),
    ]
    assert rows[1]["sha256"] == _index(review)[1]["sha256"]


def test_a_changed_saved_response_stops_with_the_file_named(
    api: FulltextApi, review: Review, tmp_path: Path, secrets_env: dict[str, str]
) -> None:
    from realist_review.errors import InputError

    api.jats["PMC1000010"] = jats_article("PMC1000010")
    _one(review, pmcid="PMC1000010")
    review.run(settings_for(api.url))
    [saved] = (review.root / "results" / "fulltext" / "raw" / "europepmc").rglob("response-*")
    saved.write_bytes(saved.read_bytes() + b" ")
    with pytest.raises(InputError, match=r"response-0001\.xml.*changed"):
        review.run(settings_for(api.url))


def test_a_download_over_the_size_limit_is_not_kept(
    api: FulltextApi, review: Review, secrets_env: dict[str, str]
) -> None:
    big = make_pdf(["x"]).replace(b"%%EOF", b"%" + b"0" * 1_200_000 + b"\n%%EOF")
    api.oa[DOI] = ["big.pdf"]
    api.files["big.pdf"] = Reply(200, big, "application/pdf")
    _one(review, doi=DOI)
    review.run(settings_for(api.url), max_file_mb=1)
    rows = _index(review)
    assert rows[0]["status"] == "rejected" and "max_file_mb" in rows[0]["message"]
    assert list(review.out.files.iterdir()) == []


def test_complete_but_invalid_jats_is_rejected_without_retrying(
    api: FulltextApi, review: Review, secrets_env: dict[str, str]
) -> None:
    api.jats["PMC1000011"] = b"<article><body><p>never closed</body></article>"
    _one(review, pmcid="PMC1000011")
    review.run(settings_for(api.url))
    [row] = _index(review)
    assert row["status"] == "rejected" and "does not parse" in row["message"]
    assert len(api.seen("/fullTextXML")) == 1


@pytest.mark.parametrize(
    ("route", "kind", "options"),
    [
        pytest.param("/fullTextXML", "status", {"status": 503, "retry_after": "0"}, id="epmc-503"),
        pytest.param("/fullTextXML", "close", {}, id="epmc-closed"),
        pytest.param("/unpaywall/", "status", {"status": 429, "retry_after": "0"}, id="upw-429"),
        pytest.param("/unpaywall/", "cut_body", {}, id="upw-cut-json"),
        pytest.param("/openalex/", "status", {"status": 502}, id="oa-502"),
        pytest.param("/openalex/", "delay", {"delay": 1.0}, id="oa-timeout"),
        pytest.param("/files/", "status", {"status": 429, "retry_after": "0"}, id="file-429"),
    ],
)
def test_every_client_retries_its_faults(
    api: FulltextApi,
    review: Review,
    secrets_env: dict[str, str],
    route: str,
    kind: str,
    options: dict,
) -> None:
    """Europe PMC fails at first (metadata only after the fault), then Unpaywall and OpenAlex."""
    api.metadata_only.add("PMC1000012")
    api.oa[DOI] = ["paper.pdf"]
    api.files["paper.pdf"] = Reply(200, PDF, "application/pdf")
    sources = ["europepmc", "openalex"] if route == "/openalex/" else None
    _one(review, pmcid="PMC1000012", doi=DOI)
    api.fail(route, kind, **options)
    review.run(settings_for(api.url), **({"sources": sources} if sources else {}))
    assert len(api.seen(route)) == 2, [r.path for r in api.requests]
    rows = _index(review)
    assert [r["status"] for r in rows][-1] == "retrieved", rows
    assert "failed" not in {r["status"] for r in rows}


def test_zotero_refuses_a_wrong_key(
    api: FulltextApi, review: Review, monkeypatch: pytest.MonkeyPatch
) -> None:
    from realist_review.clients import zotero_files
    from realist_review.retrieval.archive import Archive
    from realist_review.retrieval.fetch import Fetcher

    monkeypatch.setenv("RR_TEST_ZOTERO_KEY", "not-the-key")
    api.zotero_files["ATTACH01"] = PDF
    settings = settings_for(api.url)
    request = zotero_files.file_request(
        settings, library_type="group", library_id="1", key="ATTACH01"
    )
    import requests

    fetcher = Fetcher(
        archive=Archive(review.root / "raw"),
        mode="live",
        settings=settings,
        session=requests.Session(),
    )
    answer = fetcher.fetch(request, record_id="rec-000000000001")
    assert answer.status == 403 and "not-the-key" not in answer.request + answer.message
