# Release: freeze everything the pipeline produced as one citable, verifiable release. Not part
# of `rule all`: run it on request, with release.version set in config/config.yaml:
#     snakemake --cores 2 freeze_release
# (the same as `realist-review freeze --version X.Y` once the pipeline is up to date).


rule freeze_release:
    input:
        outputs=get_release_inputs,
    output:
        manifest=protected(RELEASE_MANIFEST),
    log:
        "results/logs/freeze_release/freeze_release.log",
    conda:
        "../envs/realist-review.yaml"
    params:
        version=RELEASE_VERSION,
    script:
        "../scripts/freeze_release.py"
