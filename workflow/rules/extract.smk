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


rule export_extraction_sheets:
    input:
        candidates="results/extract/cmo/candidates.csv",
        sentences="results/extract/cmo/sentences.csv",
        records="results/dedup/records.csv",
        status="results/screen/status.csv",
    output:
        sheets=directory("results/extract/sheets"),
        plan="results/extract/plan.csv",
    log:
        "results/logs/export_extraction_sheets/export_extraction_sheets.log",
    conda:
        "../envs/realist-review.yaml"
    params:
        settings=lookup(dpath="cmo", within=config, default={}),
    script:
        "../scripts/export_extraction_sheets.py"


rule import_extraction_sheets:
    input:
        candidates="results/extract/cmo/candidates.csv",
        sentences="results/extract/cmo/sentences.csv",
        records="results/dedup/records.csv",
        status="results/screen/status.csv",
        plan="results/extract/plan.csv",
        sheets=get_extraction_sheet_files,
    output:
        confirmed=report(
            "results/extract/confirmed.csv",
            caption="../report/cmo_confirmed.rst",
            category="5. CMO extraction",
            labels={"table": "Confirmed CMO configurations"},
        ),
        conflicts="results/extract/conflicts.csv",
        summary=report(
            "results/extract/confirmed_counts.csv",
            caption="../report/cmo_summary.rst",
            category="5. CMO extraction",
            labels={
                "table": "Confirmed configurations per theory area and source type"
            },
        ),
        characteristics=report(
            "results/extract/documents.csv",
            caption="../report/document_characteristics.rst",
            category="5. CMO extraction",
            labels={"table": "Characteristics of the included documents"},
        ),
    log:
        "results/logs/import_extraction_sheets/import_extraction_sheets.log",
    conda:
        "../envs/realist-review.yaml"
    params:
        settings=lookup(dpath="cmo", within=config, default={}),
        returned=EXTRACTION_DIR,
    script:
        "../scripts/import_extraction_sheets.py"
