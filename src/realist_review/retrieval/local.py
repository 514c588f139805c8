"""Files the team puts under ``config/fulltext/``, matched to records.

A file is matched, in this order, by

1. identifiers in its **name**: a record id (``rec-0123456789ab``), a PMID (``PMID12345678``,
   ``pmid_12345678`` or a name that is only digits), a PMCID (``PMC1234567``) or a DOI with
   ``/`` written as ``_`` or ``%2F`` (``10.1186_s12913-020-0001-x.pdf``);
2. identifiers **inside** a JATS file (``<article-id pub-id-type="doi|pmid|pmc">``);
3. the **title and first author** read from a PDF's first page (and its metadata title),
   fuzzily. Such a match is never accepted on its own: it goes to the confirmation sheet, and
   is used once a person confirms it in a sheet saved under ``config/fulltext/confirmations/``.

A file that matches no record, or two records, or only a record that was not forwarded to full
text, or that is not a PDF or JATS at all, gets a row in ``needs_attention.csv``; the run goes
on.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from urllib.parse import unquote

from realist_review.errors import InputError
from realist_review.records import normalize_doi, normalize_pmcid, normalize_pmid
from realist_review.retrieval.content import MediaType, Verdict, jats_root, sniff
from realist_review.retrieval.model import Target
from realist_review.tables import sha256_bytes

log = logging.getLogger(__name__)

#: The folder under ``config/fulltext/`` for filled confirmation sheets (never scanned as texts).
CONFIRMATIONS = "confirmations"
#: Largest file read from ``config/fulltext/`` (bytes) unless the config says otherwise.
MAX_FILE_BYTES = 200 * 1024 * 1024
#: Title similarity (0-100, rapidfuzz) a PDF needs to be suggested for a record.
DEFAULT_THRESHOLD = 90.0
#: Two records within this many points of each other are both plausible: a person decides.
AMBIGUITY_MARGIN = 3.0
_SKIP_NAMES = re.compile(r"(?i)^(readme(\..*)?|\.gitkeep|sha256sums)$")
_RECORD_ID = re.compile(r"(?<![0-9a-z])(rec-[0-9a-f]{12})(?![0-9a-z])", re.I)
_PMID = re.compile(r"(?i)(?<![a-z])pmid[\s_:-]*(\d{1,9})(?!\d)")
_PMCID = re.compile(r"(?i)(?<![a-z])(pmc\d{1,9})(?!\d)")
_DOI = re.compile(r"(?i)(?<![0-9a-z])(10\.\d{4,9}(?:_|/)\S+)")


class Problem(StrEnum):
    """Values of ``problem`` in ``needs_attention.csv``."""

    NO_MATCH = "no_match"
    SEVERAL_MATCHES = "several_matches"
    NOT_FORWARDED = "not_forwarded"
    NOT_A_FULLTEXT = "not_a_fulltext"
    TOO_LARGE = "too_large"
    UNREADABLE = "unreadable"
    UNCONFIRMED = "unconfirmed"
    MATCH_REJECTED = "match_rejected"


@dataclass(frozen=True)
class Suggestion:
    """A record a file may belong to, by title and first author (0-100)."""

    record_id: str
    score: float
    author_found: bool
    text_title: str


@dataclass(frozen=True)
class LocalFile:
    """One file under ``config/fulltext/`` and what it matched."""

    path: Path
    shown: str
    sha256: str
    body: bytes
    verdict: Verdict
    matched: tuple[str, ...] = ()
    how: str = ""
    suggestions: tuple[Suggestion, ...] = ()
    problem: str = ""
    message: str = ""
    confirmed_by: str = ""


@dataclass
class Matches:
    """The outcome of matching every file: per record, the files that belong to it."""

    files: list[LocalFile] = field(default_factory=list)

    def for_record(self, record_id: str) -> list[LocalFile]:
        return [f for f in self.files if f.matched == (record_id,) and not f.problem]

    def unusable_for(self, record_id: str) -> list[LocalFile]:
        """Files named for this record that are not usable (not a PDF or JATS, too large)."""
        return [
            f
            for f in self.files
            if f.matched == (record_id,)
            and f.problem in (Problem.NOT_A_FULLTEXT, Problem.TOO_LARGE)
        ]

    def suggested_for(self, record_id: str) -> list[LocalFile]:
        return [
            f
            for f in self.files
            if f.problem == Problem.UNCONFIRMED
            and f.suggestions
            and f.suggestions[0].record_id == record_id
        ]


# --------------------------------------------------------------------------------------------
# Identifiers in names and in JATS
# --------------------------------------------------------------------------------------------
def _doi_key(doi: str) -> str:
    return doi.lower().replace("/", "_")


def name_identifiers(name: str) -> dict[str, set[str]]:
    """Identifiers a file name carries (``record_id``, ``pmid``, ``pmcid``, ``doi_key``).

    DOIs are returned as keys with ``/`` written as ``_`` (file names cannot hold ``/``), to be
    compared with :func:`_doi_key` of a record's DOI.

    >>> sorted(name_identifiers("10.1186%2Fs12913-020-0001-x.pdf")["doi_key"])
    ['10.1186_s12913-020-0001-x']
    >>> name_identifiers("PMID_31234567 Smith 2019.pdf")["pmid"]
    {'31234567'}
    """
    stem = Path(name).stem if Path(name).suffix.lower() in {".pdf", ".xml", ".nxml"} else name
    decoded = unquote(stem)
    found: dict[str, set[str]] = {
        "record_id": set(),
        "pmid": set(),
        "pmcid": set(),
        "doi_key": set(),
    }
    found["record_id"] = {m.lower() for m in _RECORD_ID.findall(decoded)}
    found["pmid"] = {normalize_pmid(m) for m in _PMID.findall(decoded)}
    if stem.isdigit() and len(stem) <= 9:
        found["pmid"].add(normalize_pmid(stem))
    found["pmcid"] = {normalize_pmcid(m) for m in _PMCID.findall(decoded)}
    for match in _DOI.findall(decoded):
        key = _doi_key(match).rstrip(".")
        # The DOI may be followed by words ("10.1000_x1 Smith 2020"); every prefix that ends at
        # a separator is a candidate, the longest that matches a record wins.
        found["doi_key"].add(key)
        for cut in re.finditer(r"[\s_]", key):
            found["doi_key"].add(key[: cut.start()])
    found = {k: {v for v in vs if v} for k, vs in found.items()}
    return found


def jats_identifiers(data: bytes) -> dict[str, set[str]]:
    """``article-id`` values in a JATS file's front matter (doi, pmid, pmcid) and its title."""
    root = jats_root(data)
    found: dict[str, set[str]] = {"pmid": set(), "pmcid": set(), "doi_key": set(), "title": set()}
    if root is None:
        return found
    for element in root.iter():
        tag = str(element.tag).rsplit("}", 1)[-1]
        if tag == "article-id":
            kind = (element.get("pub-id-type") or "").lower()
            value = "".join(element.itertext()).strip()
            if kind == "doi" and normalize_doi(value):
                found["doi_key"].add(_doi_key(normalize_doi(value)))
            elif kind == "pmid" and normalize_pmid(value):
                found["pmid"].add(normalize_pmid(value))
            elif kind in ("pmc", "pmcid") and normalize_pmcid(value):
                found["pmcid"].add(normalize_pmcid(value))
        elif tag == "article-title" and not found["title"]:
            found["title"].add(" ".join("".join(element.itertext()).split()))
    return found


