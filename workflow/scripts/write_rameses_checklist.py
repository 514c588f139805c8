"""Rule write_rameses_checklist: which RAMESES items the outputs already cover, and where."""

from pathlib import Path
from typing import TYPE_CHECKING

from realist_review.logutil import exit_on_input_error, setup_logging
from realist_review.prisma.rameses import write_rameses_checklist

if TYPE_CHECKING:
    from snakemake.script import snakemake

setup_logging(snakemake.log[0])
exit_on_input_error(
    write_rameses_checklist,
    available=dict(snakemake.input.items()),
    csv_path=Path(snakemake.output.csv),
    html_path=Path(snakemake.output.html),
)
