"""Rule write_search_log: the PRISMA-S search log as CSV and Markdown."""

from pathlib import Path
from typing import TYPE_CHECKING

from realist_review.logutil import exit_on_input_error, setup_logging
from realist_review.searchlog import write_search_log

if TYPE_CHECKING:
    from snakemake.script import snakemake

setup_logging(snakemake.log[0])
exit_on_input_error(
    write_search_log,
    entries=[Path(p) for p in snakemake.input.entries],
    raw_root=Path(snakemake.params.raw_dir),
    csv_out=Path(snakemake.output.csv),
    markdown_out=Path(snakemake.output.markdown),
    title=snakemake.params.title,
)
