"""Rule import_extraction_sheets: returned sheets checked, recorded, consolidated."""

from pathlib import Path
from typing import TYPE_CHECKING

from realist_review.cmo.extraction import import_extraction_stage
from realist_review.logutil import exit_on_input_error, setup_logging

if TYPE_CHECKING:
    from snakemake.script import snakemake

setup_logging(snakemake.log[0])
exit_on_input_error(
    import_extraction_stage,
    candidates=Path(snakemake.input.candidates),
    sentences=Path(snakemake.input.sentences),
    records=Path(snakemake.input.records),
    status=Path(snakemake.input.status),
    plan=Path(snakemake.input.plan),
    returned_dir=Path(snakemake.params.returned),
    settings=snakemake.params.settings,
    confirmed=Path(snakemake.output.confirmed),
    conflicts=Path(snakemake.output.conflicts),
    summary=Path(snakemake.output.summary),
    characteristics=Path(snakemake.output.characteristics),
)
