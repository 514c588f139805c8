"""Rule retrieve_fulltexts: full texts of the forwarded records; index, lists and sheets."""

from pathlib import Path
from typing import TYPE_CHECKING

from realist_review.logutil import exit_on_input_error, setup_logging
from realist_review.retrieval import Outputs, fulltext_client_settings, retrieve_fulltexts

if TYPE_CHECKING:
    from snakemake.script import snakemake

setup_logging(snakemake.log[0])
exit_on_input_error(
    retrieve_fulltexts,
    status=Path(snakemake.input.status),
    records=Path(snakemake.input.records),
    outputs=Outputs(**{key: Path(snakemake.output[key]) for key in Outputs.__dataclass_fields__}),
    raw_dir=Path(snakemake.params.raw_dir),
    settings=snakemake.params.settings,
    clients=fulltext_client_settings({"clients": snakemake.params.clients}),
    search_raw_dir=Path(snakemake.params.search_raw_dir),
    zotero_searches=snakemake.params.zotero_searches,
)
