"""CSV and tab-delimited exports: Scopus, Web of Science, Embase, PubMed, IEEE, SpringerLink,
ASReview-style tables, the BibTeX-like benchmark tables, and any CSV with a column map.

The header row tells which column holds which record field. Known column names of the
common exports are recognised (case and spacing do not matter; see :data:`SYNONYMS`); a
Web of Science tab-delimited file (two-letter codes ``PT AU ... UT``) uses its own codes.
For anything else a *column map* (``column_map`` on the search in ``config/config.yaml``,
or ``--column-map COLUMN=FIELD``) names the columns; it overrides the recognised names.

Per row, a field takes the first non-empty recognised column (e.g. Scopus ``Author full
names`` before ``Authors``); ``keywords`` and ``mesh_terms`` unite all their columns.
Embase's ``Source`` and PubMed's ``Citation`` strings fill journal, year, volume, issue and
pages when there are no columns for them.

A table whose headers are RIS tags (``TY, TI, AU, PY, T2, ...``: some tools and spreadsheets
write RIS that way) uses the RIS meaning of each tag (:data:`RIS_CODES`). Group authors
(WoS ``CA``/``GP``, a ``Group Authors`` column) are kept as written, not read as people.

Limits (an untrusted file must not exhaust memory): at most :data:`MAX_COLUMNS` named
columns and :data:`MAX_CELLS` cells; a spreadsheet saved with a far column (cells in ``A``
and ``XFD``) keeps only its named columns; a cell over the CSV field limit stops with its
line.

Delimiter: tab when the header line has tabs, ``;`` when it has more semicolons than commas
(spreadsheets in European locales), else ``,``.

Strict (:class:`~realist_review.errors.InputError`): no known column at all (the message
lists the columns and explains the column map), no title column, a column map naming a
missing column or an unknown field, a row with more (non-empty) cells than the header.
Lenient: short rows (missing cells are empty), blank rows (skipped), a BOM.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping

from realist_review.errors import InputError
from realist_review.formats.common import (
    RecordCollector,
    author_list,
    clean_abstract,
    doi_from_url,
    format_pages,
    split_authors,
    split_issn_isbn,
)
from realist_review.records import Record, Source

#: Record fields a column can be mapped to (``id`` is the export's own id -> ``source_id``;
#: ``citation`` is a "Journal (year) volume:issue (pages)" string to take apart).
FIELDS: tuple[str, ...] = (
    "id",
    "title",
    "abstract",
    "authors",
    "year",
    "journal",
    "volume",
    "issue",
    "pages",
    "page_start",
    "page_end",
    "doi",
    "pmid",
    "pmcid",
    "issn",
    "isbn",
    "language",
    "publication_type",
    "keywords",
    "mesh_terms",
    "url",
    "publisher",
    "citation",
    "group_authors",
)
_FIELD_ALIASES = {
    "source_id": "id",
    "author": "authors",
    "abstract_note": "abstract",
    "journal_title": "journal",
    "source_title": "journal",
    "number": "issue",
    "keyword": "keywords",
    "mesh": "mesh_terms",
    "type": "publication_type",
    "link": "url",
}

#: Recognised column names (lower case, single spaces) per field, in order of preference.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": (
        "id",
        "record_id",
        "record id",
        "eid",
        "ut (unique wos id)",
        "unique wos id",
        "accession number",
        "embase accession id",
        "pmid",
        "pubmed id",
    ),
    "title": (
        "title",
        "article title",
        "document title",
        "item title",
        "primary title",
        "publication title (article)",
        "original title",
    ),
    "abstract": ("abstract", "abstract note", "original abstract"),
    "authors": (
        "author full names",
        "author names",
        "authors",
        "author",
        "creators",
        "first author",
    ),
    "year": ("year", "publication year", "publication_year", "pubyear", "year published"),
    "journal": (
        "source title",
        "journal",
        "journal/book",
        "publication title",
        "journal title",
        "journal name",
        "secondary title",
        "journal_title",
    ),
    "volume": ("volume", "journal volume", "vol"),
    "issue": ("issue", "number", "journal issue"),
    "pages": ("pages", "page", "pagination"),
    "page_start": ("page start", "start page", "beginning page", "first page"),
    "page_end": ("page end", "end page", "ending page", "last page"),
    "doi": ("doi", "item doi"),
    "pmid": ("pmid", "pubmed id", "pubmed_id"),
    "pmcid": ("pmcid", "pmc id"),
    "issn": ("issn", "eissn", "e-issn"),
    "isbn": ("isbn", "isbns"),
    "language": ("language", "language of original document"),
    "publication_type": (
        "document type",
        "publication type",
        "publication_type",
        "content type",
        "entrytype",
        "item type",
        "type",
    ),
    "keywords": ("author keywords", "keywords", "keywords plus", "manual tags"),
    "mesh_terms": (
        "mesh_terms",
        "mesh terms",
        "mesh",
        "index keywords",
        "emtree medical index terms",
        "emtree drug index terms",
        "ieee terms",
        "inspec controlled terms",
    ),
    "url": ("url", "link", "pdf link"),
    "publisher": ("publisher",),
    "citation": ("source", "citation"),
    "group_authors": ("group authors", "group author", "corporate author", "corporate authors"),
}
#: Web of Science tab-delimited export: two-letter field codes.
WOS_CODES: dict[str, tuple[str, ...]] = {
    "id": ("ut",),
    "title": ("ti",),
    "abstract": ("ab",),
    "authors": ("af", "au"),
    "year": ("py", "pd", "ea"),
    "journal": ("so", "se"),
    "volume": ("vl",),
    "issue": ("is",),
    "page_start": ("bp",),
    "page_end": ("ep",),
    "pages": ("ar",),
    "doi": ("di", "d2"),
    "pmid": ("pm",),
    "issn": ("sn", "ei"),
    "isbn": ("bn",),
    "language": ("la",),
    "publication_type": ("dt",),
    "keywords": ("de", "id"),
    "publisher": ("pu",),
    "group_authors": ("ca", "gp"),
}
#: A table whose header names are RIS tags (``TY, TI, AU, PY, ...``), as some tools and
#: spreadsheets write RIS exports: the RIS meaning of each tag.
RIS_CODES: dict[str, tuple[str, ...]] = {
    "id": ("an", "id", "u1"),
    "title": ("ti", "t1", "ct"),
    "abstract": ("ab", "n2"),
    "authors": ("au", "a1"),
    "year": ("py", "da", "y1"),
    "journal": ("t2", "jo", "jf", "ja", "j2"),
    "volume": ("vl",),
    "issue": ("is",),
    "page_start": ("sp",),
    "page_end": ("ep",),
    "doi": ("do", "di"),
    "issn": ("sn",),
    "language": ("la",),
    "publication_type": ("ty", "m3"),
    "keywords": ("kw",),
    "url": ("ur", "l2"),
    "publisher": ("pb",),
}
_RIS_TAG_NAMES = frozenset(name for names in RIS_CODES.values() for name in names)
#: Most columns a header may name, and most cells one export may hold (rows x columns): a
#: Scopus export of 20,000 records with every column is 1.2 million cells.
MAX_COLUMNS = 2_000
MAX_CELLS = 20_000_000
_UNION_FIELDS = frozenset({"keywords", "mesh_terms"})
_DOI_LINK_COLUMNS = ("open url link", "link", "url", "pdf link")
_NO_ABSTRACT = re.compile(r"^\[?no abstract available\]?\.?$", re.IGNORECASE)
_EMBASE_SOURCE_RE = re.compile(
    r"^(?P<journal>.+?)\s*\((?P<year>\d{4})\)\s*(?P<volume>[^:\s(]+)?(?::(?P<issue>[^\s(]+))?"
    r"\s*(?:\((?P<pages>[^)]*)\))?"
)
_PUBMED_CITATION_RE = re.compile(
    r"^(?P<journal>[^.]+)\.\s+(?P<year>\d{4})[^;:]*(?:;(?P<volume>[^(:;.\s]+)?"
    r"(?:\((?P<issue>[^)]+)\))?(?::(?P<pages>[^.;\s]+))?)?"
)


def _norm(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").strip().strip('"').lower().split())


def _split_terms(value: str) -> list[str]:
    """Split a keyword cell on ``;`` (or on commas outside parentheses when it has none)."""
    if ";" in value:
        return [p.strip() for p in value.split(";") if p.strip()]
    parts, depth, start = [], 0, 0
    for index, char in enumerate(value):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif char == "," and depth == 0:
            parts.append(value[start:index])
            start = index + 1
    parts.append(value[start:])
    return [p.strip() for p in parts if p.strip()]


def _trim(cells: list[str]) -> list[str]:
    """Cells without the empty ones at the end (a spreadsheet's unused columns)."""
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]


