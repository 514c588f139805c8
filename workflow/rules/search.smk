# Search: run each configured search (live, replayed from a snapshot, or an export file).


rule run_search:
    input:
        get_search_inputs,
    output:
        hits="results/search/{search_id}/hits.csv",
        entry="results/search/{search_id}/log.json",
    log:
        "results/logs/run_search/{search_id}.log",
    benchmark:
        "results/benchmarks/run_search/{search_id}.tsv"
    retries: 2
    conda:
        "../envs/realist-review.yaml"
    resources:
        ncbi_api=get_ncbi_tokens,
    params:
        search=get_search_params,
        raw_dir=RAW_DIR,
    script:
        "../scripts/run_search.py"


rule write_search_log:
    input:
        entries=expand("results/search/{search_id}/log.json", search_id=SEARCH_IDS),
    output:
        csv=report(
            "results/search/search_log.csv",
            caption="../report/search_log.rst",
            category="1. Search",
            labels={"table": "PRISMA-S search log (CSV)"},
        ),
        markdown=report(
            "results/search/search_log.md",
            caption="../report/search_log.rst",
            category="1. Search",
            labels={"table": "PRISMA-S search log (Markdown)"},
        ),
    log:
        "results/logs/write_search_log/write_search_log.log",
    conda:
        "../envs/realist-review.yaml"
    params:
        raw_dir=RAW_DIR,
        title=lookup(dpath="review/title", within=config),
    script:
        "../scripts/write_search_log.py"
