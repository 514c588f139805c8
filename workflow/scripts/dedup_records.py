"""Rule dedup_records: group duplicates; merged records, audit, summary, review sheet."""

from pathlib import Path
from typing import TYPE_CHECKING

from realist_review.dedup import run_dedup
from realist_review.logutil import exit_on_input_error, setup_logging

if TYPE_CHECKING:
    from snakemake.script import snakemake

setup_logging(snakemake.log[0])
exit_on_input_error(
    run_dedup,
    records=Path(snakemake.input.records),
    groups=Path(snakemake.output.groups),
    merged=Path(snakemake.output.merged),
    audit=Path(snakemake.output.audit),
    summary=Path(snakemake.output.summary),
    review_sheet=Path(snakemake.output.review_sheet),
    decisions=Path(snakemake.params.decisions),
    settings=snakemake.params.settings,
)