def _delimiter(header_line: str) -> str:
    tabs, commas, semis = (header_line.count(c) for c in ("\t", ",", ";"))
    if tabs and tabs >= commas:
        return "\t"
    if semis > commas:
        return ";"
    return ","


def _column_map_help(columns: list[str]) -> str:
    hints = ("title", "name", "article", "heading")
    example = next((c for c in columns if any(h in c.lower() for h in hints)), "Article Name")
    return (
        "A column map tells the importer which column holds which record field: on the "
        f'command line `--column-map "{example}=title"` (one per column), or in '
        f"config/config.yaml on this search:\n    column_map:\n      {example}: title\n"
        f"Record fields: {', '.join(FIELDS)}."
    )


def resolve_columns(
    header: list[str], *, file_name: str, column_map: Mapping[str, str] | None = None
) -> dict[str, list[int]]:
    """Which header positions feed each record field (mapped columns first)."""
    normalised = [_norm(h) for h in header]
    shown = [h.strip().replace("\ufeff", "") for h in header]
    codes = set(normalised)
    table = SYNONYMS
    if {"pt", "ut", "ti"} <= codes:
        table = WOS_CODES
    elif codes & {"ti", "t1"} and len(codes & _RIS_TAG_NAMES) >= 3:
        table = RIS_CODES
    chosen: dict[str, list[int]] = {}
    mapped: set[int] = set()
    for column, target in (column_map or {}).items():
        field = _FIELD_ALIASES.get(_norm(target), _norm(target))
        if field not in FIELDS:
            raise InputError(
                f"{file_name}: the column map sends {column!r} to {target!r}, which is not a "
                f"record field. Record fields: {', '.join(FIELDS)}."
            )
        if _norm(column) not in normalised:
            raise InputError(
                f"{file_name}: the column map names column {column!r}, which the file does "
                f"not have. Columns found: {', '.join(shown)}."
            )
        index = normalised.index(_norm(column))
        chosen.setdefault(field, []).append(index)
        mapped.add(index)
    for field, names in table.items():
        for name in names:
            for index, col in enumerate(normalised):
                if col == name and index not in mapped and index not in chosen.get(field, []):
                    chosen.setdefault(field, []).append(index)
    if not chosen:
        raise InputError(
            f"{file_name}: none of the columns is one the importer knows ({', '.join(shown)}), "
            "so it cannot tell which column holds titles, authors or abstracts. "
            + _column_map_help(shown)
        )
    if "title" not in chosen:
        raise InputError(
            f"{file_name}: no title column. Columns found: {', '.join(shown)}. Map the column "
            "that holds the titles. " + _column_map_help(shown)
        )
    return chosen


