"""Rule export_extraction_sheets: one extraction sheet per reviewer, and the plan."""

from pathlib import Path
from typing import TYPE_CHECKING

from realist_review.cmo.extraction import export_extraction_stage
from realist_review.logutil import exit_on_input_error, setup_logging

if TYPE_CHECKING:
    from snakemake.script import snakemake

setup_logging(snakemake.log[0])
exit_on_input_error(
    export_extraction_stage,
    candidates=Path(snakemake.input.candidates),
    sentences=Path(snakemake.input.sentences),
    records=Path(snakemake.input.records),
    status=Path(snakemake.input.status),
    settings=snakemake.params.settings,
    sheets_dir=Path(snakemake.output.sheets),
    plan=Path(snakemake.output.plan),
)
