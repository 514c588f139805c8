# Theory: the initial programme theory from the confirmed CMO table: If-then-because
# statements, the reviewers' edits (config/theory/<version>.xlsx), versions and the diagram.


rule build_programme_theory:
    input:
        unpack(get_theory_inputs),
    output:
        yaml="results/theory/programme_theory.yaml",
        markdown=report(
            "results/theory/programme_theory.md",
            caption="../report/programme_theory.rst",
            category="6. Programme theory",
            labels={"document": "Initial programme theory (statements and evidence)"},
        ),
        svg=report(
            "results/theory/programme_theory.svg",
            caption="../report/programme_theory_diagram.rst",
            category="6. Programme theory",
            labels={"figure": "Programme theory diagram"},
        ),
        png="results/theory/programme_theory.png",
        pdf="results/theory/programme_theory.pdf",
        sheet="results/theory/statements.xlsx",
        diff="results/theory/diff.md",
    log:
        "results/logs/build_programme_theory/build_programme_theory.log",
    conda:
        "../envs/realist-review.yaml"
    params:
        areas=lookup(dpath="cmo/theory_areas", within=config, default=[]),
        version=lookup(dpath="theory/version", within=config, default="0.1"),
        review=lookup(dpath="review/id", within=config),
        title=lookup(dpath="review/title", within=config),
    script:
        "../scripts/build_programme_theory.py"
