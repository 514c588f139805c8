"""The extraction sheets: reviewers confirm, edit, reject and add CMO configurations.

The pipeline's candidate configurations (``cmo suggest``: ``candidates.csv`` and
``sentences.csv``) go to the extraction team, one sheet per reviewer, one row per candidate;
every record has one reviewer, and a configurable share of the records (``check_share``) a
second one, whose rows measure agreement. Reviewers mark ``status`` (accept / edit / reject),
may rewrite the context, mechanism and outcome, appraise each configuration (direction,
explicit or inferred, relevance, rigour, confidence) and add rows for configurations the
pipeline missed (``cmoc_id`` left blank; the quote must still be verbatim).

Returned sheets are saved as ``config/extraction/<reviewer>.xlsx`` (a correction as
``<reviewer>.v2.xlsx``: a sheet is never edited once read). The first time the pipeline reads
a sheet its SHA-256 goes into ``config/extraction/SHA256SUMS``; a later change to that file is
refused, so nothing a reviewer returned is lost or silently replaced. The confirmed table
(``cmo_confirmed``) holds every configuration accepted or edited by its reviewer and not
contradicted by the second reviewer; contradictions are listed as conflicts.
"""

from __future__ import annotations

import csv
import hashlib
import io
import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from realist_review.errors import InputError
from realist_review.ledger import check_and_record
from realist_review.screen.agreement import cohen_kappa
from realist_review.screen.settings import FORWARDED
from realist_review.screen.sheets import workbook_bytes
from realist_review.tables import (
    decode_text,
    escape_formula,
    read_bytes,
    read_table,
    read_xlsx_rows,
    sha256_bytes,
    write_atomic,
    write_table,
)

#: The extraction sheet's columns, in order (the contract reviewers and checks rely on).
COLUMNS: tuple[str, ...] = (
    "cmoc_id", "record_id", "citation", "section", "page", "quote", "context",
    "mechanism_resource", "mechanism_response", "outcome", "direction", "explicit_or_inferred",
    "theory_area", "relevance", "rigour", "confidence", "status", "notes",
)  # fmt: skip
#: Columns a reviewer fills or may change; the others say where the evidence is.
EDITABLE = frozenset(
    {"context", "mechanism_resource", "mechanism_response", "outcome", "direction",
     "explicit_or_inferred", "theory_area", "relevance", "rigour", "confidence", "status",
     "notes"}
)  # fmt: skip
STATUSES = ("accept", "edit", "reject")
CHOICES: dict[str, tuple[str, ...]] = {
    "direction": ("supports", "refutes", "refines"),
    "explicit_or_inferred": ("explicit", "inferred"),
    "relevance": ("high", "medium", "low"),
    "rigour": ("high", "medium", "low"),
    "confidence": ("high", "medium", "low"),
    "status": STATUSES,
}
MAX_SHEET_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
_SHEET = "extraction"
_SHEET_NAME = re.compile(
    r"(?P<reviewer>[a-z0-9][a-z0-9_-]*?)(?:\.v(?P<version>[2-9]|[1-9][0-9]+))?"
)


@dataclass(frozen=True)
class Document:
    """What a quote is checked against: the record's citation and its text."""

    record_id: str
    citation: str
    source_type: str
    text: str


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def quote_found(quote: str, document: Document) -> bool:
    """Whether the quote occurs verbatim in the document (white space and case aside);
    ``…`` or ``...`` in a quote stands for left-out text."""
    haystack = _squash(document.text)
    parts = [p for p in re.split(r"\s*(?:…|\.\.\.)\s*", _squash(quote)) if p]
    position = 0
    for part in parts:
        found = haystack.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return bool(parts)


def reviewer_cmoc_id(reviewer: str, record_id: str, quote: str) -> str:
    """Stable id of a configuration a reviewer added (blank ``cmoc_id`` in the sheet)."""
    digest = hashlib.sha256(f"{reviewer}\n{record_id}\n{_squash(quote)}".encode()).hexdigest()
    return f"cmoc-r{digest[:9]}"


