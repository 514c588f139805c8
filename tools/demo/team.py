"""A simulated screening team for the demo review (fictional reviewers, fictional decisions).

:func:`simulate_demo_team` fills exported sheets the way a person would (opening the
``.xlsx``, picking from the drop-downs, sometimes writing a note) from a ground truth, with a
small, seeded error rate so the demo shows disagreements, kappa and a conflict resolution.
:func:`play_demo` runs whole rounds: import, export, fill, file the sheets under
``config/screening/``, until the requested number of rounds is screened and the conflicts are
resolved. Everything is deterministic: the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from realist_review.config import Limits
from realist_review.screen.decisions import SUMS_FILE, import_decisions
from realist_review.screen.export import export_conflict_sheets, export_screening_sheets
from realist_review.screen.planning import Ranker
from realist_review.screen.settings import ScreeningSettings, screening_settings
from realist_review.screen.sheets import (
    LISTS_TAB,
    SCREENING_TAB,
    cell_text,
    workbook_bytes,
)
from realist_review.tables import write_atomic

log = logging.getLogger(__name__)

#: When the fictional team "saved" round 1; later rounds a week apart, reviewers an hour apart.
DEMO_START = dt.datetime(2025, 3, 3, 9, 0, 0)
_NOTES_INCLUDE = (
    "residential setting, staff training described",
    "check full text for outcomes",
    "",
    "",
)
_NOTES_EXCLUDE = ("", "", "", "foster care, not residential")
_TRUE = frozenset({"1", "true", "yes", "y", "relevant", "include", "included"})


def is_relevant(value: object) -> bool:
    """A ground-truth cell as a bool (``1``, ``true``, ``yes``, ``relevant`` are true)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value)
    return str(value).strip().casefold() in _TRUE


@dataclass(frozen=True)
class DemoReviewer:
    """How one fictional reviewer behaves."""

    error_rate: float = 0.08
    maybe_rate: float = 0.06
    note_rate: float = 0.15


def _decide(relevant: bool, rng: random.Random, behaviour: DemoReviewer) -> tuple[str, bool]:
    """(decision, correct?) for one record."""
    correct = rng.random() >= behaviour.error_rate
    says_relevant = relevant if correct else not relevant
    if says_relevant:
        return ("maybe" if rng.random() < behaviour.maybe_rate else "include"), correct
    if rng.random() < behaviour.maybe_rate / 2:
        return "maybe", correct
    return "exclude", correct


def fill_sheet(
    source: Path,
    target: Path,
    truth: Mapping[str, object],
    *,
    seed: int,
    behaviour: DemoReviewer,
    saved_at: dt.datetime,
) -> int:
    """Fill one exported ``.xlsx`` as its reviewer would and save it to ``target``.

    Returns the number of rows filled. Records missing from ``truth`` count as not relevant.
    """
    workbook = load_workbook(source)
    sheet = workbook[SCREENING_TAB]
    header = [cell_text(c.value) for c in sheet[1]]
    column = {name: index for index, name in enumerate(header)}
    reasons: list[str] = []
    if LISTS_TAB in workbook.sheetnames:
        reasons = [cell_text(row[0]) for row in workbook[LISTS_TAB].iter_rows(values_only=True)]
        reasons = [r for r in reasons if r]
    filled = 0
    for cells in sheet.iter_rows(min_row=2):
        record_id = cell_text(cells[column["record_id"]].value)
        if not record_id:
            continue
        reviewer = cell_text(cells[column["reviewer"]].value)
        round_ = cell_text(cells[column["round"]].value)
        rng = random.Random(f"{seed}:{round_}:{reviewer}:{record_id}")
        relevant = is_relevant(truth.get(record_id, False))
        decision, _ = _decide(relevant, rng, behaviour)
        cells[column["decision"]].value = decision
        if decision == "exclude" and reasons:
            cells[column["reason"]].value = reasons[rng.randrange(len(reasons))]
        if rng.random() < behaviour.note_rate:
            notes = _NOTES_INCLUDE if decision != "exclude" else _NOTES_EXCLUDE
            note = notes[rng.randrange(len(notes))]
            if note:
                cells[column["note"]].value = note
        filled += 1
    write_atomic(Path(target), workbook_bytes(workbook, modified=saved_at))
    return filled


def _already_returned(folder: Path, reviewer: str) -> bool:
    return (
        any(folder.glob(f"{reviewer}.xlsx"))
        or any(folder.glob(f"{reviewer}.v*.xlsx"))
        or any(folder.glob(f"{reviewer}.csv"))
    )


