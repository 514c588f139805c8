"""Fixtures for the screening tests: records written by the tests, a test-only ranker, and a
helper that fills a sheet with openpyxl the way a person would."""

from __future__ import annotations

import copy
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from realist_review.records import RECORD_COLUMNS
from realist_review.screen.decisions import ImportResult, import_decisions
from realist_review.screen.export import ExportResult, export_screening_sheets
from realist_review.screen.progress import write_status
from realist_review.screen.settings import ScreeningSettings, screening_settings
from realist_review.screen.sheets import SCREENING_TAB, cell_text
from realist_review.screen.status import ScreeningState
from realist_review.tables import read_table, write_table

RELEVANT_WORDS = (
    "trauma-informed care",
    "residential children's homes",
    "staff training",
    "trauma-informed supervision",
    "looked-after children",
    "organisational governance",
)
OTHER_WORDS = (
    "knee arthroplasty",
    "dental caries",
    "adult oncology",
    "crop yields",
    "hospital pharmacy",
    "cardiac rehabilitation",
)

SCREENING: dict[str, Any] = {
    "team": ["alice", "bob", "carol"],
    "resolvers": ["dana"],
    "batch_size": 12,
    "reviewers_per_record": 2,
    "seed": 7,
    "criteria": {
        "inclusion": [
            {"code": "I1", "label": "Children or young people in residential care"},
            {"code": "I2", "label": "A trauma-informed intervention or practice"},
        ],
        "exclusion": [
            {"code": "E1", "label": "Not residential care"},
            {"code": "E2", "label": "Not trauma-informed"},
            {"code": "E3", "label": "Not primary research or evaluation"},
        ],
    },
}


def record_rows(n: int = 60, *, seed: int = 3, relevant_every: int = 4) -> list[dict[str, str]]:
    """``n`` fictional records in the record schema; every ``relevant_every``-th is on topic.

    Record 1 has a title starting with '=', record 2 one starting with '@' (formula injection).
    """
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        relevant = i % relevant_every == 0
        words = RELEVANT_WORDS if relevant else OTHER_WORDS
        topic = rng.sample(words, 3)
        title = f"{topic[0].capitalize()} and {topic[1]}: study {i}"
        if i == 1:
            title = '=HYPERLINK("http://example.invalid","click")'
        elif i == 2:
            title = "@SUM(1,2) in " + title
        abstract = " ".join(
            f"This study examines {rng.choice(words)} with {rng.choice(words)}." for _ in range(4)
        )
        row = dict.fromkeys(RECORD_COLUMNS, "")
        row.update(
            record_id=f"rec-{i:012x}",
            source="ris",
            source_id=f"R{i}",
            title=title,
            abstract=abstract,
            year=str(2005 + i % 18),
            journal="Journal of Child Care" if relevant else "General Medicine",
            doi=f"10.5555/demo.{i}" if i % 3 else "",
            url="" if i % 3 else f"https://example.org/report/{i}",
            language="eng",
            origin=f"ris-test:R{i}",
        )
        rows.append(row)
    return rows


def truth_of(rows: Sequence[Mapping[str, str]], relevant_every: int = 4) -> dict[str, bool]:
    """Ground truth of :func:`record_rows`."""
    return {row["record_id"]: i % relevant_every == 0 for i, row in enumerate(rows)}


@pytest.fixture
def screening_section() -> dict[str, Any]:
    """A ``screening:`` config section (a fresh copy per test)."""
    return copy.deepcopy(SCREENING)


@pytest.fixture
def settings(screening_section: dict[str, Any]) -> ScreeningSettings:
    """:data:`SCREENING` parsed."""
    return screening_settings(screening_section)


@pytest.fixture
def records_csv(tmp_path: Path) -> Path:
    """A record table of 60 fictional records."""
    path = tmp_path / "records.csv"
    write_merged(path, record_rows())
    return path


def write_merged(path: Path, rows: list[dict[str, str]]) -> None:
    """Write record rows as dedup's merged table (each record its own group)."""
    merged = [
        {"members": row["record_id"], "study_id": row["record_id"], "provenance": "{}"} | row
        for row in rows
    ]
    write_table(path, merged, "merged_record")


@pytest.fixture
def truth() -> dict[str, bool]:
    """Ground truth for ``records_csv``."""
    return truth_of(record_rows())