# --------------------------------------------------------------------------------------------
# Who extracts what
# --------------------------------------------------------------------------------------------
def assign(
    candidates: Sequence[Mapping[str, str]], team: Sequence[str], *, check_share: float, seed: int
) -> dict[str, list[Mapping[str, str]]]:
    """Rows of each reviewer's sheet: every record to one reviewer (in turn, by record id),
    a seeded ``check_share`` of the records also to the next reviewer."""
    if not team:
        raise InputError("config cmo.extraction.team: name at least one reviewer")
    records = sorted({row["record_id"] for row in candidates})
    primary = {record: team[i % len(team)] for i, record in enumerate(records)}
    n_checked = round(check_share * len(records)) if len(team) > 1 else 0
    checked = set(random.Random(seed).sample(records, n_checked)) if n_checked else set()
    sheets: dict[str, list[Mapping[str, str]]] = {name: [] for name in team}
    for row in sorted(candidates, key=lambda r: (r["record_id"], r["cmoc_id"])):
        first = primary[row["record_id"]]
        sheets[first].append(row)
        if row["record_id"] in checked:
            second = team[(team.index(first) + 1) % len(team)]
            sheets[second].append(row)
    return sheets


def evidence_quote(evidence: str, sentences: Mapping[int, str]) -> str:
    """The evidence sentences verbatim in document order, `` … `` where sentences are left out.

    >>> evidence_quote("0;1;3", {0: "A.", 1: "B.", 2: "C.", 3: "D."})
    'A. B. … D.'
    """
    indices = sorted({int(i) for i in evidence.split(";") if i.strip().isdigit()})
    parts: list[str] = []
    for position, index in enumerate(indices):
        if position and index != indices[position - 1] + 1:
            parts.append("…")
        parts.append(sentences.get(index, ""))
    return " ".join(p for p in parts if p)


def sheet_row(
    candidate: Mapping[str, str], document: Document, sentences: Mapping[int, str] | None = None
) -> dict[str, str]:
    """A candidate as a sheet row: evidence verbatim and where it is, the rest to fill.

    With the record's ``sentences`` (index -> text) the quote is its evidence in document
    order; without, its context, mechanism and outcome sentences as given."""
    if sentences:
        quote = evidence_quote(candidate.get("evidence", ""), sentences)
    else:
        quote = " … ".join(
            part for key in ("context", "mechanism_resource", "mechanism_response", "outcome")
            for part in candidate.get(key, "").split(" | ") if part
        )  # fmt: skip
    sections = [s for s in candidate.get("section", "").split(";") if s]
    return {
        "cmoc_id": candidate["cmoc_id"],
        "record_id": candidate["record_id"],
        "citation": document.citation,
        "section": sections[0] if sections else "",
        "page": candidate.get("page", ""),
        "quote": quote,
        "context": candidate.get("context", ""),
        "mechanism_resource": candidate.get("mechanism_resource", ""),
        "mechanism_response": candidate.get("mechanism_response", ""),
        "outcome": candidate.get("outcome", ""),
        "direction": "supports",
        "explicit_or_inferred": candidate.get("explicit_or_inferred", "") or "explicit",
        "theory_area": candidate.get("theory_area", "").split(";")[0],
        "relevance": "",
        "rigour": "",
        "confidence": "",
        "status": "",
        "notes": "",
    }


def write_extraction_sheet(
    path: Path, rows: Sequence[Mapping[str, str]], *, theory_areas: Sequence[str]
) -> None:
    """One reviewer's sheet: drop-downs for every choice, evidence columns locked, formula-safe
    cells, the quote wide and wrapped, deterministic bytes."""
    book = Workbook()
    sheet = book.active
    sheet.title = _SHEET
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([escape_formula(row.get(c, "")) for c in COLUMNS])
    fill = PatternFill("solid", fgColor="FFF4D6")
    for index, column in enumerate(COLUMNS, 1):
        head = sheet.cell(row=1, column=index)
        head.font = Font(bold=True)
        letter = head.column_letter
        wide = {"quote": 70, "context": 40, "mechanism_resource": 40, "mechanism_response": 40,
                "outcome": 40, "notes": 30, "citation": 28}  # fmt: skip
        sheet.column_dimensions[letter].width = wide.get(column, 14)
        if column in EDITABLE:
            head.fill = fill
        for cell in sheet[letter][1:]:
            cell.alignment = Alignment(wrap_text=column in wide, vertical="top")
    last = max(2, len(rows) + 200)  # room for rows reviewers add
    choices = {**CHOICES, "theory_area": tuple(theory_areas)}
    for column, options in choices.items():
        if not options:
            continue
        rule = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True)
        rule.error = f"choose one of: {', '.join(options)}"
        sheet.add_data_validation(rule)
        letter = sheet.cell(row=1, column=COLUMNS.index(column) + 1).column_letter
        rule.add(f"{letter}2:{letter}{last}")
    sheet.freeze_panes = "C2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    write_atomic(Path(path), workbook_bytes(book))


