"""File exports from bibliographic databases and reference managers -> normalised records.

The front door is :func:`read_export`: it reads an untrusted file with the size and encoding
checks of :func:`realist_review.tables.read_text`, tells its format (:func:`detect_format`)
unless given, and parses it (:func:`parse_text`) with the module for that format:

=============== ============================================== ===========================
format          what                                           module
=============== ============================================== ===========================
``ris``         RIS from EndNote, Zotero, Ovid, EBSCO, EPPI,   :mod:`.ris`
                Scopus, ProQuest, IEEE, ...
``nbib``        PubMed/MEDLINE text (``.nbib``, ERIC too)      :mod:`.medline`
``csv``         CSV/TSV: Scopus, WoS, Embase, PubMed, IEEE,    :mod:`.csv`
                Springer, ASReview, benchmark tables, generic
``bibtex``      BibTeX                                         :mod:`.bibtex`
``endnote_xml`` EndNote XML                                    :mod:`.endnote_xml`
``wos``         Web of Science plain text (``FN``/``PT``/``ER``) :mod:`.wos`
``refer``       EndNote tagged text (``%0``/``%T``/``%A``)     :mod:`.refer`
``pubmed_xml``  PubMed XML saved from PubMed                   :mod:`.pubmed_xml`
                (``<PubmedArticleSet>``)
``ovid``        Ovid text exports (``<1. >`` records, tagged   :mod:`.ovid`
                ``TI  - `` or labelled ``Title``)
=============== ============================================== ===========================

Decoding: UTF-8 (with or without a byte-order mark, also after leading white space), UTF-16
with its byte-order mark, an XML file's own ``encoding=`` declaration, or the encoding the
user gives (``--encoding`` on the command line, ``encoding:`` on the search in the config).
A web page saved in place of an export (an HTML page named ``.ris``) is refused as such.

Every record is built with :func:`realist_review.records.make_record`; ``source`` is the
format kind and ``source_id`` the export's own id for the record, else ``<file name>#<n>``
(see each module). Ids that repeat within a file get ``#2``, ``#3``... and a warning; no
record is ever dropped, and records without a title are kept and counted in a warning.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from realist_review.errors import InputError
from realist_review.records import Record
from realist_review.tables import MAX_INPUT_BYTES, read_bytes

log = logging.getLogger(__name__)


class ExportFormat(StrEnum):
    """The export formats :func:`read_export` understands."""

    RIS = "ris"
    NBIB = "nbib"
    CSV = "csv"
    BIBTEX = "bibtex"
    ENDNOTE_XML = "endnote_xml"
    WOS = "wos"
    REFER = "refer"
    PUBMED_XML = "pubmed_xml"
    OVID = "ovid"


#: Other names people use for a format (``--format`` / ``format:`` in the config).
FORMAT_ALIASES: dict[str, ExportFormat] = {
    "medline": ExportFormat.NBIB,
    "pubmed": ExportFormat.NBIB,
    "bib": ExportFormat.BIBTEX,
    "xml": ExportFormat.ENDNOTE_XML,
    "endnote": ExportFormat.ENDNOTE_XML,
    "tsv": ExportFormat.CSV,
    "ciw": ExportFormat.WOS,
    "enw": ExportFormat.REFER,
    "enl": ExportFormat.REFER,
    "pubmed-xml": ExportFormat.PUBMED_XML,
    "medline-xml": ExportFormat.PUBMED_XML,
}
_EXTENSIONS: dict[str, ExportFormat] = {
    ".ris": ExportFormat.RIS,
    ".nbib": ExportFormat.NBIB,
    ".medline": ExportFormat.NBIB,
    ".bib": ExportFormat.BIBTEX,
    ".bibtex": ExportFormat.BIBTEX,
    ".xml": ExportFormat.ENDNOTE_XML,
    ".ciw": ExportFormat.WOS,
    ".csv": ExportFormat.CSV,
    ".tsv": ExportFormat.CSV,
    ".tab": ExportFormat.CSV,
    ".enw": ExportFormat.REFER,
    ".enl": ExportFormat.REFER,
}
_SNIFF_CHARS = 200_000
_RIS_RE = re.compile(r"^TY {1,2}- ?", re.MULTILINE)
_NBIB_RE = re.compile(
    r"^(?:PMID- ?\d|OWN - |STAT- |FAU - |PMC - ?(?:PMC)?\d|PMCR- ?\d)", re.MULTILINE
)
_WOS_RE = re.compile(r"^(?:FN |VR \d|PT [A-Z]\s*$)", re.MULTILINE)
_WOS_END_RE = re.compile(r"^ER\s*$", re.MULTILINE)
_BIBTEX_RE = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)
_REFER_RE = re.compile(r"^%[0A-Z@] \S", re.MULTILINE)
_HTML_RE = re.compile(
    r"^(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_PUBMED_XML_RE = re.compile(r"<(?:!DOCTYPE\s+)?PubmedArticleSet\b")
_XML_ENCODING_RE = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]{1,40})[\"']")
#: How a person gives an export's encoding: on the command line, or in the config.
CLI_ENCODING_HINT = "--encoding (for example --encoding cp1252)"
CONFIG_ENCODING_HINT = (
    "`encoding:` on this search in config/config.yaml (for example `encoding: cp1252`)"
)


def normalize_format(fmt: str, *, where: str = "") -> ExportFormat:
    """The :class:`ExportFormat` for a name or alias, or an InputError listing the choices."""
    key = fmt.strip().lower().lstrip(".")
    if key in FORMAT_ALIASES:
        return FORMAT_ALIASES[key]
    try:
        return ExportFormat(key)
    except ValueError:
        choices = ", ".join(f.value for f in ExportFormat)
        raise InputError(
            f"{where + ': ' if where else ''}unknown export format {fmt!r}. Formats: {choices}."
        ) from None


def detect_format(path: Path | str, text: str) -> str:
    """Tell an export's format from its content, then its extension.

    Content wins, because names lie (a Web of Science export saved as ``.ris``, a RIS file
    as ``.txt``). Raises :class:`InputError` when neither tells.
    """
    path = Path(path)
    head = text[:_SNIFF_CHARS].lstrip("\ufeff \t\r\n")
    first_line = head.split("\n", 1)[0]
    refuse_html(path, head)
    from realist_review.formats.ovid import looks_like_ovid

    if looks_like_ovid(head):
        return ExportFormat.OVID.value
    if head.startswith("<"):
        if _PUBMED_XML_RE.search(head[:5000]):
            return ExportFormat.PUBMED_XML.value
        return ExportFormat.ENDNOTE_XML.value
    if first_line.count("\t") >= 2:
        return ExportFormat.CSV.value
    if _WOS_RE.search(head) and _WOS_END_RE.search(head) and not _RIS_RE.search(head):
        return ExportFormat.WOS.value
    if _RIS_RE.search(head):
        return ExportFormat.RIS.value
    if _NBIB_RE.search(head):
        return ExportFormat.NBIB.value
    if _BIBTEX_RE.search(head):
        return ExportFormat.BIBTEX.value
    if len(_REFER_RE.findall(head[:20_000])) >= 2:
        return ExportFormat.REFER.value
    by_extension = _EXTENSIONS.get(path.suffix.lower())
    if by_extension is not None:
        return by_extension.value
    if first_line.count(",") >= 1 or first_line.count(";") >= 1:
        return ExportFormat.CSV.value
    choices = ", ".join(f.value for f in ExportFormat)
    raise InputError(
        f"{path}: cannot tell the export format from the content or the name "
        f"(first line: {first_line[:60]!r}). Give it with --format or `format:` on this "
        f"search in config/config.yaml ({choices})."
    )


def refuse_html(path: Path | str, text: str) -> None:
    """Refuse a web page saved in place of an export, saying what it is."""
    if _HTML_RE.match(text[:5000].lstrip("\ufeff \t\r\n")):
        raise InputError(
            f"{path}: this is an HTML page (a web page), not an export file: the database "
            "showed a page (a login, an error or the results list) and it was saved instead "
            "of the export. Export the records again from the database's export or download "
            "button, and import the file it gives."
        )


def parse_text(
    text: str,
    fmt: str,
    *,
    search_id: str,
    file_name: str,
    column_map: Mapping[str, str] | None = None,
) -> list[Record]:
    """Parse export text of a known format into records (see the format modules)."""
    kind = normalize_format(fmt, where=file_name)
    if not text.strip():
        raise InputError(f"{file_name}: the file is empty. Export the records again.")
    if column_map and kind is not ExportFormat.CSV:
        log.warning("%s: a column map is only used for CSV files; ignored for %s", file_name, kind)
    if kind is ExportFormat.RIS:
        from realist_review.formats import ris

        return ris.parse(text, search_id=search_id, file_name=file_name)
    if kind is ExportFormat.NBIB:
        from realist_review.formats import medline

        return medline.parse(text, search_id=search_id, file_name=file_name)
    if kind is ExportFormat.CSV:
        from realist_review.formats import csv

        return csv.parse(text, search_id=search_id, file_name=file_name, column_map=column_map)
    if kind is ExportFormat.BIBTEX:
        from realist_review.formats import bibtex

        return bibtex.parse(text, search_id=search_id, file_name=file_name)
    if kind is ExportFormat.ENDNOTE_XML:
        from realist_review.formats import endnote_xml

        return endnote_xml.parse(text, search_id=search_id, file_name=file_name)
    if kind is ExportFormat.WOS:
        from realist_review.formats import wos

        return wos.parse(text, search_id=search_id, file_name=file_name)
    if kind is ExportFormat.PUBMED_XML:
        from realist_review.formats import pubmed_xml

        return pubmed_xml.parse(text, search_id=search_id, file_name=file_name)
    if kind is ExportFormat.OVID:
        from realist_review.formats import ovid

        return ovid.parse(text, search_id=search_id, file_name=file_name)
    from realist_review.formats import refer

    return refer.parse(text, search_id=search_id, file_name=file_name)


_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def _sniff_encoding(data: bytes) -> tuple[str, int] | None:
    """(encoding, bytes to skip) told by a byte-order mark, possibly after leading white
    space, or by UTF-16's zero bytes; None when the bytes do not say."""
    start = len(data) - len(data.lstrip(b" \t\r\n"))
    for bom, name in _BOMS:
        if data.startswith(bom, start):
            return name, start + len(bom)
    sample = data[:4096]
    if len(sample) >= 8 and b"\x00" in sample:
        odd, even = sample[1::2].count(0), sample[0::2].count(0)
        if odd > len(sample) // 4 and even == 0:
            return "utf-16-le", 0
        if even > len(sample) // 4 and odd == 0:
            return "utf-16-be", 0
    return None