def records_with(ids: Mapping[str, set[str]], records: Sequence[Mapping[str, str]]) -> list[str]:
    """Record ids (sorted) whose record id, PMID, PMCID or DOI is among ``ids``."""
    hits = set()
    for row in records:
        if (
            row["record_id"].lower() in ids.get("record_id", set())
            or (row.get("pmid") and row["pmid"] in ids.get("pmid", set()))
            or (row.get("pmcid") and normalize_pmcid(row["pmcid"]) in ids.get("pmcid", set()))
            or (row.get("doi") and _doi_key(normalize_doi(row["doi"])) in ids.get("doi_key", set()))
        ):
            hits.add(row["record_id"])
    return sorted(hits)


# --------------------------------------------------------------------------------------------
# Title and first author from a PDF
# --------------------------------------------------------------------------------------------
def fold(text: str) -> str:
    """Lower case, accents and punctuation removed, spaces collapsed (for fuzzy matching).

    >>> fold("Trauma-Informed  Care: a Réview")
    'trauma informed care a review'
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^\w]+", " ", text.lower())
    return " ".join(text.split())


def pdf_first_page(data: bytes) -> tuple[str, str]:
    """``(first page text, metadata title)`` of a PDF; raises ValueError when unreadable."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ValueError(f"the PDF cannot be opened ({exc}): encrypted or damaged?") from None
    try:
        if len(document) == 0:
            raise ValueError("the PDF has no pages")
        page = document[0]
        textpage = page.get_textpage()
        text = textpage.get_text_bounded()
        title = str(document.get_metadata_dict().get("Title", "") or "")
        textpage.close()
        page.close()
    finally:
        document.close()
    return text, title


