"""Rule suggest_cmo_configurations: sentence roles and candidate CMOs of forwarded records."""

from pathlib import Path
from typing import TYPE_CHECKING

from realist_review.cmo.suggest import suggest_included
from realist_review.logutil import exit_on_input_error, setup_logging

if TYPE_CHECKING:
    from snakemake.script import snakemake

setup_logging(snakemake.log[0])
exit_on_input_error(
    suggest_included,
    records=Path(snakemake.input.records),
    status=Path(snakemake.input.status),
    output_dir=Path(snakemake.output.sentences).parent,
    settings=snakemake.params.settings,
)
