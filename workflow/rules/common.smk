# Validation of the config and the get_* lookups the rules use. Logic lives in the package.
from pathlib import Path

from snakemake.exceptions import WorkflowError

from snakemake.logging import logger

from realist_review.config import (
    config_warnings,
    search_params,
    search_specs,
    validate_config,
)
from realist_review.errors import InputError
from realist_review.records import Source
from realist_review.release.guard import check_frozen_searches, released_versions

try:
    validate_config(config, path="config/config.yaml", root=Path.cwd())
except InputError as error:
    raise WorkflowError(str(error)) from None
for warning in config_warnings(config):
    logger.warning(f"config/config.yaml: {warning}")

SEARCHES = {spec.id: spec for spec in search_specs(config)}
SEARCH_IDS = list(SEARCHES)
RAW_DIR = "results/search/raw"
DEDUP_DECISIONS_DIR = "config/dedup"
SCREENING_DIR = "config/screening"
EXTRACTION_DIR = "config/extraction"
THEORY_DIR = "config/theory"


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
    """Everything one search needs, as plain data (no secrets: only the names of the
    environment variables that hold them): a changed query re-runs the rule (a new search).
    """
    return search_params(config, wildcards.search_id)


def get_ncbi_tokens(wildcards):
    """One `ncbi_api` resource token for PubMed searches, so E-utilities calls never overlap."""
    return int(SEARCHES[wildcards.search_id].source is Source.PUBMED)


def _files_below(folder):
    """Every file below a folder of human inputs (sorted), so a new file re-runs its rule."""
    return sorted(str(p) for p in Path(folder).rglob("*") if p.is_file())


def get_dedup_decision_files(wildcards):
    """People's same/different decisions on borderline pairs (config/dedup/)."""
    return _files_below(DEDUP_DECISIONS_DIR)


def get_screening_sheet_files(wildcards):
    """The filled screening sheets and plans under config/screening/ (not SHA256SUMS: the
    import appends to that ledger itself, which must not make the rule out of date)."""
    return [f for f in _files_below(SCREENING_DIR) if Path(f).name != "SHA256SUMS"]


def get_final_outputs():
    """What `snakemake` builds by default: every stage that exists, up to PRISMA."""
    outputs = [
        "results/search/search_log.csv",
        "results/search/search_log.md",
        "results/normalize/records.csv",
        "results/dedup/groups.csv",
        "results/report/overview.rst",
    ]
    if "screening" in config:  # a review still searching has no screening team yet
        outputs += [
            "results/screen/sheets",
            "results/screen/progress.png",
            "results/prisma/prisma_flow.svg",
            "results/prisma/rameses_checklist.html",
            "results/extract/cmo/candidates.csv",
        ]
    if "screening" in config and "fulltext" in config:
        outputs.append("results/fulltext/index.csv")
    if "screening" in config and (config.get("cmo") or {}).get("extraction"):
        outputs += ["results/extract/sheets", "results/extract/confirmed.csv"]
        if "theory" in config:
            outputs.append("results/theory/programme_theory.svg")
    return outputs


def get_extraction_sheet_files(wildcards):
    """The returned extraction sheets under config/extraction/ (not the checksum ledger,
    which the import appends to)."""
    return [
        path
        for path in _files_below(EXTRACTION_DIR)
        if Path(path).suffix.lower() in (".xlsx", ".csv")
    ]


def _correction_number(path):
    """1 for ``0.2.xlsx``, 2 for ``0.2.v2.xlsx``, ..."""
    stem = path.stem
    return int(stem.rsplit(".v", 1)[1]) if ".v" in stem else 1


def get_theory_inputs(wildcards):
    """The confirmed CMO table, the reviewers' edits of this version and the previous one."""
    inputs = {"confirmed": "results/extract/confirmed.csv"}
    settings = config.get("theory") or {}
    version = str(settings.get("version", "0.1"))
    # the newest of <version>.xlsx, <version>.v2.xlsx, ... (a correction is a new file)
    sheets = [
        path
        for path in Path(THEORY_DIR).glob(f"{version}*")
        if path.suffix.lower() in (".xlsx", ".csv")
        and (path.stem == version or path.stem.startswith(f"{version}.v"))
    ]
    if sheets:
        inputs["edits"] = str(max(sheets, key=_correction_number))
    if settings.get("previous"):
        inputs["previous"] = settings["previous"]
    return inputs


