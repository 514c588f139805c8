"""Rule draw_prisma_diagram: PRISMA 2020 counts (checked) and the flow diagram."""

from pathlib import Path
from typing import TYPE_CHECKING

from realist_review.logutil import exit_on_input_error, setup_logging
from realist_review.prisma import write_prisma

if TYPE_CHECKING:
    from snakemake.script import snakemake

setup_logging(snakemake.log[0])
exit_on_input_error(
    write_prisma,
    search_log=Path(snakemake.input.search_log),
    records=Path(snakemake.input.records),
    groups=Path(snakemake.input.groups),
    merged_records=Path(snakemake.input.merged),
    status=Path(snakemake.input.status),
    progress=Path(snakemake.input.progress),
    fulltext=Path(f) if (f := getattr(snakemake.input, "fulltext", None)) else None,
    counts_csv=Path(snakemake.output.counts),
    template_csv=Path(snakemake.output.template),
    diagram={fmt: Path(snakemake.output[fmt]) for fmt in ("svg", "png", "pdf")},
    wording=snakemake.params.wording,
    previous_studies=snakemake.params.previous_studies,
    previous_reports=snakemake.params.previous_reports,
    dpi=snakemake.params.dpi,
)
