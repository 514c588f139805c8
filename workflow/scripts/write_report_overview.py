"""Rule write_report_overview: the report's landing page from the pipeline's own tables."""

from pathlib import Path
from typing import TYPE_CHECKING

from realist_review.logutil import setup_logging
from realist_review.report import write_overview

if TYPE_CHECKING:
    from snakemake.script import snakemake

setup_logging(snakemake.log[0])
inputs = {name: Path(path) for name, path in snakemake.input.items()}
write_overview(
    Path(snakemake.output.overview),
    title=snakemake.params.title,
    question=snakemake.params.question,
    demo=bool(snakemake.params.demo),
    search_log=inputs["search_log"],
    prisma_figure=inputs.get("prisma_figure"),
    counts=inputs.get("counts"),
    progress=inputs.get("progress"),
    agreement=inputs.get("agreement"),
    cmo_summary=inputs.get("cmo_summary"),
    theory=inputs.get("theory"),
    theory_figure=inputs.get("theory_figure"),
)