# --------------------------------------------------------------------------------------------
# Returned sheets
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReturnedSheet:
    """A returned sheet: whose, which version, its checksum and rows (line numbers kept)."""

    path: Path
    reviewer: str
    version: int
    sha256: str
    rows: tuple[tuple[int, dict[str, str]], ...]


def _cells(path: Path, data: bytes) -> list[list[str]]:
    if path.suffix.lower() == ".csv":
        return list(csv.reader(io.StringIO(decode_text(data, path=path))))
    return read_xlsx_rows(
        path, data, sheet=_SHEET, max_columns=len(COLUMNS) + 20, max_rows=MAX_ROWS
    )


def read_returned_sheet(path: Path) -> ReturnedSheet:
    """Read a returned sheet; its columns must be the sheet's own (nothing typed is dropped)."""
    path = Path(path)
    match = _SHEET_NAME.fullmatch(path.stem)
    if path.suffix.lower() not in (".xlsx", ".csv") or not match:
        raise InputError(
            f"{path}: name returned sheets <reviewer>.xlsx (a correction <reviewer>.v2.xlsx)"
        )
    data = read_bytes(path, max_bytes=MAX_SHEET_BYTES)
    cells = _cells(path, data)
    if not cells:
        raise InputError(f"{path}: empty sheet")
    header = [h.strip() for h in cells[0]]
    while header and not header[-1]:
        header.pop()
    unknown = [h for h in header if h not in COLUMNS]
    missing = [c for c in COLUMNS if c not in header]
    if unknown or missing:
        raise InputError(
            f"{path}: "
            + (f"unknown column(s) {', '.join(map(repr, unknown))}; " if unknown else "")
            + (f"missing column(s) {', '.join(missing)}; " if missing else "")
            + "keep the sheet's columns as sent and write remarks in 'notes' (an added column "
            "would be lost)"
        )
    rows = []
    for line, values in enumerate(cells[1:], 2):
        extra = [v for v in values[len(header) :] if v.strip()]
        if extra:
            raise InputError(f"{path}: row {line} has text right of the last column: {extra[0]!r}")
        row = {h: (values[i] if i < len(values) else "").replace("\x00", "").strip()
               for i, h in enumerate(header)}  # fmt: skip
        if any(row.values()):
            rows.append((line, {c: row[c] for c in COLUMNS}))
    return ReturnedSheet(
        path, match["reviewer"], int(match["version"] or 1), sha256_bytes(data), tuple(rows)
    )


def record_sums(folder: Path, sheets: Iterable[ReturnedSheet]) -> list[str]:
    """Check every sheet against the folder's ``SHA256SUMS`` ledger and add the new ones
    (:func:`realist_review.ledger.check_and_record`); returns the problems."""
    sheets = list(sheets)
    return check_and_record(
        Path(folder),
        {sheet.path.name: sheet.sha256 for sheet in sheets},
        {
            sheet.path.name: f"{sheet.reviewer}.v{sheet.version + 1}{sheet.path.suffix}"
            for sheet in sheets
        },
    )


