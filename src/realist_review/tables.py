"""Reading and writing the CSV tables passed between stages, safely and deterministically.

Every table has a JSON schema in ``workflow/schemas/`` describing one row (column order =
the schema's ``required`` list). :func:`read_table` checks the header and every cell against
it and names the file, line and column of the first problems; :func:`write_table` writes
UTF-8, ``\\n`` line ends, columns in schema order, so that the same data gives the same bytes.

Derived tables open in spreadsheets too, so :func:`write_table` writes a cell that starts like
a formula (``= + @``, tab or carriage return, after any quotes) with one ``'`` in front, and
:func:`read_table` takes that quote off again: what is read is exactly what was written.

Files that come from people (exports, filled sheets) are untrusted: :func:`read_text` refuses
files over a size limit and explains encoding problems instead of crashing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from realist_review.errors import InputError

#: Largest file a stage will read from a person or a database export (bytes).
MAX_INPUT_BYTES = 512 * 1024 * 1024
#: Largest single CSV cell (characters); an abstract is a few thousand.
MAX_FIELD_CHARS = 1_000_000
#: Characters that make a spreadsheet treat a cell as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")

#: A cell a spreadsheet would run as a formula (after any quotes already in front).
_FORMULA_CELL = re.compile(r"'*[=+@\t\r]")
#: A cell :func:`write_table` quoted (one more quote than the text had).
_QUOTED_CELL = re.compile(r"'+[=+@\t\r]")

csv.field_size_limit(MAX_FIELD_CHARS)


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def read_bytes(path: Path, *, max_bytes: int = MAX_INPUT_BYTES) -> bytes:
    """Read a file, refusing missing, empty-named or oversized files with a clear message."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: file not found. Check the path in config/config.yaml.")
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(
            f"{path}: {size:,} bytes is larger than the limit of {max_bytes:,} bytes. "
            "Split the export into smaller files, or check that this is the right file."
        )
    return path.read_bytes()


def decode_text(data: bytes, *, path: Path | str, encoding: str | None = None) -> str:
    """Decode bytes as UTF-8 (a BOM is allowed) or the given encoding.

    A wrong encoding stops with the line and byte where decoding failed, and what to do.
    """
    enc = encoding or "utf-8-sig"
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{path}: line {line} (byte {exc.start}) is not valid {enc} text. "
            "Re-save the file as UTF-8, or give its encoding in the config "
            "(for example `encoding: cp1252` or `encoding: latin-1` on this search)."
        ) from None
    except LookupError:
        raise InputError(f"{path}: unknown encoding {enc!r} in the config.") from None
    if "\x00" in text[:4096]:
        raise InputError(
            f"{path}: contains NUL bytes; it looks like a binary or UTF-16 file. "
            "Export it again as UTF-8 text."
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: Path, *, encoding: str | None = None, max_bytes: int = MAX_INPUT_BYTES) -> str:
    """Read an untrusted text file (see :func:`read_bytes` and :func:`decode_text`)."""
    return decode_text(read_bytes(path, max_bytes=max_bytes), path=path, encoding=encoding)


def _quote_cell(text: str) -> str:
    """``'`` + text when text would start a formula (``'=x`` too, so that it reads back)."""
    return "'" + text if _FORMULA_CELL.match(text) else text


def _unquote_cell(text: str) -> str:
    """The inverse of :func:`_quote_cell`."""
    return text[1:] if _QUOTED_CELL.match(text) else text


def escape_formula(value: object) -> str:
    """Make a cell safe to open in a spreadsheet: a leading ``= + - @`` gets a quote prefix."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


# --------------------------------------------------------------------------------------------
# Schemas
# --------------------------------------------------------------------------------------------
def schema_dir() -> Path:
    """Folder holding the JSON schemas (``workflow/schemas`` in a checkout, package data else)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "schemas", here.parents[1] / "workflow" / "schemas"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("JSON schemas not found next to the package or in workflow/schemas")


@cache
def load_schema(name: str) -> dict[str, Any]:
    """Load ``<name>.schema.json`` from :func:`schema_dir`."""
    path = schema_dir() / f"{name}.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class TableSpec:
    """Columns and per-column checks of one table, read from its JSON schema."""

    name: str
    columns: tuple[str, ...]
    optional: tuple[str, ...]
    patterns: Mapping[str, re.Pattern[str]]
    enums: Mapping[str, frozenset[str]]
    unique: tuple[str, ...]
    title: str
    #: columns other than the schema's are refused (``additionalProperties: false``)
    closed: bool = True
    #: the table format's version (the schema's ``x-version``)
    version: str = ""
    #: required columns a writer may leave out of a row, written as this value (the column's
    #: ``default`` in the schema: e.g. scores of a pair a person decided)
    defaults: Mapping[str, str] = field(default_factory=dict)

    @property
    def known(self) -> frozenset[str]:
        """Every column the schema names, required or optional."""
        return frozenset((*self.columns, *self.optional))


