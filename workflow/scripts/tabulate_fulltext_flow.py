"""Rule tabulate_fulltext_flow: the full-text flow PRISMA counts (sought, retrieved)."""

from pathlib import Path
from typing import TYPE_CHECKING

from realist_review.logutil import exit_on_input_error, setup_logging
from realist_review.retrieval.stage import write_prisma_fulltext

if TYPE_CHECKING:
    from snakemake.script import snakemake

setup_logging(snakemake.log[0])
exit_on_input_error(
    write_prisma_fulltext,
    status=Path(snakemake.input.status),
    not_retrieved=Path(snakemake.input.not_retrieved),
    output=Path(snakemake.output.flow),
)
