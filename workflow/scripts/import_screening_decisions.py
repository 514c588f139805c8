"""Rule import_screening_decisions: validate the filled sheets; rebuild the decision log."""

from pathlib import Path
from typing import TYPE_CHECKING

from realist_review.logutil import exit_on_input_error, setup_logging
from realist_review.screen.decisions import import_decisions

if TYPE_CHECKING:
    from snakemake.script import snakemake

setup_logging(snakemake.log[0])
exit_on_input_error(
    import_decisions,
    screening_dir=Path(snakemake.params.screening_dir),
    records=Path(snakemake.input.records),
    screening=snakemake.params.screening,
    log_path=Path(snakemake.output.decisions),
    plans_path=Path(snakemake.output.plans),
)
