"""Rule freeze_release: freeze the review folder as release params.version."""

from pathlib import Path
from typing import TYPE_CHECKING

from realist_review.logutil import exit_on_input_error, setup_logging
from realist_review.release.freeze import freeze_release

if TYPE_CHECKING:
    from snakemake.script import snakemake

setup_logging(snakemake.log[0])
exit_on_input_error(
    freeze_release,
    root=Path.cwd(),
    version=snakemake.params.version,
    command=f"snakemake freeze_release (release.version {snakemake.params.version})",
)
