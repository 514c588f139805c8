# Normalize: every search's hits in one record table.


rule normalize_records:
    input:
        hits=expand("results/search/{search_id}/hits.csv", search_id=SEARCH_IDS),
    output:
        records=report(
            "results/normalize/records.csv",
            caption="../report/records.rst",
            category="2. Records",
            labels={"table": "Normalised record table"},
        ),
        meta="results/normalize/records.meta.json",
    log:
        "results/logs/normalize_records/normalize_records.log",
    benchmark:
        "results/benchmarks/normalize_records/normalize_records.tsv"
    conda:
        "../envs/realist-review.yaml"
    script:
        "../scripts/normalize_records.py"