def get_report_overview_inputs(wildcards):
    """The tables the report's landing page shows: screening and PRISMA once configured."""
    inputs = {"search_log": "results/search/search_log.csv"}
    if "screening" in config:
        inputs |= {
            "prisma_figure": "results/prisma/prisma_flow.svg",
            "counts": "results/prisma/counts.csv",
            "progress": "results/screen/progress.csv",
            "agreement": "results/screen/agreement.csv",
        }
    if "screening" in config and (config.get("cmo") or {}).get("extraction"):
        inputs["cmo_summary"] = "results/extract/confirmed_counts.csv"
        if "theory" in config:
            inputs["theory"] = "results/theory/programme_theory.yaml"
            inputs["theory_figure"] = "results/theory/programme_theory.svg"
    return inputs


# Full-text retrieval (workflow/rules/fulltext.smk).
FULLTEXT_RAW_DIR = "results/fulltext/raw"
FULLTEXT = config.get("fulltext", {})
FULLTEXT_LOCAL_DIR = FULLTEXT.get("local_dir", "config/fulltext")
FULLTEXT_MODE = FULLTEXT.get("mode", config["search"]["mode"])
ZOTERO_SEARCH_IDS = [i for i, spec in SEARCHES.items() if spec.source is Source.ZOTERO]


def get_fulltext_inputs(wildcards):
    """The team's files, the snapshot replayed (snapshot mode) and Zotero's raw pages."""
    inputs = _files_below(FULLTEXT_LOCAL_DIR)
    if FULLTEXT_MODE == "snapshot" and FULLTEXT.get("snapshot_dir"):
        inputs += sorted(
            str(p) for p in Path(FULLTEXT["snapshot_dir"]).glob("**/manifest.json")
        )
    inputs += [f"results/search/{i}/hits.csv" for i in ZOTERO_SEARCH_IDS]
    return inputs


# Releases (workflow/rules/release.smk): a frozen search is never re-run over silently.
try:
    for warning in check_frozen_searches(config, Path.cwd()):
        logger.warning(f"config/config.yaml: {warning}")
except InputError as error:
    raise WorkflowError(str(error)) from None

RELEASE_VERSION = str(lookup(dpath="release/version", within=config, default="unset"))
RELEASE_MANIFEST = str(Path("results/releases") / RELEASE_VERSION / "manifest.json")


def get_release_inputs(wildcards):
    """Every output of the default target: a release freezes an up-to-date pipeline."""
    if RELEASE_VERSION == "unset":
        raise WorkflowError(
            'freeze_release needs the version: set release.version: "1.0" in '
            "config/config.yaml (or run: realist-review freeze --version 1.0)"
        )
    if RELEASE_VERSION in released_versions(Path.cwd()):
        raise WorkflowError(
            f"release {RELEASE_VERSION} is frozen (results/releases/{RELEASE_VERSION}/) and is "
            "never changed: set release.version in config/config.yaml to a new version"
        )
    return get_final_outputs()


def get_rameses_inputs(wildcards):
    """The outputs the RAMESES checklist looks at: those of every stage the review runs."""
    inputs = {
        "config": "config/config.yaml",
        "search_log": "results/search/search_log.csv",
        "dedup_summary": "results/dedup/summary.csv",
        "screening_decisions": "results/screen/decision_log.csv",
        "agreement": "results/screen/agreement.csv",
        "screening_progress": "results/screen/progress.png",
        "prisma_diagram": "results/prisma/prisma_flow.svg",
        "prisma_counts": "results/prisma/counts.csv",
    }
    if (config.get("cmo") or {}).get("extraction"):
        inputs["records"] = "results/extract/documents.csv"
        inputs["extraction"] = "results/extract/confirmed.csv"
        if "theory" in config:
            inputs["programme_theory"] = "results/theory/programme_theory.md"
    return inputs


def get_prisma_inputs(wildcards):
    """The tables the PRISMA flow is counted from; the full-text flow once retrieval runs."""
    inputs = {
        "search_log": "results/search/search_log.csv",
        "records": "results/normalize/records.csv",
        "groups": "results/dedup/groups.csv",
        "merged": "results/dedup/records.csv",
        "status": "results/screen/status.csv",
        "progress": "results/screen/progress.csv",
    }
    if "fulltext" in config:
        inputs["fulltext"] = "results/fulltext/prisma.csv"
    return inputs