def simulate_demo_team(
    sheets_dir: Path,
    truth: Mapping[str, object],
    *,
    screening_dir: Path,
    seed: int,
    error_rate: float = 0.08,
    maybe_rate: float = 0.06,
    resolver_error_rate: float = 0.0,
    note_rate: float = 0.15,
) -> list[Path]:
    """Fill every exported sheet under ``sheets_dir`` not yet returned to ``screening_dir``.

    ``sheets_dir`` is the export folder (``results/screen/sheets``) holding ``round-NN/`` and
    ``round-NN/conflicts/``; filled sheets go to the same place under ``screening_dir``
    (``config/screening``). ``truth`` maps record ids to relevance (e.g. the demo's
    ``truth.csv`` column ``relevant``). Screeners err with ``error_rate``; resolvers with
    ``resolver_error_rate``. Returns the files written, in order.
    """
    sheets_dir, screening_dir = Path(sheets_dir), Path(screening_dir)
    screener = DemoReviewer(error_rate=error_rate, maybe_rate=maybe_rate, note_rate=note_rate)
    resolver = DemoReviewer(error_rate=resolver_error_rate, maybe_rate=0.0, note_rate=note_rate)
    written: list[Path] = []
    for round_dir in sorted(p for p in sheets_dir.glob("round-*") if p.is_dir()):
        round_ = int(round_dir.name.split("-", 1)[1])
        for sub, behaviour in (("", screener), ("conflicts", resolver)):
            source_dir = round_dir / sub if sub else round_dir
            target_dir = (
                screening_dir / round_dir.name / sub if sub else screening_dir / round_dir.name
            )
            for index, source in enumerate(sorted(source_dir.glob("*.xlsx"))):
                reviewer = source.stem
                if _already_returned(target_dir, reviewer):
                    continue
                saved_at = DEMO_START + dt.timedelta(
                    days=7 * (round_ - 1) + (3 if sub else 0), hours=index
                )
                target = target_dir / source.name
                fill_sheet(
                    source,
                    target,
                    truth,
                    seed=seed,
                    behaviour=behaviour,
                    saved_at=saved_at,
                )
                written.append(target)
    return written


def play_demo(
    *,
    records: Path,
    truth: Mapping[str, object],
    screening: Mapping[str, Any] | ScreeningSettings,
    limits: Mapping[str, Any] | Limits | None,
    screening_dir: Path,
    work_dir: Path,
    rounds: int,
    seed: int,
    ranker: Ranker | None = None,
    random_sample_size: int | None = None,
    error_rate: float = 0.08,
    review: Mapping[str, Any] | None = None,
) -> list[Path]:
    """Screen ``rounds`` rounds with the demo team, then resolve every conflict.

    Each step does what the team would: import the returned sheets, export the next round
    (whose conflict sheets come along), fill the sheets, file them under ``screening_dir``.
    With ``random_sample_size``, one more round is played: the stopping rule's random sample.
    ``work_dir`` receives the intermediate outputs (log, plans, exported sheets per step).
    Returns every sheet written, in order.
    """
    settings = (
        screening if isinstance(screening, ScreeningSettings) else screening_settings(screening)
    )
    work_dir, screening_dir = Path(work_dir), Path(screening_dir)
    screening_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, Any] = {
        "records": records,
        "log_path": work_dir / "decision_log.csv",
        "plans_path": work_dir / "plans.csv",
        "screening": settings,
        "limits": limits,
        "review": review,
    }

    def import_all() -> None:
        import_decisions(
            screening_dir=screening_dir,
            records=records,
            screening=settings,
            log_path=work_dir / "decision_log.csv",
            plans_path=work_dir / "plans.csv",
            update_sums=True,
        )

    def fill(sheets: Path) -> list[Path]:
        return simulate_demo_team(
            sheets, truth, screening_dir=screening_dir, seed=seed, error_rate=error_rate
        )

    written: list[Path] = []
    total = rounds + (1 if random_sample_size else 0)
    for number in range(1, total + 1):
        import_all()
        sheets = work_dir / "sheets" / f"step-{number:02d}"
        result = export_screening_sheets(
            **files,
            out_dir=sheets,
            ranker=ranker,
            random_sample_size=random_sample_size if number > rounds else None,
        )
        written += fill(sheets)
        if result.action != "new":
            break
    for attempt in range(1, 4):
        import_all()
        sheets = work_dir / "sheets" / f"conflicts-{attempt:02d}"
        conflicts, _ = export_conflict_sheets(**files, out_dir=sheets)
        if not conflicts:
            break
        written += fill(sheets)
    log.info(
        "demo team wrote %d sheet(s); checksums in %s", len(written), screening_dir / SUMS_FILE
    )
    return written
