# Screen: title/abstract screening in rounds through spreadsheets. The filled sheets under
# config/screening/ are the human input; everything here is rebuilt from them. Two writes go
# to config/screening/, both append-only and derived only from the files: the import records
# each sheet's checksum in SHA256SUMS the first time it reads it (later edits are refused),
# and the export keeps a new round's plan in round-NN/plan.csv (the round is out with people).


rule import_screening_decisions:
    input:
        records="results/dedup/records.csv",
        sheets=get_screening_sheet_files,
    output:
        decisions="results/screen/decision_log.csv",
        plans="results/screen/plans.csv",
    log:
        "results/logs/import_screening_decisions/import_screening_decisions.log",
    conda:
        "../envs/realist-review.yaml"
    params:
        screening=lookup(dpath="screening", within=config, default={}),
        screening_dir=SCREENING_DIR,
    script:
        "../scripts/import_screening_decisions.py"


rule summarize_screening:
    input:
        records="results/dedup/records.csv",
        decisions="results/screen/decision_log.csv",
        plans="results/screen/plans.csv",
    output:
        status="results/screen/status.csv",
        progress=report(
            "results/screen/progress.csv",
            caption="../report/screening_progress.rst",
            category="4. Screening",
            labels={"table": "Screening progress and stopping estimate"},
        ),
        agreement=report(
            "results/screen/agreement.csv",
            caption="../report/agreement.rst",
            category="4. Screening",
            labels={"table": "Agreement (Cohen's kappa)"},
        ),
    log:
        "results/logs/summarize_screening/summarize_screening.log",
    benchmark:
        "results/benchmarks/summarize_screening/summarize_screening.tsv"
    conda:
        "../envs/realist-review.yaml"
    params:
        screening=lookup(dpath="screening", within=config, default={}),
        limits=lookup(dpath="limits", within=config, default={}),
    script:
        "../scripts/summarize_screening.py"


rule export_screening_sheets:
    input:
        records="results/dedup/records.csv",
        decisions="results/screen/decision_log.csv",
        plans="results/screen/plans.csv",
    output:
        sheets=directory("results/screen/sheets"),
    log:
        "results/logs/export_screening_sheets/export_screening_sheets.log",
    benchmark:
        "results/benchmarks/export_screening_sheets/export_screening_sheets.tsv"
    conda:
        "../envs/realist-review.yaml"
    params:
        screening=lookup(dpath="screening", within=config, default={}),
        limits=lookup(dpath="limits", within=config, default={}),
        review=lookup(dpath="review", within=config),
        screening_dir=SCREENING_DIR,
    script:
        "../scripts/export_screening_sheets.py"


rule plot_screening_progress:
    input:
        progress="results/screen/progress.csv",
        status="results/screen/status.csv",
    output:
        png=report(
            "results/screen/progress.png",
            caption="../report/screening_progress.rst",
            category="4. Screening",
            labels={"figure": "Cumulative includes against records screened"},
        ),
        svg="results/screen/progress.svg",
    log:
        "results/logs/plot_screening_progress/plot_screening_progress.log",
    conda:
        "../envs/realist-review.yaml"
    params:
        wording=lookup(dpath="prisma/wording", within=config, default="records"),
    script:
        "../scripts/plot_screening_progress.py"
