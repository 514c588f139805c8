# Dedup: group duplicate records (never delete them), with an audit trail and a sheet of
# borderline pairs for people; their decisions under config/dedup/ are respected every run.


rule dedup_records:
    input:
        records="results/normalize/records.csv",
        decisions=get_dedup_decision_files,
    output:
        groups="results/dedup/groups.csv",
        merged=report(
            "results/dedup/records.csv",
            caption="../report/dedup_summary.rst",
            category="3. Deduplication",
            labels={"table": "Deduplicated records (one row per group)"},
        ),
        audit="results/dedup/audit.csv",
        summary=report(
            "results/dedup/summary.csv",
            caption="../report/dedup_summary.rst",
            category="3. Deduplication",
            labels={"table": "Duplicates per search"},
        ),
        review_sheet="results/dedup/review_pairs.xlsx",
        review_csv="results/dedup/review_pairs.csv",
    log:
        "results/logs/dedup_records/dedup_records.log",
    benchmark:
        "results/benchmarks/dedup_records/dedup_records.tsv"
    conda:
        "../envs/realist-review.yaml"
    threads: 2
    params:
        settings=lookup(dpath="dedup", within=config, default={}),
        decisions=DEDUP_DECISIONS_DIR,
    script:
        "../scripts/dedup_records.py"
