"""Filled screening sheets in, the append-only decision log out.

The human input is the set of sheet files under ``config/screening/`` (layout in
``workflow/schemas/README.md``, section "Screening")::

    config/screening/
      SHA256SUMS                    checksums of every sheet already imported (append-only)
      round-01/
        alice.xlsx                  alice's returned sheet (version 1)
        alice.v2.xlsx               alice's corrections (version 2): only changes count
        bob.csv                     a CSV sheet (Google Sheets, LibreOffice)
        plan.csv                    the round's plan, kept by the export that sent it out
        conflicts/carol.xlsx        carol's resolutions of round 1's disagreements

A returned file is never edited: corrections come back as a new version. The decision log
(``results/screen/decision_log.csv``) is rebuilt from the files every time, in a fixed order
(round; screening before conflict sheets; reviewer; version; row), and records a row only when
it differs from that reviewer's current decision on the record. So re-importing changes
nothing, the same files give the same bytes, and a changed decision is a new entry next to
the old one. ``SHA256SUMS`` makes in-place edits and deletions visible: the first time a
sheet is read (by the pipeline or any ``realist-review screen`` command) its checksum is
appended, and from then on :func:`import_decisions` refuses the file changed or gone. So the
log only ever grows.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from realist_review.errors import InputError
from realist_review.screen.inputs import RecordIndex, load_records, record_index
from realist_review.screen.settings import (
    Decision,
    RoundKind,
    ScreeningSettings,
    reviewer_list,
    screening_settings,
)
from realist_review.screen.sheets import (
    FilledSheet,
    PlanRow,
    SheetRow,
    check_sheet_text,
    parse_plan_rows,
    plan_rows_as_dicts,
    plan_sha256,
    read_sheet,
    round_folder,
    row_check,
    title_key,
)
from realist_review.tables import (
    escape_formula,
    read_table,
    read_text,
    sha256_file,
    write_atomic,
    write_table,
)

log = logging.getLogger(__name__)

SUMS_FILE = "SHA256SUMS"
CONFLICTS_DIR = "conflicts"
#: Most problems listed in one error message.
MAX_PROBLEMS = 40

_ROUND_DIR_RE = re.compile(r"round-(?P<round>[0-9]{1,4})")
_SHEET_NAME_RE = re.compile(
    r"(?P<reviewer>[a-z0-9][a-z0-9_-]{0,63})(?:\.v(?P<version>[1-9][0-9]{0,3}))?\.(?P<ext>xlsx|csv)"
)
_SUMS_LINE_RE = re.compile(r"(?P<sha>[0-9a-f]{64}) [ *](?P<path>\S.*)")


def _ignored(name: str) -> bool:
    """Files spreadsheet programs and file managers leave behind."""
    lowered = name.lower()
    return (
        name.startswith(("~$", ".~lock.", "."))
        or lowered in {"thumbs.db", "desktop.ini"}
        or lowered.startswith("readme")
    )


@dataclass(frozen=True)
class SheetFile:
    """A sheet file found under the screening folder, with what its place and name say."""

    round: int
    conflict: bool
    reviewer: str
    version: int
    path: Path
    relative: str

    @property
    def sort_key(self) -> tuple[int, bool, str, int]:
        """The order decisions are replayed in."""
        return (self.round, self.conflict, self.reviewer, self.version)


@dataclass(frozen=True)
class LogEntry:
    """One row of the decision log."""

    record_id: str
    reviewer: str
    round: int
    decision: Decision
    reason: str
    note: str
    timestamp: str
    source_file: str
    source_sha256: str
    kind: RoundKind
    version: int
    source_row: int

    @property
    def key(self) -> tuple[str, str, int, RoundKind]:
        """(record, reviewer, round, kind): the latest entry per key is the current decision."""
        return (self.record_id, self.reviewer, self.round, self.kind)

    def same_decision(self, other: LogEntry) -> bool:
        """True when ``other`` says exactly the same (decision, reason and note)."""
        return (self.decision, self.reason, self.note) == (other.decision, other.reason, other.note)

    def as_row(self) -> dict[str, str]:
        """The entry as a ``decision_log`` table row."""
        return {
            "record_id": self.record_id,
            "reviewer": self.reviewer,
            "round": str(self.round),
            "decision": str(self.decision),
            "reason": self.reason,
            "note": self.note,
            "timestamp": self.timestamp,
            "source_file": self.source_file,
            "source_sha256": self.source_sha256,
            "kind": str(self.kind),
            "version": str(self.version),
            "source_row": str(self.source_row),
        }


@dataclass(frozen=True)
class ImportResult:
    """What an import found: log entries (in log order), plans per round, files, warnings."""

    entries: tuple[LogEntry, ...]
    plans: Mapping[int, tuple[PlanRow, ...]]
    files: tuple[SheetFile, ...]
    new_files: tuple[str, ...]
    warnings: tuple[str, ...]
    #: Rows still without a decision, by sheet file (relative path).
    pending: Mapping[str, int] = field(default_factory=dict)
    #: SHA-256 of every file read (relative path -> hex), as read.
    checksums: Mapping[str, str] = field(default_factory=dict)


class _Problems:
    """Collects problems so one error message lists them all (up to :data:`MAX_PROBLEMS`)."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, message: str) -> None:
        self.items.append(message)

    def raise_if_any(self, what: str) -> None:
        if not self.items:
            return
        shown = self.items[:MAX_PROBLEMS]
        more = len(self.items) - len(shown)
        tail = f"\n  ... and {more} more" if more > 0 else ""
        raise InputError(
            f"{what}: {len(self.items)} problem(s) to fix before the decisions can be used:\n  - "
            + "\n  - ".join(shown)
            + tail
        )


