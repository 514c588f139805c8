"""Rule build_programme_theory: statements, edits, version files, diagram and diff."""

from pathlib import Path
from typing import TYPE_CHECKING

from realist_review.logutil import exit_on_input_error, setup_logging
from realist_review.theory import build_theory_stage

if TYPE_CHECKING:
    from snakemake.script import snakemake

setup_logging(snakemake.log[0])
exit_on_input_error(
    build_theory_stage,
    confirmed=Path(snakemake.input.confirmed),
    previous=Path(p) if (p := getattr(snakemake.input, "previous", None)) else None,
    edits=Path(e) if (e := getattr(snakemake.input, "edits", None)) else None,
    areas=snakemake.params.areas,
    version=snakemake.params.version,
    review=snakemake.params.review,
    title=snakemake.params.title,
    output_dir=Path(snakemake.output.yaml).parent,
    diff=Path(snakemake.output.diff),
)