def decode_export(
    data: bytes,
    *,
    path: Path | str,
    encoding: str | None = None,
    encoding_hint: str = CONFIG_ENCODING_HINT,
) -> str:
    """Decode an export's bytes (see the module docstring for the encodings told apart).

    A given ``encoding`` wins, except over a byte-order mark, which cannot be wrong. Errors
    name the line and byte, and how to give the encoding (``encoding_hint``).
    """
    sniffed = _sniff_encoding(data)
    skip = 0
    if sniffed is not None:
        enc, skip = sniffed
        if encoding and enc == "utf-8" and encoding.lower().replace("_", "-") != "utf-8":
            enc = encoding  # a mark after leading space is UTF-8's; a given one still wins
    elif encoding:
        enc = encoding
    else:
        declared = _XML_ENCODING_RE.match(data[:200].lstrip())
        enc = declared.group(1).decode("ascii") if declared else "utf-8"
    body = data[skip:] if skip else data
    if not enc.lower().replace("_", "-").startswith("utf-16") and b"\x00" in body[:4096]:
        raise InputError(
            f"{path}: contains NUL bytes; it looks like a binary file (a database or a "
            "spreadsheet), not a text export. Export the records again as RIS, CSV or text."
        )
    try:
        text = body.decode(enc)
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{path}: line {line} (byte {exc.start + skip}) is not valid {enc.upper()} text. "
            "Re-save the file as UTF-8, or give its encoding with " + encoding_hint + "; "
            "files from Windows programs are often cp1252."
        ) from None
    except LookupError:
        raise InputError(
            f"{path}: unknown encoding {enc!r}. Give an encoding Python knows with "
            + encoding_hint
            + "."
        ) from None
    if "\x00" in text[:4096]:
        raise InputError(
            f"{path}: contains NUL characters; it looks like a binary file, not a text "
            "export. Export the records again as RIS, CSV or text."
        )
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text_checked(
    path: Path,
    *,
    encoding: str | None = None,
    max_bytes: int = MAX_INPUT_BYTES,
    encoding_hint: str = CONFIG_ENCODING_HINT,
) -> str:
    """Read an untrusted export (size and encoding checked), with a hint for EndNote libraries."""
    data = read_bytes(path, max_bytes=max_bytes)
    if path.suffix.lower() == ".enl" and b"\x00" in data[:4096] and _sniff_encoding(data) is None:
        raise InputError(
            f"{path}: this is an EndNote library (a binary database), not an export. In "
            "EndNote, export the references with File > Export as XML or RIS, and import that."
        )
    return decode_export(data, path=path, encoding=encoding, encoding_hint=encoding_hint)


