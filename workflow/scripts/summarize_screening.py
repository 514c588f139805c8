"""Rule summarize_screening: status of every record, progress with stopping estimate, kappa."""

from pathlib import Path
from typing import TYPE_CHECKING

from realist_review.logutil import exit_on_input_error, setup_logging
from realist_review.screen.progress import write_status

if TYPE_CHECKING:
    from snakemake.script import snakemake

setup_logging(snakemake.log[0])
exit_on_input_error(
    write_status,
    records=Path(snakemake.input.records),
    log_path=Path(snakemake.input.decisions),
    plans_path=Path(snakemake.input.plans),
    screening=snakemake.params.screening,
    limits=snakemake.params.limits,
    status_path=Path(snakemake.output.status),
    progress_path=Path(snakemake.output.progress),
    agreement_path=Path(snakemake.output.agreement),
)
