"""Read one full-text file of any kind (PDF, JATS/BMC XML, GROBID TEI) into a document.

The file's first bytes decide the reader, not its name: a "PDF" that is really an HTML page
(a publisher's login or challenge page) is ``not_pdf``, a 0-byte file ``empty``. Nothing here
raises for a bad file: every problem is a status and a message on the returned document.
"""

from __future__ import annotations

import re
from pathlib import Path

from realist_review.fulltext.model import Document, Status, failed
from realist_review.fulltext.pdf import read_pdf
from realist_review.fulltext.xml import read_xml

#: Largest file read (bytes); a full text is rarely over 50 MB.
MAX_FULLTEXT_BYTES = 200 * 1024 * 1024
_XML_START = re.compile(rb"^\s*(<\?xml|<!DOCTYPE\s+(article|art|TEI)|<(article|art|TEI)\b)", re.I)
_HTML_START = re.compile(rb"^\s*(<!DOCTYPE\s+html|<html|<head|<body|<meta|<script)", re.I)


def document_name(path: Path) -> str:
    """The ``document`` column: the file name without its extension(s).

    >>> document_name(Path("a/PMC123.jats.xml")), document_name(Path("x.pdf"))
    ('PMC123', 'x')
    """
    name = path.name
    for suffix in (".jats.xml", ".bmc.xml", ".grobid.tei.xml", ".tei.xml", ".nxml", ".xml"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def read_bytes_document(data: bytes, name: str) -> Document:
    """Read a file's bytes (see :func:`read_document`)."""
    if not data.strip():
        return failed(name, Status.EMPTY, "the file is empty (0 bytes); download it again")
    head = data[:1024]
    if b"%PDF-" in head:
        return read_pdf(data, name)
    start = data[:4096].lstrip(b"\xef\xbb\xbf")
    if _HTML_START.match(start):
        return failed(
            name,
            Status.NOT_PDF,
            "an HTML page, not a PDF (a landing, login or challenge page); download the PDF itself",
        )
    if _XML_START.match(start):
        return read_xml(data, name)
    return failed(
        name,
        Status.NOT_PDF,
        "neither a PDF (no %PDF- header) nor JATS/TEI XML; check what was downloaded",
    )


def read_document(path: Path, *, max_bytes: int = MAX_FULLTEXT_BYTES) -> Document:
    """Read a PDF, JATS/BMC XML or GROBID TEI file into a :class:`Document`.

    Missing, oversized, unreadable, encrypted, scanned or broken files give a document whose
    ``status`` and ``message`` say what is wrong and what to do; this function does not raise.
    """
    path = Path(path)
    name = document_name(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return failed(
                name,
                Status.CORRUPT,
                f"{size:,} bytes is over the limit of {max_bytes:,}; check the file",
            )
        data = path.read_bytes()
    except OSError as exc:
        return failed(name, Status.CORRUPT, f"cannot read the file ({exc.strerror or exc})")
    return read_bytes_document(data, name)
