# PRISMA: the PRISMA 2020 flow, derived from the pipeline's own tables, and the RAMESES
# publication-standards checklist for the report.


rule draw_prisma_diagram:
    input:
        unpack(get_prisma_inputs),
    output:
        counts=report(
            "results/prisma/counts.csv",
            caption="../report/prisma_counts.rst",
            category="5. PRISMA 2020",
            labels={"table": "PRISMA 2020 counts"},
        ),
        template="results/prisma/prisma2020_template.csv",
        svg=report(
            "results/prisma/prisma_flow.svg",
            caption="../report/prisma_diagram.rst",
            category="5. PRISMA 2020",
            labels={"figure": "PRISMA 2020 flow diagram"},
        ),
        png="results/prisma/prisma_flow.png",
        pdf="results/prisma/prisma_flow.pdf",
    log:
        "results/logs/draw_prisma_diagram/draw_prisma_diagram.log",
    benchmark:
        "results/benchmarks/draw_prisma_diagram/draw_prisma_diagram.tsv"
    conda:
        "../envs/realist-review.yaml"
    params:
        wording=lookup(dpath="prisma/wording", within=config, default="records"),
        previous_studies=lookup(
            dpath="prisma/previous_studies", within=config, default=0
        ),
        previous_reports=lookup(
            dpath="prisma/previous_reports", within=config, default=0
        ),
        dpi=lookup(dpath="prisma/png_dpi", within=config, default=200),
    script:
        "../scripts/draw_prisma_diagram.py"


rule write_rameses_checklist:
    input:
        unpack(get_rameses_inputs),
    output:
        csv="results/prisma/rameses_checklist.csv",
        html=report(
            "results/prisma/rameses_checklist.html",
            caption="../report/rameses_checklist.rst",
            category="6. Reporting standards",
            labels={"table": "RAMESES publication standards: what the outputs cover"},
        ),
    log:
        "results/logs/write_rameses_checklist/write_rameses_checklist.log",
    conda:
        "../envs/realist-review.yaml"
    script:
        "../scripts/write_rameses_checklist.py"
