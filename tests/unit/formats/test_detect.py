"""The front door: format detection, format names, and files that cannot be read at all."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from realist_review.errors import InputError
from realist_review.formats import (
    CLI_ENCODING_HINT,
    ExportFormat,
    detect_format,
    load_export,
    normalize_format,
    parse_text,
    read_export,
)

# fmt: off
DETECT_CASES = [
    ("ris/endnote.ris", "ris", "RIS with a leading blank line"),
    ("ris/ebsco.ris", "ris", "CRLF RIS"),
    ("ris/edge_cases.ris", "ris", "BOM and preamble before TY"),
    ("medline/pubmed.nbib", "nbib", "PMID- lines"),
    ("medline/eric.nbib", "nbib", "OWN - ERIC"),
    ("csv/scopus.csv", "csv", "comma CSV"),
    ("csv/wos_savedrecs.txt", "csv", "tab-delimited WoS named .txt"),
    ("bibtex/library.bib", "bibtex", "comments before the first @entry"),
    ("endnote_xml/library.xml", "endnote_xml", "XML declaration"),
    ("wos/savedrecs.txt", "wos", "FN/VR header"),
    ("refer/library.enw", "refer", "%0/%T lines"),
]
# fmt: on


@pytest.mark.parametrize(
    ("relative", "expected"), [pytest.param(f, e, id=f) for f, e, _ in DETECT_CASES]
)
def test_detect_format_of_fixtures(formats_data: Path, relative: str, expected: str) -> None:
    path = formats_data / relative
    assert detect_format(path, path.read_text(encoding="utf-8-sig")) == expected


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        pytest.param(
            "x.ris", "FN Clarivate\nVR 1.0\nPT J\nTI A\nER\nEF\n", "wos", id="wos-saved-as-ris"
        ),
        pytest.param("x.txt", "TY  - JOUR\nTI  - A\nER  - \n", "ris", id="ris-saved-as-txt"),
        pytest.param("x.csv", "PMID- 1\nTI  - A\n", "nbib", id="medline-saved-as-csv"),
        pytest.param("x.dat", "title,year\nA,2020\n", "csv", id="csv-by-content"),
        pytest.param("x.bib", "no entries here", "bibtex", id="extension-when-content-silent"),
    ],
)
def test_content_wins_over_extension(name: str, text: str, expected: str) -> None:
    assert detect_format(Path(name), text) == expected


def test_undetectable_format_explains_what_to_do() -> None:
    with pytest.raises(InputError, match=r"x\.dat: cannot tell the export format.*--format"):
        detect_format(Path("x.dat"), "just words")


@pytest.mark.parametrize(
    ("name", "expected"),
    [("RIS", ExportFormat.RIS), ("medline", ExportFormat.NBIB), (".bib", ExportFormat.BIBTEX),
     ("xml", ExportFormat.ENDNOTE_XML), ("tsv", ExportFormat.CSV), ("ciw", ExportFormat.WOS)],
)  # fmt: skip
def test_format_names_and_aliases(name: str, expected: ExportFormat) -> None:
    assert normalize_format(name) is expected


def test_unknown_format_lists_the_choices() -> None:
    with pytest.raises(InputError, match=r"f\.txt: unknown export format 'word'.*ris, nbib, csv"):
        normalize_format("word", where="f.txt")


def test_given_format_is_used(tmp_path: Path) -> None:
    path = tmp_path / "export.dat"
    path.write_text("TY  - JOUR\nTI  - Given format\nER  - \n", encoding="utf-8")
    parsed = load_export(path, search_id="s", fmt="ris")
    assert parsed.format is ExportFormat.RIS
    assert parsed.records[0].title == "Given format"


# --------------------------------------------------------------------------------------------
# Files that cannot be read
# --------------------------------------------------------------------------------------------
def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        read_export(tmp_path / "nope.ris", search_id="s")


@pytest.mark.parametrize("content", [b"", b"\n\n  \r\n", b"\xef\xbb\xbf\n"], ids=["0", "ws", "bom"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.ris"
    path.write_bytes(content)
    with pytest.raises(InputError, match=r"empty\.ris: the file is empty"):
        read_export(path, search_id="s")


def test_giant_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "giant.ris"
    path.write_bytes(b"TY  - JOUR\nTI  - x\nER  - \n" * 100)
    with pytest.raises(InputError, match=r"giant\.ris: 2,600 bytes is larger than the limit"):
        read_export(path, search_id="s", max_bytes=1000)


def test_wrong_encoding_names_line_and_fix(tmp_path: Path) -> None:
    path = tmp_path / "latin.ris"
    path.write_bytes(
        "TY  - JOUR\nTI  - Caf\u00e9 culture in children's homes\nER  - \n".encode("cp1252")
    )
    with pytest.raises(InputError) as info:
        read_export(path, search_id="s")
    message = str(info.value)
    assert "latin.ris: line 2" in message
    assert "is not valid UTF-8 text" in message
    assert "encoding: cp1252" in message  # the pipeline reads exports named in the config
    assert "utf-8-sig" not in message
    records = read_export(path, search_id="s", encoding="cp1252")
    assert records[0].title == "Café culture in children's homes"


def test_encoding_message_from_the_command_line_names_the_option(tmp_path: Path) -> None:
    path = tmp_path / "latin.ris"
    path.write_bytes("TY  - JOUR\nTI  - Caf\u00e9\nER  - \n".encode("cp1252"))
    with pytest.raises(InputError) as info:
        load_export(path, search_id="s", encoding_hint=CLI_ENCODING_HINT)
    message = str(info.value)
    assert "--encoding cp1252" in message
    assert "config" not in message and "utf-8-sig" not in message


def test_unknown_encoding_names_the_option(tmp_path: Path) -> None:
    path = tmp_path / "a.ris"
    path.write_bytes(b"TY  - JOUR\nTI  - x\nER  - \n")
    with pytest.raises(InputError, match=r"a\.ris: unknown encoding 'klingon'.*--encoding"):
        load_export(path, search_id="s", encoding="klingon", encoding_hint=CLI_ENCODING_HINT)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-16-le"])
def test_utf16_files_are_read(tmp_path: Path, encoding: str) -> None:
    # "utf-16" writes a byte-order mark; the -le/-be forms have none and are told by their
    # zero bytes. They were refused with advice to use cp1252.
    path = tmp_path / "wide.ris"
    path.write_bytes("TY  - JOUR\nTI  - Ærø café\nER  - \n".encode(encoding))
    assert read_export(path, search_id="s")[0].title == "Ærø café"


def test_utf16_with_bom_wins_over_a_wrong_given_encoding(tmp_path: Path) -> None:
    path = tmp_path / "wide.ris"
    path.write_bytes("TY  - JOUR\nTI  - Ærø\nER  - \n".encode("utf-16"))
    assert read_export(path, search_id="s", encoding="cp1252")[0].title == "Ærø"


def test_bom_after_leading_space_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "space.ris"
    path.write_bytes(b" \n\xef\xbb\xbfTY  - JOUR\nTI  - x\nER  - \n")
    records = read_export(path, search_id="s")
    assert records[0].title == "x"
    assert records[0].publication_type == ("Journal Article",)


def test_xml_encoding_declaration_is_honoured(tmp_path: Path) -> None:
    path = tmp_path / "library.xml"
    body = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n<xml><records><record>'
        "<rec-number>1</rec-number><titles><title>Caf\u00e9 \u00e0 Paris</title></titles>"
        "</record></records></xml>\n"
    )
    path.write_bytes(body.encode("latin-1"))
    assert read_export(path, search_id="s")[0].title == "Café à Paris"


def test_binary_file_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "data.ris"
    path.write_bytes(b"TY\x00\x00\x01\x02\x03 binary \x00\x00\xff\x00" * 20)
    with pytest.raises(InputError, match=r"data\.ris: contains NUL bytes; it looks like a binary"):
        read_export(path, search_id="s")


@pytest.mark.parametrize(
    "page",
    [
        "<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>x</body></html>",
        "\n  <html lang='en'><body>Your session has expired</body></html>",
        '<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
    ],
    ids=["doctype", "html", "xhtml"],
)
@pytest.mark.parametrize("fmt", [None, "ris"])
def test_html_page_saved_as_an_export_is_called_an_html_page(
    tmp_path: Path, page: str, fmt: str | None
) -> None:
    path = tmp_path / "savedrecs.ris"
    path.write_text(page, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_export(path, search_id="s", fmt=fmt)
    message = str(info.value)
    assert message.startswith(f"{path}: this is an HTML page (a web page), not an export")
    assert "EndNote" not in message


def test_endnote_library_file_is_not_an_export(tmp_path: Path) -> None:
    path = tmp_path / "My Library.enl"
    path.write_bytes(b"\x00\x01ENDNOTE\x00" * 50)
    with pytest.raises(InputError, match=r"EndNote library \(a binary database\).*XML or RIS"):
        read_export(path, search_id="s")


def test_column_map_on_a_non_csv_file_is_ignored_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        records = parse_text(
            "TY  - JOUR\nTI  - A\nER  - \n",
            "ris",
            search_id="s",
            file_name="a.ris",
            column_map={"TI": "title"},
        )
    assert records[0].title == "A"
    assert "column map is only used for CSV files" in caplog.text