def validate_sheet(
    sheet: ReturnedSheet,
    *,
    sent: Mapping[str, Mapping[str, str]],
    documents: Mapping[str, Document],
    theory_areas: Sequence[str],
) -> list[str]:
    """Every problem of one returned sheet, each naming the file and row and what to do.

    ``sent`` maps the cmoc ids sent to this reviewer to the rows as sent."""
    problems: list[str] = []
    seen: dict[str, int] = {}
    for line, row in sheet.rows:
        where = f"{sheet.path}, row {line}"
        cmoc, record, status = row["cmoc_id"], row["record_id"], row["status"].lower()
        if record not in documents:
            problems.append(f"{where}: record {record!r} is not an included record")
            continue
        if cmoc and cmoc not in sent:
            problems.append(
                f"{where}: cmoc_id {cmoc!r} was not sent to {sheet.reviewer}; ids are not "
                "edited (leave cmoc_id blank for a configuration you add)"
            )
            continue
        if cmoc and sent[cmoc]["record_id"] != record:
            problems.append(f"{where}: {cmoc} belongs to {sent[cmoc]['record_id']}, not {record}")
            continue
        if cmoc in seen:
            problems.append(f"{where}: {cmoc} repeats row {seen[cmoc]}; one row per configuration")
        seen[cmoc or f"new-{line}"] = line
        if status and status not in STATUSES:
            problems.append(f"{where}: status {status!r} is not one of {', '.join(STATUSES)}")
        for column, options in CHOICES.items():
            value = row[column].lower()
            if column != "status" and value and value not in options:
                problems.append(f"{where}: {column} {value!r} is not one of {', '.join(options)}")
        if row["theory_area"] and theory_areas and row["theory_area"] not in theory_areas:
            problems.append(
                f"{where}: theory_area {row['theory_area']!r} is not one of the review's "
                f"areas ({', '.join(theory_areas)})"
            )
        if status in ("accept", "edit") or not cmoc:
            if not row["outcome"]:
                problems.append(f"{where}: no outcome; a configuration needs one (or reject it)")
            if not row["context"]:
                problems.append(f"{where}: no context; a configuration needs one (or reject it)")
            if not row["quote"]:
                problems.append(f"{where}: no quote; give the evidence verbatim")
            elif not quote_found(row["quote"], documents[record]):
                problems.append(
                    f"{where}: the quote is not in {record}'s text verbatim; copy it from the "
                    "document (use … for left-out words)"
                )
        if cmoc and status == "accept":
            changed = [c for c in COLUMNS if c not in EDITABLE and row[c] != sent[cmoc].get(c, "")]
            if changed and changed != ["page"]:
                problems.append(
                    f"{where}: {', '.join(changed)} changed although status is accept; "
                    "use status edit, or restore what was sent"
                )
    return problems


def latest_rows(sheets: Sequence[ReturnedSheet]) -> dict[tuple[str, str], dict[str, str]]:
    """``(reviewer, cmoc_id) -> row`` from each reviewer's newest version (added rows get ids)."""
    out: dict[tuple[str, str], dict[str, str]] = {}
    for sheet in sorted(sheets, key=lambda s: (s.reviewer, s.version)):
        for key in [k for k in out if k[0] == sheet.reviewer]:
            del out[key]
        for _, row in sheet.rows:
            cmoc = row["cmoc_id"] or reviewer_cmoc_id(
                sheet.reviewer, row["record_id"], row["quote"]
            )
            origin = "pipeline" if row["cmoc_id"] else "reviewer"
            out[(sheet.reviewer, cmoc)] = {**row, "cmoc_id": cmoc, "origin": origin}
    return out


@dataclass(frozen=True)
class Consolidated:
    """The confirmed configurations, the conflicts between reviewers, and their agreement."""

    confirmed: tuple[dict[str, str], ...]
    conflicts: tuple[dict[str, str], ...]
    agreement: dict[str, str]
    pending: int


def consolidate(
    rows: Mapping[tuple[str, str], Mapping[str, str]],
    *,
    primary: Mapping[str, str],
    documents: Mapping[str, Document],
    resolutions: Mapping[str, Mapping[str, str]] | None = None,
    evidence: Mapping[str, str] | None = None,
) -> Consolidated:
    """Confirmed rows (``cmo_confirmed`` columns), conflicts and agreement.

    ``primary`` maps record ids to their first reviewer; a second reviewer's rows on a
    record only check (their own additions count as well). ``resolutions`` are a resolver's
    rows by cmoc id; ``evidence`` the sentence indices of the pipeline's candidates."""
    resolutions = resolutions or {}
    evidence = evidence or {}
    by_cmoc: dict[str, dict[str, Mapping[str, str]]] = {}
    for (reviewer, cmoc), row in rows.items():
        by_cmoc.setdefault(cmoc, {})[reviewer] = row
    confirmed, conflicts = [], []
    pairs: list[tuple[bool, bool]] = []
    pending = 0
    for cmoc in sorted(by_cmoc):
        views = by_cmoc[cmoc]
        record = next(iter(views.values()))["record_id"]
        first = primary.get(record)
        decided = {r: v["status"].lower() for r, v in views.items() if v["status"]}
        if len(decided) >= 2:
            a, b = sorted(decided)
            pairs.append((_accepts(decided[a]), _accepts(decided[b])))
        if cmoc in resolutions:
            chosen, reviewers = resolutions[cmoc], sorted(views)
        elif len({_accepts(s) for s in decided.values()}) > 1:
            conflicts.append({"cmoc_id": cmoc, "record_id": record,
                              **{f"status_{i + 1}": f"{r}: {s}" for i, (r, s)
                                 in enumerate(sorted(decided.items()))}})  # fmt: skip
            continue
        elif first in views and views[first]["status"]:
            chosen, reviewers = views[first], sorted(decided)
        elif decided:
            reviewer = sorted(decided)[0]
            chosen, reviewers = views[reviewer], sorted(decided)
        else:
            pending += 1
            continue
        if _accepts(chosen["status"].lower()):
            row = _confirmed_row(chosen, documents[record], reviewers)
            confirmed.append({**row, "evidence": evidence.get(cmoc, "")})
    kappa = cohen_kappa([a for a, _ in pairs], [b for _, b in pairs]) if pairs else None
    agree = sum(a == b for a, b in pairs)
    agreement = {
        "configurations_checked": str(len(pairs)),
        "raw_agreement": f"{agree / len(pairs):.4f}" if pairs else "",
        "kappa": "" if kappa is None else f"{kappa:.4f}",
        "conflicts": str(len(conflicts)),
    }
    return Consolidated(tuple(confirmed), tuple(conflicts), agreement, pending)