def suggest(
    text: str, meta_title: str, targets: Sequence[Target], *, threshold: float
) -> list[Suggestion]:
    """Records whose title appears (fuzzily) on the page, best first; ties broken by id."""
    from rapidfuzz import fuzz

    page = fold(text)[:6000]
    meta = fold(meta_title)
    words = set(page.split())
    found: list[Suggestion] = []
    for target in targets:
        title = fold(target.title)
        if len(title) < 12:
            continue
        score = max(
            fuzz.partial_ratio(title, page) if page else 0.0,
            fuzz.ratio(title, meta) if meta else 0.0,
        )
        author = fold(target.first_author)
        author_found = bool(author) and all(part in words for part in author.split())
        if score >= threshold and (author_found or score >= 97 or not author):
            found.append(Suggestion(target.record_id, round(score, 1), author_found, ""))
    found.sort(key=lambda s: (-s.score, not s.author_found, s.record_id))
    return found


# --------------------------------------------------------------------------------------------
# Scanning the folder
# --------------------------------------------------------------------------------------------
def list_files(folder: Path) -> list[Path]:
    """Every file below ``folder`` that may be a full text (sorted; README and sheets skipped)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    files = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if not path.is_file() or rel.parts[0] == CONFIRMATIONS:
            continue
        if any(part.startswith(".") for part in rel.parts) or _SKIP_NAMES.match(path.name):
            continue
        files.append(path)
    return files


def match_files(
    folder: Path,
    *,
    targets: Sequence[Target],
    records: Sequence[Mapping[str, str]],
    confirmations: Mapping[tuple[str, str], tuple[bool, str]] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    max_bytes: int = MAX_FILE_BYTES,
    shown_root: Path | None = None,
) -> Matches:
    """Match every file under ``folder`` to the forwarded records (see the module docstring).

    ``confirmations`` maps ``(sha256, record_id)`` to ``(accepted, who)`` from the filled
    confirmation sheets; ``records`` are all deduplicated records (to tell a file for a record
    excluded at title/abstract from one that matches nothing).
    """
    confirmations = confirmations or {}
    target_rows = [t.row for t in targets]
    forwarded = {t.record_id for t in targets}
    result = Matches()
    for path in list_files(folder):
        shown = str(path)
        if shown_root is not None and path.is_relative_to(shown_root):
            shown = str(path.relative_to(shown_root))
        result.files.append(
            _match_one(
                path,
                shown,
                targets=targets,
                target_rows=target_rows,
                records=records,
                forwarded=forwarded,
                confirmations=confirmations,
                threshold=threshold,
                max_bytes=max_bytes,
            )
        )
    return result


def _match_one(
    path: Path,
    shown: str,
    *,
    targets: Sequence[Target],
    target_rows: Sequence[Mapping[str, str]],
    records: Sequence[Mapping[str, str]],
    forwarded: set[str],
    confirmations: Mapping[tuple[str, str], tuple[bool, str]],
    threshold: float,
    max_bytes: int,
) -> LocalFile:
    ids = name_identifiers(path.name)
    named = tuple(records_with(ids, target_rows)) if any(ids.values()) else ()
    size = path.stat().st_size
    if size > max_bytes:
        return LocalFile(
            path,
            shown,
            "",
            b"",
            Verdict(None, "too large"),
            matched=named,
            problem=Problem.TOO_LARGE,
            message=f"{size:,} bytes is over the limit of {max_bytes:,} (fulltext.max_file_mb)",
        )
    body = path.read_bytes()
    digest = sha256_bytes(body)
    verdict = sniff(body)
    base = LocalFile(path, shown, digest, body, verdict)
    if verdict.media_type is None:
        return _replace(
            base,
            matched=named,
            problem=Problem.NOT_A_FULLTEXT,
            message=f"not a PDF or JATS full text: {verdict.message}",
        )
    how = "file name"
    jats_title = ""
    if not any(ids.values()) and verdict.media_type is MediaType.JATS:
        inner = jats_identifiers(body)
        jats_title = next(iter(inner.pop("title")), "")
        ids, how = inner, "identifiers in the JATS"
    if any(ids.values()):
        hits = records_with(ids, target_rows)
        if len(hits) == 1:
            return _replace(base, matched=(hits[0],), how=how)
        if len(hits) > 1:
            return _replace(
                base,
                matched=tuple(hits),
                how=how,
                problem=Problem.SEVERAL_MATCHES,
                message=f"its {how} match {len(hits)} records: {', '.join(hits)}; rename the "
                "file to the one record id it belongs to",
            )
        others = [r for r in records_with(ids, records) if r not in forwarded]
        if others:
            return _replace(
                base,
                matched=tuple(others),
                how=how,
                problem=Problem.NOT_FORWARDED,
                message=f"its {how} match {', '.join(others)}, which was not included (or "
                "maybe) at title/abstract; nothing to do unless that decision changes",
            )
        if how == "file name":
            return _replace(
                base,
                problem=Problem.NO_MATCH,
                message="the identifier in its file name matches no record; check the name",
            )
    # Title and first author
    try:
        if verdict.media_type is MediaType.PDF:
            text, meta_title = pdf_first_page(body)
        else:
            text, meta_title = jats_title, jats_title
    except ValueError as exc:
        return _replace(base, problem=Problem.UNREADABLE, message=str(exc))
    suggestions = suggest(text, meta_title, targets, threshold=threshold)
    if not suggestions:
        return _replace(
            base,
            problem=Problem.NO_MATCH,
            message="no identifier in its name and no forwarded record's title on its first "
            "page; rename it to the record id, DOI or PMID it belongs to",
        )
    decided = [(s, confirmations.get((digest, s.record_id))) for s in suggestions]
    accepted = [(s, who) for s, d in decided if d and d[0] for who in [d[1]]]
    if len(accepted) == 1:
        suggestion, who = accepted[0]
        return _replace(
            base,
            matched=(suggestion.record_id,),
            how="title and first author, confirmed",
            suggestions=tuple(suggestions),
            confirmed_by=who,
        )
    if len(accepted) > 1:
        ids_ = ", ".join(s.record_id for s, _ in accepted)
        return _replace(
            base,
            suggestions=tuple(suggestions),
            problem=Problem.SEVERAL_MATCHES,
            message=f"confirmed for {len(accepted)} records ({ids_}); keep one confirmation",
        )
    open_ = [s for s, d in decided if d is None]
    if not open_:
        return _replace(
            base,
            suggestions=tuple(suggestions),
            problem=Problem.MATCH_REJECTED,
            message="every suggested match was rejected on a confirmation sheet; rename the "
            "file to the record id it belongs to",
        )
    best = open_[0]
    close = [s for s in open_[1:] if best.score - s.score <= AMBIGUITY_MARGIN]
    if close:
        ids_ = ", ".join(s.record_id for s in [best, *close])
        return _replace(
            base,
            suggestions=tuple(open_),
            problem=Problem.SEVERAL_MATCHES,
            message=f"its first page fits {len(close) + 1} records equally well ({ids_}); "
            "confirm one on the confirmation sheet or rename the file",
        )
    return _replace(
        base,
        suggestions=(best,),
        problem=Problem.UNCONFIRMED,
        message=f"its first page fits {best.record_id} (title {best.score:g}/100"
        + (", first author found" if best.author_found else "")
        + "); confirm it on results/fulltext/confirm_matches.xlsx",
    )


def _replace(base: LocalFile, **changes: object) -> LocalFile:
    from dataclasses import replace

    return replace(base, **changes)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Filled confirmation sheets
# --------------------------------------------------------------------------------------------
_YES = {"yes", "y", "confirm", "confirmed", "same", "match"}
_NO = {"no", "n", "reject", "rejected", "different", "not a match"}


def read_confirmations(folder: Path) -> dict[tuple[str, str], tuple[bool, str]]:
    """``(sha256, record_id) -> (accepted, who)`` from the sheets in ``folder`` (xlsx or csv).

    Sheets are read in name order; a later sheet's decision on the same pair wins (and is
    logged). A row without a decision is skipped; an unknown decision stops with its place.
    """
    decisions: dict[tuple[str, str], tuple[bool, str]] = {}
    folder = Path(folder)
    if not folder.is_dir():
        return decisions
    for path in sorted(p for p in folder.iterdir() if p.suffix.lower() in {".xlsx", ".csv"}):
        for line, row in _sheet_rows(path):
            decision = row.get("decision", "").strip().lower()
            if not decision:
                continue
            if decision not in _YES | _NO:
                raise InputError(
                    f"{path}: line {line}, column 'decision': {decision!r} is not yes or no"
                )
            key = (row.get("sha256", "").strip().lower(), row.get("record_id", "").strip())
            if not all(key):
                raise InputError(f"{path}: line {line}: sha256 and record_id are both needed")
            who = row.get("reviewer", "").strip() or path.name
            if key in decisions and decisions[key][0] != (decision in _YES):
                log.info("%s: line %d changes an earlier decision on %s", path, line, key[1])
            decisions[key] = (decision in _YES, who)
    return decisions


def _sheet_rows(path: Path) -> Iterable[tuple[int, dict[str, str]]]:
    from realist_review.tables import read_bytes

    data = read_bytes(path, max_bytes=50 * 1024 * 1024)
    if path.suffix.lower() == ".csv":
        import csv
        import io

        from realist_review.tables import decode_text

        reader = csv.DictReader(io.StringIO(decode_text(data, path=path)))
        for index, row in enumerate(reader, start=2):
            yield index, {str(k).strip().lower(): str(v or "") for k, v in row.items() if k}
        return
    from realist_review.tables import read_xlsx_rows

    cells = read_xlsx_rows(path, data)
    rows = iter(cells)
    header = [str(c or "").strip().lower() for c in next(rows, [])]
    if "sha256" not in header or "record_id" not in header or "decision" not in header:
        raise InputError(
            f"{path}: expected the columns sha256, record_id and decision of the confirmation "
            "sheet (results/fulltext/confirm_matches.xlsx)"
        )
    for index, values in enumerate(rows, start=2):
        yield index, dict(zip(header, values, strict=False))
