"""The retrieval stage's plain data: the records to retrieve, and one row per attempt."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    """What one attempt gave (``status`` in ``results/fulltext/index.csv``)."""

    RETRIEVED = "retrieved"  # a PDF or JATS with a body: the record's first file
    ALSO_RETRIEVED = "also_retrieved"  # another valid file for a record that has one
    NOT_OPEN = "not_open"  # the source knows the article but has no open copy
    NOT_FOUND = "not_found"  # the source does not know the identifier (404)
    REJECTED = "rejected"  # an answer that is not a PDF or JATS (HTML page, cut off, bad XML)
    REFUSED = "refused"  # the server refused (401, 403, other 4xx)
    FAILED = "failed"  # no answer after every retry (network, 5xx, timeouts)
    NO_SNAPSHOT = "no_snapshot"  # snapshot mode: no saved answer for this request
    SKIPPED = "skipped"  # the source could not be asked (e.g. no contact e-mail)
    UNCONFIRMED = "unconfirmed"  # a file matched by title/author, waiting for confirmation


#: Statuses of a usable full text.
RETRIEVED_STATUSES = frozenset({Status.RETRIEVED, Status.ALSO_RETRIEVED})


class SourceName(StrEnum):
    """Where a full text can come from, in the default order they are tried."""

    EUROPEPMC = "europepmc"
    UNPAYWALL = "unpaywall"
    OPENALEX = "openalex"
    LOCAL = "local"
    ZOTERO = "zotero"


DEFAULT_ORDER = tuple(SourceName)


@dataclass(frozen=True)
class Target:
    """A record forwarded to full text (included or maybe at title/abstract)."""

    record_id: str
    screening: str
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""
    title: str = ""
    first_author: str = ""
    year: str = ""
    origin: tuple[str, ...] = ()
    row: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Attempt:
    """One try at one source: what was asked (URL or path) and what came back."""

    record_id: str
    source: str
    location: str
    status: Status
    message: str
    body: bytes = b""
    media_type: str = ""

    def to_row(self, *, sha256: str = "", file: str = "") -> dict[str, str]:
        return {
            "record_id": self.record_id,
            "source": self.source,
            "location": self.location,
            "sha256": sha256,
            "bytes": str(len(self.body)) if self.body else "",
            "media_type": self.media_type,
            "status": str(self.status),
            "message": self.message,
            "file": file,
        }