def _accepts(status: str) -> bool:
    return status in ("accept", "edit")


def _confirmed_row(row: Mapping[str, str], document: Document, reviewers: Sequence[str]) -> dict:
    return {
        "cmoc_id": row["cmoc_id"],
        "record_id": row["record_id"],
        "citation": row["citation"] or document.citation,
        "source_type": document.source_type,
        "section": row["section"],
        "page": row["page"],
        "evidence": "",
        "quote": row["quote"],
        "context": row["context"],
        "mechanism_resource": row["mechanism_resource"],
        "mechanism_response": row["mechanism_response"],
        "outcome": row["outcome"],
        "direction": row["direction"].lower() or "supports",
        "explicit_or_inferred": row["explicit_or_inferred"].lower() or "explicit",
        "theory_area": row["theory_area"],
        "relevance": row["relevance"].lower() or "medium",
        "rigour": row["rigour"].lower() or "medium",
        "confidence": row["confidence"].lower() or "medium",
        "origin": row.get("origin", "pipeline"),
        "reviewers": "; ".join(reviewers),
        "notes": row["notes"],
    }


# --------------------------------------------------------------------------------------------
# The stage: export the sheets, import what came back
# --------------------------------------------------------------------------------------------
PLAN_COLUMNS = ("reviewer", "cmoc_id", "record_id", "evidence")


def citation_of(record: Mapping[str, str]) -> str:
    """``Surname (year) Title…``: how sheets and tables name a document."""
    first = record.get("authors", "").split(";")[0].strip()
    surname = first.split(",")[0].strip() or "Anon."
    if len(record.get("authors", "").split(";")) > 1:
        surname += " et al."
    title = " ".join(record.get("title", "").split())
    short = title if len(title) <= 80 else title[:79].rstrip() + "…"
    return f"{surname} ({record.get('year') or 'n.d.'}) {short}"


#: spellings of the same kind of document across sources -> one name
_SOURCE_TYPES = {
    "journalarticle": "journal article", "article": "journal article",
    "researcharticle": "journal article", "jour": "journal article",
    "booksection": "book section", "bookchapter": "book section", "chapter": "book section",
    "report": "report", "techreport": "report", "rprt": "report", "document": "document",
    "thesis": "thesis", "dissertation": "thesis", "webpage": "webpage", "elec": "webpage",
    "preprint": "preprint", "postedcontent": "preprint", "review": "review",
}  # fmt: skip


def source_type(publication_type: str) -> str:
    """One name per kind of document (``journal-article``, ``JournalArticle`` -> journal article).

    >>> source_type("Journal-Article")
    'journal article'
    """
    key = re.sub(r"[^a-z]", "", publication_type.lower())
    return _SOURCE_TYPES.get(key, publication_type.strip().lower() or "record")