@dataclass(frozen=True)
class ParsedExport:
    """One export file read: its path, the format used, and its records in file order."""

    path: Path
    format: ExportFormat
    records: list[Record]


def load_export(
    path: Path,
    *,
    search_id: str,
    fmt: str | None = None,
    encoding: str | None = None,
    column_map: Mapping[str, str] | None = None,
    max_bytes: int = MAX_INPUT_BYTES,
    encoding_hint: str = CONFIG_ENCODING_HINT,
) -> ParsedExport:
    """Like :func:`read_export`, also saying which format was used (detected or given).

    ``encoding_hint`` is how the person gives an encoding where they started the import
    (:data:`CLI_ENCODING_HINT` from the command line), named in decoding errors.
    """
    path = Path(path)
    text = read_text_checked(
        path, encoding=encoding, max_bytes=max_bytes, encoding_hint=encoding_hint
    )
    if not text.strip():
        raise InputError(f"{path}: the file is empty. Export the records again.")
    refuse_html(path, text)
    kind = (
        normalize_format(fmt, where=str(path)) if fmt else ExportFormat(detect_format(path, text))
    )
    records = parse_text(
        text, kind, search_id=search_id, file_name=str(path), column_map=column_map
    )
    log.debug("%s: %s, %d records", path, kind, len(records))
    return ParsedExport(path=path, format=kind, records=records)


def read_export(
    path: Path,
    *,
    search_id: str,
    fmt: str | None = None,
    encoding: str | None = None,
    column_map: Mapping[str, str] | None = None,
    max_bytes: int = MAX_INPUT_BYTES,
) -> list[Record]:
    """Read one export file into records, detecting its format unless ``fmt`` is given.

    ``search_id`` keys the record ids (``make_record``); ``encoding`` overrides UTF-8;
    ``column_map`` maps CSV columns to record fields; ``max_bytes`` caps the file size.
    Bad input raises :class:`InputError` naming the file and the line or column.
    """
    return load_export(
        path,
        search_id=search_id,
        fmt=fmt,
        encoding=encoding,
        column_map=column_map,
        max_bytes=max_bytes,
    ).records


__all__ = [
    "CLI_ENCODING_HINT",
    "CONFIG_ENCODING_HINT",
    "ExportFormat",
    "ParsedExport",
    "detect_format",
    "load_export",
    "normalize_format",
    "parse_text",
    "read_export",
    "refuse_html",
]