# --------------------------------------------------------------------------------------------
# Finding the files
# --------------------------------------------------------------------------------------------
def _sheet_file(
    path: Path, root: Path, round_: int, conflict: bool, problems: _Problems
) -> SheetFile | None:
    match = _SHEET_NAME_RE.fullmatch(path.name)
    relative = path.relative_to(root).as_posix()
    if not match:
        problems.add(
            f"{relative}: unexpected file name. Sheets are named <reviewer>.xlsx (or .csv), "
            "and corrections <reviewer>.v2.xlsx, <reviewer>.v3.xlsx, ... with the reviewer "
            "id from screening.team (downloads often become 'alice (1).xlsx': rename them)."
        )
        return None
    return SheetFile(
        round=round_,
        conflict=conflict,
        reviewer=match["reviewer"],
        version=int(match["version"] or 1),
        path=path,
        relative=relative,
    )


def find_sheet_files(screening_dir: Path) -> tuple[list[SheetFile], dict[int, Path]]:
    """Every sheet file and every ``plan.csv`` under ``screening_dir``, checked by name.

    Files left by spreadsheet programs (``~$alice.xlsx``, ``.~lock.alice.xlsx#``) and READMEs
    are ignored; any other unexpected file is an error (a misnamed sheet must not be skipped).
    """
    root = Path(screening_dir)
    problems = _Problems()
    files: list[SheetFile] = []
    plans: dict[int, Path] = {}
    if not root.is_dir():
        return [], {}
    for entry in sorted(root.iterdir()):
        if _ignored(entry.name) or entry.name == SUMS_FILE:
            continue
        match = _ROUND_DIR_RE.fullmatch(entry.name)
        if not entry.is_dir() or not match:
            problems.add(
                f"{entry.name}: unexpected {'folder' if entry.is_dir() else 'file'} in "
                f"{root}; sheets go in round folders such as round-01/"
            )
            continue
        round_ = int(match["round"])
        if round_ == 0:
            problems.add(f"{entry.name}: rounds are numbered from 1 (round-01)")
            continue
        if entry.name != round_folder(round_):
            problems.add(f"{entry.name}: name the folder {round_folder(round_)}")
            continue
        for item in sorted(entry.iterdir()):
            if _ignored(item.name):
                continue
            if item.is_dir() and item.name == CONFLICTS_DIR:
                for sub in sorted(item.iterdir()):
                    if _ignored(sub.name):
                        continue
                    if sub.is_dir():
                        problems.add(f"{sub.relative_to(root).as_posix()}: unexpected folder")
                        continue
                    found = _sheet_file(sub, root, round_, True, problems)
                    if found:
                        files.append(found)
            elif item.is_dir():
                problems.add(
                    f"{item.relative_to(root).as_posix()}: unexpected folder (only "
                    f"'{CONFLICTS_DIR}/' may be inside a round folder)"
                )
            elif item.name == "plan.csv":
                plans[round_] = item
            else:
                found = _sheet_file(item, root, round_, False, problems)
                if found:
                    files.append(found)
    seen: dict[tuple[int, bool, str, int], SheetFile] = {}
    for sheet in sorted(files, key=lambda f: (f.sort_key, f.relative)):
        if sheet.sort_key in seen:
            problems.add(
                f"{sheet.relative} and {seen[sheet.sort_key].relative} are the same sheet "
                f"version; keep one, or name the later one {sheet.reviewer}.v"
                f"{sheet.version + 1}.{sheet.path.suffix.lstrip('.')}"
            )
        else:
            seen[sheet.sort_key] = sheet
    problems.raise_if_any(str(root))
    return sorted(seen.values(), key=lambda f: f.sort_key), plans