def documents_from_records(
    records: Iterable[Mapping[str, str]], fulltext: Mapping[str, str] | None = None
) -> dict[str, Document]:
    """Each record as a :class:`Document`: its title and abstract, or its full text when the
    full-text stage read one (``fulltext``: record id -> the document's text)."""
    fulltext = fulltext or {}
    out = {}
    for record in records:
        text = fulltext.get(record["record_id"]) or f"{record['title']}\n{record['abstract']}"
        kind = source_type((record.get("publication_type") or "").split(";")[0])
        out[record["record_id"]] = Document(record["record_id"], citation_of(record), kind, text)
    return out


def sentences_by_record(rows: Iterable[Mapping[str, str]]) -> dict[str, dict[int, str]]:
    """``record_id -> {sentence index: text}`` from ``cmo suggest``'s ``sentences.csv``."""
    out: dict[str, dict[int, str]] = {}
    for row in rows:
        out.setdefault(row["record_id"], {})[int(row["sentence"])] = row["text"]
    return out


def export_sheets(
    candidates: Sequence[Mapping[str, str]],
    documents: Mapping[str, Document],
    *,
    sentences: Mapping[str, Mapping[int, str]] | None = None,
    team: Sequence[str],
    check_share: float,
    seed: int,
    theory_areas: Sequence[str],
    out_dir: Path,
) -> list[dict[str, str]]:
    """Write one sheet per reviewer under ``out_dir``; return the plan (who has which row)."""
    known = [c for c in candidates if c["record_id"] in documents]
    plan = []
    for reviewer, rows in assign(known, team, check_share=check_share, seed=seed).items():
        sheet = [
            sheet_row(row, documents[row["record_id"]], (sentences or {}).get(row["record_id"]))
            for row in rows
        ]
        write_extraction_sheet(Path(out_dir) / f"{reviewer}.xlsx", sheet, theory_areas=theory_areas)
        plan += [{"reviewer": reviewer, "cmoc_id": r["cmoc_id"], "record_id": r["record_id"],
                  "evidence": r.get("evidence", "")} for r in rows]  # fmt: skip
    return sorted(plan, key=lambda p: (p["reviewer"], p["record_id"], p["cmoc_id"]))


def import_sheets(
    returned_dir: Path,
    *,
    plan: Sequence[Mapping[str, str]],
    candidates: Sequence[Mapping[str, str]],
    documents: Mapping[str, Document],
    theory_areas: Sequence[str],
    sentences: Mapping[str, Mapping[int, str]] | None = None,
    record: bool = True,
) -> Consolidated:
    """Validate every returned sheet (all problems at once), record new checksums, and
    consolidate; raise one :class:`InputError` naming every file and row at fault."""
    folder = Path(returned_dir)
    files = sorted(
        p for p in folder.glob("*") if p.suffix.lower() in (".xlsx", ".csv") and p.is_file()
        and not p.name.startswith(("~$", ".~lock"))
    )  # fmt: skip
    sheets = [read_returned_sheet(p) for p in files]
    by_reviewer: dict[str, dict[str, Mapping[str, str]]] = {}
    sent_rows = {c["cmoc_id"]: c for c in candidates}
    for entry in plan:
        row = sent_rows.get(entry["cmoc_id"])
        if row is not None and row["record_id"] in documents:
            record_sentences = (sentences or {}).get(row["record_id"])
            as_sent = sheet_row(row, documents[row["record_id"]], record_sentences)
            by_reviewer.setdefault(entry["reviewer"], {})[entry["cmoc_id"]] = as_sent
    problems = []
    for sheet in sheets:
        if sheet.reviewer not in by_reviewer:
            problems.append(f"{sheet.path}: no extraction sheet was sent to {sheet.reviewer!r}")
            continue
        problems += validate_sheet(sheet, sent=by_reviewer[sheet.reviewer], documents=documents,
                                   theory_areas=theory_areas)  # fmt: skip
    if record and not problems:
        problems += record_sums(folder, sheets)
    if problems:
        raise InputError(
            f"{len(problems)} problem(s) in the returned extraction sheets; nothing was "
            "imported:\n  - " + "\n  - ".join(problems)
        )
    primary: dict[str, str] = {}
    for entry in plan:
        primary.setdefault(entry["record_id"], entry["reviewer"])
    evidence = {e["cmoc_id"]: e.get("evidence", "") for e in plan}
    return consolidate(latest_rows(sheets), primary=primary, documents=documents,
                       evidence=evidence)  # fmt: skip


