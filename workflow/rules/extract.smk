# Extract: candidate context-mechanism-outcome configurations from the records screening
# forwarded to full text (abstracts for now), for reviewers to accept, edit or reject.


rule suggest_cmo_configurations:
    input:
        records="results/dedup/records.csv",
        status="results/screen/status.csv",
    output:
        sentences=report(
            "results/extract/cmo/sentences.csv",
            caption="../report/cmo_candidates.rst",
            category="5. CMO extraction",
            labels={"table": "Sentence roles"},
        ),
        candidates=report(
            "results/extract/cmo/candidates.csv",
            caption="../report/cmo_candidates.rst",
            category="5. CMO extraction",
            labels={"table": "Candidate CMO configurations"},
        ),
    log:
        "results/logs/suggest_cmo_configurations/suggest_cmo_configurations.log",
    benchmark:
        "results/benchmarks/suggest_cmo_configurations/suggest_cmo_configurations.tsv"
    conda:
        "../envs/realist-review.yaml"
    params:
        settings=lookup(dpath="cmo", within=config, default={}),
    script:
        "../scripts/suggest_cmo_configurations.py"