# --------------------------------------------------------------------------------------------
# Checksum ledger (SHA256SUMS)
# --------------------------------------------------------------------------------------------
def read_sums(path: Path) -> dict[str, str]:
    """``relative path -> sha256`` from a ``sha256sum``-format file (absent: empty)."""
    path = Path(path)
    if not path.is_file():
        return {}
    sums: dict[str, str] = {}
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        match = _SUMS_LINE_RE.fullmatch(line.strip())
        if not match:
            raise InputError(
                f"{path}: line {number} is not '<sha256>  <path>'; this file is written by "
                "`realist-review screen import`, restore it from version control"
            )
        sums[match["path"]] = match["sha"]
    return sums


def _sums_text(sums: Mapping[str, str]) -> str:
    header = (
        "# Checksums of screening files already read (sha256sum format).\n"
        "# Appended when a file is first read (pipeline or `realist-review screen`); never edit "
        "a listed file.\n"
    )
    return header + "".join(f"{sha}  {rel}\n" for rel, sha in sorted(sums.items()))


def check_sums(
    screening_dir: Path, current: Mapping[str, str], sums: Mapping[str, str]
) -> list[str]:
    """Problems with files listed in the ledger: changed in place or gone."""
    problems: list[str] = []
    for relative, sha in sorted(sums.items()):
        if relative not in current:
            problems.append(
                f"{relative}: imported before (listed in {SUMS_FILE}) but now missing. Nothing "
                "a reviewer returned may be removed: restore it (e.g. `git checkout -- "
                f"{Path(screening_dir) / relative}`)."
            )
        elif current[relative] != sha:
            stem = Path(relative)
            problems.append(
                f"{relative}: changed since it was imported (its SHA-256 is not the one in "
                f"{SUMS_FILE}). A returned sheet is never edited: restore the original and "
                f"save the corrections as a new version, e.g. {stem.parent.as_posix()}/"
                f"<reviewer>.v<next>{stem.suffix}."
            )
    return problems


# --------------------------------------------------------------------------------------------
# Validating one sheet
# --------------------------------------------------------------------------------------------
def _decision(text: str) -> Decision | None:
    cleaned = text.strip().lstrip("'").strip().casefold()
    try:
        return Decision(cleaned)
    except ValueError:
        return None


def _validate_rows(
    sheet: SheetFile,
    filled: FilledSheet,
    *,
    kind: RoundKind,
    assigned: Mapping[str, set[str]],
    records: RecordIndex,
    settings: ScreeningSettings,
    problems: _Problems,
) -> tuple[list[LogEntry], list[str]]:
    """Log entries of one sheet's rows, and the record ids of its blank (pending) rows.

    Every problem found goes to ``problems``. A row without a decision, reason, note or text
    in an added column stays pending; one with text but no decision is refused (what a person
    typed is never dropped). Text in added columns joins the entry's note.
    """
    where = sheet.relative
    entries: list[LogEntry] = []
    pending: list[str] = []
    first_row: dict[str, int] = {}
    for row in filled.rows:
        here = f"{where} row {row.row}"
        record_id = row.get("record_id").lstrip("'")
        if not record_id:
            problems.add(
                f"{here}: has text but no record_id; write notes in the 'note' column of the "
                "record's own row, and do not add rows"
            )
            continue
        here = f"{here} ({record_id})"
        if record_id in first_row:
            problems.add(f"{here}: the record appears twice (also row {first_row[record_id]})")
            continue
        first_row[record_id] = row.row
        problem = _row_problem(row, record_id, sheet, kind=kind, assigned=assigned, records=records)
        if problem:
            problems.add(f"{here}: {problem}")
            continue
        decision_text = row.get("decision")
        decision = _decision(decision_text)
        typed = [
            row.get("reason"),
            row.get("note"),
            *(text for _, text in row.extras if not records.is_shown(record_id, text)),
        ]
        if decision is None:
            if decision_text:
                problems.add(
                    f"{here}: decision {decision_text[:30]!r} is not include, exclude or maybe"
                )
            elif any(typed):
                problems.add(
                    f"{here}: has a reason or note but no decision; pick include, exclude or "
                    "maybe ('maybe' when unsure), so that what was written is kept"
                )
            else:
                pending.append(record_id)  # not screened yet: the record stays waiting
            continue
        reason, problem = _reason(decision, row.get("reason").strip(), settings)
        if problem:
            problems.add(f"{here}: {problem}")
            continue
        entries.append(
            LogEntry(
                record_id=record_id,
                reviewer=sheet.reviewer,
                round=sheet.round,
                decision=decision,
                reason=reason,
                note=escape_formula(_note(row, records, record_id)),
                timestamp=filled.timestamp,
                source_file=sheet.relative,
                source_sha256=filled.sha256,
                kind=kind,
                version=sheet.version,
                source_row=row.row,
            )
        )
    return entries, pending


