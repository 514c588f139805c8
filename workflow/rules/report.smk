# Report: the landing page of `snakemake --report`, the review at a glance (the workflow
# description in workflow/report/workflow.rst includes it).


rule write_report_overview:
    input:
        unpack(get_report_overview_inputs),
    output:
        overview="results/report/overview.rst",
    log:
        "results/logs/write_report_overview/write_report_overview.log",
    conda:
        "../envs/realist-review.yaml"
    params:
        title=lookup(dpath="review/title", within=config),
        question=lookup(dpath="review/question", within=config),
        demo=lookup(dpath="review/demo", within=config, default=False),
    script:
        "../scripts/write_report_overview.py"