def _parse_citation(value: str) -> dict[str, str]:
    for pattern in (_EMBASE_SOURCE_RE, _PUBMED_CITATION_RE):
        match = pattern.match(value.strip())
        if match:
            return {k: v for k, v in match.groupdict().items() if v}
    return {}


def row_fields(
    cells: list[str],
    columns: Mapping[str, list[int]],
    *,
    bibtex_like: bool = False,
    link_columns: list[int] | None = None,
) -> tuple[str, dict[str, object]]:
    """(own id, record fields) of one row."""

    def get(field: str) -> str:
        for index in columns.get(field, ()):
            if index < len(cells) and cells[index].strip():
                return cells[index].strip()
        return ""

    def union(field: str) -> list[str]:
        return [
            term
            for index in columns.get(field, ())
            if index < len(cells)
            for term in _split_terms(cells[index])
        ]

    citation = _parse_citation(get("citation")) if columns.get("citation") else {}
    pages = format_pages(get("pages")) or format_pages(get("page_start"), get("page_end"))
    abstract = clean_abstract(get("abstract"))
    doi = get("doi")
    if not doi:
        doi = doi_from_url(*(cells[i] for i in link_columns or () if i < len(cells)))
    issn, isbn = split_issn_isbn([get("issn"), get("isbn")])
    raw_authors = split_authors(get("authors"), bibtex=bibtex_like)
    groups = [
        name
        for index in columns.get("group_authors", ())
        if index < len(cells)
        for name in _split_terms(cells[index])
    ]
    fields: dict[str, object] = {
        "title": get("title"),
        "abstract": "" if _NO_ABSTRACT.match(abstract) else abstract,
        "authors": author_list(raw_authors, groups=groups),
        "year": get("year") or citation.get("year", ""),
        "journal": get("journal") or citation.get("journal", ""),
        "volume": get("volume") or citation.get("volume", ""),
        "issue": get("issue") or citation.get("issue", ""),
        "pages": pages or format_pages(citation.get("pages", "")),
        "doi": doi,
        "pmid": get("pmid"),
        "pmcid": get("pmcid"),
        "issn": issn,
        "isbn": isbn,
        "language": get("language"),
        "publication_type": _split_terms(get("publication_type")),
        "keywords": union("keywords"),
        "mesh_terms": union("mesh_terms"),
        "url": get("url"),
        "publisher": get("publisher"),
    }
    return get("id"), fields


