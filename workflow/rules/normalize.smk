# Normalize: every search's hits in one record table.


rule normalize_records:
    input:
        hits=expand("results/search/{search_id}/hits.csv", search_id=SEARCH_IDS),
    output:
        # not in the report: the deduplicated table (results/dedup/records.csv) is, and two
        # downloads named records.csv would be confused
        records="results/normalize/records.csv",
        meta="results/normalize/records.meta.json",
    log:
        "results/logs/normalize_records/normalize_records.log",
    benchmark:
        "results/benchmarks/normalize_records/normalize_records.tsv"
    conda:
        "../envs/realist-review.yaml"
    script:
        "../scripts/normalize_records.py"
