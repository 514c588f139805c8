# Validation of the config and the get_* lookups the rules use. Logic lives in the package.
from pathlib import Path

from snakemake.exceptions import WorkflowError

from realist_review.config import search_specs, validate_config
from realist_review.errors import InputError
from realist_review.records import Source

try:
    validate_config(config, path="config/config.yaml")
except InputError as error:
    raise WorkflowError(str(error)) from None

SEARCHES = {spec.id: spec for spec in search_specs(config)}
SEARCH_IDS = list(SEARCHES)
RAW_DIR = "results/search/raw"


wildcard_constraints:
    search_id="|".join(SEARCH_IDS),


def get_search_inputs(wildcards):
    """Files a search reads: its export files, or the snapshot it replays (nothing when live)."""
    spec = SEARCHES[wildcards.search_id]
    if not spec.source.is_api:
        return list(spec.files)
    if config["search"]["mode"] == "snapshot":
        folder = Path(config["search"]["snapshot_dir"]) / spec.source / spec.id
        return sorted(str(p) for p in folder.glob("**/manifest.json"))
    return []


def get_search_params(wildcards):
    """The configured search as a plain dict: a changed query re-runs the rule (a new search)."""
    raw = next(
        s for s in config["search"]["searches"] if s["id"] == wildcards.search_id
    )
    return dict(raw, mode=config["search"]["mode"], limits=config.get("limits", {}))


def get_ncbi_tokens(wildcards):
    """One `ncbi_api` resource token for PubMed searches, so E-utilities calls never overlap."""
    return int(SEARCHES[wildcards.search_id].source is Source.PUBMED)


def get_final_outputs():
    """What `snakemake` builds by default."""
    return [
        "results/normalize/records.csv",
        "results/search/search_log.csv",
        "results/search/search_log.md",
    ]