def _forwarded_records(records: Path, status: Path) -> list[dict[str, str]]:
    forwarded = {
        row["record_id"]
        for row in read_table(status, "screen_status")
        if row["status"] in FORWARDED
    }
    return [r for r in read_table(records, "merged_record") if r["record_id"] in forwarded]


def _forwarded_documents(records: Path, status: Path) -> dict[str, Document]:
    return documents_from_records(_forwarded_records(records, status))


def _team(settings: Mapping[str, Any]) -> tuple[list[str], float, int]:
    extraction = dict(settings.get("extraction") or {})
    return (
        list(extraction.get("team") or []),
        float(extraction.get("check_share", 0.2)),
        int(extraction.get("seed", 0)),
    )


def _areas(settings: Mapping[str, Any]) -> list[str]:
    return [str(a["id"]) for a in settings.get("theory_areas") or []]


def export_extraction_stage(
    *,
    candidates: Path,
    sentences: Path,
    records: Path,
    status: Path,
    settings: Mapping[str, Any],
    sheets_dir: Path,
    plan: Path,
) -> int:
    """Rule ``export_extraction_sheets``: the sheets to send and the plan; returns rows sent."""
    team, check_share, seed = _team(settings)
    documents = _forwarded_documents(records, status)
    rows = export_sheets(
        read_table(candidates, "cmo_candidates"),
        documents,
        sentences=sentences_by_record(read_table(sentences, "cmo_sentences")),
        team=team,
        check_share=check_share,
        seed=seed,
        theory_areas=_areas(settings),
        out_dir=sheets_dir,
    )
    write_table(plan, rows, "cmo_extraction_plan")
    return len(rows)


def summary_rows(result: Consolidated) -> list[dict[str, str]]:
    """Counts per theory area and source type, the total, and the agreement measures."""
    rows = []
    for scope, key in (("theory_area", "theory_area"), ("source_type", "source_type")):
        values = sorted({row[key] for row in result.confirmed})
        for value in values:
            members = [row for row in result.confirmed if row[key] == value]
            rows.append({"scope": scope, "value": value, "configurations": str(len(members)),
                         "sources": str(len({r["record_id"] for r in members}))})  # fmt: skip
    rows.append({"scope": "total", "value": "confirmed",
                 "configurations": str(len(result.confirmed)),
                 "sources": str(len({r["record_id"] for r in result.confirmed}))})  # fmt: skip
    rows.append({"scope": "total", "value": "pending", "configurations": str(result.pending),
                 "sources": ""})  # fmt: skip
    for measure, value in sorted(result.agreement.items()):
        rows.append({"scope": "agreement", "value": measure, "configurations": value,
                     "sources": ""})  # fmt: skip
    return rows


def import_extraction_stage(
    *,
    candidates: Path,
    sentences: Path,
    records: Path,
    status: Path,
    plan: Path,
    returned_dir: Path,
    settings: Mapping[str, Any],
    confirmed: Path,
    conflicts: Path,
    summary: Path,
    characteristics: Path | None = None,
) -> Consolidated:
    """Rule ``import_extraction_sheets``: validate and record returned sheets, then write the
    confirmed CMO table, the conflicts, the counts and the documents' characteristics."""
    forwarded = _forwarded_records(records, status)
    documents = documents_from_records(forwarded)
    result = import_sheets(
        Path(returned_dir),
        plan=read_table(plan, "cmo_extraction_plan"),
        candidates=read_table(candidates, "cmo_candidates"),
        documents=documents,
        theory_areas=_areas(settings),
        sentences=sentences_by_record(read_table(sentences, "cmo_sentences")),
    )
    write_table(confirmed, result.confirmed, "cmo_confirmed")
    conflict_rows = [
        {"cmoc_id": c["cmoc_id"], "record_id": c["record_id"],
         "status_1": c.get("status_1", ""), "status_2": c.get("status_2", "")}
        for c in result.conflicts
    ]  # fmt: skip
    write_table(conflicts, conflict_rows, "cmo_conflicts")
    write_table(summary, summary_rows(result), "cmo_summary")
    if characteristics is not None:
        from realist_review.cmo.characteristics import characteristics_rows

        rows = characteristics_rows(
            forwarded,
            result.confirmed,
            {k: d.citation for k, d in documents.items()},
            {k: d.source_type for k, d in documents.items()},
        )
        write_table(characteristics, rows, "document_characteristics")
    return result
