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
=============== ============================================== ===========================

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
from realist_review.tables import MAX_INPUT_BYTES, decode_text, read_bytes

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
    if head.startswith("<"):
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
    from realist_review.formats import refer

    return refer.parse(text, search_id=search_id, file_name=file_name)


def read_text_checked(
    path: Path, *, encoding: str | None = None, max_bytes: int = MAX_INPUT_BYTES
) -> str:
    """Read an untrusted export (size and encoding checked), with a hint for EndNote libraries."""
    data = read_bytes(path, max_bytes=max_bytes)
    if path.suffix.lower() == ".enl" and b"\x00" in data[:4096]:
        raise InputError(
            f"{path}: this is an EndNote library (a binary database), not an export. In "
            "EndNote, export the references with File > Export as XML or RIS, and import that."
        )
    return decode_text(data, path=path, encoding=encoding)


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
) -> ParsedExport:
    """Like :func:`read_export`, also saying which format was used (detected or given)."""
    path = Path(path)
    text = read_text_checked(path, encoding=encoding, max_bytes=max_bytes)
    if not text.strip():
        raise InputError(f"{path}: the file is empty. Export the records again.")
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
    "ExportFormat",
    "ParsedExport",
    "detect_format",
    "load_export",
    "normalize_format",
    "parse_text",
    "read_export",
]