def tfidf_logistic_ranker_for_tests(
    documents: Sequence[tuple[str, str]],
    labels: Sequence[int | None],
    *,
    preset: str,
    seed: int,
    uncertainty_share: float,
    batch_size: int,
) -> list[int]:
    """TEST-ONLY stand-in for ``realist_review.screen.model.rank_unlabelled``.

    TF-IDF + logistic regression, certainty order (most likely include first). The product's
    model lives in ``realist_review.screen.model``; this exists so these tests do not depend
    on it.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    del preset, uncertainty_share, batch_size
    features = TfidfVectorizer().fit_transform([f"{t}\n{a}" for t, a in documents])
    known = [i for i, label in enumerate(labels) if label is not None]
    unknown = [i for i, label in enumerate(labels) if label is None]
    model = LogisticRegression(random_state=seed).fit(features[known], [labels[i] for i in known])
    scores = model.predict_proba(features[unknown])[:, 1]
    order = sorted(range(len(unknown)), key=lambda k: (-scores[k], unknown[k]))
    return [unknown[k] for k in order]


@pytest.fixture
def ranker() -> Callable[..., list[int]]:
    """The test-only ranker."""
    return tfidf_logistic_ranker_for_tests


#: ``decide(row) -> (decision, reason, note)``: None leaves a cell as it is, "" clears it.
Decide = Callable[[dict[str, str]], tuple[str | None, str | None, str | None]]


def fill_like_a_person(
    source: Path,
    target: Path,
    decide: Decide,
    *,
    stray_empty_row: bool = False,
    resize: bool = False,
    edit: Callable[[Any], None] | None = None,
) -> Path:
    """Open an exported .xlsx with openpyxl, type decisions, reasons and notes, save.

    ``decide(row_cells) -> (decision, reason, note)``: None leaves a cell alone, "" clears it.
    ``stray_empty_row`` inserts an empty row in the middle; ``resize`` changes column widths;
    ``edit(worksheet)`` makes any further change.
    """
    workbook = load_workbook(source)
    sheet = workbook[SCREENING_TAB]
    header = [cell_text(c.value) for c in sheet[1]]
    for cells in sheet.iter_rows(min_row=2):
        values = {name: cell_text(cell.value) for name, cell in zip(header, cells, strict=False)}
        if not values.get("record_id"):
            continue
        decision, reason, note = decide(values)
        by_name = dict(zip(header, cells, strict=False))
        for column, value in (("decision", decision), ("reason", reason), ("note", note)):
            if value is not None:
                by_name[column].value = value or None
    if resize:
        sheet.column_dimensions["B"].width = 90
        sheet.column_dimensions["C"].width = 12
    if stray_empty_row:
        sheet.insert_rows(4)
    if edit is not None:
        edit(sheet)
    target.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(target)
    return target


@pytest.fixture
def fill() -> Callable[..., Path]:
    """:func:`fill_like_a_person`."""
    return fill_like_a_person


def by_truth(truth: Mapping[str, bool], flips: frozenset[str] = frozenset()) -> Decide:
    """A reviewer who decides by the truth, wrong on ``flips``; excludes with reason E1."""

    def decide(values: dict[str, str]) -> tuple[str | None, str | None, str | None]:
        relevant = truth[values["record_id"]] != (values["record_id"] in flips)
        return ("include", "", "") if relevant else ("exclude", "E1: Not residential care", "")

    return decide


@pytest.fixture
def decide_by_truth() -> Callable[..., Decide]:
    """:func:`by_truth`."""
    return by_truth


@dataclass
class ReviewDirs:
    """A review laid out as in a checkout (config/screening, results/screen) under tmp_path."""

    root: Path
    records: Path
    screening: dict[str, Any]
    ranker: Any = None
    limits: dict[str, Any] = field(default_factory=dict)

    @property
    def screening_dir(self) -> Path:
        return self.root / "config" / "screening"

    @property
    def out(self) -> Path:
        return self.root / "results" / "screen"

    @property
    def sheets(self) -> Path:
        return self.out / "sheets"

    @property
    def log_path(self) -> Path:
        return self.out / "decision_log.csv"

    def import_(self, **kwargs: Any) -> ImportResult:
        return import_decisions(
            screening_dir=self.screening_dir,
            records=self.records,
            screening=self.screening,
            log_path=self.log_path,
            plans_path=self.out / "plans.csv",
            **kwargs,
        )

    def export(self, **kwargs: Any) -> ExportResult:
        self.import_()
        return export_screening_sheets(
            records=self.records,
            log_path=self.log_path,
            plans_path=self.out / "plans.csv",
            screening=self.screening,
            limits=self.limits,
            out_dir=self.sheets,
            ranker=self.ranker,
            screening_dir=self.screening_dir,
            **kwargs,
        )

    def status(self, **kwargs: Any) -> ScreeningState:
        self.import_()
        return write_status(
            records=self.records,
            log_path=self.log_path,
            plans_path=self.out / "plans.csv",
            screening=self.screening,
            limits=self.limits,
            status_path=self.out / "status.csv",
            progress_path=self.out / "progress.csv",
            agreement_path=self.out / "agreement.csv",
            **kwargs,
        )

    def exported(self, round_: int, reviewer: str, ext: str = "xlsx") -> Path:
        return self.sheets / f"round-{round_:02d}" / f"{reviewer}.{ext}"

    def returned(self, round_: int, name: str) -> Path:
        return self.screening_dir / f"round-{round_:02d}" / name

    def plan(self, round_: int) -> list[dict[str, str]]:
        return read_table(self.sheets / f"round-{round_:02d}" / "plan.csv", "screen_plan")

    def reviewers(self, round_: int) -> list[str]:
        return sorted({row["reviewer"] for row in self.plan(round_)})

    def return_round(self, round_: int, decide: Decide, **kwargs: Any) -> list[Path]:
        """Every reviewer of the round fills the exported sheet; it is filed under config/."""
        return [
            fill_like_a_person(
                self.exported(round_, reviewer),
                self.returned(round_, f"{reviewer}.xlsx"),
                decide,
                **kwargs,
            )
            for reviewer in self.reviewers(round_)
        ]


@pytest.fixture
def review(
    tmp_path: Path, records_csv: Path, screening_section: dict[str, Any], ranker: Any
) -> ReviewDirs:
    """An empty review over ``records_csv`` with the test-only ranker."""
    return ReviewDirs(
        root=tmp_path / "review", records=records_csv, screening=screening_section, ranker=ranker
    )
