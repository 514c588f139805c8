"""Rule run_search: run one configured search; write its hits and search-log entry."""

from pathlib import Path
from typing import TYPE_CHECKING

from realist_review.config import config_of_search
from realist_review.logutil import exit_on_input_error, setup_logging
from realist_review.search import execute_search

if TYPE_CHECKING:
    from snakemake.script import snakemake

setup_logging(snakemake.log[0])
exit_on_input_error(
    execute_search,
    config=config_of_search(snakemake.params.search),
    search_id=snakemake.wildcards.search_id,
    raw_root=Path(snakemake.params.raw_dir),
    hits=Path(snakemake.output.hits),
    log_entry=Path(snakemake.output.entry),
)
