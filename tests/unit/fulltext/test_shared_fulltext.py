"""The development files in ../shared/data/fulltext: edge cases and a few article pairs.

Skipped when ../shared is absent. Thresholds are below the benchmark's figures on purpose:
these tests catch regressions, ``benchmarks/fulltext.py`` reports the figures.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from realist_review.fulltext import Status, read_document
from realist_review.fulltext.evaluate import score
from realist_review.fulltext.xml import read_xml

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def fulltext(shared_data: Path) -> Path:
    path = shared_data / "fulltext"
    if not path.is_dir():
        pytest.skip(f"{path} is absent")
    return path


@pytest.mark.parametrize(
    ("name", "status"),
    [
        pytest.param("enc_user_password_libreoffice", Status.ENCRYPTED, id="rc4-user-password"),
        pytest.param("enc_aes256_r6_pdf20", Status.ENCRYPTED, id="aes256-user-password"),
        pytest.param("scan_huckfinn_c02-22", Status.SCANNED, id="book-scan"),
        pytest.param("scan_epson_wikipedia_printout", Status.SCANNED, id="printer-scan"),
        pytest.param("image_only_hindawi_PMC4745318", Status.SCANNED, id="rasterised-article"),
        pytest.param("empty_zero_bytes", Status.EMPTY, id="zero-bytes"),
        pytest.param("not_pdf_plos_html_page", Status.NOT_PDF, id="html-as-pdf"),
        pytest.param("truncated_half_hindawi_PMC4739205", Status.CORRUPT, id="half-download"),
        pytest.param("owner_password_only_hindawi_PMC4736231", Status.OK, id="owner-password"),
        pytest.param("corrupt_zen_of_python", Status.OK, id="repairable-rotated-text"),
    ],
)
def test_edge_cases(fulltext: Path, name: str, status: Status) -> None:
    doc = read_document(fulltext / "edge" / f"{name}.pdf")
    assert doc.status is status, doc.message
    if status is Status.OK:
        assert doc.paragraphs
    else:
        assert doc.message and not doc.paragraphs


def test_rotated_pages_still_read_in_order(fulltext: Path) -> None:
    stem = "hindawi_PMC4738935"
    xml = (fulltext / "pairs" / f"{stem}.jats.xml").read_bytes()
    rotated = read_document(fulltext / "edge" / f"rotated90_{stem}.pdf")
    result = score(rotated, read_xml(xml, stem), xml)
    assert result.order_errors == 0
    assert result.recovered >= 0.85


@pytest.mark.slow
@pytest.mark.parametrize(
    "pair",
    ["hindawi_PMC4738935.jats.xml", "bmc_trials_16_3.bmc.xml", "mdpi_agronomy6010017.jats.xml"],
)
def test_pairs_against_their_xml(fulltext: Path, pair: str) -> None:
    stem = pair.split(".")[0]
    xml = (fulltext / "pairs" / pair).read_bytes()
    doc = read_document(fulltext / "pairs" / f"{stem}.pdf")
    result = score(doc, read_xml(xml, stem), xml)
    assert result.recovered >= 0.9
    assert result.leaked <= 0.25
    assert result.order_errors == 0
    assert result.heading_f1 >= 0.6
