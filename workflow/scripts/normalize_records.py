"""Rule normalize_records: merge every search's hits into one record table."""

from pathlib import Path
from typing import TYPE_CHECKING

from realist_review.logutil import exit_on_input_error, setup_logging
from realist_review.normalize import normalize_records

if TYPE_CHECKING:
    from snakemake.script import snakemake

setup_logging(snakemake.log[0])
exit_on_input_error(
    normalize_records,
    hits=[Path(p) for p in snakemake.input.hits],
    output=Path(snakemake.output.records),
    meta=Path(snakemake.output.meta),
)