def _check_row_lengths(
    rows: list[tuple[int, list[str]]], width: int, *, file_name: str, delimiter: str
) -> None:
    """Refuse rows with more non-empty cells than the header: their columns would shift."""
    long_rows = [
        (line, len(cells))
        for line, cells in rows
        if len(cells) > width and any(c.strip() for c in cells[width:])
    ]
    if not long_rows:
        return
    line, cells = long_rows[0]
    if len(long_rows) > len(rows) // 2:
        hint = (
            f"{len(long_rows)} of {len(rows)} rows have more cells than the header, so the "
            "header probably lacks a column name and every value after it would land in the "
            "wrong column. Export the file again, or add the missing column name to the header."
        )
    else:
        hint = f"Check that line for an unquoted {delimiter!r} or a stray quote mark."
    raise InputError(
        f"{file_name}: line {line}: {cells} cells but the header has {width} columns. {hint}"
    )


def parse(
    text: str,
    *,
    search_id: str,
    file_name: str,
    column_map: Mapping[str, str] | None = None,
) -> list[Record]:
    """Parse a CSV/TSV export into records (``source = csv``).

    ``source_id`` is the row's own id (``ID``, Scopus ``EID``, WoS ``UT``, ``PMID``, ...) or
    ``<file name>#<n>`` for the n-th record.
    """
    text = text.lstrip("\ufeff")
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = _delimiter(header_line)
    reader = csv.reader(io.StringIO(text.lstrip("\r\n")), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    cells_kept = 0
    try:
        header = next(reader, [])
        keep: list[int] | None = None  # the named columns of a sheet too wide to keep whole
        if len(header) > MAX_COLUMNS:
            keep = [i for i, name in enumerate(header) if name.strip()]
            if len(keep) > MAX_COLUMNS:
                raise InputError(
                    f"{file_name}: the header has {len(keep):,} named columns, more than the "
                    f"limit of {MAX_COLUMNS:,}. This is not a database export; check the file."
                )
            header = [header[i] for i in keep]
        width = len(header)
        start = reader.line_num + 1
        for cells in reader:
            if keep is not None:
                # a spreadsheet with a far column (A and XFD): only the named columns
                cells = [cells[i] if i < len(cells) else "" for i in keep]
            elif len(cells) > width:
                # keep what a long row needs to be checked (its cells past the header, if
                # any is filled), not a spreadsheet's thousands of empty cells
                cells = cells[:width] + _trim(cells[width:])[:MAX_COLUMNS]
            if any(cell.strip() for cell in cells):
                rows.append((start, cells))
                cells_kept += len(cells)
                if cells_kept > MAX_CELLS:
                    raise InputError(
                        f"{file_name}: line {start}: more than {MAX_CELLS:,} cells read "
                        f"({len(rows):,} rows of {width} columns so far), the limit for one "
                        "export. Split the export into smaller files."
                    )
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(
            f"{file_name}: line {reader.line_num}: not readable as CSV ({exc}). Check the "
            "quoting on that line, or re-save the file as CSV (UTF-8)."
        ) from None
    columns = resolve_columns(header, file_name=file_name, column_map=column_map)
    _check_row_lengths(rows, len(header), file_name=file_name, delimiter=delimiter)
    normalised = [_norm(h) for h in header]
    bibtex_like = "entrytype" in normalised
    link_columns = [i for i, h in enumerate(normalised) if h in _DOI_LINK_COLUMNS]
    collector = RecordCollector(source=Source.CSV, search_id=search_id, file_name=file_name)
    for line, cells in rows:
        own_id, fields = row_fields(
            cells,
            columns,
            bibtex_like=bibtex_like,
            link_columns=link_columns,
        )
        collector.add(own_id, where=f"line {line}", **fields)
    return collector.finish()