def resolved_schema(name: str) -> dict[str, Any]:
    """Schema ``name`` with ``allOf`` parents folded in (a derived table lists only what it adds).

    ``{"allOf": [{"$ref": "record.schema.json"}], "properties": {...}, "required": [...]}``
    has the parent's properties and required columns first, then its own.
    """
    schema = load_schema(name)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for part in schema.get("allOf", ()):
        ref = part.get("$ref", "")
        if not ref.endswith(".schema.json"):
            raise ValueError(f"{name}.schema.json: allOf entries must be $ref to a schema file")
        parent = resolved_schema(ref.removesuffix(".schema.json"))
        properties |= parent.get("properties", {})
        required += [col for col in parent.get("required", ()) if col not in required]
    properties |= schema.get("properties", {})
    required += [col for col in schema.get("required", ()) if col not in required]
    return {**schema, "properties": properties, "required": required}


@cache
def table_spec(name: str) -> TableSpec:
    """The :class:`TableSpec` of schema ``name``."""
    schema = resolved_schema(name)
    props: dict[str, Any] = schema.get("properties", {})
    required = tuple(schema.get("required", ()))
    optional = tuple(col for col in props if col not in required)
    patterns = {
        col: re.compile(spec["pattern"]) for col, spec in props.items() if "pattern" in spec
    }
    enums = {col: frozenset(spec["enum"]) for col, spec in props.items() if "enum" in spec}
    return TableSpec(
        name=name,
        columns=required,
        optional=optional,
        patterns=patterns,
        enums=enums,
        unique=tuple(schema.get("x-unique", ())),
        title=schema.get("title", name),
        closed=schema.get("additionalProperties", True) is False,
        version=str(schema.get("x-version", "")),
        defaults={
            col: str(props[col]["default"])
            for col in required
            if col in props and "default" in props[col]
        },
    )


def schema_version(name: str) -> str:
    """The version of table format ``name`` (its schema's ``x-version``)."""
    return table_spec(name).version


def validate_rows(
    rows: Sequence[Mapping[str, str]], spec: TableSpec, *, path: Path | str, max_errors: int = 10
) -> None:
    """Check cells against the spec; raise one :class:`InputError` listing the first problems.

    Line numbers count the header as line 1, as a spreadsheet shows them.
    """
    problems: list[str] = []
    seen: dict[str, dict[str, int]] = {col: {} for col in spec.unique}
    for index, row in enumerate(rows):
        line = index + 2
        for col, pattern in spec.patterns.items():
            cell = row.get(col, "")
            if cell and not pattern.fullmatch(cell):
                problems.append(f"line {line}, column {col!r}: {cell[:60]!r} is not valid")
        for col, allowed in spec.enums.items():
            cell = row.get(col, "")
            if cell and cell not in allowed:
                problems.append(
                    f"line {line}, column {col!r}: {cell[:60]!r} is not one of "
                    f"{', '.join(sorted(allowed))}"
                )
        for col, first in seen.items():
            cell = row.get(col, "")
            if cell in first:
                problems.append(f"line {line}, column {col!r}: {cell!r} repeats line {first[cell]}")
            elif cell:
                first[cell] = line
        if len(problems) >= max_errors:
            break
    if problems:
        raise InputError(
            f"{path}: does not match the {spec.title} format "
            f"(workflow/schemas/{spec.name}.schema.json):\n  " + "\n  ".join(problems)
        )


def read_table(
    path: Path,
    schema: str,
    *,
    max_bytes: int = MAX_INPUT_BYTES,
    columns: Sequence[str] | None = None,
) -> list[dict[str, str]]:
    """Read and validate a stage table; missing optional columns read as ``""``.

    ``columns``: keep (and check) only these columns of each row, for a stage that needs a few
    columns of a wide table (the header is still checked in full).
    """
    return parse_table(read_text(path, max_bytes=max_bytes), schema, path=path, columns=columns)


