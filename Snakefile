# realist-review: a rapid realist review from search to citable results.
# Configure the review in config/config.yaml (explained in config/README.md), then run
#     snakemake --cores 2
# Every rule runs in the project's own Python environment (the README's `pip install -e .`);
# the `conda:` line on each rule names workflow/envs/realist-review.yaml, which is used only
# with `--sdm conda` (e.g. on a cluster) and is explained there.
from snakemake.utils import min_version

min_version("9.0")


configfile: "config/config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/search.smk"
include: "workflow/rules/normalize.smk"
include: "workflow/rules/dedup.smk"
include: "workflow/rules/screen.smk"
include: "workflow/rules/fulltext.smk"
include: "workflow/rules/prisma.smk"
include: "workflow/rules/report.smk"
include: "workflow/rules/extract.smk"
include: "workflow/rules/theory.smk"
include: "workflow/rules/release.smk"


rule all:
    default_target: True
    input:
        get_final_outputs(),