def _row_problem(
    row: SheetRow,
    record_id: str,
    sheet: SheetFile,
    *,
    kind: RoundKind,
    assigned: Mapping[str, set[str]],
    records: RecordIndex,
) -> str:
    """What is wrong with a row's record, round, reviewer, kind or check cell ("" if nothing)."""
    if records.current_id(record_id) is None:
        return "not a record of this review (unknown record_id)"
    if row.get("round") != str(sheet.round):
        return (
            f"the round cell says {row.get('round')!r} but the file is in "
            f"{round_folder(sheet.round)}/; was it saved in the wrong round folder?"
        )
    reviewers = assigned.get(record_id, set())
    if not sheet.conflict and sheet.reviewer not in reviewers:
        others = f" (it was sent to {reviewer_list(sorted(reviewers))})" if reviewers else ""
        return (
            f"this record was not sent to {sheet.reviewer} in round "
            f"{sheet.round}{others}; was the row pasted from another sheet?"
        )
    if sheet.conflict and not reviewers:
        return (
            f"this record was not screened in round {sheet.round}, so it has no "
            "disagreement to resolve there"
        )
    if row.get("kind") != str(kind):
        return (
            f"the kind cell says {row.get('kind')!r}, expected {str(kind)!r}; the "
            "grey columns must stay as exported"
        )
    title = row.get("title")
    if row.get("check") != row_check(sheet.round, sheet.reviewer, kind, record_id, title):
        exported = records.titles.get(records.current_id(record_id) or "", "")
        if row.get("check") == row_check(sheet.round, sheet.reviewer, kind, record_id, exported):
            return (
                f"the title was edited ({where_titles_differ(title, exported)}); "
                "restore it and put remarks in 'note'"
            )
        else:
            return (
                "the title or the grey cells (reviewer, round, kind, check) were "
                "changed after export; restore them from the exported sheet"
            )
    return ""


def _reason(decision: Decision, reason_text: str, settings: ScreeningSettings) -> tuple[str, str]:
    """The exclusion reason to log (a criterion's code, or the text when the config lists no
    criteria) and what is wrong with it ("" if nothing)."""
    choices = ", ".join(c.code for c in settings.exclusion)
    if not reason_text:
        if decision is Decision.EXCLUDE and settings.require_reason:
            return "", f"excluded without a reason; pick one of {choices}"
        return "", ""
    if decision is not Decision.EXCLUDE:
        return "", (
            f"an exclusion reason ({reason_text[:40]!r}) with decision "
            f"{decision}; reasons go with exclude only, put remarks in 'note'"
        )
    if not settings.exclusion:
        return escape_formula(reason_text), ""
    code = settings.reason_code(reason_text.lstrip("'"))
    if code is None:
        return "", (f"exclusion reason {reason_text[:40]!r} is not one of the criteria ({choices})")
    return code, ""


def _note(row: SheetRow, records: RecordIndex, record_id: str) -> str:
    """The note cell, with the text of columns a reviewer added (``heading: text``); a cell
    that only repeats what the sheet shows of the record (a renamed display column such as
    the abstract) is not typed text and is left out."""
    typed = [(label, text) for label, text in row.extras if not records.is_shown(record_id, text)]
    parts = [row.get("note"), *(f"{label}: {text}" for label, text in typed)]
    return " | ".join(part for part in parts if part)


