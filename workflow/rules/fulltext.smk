# Full text: retrieve a PDF or JATS for every record included or maybe at title/abstract
# (Europe PMC, Unpaywall, OpenAlex, the team's files under config/fulltext/, Zotero). Answers
# are archived under results/fulltext/raw and replayed; in snapshot mode nothing is sent.
rule retrieve_fulltexts:
    input:
        status="results/screen/status.csv",
        records="results/dedup/records.csv",
        sources=get_fulltext_inputs,
    output:
        files=directory("results/fulltext/files"),
        index=report(
            "results/fulltext/index.csv",
            caption="../report/fulltext_retrieval.rst",
            category="4b. Full-text retrieval",
            labels={"table": "Full texts retrieved (one row per attempt)"},
        ),
        not_retrieved=report(
            "results/fulltext/not_retrieved.csv",
            caption="../report/fulltext_retrieval.rst",
            category="4b. Full-text retrieval",
            labels={"table": "Full texts not retrieved, with reasons"},
        ),
        needs_attention="results/fulltext/needs_attention.csv",
        confirm_sheet="results/fulltext/confirm_matches.xlsx",
        request_sheet="results/fulltext/request_sheet.xlsx",
        request_ris="results/fulltext/not_retrieved.ris",
    log:
        "results/logs/retrieve_fulltexts/retrieve_fulltexts.log",
    benchmark:
        "results/benchmarks/retrieve_fulltexts/retrieve_fulltexts.tsv"
    retries: 2
    conda:
        "../envs/realist-review.yaml"
    params:
        settings=dict(FULLTEXT, mode=FULLTEXT_MODE),
        clients=lookup(dpath="clients", within=config, default={}),
        raw_dir=FULLTEXT_RAW_DIR,
        search_raw_dir=RAW_DIR,
        zotero_searches=ZOTERO_SEARCH_IDS,
    script:
        "../scripts/retrieve_fulltexts.py"


rule tabulate_fulltext_flow:
    input:
        status="results/screen/status.csv",
        not_retrieved="results/fulltext/not_retrieved.csv",
    output:
        flow="results/fulltext/prisma.csv",
    log:
        "results/logs/tabulate_fulltext_flow/tabulate_fulltext_flow.log",
    conda:
        "../envs/realist-review.yaml"
    script:
        "../scripts/tabulate_fulltext_flow.py"
