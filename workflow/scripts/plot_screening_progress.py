"""Rule plot_screening_progress: cumulative includes against records screened."""

from pathlib import Path
from typing import TYPE_CHECKING

from realist_review.logutil import exit_on_input_error, setup_logging
from realist_review.prisma import write_screening_progress

if TYPE_CHECKING:
    from snakemake.script import snakemake

setup_logging(snakemake.log[0])
exit_on_input_error(
    write_screening_progress,
    progress=Path(snakemake.input.progress),
    status=Path(snakemake.input.status),
    png=Path(snakemake.output.png),
    svg=Path(snakemake.output.svg),
    wording=snakemake.params.wording,
)