def where_titles_differ(returned: str, exported: str) -> str:
    """Where an edited title first differs from the exported one, from the start of that word.

    >>> where_titles_differ("Care in homes for children", "Care in homes for young people")
    "from character 19: '...children' here, '...young people' as exported"
    """
    one, two = title_key(returned), title_key(exported)
    at = 0
    while at < min(len(one), len(two)) and one[at] == two[at]:
        at += 1
    lead = max(one.rfind(" ", 0, at) + 1, at - 25)

    def excerpt(text: str) -> str:
        shown = text[lead : at + 30]
        return ("..." if lead else "") + shown + ("..." if len(text) > at + 30 else "")

    return f"from character {at + 1}: {excerpt(one)!r} here, {excerpt(two)!r} as exported"


def _check_sheet_reviewer(sheet: SheetFile, filled: FilledSheet, problems: _Problems) -> bool:
    """The reviewer cells and the hidden 'about' tab must name the file's reviewer."""
    named = {row.get("reviewer") for row in filled.rows if row.get("record_id")}
    about = filled.about.get("reviewer", "")
    others = sorted((named | ({about} if about else set())) - {sheet.reviewer, ""})
    if not others:
        return True
    owner = others[0]
    problems.add(
        f"{sheet.relative}: the file name says reviewer {sheet.reviewer!r} but the sheet "
        f"belongs to {reviewer_list(others)} (its reviewer cells). If this is {owner}'s sheet, "
        f"save it as {owner}.xlsx (or the next version {owner}.vN.xlsx); never change the "
        "reviewer cells."
    )
    return False


def _check_sheet_round(sheet: SheetFile, filled: FilledSheet, problems: _Problems) -> bool:
    """The round a sheet says it is from (hidden tabs, round cells) must be its folder's."""
    said = {row.get("round") for row in filled.rows if row.get("record_id")}
    if filled.about.get("round"):
        said.add(filled.about["round"])
    if filled.plan is not None:
        said |= {str(p.round) for p in filled.plan}
    said.discard("")
    if not said or said == {str(sheet.round)}:
        return True
    if len(said) == 1:
        (other,) = said
        if other.isdigit() and int(other) > 0:
            where = "conflicts/" if sheet.conflict else ""
            problems.add(
                f"{sheet.relative}: this is a sheet of round {other}, saved in "
                f"{round_folder(sheet.round)}/; move it to "
                f"{round_folder(int(other))}/{where}{sheet.path.name}"
            )
            return False
    return True  # mixed rounds: the rows are named one by one


# --------------------------------------------------------------------------------------------
# Plans of rounds
# --------------------------------------------------------------------------------------------
def _round_plans(
    sheets: Sequence[tuple[SheetFile, FilledSheet]],
    plan_files: Mapping[int, Path],
    problems: _Problems,
) -> dict[int, tuple[PlanRow, ...]]:
    """The frozen plan of each round: from the .xlsx sheets' hidden tab or plan.csv."""
    found: dict[int, list[tuple[str, tuple[PlanRow, ...]]]] = defaultdict(list)
    for round_, path in sorted(plan_files.items()):
        check_sheet_text(path)  # a reviewer's advice, not a database export's
        rows = read_table(path, "screen_plan")
        where = f"{round_folder(round_)}/plan.csv"
        found[round_].append((where, parse_plan_rows(rows, where=where)))
    for sheet, filled in sheets:
        if sheet.conflict or filled.plan is None:
            continue
        recorded = filled.about.get("plan_sha256", "")
        if recorded and recorded != plan_sha256(filled.plan):
            problems.add(
                f"{sheet.relative}: the hidden 'plan' tab was changed after export (its "
                "checksum no longer matches); start again from the exported sheet"
            )
            continue
        found[sheet.round].append((sheet.relative, filled.plan))
    rounds = {s.round for s, _ in sheets}
    plans: dict[int, tuple[PlanRow, ...]] = {}
    for round_ in sorted(rounds | set(found)):
        candidates = found.get(round_, [])
        if not candidates:
            problems.add(
                f"{round_folder(round_)}/: no plan for this round. Returned .xlsx sheets carry "
                "it; a round returned only as CSV needs plan.csv beside the sheets (copy "
                f"results/screen/sheets/{round_folder(round_)}/plan.csv)."
            )
            continue
        first_where, first = candidates[0]
        digest = plan_sha256(first)
        clashing = [where for where, plan in candidates[1:] if plan_sha256(plan) != digest]
        if clashing:
            problems.add(
                f"{round_folder(round_)}/: {first_where} and {', '.join(clashing)} come from "
                "different exports of the round; return the sheets of one export only"
            )
            continue
        wrong = sorted({p.round for p in first} - {round_})
        kinds = {p.kind for p in first}
        if wrong or len(kinds) != 1 or RoundKind.CONFLICT_RESOLUTION in kinds:
            problems.add(
                f"{first_where}: its plan is for round {wrong or sorted(kinds)}, not round "
                f"{round_}; was it saved in the wrong round folder?"
            )
            continue
        plans[round_] = tuple(sorted(first, key=lambda p: (p.rank, p.reviewer)))
    return plans