def parse_table(
    text: str, schema: str, *, path: Path | str, columns: Sequence[str] | None = None
) -> list[dict[str, str]]:
    """:func:`read_table` of a file's text already read (``path`` names it in messages)."""
    spec = table_spec(schema)
    reader = csv.DictReader(io.StringIO(text))
    header = tuple(reader.fieldnames or ())
    missing = [col for col in spec.columns if col not in header]
    if missing:
        raise InputError(
            f"{path}: missing column(s) {', '.join(missing)} for a {spec.title} table. "
            f"Expected columns: {', '.join(spec.columns)}."
        )
    unknown = [col for col in header if col not in spec.known]
    if spec.closed and unknown:
        raise InputError(
            f"{path}: unknown column(s) {', '.join(map(repr, unknown))} for a {spec.title} "
            f"table (workflow/schemas/{spec.name}.schema.json allows no others). This file is "
            "derived: rebuild it with the pipeline rather than editing it."
        )
    keep = (*spec.columns, *spec.optional) if columns is None else tuple(columns)
    not_in_schema = [col for col in keep if col not in spec.known]
    if not_in_schema:
        raise ValueError(f"{spec.name}.schema.json has no column(s) {', '.join(not_in_schema)}")
    rows: list[dict[str, str]] = []
    for row in reader:
        if None in row:
            raise InputError(
                f"{path}: line {reader.line_num} has more cells than the header; "
                "check for an unquoted comma."
            )
        rows.append({col: _unquote_cell(row.get(col) or "") for col in keep})
    validate_rows(rows, spec, path=path)
    return rows


def write_table(path: Path, rows: Iterable[Mapping[str, object]], schema: str) -> int:
    """Write rows in schema column order (optional columns kept when any row has them).

    Every row must carry every required column (unless the schema gives the column a
    ``default``) and no column the schema does not name: a stage that writes what its schema
    does not say is a bug, caught here rather than by the stage that reads the file. Returns
    the number of rows written. Values are written as given: sort before calling.
    """
    spec = table_spec(schema)
    materialised = [dict(row) for row in rows]
    for index, row in enumerate(materialised):
        missing = [col for col in spec.columns if col not in row and col not in spec.defaults]
        unknown = sorted(set(row) - spec.known)
        if missing or unknown:
            raise ValueError(
                f"{path}: row {index + 1} does not fit workflow/schemas/{spec.name}.schema.json:"
                + (f" missing {', '.join(missing)};" if missing else "")
                + (f" unknown {', '.join(unknown)};" if unknown else "")
                + " change the stage or the schema (and its README entry) together"
            )
    optional = [col for col in spec.optional if any(col in row for row in materialised)]
    columns = [*spec.columns, *optional]
    str_rows = [
        {col: "" if row.get(col) is None else str(row.get(col)) for col in columns}
        for row in ({**spec.defaults, **row} for row in materialised)
    ]
    validate_rows(str_rows, spec, path=path)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({col: _quote_cell(cell) for col, cell in row.items()} for row in str_rows)
    write_atomic(path, buffer.getvalue().encode("utf-8"))
    return len(str_rows)


def write_atomic(path: Path, data: bytes) -> None:
    """Write bytes to ``path`` through a temporary file, so a crash never leaves half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def write_json(path: Path, data: object) -> None:
    """Write JSON deterministically (sorted keys, 2-space indent, trailing newline)."""
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    write_atomic(Path(path), text.encode("utf-8"))


#: Columns and rows a returned workbook may use (a person's sheet is far smaller).
MAX_SHEET_COLUMNS = 100
MAX_SHEET_ROWS = 200_000


def read_xlsx_rows(
    path: Path,
    data: bytes | None = None,
    *,
    sheet: str | None = None,
    max_columns: int = MAX_SHEET_COLUMNS,
    max_rows: int = MAX_SHEET_ROWS,
) -> list[list[str]]:
    """Every row of one tab of an untrusted workbook as text cells, read safely.

    openpyxl parses lazily, so the whole read happens inside one guard: a damaged workbook
    is a clear :class:`InputError` naming the file, never a traceback; cells beyond
    ``max_columns`` (a stray cell in column XFD) are not read, and a sheet with more than
    ``max_rows`` rows is refused. ``sheet`` names the tab (default: the first).
    """
    import io

    from openpyxl import load_workbook

    path = Path(path)
    if data is None:
        data = read_bytes(path)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            if sheet is not None and sheet not in book.sheetnames:
                raise InputError(f"{path}: no '{sheet}' tab; return the sheet as it was sent")
            tab = book[sheet] if sheet is not None else book.worksheets[0]
            rows: list[list[str]] = []
            for values in tab.iter_rows(values_only=True, max_col=max_columns):
                rows.append(["" if v is None else str(v) for v in values])
                if len(rows) > max_rows:
                    raise InputError(
                        f"{path}: more than {max_rows:,} rows; is this the right file?"
                    )
        finally:
            book.close()
    except InputError:
        raise
    except Exception as exc:  # openpyxl raises many kinds of errors on damaged files
        raise InputError(
            f"{path}: cannot be read as an .xlsx workbook ({type(exc).__name__}); open it in a "
            "spreadsheet program and save it again as .xlsx"
        ) from None
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    # as wide as the widest filled column: rectangular, without the padding of max_columns
    width = max((i + 1 for row in rows for i, cell in enumerate(row) if cell.strip()), default=0)
    return [(row + [""] * width)[:width] for row in rows]
