"""Screening rounds (kept for imports written before the split; import from the modules).

- :mod:`realist_review.screen.status`: the config's limits and each record's status, and
  :func:`~realist_review.screen.status.load_screening` (what every screening rule reads, once);
- :mod:`realist_review.screen.progress`: progress per round, the stopping rule,
  :func:`~realist_review.screen.progress.write_status`;
- :mod:`realist_review.screen.planning`: the next round's records and reviewers;
- :mod:`realist_review.screen.export`: the sheets
  (:func:`~realist_review.screen.export.export_screening_sheets`).
"""

from __future__ import annotations

from realist_review.screen.export import (
    ExportResult,
    assign_resolvers,
    export_conflict_sheets,
    export_screening_sheets,
    write_conflict_sheets,
)
from realist_review.screen.planning import (
    Ranker,
    RoundChoice,
    assign_reviewers,
    load_ranker,
    plan_next_round,
    rank_with_model,
    ranker_name,
    seeded_rng,
)
from realist_review.screen.progress import (
    NO_ESTIMATOR_NOTE,
    StopCheck,
    StoppingEstimate,
    StoppingEstimator,
    check_stop,
    labels_in_order,
    progress_rows,
    stopping_estimator,
    write_status,
)
from realist_review.screen.status import (
    Key,
    ScreeningInputs,
    ScreeningState,
    StatusRow,
    as_settings,
    ineligibility,
    limits_from,
    load_screening,
    screening_status,
)

__all__ = [
    "NO_ESTIMATOR_NOTE",
    "ExportResult",
    "Key",
    "Ranker",
    "RoundChoice",
    "ScreeningInputs",
    "ScreeningState",
    "StatusRow",
    "StopCheck",
    "StoppingEstimate",
    "StoppingEstimator",
    "as_settings",
    "assign_resolvers",
    "assign_reviewers",
    "check_stop",
    "export_conflict_sheets",
    "export_screening_sheets",
    "ineligibility",
    "labels_in_order",
    "limits_from",
    "load_ranker",
    "load_screening",
    "plan_next_round",
    "progress_rows",
    "rank_with_model",
    "ranker_name",
    "screening_status",
    "seeded_rng",
    "stopping_estimator",
    "write_conflict_sheets",
    "write_status",
]