def _assigned(plan: Iterable[PlanRow]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for row in plan:
        out[row.record_id].add(row.reviewer)
    return out


# --------------------------------------------------------------------------------------------
# The log
# --------------------------------------------------------------------------------------------
def changes_only(entries: Iterable[LogEntry]) -> list[LogEntry]:
    """Drop entries that repeat the current decision of their key (in replay order)."""
    current: dict[tuple[str, str, int, RoundKind], LogEntry] = {}
    out: list[LogEntry] = []
    for entry in entries:
        before = current.get(entry.key)
        if before is not None and before.same_decision(entry):
            continue
        current[entry.key] = entry
        out.append(entry)
    return out


def current_decisions(
    entries: Iterable[LogEntry],
) -> dict[tuple[str, str, int, RoundKind], LogEntry]:
    """The current (latest version) entry of each (record, reviewer, round, kind)."""
    current: dict[tuple[str, str, int, RoundKind], LogEntry] = {}
    for entry in entries:
        before = current.get(entry.key)
        if before is None or entry.version >= before.version:
            current[entry.key] = entry
    return current


def missing_decisions(
    plans: Mapping[int, Sequence[PlanRow]],
    current: Mapping[tuple[str, str, int, RoundKind], LogEntry],
) -> dict[int, dict[str, list[str]]]:
    """Per round, per reviewer, the records of the plan still without a decision."""
    out: dict[int, dict[str, list[str]]] = {}
    for round_, plan in sorted(plans.items()):
        waiting: dict[str, list[str]] = defaultdict(list)
        for row in plan:
            if (row.record_id, row.reviewer, round_, row.kind) not in current:
                waiting[row.reviewer].append(row.record_id)
        if waiting:
            out[round_] = {k: sorted(v) for k, v in sorted(waiting.items())}
    return out


def read_decision_log(path: Path) -> list[LogEntry]:
    """Read ``decision_log.csv`` back into entries (in file order)."""
    return [
        LogEntry(
            record_id=row["record_id"],
            reviewer=row["reviewer"],
            round=int(row["round"]),
            decision=Decision(row["decision"]),
            reason=row["reason"],
            note=row["note"],
            timestamp=row["timestamp"],
            source_file=row["source_file"],
            source_sha256=row["source_sha256"],
            kind=RoundKind(row["kind"]),
            version=int(row["version"]),
            source_row=int(row["source_row"]),
        )
        for row in read_table(path, "decision_log")
    ]


def read_plans(path: Path) -> dict[int, tuple[PlanRow, ...]]:
    """Read ``plans.csv`` (every round's plan) back, by round."""
    plans: dict[int, list[PlanRow]] = defaultdict(list)
    for row in parse_plan_rows(read_table(path, "screen_plan"), where=str(path)):
        plans[row.round].append(row)
    return {r: tuple(rows) for r, rows in sorted(plans.items())}


def write_plans(path: Path, plans: Mapping[int, Sequence[PlanRow]]) -> int:
    """Write every round's plan to one table (schema ``screen_plan``)."""
    rows = plan_rows_as_dicts(row for plan in plans.values() for row in plan)
    return write_table(path, rows, "screen_plan")


# --------------------------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------------------------
def _read_sheets(
    files: Sequence[SheetFile], *, settings: ScreeningSettings, problems: _Problems
) -> list[tuple[SheetFile, FilledSheet]]:
    """The sheets that can be read, are filled and name their reviewer and round right."""
    everyone = set(settings.everyone)
    loaded: list[tuple[SheetFile, FilledSheet]] = []
    for sheet in files:
        if sheet.reviewer not in everyone:
            problems.add(
                f"{sheet.relative}: {sheet.reviewer!r} is not in screening.team or "
                f"screening.resolvers ({', '.join(settings.everyone)}); check the file name"
            )
            continue
        try:
            filled = read_sheet(sheet.path)
        except InputError as exc:
            problems.add(str(exc).replace(str(sheet.path), sheet.relative, 1))
            continue
        if not filled.rows:
            problems.add(f"{sheet.relative}: the sheet has no filled rows")
            continue
        if _check_sheet_reviewer(sheet, filled, problems) and _check_sheet_round(
            sheet, filled, problems
        ):
            loaded.append((sheet, filled))
    return loaded


def _replay_sheets(
    loaded: Sequence[tuple[SheetFile, FilledSheet]],
    plans: Mapping[int, Sequence[PlanRow]],
    *,
    records: RecordIndex,
    settings: ScreeningSettings,
    problems: _Problems,
) -> tuple[list[LogEntry], list[tuple[SheetFile, RoundKind, list[str], int]], list[str]]:
    """Each sheet's rows as log entries; its blank rows; notes on columns people added."""
    raw_entries: list[LogEntry] = []
    blanks: list[tuple[SheetFile, RoundKind, list[str], int]] = []
    notes: list[str] = []
    for sheet, filled in loaded:
        plan = plans[sheet.round]
        assigned = _assigned(plan)
        if not sheet.conflict and not any(p.reviewer == sheet.reviewer for p in plan):
            problems.add(
                f"{sheet.relative}: {sheet.reviewer} has no records in round {sheet.round}'s "
                f"plan (sent to {reviewer_list(sorted({p.reviewer for p in plan}))})"
            )
            continue
        kind = RoundKind.CONFLICT_RESOLUTION if sheet.conflict else plan[0].kind
        before = len(problems.items)
        found, blank = _validate_rows(
            sheet,
            filled,
            kind=kind,
            assigned=assigned,
            records=records,
            settings=settings,
            problems=problems,
        )
        raw_entries += found
        if not found and len(problems.items) == before:
            problems.add(
                f"{sheet.relative}: none of its {len(blank)} row(s) has a decision; was it saved "
                "before it was filled? Return it once decisions are made"
            )
        if blank:
            blanks.append((sheet, kind, blank, len(filled.rows)))
        added = sorted(
            {
                label
                for row in filled.rows
                for label, text in row.extras
                if not records.is_shown(row.get("record_id").lstrip("'"), text)
            }
        )
        if added:
            notes.append(
                f"{sheet.relative}: text in column(s) {', '.join(map(repr, added))}, which "
                "no exported sheet has, is kept in the decision log's note"
            )
    return raw_entries, blanks, notes


def _check_round_order(
    plans: Mapping[int, Sequence[PlanRow]],
    waiting: Mapping[int, Mapping[str, Sequence[str]]],
    problems: _Problems,
) -> None:
    """Rounds are numbered from 1 without a gap, each exported once the one before was done."""
    rounds = sorted(plans)
    for index, round_ in enumerate(rounds):
        expected = index + 1
        if round_ != expected:
            problems.add(
                f"{round_folder(round_)}/: round {expected} has no sheets, so round {round_} "
                "cannot have been exported yet; check the folder names"
            )
            break
        if round_ > 1 and round_ - 1 in waiting:
            who = reviewer_list(sorted(waiting[round_ - 1]))
            problems.add(
                f"{round_folder(round_)}/: round {round_ - 1} is still waiting for {who}, so "
                f"round {round_} cannot have been exported yet (a round is exported once the "
                f"previous one is complete); are these sheets in the wrong round folder?"
            )


def _unanswered(
    waiting: Mapping[int, Mapping[str, Sequence[str]]],
    loaded: Sequence[tuple[SheetFile, FilledSheet]],
) -> list[str]:
    """Warnings for records of a returned sheet that no version of it decides."""
    warnings: list[str] = []
    for round_, by_reviewer in waiting.items():
        for reviewer, ids in by_reviewer.items():
            has_sheet = any(s.round == round_ and s.reviewer == reviewer for s, _ in loaded)
            if has_sheet:
                warnings.append(
                    f"{round_folder(round_)}: {len(ids)} of {reviewer}'s records have no "
                    f"decision in any version of the sheet ({', '.join(ids[:5])}"
                    f"{', ...' if len(ids) > 5 else ''}); they stay unscreened until a sheet "
                    "with them comes back"
                )
    return warnings


def collect_decisions(
    screening_dir: Path,
    *,
    settings: ScreeningSettings,
    records: RecordIndex,
    sums: Mapping[str, str] | None = None,
) -> ImportResult:
    """Validate every sheet under ``screening_dir`` and replay them into log entries.

    Raises one :class:`InputError` listing every problem (file and row) found.
    """
    root = Path(screening_dir)
    files, plan_files = find_sheet_files(root)
    problems = _Problems()
    current_sums = {f.relative: sha256_file(f.path) for f in files}
    current_sums.update(
        {p.relative_to(root).as_posix(): sha256_file(p) for p in plan_files.values()}
    )
    for message in check_sums(root, current_sums, sums or {}):
        problems.add(message)
    loaded = _read_sheets(files, settings=settings, problems=problems)
    plans = _round_plans(loaded, plan_files, problems)
    problems.raise_if_any(str(root))

    raw_entries, blanks, notes = _replay_sheets(
        loaded, plans, records=records, settings=settings, problems=problems
    )
    problems.raise_if_any(str(root))

    entries = changes_only(raw_entries)
    current = current_decisions(entries)
    pending: dict[str, int] = {}
    for sheet, kind, ids, rows in blanks:
        still = [rid for rid in ids if (rid, sheet.reviewer, sheet.round, kind) not in current]
        if still:
            pending[sheet.relative] = len(still)
            notes.append(
                f"{sheet.relative}: {len(still)} of {rows} row(s) have no decision yet; they "
                f"stay pending until a later version ({sheet.reviewer}.v{sheet.version + 1}"
                f"{sheet.path.suffix}) brings them"
            )
    waiting = missing_decisions(plans, current)
    _check_round_order(plans, waiting, problems)
    problems.raise_if_any(str(root))

    warnings = [*notes, *_unanswered(waiting, loaded)]
    for sheet, filled in loaded:
        current_sums[sheet.relative] = filled.sha256  # the bytes that were read
    new_files = tuple(sorted(set(current_sums) - set(sums or {})))
    return ImportResult(
        entries=tuple(entries),
        plans=plans,
        files=tuple(files),
        new_files=new_files,
        warnings=tuple(warnings),
        pending=pending,
        checksums=dict(sorted(current_sums.items())),
    )


def import_decisions(
    *,
    screening_dir: Path,
    records: Path,
    screening: Mapping[str, object] | ScreeningSettings,
    log_path: Path,
    plans_path: Path,
    update_sums: bool = True,
) -> ImportResult:
    """Validate the sheets under ``screening_dir`` and write the decision log and the plans.

    ``records`` is the deduplicated record table (``results/dedup/records.csv``, or any table
    in the ``record`` schema). ``screening`` is the config's ``screening:`` section. Writes
    ``log_path`` (schema ``decision_log``) and ``plans_path`` (schema ``screen_plan``: the plan
    of every round, as frozen in the returned sheets).

    The checksums of files read for the first time are appended to ``screening_dir/SHA256SUMS``
    (the ledger) before the log is written: from the first time the pipeline (or any
    ``realist-review screen`` command) reads a sheet, editing or deleting it is refused, so
    no decision that reached the log can silently change or vanish. The ledger depends only
    on the files, so reruns stay deterministic. ``update_sums=False`` (``screen import
    --no-record``) validates without recording.
    """
    settings = (
        screening if isinstance(screening, ScreeningSettings) else screening_settings(screening)
    )
    root = Path(screening_dir)
    sums_path = root / SUMS_FILE
    sums = read_sums(sums_path)
    result = collect_decisions(
        root, settings=settings, records=record_index(load_records(records)), sums=sums
    )
    if result.new_files:
        if update_sums:
            merged = dict(sums)
            merged.update({rel: result.checksums[rel] for rel in result.new_files})
            write_atomic(sums_path, _sums_text(merged).encode("utf-8"))
            log.info(
                "recorded %d new file(s) in %s (%s): from now on they may not be edited or "
                "removed; corrections come back as new versions",
                len(result.new_files),
                sums_path,
                ", ".join(result.new_files[:5]) + (", ..." if len(result.new_files) > 5 else ""),
            )
        else:
            log.warning(
                "%d sheet file(s) are not yet recorded in %s (%s): validated only",
                len(result.new_files),
                sums_path,
                ", ".join(result.new_files[:5]),
            )
    write_table(log_path, [entry.as_row() for entry in result.entries], "decision_log")
    write_plans(plans_path, result.plans)
    for warning in result.warnings:
        log.warning("%s", warning)
    log.info(
        "%d decision(s) from %d sheet file(s) in %d round(s) -> %s",
        len(result.entries),
        len(result.files),
        len(result.plans),
        log_path,
    )
    return result
