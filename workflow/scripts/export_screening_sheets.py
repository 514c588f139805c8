"""Rule export_screening_sheets: the next round's sheets (ranked by the model), conflicts."""

from pathlib import Path
from typing import TYPE_CHECKING

from realist_review.logutil import exit_on_input_error, setup_logging
from realist_review.screen.export import export_screening_sheets

if TYPE_CHECKING:
    from snakemake.script import snakemake

setup_logging(snakemake.log[0])
exit_on_input_error(
    export_screening_sheets,
    records=Path(snakemake.input.records),
    log_path=Path(snakemake.input.decisions),
    plans_path=Path(snakemake.input.plans),
    screening=snakemake.params.screening,
    limits=snakemake.params.limits,
    out_dir=Path(snakemake.output.sheets),
    review=snakemake.params.review,
    screening_dir=Path(snakemake.params.screening_dir),
)
